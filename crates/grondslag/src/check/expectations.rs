//! `vacuous_expectation`: an `expect` whose constants occur in no fact of its case. It is
//! about nothing the case states (`expect not lawful(d9).` where the case knows `d1`), so it
//! would pass — or fail — whatever the law says. An error: the test fails.
//!
//! `not_an_open_norm`: `expect ... assuming q(..)` where `q(..)` is not a ground presumed
//! literal of an open norm: nothing could ever rest on it, so the expectation could never
//! hold.

use rustc_hash::FxHashSet;

use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::{Expect, Item, Module, Term};
use crate::value::Value;

use super::vocabulary::Vocabulary;

/// `not_an_open_norm` for each literal of `assuming` that is not a ground presumed literal of
/// an open norm.
pub(super) fn assumed(vocabulary: &Vocabulary, expect: &Expect) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for literal in &expect.assuming {
        let atom = &literal.atom;
        let sign = |negated: bool| if negated { "~" } else { "" };
        let problem = match vocabulary.open_norm(&atom.pred.name, atom.args.len()) {
            None => Some((
                format!(
                    "`{}` is not an open norm: no conclusion can rest on it as an assumption",
                    atom.pred.name
                ),
                match vocabulary.open_norm_names().as_slice() {
                    [] => {
                        "mark the condition's `pred` declaration with `@open_norm(assessor: ...)`"
                            .to_string()
                    }
                    names => format!("the open norms are {}", names.join(", ")),
                },
            )),
            Some(negated) if negated != literal.negated => Some((
                format!(
                    "the open norm presumes `{}{}`, not `{}{}`",
                    sign(negated),
                    atom.pred.name,
                    sign(literal.negated),
                    atom.pred.name
                ),
                format!("write `{}{}(...)`", sign(negated), atom.pred.name),
            )),
            Some(_) if atom.ground_args().is_none() => Some((
                "an assumption is about something: give its arguments as values".to_string(),
                "e.g. `assuming necessary(d1)`".to_string(),
            )),
            Some(_) => None,
        };
        if let Some((message, hint)) = problem {
            out.push(
                Diagnostic::new(Code::NotAnOpenNorm, message)
                    .at(literal.span)
                    .hint(hint),
            );
        }
    }
    out
}

/// The values the facts of some modules mention.
#[derive(Default)]
pub(super) struct Mentioned<'a> {
    values: FxHashSet<&'a Value>,
    /// Some facts come from `@input` files, whose values the check does not read: then no
    /// expectation is called vacuous.
    read_from_files: bool,
}

impl<'a> Mentioned<'a> {
    pub(super) fn add(&mut self, module: &'a Module) {
        for item in &module.items {
            match item {
                Item::Rule(r) if r.is_fact() => {
                    for arg in &r.head.atom.args {
                        if let Term::Const(v, _) = arg {
                            self.values.insert(v);
                        }
                    }
                }
                Item::Pred(p) if p.attrs.input.is_some() => self.read_from_files = true,
                _ => {}
            }
        }
    }

    /// `vacuous_expectation` when `expect` has constants and none of them is mentioned.
    pub(super) fn check(&self, expect: &Expect) -> Option<Diagnostic> {
        let constants: Vec<&Value> = expect
            .literal
            .atom
            .args
            .iter()
            .filter_map(|t| match t {
                Term::Const(v, _) => Some(v),
                _ => None,
            })
            .collect();
        if self.read_from_files
            || constants.is_empty()
            || constants.iter().any(|v| self.values.contains(v))
        {
            return None;
        }
        let named: Vec<String> = constants.iter().map(|v| format!("`{v}`")).collect();
        Some(
            Diagnostic::new(
                Code::VacuousExpectation,
                format!(
                    "this expectation is about {}, which no fact of its case mentions: it would hold or fail whatever the law says",
                    named.join(", ")
                ),
            )
            .at(expect.literal.span)
            .hint("an expectation is about the case: check its names against the case's facts"),
        )
    }
}
