//! Goals and queries given outside the files (`query -q`, `explain GOAL`, the REPL's
//! `goal?` and `:why`): read as sources of their own, so that their errors point into them,
//! and checked against what is loaded.

use crate::diagnostic::Diagnostic;
use crate::load::Workspace;
use crate::source::SourceMap;
use crate::syntax;
use crate::syntax::ast::{BodyItem, Item, Query};

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

/// A predicate that occurs nowhere in what is loaded, with the nearest name that does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownPredicate {
    /// The name asked about.
    pub pred: String,
    /// A loaded predicate whose name is close (a likely typo), if any.
    pub nearest: Option<String>,
}

impl std::fmt::Display for UnknownPredicate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}` occurs nowhere in the loaded program", self.pred)?;
        if let Some(name) = &self.nearest {
            write!(f, "; did you mean `{name}`?")?;
        }
        Ok(())
    }
}

/// Whether `pred` occurs anywhere in what `ws` loaded (a rule's head or body, a `pred`
/// declaration); when it does not, the nearest name that does.
pub fn unknown_predicate(ws: &Workspace, pred: &str) -> Option<UnknownPredicate> {
    let mut names: Vec<&str> = Vec::new();
    for item in ws.all_modules().iter().flat_map(|m| m.items.iter()) {
        match item {
            Item::Rule(rule) => {
                names.push(&rule.head.atom.pred.name);
                for body in &rule.body {
                    if let BodyItem::Literal(l) | BodyItem::Not(l, _) = body {
                        names.push(&l.atom.pred.name);
                    }
                }
            }
            Item::Pred(decl) => names.push(&decl.name.name),
            _ => {}
        }
    }
    if names.contains(&pred) {
        return None;
    }
    let nearest = names
        .iter()
        .map(|n| (strsim::levenshtein(n, pred), *n))
        .filter(|(d, n)| *d <= 2.max(n.len() / 3))
        .min()
        .map(|(_, name)| name.to_string());
    Some(UnknownPredicate {
        pred: pred.to_string(),
        nearest,
    })
}
