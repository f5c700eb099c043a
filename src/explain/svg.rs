//! The explanation graph drawn as SVG, in-process: a layered (Sugiyama-style) layout with
//! longest-path layering from the goal down and barycentre ordering within the layers. No
//! external program, no fonts or scripts fetched: the HTML report inlines the result.

use std::collections::HashMap;
use std::fmt::Write as _;

use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;

use super::graph::{Edge, Explanation};
use super::style;
use super::text::{caption, edge_label};

const CHAR_WIDTH: f64 = 6.4;
const LINE_HEIGHT: f64 = 14.0;
const PAD: f64 = 8.0;
const GAP_X: f64 = 28.0;
const GAP_Y: f64 = 64.0;
const MARGIN: f64 = 16.0;

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

/// Layer of each node: the longest path from the goal along "upper → lower" links, with
/// links that would close a cycle left out.
fn layers(e: &Explanation) -> HashMap<NodeIndex, usize> {
    let mut below: HashMap<NodeIndex, Vec<NodeIndex>> = HashMap::new();
    for edge in e.graph.edge_references() {
        if let Some((up, down)) = upper_end(&edge) {
            below.entry(up).or_default().push(down);
        }
    }
    // Depth-first from the goal: the post-order, reversed, is a topological order of the
    // links that are not back links.
    let mut order = Vec::new();
    let mut state: HashMap<NodeIndex, u8> = HashMap::new(); // 1: on stack, 2: done
    let mut kept: Vec<(NodeIndex, NodeIndex)> = Vec::new();
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
                        kept.push((n, child));
                        state.insert(child, 1);
                        stack.push((child, 0));
                    }
                    Some(2) => kept.push((n, child)),
                    _ => {} // a back link: leave it out of the layering
                }
            } else {
                state.insert(n, 2);
                order.push(n);
            }
        }
    }
    order.reverse();
    let mut layer: HashMap<NodeIndex, usize> = order.iter().map(|n| (*n, 0)).collect();
    let mut kept_from: HashMap<NodeIndex, Vec<NodeIndex>> = HashMap::new();
    for (up, down) in kept {
        kept_from.entry(up).or_default().push(down);
    }
    for n in &order {
        let l = layer[n];
        for child in kept_from.get(n).map(Vec::as_slice).unwrap_or(&[]) {
            let entry = layer.get_mut(child).expect("every node is ordered");
            *entry = (*entry).max(l + 1);
        }
    }
    layer
}

/// Order the nodes of each layer by the mean position of their neighbours in the adjacent
/// layer, sweeping down and up a few times.
fn order_layers(e: &Explanation, layer: &HashMap<NodeIndex, usize>) -> Vec<Vec<NodeIndex>> {
    let depth = layer.values().copied().max().unwrap_or(0) + 1;
    let mut rows: Vec<Vec<NodeIndex>> = vec![Vec::new(); depth];
    for n in e.graph.node_indices() {
        rows[layer[&n]].push(n);
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
    for sweep in 0..6 {
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
    }
    rows
}

pub fn render(e: &Explanation) -> String {
    let layer = layers(e);
    let rows = order_layers(e, &layer);
    let captions: HashMap<NodeIndex, Vec<String>> = e
        .graph
        .node_indices()
        .map(|n| (n, caption(&e.graph[n], e.lang)))
        .collect();
    let size = |n: NodeIndex| {
        let lines = &captions[&n];
        let longest = lines.iter().map(|l| l.chars().count()).max().unwrap_or(1);
        (
            longest as f64 * CHAR_WIDTH + 2.0 * PAD,
            lines.len() as f64 * LINE_HEIGHT + 2.0 * PAD - 4.0,
        )
    };
    let widths: Vec<f64> = rows
        .iter()
        .map(|row| {
            row.iter().map(|n| size(*n).0).sum::<f64>() + GAP_X * row.len().saturating_sub(1) as f64
        })
        .collect();
    let canvas_w = widths.iter().copied().fold(0.0, f64::max) + 2.0 * MARGIN;
    let mut placed: HashMap<NodeIndex, Placed> = HashMap::new();
    // Room above the first layer for an arc between two of its nodes.
    let mut y = MARGIN + GAP_Y * 0.45;
    for (row, width) in rows.iter().zip(&widths) {
        let mut x = (canvas_w - width) / 2.0;
        let row_h = row.iter().map(|n| size(*n).1).fold(0.0, f64::max);
        for n in row {
            let (w, h) = size(*n);
            placed.insert(
                *n,
                Placed {
                    x,
                    y: y + (row_h - h) / 2.0,
                    w,
                    h,
                },
            );
            x += w + GAP_X;
        }
        y += row_h + GAP_Y;
    }
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
        let label = edge_label(edge.weight(), e.lang);
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
        let width = if n == e.root { 2.5 } else { 1.2 };
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

/// Text safe in XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
