//! `overflow`: integer arithmetic or a `sum` whose value lies beyond the 64-bit range. Such a
//! rule instance has no value, and dropping it silently would be a missing answer that looks
//! like a legal "no"; so the evaluation stops with an error naming the rule.
//!
//! The arithmetic is computed deep inside the evaluators (`term::arith`, `exec::fold_aggregate`),
//! which return "no value" without saying why. The first overflow is noted here, for the
//! evaluation on this thread; after each stratum the evaluation asks whether one happened.

use std::cell::Cell;

use super::ir::{Expr, Goal, Rule};
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::{AggOp, ArithOp};

/// The first operation that overflowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overflow {
    /// `a op b`.
    Arith(i64, ArithOp, i64),
    /// `-a`.
    Neg(i64),
    /// A `sum` that had reached the first value when the second was added.
    Sum(i64, i64),
}

thread_local! {
    static FIRST: Cell<Option<Overflow>> = const { Cell::new(None) };
}

/// Note an overflow (the first one counts).
pub(crate) fn record(overflow: Overflow) {
    FIRST.with(|first| {
        if first.get().is_none() {
            first.set(Some(overflow));
        }
    });
}

/// Forget what an earlier evaluation on this thread noted.
pub(crate) fn reset() {
    FIRST.with(|first| first.set(None));
}

/// The overflow noted since the last [`reset`], if any.
pub(crate) fn take() -> Option<Overflow> {
    FIRST.with(Cell::take)
}

/// The error for `overflow`, placed at the first of `rules` that computes such an operation.
pub(crate) fn diagnostic<'r>(
    overflow: Overflow,
    rules: impl IntoIterator<Item = &'r Rule>,
) -> Diagnostic {
    let what = match overflow {
        Overflow::Arith(a, op, b) => format!("{a} {} {b}", op.as_str()),
        Overflow::Neg(a) => format!("-({a})"),
        Overflow::Sum(total, next) => format!("a `sum` of {total} and {next}"),
    };
    let mut d = Diagnostic::new(
        Code::Overflow,
        format!(
            "integer overflow: {what} lies beyond the range of numbers ({} to {}), so this rule has no answer",
            i64::MIN,
            i64::MAX
        ),
    )
    .hint("numbers are 64-bit integers: scale the values down (thousands of euros instead of cents), or split the sum");
    if let Some(rule) = rules.into_iter().find(|r| computes(r, overflow)) {
        d = d.at(rule.origin.span);
    }
    d
}

/// Whether `rule` computes an operation of the kind that overflowed.
fn computes(rule: &Rule, overflow: Overflow) -> bool {
    rule.head_args.iter().any(|e| in_expr(e, overflow)) || in_goals(&rule.body, overflow)
}

fn in_goals(goals: &[Goal], overflow: Overflow) -> bool {
    goals.iter().any(|goal| match goal {
        Goal::Compare(a, _, b) => in_expr(a, overflow) || in_expr(b, overflow),
        Goal::Aggregate(agg) => {
            (agg.op == AggOp::Sum && matches!(overflow, Overflow::Sum(..)))
                || agg.targets.iter().any(|e| in_expr(e, overflow))
                || in_goals(&agg.body, overflow)
        }
        Goal::Atom(_) | Goal::Not(_) => false,
    })
}

fn in_expr(expr: &Expr, overflow: Overflow) -> bool {
    match (expr, overflow) {
        (Expr::Arith(_, op, _), Overflow::Arith(_, o, _)) if *op == o => true,
        (Expr::Neg(_), Overflow::Neg(_)) => true,
        (Expr::Arith(a, _, b), _) => in_expr(a, overflow) || in_expr(b, overflow),
        (Expr::Neg(a), _) => in_expr(a, overflow),
        (Expr::Var(_) | Expr::Const(_), _) => false,
    }
}
