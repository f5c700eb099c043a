//! `no_case_date`: a file that states a case — facts, and expectations or queries about them —
//! without a `case` header, so without the date of its facts. It is judged under the law in
//! force on another date (today, or another case's), which may not be the law that applied to
//! its facts: the warning names the date used.

use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::{Item, Module};
use crate::value::Date;

use super::DateSource;

/// The warnings for the undated case files among `modules`, evaluated on `date`. None when the
/// date was given (`--as-of`) or when no rule of the law depends on the date.
pub fn undated_cases(modules: &[&Module], date: Date, source: DateSource) -> Vec<Diagnostic> {
    if source == DateSource::AsOf || !modules.iter().any(|m| is_dated_law(m)) {
        return Vec::new();
    }
    let whose = match source {
        DateSource::Today => "today".to_string(),
        DateSource::Case => "the date of the other case files".to_string(),
        DateSource::Bill => "the date the bills take effect".to_string(),
        DateSource::AsOf => unreachable!("returned above"),
    };
    modules
        .iter()
        .filter(|m| states_a_case(m))
        .filter_map(|m| m.items.first())
        .map(|first| {
            Diagnostic::new(
                Code::NoCaseDate,
                format!(
                    "this file has no `case` header with the date of its facts, so it is judged under the law in force on {date} ({whose})"
                ),
            )
            .at(first.span())
            .hint("start the file with `case name \"Title\" date YYYY-MM-DD.`, the date of the facts; or give `--as-of DATE`")
        })
        .collect()
}

/// A file without header that has facts and asks about them.
fn states_a_case(module: &Module) -> bool {
    module.header.is_none()
        && module
            .items
            .iter()
            .any(|i| matches!(i, Item::Rule(r) if r.is_fact()))
        && module
            .items
            .iter()
            .any(|i| matches!(i, Item::Expect(_) | Item::Query(_)))
}

/// A module whose content depends on the date: `@valid` on some item, or a bill.
fn is_dated_law(module: &Module) -> bool {
    module.kind() == crate::syntax::ast::ModuleKind::Bill
        || module.items.iter().any(|item| match item {
            Item::Rule(r) => r.attrs.valid.is_some(),
            Item::Superiority(s) => s.attrs.valid.is_some(),
            _ => false,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceMap;
    use crate::syntax::parse;

    fn warnings(files: &[&str], source: DateSource) -> Vec<Diagnostic> {
        let mut sources = SourceMap::new();
        let ids: Vec<_> = files
            .iter()
            .enumerate()
            .map(|(i, text)| sources.add(format!("f{i}.law"), text.to_string()))
            .collect();
        let modules: Vec<Module> = ids.iter().map(|id| parse(&sources, *id).0).collect();
        let refs: Vec<&Module> = modules.iter().collect();
        undated_cases(&refs, Date::parse("2026-12-02").unwrap(), source)
    }

    const LAW: &str = "module law \"L\".\n@valid(from: 2025-01-01) ok(D) :- fact(D).";

    #[test]
    fn a_file_of_facts_and_expectations_without_header_names_the_date_used() {
        let found = warnings(&[LAW, "fact(d1).\nexpect ok(d1)."], DateSource::Today);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, Code::NoCaseDate);
        assert!(
            found[0].message.contains("2026-12-02 (today)"),
            "{}",
            found[0].message
        );
        // Dated by a header, by `--as-of`, or against a law without dates: nothing to say.
        let dated = "case c \"C\" date 2024-01-01.\nfact(d1).\nexpect ok(d1).";
        assert!(warnings(&[LAW, dated], DateSource::Case).is_empty());
        assert!(warnings(&[LAW, "fact(d1).\nexpect ok(d1)."], DateSource::AsOf).is_empty());
        assert!(warnings(
            &["ok(D) :- fact(D).", "fact(d1).\n?- ok(D)."],
            DateSource::Today
        )
        .is_empty());
        // Facts alone, or rules, are not a case.
        assert!(warnings(&[LAW, "fact(d1)."], DateSource::Today).is_empty());
    }
}
