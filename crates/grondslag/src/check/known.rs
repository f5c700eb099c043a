//! `unknown_predicate`: a fact of a case, a query or an `expect` about a predicate that is
//! neither declared nor defined. Such a fact changes nothing and such a question answers "no"
//! whatever the law says — the silent wrong answer of a typo (`purpse(d1, care).`).
//!
//! An error once a vocabulary (any `pred` declaration) is loaded; a warning in a plain program.

use super::names::nearest;
use super::vocabulary::Vocabulary;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::syntax::ast::{BodyItem, Literal};

/// How the literal is used.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Use {
    /// A fact of a case: its predicate must be declared, concluded or read by a rule.
    Stated,
    /// A query or an expectation: it may also ask about what a case states.
    Asked,
}

/// `unknown_predicate` for one literal.
pub(super) fn literal(vocabulary: &Vocabulary, literal: &Literal, how: Use) -> Option<Diagnostic> {
    let name = literal.atom.pred.name.as_str();
    let known = match how {
        Use::Stated => vocabulary.may_state(name),
        Use::Asked => vocabulary.may_ask(name),
    };
    if known {
        return None;
    }
    let message = match how {
        Use::Stated => format!(
            "unknown predicate `{name}`: no declaration or rule uses it, so this fact changes nothing"
        ),
        Use::Asked => format!(
            "unknown predicate `{name}`: nothing declares or concludes it, so the answer would always be no"
        ),
    };
    let mut d = Diagnostic::new(Code::UnknownPredicate, message).at(literal.atom.pred.span);
    if !vocabulary.has_declarations() {
        d = d.severity(Severity::Warning);
    }
    Some(match nearest(name, vocabulary.predicates()) {
        Some(near) => d.hint(format!("did you mean `{near}`?")),
        None => d.hint(format!(
            "the predicates are listed in the vocabulary (`:preds` in the REPL); declare `{name}` with `pred` if it is new"
        )),
    })
}

/// `unknown_predicate` for every literal of a query body.
pub(super) fn body(vocabulary: &Vocabulary, body: &[BodyItem], out: &mut Vec<Diagnostic>) {
    for item in body {
        match item {
            BodyItem::Literal(l) | BodyItem::Not(l, _) => {
                out.extend(literal(vocabulary, l, Use::Asked))
            }
            BodyItem::Aggregate(a) => self::body(vocabulary, &a.body, out),
            BodyItem::Compare(..) => {}
        }
    }
}
