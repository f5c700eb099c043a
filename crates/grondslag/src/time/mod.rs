//! The law in force on a date (docs/bills.md).
//!
//! Which date: [`evaluation_date`] — `--as-of` given explicitly, else the case file's own
//! `date`, else today. What is in force on it: [`in_force`] keeps the rules, facts and
//! superiority pairs whose `@valid` period covers the date, adds a bill's items from its
//! effective date, and drops a rule from the effective date of the bill that repeals it.
//!
//! Everything left out is recorded with its reason ([`NotInForce`]), so that explanations can
//! say "this rule did not apply: it was repealed by bill X on D" instead of staying silent.
//! The selection is a pure function of the modules, the bills and the date: the explanation
//! module recomputes it with the same inputs rather than reading state kept somewhere else.

mod undated;

use std::borrow::Cow;

use crate::bill::Amendments;
use crate::source::Span;
use crate::syntax::ast::{Item, Module, ModuleKind};
use crate::value::Date;

pub use undated::undated_cases;

/// Where the evaluation date came from; reports say it, since it decides which law applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateSource {
    /// `--as-of` (or `:asof` in the REPL).
    AsOf,
    /// The case file's `date`.
    Case,
    /// The effective date of the bills (`diff`).
    Bill,
    /// Nothing said which date: the law in force today.
    Today,
}

impl DateSource {
    /// Its name in JSON: `as_of`, `case`, `bill`, `today`.
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::AsOf => "as_of",
            DateSource::Case => "case",
            DateSource::Bill => "bill",
            DateSource::Today => "today",
        }
    }
}

/// The date whose law applies to a case: `--as-of` given explicitly wins, then the case's own
/// `date`, then today.
pub fn evaluation_date(
    as_of: Option<Date>,
    case: Option<&Module>,
    today: Date,
) -> (Date, DateSource) {
    if let Some(date) = as_of {
        return (date, DateSource::AsOf);
    }
    if let Some(date) = case.and_then(case_date) {
        return (date, DateSource::Case);
    }
    (today, DateSource::Today)
}

/// The date for evaluating the files together (`run`, `query`, `model`): `--as-of` given
/// explicitly, else the date the case files share, else today. Case files dated differently
/// have no one law in force: the error says so, with each case's date.
pub fn shared_evaluation_date(
    as_of: Option<Date>,
    cases: &[&Module],
    today: Date,
) -> Result<(Date, DateSource), String> {
    if let Some(date) = as_of {
        return Ok((date, DateSource::AsOf));
    }
    let mut dated: Vec<(Date, &str)> = cases
        .iter()
        .filter_map(|m| Some((case_date(m)?, m.header.as_ref()?.name.name.as_str())))
        .collect();
    dated.sort();
    match (dated.first(), dated.last()) {
        (Some(first), Some(last)) if first.0 != last.0 => {
            let listed: Vec<String> = dated
                .iter()
                .take(4)
                .map(|(d, name)| format!("`{name}` {d}"))
                .collect();
            let more = if dated.len() > 4 { ", …" } else { "" };
            Err(format!(
                "the case files are dated differently ({}{more}), so no one law in force applies to them together; \
                 give `--as-of DATE`, or name one case at a time (`test` and `diff` evaluate each case on its own)",
                listed.join(", ")
            ))
        }
        (Some(first), _) => Ok((first.0, DateSource::Case)),
        _ => Ok((today, DateSource::Today)),
    }
}

/// The `date` of a case file's header.
pub fn case_date(module: &Module) -> Option<Date> {
    let header = module.header.as_ref()?;
    (header.kind == ModuleKind::Case)
        .then_some(header.date)
        .flatten()
        .map(|(date, _)| date)
}

/// Why an item of the loaded text is not part of the law on the evaluation date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// Its `@valid` period starts after the date.
    NotYetInForce {
        /// The first day of the period.
        from: Date,
    },
    /// Its `@valid` period ended before the date.
    Expired {
        /// The last day of the period.
        until: Date,
    },
    /// It comes from a bill whose effective date is after the date.
    BillNotYetEffective {
        /// The bill.
        bill: String,
        /// Its effective date.
        effective: Date,
    },
    /// A bill repealed it with effect on or before the date.
    Repealed {
        /// The repealing bill.
        bill: String,
        /// From when.
        effective: Date,
        /// The `repeal` statement.
        span: Span,
    },
}

impl Reason {
    /// In words, for explanations and reports: "repealed by bill `wams` from 2027-01-01".
    pub fn describe(&self) -> String {
        match self {
            Reason::NotYetInForce { from } => format!("not yet in force (from {from})"),
            Reason::Expired { until } => format!("no longer in force (until {until})"),
            Reason::BillNotYetEffective { bill, effective } => {
                format!("introduced by bill `{bill}`, effective {effective}")
            }
            Reason::Repealed {
                bill, effective, ..
            } => format!("repealed by bill `{bill}` from {effective}"),
        }
    }
}

