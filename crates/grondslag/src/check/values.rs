//! `unknown_value` (a name outside the closed enumeration its argument takes: `data(d1,
//! helth)`) and `argument_type` (a value of the wrong kind: a date where an organisation is
//! expected), for the constants of every literal whose predicate declares argument types; and
//! `argument_type` for a variable of a rule or query that stands where two types that share no
//! value are expected (`purpose(D, P), age(S, P)`): such a rule never applies.

use rustc_hash::FxHashMap;

use super::names::nearest;
use super::vocabulary::{Type, Typed, Vocabulary};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::{BodyItem, Literal, Term};
use crate::value::{Kind, Value};

/// The constants of `literal` against the declared types of its predicate.
pub(super) fn literal(vocabulary: &Vocabulary, literal: &Literal, out: &mut Vec<Diagnostic>) {
    let pred = literal.atom.pred.name.as_str();
    if vocabulary.signature(pred).is_none() {
        return;
    }
    for (index, arg) in literal.atom.args.iter().enumerate() {
        let Term::Const(value, span) = arg else {
            continue;
        };
        let Some(expected) = vocabulary.argument(pred, index) else {
            continue;
        };
        let problem = match (expected.ty, value) {
            (Type::Enumeration(values), Value::Text(text)) => {
                if values.contains(&&**text) {
                    continue;
                }
                let d = Diagnostic::new(
                    Code::UnknownValue,
                    format!(
                        "`{text}` is not a value of `{}` (argument {} of `{pred}`)",
                        expected.name,
                        index + 1
                    ),
                )
                .at(*span);
                match nearest(text, values) {
                    Some(near) => d.hint(format!("did you mean `{near}`?")),
                    None => d.hint(format!(
                        "the values are: {}; a case may add one with `type {} += {text}.`",
                        list(values),
                        expected.name
                    )),
                }
            }
            (Type::Entity, Value::Text(_)) => continue,
            (Type::Primitive(kind), v) if v.kind() == *kind => continue,
            (ty, v) => {
                let wanted = match ty {
                    Type::Primitive(kind) => kind.describe().to_string(),
                    _ => format!("of the type `{}` (a name)", expected.name),
                };
                Diagnostic::new(
                    Code::ArgumentType,
                    format!(
                        "argument {} of `{pred}` is {wanted}, but this is {}",
                        index + 1,
                        v.kind().describe()
                    ),
                )
                .at(*span)
                .hint(match v.kind() {
                    Kind::Date => "dates are written YYYY-MM-DD; a name is written without dashes",
                    Kind::Int => "a number without quotes is a number; \"1\" is text",
                    Kind::Text => "numbers and dates are written without quotes",
                })
            }
        };
        out.push(problem);
    }
}

/// Every literal of a body (also inside `not` and aggregates).
pub(super) fn body(vocabulary: &Vocabulary, body: &[BodyItem], out: &mut Vec<Diagnostic>) {
    for item in body {
        match item {
            BodyItem::Literal(l) | BodyItem::Not(l, _) => literal(vocabulary, l, out),
            BodyItem::Aggregate(a) => self::body(vocabulary, &a.body, out),
            BodyItem::Compare(..) => {}
        }
    }
}

/// At most a dozen values, for a hint.
fn list(values: &[&str]) -> String {
    let shown: Vec<String> = values.iter().take(12).map(|v| format!("`{v}`")).collect();
    if values.len() > shown.len() {
        format!("{}, …", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// `argument_type` for the variables of one rule (its head and the literals of its body, not
/// inside aggregates, whose variables may be their own) or query.
pub(super) fn variables<'a>(
    vocabulary: &'a Vocabulary,
    literals: impl Iterator<Item = &'a Literal>,
    out: &mut Vec<Diagnostic>,
) {
    let mut first: FxHashMap<&str, (Typed, &str, usize, Span)> = FxHashMap::default();
    for literal in literals {
        let pred = literal.atom.pred.name.as_str();
        if vocabulary.signature(pred).is_none() {
            continue;
        }
        for (index, arg) in literal.atom.args.iter().enumerate() {
            let Term::Var(var) = arg else { continue };
            let Some(ty) = vocabulary.argument(pred, index) else {
                continue;
            };
            match first.get(var.name.as_str()) {
                None => {
                    first.insert(&var.name, (ty, pred, index, var.span));
                }
                Some((other, other_pred, other_index, other_span)) => {
                    if share_a_value(ty.ty, other.ty) {
                        continue;
                    }
                    out.push(
                        Diagnostic::new(
                            Code::ArgumentType,
                            format!(
                                "`{}` would have to be of type `{}` and of type `{}` at once, which share no value, so this never holds",
                                var.name, ty.name, other.name
                            ),
                        )
                        .at_labelled(var.span, format!("argument {} of `{pred}`: `{}`", index + 1, ty.name))
                        .also(*other_span, format!("argument {} of `{other_pred}`: `{}`", other_index + 1, other.name))
                        .hint("check the order of the arguments, or use two variables"),
                    );
                }
            }
        }
    }
}

/// Whether some value is of both types.
fn share_a_value(a: &Type, b: &Type) -> bool {
    match (a, b) {
        (Type::Primitive(x), Type::Primitive(y)) => x == y,
        (Type::Primitive(kind), _) | (_, Type::Primitive(kind)) => *kind == Kind::Text,
        (Type::Enumeration(x), Type::Enumeration(y)) => x.iter().any(|v| y.contains(v)),
        (Type::Entity, _) | (_, Type::Entity) => true,
    }
}
