//! The command-line interface (SPEC §3): argument parsing and the commands. Everything here
//! is I/O around the pure pipeline: load → check → evaluate → print.

mod args;
pub mod clock;
mod diff_cmd;
mod explain_cmd;
pub(crate) mod print;
mod stats;
pub(crate) mod test_cmd;

use std::io::Write;
use std::mem::ManuallyDrop;
use std::time::Duration;

use clap::Parser;

use grondslag::bill::{self, Amendments};
use grondslag::check::check;
use grondslag::diagnostic::{render_all, Diagnostic};
use grondslag::eval::{self, EvalOptions, Limits, Policy};
use grondslag::load::{KnowledgeBase, Workspace};
use grondslag::model::Model;
use grondslag::syntax::ast::{Item, Lang, Module};
use grondslag::syntax::parse_query;
use grondslag::time::{self, in_force, InForce};
use grondslag::value::Date;

use args::{Cli, Command, Format};

/// Exit codes of SPEC §3.
pub const EXIT_OK: i32 = 0;
pub const EXIT_FAILED: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                EXIT_USAGE
            } else {
                EXIT_OK
            };
        }
    };
    let code = match run(cli) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            EXIT_USAGE
        }
    };
    if let Some(report) = stats::report() {
        eprint!("{report}");
    }
    code
}

/// What a command needs: the loaded workspace and the evaluation options.
struct Session {
    /// Never freed: the process ends with the command, and a large program's syntax tree is
    /// hundreds of thousands of allocations, which the OS reclaims at once (as compilers do,
    /// e.g. clang's `-disable-free`). The REPL takes it out and frees as it goes.
    ws: ManuallyDrop<Workspace>,
    /// `options.as_of` is the date given with `--as-of`, if any; each command settles the
    /// date it evaluates on (`grondslag::time`).
    options: EvalOptions,
    /// When neither `--as-of` nor a case's `date` says which law applies.
    today: Date,
    /// The language of explanations (`--lang`).
    lang: Lang,
}

fn run(cli: Cli) -> Result<i32, String> {
    let global = &cli.global;
    let options = eval_options(global);
    let command = cli.command.unwrap_or(Command::Repl { paths: Vec::new() });
    if global.stats {
        stats::enable();
    }
    let ws = stats::phase("load", || {
        let mut ws = Workspace::new();
        ws.load_knowledge(&KnowledgeBase::from_arg(&global.kb));
        ws.load_paths(command.paths());
        ws.load_bills(&global.bill);
        ws
    });
    let session = Session {
        ws: ManuallyDrop::new(ws),
        options,
        today: clock::today(),
        lang: match global.lang {
            args::LangArg::Nl => Lang::Nl,
            args::LangArg::En => Lang::En,
        },
    };
    Ok(match &command {
        Command::Check { format, .. } => session.check(*format),
        Command::Run { format, .. } => session.dated()?.run_queries(*format),
        Command::Query { query, format, .. } => session.dated()?.query(query, *format),
        Command::Model { format, .. } => session.dated()?.model(*format),
        Command::Test { .. } => test_cmd::run(&session),
        Command::Diff {
            paths,
            format,
            all,
            explain,
            jobs,
            output,
        } => diff_cmd::run(
            &session,
            &diff_cmd::Request {
                paths: paths.clone(),
                format: *format,
                all: *all,
                explain: *explain || *format == args::DiffFormat::Html,
                jobs: *jobs,
                output: output.clone(),
                lang: match global.lang {
                    args::LangArg::Nl => Lang::Nl,
                    args::LangArg::En => Lang::En,
                },
            },
        ),
        Command::Repl { paths } => crate::repl::run(
            ManuallyDrop::into_inner(session.ws),
            crate::repl::Settings {
                kb: KnowledgeBase::from_arg(&global.kb),
                paths: paths.clone(),
                bills: global.bill.clone(),
                options: session.options,
                lang: match global.lang {
                    args::LangArg::Nl => Lang::Nl,
                    args::LangArg::En => Lang::En,
                },
                history: !global.no_history,
            },
        ),
        Command::Explain {
            args,
            format,
            output,
            depth,
        } => explain_cmd::run(
            session,
            &explain_cmd::Request {
                args,
                format: *format,
                output: output.clone(),
                depth: *depth,
                lang: match global.lang {
                    args::LangArg::Nl => Lang::Nl,
                    args::LangArg::En => Lang::En,
                },
            },
        )?,
    })
}

