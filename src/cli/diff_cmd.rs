//! `grondslag diff --bill FILE [PATHS]`: every case evaluated under the law as it stands and
//! under the law with the bills, on the bills' effective date (or `--as-of`), compared
//! conclusion by conclusion — the driver's `diff`, which evaluates the cases in parallel, one
//! per core (`--jobs`). Here: the report rendered and written, and a progress bar on stderr
//! when it is a terminal and the work takes a while.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use grondslag::diff;
use grondslag::driver::{self, DiffRequest};

use super::args::DiffFormat;
use super::output;
use super::{Session, EXIT_FAILED, EXIT_OK, EXIT_USAGE};

pub(super) struct Request {
    pub paths: Vec<PathBuf>,
    pub format: DiffFormat,
    pub all: bool,
    /// Build the explanation graph of each side of each change.
    pub explain: bool,
    pub jobs: Option<usize>,
    pub output: Option<PathBuf>,
    /// `--force`: write over an existing output file (never an input).
    pub force: bool,
}

pub(super) fn run(session: &Session, request: &Request) -> i32 {
    let ws = &session.ws;
    if ws.bill_modules().is_empty() {
        eprintln!("error: `diff` compares the law with and without a draft bill: give one with `--bill FILE`");
        return EXIT_USAGE;
    }
    if let Some(path) = &request.output {
        if let Err(refused) = output::check(path, ws, request.force) {
            eprintln!("error: {}", refused.on_command_line());
            return EXIT_USAGE;
        }
    }
    let checked = session.checked(session.dating.as_of);
    if session.report(checked.diagnostics()) {
        return session.failed();
    }
    session.report(&driver::undated(ws, session.dating.bills(ws)));
    if ws.case_modules().is_empty() {
        eprintln!(
            "error: no case files among {}: `diff` compares cases (files that start with `case name \"Title\" date D.`)",
            if request.paths.is_empty() { "the paths (none were given)".to_string() } else { describe_paths(&request.paths) }
        );
        return EXIT_USAGE;
    }
    let jobs = request.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    let diff_request = DiffRequest {
        date: session.dating.bills(ws),
        all: request.all,
        explain: request.explain.then_some(session.lang),
        jobs,
    };
    let mut progress = Progress::new();
    let diffed = driver::diff(
        &checked,
        &diff_request,
        &session.options,
        &mut |done, total| progress.show(done, total),
    );
    progress.finish();
    let (report, catalogue) = match diffed {
        Ok(done) => done,
        Err(diagnostics) => {
            session.report(&diagnostics);
            return session.failed();
        }
    };
    let style = diff::render::Style {
        catalogue: &catalogue,
        lang: session.lang,
    };
    let rendered = match request.format {
        DiffFormat::Text => diff::render::text(&report, &style),
        DiffFormat::Json => {
            let mut json = diff::render::json(&report, &style);
            if let Some(document) = json.as_object_mut() {
                let diagnostics = serde_json::Value::Array(session.diagnostics_json());
                document.insert("diagnostics".into(), diagnostics);
            }
            format!(
                "{}
",
                grondslag::escape::json(&json)
            )
        }
        DiffFormat::Md => diff::render::markdown(&report, &style),
        DiffFormat::Html => diff::render::html(&report, &style),
    };
    let written = match &request.output {
        Some(path) => output::write(path, rendered.as_bytes(), ws, request.force)
            .map_err(output::Refused::on_command_line),
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

/// A one-line progress bar on stderr: only on a terminal, and only once the work has taken
/// longer than a moment.
struct Progress {
    started: Instant,
    terminal: bool,
    shown: bool,
    last: Option<Instant>,
}

impl Progress {
    const DELAY: Duration = Duration::from_millis(700);
    const WIDTH: usize = 30;

    fn new() -> Progress {
        Progress {
            started: Instant::now(),
            terminal: std::io::stderr().is_terminal(),
            shown: false,
            last: None,
        }
    }

    fn show(&mut self, done: usize, total: usize) {
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
        let filled = Self::WIDTH * done / total.max(1);
        let rate = done as f64 / (now - self.started).as_secs_f64();
        let _ = write!(
            std::io::stderr(),
            "\r[{}{}] {done}/{} cases  {rate:.0}/s ",
            "#".repeat(filled),
            "-".repeat(Self::WIDTH - filled),
            total
        );
    }

    fn finish(&mut self) {
        if self.shown {
            // Clear the bar so that the report (if on the same terminal) starts clean.
            let _ = write!(std::io::stderr(), "\r{}\r", " ".repeat(Self::WIDTH + 40));
        }
    }
}
