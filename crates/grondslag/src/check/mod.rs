//! Static checks on parsed modules (docs/language.md "Programs are checked before evaluation"), all in
//! one pass over everything loaded together: every finding is returned, not only the first.
//! Unsafe variables and cyclic negation are found where the evaluator needs them: by the
//! planner and the stratifier (`eval::prepare`).
//!
//! The checks share their walks over the items (see `Check`): on a large program, walking
//! the rules once per check and per question cost more than the checks themselves.

mod arity;
mod expectations;
mod known;
mod labels;
mod names;
mod negatives;
mod types;
mod unused;
mod values;
pub mod vocabulary;

use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;
use crate::syntax::ast::{BodyItem, Expect, Item, Literal, Module};
use vocabulary::Vocabulary;

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
    statements(modules, &mut out);
    out.sort_by_key(|d| d.primary.as_ref().map(|l| (l.span.file, l.span.start)));
    out
}

/// The checks of what the vocabulary lets a file state and ask: the declarations themselves,
/// then every fact, query and expectation of every module against them.
fn statements(modules: &[&Module], out: &mut Vec<Diagnostic>) {
    let mut vocabulary = Vocabulary::of(modules);
    out.extend(vocabulary.take_problems());
    let typed = vocabulary.has_types();
    let has_declarations = vocabulary.has_declarations();
    // The facts of the modules that define, which their own expectations are about.
    let mut shared: Option<expectations::Mentioned> = None;
    for module in modules {
        let defines = vocabulary::defines(module, has_declarations);
        let mut mentioned: Option<expectations::Mentioned> = None;
        for item in &module.items {
            match item {
                Item::Rule(rule) => {
                    if typed {
                        values::literal(&vocabulary, &rule.head, out);
                        values::body(&vocabulary, &rule.body, out);
                        if !rule.body.is_empty() {
                            let body = top_literals(&rule.body);
                            values::variables(
                                &vocabulary,
                                std::iter::once(&rule.head).chain(body),
                                out,
                            );
                        }
                    }
                    if rule.is_fact() {
                        if !defines {
                            out.extend(known::literal(&vocabulary, &rule.head, known::Use::Stated));
                        }
                        out.extend(negatives::fact(&vocabulary, rule));
                    }
                }
                Item::Query(query) => {
                    known::body(&vocabulary, &query.body, out);
                    if typed {
                        values::body(&vocabulary, &query.body, out);
                        values::variables(&vocabulary, top_literals(&query.body), out);
                    }
                }
                Item::Expect(expect) => {
                    // Its case: the module itself, or for a module that defines, all of them.
                    let cached = if defines { &mut shared } else { &mut mentioned };
                    let mentioned = cached.get_or_insert_with(|| {
                        let mut m = expectations::Mentioned::default();
                        if defines {
                            modules
                                .iter()
                                .filter(|m| vocabulary::defines(m, has_declarations))
                                .for_each(|each| m.add(each));
                        } else {
                            m.add(module);
                        }
                        m
                    });
                    expectation_in(&vocabulary, mentioned, expect, out);
                }
                _ => {}
            }
        }
    }
}

/// The literals of a body outside aggregates (with or without `not`).
fn top_literals(body: &[BodyItem]) -> impl Iterator<Item = &Literal> {
    body.iter().filter_map(|item| match item {
        BodyItem::Literal(l) | BodyItem::Not(l, _) => Some(l),
        _ => None,
    })
}

/// An expectation: its predicate, its values, and whether it is about anything in its case.
fn expectation_in(
    vocabulary: &Vocabulary,
    mentioned: &expectations::Mentioned,
    expect: &Expect,
    out: &mut Vec<Diagnostic>,
) {
    match known::literal(vocabulary, &expect.literal, known::Use::Asked) {
        Some(unknown) => out.push(unknown),
        None => {
            values::literal(vocabulary, &expect.literal, out);
            out.extend(mentioned.check(expect));
        }
    }
    out.extend(expectations::assumed(vocabulary, expect));
}

/// The vocabulary checks of a goal asked outside any file (`query -q`, a REPL `goal?`, the
/// goal of `explain`): its predicates must be known and its values in their types.
pub fn goal(modules: &[&Module], body: &[BodyItem]) -> Vec<Diagnostic> {
    let vocabulary = Vocabulary::of(modules);
    let mut out = Vec::new();
    known::body(&vocabulary, body, &mut out);
    values::body(&vocabulary, body, &mut out);
    values::variables(&vocabulary, top_literals(body), &mut out);
    out
}

/// The checks of an `expect` typed in the REPL. Its case is what the session states: the
/// facts typed and the case files loaded (everything, in a plain program).
pub fn expectation(modules: &[&Module], expect: &Expect) -> Vec<Diagnostic> {
    let vocabulary = Vocabulary::of(modules);
    let has_declarations = vocabulary.has_declarations();
    let stating: Vec<&Module> = modules
        .iter()
        .copied()
        .filter(|m| !vocabulary::defines(m, has_declarations))
        .collect();
    let case = if stating.is_empty() {
        modules
    } else {
        &stating
    };
    let mut mentioned = expectations::Mentioned::default();
    case.iter().for_each(|m| mentioned.add(m));
    let mut out = Vec::new();
    expectation_in(&vocabulary, &mentioned, expect, &mut out);
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
    fn body<'a>(items: &'a [BodyItem], place: Place, visit: &mut impl FnMut(&'a Literal, Place)) {
        for item in items {
            match item {
                BodyItem::Literal(l) => visit(l, place),
                BodyItem::Not(l, _) => visit(l, place),
                BodyItem::Compare(..) => {}
                BodyItem::Aggregate(a) => body(&a.body, place, visit),
            }
        }
    }
    match item {
        Item::Rule(r) => {
            visit(&r.head, Place::Head);
            body(&r.body, Place::Body, &mut visit);
        }
        Item::Query(q) => body(&q.body, Place::Query, &mut visit),
        Item::Expect(e) => visit(&e.literal, Place::Expect),
        _ => {}
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Place {
    Head,
    Body,
    Query,
    Expect,
}
