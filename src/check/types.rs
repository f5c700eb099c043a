//! `type_mismatch`: one argument position of a predicate holding constants of different kinds
//! (number, date, text), a variable compared with or stored as two kinds, or arithmetic on
//! something that is not a number. Conservative: variables whose kind is unknown pass.

use std::collections::HashMap;

use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::{BodyItem, Item, Literal, Module, Term};
use crate::value::Kind;

pub fn check(modules: &[&Module], out: &mut Vec<Diagnostic>) {
    // The kind of each (predicate, position), from the first constant stored there.
    let mut positions: HashMap<(String, usize), (Kind, Span)> = HashMap::new();
    for (literal, _) in super::literals(modules) {
        for (i, arg) in literal.atom.args.iter().enumerate() {
            let Term::Const(value, span) = arg else {
                continue;
            };
            let key = (literal.atom.pred.name.clone(), i);
            match positions.get(&key) {
                Some((kind, first)) if *kind != value.kind() => out.push(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        format!(
                            "argument {} of `{}` is {} elsewhere, but {} here",
                            i + 1,
                            literal.atom.pred.name,
                            kind.describe(),
                            value.kind().describe()
                        ),
                    )
                    .at(*span)
                    .also(*first, format!("{} here", kind.describe()))
                    .hint("dates are written YYYY-MM-DD without quotes; numbers without quotes; \"1\" is text"),
                ),
                Some(_) => {}
                None => {
                    positions.insert(key, (value.kind(), *span));
                }
            }
        }
    }
    for module in modules {
        for item in &module.items {
            let Item::Rule(rule) = item else { continue };
            let mut vars: HashMap<&str, (Kind, Span)> = HashMap::new();
            let mut literals: Vec<&Literal> = vec![&rule.head];
            let mut comparisons = Vec::new();
            collect(&rule.body, &mut literals, &mut comparisons);
            for literal in &literals {
                for (i, arg) in literal.atom.args.iter().enumerate() {
                    if let Term::Var(v) = arg {
                        if let Some((kind, _)) = positions.get(&(literal.atom.pred.name.clone(), i))
                        {
                            record(&mut vars, &v.name, *kind, v.span, out);
                        }
                    }
                    arithmetic(arg, out);
                }
            }
            for (a, b) in comparisons {
                arithmetic(a, out);
                arithmetic(b, out);
                for (x, y) in [(a, b), (b, a)] {
                    if let (Term::Var(v), Some(kind)) = (x, kind_of(y)) {
                        record(&mut vars, &v.name, kind, y.span(), out);
                    }
                }
            }
        }
    }
}

/// Remember the kind of a variable; a second, different kind is a mismatch.
fn record<'a>(
    vars: &mut HashMap<&'a str, (Kind, Span)>,
    name: &'a str,
    kind: Kind,
    span: Span,
    out: &mut Vec<Diagnostic>,
) {
    match vars.get(name) {
        Some((first, first_span)) if *first != kind => out.push(
            Diagnostic::new(
                Code::TypeMismatch,
                format!("`{name}` is {} here, but {} elsewhere in this rule", kind.describe(), first.describe()),
            )
            .at(span)
            .also(*first_span, first.describe())
            .hint("a number, a date and a text never compare equal, and are not ordered against each other"),
        ),
        Some(_) => {}
        None => {
            vars.insert(name, (kind, span));
        }
    }
}

/// The kind of a constant term, or of arithmetic (always a number).
fn kind_of(t: &Term) -> Option<Kind> {
    match t {
        Term::Const(v, _) => Some(v.kind()),
        Term::Arith(..) | Term::Neg(..) => Some(Kind::Int),
        _ => None,
    }
}

/// Arithmetic on a constant that is not a number.
fn arithmetic(t: &Term, out: &mut Vec<Diagnostic>) {
    match t {
        Term::Arith(a, op, b, _) => {
            for side in [a, b] {
                if let Term::Const(v, span) = side.as_ref() {
                    if v.kind() != Kind::Int {
                        out.push(
                            Diagnostic::new(
                                Code::TypeMismatch,
                                format!(
                                    "`{}` needs numbers, but this is {}",
                                    op.as_str(),
                                    v.kind().describe()
                                ),
                            )
                            .at(*span),
                        );
                    }
                }
                arithmetic(side, out);
            }
        }
        Term::Neg(a, _) => arithmetic(a, out),
        _ => {}
    }
}

fn collect<'a>(
    items: &'a [BodyItem],
    literals: &mut Vec<&'a Literal>,
    comparisons: &mut Vec<(&'a Term, &'a Term)>,
) {
    for item in items {
        match item {
            BodyItem::Literal(l) | BodyItem::Not(l, _) => literals.push(l),
            BodyItem::Compare(a, _, b, _) => comparisons.push((a, b)),
            BodyItem::Aggregate(agg) => collect(&agg.body, literals, comparisons),
        }
    }
}
