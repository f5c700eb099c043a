//! `arity_mismatch`: a predicate used with different numbers of arguments. A `pred`
//! declaration fixes the arity; otherwise the first use does. `p` and `~p` share it.

use rustc_hash::FxHashMap;

use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::{Item, Module};

pub fn check(modules: &[&Module], out: &mut Vec<Diagnostic>) {
    let mut fixed: FxHashMap<&str, (usize, Span, bool)> = FxHashMap::default();
    for module in modules {
        for item in &module.items {
            if let Item::Pred(p) = item {
                fixed
                    .entry(p.name.name.as_str())
                    .or_insert((p.params.len(), p.name.span, true));
            }
        }
    }
    super::for_each_literal(modules, |literal, _| {
        let name = literal.atom.pred.name.as_str();
        let arity = literal.atom.args.len();
        let (expected, first, declared) =
            *fixed
                .entry(name)
                .or_insert((arity, literal.atom.span, false));
        if arity != expected {
            let how = if declared {
                "is declared"
            } else {
                "was first used"
            };
            out.push(
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

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
