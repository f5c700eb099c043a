//! `arity_mismatch`: a predicate used with different numbers of arguments. A `pred`
//! declaration fixes the arity; otherwise the first use does. `p` and `~p` share it.

use rustc_hash::FxHashMap;

use super::Check;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::Item;

#[derive(Default)]
pub(super) struct Arity<'a> {
    /// Per predicate: its arity, where it was fixed, and whether by a declaration.
    fixed: FxHashMap<&'a str, (usize, Span, bool)>,
    found: Vec<Diagnostic>,
}

impl<'a> Check<'a> for Arity<'a> {
    fn declare(&mut self, item: &'a Item) {
        if let Item::Pred(p) = item {
            self.fixed
                .entry(p.name.name.as_str())
                .or_insert((p.params.len(), p.name.span, true));
        }
    }

    fn visit(&mut self, item: &'a Item) {
        super::for_each_literal(item, |literal, _| {
            let name = literal.atom.pred.name.as_str();
            let arity = literal.atom.args.len();
            let (expected, first, declared) =
                *self
                    .fixed
                    .entry(name)
                    .or_insert((arity, literal.atom.span, false));
            if arity != expected {
                let how = if declared {
                    "is declared"
                } else {
                    "was first used"
                };
                self.found.push(
                    Diagnostic::new(
                        Code::ArityMismatch,
                        format!("`{name}` takes {expected} argument{}, but here it has {arity}", plural(expected)),
                    )
                    .at_labelled(literal.atom.span, format!("{arity} argument{}", plural(arity)))
                    .also(first, format!("{how} with {expected}"))
                    .hint("a predicate has one fixed number of arguments; use another name for a different relation"),
                );
            }
        });
    }

    fn finish(self, out: &mut Vec<Diagnostic>) {
        out.extend(self.found);
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
