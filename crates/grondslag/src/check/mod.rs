//! Static checks on parsed modules (SPEC §2 "Programs are checked before evaluation"), all in
//! one pass over everything loaded together: every finding is returned, not only the first.
//! Unsafe variables and cyclic negation are found where the evaluator needs them: by the
//! planner and the stratifier (`eval::prepare`).
//!
//! The checks share their walks over the items (see `Check`): on a large program, walking
//! the rules once per check and per question cost more than the checks themselves.

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
    let items = || modules.iter().flat_map(|m| m.items.iter());
    let census = Census::of(modules);
    let mut arity = arity::Arity::default();
    let mut labels = labels::Labels::new(&census);
    let mut names = names::Names::default();
    let mut types = types::Types::default();
    let mut unused = unused::Unused::new(&census);
    for item in items() {
        arity.declare(item);
        labels.declare(item);
        names.declare(item);
        unused.declare(item);
    }
    for item in items() {
        arity.visit(item);
        labels.visit(item);
        names.visit(item);
        types.visit(item);
        unused.visit(item);
    }
    let mut out = Vec::new();
    arity.finish(&mut out);
    labels.finish(&mut out);
    names.finish(&mut out);
    types.finish(&mut out);
    unused.finish(&mut out);
    out.sort_by_key(|d| d.primary.as_ref().map(|l| (l.span.file, l.span.start)));
    out
}

/// One check. It is shown every item twice, in source order: first to `declare` what the item
/// defines (labels, predicates, arities), then, once everything is declared, to `visit` it.
trait Check<'a> {
    fn declare(&mut self, _item: &'a Item) {}
    fn visit(&mut self, _item: &'a Item) {}
    /// Its findings, in the order found.
    fn finish(self, out: &mut Vec<Diagnostic>);
}

/// One check run on its own (for the checks' tests).
#[cfg(test)]
fn run_alone<'a>(mut check: impl Check<'a>, modules: &[&'a Module]) -> Vec<Diagnostic> {
    let items = || modules.iter().flat_map(|m| m.items.iter());
    items().for_each(|item| check.declare(item));
    items().for_each(|item| check.visit(item));
    let mut out = Vec::new();
    check.finish(&mut out);
    out
}

/// How many items of some kinds there are, to size the checks' tables beforehand (growing a
/// large table hashes every key again).
pub(crate) struct Census {
    rules: usize,
    labelled_rules: usize,
    superiorities: usize,
}

impl Census {
    fn of(modules: &[&Module]) -> Census {
        let mut census = Census {
            rules: 0,
            labelled_rules: 0,
            superiorities: 0,
        };
        for item in modules.iter().flat_map(|m| m.items.iter()) {
            match item {
                Item::Rule(r) => {
                    census.rules += 1;
                    census.labelled_rules += usize::from(r.label.is_some());
                }
                Item::Superiority(_) => census.superiorities += 1,
                _ => {}
            }
        }
        census
    }
}

/// Visit every literal of an item with where it occurs, in source order: a rule's head and
/// body (also inside `not` and aggregates), a query's body, an expectation.
pub(crate) fn for_each_literal<'a>(item: &'a Item, mut visit: impl FnMut(&'a Literal, Place)) {
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Place {
    Head,
    Body,
    Expect,
}
