//! The explanation as a Mermaid flowchart. Labels are quoted, and the characters Mermaid
//! would read as syntax (quotes, angle brackets, `#`, `&`, the `%%` of a directive) are
//! written as its entity codes ([`crate::escape::mermaid`]).

use std::fmt::Write as _;

use petgraph::visit::EdgeRef;

use super::graph::Explanation;
use super::style;
use super::text::{caption, edge_label};
use crate::escape::mermaid as escape;

pub fn render(e: &Explanation) -> String {
    let mut out = String::from("flowchart BT\n");
    for n in e.graph.node_indices() {
        let node = &e.graph[n];
        let label = caption(node, e.lang)
            .iter()
            .map(|l| escape(l))
            .collect::<Vec<_>>()
            .join("<br/>");
        let (open, close) = if style::is_rule(node) {
            ("[", "]")
        } else {
            ("(", ")")
        };
        let _ = writeln!(out, "  n{}{open}\"{label}\"{close}", n.index());
    }
    for (i, edge) in e.graph.edge_references().enumerate() {
        let (_, dashed) = style::edge_style(edge.weight());
        let arrow = if dashed { "-.->" } else { "-->" };
        let _ = writeln!(
            out,
            "  n{} {arrow}|\"{}\"| n{}",
            edge.source().index(),
            escape(&edge_label(edge.weight(), e.lang)),
            edge.target().index()
        );
        let (colour, _) = style::edge_style(edge.weight());
        let _ = writeln!(out, "  linkStyle {i} stroke:{colour}");
    }
    for n in e.graph.node_indices() {
        let (fill, border, dashed) = style::node_colours(&e.graph[n]);
        let dash = if dashed { ",stroke-dasharray:4 3" } else { "" };
        let width = if n == e.root { 3 } else { 1 };
        let _ = writeln!(
            out,
            "  style n{} fill:{fill},stroke:{border},stroke-width:{width}px{dash}",
            n.index()
        );
    }
    out
}
