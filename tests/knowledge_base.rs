//! The bundled knowledge base keeps its promises (issue 6): every rule cites its source, every
//! vocabulary predicate has Dutch and English templates, every case is dated and checks at
//! least one reasoning path, and docs/knowledge.md lists exactly the labels the files define.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use grondslag::load::{KnowledgeBase, Workspace};
use grondslag::syntax::ast::{BodyItem, Item, Lang, Module, ModuleKind};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The knowledge base proper, its bills and its cases, as the CLI loads them.
fn workspace() -> Workspace {
    let mut ws = Workspace::new();
    ws.load_knowledge(&KnowledgeBase::Path(root().join("knowledge")));
    ws.load_paths(&[
        root().join("knowledge/bills"),
        root().join("knowledge/cases"),
    ]);
    let errors: Vec<_> = ws.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(
        errors.is_empty(),
        "the knowledge base does not parse: {errors:?}"
    );
    ws
}

fn modules<'a>(ws: &'a Workspace, kinds: &[ModuleKind]) -> Vec<&'a Module> {
    ws.modules
        .iter()
        .map(|m| &m.module)
        .filter(|m| kinds.contains(&m.kind()))
        .collect()
}

fn place(ws: &Workspace, item: &Item) -> String {
    ws.sources.location(item.span())
}

#[test]
fn every_rule_of_the_law_and_the_bills_cites_its_source() {
    let ws = workspace();
    let mut missing = Vec::new();
    for module in modules(&ws, &[ModuleKind::Module, ModuleKind::Bill]) {
        for item in &module.items {
            if let Item::Rule(rule) = item {
                if rule.attrs.source.is_none() {
                    missing.push(place(&ws, item));
                }
            }
        }
    }
    assert!(missing.is_empty(), "rules without @source: {missing:#?}");
}

#[test]
fn every_declared_predicate_has_dutch_and_english_templates() {
    let ws = workspace();
    let mut incomplete = Vec::new();
    for module in modules(&ws, &[ModuleKind::Module]) {
        for item in &module.items {
            if let Item::Pred(decl) = item {
                let langs: BTreeSet<_> = decl
                    .templates
                    .iter()
                    .map(|(lang, _, _)| matches!(lang, Lang::En))
                    .collect();
                if langs.len() != 2 {
                    incomplete.push(decl.name.name.clone());
                }
            }
        }
    }
    assert!(
        incomplete.is_empty(),
        "pred without both templates: {incomplete:?}"
    );
}

#[test]
fn every_case_is_dated_and_checks_a_reasoning_path() {
    let ws = workspace();
    let cases = modules(&ws, &[ModuleKind::Case]);
    assert!(cases.len() >= 12, "the twelve seed scenarios are shipped");
    for case in cases {
        let name = ws.sources.get(case.file).name.clone();
        let header = case.header.as_ref().expect("a case has a header");
        assert!(header.date.is_some(), "{name}: the case header has no date");
        let vias = case
            .items
            .iter()
            .filter(|i| matches!(i, Item::Expect(e) if e.via.is_some()))
            .count();
        assert!(vias > 0, "{name}: no `expect ... via label`");
    }
}

#[test]
fn every_predicate_of_the_law_is_declared() {
    let ws = workspace();
    let law = modules(&ws, &[ModuleKind::Module, ModuleKind::Bill]);
    let mut declared = BTreeSet::new();
    for module in &law {
        for item in &module.items {
            if let Item::Pred(decl) = item {
                declared.insert(decl.name.name.clone());
            }
        }
    }
    let mut undeclared = BTreeSet::new();
    for module in &law {
        for item in &module.items {
            let Item::Rule(rule) = item else { continue };
            let body = rule.body.iter().filter_map(|b| match b {
                BodyItem::Literal(l) | BodyItem::Not(l, _) => Some(l),
                _ => None,
            });
            for literal in std::iter::once(&rule.head).chain(body) {
                if !declared.contains(&literal.atom.pred.name) {
                    undeclared.insert(literal.atom.pred.name.clone());
                }
            }
        }
    }
    assert!(
        undeclared.is_empty(),
        "predicates without a `pred` declaration: {undeclared:?}"
    );
}

/// The labels in the last column of the norm, combination and bill tables of the page.
fn documented_labels(page: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(page).expect("docs/knowledge.md exists");
    let mut labels = BTreeSet::new();
    for line in text.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 4 {
            continue;
        }
        let first = cells[1];
        let is_norm = first.len() == 3
            && first.starts_with('N')
            && first[1..].chars().all(|c| c.is_ascii_digit());
        let is_combination = first.len() == 2
            && first.starts_with('P')
            && first[1..].chars().all(|c| c.is_ascii_digit());
        if !(is_norm || is_combination || first.starts_with("Bill ")) {
            continue;
        }
        let last = cells[cells.len() - 2];
        labels.extend(last.split('`').skip(1).step_by(2).map(str::to_string));
    }
    labels
}

#[test]
fn docs_knowledge_lists_exactly_the_labels_of_the_files() {
    let ws = workspace();
    let mut defined = BTreeSet::new();
    for module in modules(&ws, &[ModuleKind::Module, ModuleKind::Bill]) {
        for item in &module.items {
            if let Item::Rule(rule) = item {
                if let Some(label) = &rule.label {
                    defined.insert(label.name.clone());
                }
            }
        }
    }
    let documented = documented_labels(&root().join("docs/knowledge.md"));
    let undocumented: Vec<_> = defined.difference(&documented).collect();
    let unknown: Vec<_> = documented.difference(&defined).collect();
    assert!(
        undocumented.is_empty(),
        "labels missing from docs/knowledge.md: {undocumented:?}"
    );
    assert!(
        unknown.is_empty(),
        "docs/knowledge.md names labels no file defines: {unknown:?}"
    );
}
