//! The explanation graph drawn as SVG, in-process: a layered (Sugiyama-style) layout. No
//! external program, no fonts or scripts fetched: the HTML report inlines the result.
//!
//! 1. Layers, goal on top: each node goes one layer below the lowest of the nodes it explains
//!    (longest path), and further down while its layer is full (a width bound), so that a
//!    literal with twenty alternatives fills several compact rows instead of one long one.
//! 2. Order within the layers: depth-first from the goal (the reasons of a node start out
//!    together), then barycentre sweeps down and up, keeping the order with fewest crossings.
//! 3. Places: each row packed, then pulled under the nodes it explains and pushed apart again.
//!
//! Node boxes take their width from their wrapped text. The `<svg>` has a `viewBox`, so a
//! page can scale it to its width; its `width` and `height` are the natural size.

use std::collections::HashMap;
use std::fmt::Write as _;

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use super::graph::{Edge, Explanation, Node};
use super::style;
use super::text::{caption_wrapped, edge_label, wrap};
use crate::escape::html as escape;

const CHAR_WIDTH: f64 = 6.2;
const LINE_HEIGHT: f64 = 14.0;
const PAD: f64 = 8.0;
const GAP_X: f64 = 22.0;
const GAP_Y: f64 = 56.0;
const MARGIN: f64 = 16.0;
/// Node text is wrapped at this many characters.
const WRAP: usize = 34;
/// A layer wider than this continues in a new layer below: about the width of the HTML
/// report's page, so that the graph shows there at its natural size.
const MAX_ROW_WIDTH: f64 = 1050.0;

