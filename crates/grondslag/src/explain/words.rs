//! The fixed phrases of explanations and memos, in Dutch, English and French: one place, so
//! every export says the same thing in the same words. Every phrase is given in every
//! language ([`say`] takes all three, and each `match` on the language names every language),
//! so a missing translation does not compile.

use crate::model::Status;
use crate::syntax::ast::{Lang, RuleKind};
use crate::time::Reason;
use crate::value::Date;

use super::graph::Period;

/// A phrase in the explanation's language.
pub fn say(lang: Lang, nl: &'static str, en: &'static str, fr: &'static str) -> &'static str {
    match lang {
        Lang::Nl => nl,
        Lang::En => en,
        Lang::Fr => fr,
    }
}

/// A literal's status in words, for the derivation (the memo's verdict has its own words).
pub fn status(lang: Lang, status: Option<Status>) -> &'static str {
    match status {
        Some(Status::Definitely) => say(lang, "staat vast", "established", "établi"),
        Some(Status::Defeasibly) => say(
            lang,
            "geldt (tenzij weerlegd)",
            "holds (unless rebutted)",
            "admis (sauf preuve contraire)",
        ),
        Some(Status::Refuted) => say(
            lang,
            "geldt niet: het tegendeel staat vast",
            "does not hold: the opposite is established",
            "non admis : le contraire est établi",
        ),
        Some(Status::Undecided) => say(lang, "onbeslist", "undecided", "indécis"),
        None => say(lang, "niet vastgesteld", "not established", "non établi"),
    }
}

/// A literal's status in a word or two, for a node of a drawn graph.
pub fn status_short(lang: Lang, status: Option<Status>) -> &'static str {
    match status {
        Some(Status::Definitely) => say(lang, "staat vast", "established", "établi"),
        Some(Status::Defeasibly) => say(lang, "geldt", "holds", "admis"),
        Some(Status::Refuted) => say(lang, "geldt niet", "does not hold", "non admis"),
        Some(Status::Undecided) => say(lang, "onbeslist", "undecided", "indécis"),
        None => say(lang, "niet vastgesteld", "not established", "non établi"),
    }
}

/// The reason behind a superiority pair.
pub fn principle(lang: Lang, principle: &str) -> String {
    let words = match principle {
        "lex_specialis" => say(
            lang,
            "lex specialis: de bijzondere regel gaat voor",
            "lex specialis: the specific rule prevails",
            "lex specialis : la règle spéciale prévaut",
        ),
        "lex_superior" => say(
            lang,
            "lex superior: de hogere regel gaat voor",
            "lex superior: the higher rule prevails",
            "lex superior : la règle supérieure prévaut",
        ),
        "lex_posterior" => say(
            lang,
            "lex posterior: de latere regel gaat voor",
            "lex posterior: the later rule prevails",
            "lex posterior : la règle postérieure prévaut",
        ),
        "exception" => say(
            lang,
            "uitzondering op de regel",
            "an exception to the rule",
            "exception à la règle",
        ),
        other => return other.to_string(),
    };
    words.to_string()
}

/// The short name of a principle, for an edge of a drawn graph.
pub fn principle_short(lang: Lang, principle: &str) -> String {
    match principle {
        "exception" => say(lang, "uitzondering", "exception", "exception").to_string(),
        other => other.replace('_', " "),
    }
}

/// The kind of a rule, in words.
pub fn kind(lang: Lang, kind: RuleKind) -> &'static str {
    match kind {
        RuleKind::Strict => say(lang, "regel", "rule", "règle"),
        RuleKind::Defeasible => say(
            lang,
            "regel (tenzij een uitzondering)",
            "rule (unless an exception)",
            "règle (sauf exception)",
        ),
        RuleKind::Defeater => say(lang, "tegenregel", "defeater", "règle d'exclusion"),
    }
}

/// The version of a norm that applied: "geldend vanaf 2025-03-01" / "in force from 2025-03-01".
pub fn period(lang: Lang, period: Period) -> Option<String> {
    Some(match (period.from, period.until) {
        (Some(from), Some(until)) => match lang {
            Lang::Nl => format!("geldend van {from} tot en met {until}"),
            Lang::En => format!("in force from {from} until {until}"),
            Lang::Fr => format!("en vigueur du {from} au {until}"),
        },
        (Some(from), None) => match lang {
            Lang::Nl => format!("geldend vanaf {from}"),
            Lang::En => format!("in force from {from}"),
            Lang::Fr => format!("en vigueur depuis le {from}"),
        },
        (None, Some(until)) => match lang {
            Lang::Nl => format!("geldend tot en met {until}"),
            Lang::En => format!("in force until {until}"),
            Lang::Fr => format!("en vigueur jusqu'au {until}"),
        },
        (None, None) => return None,
    })
}