/// The evaluation options the global flags ask for.
fn eval_options(global: &args::Global) -> EvalOptions {
    EvalOptions {
        limits: Limits {
            max_facts: global.max_facts,
            timeout: global.timeout.map(Duration::from_secs_f64),
            max_memory: crate::memory::budget(global.max_memory),
            interrupt: None,
        },
        as_of: global.as_of,
        policy: match global.policy {
            args::PolicyArg::Blocking => Policy::Blocking,
            args::PolicyArg::Propagating => Policy::Propagating,
        },
        provenance: false,
    }
}

/// The vocabulary checks of a goal asked outside the files (`query -q`, `explain`, the REPL).
pub(crate) fn check_goal(
    ws: &Workspace,
    body: &[grondslag::syntax::ast::BodyItem],
) -> Vec<Diagnostic> {
    let mut modules = ws.all_modules();
    modules.extend(ws.bill_modules());
    grondslag::check::goal(&modules, body)
}

/// `no_case_date` for the files loaded without a `case` header, judged on `date`.
pub(crate) fn undated(ws: &Workspace, date: Date, source: time::DateSource) -> Vec<Diagnostic> {
    let mut modules = ws.all_modules();
    modules.extend(ws.bill_modules());
    time::undated_cases(&modules, date, source)
}

/// Load and static-check problems: syntax, the checker's findings, and what lowering and
/// stratification find (cyclic negation).
pub(crate) fn static_diagnostics(ws: &Workspace, options: &EvalOptions) -> Vec<Diagnostic> {
    checked(ws, options).0
}

/// The static diagnostics, and everything loaded lowered, planned and stratified on the
/// evaluation date when that succeeded (evaluation may reuse it).
fn checked(ws: &Workspace, options: &EvalOptions) -> (Vec<Diagnostic>, Option<eval::Prepared>) {
    let mut diagnostics = ws.diagnostics.clone();
    let bills = ws.bill_modules();
    let mut modules = ws.all_modules();
    modules.extend(bills.iter().copied());
    stats::phase("check", || {
        diagnostics.extend(bill::check(&bills, &ws.all_modules()));
        // Bills are checked with everything else: their labels are unique across all that is
        // loaded, and `repeal` must name a known rule.
        diagnostics.extend(check(&ws.sources, &modules));
    });
    // Lowering and stratification tolerate the errors above, so their findings (unsafe
    // variables, cyclic negation) are reported in the same run.
    let prepared = match stats::phase("prepare", || eval::prepare(&ws.sources, &modules, options)) {
        Ok(prepared) => Some(prepared),
        Err(found) => {
            diagnostics.extend(found);
            None
        }
    };
    diagnostics.sort_by_key(|d| d.primary.as_ref().map(|l| (l.span.file, l.span.start)));
    (diagnostics, prepared)
}

/// The law in force on `as_of`: `modules` with the bills given with `--bill`, selected by date
/// (`grondslag::time`). Evaluations and explanations read the same modules from it.
pub(crate) fn law_in_force<'a>(
    ws: &'a Workspace,
    modules: &[&'a Module],
    as_of: Option<Date>,
) -> InForce<'a> {
    let bills = ws.bill_modules();
    let amendments = Amendments::of(&bills);
    let mut all = modules.to_vec();
    all.extend(bills);
    in_force(&all, &amendments, as_of)
}

