//! The diff set-up, in one place (`grondslag diff` and the REPL's `:diff`): each case
//! evaluated under the law as it stands and under the law with the bills, on one date, and
//! compared conclusion by conclusion (`crate::diff`). Cases are independent, so a report
//! evaluates them on several threads.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use crate::bill::Amendments;
use crate::diagnostic::{render_all, Diagnostic};
use crate::diff::{self, CaseDiff, Catalogue, Change, Explaining, Report, Scope, VerdictRow};
use crate::syntax::ast::{Lang, Module};
use crate::time::{self, DateSource};
use crate::value::Date;

use super::check::Checked;
use super::law::{Bills, Case, Law};
use super::Options;

/// At most about this many changes get explanation graphs in a report (whole cases, in
/// report order).
pub const MAX_EXPLAINED_CHANGES: usize = 200;

/// The law without and with the bills on one date, and what comparing under them needs.
pub struct Comparison<'c> {
    checked: &'c Checked<'c>,
    date: Date,
    /// The law as it stands and with the bills, each prepared once for every case; and the
    /// same keeping the reasoning, for the changes to explain.
    laws: [Law<'c>; 2],
    explaining: [Law<'c>; 2],
    amendments: Amendments,
    catalogue: Catalogue,
    scope: Scope,
}

impl<'c> Comparison<'c> {
    /// Compare on `date`, conclusions in `scope`. `Err`: the check found errors.
    pub fn new(
        checked: &'c Checked<'c>,
        date: Date,
        options: &Options,
        scope: Scope,
    ) -> Result<Comparison<'c>, Vec<Diagnostic>> {
        if checked.has_errors() {
            return Err(checked.diagnostics().to_vec());
        }
        let ws = checked.workspace();
        let bills = ws.bill_modules();
        let amendments = Amendments::of(&bills);
        let mut everything = ws.all_modules();
        everything.extend(bills.iter().copied());
        let catalogue = Catalogue::new(&ws.sources, &everything, &amendments);
        let on = Some(date);
        let explaining = Options {
            provenance: true,
            ..options.clone()
        };
        Ok(Comparison {
            checked,
            date,
            laws: [
                checked.law(on, Bills::Ignore, options)?,
                checked.law(on, Bills::Apply, options)?,
            ],
            explaining: [
                checked.law(on, Bills::Ignore, &explaining)?,
                checked.law(on, Bills::Apply, &explaining)?,
            ],
            amendments,
            catalogue,
            scope,
        })
    }

    /// The bills and their repeals.
    pub fn amendments(&self) -> &Amendments {
        &self.amendments
    }

    /// The rules of the law and the bills, for citing them.
    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    /// The date compared on.
    pub fn date(&self) -> Date {
        self.date
    }

    /// Evaluate `case` without and with the bills and compare: the verdict rows and the
    /// changes. With `explain`, each side of each change carries its explanation graph in that
    /// language (the evaluations then keep their reasoning).
    pub fn compare(
        &self,
        case: Case,
        explain: Option<Lang>,
    ) -> Result<(Vec<VerdictRow>, Vec<Change>), Vec<Diagnostic>> {
        let [without, with] = match explain {
            Some(_) => &self.explaining,
            None => &self.laws,
        };
        let before = without.evaluate(case)?;
        let after = with.evaluate(case)?;
        let cx = diff::Context {
            catalogue: &self.catalogue,
            amendments: &self.amendments,
            date: self.date,
            scope: self.scope,
        };
        let Some(lang) = explain else {
            return Ok(diff::compare(before.model(), after.model(), &cx));
        };
        let ws = self.checked.workspace();
        let (modules_before, modules_after) = (before.modules(ws), after.modules(ws));
        let x_before = Explaining {
            sources: &ws.sources,
            citations: &ws.citations,
            modules: &modules_before,
            not_in_force: before.not_in_force(),
            lang,
            date: self.date,
        };
        let x_after = Explaining {
            modules: &modules_after,
            not_in_force: after.not_in_force(),
            ..x_before
        };
        Ok(diff::compare_explained(
            before.model(),
            after.model(),
            &cx,
            Some((&x_before, &x_after)),
        ))
    }

    /// One case file's result, for a report: evaluation problems are kept in it, not
    /// returned.
    pub fn case(&self, case: &Module, explain: Option<Lang>) -> CaseDiff {
        let ws = self.checked.workspace();
        let header = case.header.as_ref();
        let mut result = CaseDiff {
            name: header
                .map(|h| h.name.name.clone())
                .unwrap_or_else(|| ws.sources.get(case.file).name.clone()),
            title: header.and_then(|h| h.title.clone()),
            file: ws.sources.get(case.file).name.clone(),
            date: time::case_date(case),
            verdicts: Vec::new(),
            changes: Vec::new(),
            error: None,
        };
        match self.compare(Case::One(case), explain) {
            Ok((verdicts, changes)) => {
                result.verdicts = verdicts;
                result.changes = changes;
            }
            Err(found) => result.error = Some(render_all(&found, &ws.sources)),
        }
        result
    }

    /// Every case on `jobs` threads, in the order of `cases`; `progress` is called now and
    /// then, on the calling thread, with the number of cases done and of cases in all.
    pub fn cases(
        &self,
        cases: &[&Module],
        explain: Option<Lang>,
        jobs: usize,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Vec<CaseDiff> {
        let next = AtomicUsize::new(0);
        let done = AtomicUsize::new(0);
        let results: Mutex<Vec<Option<CaseDiff>>> = Mutex::new(vec![None; cases.len()]);
        std::thread::scope(|scope| {
            for _ in 0..jobs.max(1).min(cases.len()) {
                scope.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(case) = cases.get(i) else { break };
                    let result = self.case(case, explain);
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(result);
                    done.fetch_add(1, Ordering::Relaxed);
                });
            }
            while done.load(Ordering::Relaxed) < cases.len() {
                std::thread::sleep(Duration::from_millis(50));
                progress(done.load(Ordering::Relaxed), cases.len());
            }
        });
        results
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_iter()
            .map(|r| r.expect("every case is evaluated"))
            .collect()
    }
}

