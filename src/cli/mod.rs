//! The command-line interface (docs/cli.md): argument parsing and the commands. Each command
//! is a call into the library's driver (`grondslag::driver`) and the printing of what it
//! returns; `repl` starts the REPL (`crate::repl`), which `main` runs.
//!
//! Results go to standard output, diagnostics to standard error — except with `--format json`,
//! where every diagnostic is part of the JSON document on standard output ([`Session::report`]).

mod args;
pub mod clock;
mod diff_cmd;
mod explain_cmd;
mod manual;
pub(crate) mod output;
pub(crate) mod print;
mod stats;
mod test_cmd;

use std::cell::RefCell;
use std::io::{Read, Write};
use std::mem::ManuallyDrop;
use std::path::PathBuf;
use std::time::Duration;

use clap::{CommandFactory, FromArgMatches};

use grondslag::diagnostic::{render_all, Diagnostic};
use grondslag::driver::{
    self, Bills, Case, Checked, Dating, Evaluation, Limits, OpenNorms, Options, Policy,
};
use grondslag::escape;
use grondslag::load::{KnowledgeBase, Workspace, STANDARD_INPUT};
use grondslag::source::SourceMap;
use grondslag::syntax::ast::{Item, Lang};
use grondslag::value::Date;

use args::{Cli, Command, Format};

/// The exit codes (docs/cli.md).
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
    // `--version` names the bundled knowledge base's date, which takes reading it: only then.
    let mut command = Cli::command();
    if std::env::args_os()
        .skip(1)
        .any(|a| a == "--version" || a == "-V")
    {
        // Leaked: one string, for the life of the process.
        command = command.version(&*Box::leak(manual::version().into_boxed_str()));
    }
    let parsed = command
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
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
    /// With `--format json`: the diagnostics, as JSON, for the document on standard output
    /// (`None`: they are printed on standard error as text).
    gathered: Option<RefCell<Vec<serde_json::Value>>>,
}