/// Check, then evaluate `modules`. `Err` holds the diagnostics that stopped it (static errors
/// or an evaluation failure) with the warnings met on the way; a model carries its own
/// warnings, and the static warnings come back beside it.
pub(crate) fn check_and_evaluate(
    ws: &Workspace,
    modules: &[&Module],
    options: &EvalOptions,
) -> Result<(Model, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (diagnostics, prepared) = checked(ws, options);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    let law = law_in_force(ws, modules, options.as_of);
    // The check lowered everything loaded on the same date. When that is exactly what is
    // evaluated — every file, no bill (so `@valid` alone selected the rules, as lowering
    // does) — evaluation reuses it instead of lowering a large program twice.
    let same_program = ws.bill_modules().is_empty() && modules.len() == ws.all_modules().len();
    let evaluated = stats::phase("evaluate", || match prepared.filter(|_| same_program) {
        Some(prepared) => eval::evaluate_prepared(&law.modules(), prepared, &ws.inputs, options),
        None => eval::evaluate(&ws.sources, &law.modules(), &ws.inputs, options),
    });
    match evaluated {
        Ok(model) => {
            stats::evaluated(&model);
            Ok((model, diagnostics))
        }
        Err(found) => Err(diagnostics.into_iter().chain(found).collect()),
    }
}

impl Session {
    /// This session evaluating on the date the loaded files share (`run`, `query`, `model`).
    fn dated(mut self) -> Result<Session, String> {
        let cases = self.ws.case_modules();
        let (date, source) = time::shared_evaluation_date(self.options.as_of, &cases, self.today)?;
        self.report(&undated(&self.ws, date, source));
        self.options.as_of = Some(date);
        // A bill that is not in force on the date changes nothing: say so, or it looks ignored.
        for bill in Amendments::of(&self.ws.bill_modules()).bills {
            if bill.effective > date {
                eprintln!(
                    "note: bill `{}` takes effect on {}, after {date}, the date whose law applies; give `--as-of {}` to apply it",
                    bill.name, bill.effective, bill.effective
                );
            }
        }
        Ok(self)
    }

    fn static_diagnostics(&self) -> Vec<Diagnostic> {
        static_diagnostics(&self.ws, &self.options)
    }

