//! The command line as data (clap). Global options may stand before or after the command.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use grondslag::driver::Strategy;
use grondslag::value::Date;

#[derive(Parser, Debug)]
#[command(
    name = "grondslag",
    version,
    about = "A legal reasoning engine: may organisation A share this person's data with B — and why (not)?"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Args, Debug)]
pub struct Global {
    /// The knowledge base: a file or directory, `none` for a bare engine; default: the bundled one.
    #[arg(
        long,
        global = true,
        default_value = "bundled",
        value_name = "PATH|none"
    )]
    pub kb: String,
    /// A draft bill to add (repeatable).
    #[arg(long, global = true, value_name = "FILE")]
    pub bill: Vec<PathBuf>,
    /// Apply the law in force on this date (YYYY-MM-DD).
    #[arg(long = "as-of", global = true, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<Date>,
    /// How ambiguity between conflicting defeasible rules spreads.
    #[arg(long, global = true, value_enum, default_value = "blocking")]
    pub policy: PolicyArg,
    /// Open norms (necessity, subsidiarity, ...) that no fact settles: `assume` them where a rule
    /// needs them (a conclusion then holds "provided that", with its assumptions listed), or
    /// leave them `open` (such a conclusion is undetermined until they are assessed).
    #[arg(
        long = "open-norms",
        global = true,
        value_enum,
        default_value = "assume"
    )]
    pub open_norms: OpenNormsArg,
    /// Which evaluator runs the program: `auto` (the fastest that takes each stratum), `naive`
    /// (the reference), `datafrog`, `linear`, `compare` (`auto` and `naive`, a difference
    /// between their answers reported as an internal error), or `scratch` (`auto`, each case
    /// evaluated from scratch instead of on the law prepared once for all cases).
    #[arg(long, global = true, value_enum, default_value = "auto")]
    pub strategy: StrategyArg,
    /// Language of explanations.
    #[arg(long, global = true, value_enum, default_value = "nl")]
    pub lang: LangArg,
    /// Stop evaluation after deriving this many facts.
    #[arg(long = "max-facts", global = true, value_name = "N")]
    pub max_facts: Option<u64>,
    /// Stop evaluation after this many seconds.
    #[arg(long, global = true, value_name = "SECONDS", value_parser = parse_seconds)]
    pub timeout: Option<f64>,
    /// Stop evaluation once it holds this much memory (e.g. 2G, 500M); default: half of
    /// what the process may use.
    #[arg(long = "max-memory", global = true, value_name = "SIZE", value_parser = crate::memory::parse_size)]
    pub max_memory: Option<u64>,
    /// Refuse input files larger than this (e.g. 1G, 500M); default: 256M.
    #[arg(long = "max-file-size", global = true, value_name = "SIZE", value_parser = crate::memory::parse_size)]
    pub max_file_size: Option<u64>,
    /// Keep no REPL history.
    #[arg(long = "no-history", global = true)]
    pub no_history: bool,
    /// Print, on stderr, the time each phase took and the size of what was evaluated.
    #[arg(long, global = true)]
    pub stats: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PolicyArg {
    Blocking,
    Propagating,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OpenNormsArg {
    Assume,
    Open,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StrategyArg {
    Auto,
    Naive,
    Datafrog,
    Linear,
    Compare,
    Scratch,
}

impl StrategyArg {
    /// The driver's strategy of the same name.
    pub fn strategy(self) -> Strategy {
        let name = self
            .to_possible_value()
            .map(|v| v.get_name().to_string())
            .unwrap_or_default();
        Strategy::parse(&name).unwrap_or_default()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    Nl,
    En,
    Fr,
}

/// How much of the memo `explain` shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DetailArg {
    Summary,
    Full,
}

/// Which graph `explain` draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphArg {
    Decisive,
    Full,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Csv,
}

/// The formats of `diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
    Md,
    Html,
}

/// The formats of `test`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TestFormat {
    /// A paragraph per expectation not met, then `N passed, M failed`.
    Text,
    /// The results as data (docs/test.schema.json).
    Json,
    /// JUnit XML, for CI systems.
    Junit,
}

