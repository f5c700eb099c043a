//! Static checks on parsed modules (SPEC §2 "Programs are checked before evaluation"), all in
//! one pass over everything loaded together: every finding is returned, not only the first.
//! Unsafe variables and cyclic negation are found where the evaluator needs them: by the
//! planner and the stratifier (`eval::prepare`).

mod arity;
mod labels;
mod names;
mod types;
mod unused;

use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;
use crate::syntax::ast::{BodyItem, Item, Literal, Module};

/// Run every check over everything loaded together; errors and warnings in source order.
pub fn check(_sources: &SourceMap, modules: &[&Module]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    arity::check(modules, &mut out);
    labels::check(modules, &mut out);
    names::check(modules, &mut out);
    types::check(modules, &mut out);
    unused::check(modules, &mut out);
    out.sort_by_key(|d| d.primary.as_ref().map(|l| (l.span.file, l.span.start)));
    out
}

/// Visit every literal of the modules with where it occurs, in source order: rule heads, bodies
/// (also inside `not` and aggregates), queries and expectations. (A visit, not a list: there
/// are as many literals as a large program has rules and conditions.)
pub(crate) fn for_each_literal<'a>(
    modules: &[&'a Module],
    mut visit: impl FnMut(&'a Literal, Place),
) {
    fn body<'a>(items: &'a [BodyItem], visit: &mut impl FnMut(&'a Literal, Place)) {
        for item in items {
            match item {
                BodyItem::Literal(l) => visit(l, Place::Body),
                BodyItem::Not(l, _) => visit(l, Place::Body),
                BodyItem::Compare(..) => {}
                BodyItem::Aggregate(a) => body(&a.body, visit),
            }
        }
    }
    for module in modules {
        for item in &module.items {
            match item {
                Item::Rule(r) => {
                    visit(&r.head, Place::Head);
                    body(&r.body, &mut visit);
                }
                Item::Query(q) => body(&q.body, &mut visit),
                Item::Expect(e) => visit(&e.literal, Place::Expect),
                _ => {}
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Place {
    Head,
    Body,
    Expect,
}