/// Which kind of item was left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    /// A rule or a fact.
    Rule,
    /// A superiority pair.
    Superiority,
}

/// A rule, fact or superiority pair left out of the law on the evaluation date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotInForce {
    /// A rule or a superiority pair.
    pub kind: ItemKind,
    /// The rule's label (for a superiority pair: the stronger rule's).
    pub label: Option<String>,
    /// The item in its source.
    pub span: Span,
    /// Why it is out.
    pub reason: Reason,
}

/// The law on one date: the modules with what is not in force taken out, and what was taken
/// out and why.
#[derive(Clone, Debug)]
pub struct InForce<'a> {
    /// `None`: no date was selected (the REPL without `:asof`): only repeals apply.
    pub date: Option<Date>,
    /// The modules, in their order; a module with nothing left out is borrowed unchanged.
    pub modules: Vec<Cow<'a, Module>>,
    /// What was left out, and why.
    pub not_in_force: Vec<NotInForce>,
}

impl<'a> InForce<'a> {
    /// The modules to evaluate.
    pub fn modules(&self) -> Vec<&Module> {
        self.modules.iter().map(|m| m.as_ref()).collect()
    }

    /// Why the rule with this label is not in force, if it is not.
    pub fn why_not_in_force(&self, label: &str) -> Option<&Reason> {
        self.not_in_force
            .iter()
            .find(|n| n.kind == ItemKind::Rule && n.label.as_deref() == Some(label))
            .map(|n| &n.reason)
    }
}

/// The law of `modules` (knowledge base, cases and bills alike) in force on `date`, with the
/// `amendments` the bills among them make. With `date` `None` every `@valid` period and
/// effective date is ignored, and only repeals apply.
pub fn in_force<'a>(
    modules: &[&'a Module],
    amendments: &Amendments,
    date: Option<Date>,
) -> InForce<'a> {
    let mut not_in_force = Vec::new();
    let mut out = Vec::with_capacity(modules.len());
    for module in modules {
        let bill = amendments.bill_of_file(module.file);
        let start = not_in_force.len();
        let mut keep = Vec::with_capacity(module.items.len());
        for item in &module.items {
            let reason = match item {
                Item::Rule(rule) => {
                    let label = rule.label.as_ref().map(|l| l.name.as_str());
                    reason_out(date, bill, rule.attrs.valid.as_ref(), label, amendments).map(
                        |reason| NotInForce {
                            kind: ItemKind::Rule,
                            label: label.map(str::to_string),
                            span: rule.span,
                            reason,
                        },
                    )
                }
                Item::Superiority(pair) => {
                    reason_out(date, bill, pair.attrs.valid.as_ref(), None, amendments).map(
                        |reason| NotInForce {
                            kind: ItemKind::Superiority,
                            label: Some(pair.stronger.name.clone()),
                            span: pair.span,
                            reason,
                        },
                    )
                }
                _ => None,
            };
            keep.push(reason.is_none());
            not_in_force.extend(reason);
        }
        if not_in_force.len() == start {
            out.push(Cow::Borrowed(*module));
        } else {
            let mut kept = (*module).clone();
            let mut flags = keep.into_iter();
            kept.items.retain(|_| flags.next().unwrap_or(true));
            out.push(Cow::Owned(kept));
        }
    }
    InForce {
        date,
        modules: out,
        not_in_force,
    }
}

/// The days on which the law of `modules` may change: the first day of each `@valid` period,
/// the day after each one ends, each bill's effective date (repeals take effect with their
/// bill). Between two consecutive ones [`in_force`] selects the same items for the same
/// reasons, so a law prepared for one date serves every date up to the next.
pub fn changes(modules: &[&Module], amendments: &Amendments) -> Vec<Date> {
    let mut days: Vec<Date> = amendments.bills.iter().map(|b| b.effective).collect();
    for item in modules.iter().flat_map(|m| m.items.iter()) {
        let valid = match item {
            Item::Rule(rule) => rule.attrs.valid.as_ref(),
            Item::Superiority(pair) => pair.attrs.valid.as_ref(),
            _ => None,
        };
        if let Some(valid) = valid {
            days.extend(valid.from);
            days.extend(valid.until.map(|u| Date(u.0 + 1)));
        }
    }
    days.sort_unstable();
    days.dedup();
    days
}

