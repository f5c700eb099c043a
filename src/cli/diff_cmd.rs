//! `grondslag diff --bill FILE [PATHS]`: every case evaluated under the law as it stands and
//! under the law with the bills, on the bills' effective date (or `--as-of`), compared
//! conclusion by conclusion (`grondslag::diff`). Cases are independent, so they are evaluated in
//! parallel, one per core; a progress bar goes to stderr when it is a terminal and the work
//! takes a while.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use grondslag::bill::Amendments;
use grondslag::diagnostic::render_all;
use grondslag::diff::{self, CaseDiff, Catalogue, Report, Scope};
use grondslag::eval::{self, EvalOptions};
use grondslag::syntax::ast::{Lang, Module};
use grondslag::time::{in_force, DateSource, InForce};
use grondslag::value::Date;

use super::args::DiffFormat;
use super::{Session, EXIT_FAILED, EXIT_OK, EXIT_USAGE};

pub(super) struct Request {
    pub paths: Vec<PathBuf>,
    pub format: DiffFormat,
    pub all: bool,
    /// Build the explanation graph of each side of each change.
    pub explain: bool,
    pub jobs: Option<usize>,
    pub output: Option<PathBuf>,
    pub lang: Lang,
}

pub(super) fn run(session: &Session, request: &Request) -> i32 {
    let ws = &session.ws;
    let bills = ws.bill_modules();
    if bills.is_empty() {
        eprintln!("error: `diff` compares the law with and without a draft bill: give one with `--bill FILE`");
        return EXIT_USAGE;
    }
    if session.report(&session.static_diagnostics()) {
        return EXIT_FAILED;
    }
    let cases = ws.case_modules();
    if cases.is_empty() {
        eprintln!(
            "error: no case files among {}: `diff` compares cases (files that start with `case name \"Title\" date D.`)",
            if request.paths.is_empty() { "the paths (none were given)".to_string() } else { describe_paths(&request.paths) }
        );
        return EXIT_USAGE;
    }
    let amendments = Amendments::of(&bills);
    let (date, date_source) = match session.options.as_of {
        Some(date) => (date, DateSource::AsOf),
        None => (
            amendments.all_in_force().unwrap_or(session.today),
            DateSource::Bill,
        ),
    };
    let mut options = session.options.clone();
    options.as_of = Some(date);
    session.report(&super::undated(ws, date, date_source));

    // The shared law before and after, selected once for every case.
    let shared = ws.shared_modules();
    let before = in_force(&shared, &Amendments::none(), Some(date));
    let mut with_bills = shared.clone();
    with_bills.extend(bills.iter().copied());
    let after = in_force(&with_bills, &amendments, Some(date));

    let mut everything = ws.all_modules();
    everything.extend(bills.iter().copied());
    let catalogue = Catalogue::new(&ws.sources, &everything, &amendments);
    let cx = diff::Context {
        catalogue: &catalogue,
        amendments: &amendments,
        date,
        scope: if request.all {
            Scope::All
        } else {
            Scope::Verdicts
        },
    };
    let job = Job {
        session,
        options: &options,
        before: &before,
        after: &after,
        amendments: &amendments,
        date,
        cx: &cx,
        explain: None,
    };
    let jobs = request.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    let mut results = evaluate_all(&job, &cases, jobs.max(1));
    let mut unexplained = 0;
    if request.explain {
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
        let mut with_provenance = options.clone();
        with_provenance.provenance = true;
        let explaining = Job {
            options: &with_provenance,
            explain: Some(request.lang),
            ..job
        };
        let subset: Vec<&Module> = explained.iter().map(|i| cases[*i]).collect();
        for (i, result) in
            explained
                .into_iter()
                .zip(evaluate_all(&explaining, &subset, jobs.max(1)))
        {
            results[i] = result;
        }
    }

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
    let style = diff::render::Style {
        catalogue: &catalogue,
        lang: request.lang,
    };
    let rendered = match request.format {
        DiffFormat::Text => diff::render::text(&report, &style),
        DiffFormat::Json => format!("{}\n", diff::render::json(&report, &style)),
        DiffFormat::Md => diff::render::markdown(&report, &style),
        DiffFormat::Html => diff::render::html(&report, &style),
    };
    let written = match &request.output {
        Some(path) => std::fs::write(path, rendered)
            .map_err(|e| format!("cannot write `{}`: {e}", path.display())),
        None => std::io::stdout()
            .lock()
            .write_all(rendered.as_bytes())
            .map_err(|e| e.to_string()),
    };
    if let Err(message) = written {
        eprintln!("error: {message}");
        return EXIT_FAILED;
    }
    if report.failed_cases() > 0 {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}

fn describe_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| format!("`{}`", p.display()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// At most about this many changes get explanation graphs (whole cases, in report order).
const MAX_EXPLAINED_CHANGES: usize = 200;

/// What every case's evaluation shares.
#[derive(Clone, Copy)]
struct Job<'a> {
    session: &'a Session,
    options: &'a EvalOptions,
    /// The shared law in force on `date`, without and with the bills.
    before: &'a InForce<'a>,
    after: &'a InForce<'a>,
    amendments: &'a Amendments,
    date: Date,
    cx: &'a diff::Context<'a>,
    /// Explain each side of each change, in this language.
    explain: Option<Lang>,
}

impl Job<'_> {
    /// One case: evaluate it under both laws and compare.
    fn case(&self, case: &Module) -> CaseDiff {
        let ws = &self.session.ws;
        let header = case.header.as_ref();
        let mut result = CaseDiff {
            name: header
                .map(|h| h.name.name.clone())
                .unwrap_or_else(|| ws.sources.get(case.file).name.clone()),
            title: header.and_then(|h| h.title.clone()),
            file: ws.sources.get(case.file).name.clone(),
            date: grondslag::time::case_date(case),
            verdicts: Vec::new(),
            changes: Vec::new(),
            error: None,
        };
        // The case's own rules are dated too, and a bill may repeal one of them.
        let own_before = in_force(&[case], &Amendments::none(), Some(self.date));
        let own_after = in_force(&[case], self.amendments, Some(self.date));
        let law_before = joined(self.before, &own_before);
        let law_after = joined(self.after, &own_after);
        let evaluate =
            |modules: &[&Module]| eval::evaluate(&ws.sources, modules, &ws.inputs, self.options);
        match (evaluate(&law_before), evaluate(&law_after)) {
            (Ok(before), Ok(after)) => {
                let explaining = |modules| {
                    self.explain.map(|lang| diff::Explaining {
                        sources: &ws.sources,
                        modules,
                        lang,
                        date: self.date,
                    })
                };
                let x_before = explaining(&law_before);
                let x_after = explaining(&law_after);
                let (verdicts, changes) = diff::compare_explained(
                    &before,
                    &after,
                    self.cx,
                    x_before.as_ref().zip(x_after.as_ref()),
                );
                result.verdicts = verdicts;
                result.changes = changes;
            }
            (Err(found), _) | (_, Err(found)) => {
                result.error = Some(render_all(&found, &ws.sources));
            }
        }
        result
    }
}

