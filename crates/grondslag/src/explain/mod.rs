//! Explanations (docs/explanations.md): why a literal holds, or why it does not, as a graph read from the
//! ground theory the evaluation kept (defeasible programs) or from derivations rebuilt on
//! demand from the heights it recorded (strict programs, `eval::provenance`) — no second run.
//!
//! ```text
//! Model (ground theory, or heights) + AST (sources, templates, principles)
//!        │
//!   build: why.rs (derivation down to facts, attacks and defeats)
//!          whynot.rs (rules that lost; rules whose premises fail, near misses first)
//!        │
//!   graph::Explanation (petgraph) ──▶ text · json · dot · mermaid · markdown · html (+ svg)
//! ```

mod build;
mod decisive;
pub mod dot;
pub mod graph;
pub mod html;
pub mod json;
pub mod markdown;
pub mod memo;
pub mod mermaid;
mod norms;
pub mod reach;
mod style;
pub mod summary;
pub mod svg;
pub mod text;
mod why;
mod whynot;
pub mod words;

use crate::citation::Citations;
use crate::model::Model;
use crate::open_norm::Catalogue;
use crate::source::SourceMap;
use crate::syntax::ast::{Lang, Literal, Module, Term};
use crate::time::NotInForce;
use crate::value::Date;

pub use graph::{
    Arg, Assumed, Detail, Drawn, Edge, Explanation, Inapplicable, Kind, Ledger, Lit, Node, Outcome,
    RuleApp, View,
};
pub use memo::{Memo, Verdict};

/// What the user asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ask {
    /// Why it holds.
    Why,
    /// Why it does not.
    WhyNot,
    /// Why when it holds, why not otherwise.
    Either,
}

/// The export formats of docs/explanations.md.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// An indented memo.
    Text,
    /// The graph as data.
    Json,
    /// Graphviz.
    Dot,
    /// A Mermaid flowchart.
    Mermaid,
    /// A Markdown memo.
    Markdown,
    /// A standalone page with the graph drawn.
    Html,
}

impl Format {
    /// The format of a name (`text`, `json`, `dot`, `mermaid`, `md`, `html`).
    pub fn parse(name: &str) -> Option<Format> {
        Some(match name {
            "text" | "txt" => Format::Text,
            "json" => Format::Json,
            "dot" => Format::Dot,
            "mermaid" | "mmd" => Format::Mermaid,
            "md" | "markdown" => Format::Markdown,
            "html" => Format::Html,
            _ => return None,
        })
    }
}

/// Everything an explanation reads: the model with its ground theory, the modules it was
/// evaluated from, and what the law in force left out of them.
pub struct Context<'a> {
    /// The source texts, for locations.
    pub sources: &'a SourceMap,
    /// The modules the evaluation selected the law from (the bills applied included): the
    /// rules in force, and those not in force, which why-not names with the reason.
    pub modules: &'a [&'a Module],
    /// The items of `modules` not in force on the date, and why (the driver's one selection,
    /// `time::in_force`).
    pub not_in_force: &'a [NotInForce],
    /// The model, with its ground theory or provenance.
    pub model: &'a Model,
    /// The language of the sentences.
    pub lang: Lang,
    /// How many levels `why not` follows failing premises (at least 1); `None`: every chain
    /// that bears on the verdict, down to the facts.
    pub depth: Option<usize>,
    /// The evaluation date.
    pub date: Option<Date>,
    /// The open norms declared, for the ledger of the verdict.
    pub open_norms: &'a Catalogue,
    /// Whether they were presumed (`--open-norms assume`) or left open.
    pub presumed: bool,
    /// The table of official sources citations link to.
    pub citations: &'a Citations,
    /// What the exports show.
    pub view: View,
    /// Whether the goal holds once these literals are added to the case as facts (an
    /// evaluation the driver runs): checks each set of conditions the memo proposes.
    /// `None`: the sets are shown unchecked.
    pub what_if: Option<&'a WhatIf<'a>>,
}

