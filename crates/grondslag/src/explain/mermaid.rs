//! The explanation as a Mermaid flowchart. Labels are quoted, and the characters Mermaid
//! would read as syntax (quotes, angle brackets, `#`, `&`, the `%%` of a directive) are
//! written as its entity codes ([`crate::escape::mermaid`]). Nodes take their look from
//! `classDef` classes; links of one colour share one `linkStyle`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use petgraph::visit::EdgeRef;

use super::graph::Explanation;
use super::style::{self, LOOKS};
use super::text::{caption, edge_label};
use crate::escape::mermaid as escape;

/// The explanation as a Mermaid flowchart.
pub fn render(e: &Explanation) -> String {
    let (graph, root) = e.drawn();
    let mut out = String::from("flowchart BT\n");
    for look in LOOKS {
        let dash = if look.dashed {
            ",stroke-dasharray:4 3"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  classDef {} fill:{},stroke:{},stroke-width:1px{dash}",
            look.class, look.fill, look.border
        );
    }
    let _ = writeln!(out, "  classDef goal stroke-width:3px");
    let mut classes: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for n in graph.node_indices() {
        let node = &graph[n];
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
        classes
            .entry(style::node_look(node).class)
            .or_default()
            .push(format!("n{}", n.index()));
    }
    let mut colours: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (i, edge) in graph.edge_references().enumerate() {
        let (colour, dashed) = style::edge_style(edge.weight());
        let arrow = if dashed { "-.->" } else { "-->" };
        let label = edge_label(edge.weight(), e.lang)
            .map(|l| format!("|\"{}\"|", escape(&l)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  n{} {arrow}{label} n{}",
            edge.source().index(),
            edge.target().index()
        );
        colours.entry(colour).or_default().push(i.to_string());
    }
    for (class, nodes) in classes {
        let _ = writeln!(out, "  class {} {class}", nodes.join(","));
    }
    let _ = writeln!(out, "  class n{} goal", root.index());
    for (colour, links) in colours {
        let _ = writeln!(out, "  linkStyle {} stroke:{colour}", links.join(","));
    }
    out
}
