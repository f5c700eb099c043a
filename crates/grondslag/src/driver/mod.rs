//! The driver: the one place that runs the stages in order. Every command of the command line
//! and of the REPL is a call into it; it returns data (models, answers, judgements,
//! explanation graphs, diff reports, diagnostics), never text for a terminal.
//!
//! ```text
//! load ─▶ check ─▶ law in force ─▶ lower and stratify ─▶ evaluate ─▶ answer / judge / explain / diff
//! Workspace   Checked      Law          (eval::prepare)     Evaluation
//! ```
//!
//! - [`load`] reads the knowledge base, the user's files and the bills into a
//!   [`Workspace`].
//! - [`check`] runs every static check on everything loaded — syntax, the checker, the bills,
//!   and lowering and stratification of the law in force on a date — and gives a [`Checked`]
//!   workspace: its diagnostics, and (when there is no error) the way to its law.
//! - [`Checked::law`] fixes the date, whether the bills apply, and the [`Options`]: a
//!   [`Law`], prepared once, which evaluates any [`Case`] on top of it.
//! - [`Law::evaluate`] selects the law in force (`time::in_force`, the only place that
//!   decides it), lowers, stratifies and evaluates, and gives an [`Evaluation`]: the model,
//!   with the questions one asks of it ([`Evaluation::answer`], [`Evaluation::judge`],
//!   [`Evaluation::explain`]).
//! - [`test()`] judges every `expect` case by case; [`Comparison`] evaluates cases with and
//!   without the bills and compares them ([`diff`] for a whole report).
//!
//! ```
//! use grondslag::driver::{self, Case, Options};
//! use grondslag::load::Workspace;
//! use grondslag::syntax::ast::Item;
//!
//! let mut ws = Workspace::new();
//! ws.load_text("case.law", "consent(d1).\nlawful(D) :- consent(D).\n?- lawful(X).\nexpect lawful(d1).\n");
//! let checked = driver::check(&ws, None);
//! assert!(checked.diagnostics().is_empty());
//! let law = checked.law(None, driver::Bills::Apply, &Options::default()).unwrap();
//! let evaluation = law.evaluate(Case::All).unwrap();
//! let items = &ws.modules[0].module.items;
//! let Item::Query(query) = &items[2] else { unreachable!() };
//! let answers = evaluation.answer(query);
//! assert_eq!(answers[0].bindings[0].1.to_string(), "d1");
//! let Item::Expect(expect) = &items[3] else { unreachable!() };
//! assert!(evaluation.judge(&ws, expect).passed());
//! ```

mod check;
mod dates;
mod diff;
mod evaluate;
mod expect;
mod goal;
mod law;
mod prepared;
mod whatif;

use std::path::PathBuf;

pub use crate::defeasible::Policy;
pub use crate::eval::limits::Interrupt;
pub use crate::eval::{Engine, Limits, Path, Paths};
pub use crate::load::{KnowledgeBase, Workspace};
pub use crate::open_norm::{Assumption, Mode as OpenNorms};

pub use check::{check, Checked};
pub use dates::{bills_after, undated, Dating};
pub use diff::{diff, Comparison, DiffRequest, MAX_EXPLAINED_CHANGES};
pub use evaluate::evaluate;
pub use expect::{test, Expectation, Found, Judgement, Program, TestReport, Via};
pub use goal::{check_expectation, check_goal, parse_query};
pub use law::{Bills, Case, Evaluation, Law, Style};
pub use prepared::Preparation;

/// How the evaluations of a run go: the same for every case.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// How ambiguity between conflicting defeasible rules spreads (`--policy`).
    pub policy: Policy,
    /// `--max-facts`, `--timeout`, and the REPL's interrupt.
    pub limits: Limits,
    /// Which evaluator runs the strata (`--strategy`).
    pub strategy: Strategy,
    /// Keep, for strict programs, what explanations and `expect ... via` need to rebuild a
    /// derivation (the height of every tuple; see `eval::provenance`). Programs with
    /// defeasible rules always keep their ground theory. Off for bulk runs.
    pub provenance: bool,
    /// Whether the open norms are assumed where the facts do not settle them, or left open
    /// (`--open-norms`).
    pub open_norms: OpenNorms,
}

/// How strata are evaluated (`--strategy`): one engine, or two whose models must agree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// Evaluate with this engine.
    Use(Engine),
    /// Evaluate with both engines; a difference between their models is an
    /// `internal_error` naming the first literal on which they differ. The first engine's
    /// model is the answer.
    Compare(Engine, Engine),
    /// Evaluate each case from scratch with this engine: its whole law selected, lowered,
    /// stratified and evaluated for it alone, nothing prepared once for all cases — the
    /// reference prepared laws are held to (`--strategy scratch`).
    Scratch(Engine),
}

impl Default for Strategy {
    fn default() -> Strategy {
        Strategy::Use(Engine::Auto)
    }
}

impl Strategy {
    /// The names `--strategy` takes.
    pub const NAMES: [&'static str; 6] =
        ["auto", "naive", "datafrog", "linear", "compare", "scratch"];

    /// `auto`, `naive`, `datafrog`, `linear`, `compare` (`auto` against `naive`), or
    /// `scratch` (`auto`, each case from scratch).
    ///
    /// ```
    /// use grondslag::driver::{Engine, Strategy};
    /// assert_eq!(Strategy::parse("linear"), Some(Strategy::Use(Engine::Linear)));
    /// assert_eq!(Strategy::parse("compare"), Some(Strategy::Compare(Engine::Auto, Engine::Naive)));
    /// assert_eq!(Strategy::parse("fast"), None);
    /// ```
    pub fn parse(name: &str) -> Option<Strategy> {
        if name == "compare" {
            return Some(Strategy::Compare(Engine::Auto, Engine::Naive));
        }
        if name == "scratch" {
            return Some(Strategy::Scratch(Engine::Auto));
        }
        Engine::ALL
            .into_iter()
            .find(|e| e.as_str() == name)
            .map(Strategy::Use)
    }
}

/// Load what a command names: the knowledge base, then the user's files and directories,
/// then the draft bills, refusing files above `max_file_size` bytes
/// ([`crate::load::DEFAULT_MAX_FILE_SIZE`] unless the user says otherwise). Problems (a
/// missing file, a FIFO, a syntax error) are in the workspace's diagnostics; [`check`]
/// reports them with the rest.
pub fn load(
    kb: &KnowledgeBase,
    paths: &[PathBuf],
    bills: &[PathBuf],
    max_file_size: u64,
) -> Workspace {
    load_with_input(kb, paths, bills, max_file_size, None)
}

/// [`load`], with the text the front end read from standard input: a path `-` among `paths`
/// or `bills` loads it (as `<stdin>`).
pub fn load_with_input(
    kb: &KnowledgeBase,
    paths: &[PathBuf],
    bills: &[PathBuf],
    max_file_size: u64,
    standard_input: Option<String>,
) -> Workspace {
    let mut ws = Workspace::new();
    ws.max_file_size = max_file_size;
    ws.standard_input = standard_input;
    ws.load_knowledge(kb);
    ws.load_paths(paths);
    ws.load_bills(bills);
    ws
}
