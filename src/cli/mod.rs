//! The command-line interface (SPEC §3): argument parsing and the commands. Each command is a
//! call into the library's driver (`grondslag::driver`) and the printing of what it returns;
//! `repl` starts the REPL (`crate::repl`), which `main` runs.

mod args;
pub mod clock;
mod diff_cmd;
mod explain_cmd;
pub(crate) mod output;
pub(crate) mod print;
mod stats;
mod test_cmd;

use std::io::Write;
use std::mem::ManuallyDrop;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

use grondslag::diagnostic::{render_all, Diagnostic};
use grondslag::driver::{self, Bills, Case, Checked, Dating, Evaluation, Limits, Options, Policy};
use grondslag::escape;
use grondslag::load::{KnowledgeBase, Workspace};
use grondslag::syntax::ast::{Item, Lang};
use grondslag::value::Date;

use args::{Cli, Command, Format};

/// Exit codes of SPEC §3.
pub const EXIT_OK: i32 = 0;
pub const EXIT_FAILED: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

/// What the command line asked for: a command that has run, or the REPL to start.
pub enum Outcome {
    Done(i32),
    Repl(Box<ReplStart>),
    Serve(Box<ServeStart>),
}

/// How the workbench (`grondslag serve`, `crate::serve`) was asked to start.
pub struct ServeStart {
    /// The folder of case files and bills it reads and writes.
    pub folder: PathBuf,
    pub address: std::net::SocketAddr,
    pub kb: KnowledgeBase,
    /// `--max-file-size`: the largest file the workbench reads.
    pub max_file_size: u64,
    /// The global flags: the limits (`--max-memory`, `--timeout`, `--max-facts`), the policy.
    pub options: Options,
    /// `--as-of`: the bill page's date unless the user gives one.
    pub as_of: Option<Date>,
    /// `--lang`: the pages' language until the user picks another.
    pub lang: Lang,
}

/// How the REPL was asked to start.
pub struct ReplStart {
    /// The knowledge base, files and bills, loaded.
    pub ws: Workspace,
    pub kb: KnowledgeBase,
    pub paths: Vec<PathBuf>,
    /// `--bill` files, already loaded into the workspace.
    pub bills: Vec<PathBuf>,
    pub options: Options,
    pub as_of: Option<Date>,
    pub lang: Lang,
    /// `--no-history` turns it off.
    pub history: bool,
}

pub fn main() -> Outcome {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return Outcome::Done(if err.use_stderr() {
                EXIT_USAGE
            } else {
                EXIT_OK
            });
        }
    };
    match run(cli) {
        Ok(outcome) => outcome,
        Err(message) => {
            eprintln!("error: {message}");
            Outcome::Done(EXIT_USAGE)
        }
    }
}

/// After the command (or the REPL): the `--stats` report.
pub fn finish(code: i32) -> i32 {
    if let Some(report) = stats::report() {
        eprint!("{report}");
    }
    code
}

/// What a command needs: the loaded workspace and how to evaluate.
struct Session {
    /// Never freed: the process ends with the command, and a large program's syntax tree is
    /// hundreds of thousands of allocations, which the OS reclaims at once (as compilers do,
    /// e.g. clang's `-disable-free`). The REPL takes it out and frees as it goes.
    ws: ManuallyDrop<Workspace>,
    options: Options,
    /// `--as-of`, and today for when nothing else says which law applies.
    dating: Dating,
    /// The language of explanations (`--lang`).
    lang: Lang,
}