/// The modules of the shared law and of the case, in force.
fn joined<'a>(shared: &'a InForce, own: &'a InForce) -> Vec<&'a Module> {
    let mut modules = shared.modules();
    modules.extend(own.modules());
    modules
}

/// Evaluate every case on `jobs` threads, in the order of `cases`.
fn evaluate_all(job: &Job, cases: &[&Module], jobs: usize) -> Vec<CaseDiff> {
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<CaseDiff>>> = Mutex::new(vec![None; cases.len()]);
    let mut progress = Progress::new(cases.len());
    std::thread::scope(|scope| {
        for _ in 0..jobs.min(cases.len()) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(case) = cases.get(i) else { break };
                let result = job.case(case);
                results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(result);
                done.fetch_add(1, Ordering::Relaxed);
            });
        }
        while done.load(Ordering::Relaxed) < cases.len() {
            std::thread::sleep(Duration::from_millis(50));
            progress.show(done.load(Ordering::Relaxed));
        }
    });
    progress.finish();
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|r| r.expect("every case is evaluated"))
        .collect()
}

/// A one-line progress bar on stderr: only on a terminal, and only once the work has taken
/// longer than a moment.
struct Progress {
    total: usize,
    started: Instant,
    terminal: bool,
    shown: bool,
    last: Option<Instant>,
}

impl Progress {
    const DELAY: Duration = Duration::from_millis(700);
    const WIDTH: usize = 30;

    fn new(total: usize) -> Progress {
        Progress {
            total,
            started: Instant::now(),
            terminal: std::io::stderr().is_terminal(),
            shown: false,
            last: None,
        }
    }

    fn show(&mut self, done: usize) {
        let now = Instant::now();
        if !self.terminal || now - self.started < Self::DELAY {
            return;
        }
        if self
            .last
            .is_some_and(|l| now - l < Duration::from_millis(100))
        {
            return;
        }
        self.last = Some(now);
        self.shown = true;
        let filled = Self::WIDTH * done / self.total.max(1);
        let rate = done as f64 / (now - self.started).as_secs_f64();
        let _ = write!(
            std::io::stderr(),
            "\r[{}{}] {done}/{} cases  {rate:.0}/s ",
            "#".repeat(filled),
            "-".repeat(Self::WIDTH - filled),
            self.total
        );
    }

    fn finish(&mut self) {
        if self.shown {
            // Clear the bar so that the report (if on the same terminal) starts clean.
            let _ = write!(std::io::stderr(), "\r{}\r", " ".repeat(Self::WIDTH + 40));
        }
    }
}
