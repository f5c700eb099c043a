//! `unread_negation`: a stated `~p(...)` fact where no rule reads `~p` and no rule concludes
//! `p`. Leaving the fact out says the same, so a reader who expects it to matter is misled
//! (docs/vocabulary.md lists where a stated negative means something).

use super::vocabulary::Vocabulary;
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::Rule;

pub(super) fn fact(vocabulary: &Vocabulary, rule: &Rule) -> Option<Diagnostic> {
    let name = rule.head.atom.pred.name.as_str();
    if !rule.head.negated || vocabulary.negation_matters(name) {
        return None;
    }
    Some(
        Diagnostic::new(
            Code::UnreadNegation,
            format!("no rule reads `~{name}` or concludes `{name}`: this negative fact changes nothing"),
        )
        .at(rule.head.span)
        .hint(format!(
            "leaving `{name}` out already means the case does not say it; the negatives that matter are listed with the vocabulary"
        )),
    )
}
