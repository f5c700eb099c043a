//! The explanation as node-link JSON; the schema is documented in docs/explanations.md and
//! kept in docs/explanation.schema.json.

use petgraph::visit::EdgeRef;
use serde::ser::{Serialize, SerializeMap, Serializer};
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
    let mut out = Vec::new();
    write(e, &mut out).expect("writing to memory succeeds");
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// Write the explanation as pretty-printed JSON, then a line break. Each node, link and line
/// is made into JSON as it is written, so that an explanation of a derivation a hundred
/// thousand steps long is never held as one JSON tree (that took seventeen times the size of
/// the output).
pub fn write(e: &Explanation, out: impl std::io::Write) -> std::io::Result<()> {
    write_with_diagnostics(e, None, out)
}

/// [`write`], with the diagnostics the command reported on the way (`grondslag explain
/// --format json` carries them, as every JSON document of the command line does).
pub fn write_with_diagnostics(
    e: &Explanation,
    diagnostics: Option<&[Json]>,
    mut out: impl std::io::Write,
) -> std::io::Result<()> {
    // Inert: no string carries a character that acts on a terminal (`escape::Inert`).
    crate::escape::json_to_writer(&mut out, &Document(e, diagnostics), true)?;
    out.write_all(b"\n")
}

/// The whole explanation as one JSON value, for embedding (a `diff` report's sides).
pub fn to_json(e: &Explanation) -> Json {
    serde_json::to_value(Document(e, None)).expect("JSON values serialise")
}

/// The document, its fields in the order of their names (as a JSON map sorts them), with
/// the command's diagnostics when it has them.
struct Document<'e>(&'e Explanation, Option<&'e [Json]>);

impl Serialize for Document<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let e = self.0;
        let ledger = e.ledger.of.as_ref().map(|of| {
            json!({
                "of": lit_json(of),
                "left_open": e.ledger.left_open,
                "assumed": e.ledger.assumed.iter().map(|a| json!({
                    "literal": lit_json(&a.lit),
                    "sentence": a.sentence,
                    "source": a.source,
                    "about": {"name": a.about.0, "value": value_json(&a.about.1)},
                    "assessor": a.assessor,
                })).collect::<Vec<_>>(),
            })
        });
        let mut map = serializer.serialize_map(Some(
            13 + usize::from(ledger.is_some()) + usize::from(self.1.is_some()),
        ))?;
        if let Some(ledger) = &ledger {
            map.serialize_entry("assumptions", ledger)?;
        }
        map.serialize_entry("date", &e.date.map(|d| d.to_string()))?;
        if let Some(diagnostics) = self.1 {
            map.serialize_entry("diagnostics", diagnostics)?;
        }
        map.serialize_entry(
            "facts",
            &Lazy(|| e.facts().into_iter().map(|l| Json::from(l.to_string()))),
        )?;
        map.serialize_entry("goal", &lit_json(&e.goal))?;
        map.serialize_entry("kind", e.kind.as_str())?;
        map.serialize_entry("lang", e.lang.code())?;
        map.serialize_entry("links", &Lazy(|| e.graph.edge_references().map(link_json)))?;
        map.serialize_entry(
            "nodes",
            &Lazy(|| {
                e.graph
                    .node_indices()
                    .map(|n| node_json(n.index(), &e.graph[n], e.lang))
            }),
        )?;
        map.serialize_entry("question", &text::question(e))?;
        map.serialize_entry("root", &e.root.index())?;
        map.serialize_entry("schema", SCHEMA)?;
        map.serialize_entry(
            "sources",
            &Lazy(|| {
                e.sources()
                    .into_iter()
                    .map(|(source, cited_by)| json!({"source": source, "cited_by": cited_by}))
            }),
        )?;
        map.serialize_entry(
            "text",
            &Lazy(|| {
                text::lines(e)
                    .into_iter()
                    .map(|l| json!({"depth": l.depth, "text": l.text}))
            }),
        )?;
        map.serialize_entry(
            "verdict",
            &json!({
                "status": e.status.map_or("not_derived", |s| s.as_str()),
                "holds": e.holds(),
                "text": text::verdict(e),
            }),
        )?;
        map.end()
    }
}

/// A JSON array whose elements are made one at a time, as they are written.
struct Lazy<F>(F);

impl<F, I> Serialize for Lazy<F>
where
    F: Fn() -> I,
    I: Iterator<Item = Json>,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

fn link_json(edge: petgraph::graph::EdgeReference<'_, Edge>) -> Json {
    let mut link = json!({
        "source": edge.source().index(),
        "target": edge.target().index(),
        "type": edge.weight().as_str(),
    });
    if let Edge::DefeatedBy { principle } = edge.weight() {
        link["principle"] = principle.as_deref().map_or(Json::Null, Json::from);
    }
    link
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
