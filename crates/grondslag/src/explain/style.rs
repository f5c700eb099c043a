//! How nodes and edges look in every drawn export (DOT, Mermaid, SVG): one table of colours
//! and line styles, so the three drawings agree. Each node has a class (its name in Mermaid's
//! `classDef`); a rule from a draft bill is drawn in the bill's colour.

use crate::model::Status;

use super::graph::{Edge, Node, Outcome};

/// The look of a kind of node: its class name, fill, border, and whether the border is
/// dashed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Look {
    /// The class (`fact`, `holds`, `applied`, `bill`, ...).
    pub class: &'static str,
    /// Fill colour.
    pub fill: &'static str,
    /// Border colour.
    pub border: &'static str,
    /// Dashed border.
    pub dashed: bool,
}

const fn look(class: &'static str, fill: &'static str, border: &'static str, dashed: bool) -> Look {
    Look {
        class,
        fill,
        border,
        dashed,
    }
}

/// Every look, once (Mermaid declares each as a `classDef`).
pub const LOOKS: [Look; 14] = [
    look("fact", "#e8f0fe", "#4a6fa5", false),
    look("holds", "#e6f4ea", "#2e7d32", false),
    look("fails", "#fdecea", "#c62828", false),
    look("open", "#fff4e5", "#b26a00", true),
    look("applied", "#ffffff", "#333333", false),
    look("beaten", "#eeeeee", "#777777", false),
    look("unresolved", "#fffde7", "#9e9d24", false),
    look("discarded", "#f7f7f7", "#999999", true),
    look("inapplicable", "#fafafa", "#bbbbbb", true),
    look("notinforce", "#f3eef8", "#6a4c93", true),
    look("absent", "#ffffff", "#777777", true),
    look("condok", "#ffffff", "#2e7d32", true),
    look("condfails", "#ffffff", "#c62828", true),
    look("bill", "#e3f2fd", "#1565c0", false),
];

fn by_class(class: &str) -> Look {
    LOOKS
        .iter()
        .copied()
        .find(|l| l.class == class)
        .expect("every class has a look")
}

/// How a node looks.
pub fn node_look(node: &Node) -> Look {
    by_class(match node {
        Node::Literal { fact: true, .. } => "fact",
        Node::Literal { status, .. } => match status {
            Some(Status::Definitely | Status::Defeasibly) => "holds",
            Some(Status::Refuted) => "fails",
            _ => "open",
        },
        Node::Rule(app) if app.bill.is_some() && app.outcome != Outcome::NotInForce => "bill",
        Node::Rule(app) if app.inapplicable.is_some() => "inapplicable",
        Node::Rule(app) => match app.outcome {
            Outcome::Applied => "applied",
            Outcome::Beaten => "beaten",
            Outcome::Open => "unresolved",
            Outcome::Discarded => "discarded",
            Outcome::NotInForce => "notinforce",
        },
        Node::Absent { .. } => "absent",
        Node::Condition { holds: true, .. } => "condok",
        Node::Condition { holds: false, .. } => "condfails",
    })
}

/// Fill colour, border colour, and whether the border is dashed.
pub fn node_colours(node: &Node) -> (&'static str, &'static str, bool) {
    let look = node_look(node);
    (look.fill, look.border, look.dashed)
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