/// What `grondslag diff` asks.
#[derive(Clone, Debug)]
pub struct DiffRequest {
    /// The date to compare on, and where it came from.
    pub date: (Date, DateSource),
    /// `--all`: every derived literal, not only the verdicts.
    pub all: bool,
    /// Explain each side of each change, in this language (the first changes only, up to
    /// [`MAX_EXPLAINED_CHANGES`]).
    pub explain: Option<Lang>,
    /// Cases evaluated at the same time.
    pub jobs: usize,
}

/// `grondslag diff`: every case loaded, compared without and with the bills; the report, and
/// the catalogue of the rules it cites (for rendering it). `Err`: the check found errors.
pub fn diff(
    checked: &Checked,
    request: &DiffRequest,
    options: &Options,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<(Report, Catalogue), Vec<Diagnostic>> {
    let ws = checked.workspace();
    let scope = if request.all {
        Scope::All
    } else {
        Scope::Verdicts
    };
    let (date, date_source) = request.date;
    let comparison = Comparison::new(checked, date, options, scope)?;
    let cases = ws.case_modules();
    let mut results = comparison.cases(&cases, None, request.jobs, progress);
    let mut unexplained = 0;
    if let Some(lang) = request.explain {
        // Explanations are large (a graph per side of each change): the first cases in report
        // order get them, up to a bound, evaluated again with the reasoning kept.
        let mut explained = Vec::new();
        let mut changes = 0;
        for (i, result) in results.iter().enumerate() {
            if !result.changed() {
                continue;
            }
            if changes >= MAX_EXPLAINED_CHANGES {
                unexplained += result.changes.len();
                continue;
            }
            changes += result.changes.len();
            explained.push(i);
        }
        let subset: Vec<&Module> = explained.iter().map(|i| cases[*i]).collect();
        let again = comparison.cases(&subset, Some(lang), request.jobs, progress);
        for (i, result) in explained.into_iter().zip(again) {
            results[i] = result;
        }
    }
    let amendments = comparison.amendments();
    let report = Report {
        bills: amendments.bills.clone(),
        bill_files: amendments
            .bills
            .iter()
            .map(|b| ws.sources.get(b.file).name.clone())
            .collect(),
        date,
        date_source,
        all: request.all,
        repeals: amendments
            .repeals()
            .into_iter()
            .filter(|r| r.effective <= date)
            .cloned()
            .collect(),
        cases: results,
        unexplained,
    };
    Ok((report, comparison.catalogue))
}
