//! The law on a date, and what evaluating a case under it gives.
//!
//! A [`Law`] is the law on one date (with or without the bills) and the options of its
//! evaluations; each [`Case`] is evaluated on top of it. The shared part — the shared modules
//! and the bills, in force on the date — is prepared once (`super::prepared`: selected,
//! lowered, planned, stratified; from its second case on, evaluated on its own too, so that
//! strata no case fact reaches are taken from there), and a case adds only its facts. A case
//! that brings rules of its own, or `--strategy scratch`, is evaluated from scratch: the whole
//! program selected, lowered and stratified for it alone.

use crate::bill::Amendments;
use crate::diagnostic::Diagnostic;
use crate::eval::{self, lower, Paths};
use crate::explain::{self, Ask, Explanation, Lit, Problem, View};
use crate::load::Workspace;
use crate::model::{Answer, Model};
use crate::source::FileId;
use crate::syntax::ast::{Item, Lang, Literal, Module, ModuleKind, Query, RuleKind, Term};
use crate::time::{self, NotInForce};
use crate::value::Date;

use super::check::Checked;
use super::evaluate::{evaluate_case, evaluate_prepared};
use super::prepared::{Preparation, Request};
use super::whatif::Rerun;
use super::{Options, Strategy};

/// Whether the draft bills loaded apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bills {
    /// Each from its effective date, with its repeals (the law as the bills would make it).
    Apply,
    /// The law as it stands.
    Ignore,
}

/// What is evaluated on top of the shared law (the knowledge base and the user's files that
/// are not cases).
#[derive(Clone, Copy, Debug)]
pub enum Case<'a> {
    /// The shared modules alone.
    Shared,
    /// One case file over the shared modules (`test`, `diff`).
    One(&'a Module),
    /// Everything loaded, every case file included (`run`, `query`, `model`, `explain`).
    All,
    /// Everything loaded, as [`Case::All`], with these modules — what a REPL session typed —
    /// on top of the law prepared from the rest, which the session keeps between inputs
    /// ([`Law::sharing`]).
    Session(&'a [FileId]),
}

/// The law on one date, with or without the bills, and how its evaluations run.
#[derive(Debug)]
pub struct Law<'c> {
    checked: &'c Checked<'c>,
    date: Option<Date>,
    bills: Bills,
    options: Options,
    amendments: Amendments,
    /// Where the shared part is prepared and kept.
    preparation: Preparation,
}

