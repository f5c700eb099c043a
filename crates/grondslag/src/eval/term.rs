//! The one meaning of terms: arithmetic and comparison of values (docs/language.md). The
//! evaluators (over interned values, `exec::eval_expr`), the reference solver and the
//! explanations (over source terms, [`eval_term`]) all compute through these functions, so
//! that an explanation shows exactly the values the evaluation used.

use super::overflow::{self, Overflow};
use crate::syntax::ast::{ArithOp, CmpOp, Term};
use crate::value::Value;

/// `a op b` on integers; `None` when it has no value: overflow, or division by zero. Division
/// truncates toward zero; `mod` is never negative (`-7 mod 3` is `2`).
///
/// ```
/// use grondslag::eval::term::arith;
/// use grondslag::syntax::ast::ArithOp;
/// assert_eq!(arith(ArithOp::Mod, -7, 3), Some(2));
/// assert_eq!(arith(ArithOp::Div, -7, 2), Some(-3));
/// assert_eq!(arith(ArithOp::Div, 1, 0), None);
/// ```
pub fn arith(op: ArithOp, a: i64, b: i64) -> Option<i64> {
    let value = match op {
        ArithOp::Add => a.checked_add(b),
        ArithOp::Sub => a.checked_sub(b),
        ArithOp::Mul => a.checked_mul(b),
        ArithOp::Div => a.checked_div(b),
        ArithOp::Mod => a.checked_rem_euclid(b),
    };
    // Division by zero has no value; anything else without one overflowed, which the
    // evaluation reports (`eval::overflow`).
    if value.is_none() && b != 0 {
        overflow::record(Overflow::Arith(a, op, b));
    }
    value
}

/// `-a`; `None` on overflow.
pub fn negate(a: i64) -> Option<i64> {
    let value = a.checked_neg();
    if value.is_none() {
        overflow::record(Overflow::Neg(a));
    }
    value
}

/// `a op b` on values: `None` when an operand is not a number or the result has no value.
pub fn arith_values(op: ArithOp, a: &Value, b: &Value) -> Option<Value> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => arith(op, *x, *y).map(Value::Int),
        _ => None,
    }
}

/// `-a` on a value: `None` when it is not a number or on overflow.
pub fn negate_value(a: &Value) -> Option<Value> {
    match a {
        Value::Int(x) => negate(*x).map(Value::Int),
        _ => None,
    }
}

/// Whether `a op b` holds: equality across all values; order only between values of one
/// kind (numbers, dates chronologically, text alphabetically) — `1 < a` is false, and so is
/// `1 >= a`.
pub fn compare(op: CmpOp, a: &Value, b: &Value) -> bool {
    match op {
        CmpOp::Eq => a == b,
        CmpOp::Ne => a != b,
        _ if a.kind() != b.kind() => false,
        CmpOp::Lt => a < b,
        CmpOp::Le => a <= b,
        CmpOp::Gt => a > b,
        CmpOp::Ge => a >= b,
    }
}

/// The value of a source term, with `var` giving the values of its variables; `None` when a
/// variable is unbound (or anonymous) or the arithmetic has no value.
pub fn eval_term(term: &Term, var: &dyn Fn(&str) -> Option<Value>) -> Option<Value> {
    match term {
        Term::Const(v, _) => Some(v.clone()),
        Term::Var(ident) => var(&ident.name),
        Term::Anonymous(_) => None,
        Term::Neg(a, _) => negate_value(&eval_term(a, var)?),
        Term::Arith(a, op, b, _) => arith_values(*op, &eval_term(a, var)?, &eval_term(b, var)?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mod_is_euclidean_and_division_truncates() {
        for (a, b) in [(-7, 3), (7, -3), (-7, -3), (7, 3), (0, 5)] {
            let m = arith(ArithOp::Mod, a, b).unwrap();
            assert!((0..b.abs()).contains(&m), "{a} mod {b} = {m}");
            assert_eq!((a - m) % b, 0);
        }
        assert_eq!(arith(ArithOp::Div, -7, 2), Some(-3));
        assert_eq!(arith(ArithOp::Mod, 1, 0), None);
        assert_eq!(arith(ArithOp::Mul, i64::MAX, 2), None);
        assert_eq!(negate(i64::MIN), None);
    }

    #[test]
    fn order_holds_only_within_a_kind() {
        let one = Value::Int(1);
        let a = Value::text("a");
        assert!(!compare(CmpOp::Lt, &one, &a));
        assert!(!compare(CmpOp::Ge, &one, &a));
        assert!(compare(CmpOp::Ne, &one, &a));
        assert!(compare(CmpOp::Le, &one, &Value::Int(1)));
    }
}