fn run(cli: Cli) -> Result<Outcome, String> {
    let global = &cli.global;
    let options = options(global);
    let command = cli.command.unwrap_or(Command::Repl { paths: Vec::new() });
    if global.stats {
        stats::enable();
    }
    let kb = KnowledgeBase::from_arg(&global.kb);
    let max_file_size = global
        .max_file_size
        .unwrap_or(grondslag::load::DEFAULT_MAX_FILE_SIZE);
    if let Command::Serve { folder, bind, port } = &command {
        return Ok(Outcome::Serve(Box::new(ServeStart {
            folder: folder.clone().unwrap_or_else(|| PathBuf::from(".")),
            address: std::net::SocketAddr::new(*bind, *port),
            kb,
            max_file_size,
            options,
            as_of: global.as_of,
            lang: lang_of(global.lang),
        })));
    }
    let ws = stats::phase("load", || {
        driver::load(&kb, command.paths(), &global.bill, max_file_size)
    });
    let lang = lang_of(global.lang);
    let session = Session {
        ws: ManuallyDrop::new(ws),
        options,
        dating: Dating {
            as_of: global.as_of,
            today: clock::today(),
        },
        lang,
    };
    Ok(Outcome::Done(match &command {
        Command::Check { format, .. } => session.check(*format),
        Command::Run { format, .. } => session.run_queries(*format)?,
        Command::Query { query, format, .. } => session.query(query, *format)?,
        Command::Model { format, .. } => session.model(*format)?,
        Command::Test { .. } => test_cmd::run(&session),
        Command::Diff {
            paths,
            format,
            all,
            explain,
            jobs,
            output,
            force,
        } => diff_cmd::run(
            &session,
            &diff_cmd::Request {
                paths: paths.clone(),
                format: *format,
                all: *all,
                explain: *explain || *format == args::DiffFormat::Html,
                jobs: *jobs,
                output: output.clone(),
                force: *force,
            },
        ),
        // Served before the workspace was loaded (above).
        Command::Serve { .. } => EXIT_USAGE,
        Command::Repl { paths } => {
            return Ok(Outcome::Repl(Box::new(ReplStart {
                ws: ManuallyDrop::into_inner(session.ws),
                kb,
                paths: paths.clone(),
                bills: global.bill.clone(),
                options: session.options,
                as_of: global.as_of,
                lang,
                history: !global.no_history,
            })))
        }
        Command::Explain {
            args,
            format,
            output,
            force,
            depth,
            detail,
            graph,
        } => explain_cmd::run(
            session,
            &explain_cmd::Request {
                args,
                format: *format,
                output: output.clone(),
                force: *force,
                depth: *depth,
                detail: *detail,
                graph: *graph,
            },
        )?,
    }))
}

fn lang_of(lang: args::LangArg) -> Lang {
    match lang {
        args::LangArg::Nl => Lang::Nl,
        args::LangArg::En => Lang::En,
        args::LangArg::Fr => Lang::Fr,
    }
}

/// The evaluation options the global flags ask for.
fn options(global: &args::Global) -> Options {
    Options {
        limits: Limits {
            max_facts: global.max_facts,
            timeout: global.timeout.map(Duration::from_secs_f64),
            max_memory: crate::memory::budget(global.max_memory),
            interrupt: None,
        },
        policy: match global.policy {
            args::PolicyArg::Blocking => Policy::Blocking,
            args::PolicyArg::Propagating => Policy::Propagating,
        },
        strategy: global.strategy.strategy(),
        provenance: false,
    }
}

impl Session {
    /// The date the loaded files share (`run`, `query`, `model`, `explain`). A bill that is
    /// not in force on it changes nothing: say so, or it looks ignored.
    fn shared_date(&self) -> Result<Date, String> {
        let (date, source) = self.dating.together(&self.ws)?;
        self.report(&driver::undated(&self.ws, (date, source)));
        for bill in driver::bills_after(&self.ws, date) {
            eprintln!(
                "note: bill `{}` takes effect on {}, after {date}, the date whose law applies; give `--as-of {}` to apply it",
                bill.name, bill.effective, bill.effective
            );
        }
        Ok(date)
    }