/// Why an item is out on `date`, or `None` when it is in force. The order matters for the
/// explanation: a repeal is named before the `@valid` period it cut short.
fn reason_out(
    date: Option<Date>,
    bill: Option<&crate::bill::Bill>,
    valid: Option<&crate::syntax::ast::Validity>,
    label: Option<&str>,
    amendments: &Amendments,
) -> Option<Reason> {
    if let Some(repeal) = label.and_then(|l| amendments.repeal_of(l)) {
        if date.is_none_or(|d| d >= repeal.effective) {
            return Some(Reason::Repealed {
                bill: repeal.bill.clone(),
                effective: repeal.effective,
                span: repeal.span,
            });
        }
    }
    let date = date?;
    if let Some(bill) = bill {
        if date < bill.effective {
            return Some(Reason::BillNotYetEffective {
                bill: bill.name.clone(),
                effective: bill.effective,
            });
        }
    }
    let valid = valid?;
    if let Some(from) = valid.from.filter(|f| date < *f) {
        return Some(Reason::NotYetInForce { from });
    }
    if let Some(until) = valid.until.filter(|u| date > *u) {
        return Some(Reason::Expired { until });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceMap;
    use crate::syntax::parse;

    fn modules(texts: &[&str]) -> Vec<Module> {
        let mut sources = SourceMap::new();
        texts
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let file = sources.add(format!("f{i}.law"), *text);
                let (module, diagnostics) = parse(&sources, file);
                assert!(diagnostics.is_empty(), "{diagnostics:?}");
                module
            })
            .collect()
    }

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn labels(law: &InForce) -> Vec<String> {
        law.modules()
            .iter()
            .flat_map(|m| m.items.iter())
            .filter_map(|i| match i {
                Item::Rule(r) => r.label.as_ref().map(|l| l.name.clone()),
                Item::Superiority(s) => Some(format!("{}>{}", s.stronger.name, s.weaker.name)),
                _ => None,
            })
            .collect()
    }

    const LAW: &str = "old: default p(X) :- q(X).\n\
        @valid(from: 2020-01-01, until: 2024-12-31)\nmid: default ~p(X) :- q(X).\n\
        @valid(from: 2025-01-01)\nnew: default ~p(X) :- q(X), r(X).\n";
    const BILL: &str = "bill b \"B\" effective 2027-01-01.\nrepeal old.\n\
        added: default p(X) :- r(X).\nadded > new.\n";

    #[test]
    fn valid_periods_select_the_version_in_force() {
        let ms = modules(&[LAW]);
        let refs: Vec<&Module> = ms.iter().collect();
        let none = Amendments::none();
        assert_eq!(
            labels(&in_force(&refs, &none, Some(date("2019-06-01")))),
            ["old"]
        );
        assert_eq!(
            labels(&in_force(&refs, &none, Some(date("2024-12-31")))),
            ["old", "mid"]
        );
        let later = in_force(&refs, &none, Some(date("2025-01-01")));
        assert_eq!(labels(&later), ["old", "new"]);
        assert_eq!(
            later.why_not_in_force("mid"),
            Some(&Reason::Expired {
                until: date("2024-12-31")
            })
        );
        // No date: every period is ignored.
        assert_eq!(labels(&in_force(&refs, &none, None)), ["old", "mid", "new"]);
    }

    #[test]
    fn a_bill_applies_from_its_effective_date() {
        let ms = modules(&[LAW, BILL]);
        let refs: Vec<&Module> = ms.iter().collect();
        let amendments = Amendments::of(&refs);
        let before = in_force(&refs, &amendments, Some(date("2026-12-31")));
        assert_eq!(labels(&before), ["old", "new"]);
        assert_eq!(
            before.why_not_in_force("added"),
            Some(&Reason::BillNotYetEffective {
                bill: "b".into(),
                effective: date("2027-01-01")
            })
        );
        let after = in_force(&refs, &amendments, Some(date("2027-01-01")));
        assert_eq!(labels(&after), ["new", "added", "added>new"]);
        let Some(Reason::Repealed {
            bill, effective, ..
        }) = after.why_not_in_force("old")
        else {
            panic!("`old` should be repealed");
        };
        assert_eq!((bill.as_str(), *effective), ("b", date("2027-01-01")));
        assert!(after
            .why_not_in_force("old")
            .unwrap()
            .describe()
            .contains("repealed by bill `b`"));
        // Unchanged modules are not copied.
        assert!(matches!(after.modules[0], Cow::Owned(_)));
        assert!(matches!(after.modules[1], Cow::Borrowed(_)));
    }

    #[test]
    fn the_evaluation_date_prefers_as_of_then_the_case() {
        let ms = modules(&["case c \"C\" date 2021-06-01.\np(a).\n"]);
        let today = date("2026-11-25");
        assert_eq!(
            evaluation_date(None, Some(&ms[0]), today),
            (date("2021-06-01"), DateSource::Case)
        );
        assert_eq!(
            evaluation_date(Some(date("2024-06-01")), Some(&ms[0]), today),
            (date("2024-06-01"), DateSource::AsOf)
        );
        assert_eq!(
            evaluation_date(None, None, today),
            (today, DateSource::Today)
        );
    }
}
