//! What if: the case evaluated again with some literals added as facts, under the same law
//! (date, bills, options). The memo's sets of conditions that would make a conclusion hold
//! are checked this way before they are offered.

use crate::bill::Amendments;
use crate::eval;
use crate::explain::{Arg, Lit};
use crate::load::Workspace;
use crate::source::{FileId, Span};
use crate::syntax::ast::{Atom, Ident, Item, Literal, Module, ModuleKind, Rule, RuleKind, Term};
use crate::time;
use crate::value::Date;

use super::evaluate::evaluate_prepared;
use super::Options;

/// The law an evaluation was made under, to evaluate again with more facts.
pub(super) struct Rerun<'w> {
    pub ws: &'w Workspace,
    /// The modules the law was selected from (the bills applied included).
    pub modules: Vec<&'w Module>,
    pub date: Option<Date>,
    pub options: &'w Options,
}

impl Rerun<'_> {
    /// Whether `goal` holds once `facts` (ground) are added; `None` when the evaluation
    /// fails (a limit).
    pub fn holds_with(&self, goal: &Lit, facts: &[Lit]) -> Option<bool> {
        let extra = facts_module(facts)?;
        let mut modules = self.modules.clone();
        modules.push(&extra);
        let bills: Vec<&Module> = modules
            .iter()
            .copied()
            .filter(|m| m.kind() == ModuleKind::Bill)
            .collect();
        let law = time::in_force(&modules, &Amendments::of(&bills), self.date);
        let in_force = law.modules();
        let prepared = eval::prepare(&in_force).ok()?;
        let mut options = self.options.clone();
        options.provenance = false;
        let (model, _) = evaluate_prepared(&in_force, prepared, &self.ws.inputs, &options).ok()?;
        let values = goal.values()?;
        Some(
            model
                .status(&goal.pred, goal.negated, &values)
                .is_some_and(|s| s.is_provable()),
        )
    }
}

/// A module of facts, written by no one (its spans point nowhere).
fn facts_module(facts: &[Lit]) -> Option<Module> {
    let span = Span::default();
    let mut items = Vec::with_capacity(facts.len());
    for fact in facts {
        let args = fact
            .args
            .iter()
            .map(|a| match a {
                Arg::Value(v) => Some(Term::Const(v.clone(), span)),
                Arg::Var(_) => None,
            })
            .collect::<Option<Vec<Term>>>()?;
        let head = Literal {
            negated: fact.negated,
            atom: Atom {
                pred: Ident {
                    name: fact.pred.clone(),
                    span,
                },
                args,
                span,
            },
            span,
        };
        items.push(Item::Rule(Rule {
            label: None,
            kind: RuleKind::Strict,
            head,
            body: Vec::new(),
            attrs: Default::default(),
            span,
        }));
    }
    Some(Module {
        file: FileId(u32::MAX),
        header: None,
        items,
    })
}
