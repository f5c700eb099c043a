//! Printing answers and models in the formats of docs/cli.md.

use std::fmt::Write as _;

use grondslag::escape;
use grondslag::model::{Answer, Model};
use grondslag::syntax::ast::{BodyItem, Query, Term};
use grondslag::value::Value;

/// The table printer lives in the library, where the fuzz harness reaches it.
pub(crate) use grondslag::table::aligned;

/// The query's named variables in order of first appearance (`_` excluded).
pub fn query_variables(query: &Query) -> Vec<String> {
    fn term(t: &Term, out: &mut Vec<String>) {
        match t {
            Term::Var(v) => {
                if !out.contains(&v.name) {
                    out.push(v.name.clone());
                }
            }
            Term::Arith(a, _, b, _) => {
                term(a, out);
                term(b, out);
            }
            Term::Neg(a, _) => term(a, out),
            Term::Anonymous(_) | Term::Const(..) => {}
        }
    }
    fn item(i: &BodyItem, out: &mut Vec<String>) {
        match i {
            BodyItem::Literal(l) | BodyItem::Not(l, _) => {
                l.atom.args.iter().for_each(|t| term(t, out))
            }
            BodyItem::Compare(a, _, b, _) => {
                term(a, out);
                term(b, out);
            }
            BodyItem::Aggregate(agg) => {
                if !out.contains(&agg.result.name) {
                    out.push(agg.result.name.clone());
                }
            }
        }
    }
    let mut out = Vec::new();
    query.body.iter().for_each(|i| item(i, &mut out));
    out
}

/// A value in JSON: integers as numbers, everything else as a string.
pub fn value_json(value: &Value) -> serde_json::Value {
    match value {
        Value::Int(n) => serde_json::Value::from(*n),
        Value::Date(d) => serde_json::Value::from(d.to_string()),
        Value::Text(t) => serde_json::Value::from(t.to_string()),
    }
}

/// The raw text of a value (no quotes), for CSV.
fn value_raw(value: &Value) -> String {
    match value {
        Value::Text(t) => t.to_string(),
        other => other.to_string(),
    }
}

fn binding<'a>(answer: &'a Answer, var: &str) -> Option<&'a Value> {
    answer
        .bindings
        .iter()
        .find(|(name, _)| name == var)
        .map(|(_, v)| v)
}

/// The open norms an answer rests on, as written: `necessary(d1), ~less_intrusive_means(d1)`.
fn assuming(answer: &Answer) -> String {
    let shown: Vec<String> = answer.assuming.iter().map(|p| p.to_string()).collect();
    shown.join(", ")
}

/// `query --format json`: `{"query", "variables", "answers": [{"bindings", "status"}]}`; an
/// answer that rests on presumed open norms has `"assuming": ["necessary(d1)", ...]` too.
pub fn answers_json(text: &str, query: &Query, answers: &[Answer]) -> serde_json::Value {
    let variables = query_variables(query);
    let answers: Vec<_> = answers
        .iter()
        .map(|a| {
            let bindings: serde_json::Map<_, _> = variables
                .iter()
                .filter_map(|v| binding(a, v).map(|value| (v.clone(), value_json(value))))
                .collect();
            let mut answer = serde_json::json!({"bindings": bindings, "status": a.status.as_str()});
            if !a.assuming.is_empty() {
                answer["assuming"] = a.assuming.iter().map(|p| p.to_string()).collect();
            }
            answer
        })
        .collect();
    serde_json::json!({"query": text.trim(), "variables": variables, "answers": answers})
}

