//! The explanation as Graphviz DOT. Conclusions are drawn on top, premises below
//! (`rankdir=BT`, since edges run from premise to conclusion). Every label is a quoted DOT
//! string, so case text cannot break out of it.

use std::fmt::Write as _;

use petgraph::visit::EdgeRef;

use super::graph::Explanation;
use super::style;
use super::text::{caption, edge_label, question};
use crate::escape::dot as quote;

pub fn render(e: &Explanation) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph explanation {{");
    let _ = writeln!(out, "  label={};", quote(&question(e)));
    let _ = writeln!(out, "  labelloc=t;");
    let _ = writeln!(out, "  rankdir=BT;");
    let _ = writeln!(
        out,
        "  node [fontname=\"Helvetica\", fontsize=10, shape=box, style=\"rounded,filled\"];"
    );
    let _ = writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=9];");
    for n in e.graph.node_indices() {
        let node = &e.graph[n];
        let (fill, border, dashed) = style::node_colours(node);
        let mut styles = vec!["filled"];
        if !style::is_rule(node) {
            styles.push("rounded");
        }
        if dashed {
            styles.push("dashed");
        }
        if n == e.root {
            styles.push("bold");
        }
        let _ = writeln!(
            out,
            "  n{} [label={}, fillcolor=\"{fill}\", color=\"{border}\", style=\"{}\"];",
            n.index(),
            quote(&caption(node, e.lang).join("\n")),
            styles.join(",")
        );
    }
    for edge in e.graph.edge_references() {
        let (colour, dashed) = style::edge_style(edge.weight());
        let _ = writeln!(
            out,
            "  n{} -> n{} [label={}, color=\"{colour}\", fontcolor=\"{colour}\"{}];",
            edge.source().index(),
            edge.target().index(),
            quote(&edge_label(edge.weight(), e.lang)),
            if dashed { ", style=dashed" } else { "" }
        );
    }
    out.push_str("}\n");
    out
}