impl<'c> Law<'c> {
    pub(super) fn new(
        checked: &'c Checked<'c>,
        date: Option<Date>,
        bills: Bills,
        options: Options,
    ) -> Law<'c> {
        // Without the bills, nothing is repealed either.
        let amendments = match bills {
            Bills::Apply => Amendments::of(&checked.workspace().bill_modules()),
            Bills::Ignore => Amendments::none(),
        };
        Law {
            checked,
            date,
            bills,
            options,
            amendments,
            preparation: Preparation::new(),
        }
    }

    /// Keep the prepared shared part in `preparation`, which outlives this law: the laws of
    /// one `test` run share it across dates, a REPL session across its inputs.
    pub fn sharing(mut self, preparation: &Preparation) -> Law<'c> {
        self.preparation = preparation.clone();
        self
    }

    /// The evaluation date (`None`: every `@valid` period ignored, only repeals apply).
    pub fn date(&self) -> Option<Date> {
        self.date
    }

    /// Whether the bills apply.
    pub fn bills(&self) -> Bills {
        self.bills
    }

    /// How its evaluations run.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// The modules `case` is evaluated from, before the law in force is selected: the shared
    /// modules, the case's, then the bills when they apply.
    fn modules(&self, case: Case) -> Vec<&'c Module> {
        let ws = self.checked.workspace();
        let mut modules = match case {
            Case::Shared => ws.shared_modules(),
            Case::One(module) => {
                let mut modules = ws.shared_modules();
                // `module` belongs to the workspace: take it from there, with its lifetime.
                modules.extend(
                    ws.modules
                        .iter()
                        .map(|m| &m.module)
                        .filter(|m| m.file == module.file),
                );
                modules
            }
            Case::All | Case::Session(_) => ws.all_modules(),
        };
        if self.bills == Bills::Apply {
            modules.extend(ws.bill_modules());
        }
        modules
    }

    /// Evaluate `case` under this law: the facts of the case on the shared part prepared
    /// once; or, for a case with rules of its own (and under `--strategy scratch`), the
    /// whole program from scratch: select what is in force on the date (the one place that
    /// decides it: `time::in_force`), lower, stratify, evaluate. `Err`: the evaluation failed
    /// (a limit, the strategy); the diagnostics say why.
    pub fn evaluate(&self, case: Case) -> Result<Evaluation, Vec<Diagnostic>> {
        let modules = self.modules(case);
        if matches!(self.options.strategy, Strategy::Scratch(_)) {
            return self.evaluate_from_scratch(case, modules);
        }
        // On its own, everything loaded is what the check lowered already: evaluated once,
        // there is nothing to share.
        if let (Case::All, Bills::Apply) = (case, self.bills) {
            if let Some(prepared) = self.checked.take_prepared(self.date) {
                return self.with_prepared(modules, prepared);
            }
        }
        let on_top = |m: &&Module| match case {
            Case::Shared => false,
            Case::One(one) => m.file == one.file,
            Case::All => m.kind() == ModuleKind::Case,
            Case::Session(typed) => m.kind() == ModuleKind::Case || typed.contains(&m.file),
        };
        let (cases, shared): (Vec<&Module>, Vec<&Module>) =
            modules.iter().copied().partition(on_top);
        if !cases.iter().all(|m| only_facts(m)) {
            return self.evaluate_from_scratch(case, modules);
        }
        let ws = self.checked.workspace();
        let prepared = self.preparation.law(&Request {
            modules: &shared,
            amendments: &self.amendments,
            bills: self.bills,
            date: self.date,
            inputs: &ws.inputs,
            policy: self.options.policy,
        })?;
        let case_law = time::in_force(&cases, &self.amendments, self.date);
        let order: Vec<FileId> = modules.iter().map(|m| m.file).collect();
        let mut facts = prepared.base.case();
        let mut at = Vec::with_capacity(cases.len());
        for module in case_law.modules() {
            for item in &module.items {
                if let Item::Rule(rule) = item {
                    lower::lower_rule(&mut facts.program, rule);
                }
            }
            at.push((
                prepared.facts_before(&order, module.file),
                facts.program.facts.len(),
            ));
        }
        if !facts.fits(prepared.base.program()) {
            return self.evaluate_from_scratch(case, modules);
        }
        let (model, paths) = evaluate_case(&prepared, facts, &at, &self.options)?;
        // What was not in force, in the order of the modules.
        let not_in_force = order
            .iter()
            .flat_map(|file| {
                prepared
                    .not_in_force
                    .iter()
                    .chain(&case_law.not_in_force)
                    .filter(move |n| n.span.file == *file)
                    .cloned()
            })
            .collect();
        Ok(Evaluation {
            model,
            paths,
            options: self.options.clone(),
            date: self.date,
            files: order,
            not_in_force,
        })
    }

    /// The whole program of `modules` selected, lowered, stratified and evaluated at once.
    fn evaluate_from_scratch(
        &self,
        case: Case,
        modules: Vec<&Module>,
    ) -> Result<Evaluation, Vec<Diagnostic>> {
        let law = time::in_force(&modules, &self.amendments, self.date);
        // The check lowered everything loaded, bills applied, on its date: when that is what
        // is evaluated, it is not lowered again.
        let reused = match (case, self.bills) {
            (Case::All, Bills::Apply) => self.checked.take_prepared(self.date),
            _ => None,
        };
        let prepared = match reused {
            Some(prepared) => prepared,
            None => eval::prepare(&law.modules())?,
        };
        self.evaluated(&law, modules, prepared)
    }

    /// Evaluate `prepared`, the check's lowering of `modules`.
    fn with_prepared(
        &self,
        modules: Vec<&Module>,
        prepared: eval::Prepared,
    ) -> Result<Evaluation, Vec<Diagnostic>> {
        let law = time::in_force(&modules, &self.amendments, self.date);
        self.evaluated(&law, modules, prepared)
    }

    fn evaluated(
        &self,
        law: &time::InForce,
        modules: Vec<&Module>,
        prepared: eval::Prepared,
    ) -> Result<Evaluation, Vec<Diagnostic>> {
        let ws = self.checked.workspace();
        let (model, paths) =
            evaluate_prepared(&law.modules(), prepared, &ws.inputs, &self.options)?;
        Ok(Evaluation {
            model,
            paths,
            options: self.options.clone(),
            date: self.date,
            files: modules.iter().map(|m| m.file).collect(),
            not_in_force: law.not_in_force.clone(),
        })
    }
}