/// Whether the goal holds once these literals are added to the case as facts (`None`: the
/// evaluation stopped at a limit).
pub type WhatIf<'a> = dyn Fn(&[Lit]) -> Option<bool> + 'a;

/// How many sets of conditions that would make a conclusion hold are checked by evaluating
/// them, at most.
const CHECKED_REMEDIES: usize = 6;

/// Why there is no explanation.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// The model was evaluated without provenance.
    NoTheory,
    /// The goal has variables and these answers hold: ask about one of them.
    /// The goal has variables and these answers hold: ask about one of them.
    NotGround {
        /// The ground literals that hold.
        answers: Vec<Lit>,
    },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::NoTheory => f.write_str(
                "this model keeps no provenance (evaluated without it); nothing to explain",
            ),
            Problem::NotGround { answers } => {
                let shown: Vec<String> = answers.iter().take(5).map(|a| format!("`{a}`")).collect();
                let more = if answers.len() > 5 { ", ..." } else { "" };
                write!(
                    f,
                    "the goal has variables and holds for {}{more}: explain one of them, e.g. {}",
                    shown.join(", "),
                    shown[0]
                )
            }
        }
    }
}

/// The goal as the explanation shows it.
pub fn goal_of(literal: &Literal) -> Lit {
    Lit {
        pred: literal.atom.pred.name.clone(),
        negated: literal.negated,
        args: literal
            .atom
            .args
            .iter()
            .map(|t| match t {
                Term::Const(v, _) => Arg::Value(v.clone()),
                other => Arg::Var(build::show_term(other, &Default::default())),
            })
            .collect(),
    }
}

/// Explain `goal`: why it holds, or why it does not (`ask` may insist on one; when it asks
/// for the one that does not apply, the other is given — the kind says which).
pub fn explain(cx: &Context, goal: &Literal, ask: Ask) -> Result<Explanation, Problem> {
    if cx.model.theory().is_none() && cx.model.provenance().is_none() {
        return Err(Problem::NoTheory);
    }
    let lit = goal_of(goal);
    if lit.values().is_none() {
        let answers: Vec<Lit> = cx
            .model
            .answer(&crate::syntax::ast::Query {
                body: vec![crate::syntax::ast::BodyItem::Literal(goal.clone())],
                span: goal.span,
            })
            .into_iter()
            .filter(|a| a.status.is_provable())
            .map(|a| {
                let mut ground = lit.clone();
                for arg in &mut ground.args {
                    if let Arg::Var(name) = arg {
                        if let Some((_, v)) = a.bindings.iter().find(|(n, _)| n == name) {
                            *arg = Arg::Value(v.clone());
                        }
                    }
                }
                ground
            })
            .collect();
        if !answers.is_empty() {
            return Err(Problem::NotGround { answers });
        }
    }
    let norms = norms::Norms::new(cx.sources, cx.modules, cx.not_in_force, cx.lang);
    let mut builder = build::Builder::new(cx.model, &norms).ok_or(Problem::NoTheory)?;
    builder.presumable = cx.presumed.then_some(cx.open_norms);
    let status = builder.status_of(&lit);
    let holds = status.is_some_and(crate::model::Status::is_provable);
    let _ = ask; // the facts decide: a why of what does not hold is its why-not
    let depth = cx.depth.unwrap_or(usize::MAX).max(1);
    let (root, kind) = match builder.id_of(&lit) {
        Some(id) if holds => (builder.why(id), Kind::Why),
        _ => (builder.why_not(&lit, depth), Kind::WhyNot),
    };
    if kind == Kind::Why {
        builder.counter_rules(&lit, root);
    }
    let ledger = ledger(cx, &norms, &lit);
    let mut memo = builder.memo(&lit, cx.date);
    memo.assumptions = assumptions(&ledger);
    match cx.what_if {
        Some(what_if) => check_remedies(&mut memo, what_if),
        // Sets that were not checked are not offered.
        None => memo.remedies = None,
    }
    let law_fact = |node: &Node| match node {
        Node::Literal {
            lit, fact: true, ..
        } => norms.law_fact(&lit.pred),
        _ => false,
    };
    let decisive = decisive::extract(&builder.graph, root, memo.verdict, &law_fact);
    Ok(Explanation {
        goal: lit,
        kind,
        status,
        graph: builder.graph,
        root,
        lang: cx.lang,
        date: cx.date,
        ledger,
        memo,
        decisive,
        view: cx.view,
        links: cx.citations.clone(),
    })
}

