//! The fixed phrases of explanations, in Dutch and English: one table, so every export says
//! the same thing in the same words.

use crate::model::Status;
use crate::syntax::ast::Lang;

/// A phrase in the explanation's language.
pub fn say(lang: Lang, nl: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Nl => nl,
        Lang::En => en,
    }
}

pub fn status(lang: Lang, status: Option<Status>) -> &'static str {
    match status {
        Some(Status::Definitely) => say(lang, "staat vast", "holds definitely"),
        Some(Status::Defeasibly) => say(lang, "geldt (weerlegbaar)", "holds defeasibly"),
        Some(Status::Refuted) => say(lang, "weerlegd", "refuted"),
        Some(Status::Undecided) => say(lang, "onbeslist", "undecided"),
        None => say(lang, "niet afgeleid", "not derived"),
    }
}

/// The reason behind a superiority pair.
pub fn principle(lang: Lang, principle: &str) -> String {
    let words = match principle {
        "lex_specialis" => say(
            lang,
            "lex specialis: de bijzondere regel gaat voor",
            "lex specialis: the specific rule prevails",
        ),
        "lex_superior" => say(
            lang,
            "lex superior: de hogere regel gaat voor",
            "lex superior: the higher rule prevails",
        ),
        "lex_posterior" => say(
            lang,
            "lex posterior: de latere regel gaat voor",
            "lex posterior: the later rule prevails",
        ),
        "exception" => say(lang, "uitzondering op de regel", "an exception to the rule"),
        other => return other.to_string(),
    };
    words.to_string()
}

pub fn kind(lang: Lang, kind: crate::syntax::ast::RuleKind) -> &'static str {
    use crate::syntax::ast::RuleKind;
    match kind {
        RuleKind::Strict => say(lang, "regel", "rule"),
        RuleKind::Defeasible => say(lang, "weerlegbare regel", "defeasible rule"),
        RuleKind::Defeater => say(lang, "tegenregel", "defeater"),
    }
}