/// Why a rule did not apply on the evaluation date `date`, in full: "in force from
/// 2025-03-01; the case is judged as of 2024-06-01".
pub fn not_in_force(lang: Lang, reason: &Reason, date: Option<Date>) -> String {
    let why = match reason {
        Reason::NotYetInForce { from } => match lang {
            Lang::Nl => format!("geldt pas vanaf {from}"),
            Lang::En => format!("in force only from {from}"),
            Lang::Fr => format!("en vigueur seulement à partir du {from}"),
        },
        Reason::Expired { until } => match lang {
            Lang::Nl => format!("gold tot en met {until}"),
            Lang::En => format!("in force only until {until}"),
            Lang::Fr => format!("en vigueur seulement jusqu'au {until}"),
        },
        Reason::BillNotYetEffective { bill, effective } => match lang {
            Lang::Nl => {
                format!("ingevoerd door wetsvoorstel `{bill}`, in werking vanaf {effective}")
            }
            Lang::En => format!("added by bill `{bill}`, effective {effective}"),
            Lang::Fr => format!("introduit par la proposition `{bill}`, en vigueur le {effective}"),
        },
        Reason::Repealed {
            bill, effective, ..
        } => match lang {
            Lang::Nl => {
                format!("ingetrokken door wetsvoorstel `{bill}` met ingang van {effective}")
            }
            Lang::En => format!("repealed by bill `{bill}` from {effective}"),
            Lang::Fr => format!("abrogé par la proposition `{bill}` à partir du {effective}"),
        },
    };
    match date {
        Some(date) => match lang {
            Lang::Nl => format!("{why}; de zaak wordt beoordeeld naar {date}"),
            Lang::En => format!("{why}; the case is judged as of {date}"),
            Lang::Fr => format!("{why} ; le cas est apprécié au {date}"),
        },
        None => why,
    }
}

/// The short form for a drawn node: "geldt pas vanaf 2025-03-01".
pub fn not_in_force_short(lang: Lang, reason: &Reason) -> String {
    not_in_force(lang, reason, None)
}

/// "1 voorwaarde faalt" / "3 conditions fail".
pub fn conditions_fail(lang: Lang, missing: usize) -> String {
    match (lang, missing) {
        (Lang::Nl, 1) => "1 voorwaarde ontbreekt".into(),
        (Lang::Nl, n) => format!("{n} voorwaarden ontbreken"),
        (Lang::En, 1) => "1 condition is not met".into(),
        (Lang::En, n) => format!("{n} conditions are not met"),
        (Lang::Fr, 1) => "1 condition n'est pas remplie".into(),
        (Lang::Fr, n) => format!("{n} conditions ne sont pas remplies"),
    }
}

/// Why a rule not in force is no nearer: "its conditions do hold" / "also 2 conditions fail".
pub fn besides_time(lang: Lang, missing: usize) -> String {
    match (lang, missing) {
        (Lang::Nl, 0) => "de voorwaarden zijn wel vervuld".into(),
        (Lang::En, 0) => "its conditions do hold".into(),
        (Lang::Fr, 0) => "ses conditions sont pourtant remplies".into(),
        (lang, n) => {
            let also = say(lang, "bovendien: ", "also: ", "en outre : ");
            format!("{also}{}", conditions_fail(lang, n))
        }
    }
}

/// "it is not the case that …", around a positive sentence.
pub fn not_the_case(lang: Lang, positive: &str) -> String {
    match lang {
        Lang::Nl => format!("het is niet zo dat {positive}"),
        Lang::En => format!("it is not the case that {positive}"),
        Lang::Fr => format!("il n'est pas vrai que {positive}"),
    }
}

/// A value not known, of no declared type.
pub fn something(lang: Lang) -> &'static str {
    say(lang, "iets", "something", "quelque chose")
}

/// The question, in words.
pub fn question(lang: Lang, why: bool, goal: &str) -> String {
    match (lang, why) {
        (Lang::Nl, true) => format!("Waarom geldt {goal}?"),
        (Lang::En, true) => format!("Why does {goal} hold?"),
        (Lang::Fr, true) => format!("Pourquoi {goal} est-il admis ?"),
        (Lang::Nl, false) => format!("Waarom geldt {goal} niet?"),
        (Lang::En, false) => format!("Why does {goal} not hold?"),
        (Lang::Fr, false) => format!("Pourquoi {goal} n'est-il pas admis ?"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_parametrised_phrase_reads_differently_in_each_language() {
        let date = Date::parse("2024-06-01");
        let reasons = [
            Reason::NotYetInForce {
                from: date.unwrap(),
            },
            Reason::Expired {
                until: date.unwrap(),
            },
        ];
        for reason in &reasons {
            let all: Vec<String> = Lang::ALL
                .iter()
                .map(|l| not_in_force(*l, reason, date))
                .collect();
            assert!(all[0] != all[1] && all[1] != all[2] && all[0] != all[2]);
        }
        for n in [0, 1, 2] {
            let all: Vec<String> = Lang::ALL.iter().map(|l| besides_time(*l, n)).collect();
            assert!(all[0] != all[1] && all[1] != all[2] && all[0] != all[2]);
        }
    }
}