    /// Print diagnostics to stderr; true when any is an error.
    fn report(&self, diagnostics: &[Diagnostic]) -> bool {
        if !diagnostics.is_empty() {
            eprint!("{}", render_all(diagnostics, &self.ws.sources));
        }
        diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Check, then evaluate `modules` under the law in force on `self.options.as_of`;
    /// diagnostics go to stderr. `None` when there were errors.
    fn evaluate(&self, modules: &[&Module]) -> Option<Model> {
        self.evaluate_with(modules, &self.options)
    }

    fn evaluate_with(&self, modules: &[&Module], options: &EvalOptions) -> Option<Model> {
        self.evaluate_reporting(modules, options, false)
    }

    /// Evaluate for a command whose output scripts may read: when that output is JSON and
    /// the input has errors, the diagnostics come on stdout as JSON too (as `check` gives
    /// them), besides the rendered text on stderr.
    fn evaluate_for(&self, modules: &[&Module], format: Format) -> Option<Model> {
        self.evaluate_reporting(modules, &self.options, format == Format::Json)
    }

    fn evaluate_reporting(
        &self,
        modules: &[&Module],
        options: &EvalOptions,
        json_errors: bool,
    ) -> Option<Model> {
        match check_and_evaluate(&self.ws, modules, options) {
            Ok((model, warnings)) => {
                self.report(&warnings);
                self.report(&model.warnings);
                Some(model)
            }
            Err(diagnostics) => {
                self.report(&diagnostics);
                if json_errors {
                    println!("{}", diagnostics_json(&diagnostics, &self.ws.sources));
                }
                None
            }
        }
    }

    fn check(&self, format: Format) -> i32 {
        let mut diagnostics = self.static_diagnostics();
        // Which law the files would be judged under, when they do not say.
        let cases = self.ws.case_modules();
        if let Ok((date, source)) =
            time::shared_evaluation_date(self.options.as_of, &cases, self.today)
        {
            diagnostics.extend(undated(&self.ws, date, source));
        }
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = diagnostics.len() - errors;
        let mut out = std::io::stdout().lock();
        if format == Format::Json {
            let _ = writeln!(out, "{}", diagnostics_json(&diagnostics, &self.ws.sources));
        } else {
            let _ = write!(out, "{}", render_all(&diagnostics, &self.ws.sources));
            let _ = writeln!(out, "{}", print::plural_summary(errors, warnings));
        }
        if errors > 0 {
            EXIT_FAILED
        } else {
            EXIT_OK
        }
    }

    /// `run`: evaluate everything and answer the `?-` queries of the user's files.
    fn run_queries(&self, format: Format) -> i32 {
        let modules = self.ws.all_modules();
        let Some(model) = self.evaluate_for(&modules, format) else {
            return EXIT_FAILED;
        };
        let queries: Vec<_> = self
            .ws
            .user_modules()
            .into_iter()
            .flat_map(|m| m.items.iter())
            .filter_map(|item| match item {
                Item::Query(q) => Some(q),
                _ => None,
            })
            .collect();
        let mut out = std::io::stdout().lock();
        let mut results = Vec::new();
        for query in queries {
            let text = self.ws.sources.snippet(query.span).to_string();
            let answers = match model.try_answer(query) {
                Ok(answers) => answers,
                Err(stop) => {
                    eprint!("{}", render_all(&[stop], &self.ws.sources));
                    return EXIT_FAILED;
                }
            };
            if format == Format::Json {
                results.push(print::answers_json(&text, query, &answers));
            } else {
                let _ = writeln!(out, "{}.", grondslag::escape::text(&text));
                let _ = write!(out, "{}", print::answers_table(query, &answers));
            }
        }
        if format == Format::Json {
            let _ = writeln!(out, "{}", serde_json::Value::Array(results));
        }
        leave_to_exit(model);
        EXIT_OK
    }

    /// `query -q GOAL`.
    fn query(&self, text: &str, format: Format) -> i32 {
        // The query is parsed as its own source, so its errors point into it.
        let mut sources = self.ws.sources.clone();
        let file = sources.add("<query>", text.to_string());
        let query = match parse_query(&sources, file) {
            Ok(query) => query,
            Err(diagnostics) => {
                eprint!("{}", render_all(&diagnostics, &sources));
                return EXIT_FAILED;
            }
        };
        // A query about an unknown predicate would answer nothing, whatever the law says.
        let problems = check_goal(&self.ws, &query.body);
        if !problems.is_empty() {
            eprint!("{}", render_all(&problems, &sources));
            if problems.iter().any(Diagnostic::is_error) {
                return EXIT_FAILED;
            }
        }
        let modules = self.ws.all_modules();
        let Some(model) = self.evaluate_for(&modules, format) else {
            return EXIT_FAILED;
        };
        let answers = match model.try_answer(&query) {
            Ok(answers) => answers,
            Err(stop) => {
                eprint!("{}", render_all(&[stop], &sources));
                return EXIT_FAILED;
            }
        };
        let mut out = std::io::stdout().lock();
        let _ = match format {
            Format::Json => writeln!(out, "{}", print::answers_json(text, &query, &answers)),
            Format::Csv => write!(out, "{}", print::answers_csv(&query, &answers)),
            Format::Text => write!(out, "{}", print::answers_table(&query, &answers)),
        };
        leave_to_exit(model);
        EXIT_OK
    }

    /// `model`: every derived literal by section.
    fn model(&self, format: Format) -> i32 {
        let modules = self.ws.all_modules();
        let Some(model) = self.evaluate_for(&modules, format) else {
            return EXIT_FAILED;
        };
        stats::phase("output", || {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let _ = match format {
                Format::Json => serde_json::to_writer(&mut out, &model.sections())
                    .map_err(std::io::Error::from)
                    .and_then(|()| writeln!(out)),
                _ => print::write_sections_text(&model, &mut out),
            };
        });
        leave_to_exit(model);
        EXIT_OK
    }
}

/// Not freed: a command's model is left to the process exit, as the workspace is
/// ([`Session::ws`]).
fn leave_to_exit<T>(value: T) {
    std::mem::forget(value);
}

/// `{"diagnostics": [...], "errors": N, "warnings": M}`: the JSON form of `check`.
fn diagnostics_json(
    diagnostics: &[Diagnostic],
    sources: &grondslag::source::SourceMap,
) -> serde_json::Value {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    serde_json::json!({
        "diagnostics": diagnostics.iter().map(|d| d.to_json(sources)).collect::<Vec<_>>(),
        "errors": errors,
        "warnings": diagnostics.len() - errors,
    })
}
