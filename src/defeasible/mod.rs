//! The defeasible layer: strong negation, default rules, defeaters, superiority.

use crate::diagnostic::{Code, Diagnostic};
use crate::eval::{EvalOptions, InputFacts};
use crate::model::Model;
use crate::source::SourceMap;
use crate::syntax::ast::{Item, Module, RuleKind};

/// Evaluate a program with `default` rules or defeaters.
pub fn evaluate(
    _sources: &SourceMap,
    modules: &[&Module],
    _inputs: &[InputFacts],
    _options: &EvalOptions,
) -> Result<Model, Vec<Diagnostic>> {
    let span = modules
        .iter()
        .flat_map(|m| m.items.iter())
        .find_map(|item| match item {
            Item::Rule(r) if r.kind != RuleKind::Strict => Some(r.span),
            _ => None,
        });
    let mut d = Diagnostic::new(
        Code::InvalidAttribute,
        "defeasible rules cannot be evaluated yet (issue 7)",
    );
    if let Some(span) = span {
        d = d.at(span);
    }
    Err(vec![d])
}
