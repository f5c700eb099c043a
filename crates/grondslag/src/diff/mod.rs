//! The diff of conclusions (docs/bills.md): a case evaluated under the law as it stands and under
//! the law with the draft bills, compared conclusion by conclusion.
//!
//! A *conclusion* is a ground atom `p(a, b)` with its verdict: it holds (`p` is defeasibly
//! provable), it is refuted (`~p` is), or it is undetermined (neither, or never derived).
//! A change is a conclusion whose verdict differs: it *appears* (undetermined → holds or
//! refuted), *disappears* (holds or refuted → undetermined) or *changes verdict* (holds ↔
//! refuted); a conclusion that keeps its verdict but rests on other presumed open norms
//! *changes assumptions* (`open_norm`). Each side carries its reasoning ([`reasoning`]): today the labelled rules on the
//! reasoning path with their `@source`; the explanation graphs of `crate::explain` plug in
//! there.
//!
//! By default only the verdicts of the case vocabulary are compared — `lawful/1`, `basis/2`,
//! `violation/2` (docs/vocabulary.md) — since those are what a policy maker reads; `--all`
//! compares every derived literal. A program without any of those predicates is compared in
//! full.
//!
//! Pure: models in, data out. Rendering is in [`render`]; the evaluations it compares are set
//! up by `driver::Comparison`.

pub mod catalogue;
pub mod reasoning;
pub mod render;

use std::collections::{BTreeSet, HashSet};

use crate::bill::Bill;
use crate::model::Model;
use crate::time::DateSource;
use crate::value::{Date, Value};

pub use catalogue::Catalogue;
pub use reasoning::{Explaining, Reasoning};

/// The predicates whose verdicts the diff compares by default, in report order.
pub const VERDICT_PREDICATES: [&str; 3] = ["lawful", "basis", "violation"];

/// Where a conclusion ends in one evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    /// `p(..)` is defeasibly provable (or definite).
    Holds,
    /// `~p(..)` is.
    Refuted,
    /// Neither, or the literal was never derived.
    Undetermined,
}

impl Verdict {
    /// Its name in reports: `holds`, `refuted`, `undetermined`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Holds => "holds",
            Verdict::Refuted => "refuted",
            Verdict::Undetermined => "undetermined",
        }
    }

    /// The verdict of `pred(args)` in a model.
    pub fn of(model: &Model, pred: &str, args: &[Value]) -> Verdict {
        let provable = |negated| {
            model
                .status(pred, negated, args)
                .is_some_and(|s| s.is_provable())
        };
        if provable(false) {
            Verdict::Holds
        } else if provable(true) {
            Verdict::Refuted
        } else {
            Verdict::Undetermined
        }
    }
}

/// How a conclusion's verdict changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    /// Undetermined before, holds or refuted after.
    Appears,
    /// Holds or refuted before, undetermined after.
    Disappears,
    /// Holds before and refuted after, or the other way round.
    ChangesVerdict,
    /// The same verdict, resting on other open norms (presumed, `open_norm`).
    ChangesAssumptions,
}

impl ChangeKind {
    fn between(before: Verdict, after: Verdict) -> ChangeKind {
        match (before, after) {
            _ if before == after => ChangeKind::ChangesAssumptions,
            (Verdict::Undetermined, _) => ChangeKind::Appears,
            (_, Verdict::Undetermined) => ChangeKind::Disappears,
            _ => ChangeKind::ChangesVerdict,
        }
    }

    /// Its name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Appears => "appears",
            ChangeKind::Disappears => "disappears",
            ChangeKind::ChangesVerdict => "changes_verdict",
            ChangeKind::ChangesAssumptions => "changes_assumptions",
        }
    }
}

/// A ground atom, without its sign: the verdict says which side holds.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Conclusion {
    /// The predicate.
    pub pred: String,
    /// The arguments.
    pub args: Vec<Value>,
}

impl std::fmt::Display for Conclusion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.args.is_empty() {
            return write!(f, "{}", self.pred);
        }
        let args: Vec<String> = self.args.iter().map(Value::to_string).collect();
        write!(f, "{}({})", self.pred, args.join(", "))
    }
}

