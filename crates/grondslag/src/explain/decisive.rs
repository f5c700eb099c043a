//! The decisive path: the part of an explanation graph that decides the verdict, small enough
//! for a page. What the conclusion (or its opposite) rests on down to the facts, the rules
//! that lost with the rule that beat them; for an undetermined conclusion, its nearest rules
//! and the conditions they miss. Rules that did not apply elsewhere, exceptions that might
//! have applied, facts the law itself states are left to the full graph. A rule without a
//! label that only passes a premise on is drawn as the link it is.

use std::collections::{HashMap, HashSet, VecDeque};

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction::{Incoming, Outgoing};

use super::graph::{Edge, Node, Outcome};
use super::memo::Verdict;

/// At most this many nodes are drawn by default.
pub const MAX_NODES: usize = 25;

/// The decisive subgraph of `graph` (rooted at `root`), and its root. `law_fact` says which
/// facts the law itself states (left out).
pub fn extract(
    graph: &DiGraph<Node, Edge>,
    root: NodeIndex,
    verdict: Verdict,
    law_fact: &dyn Fn(&Node) -> bool,
) -> (DiGraph<Node, Edge>, NodeIndex) {
    let mut keep: HashSet<NodeIndex> = HashSet::new();
    keep.insert(root);
    match verdict {
        Verdict::Holds | Verdict::Fails => {
            // What holds, down to the facts: the applied rules and their premises; the rules
            // that lost, with the rule that beat them.
            let mut todo = vec![root];
            while let Some(n) = todo.pop() {
                for edge in graph.edges_directed(n, Incoming) {
                    let other = edge.source();
                    let follow = match (edge.weight(), &graph[other]) {
                        (Edge::Supports, Node::Rule(app)) => app.applies(),
                        (Edge::Supports, _) => true,
                        (Edge::Attacks, Node::Rule(app)) => app.applies(),
                        (Edge::Attacks, Node::Literal { status, .. }) => {
                            status.is_some_and(crate::model::Status::is_provable)
                        }
                        (Edge::BlockedByNot, _) => false,
                        _ => false,
                    };
                    if follow && !law_fact(&graph[other]) && keep.insert(other) {
                        todo.push(other);
                    }
                }
                for edge in graph.edges_directed(n, Outgoing) {
                    if let Edge::DefeatedBy { .. } = edge.weight() {
                        if keep.insert(edge.target()) {
                            todo.push(edge.target());
                        }
                    }
                }
            }
        }
        Verdict::Undetermined => {
            // The nearest rules for it and what they miss, two levels down.
            let mut level = vec![root];
            for _ in 0..2 {
                let mut next = Vec::new();
                for n in level {
                    let rules: Vec<NodeIndex> = graph
                        .edges_directed(n, Incoming)
                        .filter(|e| *e.weight() == Edge::Supports)
                        .map(|e| e.source())
                        .filter(
                            |r| matches!(&graph[*r], Node::Rule(app) if app.inapplicable.is_none()),
                        )
                        .collect();
                    let nearest = rules
                        .iter()
                        .filter_map(|r| match &graph[*r] {
                            Node::Rule(app) => Some(app.obstacles()),
                            _ => None,
                        })
                        .min();
                    for r in rules {
                        let near = matches!(&graph[r], Node::Rule(app) if Some(app.obstacles()) == nearest);
                        if near && keep.insert(r) {
                            for e in graph.edges_directed(r, Outgoing) {
                                if *e.weight() == Edge::Discarded && keep.insert(e.target()) {
                                    next.push(e.target());
                                }
                            }
                            for e in graph.edges_directed(r, Incoming) {
                                if *e.weight() == Edge::BlockedByNot {
                                    keep.insert(e.source());
                                }
                            }
                        }
                    }
                }
                level = next;
            }
            // Rules for both sides that applied and left it open.
            for e in graph.edges_directed(root, Incoming) {
                if let Node::Rule(app) = &graph[e.source()] {
                    if app.applies() {
                        keep.insert(e.source());
                    }
                }
            }
        }
    }
    let (sub, root) = contracted(graph, root, &keep);
    nearest(&sub, root, MAX_NODES)
}

