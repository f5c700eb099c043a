//! The explanation as Graphviz DOT. Conclusions are drawn on top, premises below
//! (`rankdir=BT`, since edges run from premise to conclusion). Every label is a quoted DOT
//! string, so case text cannot break out of it. By default the decisive path is drawn, in
//! narrow boxes, at most a page wide; `--graph full` draws every node.

use std::fmt::Write as _;

use petgraph::visit::EdgeRef;

use super::graph::{Drawn, Explanation};
use super::style;
use super::text::{caption, edge_label, question};
use crate::escape::dot as quote;

/// The widest drawing of the decisive path: 16 inches, 1,536 pixels at Graphviz's 96 dpi.
/// Graphviz scales a larger drawing down to it.
const PAGE: &str = "16,1000";

/// The explanation as a Graphviz DOT graph.
pub fn render(e: &Explanation) -> String {
    let (graph, root) = e.drawn();
    let mut out = String::new();
    let _ = writeln!(out, "digraph explanation {{");
    let _ = writeln!(out, "  label={};", quote(&question(e)));
    let _ = writeln!(out, "  labelloc=t;");
    let _ = writeln!(out, "  rankdir=BT;");
    let _ = writeln!(out, "  nodesep=0.15;");
    let _ = writeln!(out, "  ranksep=0.35;");
    if e.view.graph == Drawn::Decisive {
        let _ = writeln!(out, "  size=\"{PAGE}\";");
    }
    let _ = writeln!(
        out,
        "  node [fontname=\"Helvetica\", fontsize=10, shape=box, style=\"rounded,filled\", margin=\"0.08,0.04\"];"
    );
    let _ = writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=9];");
    for n in graph.node_indices() {
        let node = &graph[n];
        let (fill, border, dashed) = style::node_colours(node);
        let mut styles = vec!["filled"];
        if !style::is_rule(node) {
            styles.push("rounded");
        }
        if dashed {
            styles.push("dashed");
        }
        if n == root || style::node_look(node).class == "bill" {
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
    for edge in graph.edge_references() {
        let (colour, dashed) = style::edge_style(edge.weight());
        let label = edge_label(edge.weight(), e.lang)
            .map(|l| format!("label={}, fontcolor=\"{colour}\", ", quote(&l)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  n{} -> n{} [{label}color=\"{colour}\"{}];",
            edge.source().index(),
            edge.target().index(),
            if dashed { ", style=dashed" } else { "" }
        );
    }
    out.push_str("}\n");
    out
}
