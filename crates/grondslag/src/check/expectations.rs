//! `vacuous_expectation`: an `expect` whose constants occur in no fact of its case. It is
//! about nothing the case states (`expect not lawful(d9).` where the case knows `d1`), so it
//! would pass — or fail — whatever the law says. An error: the test fails.

use rustc_hash::FxHashSet;

use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::{Expect, Item, Module, Term};
use crate::value::Value;

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
