//! One input through everything a user can reach: parse, check, lower and stratify,
//! evaluate within small limits, answer its queries (the text table and CSV cells), explain
//! a literal that holds and one that does not in every export format, render every
//! diagnostic as text and JSON. Besides "no panic", the outputs are held to what they
//! promise: terminal text and tables carry no control character, DOT none at all, Mermaid no
//! `%%`.

use std::time::Duration;

use grondslag::diagnostic::{render_all, Diagnostic};
use grondslag::driver::{self, Bills, Case, Evaluation, Limits, Options, Style, Workspace};
use grondslag::escape;
use grondslag::explain::{self, Ask, Format};
use grondslag::source::SourceMap;
use grondslag::syntax::ast::{BodyItem, Item, Lang, Literal, Module, Query};
use grondslag::table;

/// How far an input got.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reached {
    /// Stopped by its diagnostics (syntax, checks, stratification).
    Diagnostics,
    /// Evaluation stopped at a limit.
    Limit,
    Evaluated,
    Explained,
}

/// The limits of one input's evaluation: small, so that a million inputs take minutes, not
/// days, and so that what follows stays small too (an explanation lists every rule instance
/// that supports its literal: two rules over a hundred values make ten thousand of them);
/// `heap` is what the process held before the input.
fn limits(heap: u64) -> Limits {
    Limits {
        max_facts: Some(2_000),
        timeout: Some(Duration::from_millis(250)),
        max_memory: Some(heap + (256 << 20)),
        interrupt: None,
    }
}

/// The input through the driver, as the command line runs it.
pub fn run(text: &str) -> Reached {
    let mut ws = Workspace::new();
    ws.load_text("fuzz.law", text);
    let checked = driver::check(&ws, None);
    render(checked.diagnostics(), &ws.sources);
    let heap = grondslag::heap::held().unwrap_or(0);
    let options = Options {
        limits: limits(heap),
        provenance: true,
        ..Options::default()
    };
    let Ok(law) = checked.law(None, Bills::Apply, &options) else {
        return Reached::Diagnostics;
    };
    let evaluation = match law.evaluate(Case::All) {
        Ok(evaluation) => evaluation,
        Err(found) => {
            render(&found, &ws.sources);
            return Reached::Limit;
        }
    };
    let _ = serde_json::to_string(&evaluation.model().sections());
    let module = &ws.modules[0].module;
    for item in &module.items {
        if let Item::Query(query) = item {
            answer(&evaluation, query, &ws.sources);
        }
    }
    let mut explained = false;
    for goal in goals(module) {
        explained |= explain_all(&evaluation, &ws, &goal);
    }
    if explained {
        Reached::Explained
    } else {
        Reached::Evaluated
    }
}

fn render(diagnostics: &[Diagnostic], sources: &SourceMap) {
    let text = render_all(diagnostics, sources);
    assert_terminal_safe("diagnostics", &text);
    for d in diagnostics {
        let _ = d.to_json(sources).to_string();
    }
}

/// The answers as the CLI prints them: a table and CSV cells.
fn answer(evaluation: &Evaluation, query: &Query, sources: &SourceMap) {
    let answers = match evaluation.try_answer(query) {
        Ok(answers) => answers,
        Err(stop) => return render(&[*stop], sources),
    };
    let mut rows: Vec<Vec<String>> = Vec::new();
    for a in &answers {
        let mut row: Vec<String> = a.bindings.iter().map(|(_, v)| v.to_string()).collect();
        row.push(a.status.as_str().to_string());
        for (_, value) in &a.bindings {
            let _ = escape::csv(&value.to_string());
        }
        rows.push(row);
    }
    let table = table::aligned(&rows);
    assert_terminal_safe("table", &table);
}

/// Literals to explain: the heads of the first rules, and the single-literal queries.
fn goals(module: &Module) -> Vec<Literal> {
    let mut goals: Vec<Literal> = module
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Rule(rule) if !rule.is_fact() => Some(rule.head.clone()),
            Item::Query(Query { body, .. }) => match body.as_slice() {
                [BodyItem::Literal(literal)] => Some(literal.clone()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    goals.truncate(2);
    goals
}

/// Explain `goal` (one of its answers when it has variables, and then one that does not
/// hold) in every format; whether anything was explained.
fn explain_all(evaluation: &Evaluation, ws: &Workspace, goal: &Literal) -> bool {
    let style = Style::new(Lang::En);
    let answers = match evaluation.explain(ws, goal, Ask::Either, style) {
        Ok(explanation) => {
            export(&explanation);
            return true;
        }
        Err(explain::Problem::NotGround { answers }) => answers,
        Err(explain::Problem::NoTheory) => return false,
    };
    let mut explained = false;
    for answer in answers.iter().take(1) {
        // The answer as text, read back as a goal: the way a user would ask about it.
        let mut sources = ws.sources.clone();
        let Ok(query) = driver::parse_query(&mut sources, "<goal>", &answer.to_string()) else {
            continue;
        };
        let [BodyItem::Literal(literal)] = query.body.as_slice() else {
            continue;
        };
        if let Ok(explanation) = evaluation.explain(ws, literal, Ask::Either, style) {
            export(&explanation);
            explained = true;
        }
    }
    explained
}

fn export(explanation: &explain::Explanation) {
    for format in [
        Format::Text,
        Format::Json,
        Format::Dot,
        Format::Mermaid,
        Format::Markdown,
        Format::Html,
    ] {
        let out = explain::render(explanation, format);
        match format {
            Format::Text => assert_terminal_safe("explain text", &out),
            Format::Dot => assert!(
                !out.chars().any(|c| escape::is_hidden(c) && c != '\n'),
                "a control character in DOT:\n{out}"
            ),
            Format::Mermaid => assert!(!out.contains("%%"), "a directive in Mermaid:\n{out}"),
            Format::Json => {
                serde_json::from_str::<serde_json::Value>(&out).expect("the JSON export parses");
            }
            _ => {}
        }
    }
}

/// Text for a terminal: nothing but line breaks and tabs among the control characters.
fn assert_terminal_safe(what: &str, text: &str) {
    if let Some(c) = text
        .chars()
        .find(|c| escape::is_hidden(*c) && !matches!(c, '\n' | '\t'))
    {
        panic!("{what} shows {c:?} raw:\n{text}");
    }
}