/// A rule without a label that applied and concludes one literal only passes its premises
/// on: drawn as the link it is.
fn passing(graph: &DiGraph<Node, Edge>, n: NodeIndex, keep: &HashSet<NodeIndex>) -> bool {
    let Node::Rule(app) = &graph[n] else {
        return false;
    };
    let mut out = graph
        .edges_directed(n, Outgoing)
        .filter(|e| keep.contains(&e.target()));
    app.label.is_none()
        && app.outcome == Outcome::Applied
        && out.next().is_some_and(|e| *e.weight() == Edge::Supports)
        && out.next().is_none()
}

/// The nodes kept and the edges between them, each passing rule replaced by links from its
/// premises to its conclusion. One pass over the edges: the work follows the graph's size.
fn contracted(
    graph: &DiGraph<Node, Edge>,
    root: NodeIndex,
    keep: &HashSet<NodeIndex>,
) -> (DiGraph<Node, Edge>, NodeIndex) {
    let passes: HashSet<NodeIndex> = keep
        .iter()
        .copied()
        .filter(|n| *n != root && passing(graph, *n, keep))
        .collect();
    let mut sub = DiGraph::new();
    let mut map = HashMap::new();
    for n in graph.node_indices() {
        if keep.contains(&n) && !passes.contains(&n) {
            map.insert(n, sub.add_node(graph[n].clone()));
        }
    }
    let mut linked = HashSet::new();
    for e in graph.edge_references() {
        let (from, to) = (e.source(), e.target());
        if !keep.contains(&from) || !keep.contains(&to) || passes.contains(&from) {
            continue;
        }
        // An edge into a passing rule goes on to the rule's conclusion.
        let to = match passes.contains(&to) {
            true => match graph
                .edges_directed(to, Outgoing)
                .find(|o| keep.contains(&o.target()))
            {
                Some(o) => o.target(),
                None => continue,
            },
            false => to,
        };
        let (Some(a), Some(b)) = (map.get(&from), map.get(&to)) else {
            continue;
        };
        if a != b && linked.insert((*a, *b)) {
            sub.add_edge(*a, *b, e.weight().clone());
        }
    }
    (sub, map[&root])
}

/// At most `max` nodes: those nearest the conclusion (over links in either direction),
/// rules and derived literals before the facts at the same distance. What is kept stays
/// connected: every node kept hangs from one nearer to the root.
fn nearest(
    graph: &DiGraph<Node, Edge>,
    root: NodeIndex,
    max: usize,
) -> (DiGraph<Node, Edge>, NodeIndex) {
    if graph.node_count() <= max {
        return (graph.clone(), root);
    }
    let distance = distances(graph, root);
    let mut order: Vec<NodeIndex> = distance.keys().copied().collect();
    order.sort_by_key(|n| {
        let leaf = matches!(
            graph[*n],
            Node::Literal { fact: true, .. } | Node::Condition { .. } | Node::Absent { .. }
        );
        (distance[n], leaf, n.index())
    });
    order.truncate(max);
    let keep: HashSet<NodeIndex> = order.into_iter().collect();
    let mut sub = DiGraph::new();
    let mut map = HashMap::new();
    for n in graph.node_indices().filter(|n| keep.contains(n)) {
        map.insert(n, sub.add_node(graph[n].clone()));
    }
    for e in graph.edge_references() {
        if let (Some(a), Some(b)) = (map.get(&e.source()), map.get(&e.target())) {
            sub.add_edge(*a, *b, e.weight().clone());
        }
    }
    (sub, map[&root])
}

/// How far each node is from the root, over links in either direction.
fn distances(graph: &DiGraph<Node, Edge>, root: NodeIndex) -> HashMap<NodeIndex, usize> {
    let mut out = HashMap::new();
    out.insert(root, 0);
    let mut todo = VecDeque::from([root]);
    while let Some(n) = todo.pop_front() {
        let d = out[&n];
        for m in graph.neighbors_undirected(n) {
            if let std::collections::hash_map::Entry::Vacant(e) = out.entry(m) {
                e.insert(d + 1);
                todo.push_back(m);
            }
        }
    }
    out
}
