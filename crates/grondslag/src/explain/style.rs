//! How nodes and edges look in every drawn export (DOT, Mermaid, SVG): one table of colours
//! and line styles, so the three drawings agree.

use crate::model::Status;

use super::graph::{Edge, Node, Outcome};

/// Fill colour, border colour, and whether the border is dashed.
pub fn node_colours(node: &Node) -> (&'static str, &'static str, bool) {
    match node {
        Node::Literal { fact: true, .. } => ("#e8f0fe", "#4a6fa5", false),
        Node::Literal { status, .. } => match status {
            Some(Status::Definitely | Status::Defeasibly) => ("#e6f4ea", "#2e7d32", false),
            Some(Status::Refuted) => ("#fdecea", "#c62828", false),
            _ => ("#fff4e5", "#b26a00", true),
        },
        Node::Rule(app) => match app.outcome {
            Outcome::Applied => ("#ffffff", "#333333", false),
            Outcome::Beaten => ("#eeeeee", "#777777", false),
            Outcome::Open => ("#fffde7", "#9e9d24", false),
            Outcome::Discarded => ("#f7f7f7", "#999999", true),
            Outcome::NotInForce => ("#f3eef8", "#6a4c93", true),
        },
        Node::Absent { .. } => ("#ffffff", "#777777", true),
        Node::Condition { holds: true, .. } => ("#ffffff", "#2e7d32", true),
        Node::Condition { holds: false, .. } => ("#ffffff", "#c62828", true),
    }
}

/// Line colour, and whether the line is dashed.
pub fn edge_style(edge: &Edge) -> (&'static str, bool) {
    match edge {
        Edge::Supports => ("#333333", false),
        Edge::BlockedByNot => ("#c62828", true),
        Edge::Attacks => ("#c62828", false),
        Edge::DefeatedBy { .. } => ("#e65100", false),
        Edge::Discarded => ("#999999", true),
    }
}

/// Rule applications are drawn as boxes, the rest as rounded boxes.
pub fn is_rule(node: &Node) -> bool {
    matches!(node, Node::Rule(_))
}
