//! The explanation as node-link JSON; the schema is documented in docs/explanations.md and
//! kept in docs/explanation.schema.json.

use petgraph::visit::EdgeRef;
use serde_json::{json, Map, Value as Json};

use crate::model::value_json;
use crate::syntax::ast::{Lang, RuleKind};

use crate::time::Reason;

use super::graph::{Arg, Edge, Explanation, Lit, Node};
use super::{text, words};

/// The `schema` field: bumped when the shape changes incompatibly.
pub const SCHEMA: &str = "grondslag-explanation/1";

/// The explanation as JSON text (docs/explanation.schema.json).
pub fn render(e: &Explanation) -> String {
    let mut out = serde_json::to_string_pretty(&to_json(e)).expect("JSON values serialise");
    out.push('\n');
    out
}

/// The explanation as a JSON value (docs/explanation.schema.json).
pub fn to_json(e: &Explanation) -> Json {
    let nodes: Vec<Json> = e
        .graph
        .node_indices()
        .map(|n| node_json(n.index(), &e.graph[n], e.lang))
        .collect();
    let links: Vec<Json> = e
        .graph
        .edge_references()
        .map(|edge| {
            let mut link = json!({
                "source": edge.source().index(),
                "target": edge.target().index(),
                "type": edge.weight().as_str(),
            });
            if let Edge::DefeatedBy { principle } = edge.weight() {
                link["principle"] = principle.as_deref().map_or(Json::Null, Json::from);
            }
            link
        })
        .collect();
    json!({
        "schema": SCHEMA,
        "question": text::question(e),
        "goal": lit_json(&e.goal),
        "kind": e.kind.as_str(),
        "lang": match e.lang { Lang::Nl => "nl", Lang::En => "en" },
        "verdict": {
            "status": e.status.map_or("not_derived", |s| s.as_str()),
            "holds": e.holds(),
            "text": text::verdict(e),
        },
        "date": e.date.map_or(Json::Null, |d| Json::from(d.to_string())),
        "root": e.root.index(),
        "nodes": nodes,
        "links": links,
        "sources": e.sources().into_iter().map(|(source, cited_by)| json!({
            "source": source,
            "cited_by": cited_by,
        })).collect::<Vec<_>>(),
        "facts": e.facts().into_iter().map(|l| Json::from(l.to_string())).collect::<Vec<_>>(),
        "text": text::lines(e).into_iter().map(|l| json!({"depth": l.depth, "text": l.text})).collect::<Vec<_>>(),
    })
}

/// `{"predicate": "p", "negated": false, "args": [...], "text": "p(a)"}`; an open variable
/// is `{"var": "X"}`.
fn lit_json(lit: &Lit) -> Json {
    json!({
        "predicate": lit.pred,
        "negated": lit.negated,
        "args": lit.args.iter().map(|a| match a {
            Arg::Value(v) => value_json(v),
            Arg::Var(name) => json!({"var": name}),
        }).collect::<Vec<_>>(),
        "text": lit.to_string(),
    })
}

fn opt(s: &Option<String>) -> Json {
    s.as_deref().map_or(Json::Null, Json::from)
}

/// Why a rule is not in force: `{"reason": "not_yet_in_force", "from": "2025-03-01", "text":
/// "..."}`, with `until`, or `bill` and `effective`, as the reason has them.
fn reason_json(reason: &Reason, lang: Lang) -> Json {
    let mut out = match reason {
        Reason::NotYetInForce { from } => {
            json!({"reason": "not_yet_in_force", "from": from.to_string()})
        }
        Reason::Expired { until } => json!({"reason": "expired", "until": until.to_string()}),
        Reason::BillNotYetEffective { bill, effective } => json!({
            "reason": "bill_not_yet_effective", "bill": bill, "effective": effective.to_string(),
        }),
        Reason::Repealed {
            bill, effective, ..
        } => json!({"reason": "repealed", "bill": bill, "effective": effective.to_string()}),
    };
    out["text"] = Json::from(words::not_in_force_short(lang, reason));
    out
}

fn node_json(id: usize, node: &Node, lang: Lang) -> Json {
    match node {
        Node::Literal {
            lit,
            status,
            fact,
            source,
            sentence,
            no_rule,
        } => json!({
            "id": id,
            "type": "literal",
            "literal": lit_json(lit),
            "status": status.map_or("not_derived", |s| s.as_str()),
            "fact": fact,
            "source": opt(source),
            "sentence": opt(sentence),
            "no_rule": no_rule,
        }),
        Node::Rule(app) => {
            let mut bindings = Map::new();
            for (name, value) in &app.bindings {
                bindings.insert(name.clone(), value_json(value));
            }
            json!({
                "id": id,
                "type": "rule",
                "label": opt(&app.label),
                "rule_kind": match app.kind {
                    RuleKind::Strict => "strict",
                    RuleKind::Defeasible => "defeasible",
                    RuleKind::Defeater => "defeater",
                },
                "source": opt(&app.source),
                "location": app.location,
                "bindings": bindings,
                "conclusion": lit_json(&app.head),
                "sentence": opt(&app.sentence),
                "outcome": app.outcome.as_str(),
                "missing": app.missing,
                "valid": app.valid.map_or(Json::Null, |p| json!({
                    "from": p.from.map(|d| d.to_string()),
                    "until": p.until.map(|d| d.to_string()),
                })),
                "not_in_force": app.not_in_force.as_ref().map_or(Json::Null, |r| reason_json(r, lang)),
            })
        }
        Node::Absent { lit, sentence } => json!({
            "id": id,
            "type": "absent",
            "literal": lit_json(lit),
            "sentence": opt(sentence),
        }),
        Node::Condition { text, holds } => json!({
            "id": id,
            "type": "condition",
            "condition": text,
            "holds": holds,
        }),
    }
}