    /// The check, its phases counted for `--stats`.
    fn checked(&self, date: Option<Date>) -> Checked<'_> {
        let checked = driver::check(&self.ws, date);
        for (phase, took) in checked.timings() {
            stats::record_phase(phase, *took);
        }
        checked
    }

    /// Print diagnostics to stderr; true when any is an error.
    fn report(&self, diagnostics: &[Diagnostic]) -> bool {
        if !diagnostics.is_empty() {
            eprint!("{}", render_all(diagnostics, &self.ws.sources));
        }
        diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Check, then evaluate everything loaded under the law in force on `date`; diagnostics
    /// go to stderr (and, for a command whose output scripts read as JSON, the errors to
    /// stdout as JSON too, as `check` gives them). `None` when there were errors.
    fn evaluate(&self, date: Date, options: &Options, format: Format) -> Option<Evaluation> {
        let checked = self.checked(Some(date));
        let evaluated = checked
            .law(Some(date), Bills::Apply, options)
            .and_then(|law| {
                stats::phase("evaluate", || law.evaluate(Case::All))
                    .map_err(|found| checked.diagnostics().iter().cloned().chain(found).collect())
            });
        match evaluated {
            Ok(evaluation) => {
                stats::evaluated(&evaluation);
                self.report(checked.diagnostics());
                self.report(evaluation.warnings());
                Some(evaluation)
            }
            Err(diagnostics) => {
                self.report(&diagnostics);
                if format == Format::Json {
                    println!("{}", diagnostics_json(&diagnostics, &self.ws.sources));
                }
                None
            }
        }
    }

    fn check(&self, format: Format) -> i32 {
        let checked = self.checked(self.dating.as_of);
        let mut diagnostics = checked.diagnostics().to_vec();
        // Which law the files would be judged under, when they do not say.
        if let Ok(date) = self.dating.together(&self.ws) {
            diagnostics.extend(driver::undated(&self.ws, date));
        }
        let diagnostics = diagnostics.as_slice();
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = diagnostics.len() - errors;
        let mut out = std::io::stdout().lock();
        if format == Format::Json {
            let _ = writeln!(out, "{}", diagnostics_json(diagnostics, &self.ws.sources));
        } else {
            let _ = write!(out, "{}", render_all(diagnostics, &self.ws.sources));
            let _ = writeln!(out, "{}", print::plural_summary(errors, warnings));
        }
        if errors > 0 {
            EXIT_FAILED
        } else {
            EXIT_OK
        }
    }

    /// `run`: evaluate everything and answer the `?-` queries of the user's files.
    fn run_queries(&self, format: Format) -> Result<i32, String> {
        let date = self.shared_date()?;
        let Some(evaluation) = self.evaluate(date, &self.options, format) else {
            return Ok(EXIT_FAILED);
        };
        let queries = self
            .ws
            .user_modules()
            .into_iter()
            .flat_map(|m| m.items.iter())
            .filter_map(|item| match item {
                Item::Query(q) => Some(q),
                _ => None,
            });
        let mut out = std::io::stdout().lock();
        let mut results = Vec::new();
        for query in queries {
            let text = self.ws.sources.snippet(query.span).to_string();
            let answers = match evaluation.try_answer(query) {
                Ok(answers) => answers,
                Err(stop) => {
                    eprint!("{}", render_all(&[*stop], &self.ws.sources));
                    return Ok(EXIT_FAILED);
                }
            };
            if format == Format::Json {
                results.push(print::answers_json(&text, query, &answers));
            } else {
                let _ = writeln!(out, "{}.", escape::text(&text));
                let _ = write!(out, "{}", print::answers_table(query, &answers));
            }
        }
        if format == Format::Json {
            let _ = writeln!(out, "{}", escape::json(&results));
        }
        leave_to_exit(evaluation);
        Ok(EXIT_OK)
    }

    /// `query -q GOAL`.
    fn query(&self, text: &str, format: Format) -> Result<i32, String> {
        let date = self.shared_date()?;
        // The query is read as its own source, so its errors point into it.
        let mut sources = self.ws.sources.clone();
        let query = match driver::parse_query(&mut sources, "<query>", text) {
            Ok(query) => query,
            Err(diagnostics) => {
                eprint!("{}", render_all(&diagnostics, &sources));
                return Ok(EXIT_FAILED);
            }
        };
        // A query about an unknown predicate would answer nothing, whatever the law says.
        let problems = driver::check_goal(&self.ws, &query.body);
        if !problems.is_empty() {
            eprint!("{}", render_all(&problems, &sources));
            if problems.iter().any(Diagnostic::is_error) {
                return Ok(EXIT_FAILED);
            }
        }
        let Some(evaluation) = self.evaluate(date, &self.options, format) else {
            return Ok(EXIT_FAILED);
        };
        let answers = match evaluation.try_answer(&query) {
            Ok(answers) => answers,
            Err(stop) => {
                eprint!("{}", render_all(&[*stop], &sources));
                return Ok(EXIT_FAILED);
            }
        };
        let mut out = std::io::stdout().lock();
        let _ = match format {
            Format::Json => writeln!(
                out,
                "{}",
                escape::json(&print::answers_json(text, &query, &answers))
            ),
            Format::Csv => write!(out, "{}", print::answers_csv(&query, &answers)),
            Format::Text => write!(out, "{}", print::answers_table(&query, &answers)),
        };
        leave_to_exit(evaluation);
        Ok(EXIT_OK)
    }

    /// `model`: every derived literal by section.
    fn model(&self, format: Format) -> Result<i32, String> {
        let date = self.shared_date()?;
        let Some(evaluation) = self.evaluate(date, &self.options, format) else {
            return Ok(EXIT_FAILED);
        };
        let model = evaluation.model();
        stats::phase("output", || {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let _ = match format {
                Format::Json => escape::json_to_writer(&mut out, &model.sections(), false)
                    .map_err(std::io::Error::from)
                    .and_then(|()| writeln!(out)),
                _ => print::write_sections_text(model, &mut out),
            };
        });
        leave_to_exit(evaluation);
        Ok(EXIT_OK)
    }
}

/// Not freed: a command's evaluation is left to the process exit, as the workspace is
/// ([`Session::ws`]).
fn leave_to_exit<T>(value: T) {
    std::mem::forget(value);
}

/// `{"diagnostics": [...], "errors": N, "warnings": M}`: the JSON form of `check`.
fn diagnostics_json(diagnostics: &[Diagnostic], sources: &grondslag::source::SourceMap) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    escape::json(&serde_json::json!({
        "diagnostics": diagnostics.iter().map(|d| d.to_json(sources)).collect::<Vec<_>>(),
        "errors": errors,
        "warnings": diagnostics.len() - errors,
    }))
}