/// Whether a module adds only plain facts to what it is evaluated with: no rules, no labelled
/// or defeasible facts, no superiority (declarations, queries and expectations do not
/// change the law).
fn only_facts(module: &Module) -> bool {
    module.items.iter().all(|item| match item {
        Item::Rule(rule) => {
            rule.is_fact()
                && rule.kind == RuleKind::Strict
                && rule.label.is_none()
                && rule
                    .head
                    .atom
                    .args
                    .iter()
                    .all(|t| matches!(t, Term::Const(..)))
        }
        Item::Superiority(_) | Item::Repeal(_) => false,
        _ => true,
    })
}

/// How explanations are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    /// The language of the sentences (`--lang`).
    pub lang: Lang,
    /// How many levels a why-not follows failing premises (`--depth`); `None`: every chain
    /// that decides the verdict, down to the facts.
    pub depth: Option<usize>,
    /// Summary or full memo, decisive path or full graph (`--detail`, `--graph`).
    pub view: View,
}

impl Style {
    /// The defaults in a language: every decisive chain, the memo with its derivation, the
    /// decisive path drawn.
    pub fn new(lang: Lang) -> Style {
        Style {
            lang,
            depth: None,
            view: View::default(),
        }
    }
}

/// One evaluated case: the model, and what explaining it needs besides the workspace (which
/// files the law was selected from, and what was not in force). It owns its data, so a
/// session can keep it while the workspace stays its own.
#[derive(Debug)]
pub struct Evaluation {
    model: Model,
    paths: Paths,
    /// How it was evaluated (to evaluate again with more facts).
    options: Options,
    date: Option<Date>,
    /// The modules the law was selected from, in order.
    files: Vec<FileId>,
    not_in_force: Vec<NotInForce>,
}

impl Evaluation {
    /// The model: every literal considered, with its status.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// What the model found wrong (`conflicting_definite`).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.model.warnings
    }

    /// How the strata were evaluated.
    pub fn paths(&self) -> &Paths {
        &self.paths
    }

    /// The evaluation date.
    pub fn date(&self) -> Option<Date> {
        self.date
    }

    /// What the law in force left out, and why.
    pub fn not_in_force(&self) -> &[NotInForce] {
        &self.not_in_force
    }

    /// The modules the law was selected from (those in force and those not), from `ws`, the
    /// workspace it was evaluated from.
    pub fn modules<'w>(&self, ws: &'w Workspace) -> Vec<&'w Module> {
        self.files
            .iter()
            .filter_map(|file| {
                ws.modules
                    .iter()
                    .map(|m| &m.module)
                    .find(|m| m.file == *file)
            })
            .collect()
    }

    /// Every answer to a query, with its status.
    pub fn answer(&self, query: &Query) -> Vec<Answer> {
        self.model.answer(query)
    }

    /// Every answer to a query, or `resource_limit` when the answers would not fit within
    /// the evaluation's limits.
    pub fn try_answer(&self, query: &Query) -> Result<Vec<Answer>, Box<Diagnostic>> {
        self.model.try_answer(query)
    }

    /// Why `goal` holds, or why it does not (`ask` may insist on one; the facts decide which
    /// is given, and the explanation's kind says which). `ws` is the workspace evaluated.
    pub fn explain(
        &self,
        ws: &Workspace,
        goal: &Literal,
        ask: Ask,
        style: Style,
    ) -> Result<Explanation, Problem> {
        let modules = self.modules(ws);
        let rerun = Rerun {
            ws,
            modules: modules.clone(),
            date: self.date,
            options: &self.options,
        };
        let goal_lit = explain::goal_of(goal);
        let what_if = |facts: &[Lit]| rerun.holds_with(&goal_lit, facts);
        let cx = explain::Context {
            sources: &ws.sources,
            modules: &modules,
            not_in_force: &self.not_in_force,
            model: &self.model,
            lang: style.lang,
            depth: style.depth,
            date: self.date,
            citations: &ws.citations,
            view: style.view,
            what_if: Some(&what_if),
        };
        explain::explain(&cx, goal, ask)
    }
}
