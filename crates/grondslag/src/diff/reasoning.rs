//! Why a conclusion has its verdict in one evaluation — the "before" and "after" of each
//! change. This is the one place the diff asks why.
//!
//! Always: the reasoning path the model keeps (`Model::reasoning_labels`), i.e. the labelled
//! rules of the derivation down to the facts, or for an undetermined conclusion the applicable
//! rules on both sides that left it open; reports cite each with its `@source` through the
//! [`Catalogue`](super::Catalogue). When asked ([`Explaining`]): the explanation graph of
//! `crate::explain` for the literal that decides the verdict — why it holds, why its opposite
//! holds, or why neither does.

use crate::explain::{self, Explanation};
use crate::model::Model;
use crate::source::{SourceMap, Span};
use crate::syntax::ast::{Atom, Ident, Lang, Literal, Module, Term};
use crate::time::NotInForce;
use crate::value::Date;

use super::{Conclusion, Verdict};

/// The reasoning behind one side of a change.
#[derive(Clone, Debug, Default)]
pub struct Reasoning {
    /// The labels of the rules on the reasoning path, sorted.
    pub rules: Vec<String>,
    /// The model considered the literal or its complement at all; `false`: no rule that is in
    /// force could conclude either.
    pub derived: bool,
    /// The explanation graph, when the report asked for explanations.
    pub explanation: Option<Explanation>,
}

/// What explaining one side needs besides its model: the law that was evaluated.
#[derive(Clone, Copy)]
pub struct Explaining<'a> {
    /// The source texts.
    pub sources: &'a SourceMap,
    /// The table of official sources citations link to.
    pub citations: &'a crate::citation::Citations,
    /// The modules the model's law was selected from.
    pub modules: &'a [&'a Module],
    /// What the law in force on `date` left out of them, and why.
    pub not_in_force: &'a [NotInForce],
    /// The language of the explanations.
    pub lang: Lang,
    /// The date the model was evaluated on.
    pub date: Date,
}

/// The reasoning behind `conclusion` having `verdict` in `model`.
pub fn of(
    model: &Model,
    conclusion: &Conclusion,
    verdict: Verdict,
    explaining: Option<&Explaining>,
) -> Reasoning {
    let (pred, args) = (conclusion.pred.as_str(), conclusion.args.as_slice());
    let known = |negated| model.status(pred, negated, args).is_some();
    let derived = known(false) || known(true);
    // Start from the side that won; for an open conclusion either side leads to both.
    let negated = match verdict {
        Verdict::Holds => false,
        Verdict::Refuted => true,
        Verdict::Undetermined => !known(false),
    };
    let rules = model
        .reasoning_labels(pred, negated, args)
        .unwrap_or_default();
    let explanation = explaining.and_then(|x| {
        let cx = explain::Context {
            sources: x.sources,
            modules: x.modules,
            not_in_force: x.not_in_force,
            model,
            lang: x.lang,
            depth: None,
            date: Some(x.date),
            citations: x.citations,
            // In a report, the memo and the decisive path; the bill's rules stand out in it.
            view: explain::View {
                detail: explain::Detail::Summary,
                graph: explain::Drawn::Decisive,
            },
            what_if: None,
        };
        explain::explain(&cx, &literal(conclusion, negated), explain::Ask::Either).ok()
    });
    Reasoning {
        rules,
        derived,
        explanation,
    }
}

/// The conclusion as a ground literal of the given sign (spans point nowhere: it was not
/// written by anyone).
fn literal(conclusion: &Conclusion, negated: bool) -> Literal {
    let span = Span::default();
    Literal {
        negated,
        atom: Atom {
            pred: Ident {
                name: conclusion.pred.clone(),
                span,
            },
            args: conclusion
                .args
                .iter()
                .map(|v| Term::Const(v.clone(), span))
                .collect(),
            span,
        },
        span,
    }
}
