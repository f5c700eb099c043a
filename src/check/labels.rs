//! Labels and superiority: `duplicate_label`, `unknown_label` (in `>`, `via` and `repeal`),
//! `superiority_cycle`, and the warning `useless_superiority`.

use std::cell::{Cell, OnceCell};
use std::collections::hash_map::Entry;

use petgraph::algo::TarjanScc;
use petgraph::graph::{DiGraph, NodeIndex};
use rustc_hash::FxHashMap;

use super::names::nearest;
use super::{Census, Check};
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::{Ident, Item, Module, Rule};

pub(super) struct Labels<'a> {
    modules: &'a [&'a Module],
    labels: FxHashMap<&'a str, Labelled<'a>>,
    /// The labels to suggest instead of an unknown one; gathered at the first unknown label.
    known: OnceCell<Vec<&'a str>>,
    /// The superiority graph; each node is weighted with its label. Nodes are numbered in the
    /// order the pairs name them (which decides how a cycle is listed).
    graph: DiGraph<&'a str, ()>,
    found: Vec<Diagnostic>,
}

/// The rule that first uses a label, and its node in the superiority graph once a pair names
/// it.
struct Labelled<'a> {
    rule: &'a Rule,
    node: Cell<Option<NodeIndex>>,
}

impl<'a> Labels<'a> {
    pub(super) fn new(modules: &'a [&'a Module], census: &Census) -> Labels<'a> {
        let pairs = census.superiorities;
        Labels {
            modules,
            labels: FxHashMap::with_capacity_and_hasher(census.labelled_rules, Default::default()),
            known: OnceCell::new(),
            graph: DiGraph::with_capacity((2 * pairs).min(census.labelled_rules), pairs),
            found: Vec::new(),
        }
    }

    fn unknown(&self, ident: &Ident, what: &str) -> Diagnostic {
        let d = Diagnostic::new(
            Code::UnknownLabel,
            format!("{what} `{}`, but no rule has that label", ident.name),
        )
        .at(ident.span);
        let known = self
            .known
            .get_or_init(|| self.labels.keys().copied().collect());
        match nearest(&ident.name, known) {
            Some(near) => d.hint(format!("did you mean `{near}`?")),
            None => d.hint("a label is written before a rule: `label: head :- body.`"),
        }
    }
}

impl<'a> Check<'a> for Labels<'a> {
    fn declare(&mut self, item: &'a Item) {
        let Item::Rule(rule) = item else { return };
        let Some(label) = &rule.label else { return };
        match self.labels.entry(label.name.as_str()) {
            Entry::Occupied(first) => self.found.push(
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

    fn visit(&mut self, item: &'a Item) {
        match item {
            Item::Superiority(s) => {
                let stronger = self.labels.get(s.stronger.name.as_str());
                let weaker = self.labels.get(s.weaker.name.as_str());
                let (Some(x), Some(y)) = (stronger, weaker) else {
                    for (ident, found) in [(&s.stronger, stronger), (&s.weaker, weaker)] {
                        if found.is_none() {
                            let d = self.unknown(ident, "the superiority pair names");
                            self.found.push(d);
                        }
                    }
                    return;
                };
                let a = node(&mut self.graph, &s.stronger.name, x);
                let b = node(&mut self.graph, &s.weaker.name, y);
                self.graph.add_edge(a, b, ());
                if a == b {
                    self.found.push(
                        Diagnostic::new(
                            Code::SuperiorityCycle,
                            format!("`{0} > {0}`: a rule cannot beat itself", s.stronger.name),
                        )
                        .at(s.span),
                    );
                    return;
                }
                let (x, y) = (x.rule, y.rule);
                let complementary = x.head.atom.pred.name == y.head.atom.pred.name
                    && x.head.negated != y.head.negated;
                if !complementary {
                    self.found.push(
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
                    if !self.labels.contains_key(via.name.as_str()) {
                        let d = self.unknown(via, "the expectation goes `via`");
                        self.found.push(d);
                    }
                }
            }
            Item::Repeal(r) if !self.labels.contains_key(r.label.name.as_str()) => {
                let d = self.unknown(&r.label, "the bill repeals");
                self.found.push(d);
            }
            _ => {}
        }
    }

    fn finish(self, out: &mut Vec<Diagnostic>) {
        out.extend(self.found);
        let graph = &self.graph;
        // Components one at a time (collecting them all would allocate one per label).
        TarjanScc::new().run(graph, |component| {
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
            for module in self.modules {
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