/// A node placed on the canvas (top-left corner and size).
#[derive(Clone, Copy, Debug)]
struct Placed {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl Placed {
    fn centre_x(&self) -> f64 {
        self.x + self.w / 2.0
    }
}

/// Which end of an edge is drawn higher: a conclusion above its reasons, a rule above the
/// premise that fails it. `None`: no preference (a defeat between two rules).
fn upper_end(e: &petgraph::graph::EdgeReference<Edge>) -> Option<(NodeIndex, NodeIndex)> {
    match e.weight() {
        Edge::Supports | Edge::BlockedByNot | Edge::Attacks => Some((e.target(), e.source())),
        Edge::Discarded => Some((e.source(), e.target())),
        Edge::DefeatedBy { .. } => None,
    }
}

/// The "upper → lower" links without those that would close a cycle, and the nodes in a
/// depth-first order from the goal (reversed post-order: every node after the nodes above it).
fn acyclic(e: &Drawing) -> (HashMap<NodeIndex, Vec<NodeIndex>>, Vec<NodeIndex>) {
    let mut below: HashMap<NodeIndex, Vec<NodeIndex>> = HashMap::new();
    for edge in e.graph.edge_references() {
        if let Some((up, down)) = upper_end(&edge) {
            below.entry(up).or_default().push(down);
        }
    }
    for children in below.values_mut() {
        children.sort();
    }
    let mut order = Vec::new();
    let mut state: HashMap<NodeIndex, u8> = HashMap::new(); // 1: on stack, 2: done
    let mut kept: HashMap<NodeIndex, Vec<NodeIndex>> = HashMap::new();
    let mut roots = vec![e.root];
    roots.extend(e.graph.node_indices().filter(|n| *n != e.root));
    for start in roots {
        if state.contains_key(&start) {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        state.insert(start, 1);
        while let Some((n, i)) = stack.pop() {
            let children = below.get(&n).map(Vec::as_slice).unwrap_or(&[]);
            if let Some(&child) = children.get(i) {
                stack.push((n, i + 1));
                match state.get(&child) {
                    None => {
                        kept.entry(n).or_default().push(child);
                        state.insert(child, 1);
                        stack.push((child, 0));
                    }
                    Some(2) => kept.entry(n).or_default().push(child),
                    _ => {} // a back link: leave it out of the layering
                }
            } else {
                state.insert(n, 2);
                order.push(n);
            }
        }
    }
    order.reverse();
    (kept, order)
}

/// Layer of each node (step 1), and the nodes of each layer in a first order (step 2's
/// start). The longest path from the goal gives each node its earliest layer; nodes then take
/// their places layer by layer (in a depth-first preorder from the goal, so siblings sit
/// together), each in the first layer at or below its earliest, below every node it explains,
/// that still has room.
fn layers(e: &Drawing, width: &impl Fn(NodeIndex) -> f64) -> Vec<Vec<NodeIndex>> {
    let (kept, topological) = acyclic(e);
    let mut earliest: HashMap<NodeIndex, usize> = topological.iter().map(|n| (*n, 0)).collect();
    for n in &topological {
        let l = earliest[n];
        for child in kept.get(n).map(Vec::as_slice).unwrap_or(&[]) {
            let entry = earliest.get_mut(child).expect("every node is ordered");
            *entry = (*entry).max(l + 1);
        }
    }
    let mut preorder: Vec<NodeIndex> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut roots = vec![e.root];
    roots.extend(topological.iter().copied());
    for start in roots {
        let mut stack = vec![start];
        while let Some(n) = stack.pop() {
            if !seen.insert(n) {
                continue;
            }
            preorder.push(n);
            let children = kept.get(&n).map(Vec::as_slice).unwrap_or(&[]);
            stack.extend(children.iter().rev());
        }
    }
    let rank: HashMap<NodeIndex, usize> =
        preorder.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let mut queue = preorder.clone();
    queue.sort_by_key(|n| (earliest[n], rank[n]));
    let mut above: HashMap<NodeIndex, Vec<NodeIndex>> = HashMap::new();
    for (up, downs) in &kept {
        for down in downs {
            above.entry(*down).or_default().push(*up);
        }
    }
    // Nodes are taken in order of their earliest layer, and every node they explain has an
    // earlier one (or is the same node reached back), so it is placed already.
    let mut layer: HashMap<NodeIndex, usize> = HashMap::new();
    let mut rows: Vec<Vec<NodeIndex>> = Vec::new();
    let mut row_width: Vec<f64> = Vec::new();
    for n in queue {
        let below_parents = above
            .get(&n)
            .into_iter()
            .flatten()
            .filter_map(|u| layer.get(u))
            .map(|l| l + 1)
            .max()
            .unwrap_or(0);
        let mut l = earliest[&n].max(below_parents);
        // A full layer pushes the node down; the goal's layer stays its own.
        while l < rows.len()
            && !rows[l].is_empty()
            && (l == 0 || row_width[l] + width(n) > MAX_ROW_WIDTH)
        {
            l += 1;
        }
        if rows.len() <= l {
            rows.resize(l + 1, Vec::new());
            row_width.resize(l + 1, 0.0);
        }
        rows[l].push(n);
        row_width[l] += width(n) + GAP_X;
        layer.insert(n, l);
    }
    // Keep the preorder within each row.
    for row in &mut rows {
        row.sort_by_key(|n| rank[n]);
    }
    rows.retain(|r| !r.is_empty());
    rows
}

/// How many pairs of links between neighbouring layers cross.
fn crossings(rows: &[Vec<NodeIndex>], links: &[(NodeIndex, NodeIndex)]) -> usize {
    let mut place: HashMap<NodeIndex, (usize, usize)> = HashMap::new();
    for (l, row) in rows.iter().enumerate() {
        for (i, n) in row.iter().enumerate() {
            place.insert(*n, (l, i));
        }
    }
    let mut by_layer: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
    for (a, b) in links {
        let ((la, ia), (lb, ib)) = (place[a], place[b]);
        if la + 1 == lb {
            by_layer.entry(la).or_default().push((ia, ib));
        } else if lb + 1 == la {
            by_layer.entry(lb).or_default().push((ib, ia));
        }
    }
    let mut count = 0;
    for pairs in by_layer.values() {
        for (i, (a1, b1)) in pairs.iter().enumerate() {
            for (a2, b2) in &pairs[i + 1..] {
                if (a1 < a2 && b1 > b2) || (a1 > a2 && b1 < b2) {
                    count += 1;
                }
            }
        }
    }
    count
}

/// Step 2: barycentre sweeps, down then up, keeping the best order seen.
fn order_layers(e: &Drawing, mut rows: Vec<Vec<NodeIndex>>) -> Vec<Vec<NodeIndex>> {
    let links: Vec<(NodeIndex, NodeIndex)> = e
        .graph
        .edge_references()
        .map(|edge| (edge.source(), edge.target()))
        .collect();
    let mut neighbours: HashMap<NodeIndex, Vec<NodeIndex>> = HashMap::new();
    for (a, b) in &links {
        neighbours.entry(*a).or_default().push(*b);
        neighbours.entry(*b).or_default().push(*a);
    }
    let depth = rows.len();
    let mut best = (crossings(&rows, &links), rows.clone());
    for sweep in 0..8 {
        let downwards = sweep % 2 == 0;
        let range: Vec<usize> = if downwards {
            (1..depth).collect()
        } else {
            (0..depth.saturating_sub(1)).rev().collect()
        };
        for l in range {
            let reference = if downwards { l - 1 } else { l + 1 };
            let position: HashMap<NodeIndex, usize> = rows[reference]
                .iter()
                .enumerate()
                .map(|(i, n)| (*n, i))
                .collect();
            let mut keyed: Vec<(f64, usize, NodeIndex)> = rows[l]
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    let ps: Vec<f64> = neighbours
                        .get(n)
                        .into_iter()
                        .flatten()
                        .filter_map(|m| position.get(m).map(|p| *p as f64))
                        .collect();
                    // A node with no neighbour there keeps its place.
                    let key = if ps.is_empty() {
                        i as f64
                    } else {
                        ps.iter().sum::<f64>() / ps.len() as f64
                    };
                    (key, i, *n)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            rows[l] = keyed.into_iter().map(|(_, _, n)| n).collect();
        }
        let count = crossings(&rows, &links);
        if count < best.0 {
            best = (count, rows.clone());
        }
    }
    best.1
}

/// Step 3: x of each node's left edge. Rows start packed and centred; then, a few times, each
/// node moves towards the mean centre of its neighbours in the row above (going down) or below
/// (going up), and the row is pushed apart where boxes would overlap.
fn place_rows(
    e: &Drawing,
    rows: &[Vec<NodeIndex>],
    width: &impl Fn(NodeIndex) -> f64,
) -> HashMap<NodeIndex, f64> {
    let row_width = |row: &Vec<NodeIndex>| {
        row.iter().map(|n| width(*n)).sum::<f64>() + GAP_X * row.len().saturating_sub(1) as f64
    };
    let widest = rows.iter().map(row_width).fold(0.0, f64::max);
    let mut x: HashMap<NodeIndex, f64> = HashMap::new();
    for row in rows {
        let mut at = (widest - row_width(row)) / 2.0;
        for n in row {
            x.insert(*n, at);
            at += width(*n) + GAP_X;
        }
    }
    let mut neighbours: HashMap<NodeIndex, Vec<NodeIndex>> = HashMap::new();
    for edge in e.graph.edge_references() {
        neighbours
            .entry(edge.source())
            .or_default()
            .push(edge.target());
        neighbours
            .entry(edge.target())
            .or_default()
            .push(edge.source());
    }
    let layer_of: HashMap<NodeIndex, usize> = rows
        .iter()
        .enumerate()
        .flat_map(|(l, row)| row.iter().map(move |n| (*n, l)))
        .collect();
    for sweep in 0..4 {
        let downwards = sweep % 2 == 0;
        let order: Vec<usize> = if downwards {
            (1..rows.len()).collect()
        } else {
            (0..rows.len().saturating_sub(1)).rev().collect()
        };
        for l in order {
            let reference = if downwards { l - 1 } else { l + 1 };
            let row = &rows[l];
            let wanted: Vec<f64> = row
                .iter()
                .map(|n| {
                    let centres: Vec<f64> = neighbours
                        .get(n)
                        .into_iter()
                        .flatten()
                        .filter(|m| layer_of.get(*m) == Some(&reference))
                        .map(|m| x[m] + width(*m) / 2.0)
                        .collect();
                    if centres.is_empty() {
                        x[n]
                    } else {
                        centres.iter().sum::<f64>() / centres.len() as f64 - width(*n) / 2.0
                    }
                })
                .collect();
            // Left to right, no overlap; then the row as a whole moved back by its mean
            // push, so it stays centred on where its nodes want to be instead of drifting.
            let mut placed = wanted.clone();
            for i in 1..row.len() {
                let min = placed[i - 1] + width(row[i - 1]) + GAP_X;
                placed[i] = placed[i].max(min);
            }
            let push = placed.iter().zip(&wanted).map(|(p, w)| p - w).sum::<f64>()
                / row.len().max(1) as f64;
            for p in &mut placed {
                *p -= push;
            }
            // Within the page: from the left edge, then back from the right one.
            let bound = widest.max(MAX_ROW_WIDTH);
            let mut min = 0.0;
            for (i, p) in placed.iter_mut().enumerate() {
                *p = p.max(min);
                min = *p + width(row[i]) + GAP_X;
            }
            let mut max = bound;
            for i in (0..row.len()).rev() {
                placed[i] = placed[i].min(max - width(row[i]));
                max = placed[i] - GAP_X;
            }
            for (n, px) in row.iter().zip(placed) {
                x.insert(*n, px);
            }
        }
    }
    // Shift everything so the leftmost box starts at the margin.
    let left = x.values().copied().fold(f64::INFINITY, f64::min);
    for v in x.values_mut() {
        *v += MARGIN - left;
    }
    x
}

/// The graph being drawn and its root (the decisive path, or the full graph).
struct Drawing<'a> {
    graph: &'a DiGraph<Node, Edge>,
    root: NodeIndex,
}

/// The explanation graph as an SVG drawing (layered, laid out here).
pub fn render(explanation: &Explanation) -> String {
    let (graph, root) = explanation.drawn();
    let lang = explanation.lang;
    let e = &Drawing { graph, root };
    // Captions wrapped to the node width; the box takes its size from them.
    let captions: HashMap<NodeIndex, Vec<String>> = e
        .graph
        .node_indices()
        .map(|n| {
            let lines = caption_wrapped(&e.graph[n], lang, WRAP)
                .iter()
                .flat_map(|line| wrap(line, WRAP))
                .collect();
            (n, lines)
        })
        .collect();
    let size = |n: NodeIndex| {
        let lines = &captions[&n];
        let longest = lines.iter().map(|l| l.chars().count()).max().unwrap_or(1);
        (
            longest as f64 * CHAR_WIDTH + 2.0 * PAD,
            lines.len() as f64 * LINE_HEIGHT + 2.0 * PAD - 4.0,
        )
    };
    let width = |n: NodeIndex| size(n).0;
    let rows = order_layers(e, layers(e, &width));
    let xs = place_rows(e, &rows, &width);
    let mut placed: HashMap<NodeIndex, Placed> = HashMap::new();
    // Room above the first layer for an arc between two of its nodes.
    let mut y = MARGIN + GAP_Y * 0.45;
    for row in &rows {
        let row_h = row.iter().map(|n| size(*n).1).fold(0.0, f64::max);
        for n in row {
            let (w, h) = size(*n);
            placed.insert(
                *n,
                Placed {
                    x: xs[n],
                    y: y + (row_h - h) / 2.0,
                    w,
                    h,
                },
            );
        }
        y += row_h + GAP_Y;
    }
    let canvas_w = placed.values().map(|p| p.x + p.w).fold(0.0, f64::max) + MARGIN;
    let canvas_h = y - GAP_Y + MARGIN;

    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="explanation-graph" width="{canvas_w:.0}" height="{canvas_h:.0}" viewBox="0 0 {canvas_w:.0} {canvas_h:.0}" font-family="Helvetica, Arial, sans-serif" font-size="11" role="img">"#
    );
    out.push_str("<defs>\n");
    let mut colours: Vec<&str> = e
        .graph
        .edge_references()
        .map(|edge| style::edge_style(edge.weight()).0)
        .collect();
    colours.sort();
    colours.dedup();
    for colour in &colours {
        let _ = writeln!(
            out,
            r#"<marker id="arrow-{}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="{colour}"/></marker>"#,
            &colour[1..]
        );
    }
    out.push_str("</defs>\n");
    for edge in e.graph.edge_references() {
        let (a, b) = (placed[&edge.source()], placed[&edge.target()]);
        let (colour, dashed) = style::edge_style(edge.weight());
        let dash = if dashed {
            r#" stroke-dasharray="5 4""#
        } else {
            ""
        };
        // Between layers: a vertical S-curve. Within a layer (a defeat between two rules):
        // an arc over the top of both, so the line and its label stay clear of the boxes.
        let (path, label_x, label_y) = if b.y + b.h <= a.y || a.y + a.h <= b.y {
            let (x1, y1, x2, y2) = if b.y + b.h <= a.y {
                (a.centre_x(), a.y, b.centre_x(), b.y + b.h)
            } else {
                (a.centre_x(), a.y + a.h, b.centre_x(), b.y)
            };
            let my = (y1 + y2) / 2.0;
            (
                format!("M {x1:.1} {y1:.1} C {x1:.1} {my:.1}, {x2:.1} {my:.1}, {x2:.1} {y2:.1}"),
                (x1 + x2) / 2.0,
                my + 3.0,
            )
        } else {
            let (x1, y1, x2, y2) = (a.centre_x(), a.y, b.centre_x(), b.y);
            let top = y1.min(y2) - GAP_Y * 0.45;
            (
                format!("M {x1:.1} {y1:.1} C {x1:.1} {top:.1}, {x2:.1} {top:.1}, {x2:.1} {y2:.1}"),
                (x1 + x2) / 2.0,
                top + GAP_Y * 0.1,
            )
        };
        let _ = writeln!(
            out,
            r#"<path d="{path}" fill="none" stroke="{colour}" stroke-width="1.3"{dash} marker-end="url(#arrow-{})"/>"#,
            &colour[1..]
        );
        // Only links that say more than their colour and direction are labelled.
        let Some(label) = edge_label(edge.weight(), lang) else {
            continue;
        };
        let _ = writeln!(
            out,
            r##"<text x="{label_x:.1}" y="{label_y:.1}" text-anchor="middle" font-size="9" fill="{colour}" stroke="#ffffff" stroke-width="3" paint-order="stroke">{}</text>"##,
            escape(&label)
        );
    }
    for n in e.graph.node_indices() {
        let p = placed[&n];
        let node = &e.graph[n];
        let (fill, border, dashed) = style::node_colours(node);
        let rx = if style::is_rule(node) { 2 } else { 9 };
        let dash = if dashed {
            r#" stroke-dasharray="4 3""#
        } else {
            ""
        };
        let width = if n == e.root || style::node_look(node).class == "bill" {
            2.5
        } else {
            1.2
        };
        let _ = writeln!(
            out,
            r#"<g class="node" id="node-{}"><rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="{rx}" fill="{fill}" stroke="{border}" stroke-width="{width}"{dash}/>"#,
            n.index(),
            p.x,
            p.y,
            p.w,
            p.h
        );
        for (i, line) in captions[&n].iter().enumerate() {
            let weight = if i == 0 { r#" font-weight="bold""# } else { "" };
            let _ = writeln!(
                out,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="middle"{weight}>{}</text>"#,
                p.centre_x(),
                p.y + PAD + 7.0 + i as f64 * LINE_HEIGHT,
                escape(line)
            );
        }
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n");
    out
}