/// A text table: one column per variable, then the status, and `assuming` (the presumed
/// open norms each answer rests on) when any does. A query without variables prints `yes
/// (status)` when it is provable — `yes (defeasibly, assuming necessary(d1))` when it rests on
/// presumed open norms —, `no (refuted)` or `no (undecided)` when the model knows the literal
/// otherwise (`no (undecided: holds assuming necessary(d1))` when open norms were left open),
/// and `no` when nothing concludes it.
pub fn answers_table(query: &Query, answers: &[Answer]) -> String {
    let variables = query_variables(query);
    let mut out = String::new();
    if variables.is_empty() {
        match answers.first() {
            Some(a) if a.status.is_provable() && !a.assuming.is_empty() => {
                let _ = writeln!(
                    out,
                    "yes ({}, assuming {})",
                    a.status.as_str(),
                    escape::text(&assuming(a))
                );
            }
            Some(a) if a.status.is_provable() => {
                let _ = writeln!(out, "yes ({})", a.status.as_str());
            }
            Some(a) if !a.assuming.is_empty() => {
                let _ = writeln!(
                    out,
                    "no ({}: holds assuming {})",
                    a.status.as_str(),
                    escape::text(&assuming(a))
                );
            }
            Some(a) => {
                let _ = writeln!(out, "no ({})", a.status.as_str());
            }
            None => out.push_str("no\n"),
        }
        return out;
    }
    let with_assumptions = answers.iter().any(|a| !a.assuming.is_empty());
    let mut header: Vec<String> = variables
        .iter()
        .cloned()
        .chain(std::iter::once("status".to_string()))
        .collect();
    if with_assumptions {
        header.push("assuming".to_string());
    }
    let mut rows: Vec<Vec<String>> = vec![header];
    for a in answers {
        let mut row: Vec<String> = variables
            .iter()
            .map(|v| binding(a, v).map(Value::to_string).unwrap_or_default())
            .collect();
        row.push(a.status.as_str().to_string());
        if with_assumptions {
            row.push(assuming(a));
        }
        rows.push(row);
    }
    out.push_str(&aligned(&rows));
    let _ = writeln!(
        out,
        "({} answer{})",
        answers.len(),
        if answers.len() == 1 { "" } else { "s" }
    );
    out
}

/// CSV: a header with the variables and `status` (and `assuming` when an answer rests on
/// presumed open norms), then one row per answer.
pub fn answers_csv(query: &Query, answers: &[Answer]) -> String {
    let variables = query_variables(query);
    let with_assumptions = answers.iter().any(|a| !a.assuming.is_empty());
    let mut out = String::new();
    let header: Vec<String> = variables.iter().map(|v| escape::csv(v)).collect();
    let extra = if with_assumptions { ",assuming" } else { "" };
    let _ = writeln!(out, "{},status{extra}", header.join(","));
    for a in answers {
        let cells: Vec<String> = variables
            .iter()
            .map(|v| {
                binding(a, v)
                    .map(|x| escape::csv(&value_raw(x)))
                    .unwrap_or_default()
            })
            .collect();
        let extra = if with_assumptions {
            format!(",{}", escape::csv(&assuming(a)))
        } else {
            String::new()
        };
        let _ = writeln!(out, "{},{}{extra}", cells.join(","), a.status.as_str());
    }
    out
}

/// `model` as text: each section, then its literals, one per line, written as they are
/// read from the model.
pub fn write_sections_text(model: &Model, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let mut current = String::new();
    let mut result = Ok(());
    model.each_section_literal(|section, pred, args| {
        if result.is_err() {
            return;
        }
        if section != current {
            current = section.to_string();
            result = writeln!(out, "% {section}");
        }
        let args: Vec<String> = args.iter().map(|v| v.to_string()).collect();
        let literal = if args.is_empty() {
            format!("{pred}.")
        } else {
            format!("{pred}({}).", args.join(", "))
        };
        if result.is_ok() {
            result = writeln!(out, "{}", escape::text_line(&literal));
        }
    });
    result?;
    // The open norms each conclusion rests on, as comments: the output stays a program.
    let assumptions = model.assumptions();
    if !assumptions.is_empty() {
        writeln!(
            out,
            "% assuming (presumed open norms each conclusion rests on)"
        )?;
    }
    for (conclusion, ledger) in assumptions {
        let ledger: Vec<String> = ledger.iter().map(ToString::to_string).collect();
        let line = format!("% {conclusion} assuming {}", ledger.join(", "));
        writeln!(out, "{}", escape::text_line(&line))?;
    }
    Ok(())
}

pub fn plural_summary(errors: usize, warnings: usize) -> String {
    let s = |n: usize| if n == 1 { "" } else { "s" };
    format!(
        "{errors} error{}, {warnings} warning{}",
        s(errors),
        s(warnings)
    )
}
