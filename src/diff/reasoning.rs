//! Why a conclusion has its verdict in one evaluation — the "before" and "after" of each
//! change.
//!
//! Today this is the reasoning path the model keeps (`Model::reasoning_labels`): the labelled
//! rules of the derivation down to the facts, or for an undetermined conclusion the applicable
//! rules on both sides that left it open. Reports cite each rule with its `@source` through
//! the [`Catalogue`](super::Catalogue). When `crate::explain` lands, its explanation graph for
//! the same literal belongs here, beside the rules: this is the one place the diff asks why.

use crate::model::Model;

use super::{Conclusion, Verdict};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reasoning {
    /// The labels of the rules on the reasoning path, sorted.
    pub rules: Vec<String>,
    /// The model considered the literal or its complement at all; `false`: no rule that is in
    /// force could conclude either.
    pub derived: bool,
}

/// The reasoning behind `conclusion` having `verdict` in `model`.
pub fn of(model: &Model, conclusion: &Conclusion, verdict: Verdict) -> Reasoning {
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
    Reasoning { rules, derived }
}
