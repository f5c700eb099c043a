//! Labels and superiority: `duplicate_label`, `unknown_label` (in `>`, `via` and `repeal`),
//! `superiority_cycle`, and the warning `useless_superiority`.

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use rustc_hash::FxHashMap;

use super::names::nearest;
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::{Ident, Item, Module, Rule};

pub fn check<'a>(modules: &[&'a Module], out: &mut Vec<Diagnostic>) {
    let mut rules: FxHashMap<&str, &Rule> = FxHashMap::default();
    for module in modules {
        for item in &module.items {
            let Item::Rule(rule) = item else { continue };
            let Some(label) = &rule.label else { continue };
            match rules.get(label.name.as_str()) {
                Some(first) => out.push(
                    Diagnostic::new(
                        Code::DuplicateLabel,
                        format!("the label `{}` is already used", label.name),
                    )
                    .at_labelled(label.span, "second use")
                    .also(
                        first.label.as_ref().expect("labelled").span,
                        "first used here",
                    )
                    .hint("labels are unique across everything loaded; rename one of the rules"),
                ),
                None => {
                    rules.insert(label.name.as_str(), rule);
                }
            }
        }
    }
    let known: Vec<&str> = rules.keys().copied().collect();
    let unknown = |ident: &Ident, what: &str| {
        let mut d = Diagnostic::new(
            Code::UnknownLabel,
            format!("{what} `{}`, but no rule has that label", ident.name),
        )
        .at(ident.span);
        d = match nearest(&ident.name, &known) {
            Some(near) => d.hint(format!("did you mean `{near}`?")),
            None => d.hint("a label is written before a rule: `label: head :- body.`"),
        };
        d
    };

    // The superiority graph; each node is weighted with its label.
    let mut graph: DiGraph<&'a str, ()> = DiGraph::new();
    let mut nodes: FxHashMap<&str, NodeIndex> = FxHashMap::default();
    let mut node = |g: &mut DiGraph<&'a str, ()>, name: &'a str| {
        *nodes.entry(name).or_insert_with(|| g.add_node(name))
    };
    for &module in modules {
        for item in &module.items {
            match item {
                Item::Superiority(s) => {
                    let mut ok = true;
                    for ident in [&s.stronger, &s.weaker] {
                        if !rules.contains_key(ident.name.as_str()) {
                            out.push(unknown(ident, "the superiority pair names"));
                            ok = false;
                        }
                    }
                    if !ok {
                        continue;
                    }
                    let (a, b) = (
                        node(&mut graph, &s.stronger.name),
                        node(&mut graph, &s.weaker.name),
                    );
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
                    let (x, y) = (
                        rules[s.stronger.name.as_str()],
                        rules[s.weaker.name.as_str()],
                    );
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
                        if !rules.contains_key(via.name.as_str()) {
                            out.push(unknown(via, "the expectation goes `via`"));
                        }
                    }
                }
                Item::Repeal(r) if !rules.contains_key(r.label.name.as_str()) => {
                    out.push(unknown(&r.label, "the bill repeals"));
                }
                _ => {}
            }
        }
    }
    for component in tarjan_scc(&graph) {
        if component.len() < 2 {
            continue;
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
    }
}