/// One side of a change: the verdict and why.
#[derive(Clone, Debug)]
pub struct Side {
    /// The verdict on this side.
    pub verdict: Verdict,
    /// Why.
    pub reasoning: Reasoning,
}

/// A conclusion whose verdict the bills change, with both sides and what made the
/// difference.
#[derive(Clone, Debug)]
pub struct Change {
    /// The ground atom.
    pub conclusion: Conclusion,
    /// How it changed.
    pub kind: ChangeKind,
    /// The law as it stands.
    pub before: Side,
    /// The law with the bills.
    pub after: Side,
    /// The bills' rules on the reasoning after the change: what made the difference.
    pub introduced: Vec<String>,
    /// Rules on the reasoning before that the bills repealed.
    pub repealed: Vec<String>,
    /// The bills' superiority pairs between rules on either reasoning: `(stronger, weaker)`.
    pub priorities: Vec<(String, String)>,
}

/// The verdict on one processing (`lawful(D)`) before and after: the summary table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerdictRow {
    /// The arguments of `lawful` (the processing).
    pub processing: Vec<Value>,
    /// Without the bills.
    pub before: Verdict,
    /// With the bills.
    pub after: Verdict,
}

/// One case file's result.
#[derive(Clone, Debug)]
pub struct CaseDiff {
    /// The case's name from its header (the file name when it has none).
    pub name: String,
    /// The case's title from its header.
    pub title: Option<String>,
    /// The file, as the user named it.
    pub file: String,
    /// The case's own date (the diff evaluates on the report's date, not this one).
    pub date: Option<Date>,
    /// The verdict on each processing, before and after.
    pub verdicts: Vec<VerdictRow>,
    /// The conclusions that change, in report order.
    pub changes: Vec<Change>,
    /// The evaluation failed (e.g. `resource_limit`): the rendered diagnostics.
    pub error: Option<String>,
}

impl CaseDiff {
    /// Whether anything changes.
    pub fn changed(&self) -> bool {
        !self.changes.is_empty()
    }
}

/// The whole report.
#[derive(Clone, Debug)]
pub struct Report {
    /// The bills compared.
    pub bills: Vec<Bill>,
    /// The file of each bill, as named.
    pub bill_files: Vec<String>,
    /// The date both laws were taken on.
    pub date: Date,
    /// Why that date.
    pub date_source: DateSource,
    /// `--all`: every derived literal was compared, not only the verdicts.
    pub all: bool,
    /// The repeals in effect on `date`.
    pub repeals: Vec<crate::bill::Repeal>,
    /// Changes left without explanation graphs (a report explains a bounded number).
    pub unexplained: usize,
    /// Each case's result, in the order of the files.
    pub cases: Vec<CaseDiff>,
}

impl Report {
    /// How many cases change.
    pub fn changed_cases(&self) -> usize {
        self.cases.iter().filter(|c| c.changed()).count()
    }

    /// How many cases could not be evaluated.
    pub fn failed_cases(&self) -> usize {
        self.cases.iter().filter(|c| c.error.is_some()).count()
    }
}

/// Which conclusions to compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// `lawful`, `basis`, `violation` (falls back to every literal when a program has none).
    Verdicts,
    /// Every derived literal.
    All,
}

/// What the comparison of one case needs besides its two models.
pub struct Context<'a> {
    /// The rules, to attribute changes to the bills.
    pub catalogue: &'a Catalogue,
    /// The bills and their repeals.
    pub amendments: &'a crate::bill::Amendments,
    /// The date compared on.
    pub date: Date,
    /// Which conclusions to compare.
    pub scope: Scope,
}

/// Compare the model before the bills with the model after: the verdict rows and the changes,
/// in report order (verdict predicates first, then by predicate and arguments).
pub fn compare(before: &Model, after: &Model, cx: &Context) -> (Vec<VerdictRow>, Vec<Change>) {
    compare_explained(before, after, cx, None)
}

