//! Strongly connected components of a graph given as successor lists (Tarjan's algorithm,
//! without recursion: a ground theory's dependency chains can be a hundred thousand long).

use super::Lists;

/// The components of the graph on nodes `0..n` whose edges are `successors.of(v)`, ordered so
/// that every edge leads from a component to itself or to a later one: for dependency edges
/// (from what a node depends on, to the node), dependencies first.
pub fn components(n: usize, successors: &Lists) -> Lists {
    let mut t = Tarjan {
        index: vec![UNSEEN; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        path: Vec::new(),
        next: 0,
    };
    // Tarjan completes components sinks first; collected in that order, reversed at the end.
    let mut members: Vec<u32> = Vec::with_capacity(n);
    let mut sizes: Vec<usize> = Vec::new();
    for root in 0..n {
        if t.index[root] != UNSEEN {
            continue;
        }
        t.visit(root as u32);
        while let Some(&mut (v, ref mut tried)) = t.path.last_mut() {
            let v = v as usize;
            if let Some(&w) = successors.of(v).get(*tried) {
                *tried += 1;
                let w = w as usize;
                if t.index[w] == UNSEEN {
                    t.visit(w as u32);
                } else if t.on_stack[w] {
                    t.low[v] = t.low[v].min(t.index[w]);
                }
                continue;
            }
            t.path.pop();
            if let Some(&(parent, _)) = t.path.last() {
                t.low[parent as usize] = t.low[parent as usize].min(t.low[v]);
            }
            if t.low[v] == t.index[v] {
                let start = members.len();
                loop {
                    let w = t
                        .stack
                        .pop()
                        .expect("the component's nodes are on the stack");
                    t.on_stack[w as usize] = false;
                    members.push(w);
                    if w as usize == v {
                        break;
                    }
                }
                sizes.push(members.len() - start);
            }
        }
    }
    // Reverse the order of the components, keeping each one's members together.
    let mut ordered = Vec::with_capacity(members.len());
    let mut end = members.len();
    for &size in sizes.iter().rev() {
        ordered.extend_from_slice(&members[end - size..end]);
        end -= size;
    }
    sizes.reverse();
    Lists::from_lengths(sizes.into_iter(), ordered)
}

const UNSEEN: u32 = u32::MAX;

/// The state of the search.
struct Tarjan {
    /// The order in which each node was first reached (`UNSEEN` before), and the lowest such
    /// number reachable from it through the nodes still on the stack.
    index: Vec<u32>,
    low: Vec<u32>,
    on_stack: Vec<bool>,
    stack: Vec<u32>,
    /// The depth-first path: each node with how many of its successors it has tried.
    path: Vec<(u32, usize)>,
    next: u32,
}

impl Tarjan {
    fn visit(&mut self, v: u32) {
        self.index[v as usize] = self.next;
        self.low[v as usize] = self.next;
        self.next += 1;
        self.stack.push(v);
        self.on_stack[v as usize] = true;
        self.path.push((v, 0));
    }
}

#[cfg(test)]
mod tests {
    use super::components;
    use crate::graph::Lists;

    fn sorted(mut v: Vec<u32>) -> Vec<u32> {
        v.sort();
        v
    }

    #[test]
    fn cycles_are_one_component_and_dependencies_come_first() {
        // 0 -> 1 -> 2 -> 1, 2 -> 3, 4 alone.
        let edges = Lists::from_pairs(5, &[(0, 1), (1, 2), (2, 1), (2, 3)]);
        let c = components(5, &edges);
        let all: Vec<Vec<u32>> = (0..c.count()).map(|i| sorted(c.of(i).to_vec())).collect();
        assert_eq!(all.len(), 4, "{all:?}");
        let at = |node: u32| all.iter().position(|m| m.contains(&node)).unwrap();
        assert_eq!(all[at(1)], [1, 2]);
        assert!(at(0) < at(1) && at(1) < at(3), "{all:?}");
        assert_eq!(all[at(4)], [4]);
    }

    #[test]
    fn a_long_chain_needs_no_deep_recursion() {
        let n = 200_000;
        let pairs: Vec<(u32, u32)> = (0..n - 1).map(|i| (i, i + 1)).collect();
        let c = components(n as usize, &Lists::from_pairs(n as usize, &pairs));
        assert_eq!(c.count(), n as usize);
        assert_eq!(c.of(0), [0]);
        assert_eq!(c.of(n as usize - 1), [n - 1]);
    }
}