/// The export formats of `explain` (docs/explanations.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    Text,
    Json,
    Dot,
    Mermaid,
    Md,
    Html,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Interactive session.
    Repl { paths: Vec<PathBuf> },
    /// Parse and check only.
    Check {
        paths: Vec<PathBuf>,
        #[arg(long, default_value = "text", value_parser = text_or_json)]
        format: Format,
    },
    /// Evaluate and print the answers of the `?-` queries in the files.
    Run {
        paths: Vec<PathBuf>,
        #[arg(long, default_value = "text", value_parser = text_or_json)]
        format: Format,
    },
    /// Answer one query, with the status of each answer.
    Query {
        paths: Vec<PathBuf>,
        /// The goal, e.g. 'lawful(D)'.
        #[arg(short = 'q', long = "query", value_name = "GOAL")]
        query: String,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Every derived literal, by section.
    Model {
        paths: Vec<PathBuf>,
        #[arg(long, default_value = "text", value_parser = text_or_json)]
        format: Format,
    },
    /// Why a literal holds, or why it does not (the goal is the last argument).
    Explain {
        /// Files or directories, then the goal, e.g. 'lawful(d1)'.
        #[arg(required = true, value_name = "PATHS... GOAL")]
        args: Vec<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: ExplainFormat,
        /// Write the explanation to this file instead of standard output.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        /// Write over FILE if it exists (never over a file read as input).
        #[arg(long, requires = "output")]
        force: bool,
        /// How many levels a why-not follows failing premises; default: every chain that
        /// decides the verdict, down to the facts.
        #[arg(long, value_name = "N")]
        depth: Option<usize>,
        /// `summary`: the memo alone; `full`: the memo, then the full derivation.
        #[arg(long, value_enum, default_value = "full")]
        detail: DetailArg,
        /// `decisive`: draw the decisive path; `full`: every node of the explanation.
        #[arg(long, value_enum, default_value = "decisive")]
        graph: GraphArg,
    },
    /// Check every `expect`.
    Test {
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: TestFormat,
    },
    /// Conclusions that change when the bills (`--bill`) are added, per case.
    Diff {
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: DiffFormat,
        /// Every derived literal that changes, not only the verdicts (`lawful`, `basis`,
        /// `violation`).
        #[arg(long)]
        all: bool,
        /// The full explanation of each side of each change (always in HTML, as graphs).
        #[arg(long)]
        explain: bool,
        /// Cases evaluated at the same time; default: one per core.
        #[arg(long, value_name = "N")]
        jobs: Option<usize>,
        /// Write the report to FILE instead of standard output.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        /// Write over FILE if it exists (never over a file read as input).
        #[arg(long, requires = "output")]
        force: bool,
    },
    /// Print a shell's completion script, e.g. `grondslag completions bash >
    /// ~/.local/share/bash-completion/completions/grondslag`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `grondslag man | man -l -`.
    Man,
    /// A local web workbench: state cases, test draft bills, browse the law (docs/workbench.md).
    Serve {
        /// The folder of case files and bills to open and save; nothing outside it is read or
        /// written. Default: the current directory.
        folder: Option<PathBuf>,
        /// The address to listen on. Anything but a loopback address opens the workbench to
        /// the network, without authentication: a warning says so.
        #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
        bind: IpAddr,
        /// The port to listen on; 0 picks a free one (the URL printed says which).
        #[arg(long, default_value_t = 7878, value_name = "PORT")]
        port: u16,
    },
}

impl Command {
    pub fn paths(&self) -> &[PathBuf] {
        match self {
            Command::Repl { paths }
            | Command::Check { paths, .. }
            | Command::Run { paths, .. }
            | Command::Query { paths, .. }
            | Command::Model { paths, .. }
            | Command::Test { paths, .. }
            | Command::Diff { paths, .. } => paths,
            Command::Explain { .. }
            | Command::Completions { .. }
            | Command::Man
            | Command::Serve { .. } => &[],
        }
    }

    /// Whether the command writes JSON (`--format json`): then its diagnostics are part of it.
    pub fn json(&self) -> bool {
        match self {
            Command::Check { format, .. }
            | Command::Run { format, .. }
            | Command::Query { format, .. }
            | Command::Model { format, .. } => *format == Format::Json,
            Command::Test { format, .. } => *format != TestFormat::Text,
            Command::Explain { format, .. } => *format == ExplainFormat::Json,
            Command::Diff { format, .. } => *format == DiffFormat::Json,
            Command::Repl { .. }
            | Command::Completions { .. }
            | Command::Man
            | Command::Serve { .. } => false,
        }
    }
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text).ok_or_else(|| format!("`{text}` is not a date; write YYYY-MM-DD"))
}

/// The most `--timeout` takes: a year. (A deadline is an instant on the monotonic clock; one
/// too far ahead does not exist.)
const MAX_TIMEOUT_SECONDS: f64 = 365.0 * 24.0 * 3600.0;

/// `--timeout`: a number of seconds, finite, positive, at most a year.
fn parse_seconds(text: &str) -> Result<f64, String> {
    let seconds: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if !seconds.is_finite() || seconds <= 0.0 || seconds > MAX_TIMEOUT_SECONDS {
        return Err(format!(
            "`{text}` is out of range: give a number of seconds above 0 and at most {MAX_TIMEOUT_SECONDS} (a year)"
        ));
    }
    Ok(seconds)
}

/// `--format` of `check`, `run` and `model`, which write text or JSON only.
fn text_or_json(text: &str) -> Result<Format, String> {
    match text {
        "text" => Ok(Format::Text),
        "json" => Ok(Format::Json),
        _ => Err(format!(
            "`{text}` is not a format of this command: use `text` or `json`"
        )),
    }
}
