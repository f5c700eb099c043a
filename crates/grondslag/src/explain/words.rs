//! The fixed phrases of explanations, in Dutch and English: one table, so every export says
//! the same thing in the same words.

use crate::model::Status;
use crate::syntax::ast::Lang;
use crate::time::Reason;
use crate::value::Date;

use super::graph::Period;

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

/// The version of a norm that applied: "geldend vanaf 2025-03-01" / "in force from 2025-03-01".
pub fn period(lang: Lang, period: Period) -> Option<String> {
    Some(match (period.from, period.until) {
        (Some(from), Some(until)) => match lang {
            Lang::Nl => format!("geldend van {from} tot en met {until}"),
            Lang::En => format!("in force from {from} until {until}"),
        },
        (Some(from), None) => match lang {
            Lang::Nl => format!("geldend vanaf {from}"),
            Lang::En => format!("in force from {from}"),
        },
        (None, Some(until)) => match lang {
            Lang::Nl => format!("geldend tot en met {until}"),
            Lang::En => format!("in force until {until}"),
        },
        (None, None) => return None,
    })
}

/// Why a rule did not apply on the evaluation date `date`, in full: "in force from
/// 2025-03-01; the case is judged as of 2024-06-01".
pub fn not_in_force(lang: Lang, reason: &Reason, date: Option<Date>) -> String {
    let why = match (reason, lang) {
        (Reason::NotYetInForce { from }, Lang::Nl) => format!("geldt pas vanaf {from}"),
        (Reason::NotYetInForce { from }, Lang::En) => format!("in force only from {from}"),
        (Reason::Expired { until }, Lang::Nl) => format!("gold tot en met {until}"),
        (Reason::Expired { until }, Lang::En) => format!("in force only until {until}"),
        (Reason::BillNotYetEffective { bill, effective }, Lang::Nl) => {
            format!("ingevoerd door wetsvoorstel `{bill}`, in werking vanaf {effective}")
        }
        (Reason::BillNotYetEffective { bill, effective }, Lang::En) => {
            format!("added by bill `{bill}`, effective {effective}")
        }
        (
            Reason::Repealed {
                bill, effective, ..
            },
            Lang::Nl,
        ) => {
            format!("ingetrokken door wetsvoorstel `{bill}` met ingang van {effective}")
        }
        (
            Reason::Repealed {
                bill, effective, ..
            },
            Lang::En,
        ) => {
            format!("repealed by bill `{bill}` from {effective}")
        }
    };
    match (date, lang) {
        (Some(date), Lang::Nl) => format!("{why}; de zaak wordt beoordeeld naar {date}"),
        (Some(date), Lang::En) => format!("{why}; the case is judged as of {date}"),
        (None, _) => why,
    }
}

/// The short form for a drawn node: "geldt pas vanaf 2025-03-01".
pub fn not_in_force_short(lang: Lang, reason: &Reason) -> String {
    not_in_force(lang, reason, None)
}