/// The ledger of a ground goal: the open norms it rests on when it holds (or would, left
/// open); else those its complement rests on.
fn ledger(cx: &Context, norms: &norms::Norms, goal: &Lit) -> Ledger {
    let Some(values) = goal.values() else {
        return Ledger::default();
    };
    for lit in [goal.clone(), goal.complement()] {
        let presumed = cx.model.presumed(&lit.pred, lit.negated, &values);
        if presumed.is_empty() {
            continue;
        }
        let assumed = presumed
            .iter()
            .filter_map(|p| cx.open_norms.assumption(&p.pred, p.negated, &p.args))
            .map(|a| {
                let lit = Lit::ground(&a.pred, a.negated, &a.args);
                Assumed {
                    sentence: norms.sentence(&lit),
                    lit,
                    source: a.source,
                    about: a.about,
                    assessor: a.assessor,
                }
            })
            .collect();
        return Ledger {
            left_open: cx.model.withdrawn(&lit.pred, lit.negated, &values),
            of: Some(lit),
            assumed,
        };
    }
    Ledger::default()
}

/// The memo's "provided that": the open norms presumed for the verdict it states (the goal,
/// or the opposite that defeats it). None when they were left open: the verdict is then
/// undetermined, and the ledger says what must be assessed.
fn assumptions(ledger: &Ledger) -> Vec<memo::Assumption> {
    if ledger.left_open {
        return Vec::new();
    }
    ledger
        .assumed
        .iter()
        .map(|a| memo::Assumption {
            statement: memo::Statement {
                lit: a.lit.clone(),
                sentence: a.sentence.clone(),
            },
            norm: a.source.as_ref().map(|source| memo::Norm {
                label: None,
                source: Some(source.clone()),
            }),
        })
        .collect()
}

/// Evaluate the first sets of conditions with their literals added as facts: drop those
/// that would not make the conclusion hold, mark the others checked. A set naming no value
/// (a law yet to be written: `legal_task(o, p, I)`) stays unchecked.
fn check_remedies(memo: &mut Memo, what_if: &dyn Fn(&[Lit]) -> Option<bool>) {
    let Some(remedies) = &mut memo.remedies else {
        return;
    };
    let mut checked = 0;
    remedies.retain_mut(|remedy| {
        let literals = remedy.literals();
        if literals.iter().any(|l| l.values().is_none()) {
            return true;
        }
        if checked >= CHECKED_REMEDIES {
            return false;
        }
        checked += 1;
        remedy.checked = what_if(&literals);
        remedy.checked == Some(true)
    });
}

/// Write an explanation in one of the export formats; JSON is written as it is made
/// ([`json::write`]).
pub fn write(
    explanation: &Explanation,
    format: Format,
    mut out: impl std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => json::write(explanation, out),
        _ => out.write_all(render(explanation, format).as_bytes()),
    }
}

/// Render an explanation in one of the export formats.
pub fn render(explanation: &Explanation, format: Format) -> String {
    match format {
        Format::Text => text::render(explanation),
        Format::Json => json::render(explanation),
        Format::Dot => dot::render(explanation),
        Format::Mermaid => mermaid::render(explanation),
        Format::Markdown => markdown::render(explanation),
        Format::Html => html::render(explanation),
    }
}
