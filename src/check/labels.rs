//! Labels and superiority: `duplicate_label`, `unknown_label` (in `>`, `via` and `repeal`),
//! `superiority_cycle`, and the warning `useless_superiority`.

use std::cell::{Cell, OnceCell};
use std::collections::hash_map::Entry;

use petgraph::algo::TarjanScc;
use petgraph::graph::{DiGraph, NodeIndex};
use rustc_hash::FxHashMap;

use super::names::nearest;
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::{Ident, Item, Module, Rule};

/// The rule that first uses a label, and its node in the superiority graph once a pair names
/// it.
struct Labelled<'a> {
    rule: &'a Rule,
    node: Cell<Option<NodeIndex>>,
}

pub fn check<'a>(modules: &[&'a Module], out: &mut Vec<Diagnostic>) {
    // Sized beforehand: a generated program can have a label per rule, and growing a large
    // table rehashes every label again.
    let (mut label_count, mut pair_count) = (0, 0);
    for module in modules {
        for item in &module.items {
            match item {
                Item::Rule(Rule { label: Some(_), .. }) => label_count += 1,
                Item::Superiority(_) => pair_count += 1,
                _ => {}
            }
        }
    }
    let mut labels: FxHashMap<&str, Labelled> =
        FxHashMap::with_capacity_and_hasher(label_count, Default::default());
    for module in modules {
        for item in &module.items {
            let Item::Rule(rule) = item else { continue };
            let Some(label) = &rule.label else { continue };
            match labels.entry(label.name.as_str()) {
                Entry::Occupied(first) => out.push(
                    Diagnostic::new(
                        Code::DuplicateLabel,
                        format!("the label `{}` is already used", label.name),
                    )
                    .at_labelled(label.span, "second use")
                    .also(
                        first.get().rule.label.as_ref().expect("labelled").span,
                        "first used here",
                    )
                    .hint("labels are unique across everything loaded; rename one of the rules"),
                ),
                Entry::Vacant(slot) => {
                    slot.insert(Labelled {
                        rule,
                        node: Cell::new(None),
                    });
                }
            }
        }
    }
    // The labels to suggest instead of an unknown one; gathered at the first unknown label.
    let known: OnceCell<Vec<&str>> = OnceCell::new();
    let unknown = |ident: &Ident, what: &str| {
        let mut d = Diagnostic::new(
            Code::UnknownLabel,
            format!("{what} `{}`, but no rule has that label", ident.name),
        )
        .at(ident.span);
        let known = known.get_or_init(|| labels.keys().copied().collect());
        d = match nearest(&ident.name, known) {
            Some(near) => d.hint(format!("did you mean `{near}`?")),
            None => d.hint("a label is written before a rule: `label: head :- body.`"),
        };
        d
    };

    // The superiority graph; each node is weighted with its label. Nodes are numbered in the
    // order the pairs name them (which decides how a cycle is listed).
    let mut graph: DiGraph<&'a str, ()> =
        DiGraph::with_capacity((2 * pair_count).min(label_count), pair_count);
    for &module in modules {
        for item in &module.items {
            match item {
                Item::Superiority(s) => {
                    let stronger = labels.get(s.stronger.name.as_str());
                    let weaker = labels.get(s.weaker.name.as_str());
                    let (Some(x), Some(y)) = (stronger, weaker) else {
                        for (ident, found) in [(&s.stronger, stronger), (&s.weaker, weaker)] {
                            if found.is_none() {
                                out.push(unknown(ident, "the superiority pair names"));
                            }
                        }
                        continue;
                    };
                    let a = node(&mut graph, &s.stronger.name, x);
                    let b = node(&mut graph, &s.weaker.name, y);
                    graph.add_edge(a, b, ());
                    if a == b {
                        out.push(
                            Diagnostic::new(
                                Code::SuperiorityCycle,
                                format!("`{0} > {0}`: a rule cannot beat itself", s.stronger.name),
                            )
                            .at(s.span),
                        );
                        continue;
                    }
                    let (x, y) = (x.rule, y.rule);
                    let complementary = x.head.atom.pred.name == y.head.atom.pred.name
                        && x.head.negated != y.head.negated;
                    if !complementary {
                        out.push(
                            Diagnostic::new(
                                Code::UselessSuperiority,
                                format!("`{}` and `{}` never conclude opposite literals, so this priority has no effect", s.stronger.name, s.weaker.name),
                            )
                            .at(s.span)
                            .hint("superiority decides between a rule for `p` and a rule for `~p`"),
                        );
                    }
                }
                Item::Expect(e) => {
                    if let Some(via) = &e.via {
                        if !labels.contains_key(via.name.as_str()) {
                            out.push(unknown(via, "the expectation goes `via`"));
                        }
                    }
                }
                Item::Repeal(r) if !labels.contains_key(r.label.name.as_str()) => {
                    out.push(unknown(&r.label, "the bill repeals"));
                }
                _ => {}
            }
        }
    }
    // Components one at a time (collecting them all would allocate one per label).
    TarjanScc::new().run(&graph, |component| {
        if component.len() < 2 {
            return;
        }
        let names: Vec<&str> = component.iter().rev().map(|n| graph[*n]).collect();
        // Point at the superiority pairs on the cycle.
        let mut d = Diagnostic::new(
            Code::SuperiorityCycle,
            format!(
                "the superiority pairs form a cycle: {} > {}",
                names.join(" > "),
                names[0]
            ),
        )
        .hint("superiority must be a strict order: remove one of the pairs");
        let mut first = true;
        for module in modules {
            for item in &module.items {
                if let Item::Superiority(s) = item {
                    if names.contains(&s.stronger.name.as_str())
                        && names.contains(&s.weaker.name.as_str())
                    {
                        d = if first {
                            d.at(s.span)
                        } else {
                            d.also(s.span, "on the cycle")
                        };
                        first = false;
                    }
                }
            }
        }
        out.push(d);
    });
}

/// The label's node in the superiority graph, added at its first pair.
fn node<'a>(graph: &mut DiGraph<&'a str, ()>, label: &'a str, labelled: &Labelled) -> NodeIndex {
    if let Some(node) = labelled.node.get() {
        return node;
    }
    let node = graph.add_node(label);
    labelled.node.set(Some(node));
    node
}