/// [`compare`], with the explanation graph of each side of each change; `explaining` gives
/// the law each model was evaluated from (before, after).
pub fn compare_explained(
    before: &Model,
    after: &Model,
    cx: &Context,
    explaining: Option<(&Explaining, &Explaining)>,
) -> (Vec<VerdictRow>, Vec<Change>) {
    let mut atoms: BTreeSet<(usize, Conclusion)> = BTreeSet::new();
    let verdicts_only = cx.scope == Scope::Verdicts && has_verdict_predicates(after);
    for model in [before, after] {
        for (name, rows) in model.relations() {
            let pred = name.strip_prefix('~').unwrap_or(&name).to_string();
            let rank = VERDICT_PREDICATES
                .iter()
                .position(|p| *p == pred)
                .unwrap_or(VERDICT_PREDICATES.len());
            if verdicts_only && rank == VERDICT_PREDICATES.len() {
                continue;
            }
            for (args, _) in rows {
                atoms.insert((
                    rank,
                    Conclusion {
                        pred: pred.clone(),
                        args,
                    },
                ));
            }
        }
    }
    let mut rows = Vec::new();
    let mut changes = Vec::new();
    for (_, conclusion) in atoms {
        let was = Verdict::of(before, &conclusion.pred, &conclusion.args);
        let now = Verdict::of(after, &conclusion.pred, &conclusion.args);
        if conclusion.pred == VERDICT_PREDICATES[0] && conclusion.args.len() == 1 {
            rows.push(VerdictRow {
                processing: conclusion.args.clone(),
                before: was,
                after: now,
            });
        }
        if was == now && same_assumptions(before, after, &conclusion, was) {
            continue;
        }
        let before_side = Side {
            verdict: was,
            reasoning: reasoning::of(before, &conclusion, was, explaining.map(|e| e.0)),
        };
        let after_side = Side {
            verdict: now,
            reasoning: reasoning::of(after, &conclusion, now, explaining.map(|e| e.1)),
        };
        changes.push(attribute(
            conclusion,
            ChangeKind::between(was, now),
            before_side,
            after_side,
            cx,
        ));
    }
    (rows, changes)
}

/// Whether the conclusion rests on the same presumed open norms in both models (for the
/// same verdict `verdict`).
fn same_assumptions(
    before: &Model,
    after: &Model,
    conclusion: &Conclusion,
    verdict: Verdict,
) -> bool {
    let presumed =
        |model: &Model, negated| model.presumed(&conclusion.pred, negated, &conclusion.args);
    match verdict {
        Verdict::Holds => presumed(before, false) == presumed(after, false),
        Verdict::Refuted => presumed(before, true) == presumed(after, true),
        // Left open: what each side would rest on.
        Verdict::Undetermined => {
            presumed(before, false) == presumed(after, false)
                && presumed(before, true) == presumed(after, true)
        }
    }
}

fn has_verdict_predicates(model: &Model) -> bool {
    model.relations().any(|(name, _)| {
        let pred = name.strip_prefix('~').unwrap_or(&name);
        VERDICT_PREDICATES.contains(&pred)
    })
}

/// Name what in the bills made the difference: their rules on the new reasoning, the rules
/// they repealed from the old one, and their priorities between rules on either.
fn attribute(
    conclusion: Conclusion,
    kind: ChangeKind,
    before: Side,
    after: Side,
    cx: &Context,
) -> Change {
    let introduced = after
        .reasoning
        .rules
        .iter()
        .filter(|l| cx.catalogue.rule(l).is_some_and(|r| r.bill.is_some()))
        .cloned()
        .collect();
    let repealed = before
        .reasoning
        .rules
        .iter()
        .filter(|l| {
            cx.amendments
                .repeal_of(l)
                .is_some_and(|r| r.effective <= cx.date)
        })
        .cloned()
        .collect();
    let on_path: HashSet<&String> = before
        .reasoning
        .rules
        .iter()
        .chain(&after.reasoning.rules)
        .collect();
    let priorities = cx
        .catalogue
        .bill_priorities
        .iter()
        .filter(|(s, _, bill)| {
            let in_force = cx
                .amendments
                .bills
                .iter()
                .any(|b| b.name == *bill && b.effective <= cx.date);
            // A pair matters where its stronger rule took part in the reasoning.
            in_force && on_path.contains(s)
        })
        .map(|(s, w, _)| (s.clone(), w.clone()))
        .collect();
    Change {
        conclusion,
        kind,
        before,
        after,
        introduced,
        repealed,
        priorities,
    }
}
