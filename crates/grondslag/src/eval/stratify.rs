//! Strata from the predicate dependency graph (petgraph): relations in one strongly connected
//! component are evaluated together; components in topological order. Negation or aggregation
//! inside a component cannot be stratified: a `cyclic_negation` diagnostic names the cycle.

use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex};

use super::ir::{Goal, Program, RelId};
use crate::diagnostic::{Code, Diagnostic};

/// Relations grouped into strata, lowest first.
#[derive(Clone, Debug)]
pub struct Strata {
    /// The relations of each stratum, lowest first.
    pub strata: Vec<Vec<RelId>>,
}

impl Strata {
    /// The rules of each stratum (indices into `program.rules`, in program order): those whose
    /// head is one of its relations. One pass over the rules: testing every rule against
    /// every stratum would be quadratic when there are many strata.
    pub fn rules_by_stratum(&self, program: &Program) -> Vec<Vec<usize>> {
        let mut stratum_of = vec![usize::MAX; program.relations.len()];
        for (s, stratum) in self.strata.iter().enumerate() {
            for rel in stratum {
                stratum_of[rel.0 as usize] = s;
            }
        }
        let mut rules = vec![Vec::new(); self.strata.len()];
        for (i, rule) in program.rules.iter().enumerate() {
            match stratum_of.get(rule.head.0 as usize) {
                Some(&s) if s != usize::MAX => rules[s].push(i),
                _ => {}
            }
        }
        rules
    }
}

/// The relations the rules of each stratum read (`rules_of`: the rules of each stratum).
pub fn reads(program: &Program, rules_of: &[Vec<usize>]) -> Vec<Vec<RelId>> {
    let mut deps = Vec::new();
    rules_of
        .iter()
        .map(|rules| {
            deps.clear();
            for &i in rules {
                body_dependencies(&program.rules[i].body, false, &mut deps);
            }
            let mut read: Vec<RelId> = deps.iter().map(|(rel, _)| *rel).collect();
            read.sort_unstable();
            read.dedup();
            read
        })
        .collect()
}

/// Which strata the relations marked in `touched` reach (those a case adds facts to): a
/// stratum holding one, or whose rules read a relation of a stratum reached. The others
/// come out the same with or without the case.
pub fn reached(strata: &[Vec<RelId>], reads: &[Vec<RelId>], mut touched: Vec<bool>) -> Vec<bool> {
    strata
        .iter()
        .zip(reads)
        .map(|(stratum, reads)| {
            let hit = stratum
                .iter()
                .chain(reads)
                .any(|r| touched.get(r.0 as usize).copied().unwrap_or(false));
            if hit {
                for r in stratum {
                    if let Some(t) = touched.get_mut(r.0 as usize) {
                        *t = true;
                    }
                }
            }
            hit
        })
        .collect()
}

