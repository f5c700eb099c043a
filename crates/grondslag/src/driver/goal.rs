//! Goals and queries given outside the files (`query -q`, `explain GOAL`, the REPL's
//! `goal?` and `:why`): read as sources of their own, so that their errors point into them,
//! and checked against what is loaded.

use crate::diagnostic::Diagnostic;
use crate::load::Workspace;
use crate::source::SourceMap;
use crate::syntax;
use crate::syntax::ast::{BodyItem, Expect, Query};

/// Read `text` as a query, added to `sources` under `name`.
///
/// ```
/// use grondslag::driver::parse_query;
/// use grondslag::source::SourceMap;
///
/// let mut sources = SourceMap::new();
/// assert!(parse_query(&mut sources, "<query>", "lawful(D)").is_ok());
/// let errors = parse_query(&mut sources, "<query>", "lawful(D").unwrap_err();
/// assert_eq!(errors[0].code.as_str(), "syntax");
/// ```
pub fn parse_query(
    sources: &mut SourceMap,
    name: &str,
    text: &str,
) -> Result<Query, Vec<Diagnostic>> {
    let file = sources.add(name, text.to_string());
    syntax::parse_query(sources, file)
}

/// The checks of a goal asked outside the files (`query -q`, `explain GOAL`, a REPL `goal?` or
/// `:why`) against the vocabulary of everything loaded: `unknown_predicate` (an error once a
/// vocabulary is loaded: the answer would be "no" whatever the law says), `unknown_value`,
/// `argument_type`. With errors, the goal is not asked.
///
/// ```
/// use grondslag::driver::{check_goal, parse_query};
/// use grondslag::load::Workspace;
///
/// let mut ws = Workspace::new();
/// ws.load_text("law.law", "pred lawful(D).\nlawful(D) :- ok(D).\nok(d1).\n");
/// let query = parse_query(&mut ws.sources, "<query>", "lawfull(D)").unwrap();
/// let found = check_goal(&ws, &query.body);
/// assert_eq!(found[0].code.as_str(), "unknown_predicate");
/// assert_eq!(found[0].hint.as_deref(), Some("did you mean `lawful`?"));
/// ```
pub fn check_goal(ws: &Workspace, body: &[BodyItem]) -> Vec<Diagnostic> {
    crate::check::goal(&loaded(ws), body)
}

/// The checks of an `expect` typed in the REPL, whose case is everything loaded: as
/// [`check_goal`], and `vacuous_expectation`.
pub fn check_expectation(ws: &Workspace, expect: &Expect) -> Vec<Diagnostic> {
    crate::check::expectation(&loaded(ws), expect)
}

/// Everything loaded, bills included.
fn loaded(ws: &Workspace) -> Vec<&crate::syntax::ast::Module> {
    let mut modules = ws.all_modules();
    modules.extend(ws.bill_modules());
    modules
}