fn run(cli: Cli) -> Result<Outcome, String> {
    let global = &cli.global;
    let options = options(global);
    let command = cli.command.unwrap_or(Command::Repl { paths: Vec::new() });
    if global.stats {
        stats::enable();
    }
    match &command {
        Command::Completions { shell } => return Ok(Outcome::Done(manual::completions(*shell))),
        Command::Man => return Ok(Outcome::Done(manual::man())),
        _ => {}
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
    let standard_input = read_standard_input(&command, &global.bill, max_file_size)?;
    let ws = stats::phase("load", || {
        driver::load_with_input(
            &kb,
            command.paths(),
            &global.bill,
            max_file_size,
            standard_input,
        )
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
        gathered: command.json().then(RefCell::default),
    };
    Ok(Outcome::Done(match &command {
        Command::Check { .. } => session.check(),
        Command::Run { format, .. } => session.run_queries(*format)?,
        Command::Query { query, format, .. } => session.query(query, *format)?,
        Command::Model { format, .. } => session.model(*format)?,
        Command::Test { format, .. } => test_cmd::run(&session, *format),
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
        Command::Completions { .. } | Command::Man => unreachable!("answered before loading"),
    }))
}

/// Standard input, when a path is `-` (the command's paths, the goal's paths of `explain`, or
/// a `--bill`): read once, loaded where `-` stands.
/// At most one byte over `max_file_size` is read, so that the loader can refuse it as too
/// large (`file_too_large`) without holding more.
fn read_standard_input(
    command: &Command,
    bills: &[PathBuf],
    max_file_size: u64,
) -> Result<Option<String>, String> {
    let explain_paths = match command {
        Command::Explain { args, .. } => args.split_last().map_or(&[][..], |(_, paths)| paths),
        _ => &[],
    };
    let named = command
        .paths()
        .iter()
        .chain(bills)
        .map(|p| p.as_os_str())
        .chain(
            explain_paths
                .iter()
                .map(|p| std::ffi::OsStr::new(p.as_str())),
        )
        .any(|p| p == STANDARD_INPUT);
    if !named {
        return Ok(None);
    }
    let mut text = String::new();
    std::io::stdin()
        .take(max_file_size.saturating_add(1))
        .read_to_string(&mut text)
        .map_err(|err| format!("cannot read standard input (`-`): {err}"))?;
    Ok(Some(text))
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
        open_norms: match global.open_norms {
            args::OpenNormsArg::Assume => OpenNorms::Assume,
            args::OpenNormsArg::Open => OpenNorms::Open,
        },
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

    /// Report diagnostics about the loaded files; true when any is an error.
    fn report(&self, diagnostics: &[Diagnostic]) -> bool {
        self.report_in(diagnostics, &self.ws.sources)
    }

    /// Report diagnostics whose places are in `sources` (a goal read as its own source):
    /// as text on standard error, or, with `--format json`, kept for the JSON document.
    /// True when any is an error.
    fn report_in(&self, diagnostics: &[Diagnostic], sources: &SourceMap) -> bool {
        match &self.gathered {
            Some(gathered) => gathered
                .borrow_mut()
                .extend(diagnostics.iter().map(|d| d.to_json(sources))),
            None if !diagnostics.is_empty() => eprint!("{}", render_all(diagnostics, sources)),
            None => {}
        }
        diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The diagnostics reported so far, as JSON (empty when they went to standard error).
    fn diagnostics_json(&self) -> Vec<serde_json::Value> {
        self.gathered
            .as_ref()
            .map(|g| g.borrow().clone())
            .unwrap_or_default()
    }

    /// A command's JSON document: its `schema`, the diagnostics reported, then its fields.
    fn document(&self, schema: &str, fields: serde_json::Value) -> serde_json::Value {
        let mut document = serde_json::json!({
            "schema": schema,
            "diagnostics": self.diagnostics_json(),
        });
        if let (Some(document), serde_json::Value::Object(fields)) =
            (document.as_object_mut(), fields)
        {
            document.extend(fields);
        }
        document
    }

    /// A command that found errors in its input: exit code 1, and with `--format json` the
    /// diagnostics document on standard output in place of the result.
    fn failed(&self) -> i32 {
        if self.gathered.is_some() {
            println!("{}", diagnostics_document(&self.diagnostics_json()));
        }
        EXIT_FAILED
    }

    /// Check, then evaluate everything loaded under the law in force on `date`; the
    /// diagnostics are reported. `None` when there were errors.
    fn evaluate(&self, date: Date, options: &Options) -> Option<Evaluation> {
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
                None
            }
        }
    }

    /// `check`: every diagnostic and a summary line on standard error, or the diagnostics
    /// document on standard output (`--format json`).
    fn check(&self) -> i32 {
        let checked = self.checked(self.dating.as_of);
        let mut diagnostics = checked.diagnostics().to_vec();
        // Which law the files would be judged under, when they do not say.
        if let Ok(date) = self.dating.together(&self.ws) {
            diagnostics.extend(driver::undated(&self.ws, date));
        }
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = diagnostics.len() - errors;
        self.report(&diagnostics);
        if self.gathered.is_some() {
            println!("{}", diagnostics_document(&self.diagnostics_json()));
        } else {
            eprintln!("{}", print::plural_summary(errors, warnings));
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
        let Some(evaluation) = self.evaluate(date, &self.options) else {
            return Ok(self.failed());
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
                    self.report(&[*stop]);
                    return Ok(self.failed());
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
            let document = self.document(RUN_SCHEMA, serde_json::json!({ "queries": results }));
            let _ = writeln!(out, "{}", escape::json(&document));
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
                self.report_in(&diagnostics, &sources);
                return Ok(self.failed());
            }
        };
        // A query about an unknown predicate would answer nothing, whatever the law says.
        let problems = driver::check_goal(&self.ws, &query.body);
        if self.report_in(&problems, &sources) {
            return Ok(self.failed());
        }
        let Some(evaluation) = self.evaluate(date, &self.options) else {
            return Ok(self.failed());
        };
        let answers = match evaluation.try_answer(&query) {
            Ok(answers) => answers,
            Err(stop) => {
                self.report_in(&[*stop], &sources);
                return Ok(self.failed());
            }
        };
        let mut out = std::io::stdout().lock();
        let _ = match format {
            Format::Json => {
                let answers = print::answers_json(text, &query, &answers);
                writeln!(
                    out,
                    "{}",
                    escape::json(&self.document(QUERY_SCHEMA, answers))
                )
            }
            Format::Csv => write!(out, "{}", print::answers_csv(&query, &answers)),
            Format::Text => write!(out, "{}", print::answers_table(&query, &answers)),
        };
        leave_to_exit(evaluation);
        Ok(EXIT_OK)
    }

    /// `model`: every derived literal by section.
    fn model(&self, format: Format) -> Result<i32, String> {
        let date = self.shared_date()?;
        let Some(evaluation) = self.evaluate(date, &self.options) else {
            return Ok(self.failed());
        };
        let model = evaluation.model();
        stats::phase("output", || {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let _ = match format {
                Format::Json => {
                    let document = ModelDocument {
                        schema: MODEL_SCHEMA,
                        diagnostics: self.diagnostics_json(),
                        sections: model.sections(),
                    };
                    escape::json_to_writer(&mut out, &document, false)
                        .map_err(std::io::Error::from)
                        .and_then(|()| writeln!(out))
                }
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

/// The `schema` of each JSON document (docs/*.schema.json); the explanation's and the diff
/// report's are the library's.
const DIAGNOSTICS_SCHEMA: &str = "grondslag-diagnostics/1";
const RUN_SCHEMA: &str = "grondslag-run/1";
const QUERY_SCHEMA: &str = "grondslag-query/1";
const MODEL_SCHEMA: &str = "grondslag-model/1";

/// `{"schema", "diagnostics": [...], "errors": N, "warnings": M}`: what `check --format json`
/// prints, and what any command prints in place of its result when its input has errors;
/// inert, as every JSON document of the command line (`escape::Inert`).
fn diagnostics_document(diagnostics: &[serde_json::Value]) -> String {
    let errors = diagnostics
        .iter()
        .filter(|d| d["severity"] == "error")
        .count();
    escape::json(&serde_json::json!({
        "schema": DIAGNOSTICS_SCHEMA,
        "diagnostics": diagnostics,
        "errors": errors,
        "warnings": diagnostics.len() - errors,
    }))
}

/// `model --format json`: the sections streamed from the model beside the schema and the
/// diagnostics.
#[derive(serde::Serialize)]
struct ModelDocument<S: serde::Serialize> {
    schema: &'static str,
    diagnostics: Vec<serde_json::Value>,
    #[serde(flatten)]
    sections: S,
}
