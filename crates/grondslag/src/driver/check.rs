//! The check stage: every static check, on everything loaded, in one place — so that every
//! command reports the same problems of the same input.

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::bill::{self, Amendments};
use crate::diagnostic::Diagnostic;
use crate::eval::{self, Prepared};
use crate::load::Workspace;
use crate::open_norm;
use crate::syntax::ast::{Item, Module, Rule};
use crate::time::{self, ItemKind};
use crate::value::Date;

use super::law::{Bills, Law};
use super::Options;

/// A workspace with its static diagnostics: load problems, the checker's findings, what only
/// bills may contain, and what lowering and stratification of the law in force find (unsafe
/// variables, cyclic negation). Evaluation starts here: a [`Law`] is only had from a check
/// without errors.
#[derive(Debug)]
pub struct Checked<'w> {
    ws: &'w Workspace,
    date: Option<Date>,
    diagnostics: Vec<Diagnostic>,
    /// Everything loaded, the bills applied, in force on `date`, lowered and stratified: the
    /// first evaluation of exactly that program takes it over, so that a large program is not
    /// lowered twice.
    prepared: Mutex<Option<Prepared>>,
    timings: Vec<(&'static str, Duration)>,
}

/// Check everything `ws` holds, with the law in force on `date` lowered and stratified (every
/// `@valid` period ignored when `None`; see `time::in_force`). Rules not in force are checked
/// for safety too, so that a rule's problems do not depend on the date.
pub fn check(ws: &Workspace, date: Option<Date>) -> Checked<'_> {
    let started = Instant::now();
    let mut diagnostics = ws.diagnostics.clone();
    let bills = ws.bill_modules();
    let others = ws.all_modules();
    let mut modules = others.clone();
    modules.extend(bills.iter().copied());
    diagnostics.extend(bill::check(&bills, &others));
    // Bills are checked with everything else: their labels are unique across all that is
    // loaded, and `repeal` must name a known rule.
    diagnostics.extend(crate::check::check(&ws.sources, &modules));
    let checking = started.elapsed();

    let started = Instant::now();
    let law = time::in_force(&modules, &Amendments::of(&bills), date);
    // The law is evaluated with the presumptions of its open norms: they are lowered here too.
    let mut in_force = law.modules();
    let presumptions = open_norm::presumptions(&in_force, &open_norm::Catalogue::of(&in_force));
    in_force.extend(presumptions.as_ref());
    // Lowering and stratification tolerate the errors above, so their findings are reported
    // in the same run.
    let prepared = match eval::prepare(&in_force) {
        Ok(prepared) => Some(prepared),
        Err(found) => {
            diagnostics.extend(found);
            None
        }
    };
    diagnostics.extend(eval::unsafe_rules(&left_out(&modules, &law)));
    diagnostics.sort_by_key(|d| d.primary.as_ref().map(|l| (l.span.file, l.span.start)));
    Checked {
        ws,
        date,
        diagnostics,
        prepared: Mutex::new(prepared),
        timings: vec![("check", checking), ("prepare", started.elapsed())],
    }
}

/// The rules of `modules` that the law in force left out.
fn left_out<'m>(modules: &[&'m Module], law: &time::InForce) -> Vec<&'m Rule> {
    let out: HashSet<_> = law
        .not_in_force
        .iter()
        .filter(|n| n.kind == ItemKind::Rule)
        .map(|n| n.span)
        .collect();
    if out.is_empty() {
        return Vec::new();
    }
    modules
        .iter()
        .flat_map(|m| m.items.iter())
        .filter_map(|item| match item {
            Item::Rule(rule) if out.contains(&rule.span) => Some(rule),
            _ => None,
        })
        .collect()
}

impl<'w> Checked<'w> {
    /// Every static diagnostic, errors and warnings, in source order.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// Whether any diagnostic is an error (then nothing is evaluated).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The workspace checked.
    pub fn workspace(&self) -> &'w Workspace {
        self.ws
    }

    /// How long the checks took: `check` (the checker) and `prepare` (lowering and
    /// stratifying the law in force), for `--stats`.
    pub fn timings(&self) -> &[(&'static str, Duration)] {
        &self.timings
    }

    /// The law on `date`, with or without the bills loaded, evaluated with `options`. `Err`:
    /// the check found errors (all its diagnostics, warnings included).
    pub fn law(
        &self,
        date: Option<Date>,
        bills: Bills,
        options: &Options,
    ) -> Result<Law<'_>, Vec<Diagnostic>> {
        if self.has_errors() {
            return Err(self.diagnostics.clone());
        }
        Ok(Law::new(self, date, bills, options.clone()))
    }

    /// The check's lowering of everything loaded, for an evaluation of exactly that program
    /// on the same date; once.
    pub(super) fn take_prepared(&self, date: Option<Date>) -> Option<Prepared> {
        if date != self.date {
            return None;
        }
        self.prepared
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take()
    }
}