/// Stratify the program: its rules' heads depend on their bodies' relations; through `not` or
/// an aggregate, negatively.
pub fn stratify(program: &Program) -> Result<Strata, Vec<Diagnostic>> {
    let mut graph: DiGraph<RelId, (bool, usize)> = DiGraph::new();
    let nodes: Vec<NodeIndex> = (0..program.relations.len())
        .map(|i| graph.add_node(RelId(i as u32)))
        .collect();
    let mut deps = Vec::new();
    for (index, rule) in program.rules.iter().enumerate() {
        let head = nodes[rule.head.0 as usize];
        deps.clear();
        body_dependencies(&rule.body, false, &mut deps);
        for &(rel, negative) in &deps {
            graph.add_edge(nodes[rel.0 as usize], head, (negative, index));
        }
    }
    // `p` and `~p` attack each other, so the defeasible layer must decide them together:
    // each depends (positively) on the other.
    // (A table, not `find_relation` per relation: a grounded theory has a relation per rule.)
    let mut by_name: std::collections::HashMap<(&str, bool, usize), usize> =
        std::collections::HashMap::new();
    for (i, r) in program.relations.iter().enumerate() {
        by_name
            .entry((r.name.as_str(), r.negated, r.arity))
            .or_insert(i);
    }
    for (i, rel) in program.relations.iter().enumerate() {
        if let Some(&other) = by_name.get(&(rel.name.as_str(), !rel.negated, rel.arity)) {
            graph.add_edge(nodes[other], nodes[i], (false, usize::MAX));
        }
    }
    // Kosaraju's search is iterative: petgraph's Tarjan recurses once per node of a path, and
    // a chain of a hundred thousand predicates overflowed the stack.
    let mut components = kosaraju_scc(&graph);
    components.reverse();
    let mut component_of = vec![0usize; nodes.len()];
    for (c, members) in components.iter().enumerate() {
        for n in members {
            component_of[n.index()] = c;
        }
    }
    let mut diagnostics = Vec::new();
    let mut reported = Vec::new();
    for edge in graph.edge_indices() {
        let (from, to) = graph.edge_endpoints(edge).expect("edge");
        let (negative, rule_index) = graph[edge];
        if !negative || component_of[from.index()] != component_of[to.index()] {
            continue;
        }
        let c = component_of[from.index()];
        if reported.contains(&c) {
            continue;
        }
        reported.push(c);
        let cycle = cycle_through(&graph, to, from, &component_of);
        let names: Vec<String> = cycle
            .iter()
            .map(|n| format!("`{}`", program.rel(graph[*n]).display_name()))
            .collect();
        let rule = &program.rules[rule_index];
        let head = program.rel(graph[to]).display_name();
        let body = program.rel(graph[from]).display_name();
        diagnostics.push(
            Diagnostic::new(
                Code::CyclicNegation,
                format!(
                    "`{head}` depends on `not {body}` (or an aggregate over it), but `{body}` depends on `{head}` again: {}",
                    names.join(" → ")
                ),
            )
            .at_labelled(rule.origin.span, "negation through recursion")
            .hint("a relation may only be negated or aggregated once it is complete; break the cycle, or use `default` rules and superiority for exceptions"),
        );
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let strata = components
        .into_iter()
        .map(|members| members.into_iter().map(|n| graph[n]).collect())
        .collect();
    Ok(Strata { strata })
}

/// The relations a body reads, and whether negatively.
pub fn body_dependencies(goals: &[Goal], negative: bool, out: &mut Vec<(RelId, bool)>) {
    for goal in goals {
        match goal {
            Goal::Atom(a) => out.push((a.rel, negative)),
            Goal::Not(a) => out.push((a.rel, true)),
            Goal::Compare(..) => {}
            Goal::Aggregate(agg) => body_dependencies(&agg.body, true, out),
        }
    }
}

/// A path `start → … → end` inside one component, then back to `start` (for the message).
fn cycle_through(
    graph: &DiGraph<RelId, (bool, usize)>,
    start: NodeIndex,
    end: NodeIndex,
    component_of: &[usize],
) -> Vec<NodeIndex> {
    let c = component_of[start.index()];
    let mut previous: Vec<Option<NodeIndex>> = vec![None; graph.node_count()];
    let mut queue = std::collections::VecDeque::from([start]);
    let mut seen = vec![false; graph.node_count()];
    seen[start.index()] = true;
    while let Some(n) = queue.pop_front() {
        if n == end {
            break;
        }
        for m in graph.neighbors(n) {
            if component_of[m.index()] == c && !seen[m.index()] {
                seen[m.index()] = true;
                previous[m.index()] = Some(n);
                queue.push_back(m);
            }
        }
    }
    let mut path = vec![end];
    let mut n = end;
    while let Some(p) = previous[n.index()] {
        path.push(p);
        n = p;
    }
    path.reverse();
    if path.first() != Some(&start) {
        path.insert(0, start);
    }
    path.push(start);
    path
}
