//! Draft bills (docs/bills.md): what a `bill name "Title" effective DATE.` file changes in the law.
//!
//! A bill adds its rules, facts and superiority pairs, and repeals existing rules by label —
//! all from its effective date. This module only reads the bills and collects what they
//! change ([`Amendments`]); selecting the law in force on a date, with the bills applied, is
//! [`crate::time`]'s job. Unknown and duplicate labels are found by the ordinary checks, which
//! run over the knowledge base and the bills together.

use std::collections::HashMap;

use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};
use crate::syntax::ast::{Item, Module, ModuleKind};
use crate::value::Date;

/// One draft bill, read from its header.
#[derive(Clone, Debug, PartialEq)]
pub struct Bill {
    /// The name in the header: `bill wams "..." effective 2027-01-01.` → `wams`.
    pub name: String,
    /// Its title, as the header gives it.
    pub title: Option<String>,
    /// From this date its rules apply and its repeals take effect.
    pub effective: Date,
    /// The file it was read from.
    pub file: FileId,
    /// The header, for diagnostics and reports.
    pub span: Span,
}

impl Bill {
    /// The bill a module declares, if it is one.
    pub fn of(module: &Module) -> Option<Bill> {
        let header = module.header.as_ref()?;
        if header.kind != ModuleKind::Bill {
            return None;
        }
        Some(Bill {
            name: header.name.name.clone(),
            title: header.title.clone(),
            // The parser refuses a bill header without its date.
            effective: header.date?.0,
            file: module.file,
            span: header.span,
        })
    }
}

/// `repeal label.` in a bill: the rule stops applying on the bill's effective date.
#[derive(Clone, Debug, PartialEq)]
pub struct Repeal {
    /// The label of the rule repealed.
    pub label: String,
    /// The bill that repeals it.
    pub bill: String,
    /// From this date the rule no longer applies (the bill's effective date).
    pub effective: Date,
    /// The `repeal` statement.
    pub span: Span,
}

/// Everything a set of bills changes, by bill and by repealed label.
#[derive(Clone, Debug, Default)]
pub struct Amendments {
    /// The bills, in load order.
    pub bills: Vec<Bill>,
    /// Label → the earliest repeal of that rule.
    repeals: HashMap<String, Repeal>,
}

impl Amendments {
    /// No bills: the law as it stands.
    pub fn none() -> Amendments {
        Amendments::default()
    }

    /// Collect the bills among `modules` (other modules are ignored).
    pub fn of(modules: &[&Module]) -> Amendments {
        let mut amendments = Amendments::default();
        for module in modules {
            let Some(bill) = Bill::of(module) else {
                continue;
            };
            for item in &module.items {
                let Item::Repeal(repeal) = item else { continue };
                let entry = Repeal {
                    label: repeal.label.name.clone(),
                    bill: bill.name.clone(),
                    effective: bill.effective,
                    span: repeal.span,
                };
                match amendments.repeals.get(&entry.label) {
                    Some(earlier) if earlier.effective <= entry.effective => {}
                    _ => {
                        amendments.repeals.insert(entry.label.clone(), entry);
                    }
                }
            }
            amendments.bills.push(bill);
        }
        amendments
    }

    /// No bills at all.
    pub fn is_empty(&self) -> bool {
        self.bills.is_empty()
    }

    /// The bill a file is, if it is one of these bills.
    pub fn bill_of_file(&self, file: FileId) -> Option<&Bill> {
        self.bills.iter().find(|b| b.file == file)
    }

    /// The repeal of the rule with this label, whatever its date.
    pub fn repeal_of(&self, label: &str) -> Option<&Repeal> {
        self.repeals.get(label)
    }

    /// Every repeal, ordered by label.
    pub fn repeals(&self) -> Vec<&Repeal> {
        let mut all: Vec<&Repeal> = self.repeals.values().collect();
        all.sort_by(|a, b| a.label.cmp(&b.label));
        all
    }

    /// The date on which every bill is in force: the latest effective date.
    pub fn all_in_force(&self) -> Option<Date> {
        self.bills.iter().map(|b| b.effective).max()
    }
}

/// What only bills may contain, and what a file given as a bill must be: `repeal` outside a
/// bill is an error (a knowledge base or case cannot repeal), and so is a `--bill` file
/// without a bill header. `bills` are the modules loaded as bills; `others` the rest.
pub fn check(bills: &[&Module], others: &[&Module]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for module in bills {
        if module.kind() != ModuleKind::Bill {
            let (what, span) = match &module.header {
                Some(h) => (format!("a `{}` file", kind_word(h.kind)), Some(h.span)),
                None => ("a file without header".to_string(), None),
            };
            let mut d = Diagnostic::new(
                Code::InvalidAttribute,
                format!("{what} was given as a draft bill"),
            )
            .hint("a bill starts with `bill name \"Title\" effective 2027-01-01.`; cases and knowledge-base files are given as paths");
            d = match span {
                Some(span) => d.at(span),
                None => d.at(Span::new(module.file, 0, 0)),
            };
            out.push(d);
        }
    }
    for module in others {
        for item in &module.items {
            if let Item::Repeal(repeal) = item {
                out.push(
                    Diagnostic::new(
                        Code::InvalidAttribute,
                        format!("only a draft bill can repeal `{}`", repeal.label.name),
                    )
                    .at(repeal.span)
                    .hint("put `repeal label.` in a file that starts with `bill name \"Title\" effective DATE.` and load it with `--bill`"),
                );
            }
        }
    }
    out
}

fn kind_word(kind: ModuleKind) -> &'static str {
    match kind {
        ModuleKind::Module => "module",
        ModuleKind::Case => "case",
        ModuleKind::Bill => "bill",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceMap;
    use crate::syntax::parse;

    fn module(text: &str) -> Module {
        let mut sources = SourceMap::new();
        let file = sources.add("t.law", text);
        let (module, diagnostics) = parse(&sources, file);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        module
    }

    #[test]
    fn the_earliest_repeal_counts() {
        let late = module("bill late \"L\" effective 2030-01-01.\nrepeal r1.\n");
        let early = module("bill early \"E\" effective 2027-01-01.\nrepeal r1.\nrepeal r2.\n");
        let amendments = Amendments::of(&[&late, &early]);
        assert_eq!(amendments.bills.len(), 2);
        let r1 = amendments.repeal_of("r1").unwrap();
        assert_eq!(r1.bill, "early");
        assert_eq!(r1.effective, Date::parse("2027-01-01").unwrap());
        assert_eq!(amendments.all_in_force(), Date::parse("2030-01-01"));
        assert_eq!(amendments.repeals().len(), 2);
    }

    #[test]
    fn repeal_outside_a_bill_and_a_case_given_as_bill_are_errors() {
        let case = module("case c \"C\" date 2021-01-01.\nrepeal r1.\n");
        let found = check(&[&case], &[&case]);
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|d| d.code == Code::InvalidAttribute));
        assert!(found[0].message.contains("given as a draft bill"));
        assert!(found[1]
            .message
            .contains("only a draft bill can repeal `r1`"));
    }
}
