//! Labels and superiority: `duplicate_label`, `unknown_label` (in `>`, `via` and `repeal`),
//! `superiority_cycle`, and the warning `useless_superiority`.

use std::cell::{Cell, OnceCell};
use std::collections::hash_map::Entry;

use rustc_hash::FxHashMap;

use super::names::nearest;
use super::{Census, Check};
use crate::diagnostic::{Code, Diagnostic};
use crate::graph::{components, Lists};
use crate::source::Span;
use crate::syntax::ast::{Ident, Item, Rule};

pub(super) struct Labels<'a> {
    labels: FxHashMap<&'a str, Labelled<'a>>,
    /// The labels to suggest instead of an unknown one; gathered at the first unknown label.
    known: OnceCell<Vec<&'a str>>,
    /// The superiority graph: the label of each node, numbered in the order the pairs name
    /// them (a cycle is listed from its first-named label), and an edge per pair.
    nodes: Vec<&'a str>,
    edges: Vec<(u32, u32)>,
    /// Each valid pair with its two nodes, for pointing at the pairs of a cycle.
    pairs: Vec<(u32, u32, Span)>,
    found: Vec<Diagnostic>,
}

/// The rule that first uses a label, and its node in the superiority graph once a pair names
/// it.
struct Labelled<'a> {
    rule: &'a Rule,
    node: Cell<Option<u32>>,
}

impl<'a> Labels<'a> {
    pub(super) fn new(census: &Census) -> Labels<'a> {
        let pairs = census.superiorities;
        Labels {
            labels: FxHashMap::with_capacity_and_hasher(census.labelled_rules, Default::default()),
            known: OnceCell::new(),
            nodes: Vec::with_capacity((2 * pairs).min(census.labelled_rules)),
            edges: Vec::with_capacity(pairs),
            pairs: Vec::with_capacity(pairs),
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
                let a = node(&mut self.nodes, &s.stronger.name, x);
                let b = node(&mut self.nodes, &s.weaker.name, y);
                self.edges.push((a, b));
                self.pairs.push((a, b, s.span));
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
        // Strongly connected components of the superiority graph, found without recursion (a
        // chain of a hundred thousand pairs is a path that deep).
        let n = self.nodes.len();
        let successors = Lists::from_pairs(n, &self.edges);
        let found = components(n, &successors);
        let mut component_of = vec![0u32; n];
        for c in 0..found.count() {
            for &v in found.of(c) {
                component_of[v as usize] = c as u32;
            }
        }
        // The pairs inside each component, in source order.
        let mut inside: FxHashMap<u32, Vec<Span>> = FxHashMap::default();
        for &(a, b, span) in &self.pairs {
            let c = component_of[a as usize];
            if c == component_of[b as usize] && found.len_of(c as usize) > 1 {
                inside.entry(c).or_default().push(span);
            }
        }
        for c in 0..found.count() {
            let Some(spans) = inside.get(&(c as u32)) else {
                continue;
            };
            let cycle = cycle_in(found.of(c), &component_of, &successors);
            let names: Vec<&str> = cycle.iter().map(|v| self.nodes[*v as usize]).collect();
            // Point at the superiority pairs on the cycle.
            let mut d = Diagnostic::new(
                Code::SuperiorityCycle,
                format!(
                    "the superiority pairs form a cycle: {} > {}",
                    names.join(" > "),
                    names[0]
                ),
            )
            .hint("superiority must be a strict order: remove one of the pairs")
            .at(spans[0]);
            for span in &spans[1..] {
                d = d.also(*span, "on the cycle");
            }
            out.push(d);
        }
    }
}

/// A cycle through the first-named node of a component (of two or more nodes): the shortest
/// path from it back to itself, by a breadth-first search inside the component.
fn cycle_in(members: &[u32], component_of: &[u32], successors: &Lists) -> Vec<u32> {
    let start = *members.iter().min().expect("a component has members");
    let component = component_of[start as usize];
    let mut previous: FxHashMap<u32, u32> = FxHashMap::default();
    let mut queue = std::collections::VecDeque::from([start]);
    let mut last = start;
    'search: while let Some(v) = queue.pop_front() {
        for &w in successors.of(v as usize) {
            if component_of[w as usize] != component {
                continue;
            }
            if w == start {
                if v == start {
                    // `a > a` is reported on its own; look for a cycle through others.
                    continue;
                }
                last = v;
                break 'search;
            }
            if let Entry::Vacant(e) = previous.entry(w) {
                e.insert(v);
                queue.push_back(w);
            }
        }
    }
    let mut path = vec![last];
    while let Some(&p) = previous.get(path.last().expect("not empty")) {
        path.push(p);
    }
    if path.last() != Some(&start) {
        path.push(start);
    }
    path.reverse();
    path
}

/// The label's node in the superiority graph, added at its first pair.
fn node<'a>(nodes: &mut Vec<&'a str>, label: &'a str, labelled: &Labelled) -> u32 {
    if let Some(node) = labelled.node.get() {
        return node;
    }
    nodes.push(label);
    let node = nodes.len() as u32 - 1;
    labelled.node.set(Some(node));
    node
}

#[cfg(test)]
mod tests {
    use super::super::{run_alone, Census};
    use super::Labels;
    use crate::diagnostic::{Code, Diagnostic};
    use crate::source::SourceMap;
    use crate::syntax::parse;

    fn cycles(text: &str) -> Vec<Diagnostic> {
        let mut sources = SourceMap::new();
        let file = sources.add("t.law", text);
        let (module, syntax) = parse(&sources, file);
        assert!(syntax.is_empty(), "{syntax:?}");
        let modules = [&module];
        run_alone(Labels::new(&Census::of(&modules)), &modules)
            .into_iter()
            .filter(|d| d.code == Code::SuperiorityCycle)
            .collect()
    }

    #[test]
    fn a_cycle_is_listed_along_its_pairs_and_every_pair_inside_is_shown() {
        // b > c > b and a > b > a: one component; the cycle named runs through `a`, the first
        // label a pair names; every pair of the component is pointed at.
        let found = cycles(
            "a: default p. b: default ~p. c: default p :- q. q.\n\
             a > b. b > c. c > b. b > a.\n",
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].message.ends_with("a cycle: a > b > a"),
            "{}",
            found[0].message
        );
        assert_eq!(found[0].secondary.len(), 3, "{found:?}");
    }

    #[test]
    fn a_long_chain_of_pairs_is_no_cycle_and_no_deep_recursion() {
        let n = 30_000;
        let mut text = String::from("q.\n");
        for i in 0..n {
            let sign = if i % 2 == 0 { "" } else { "~" };
            text.push_str(&format!("a{i}: default {sign}p :- q.\n"));
        }
        for i in 0..n - 1 {
            text.push_str(&format!("a{i} > a{}.\n", i + 1));
        }
        assert!(cycles(&text).is_empty());
        text.push_str(&format!("a{} > a0.\n", n - 1));
        let found = cycles(&text);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains("a0 > a1 > a2"),
            "{}",
            &found[0].message[..80]
        );
    }
}
