//! The bundled knowledge base keeps its promises (issue 6): every rule cites its source, every
//! vocabulary predicate has Dutch and English templates, every case is dated and checks at
//! least one reasoning path, and docs/knowledge.md lists exactly the labels the files define.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use grondslag::load::{KnowledgeBase, Workspace};
use grondslag::syntax::ast::{BodyItem, Item, Lang, Module, ModuleKind, TypeValues};

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
fn every_declared_predicate_and_type_has_a_template_in_every_language() {
    // Dutch, English and French (`Lang::ALL`): an explanation in any of them never falls back
    // to a bare literal. Types name an unknown value of their kind ("een regeling").
    let ws = workspace();
    let mut incomplete = Vec::new();
    for module in modules(&ws, &[ModuleKind::Module, ModuleKind::Bill]) {
        for item in &module.items {
            let (name, templates) = match item {
                Item::Pred(decl) => (&decl.name.name, &decl.templates),
                Item::Type(decl) => (&decl.name.name, &decl.templates),
                _ => continue,
            };
            let langs: BTreeSet<Lang> = templates.iter().map(|(lang, _, _)| *lang).collect();
            let missing: Vec<&str> = Lang::ALL
                .iter()
                .filter(|l| !langs.contains(l))
                .map(|l| l.code())
                .collect();
            // `type data_kind += ...` only adds values to a type declared elsewhere.
            let extends =
                matches!(item, Item::Type(t) if matches!(t.values, TypeValues::Extension(_)));
            if !missing.is_empty() && !extends {
                incomplete.push(format!("{name}: no {}", missing.join(", ")));
            }
        }
    }
    assert!(incomplete.is_empty(), "without a template: {incomplete:#?}");
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

/// The labels in the last column of the tables under "The norms", "How they combine" and
/// "Bills" on the page.
fn documented_labels(page: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(page).expect("docs/knowledge.md exists");
    let sections = ["## The norms", "## How they combine", "## Bills"];
    let mut in_section = false;
    let mut labels = BTreeSet::new();
    for line in text.lines() {
        if line.starts_with("## ") {
            in_section = sections.contains(&line.trim_end());
            continue;
        }
        if !in_section || !line.starts_with('|') {
            continue;
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 4 {
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

/// A reference to a document the reader of a memo does not have: the project's brief and its
/// labels for norms (`N20`) and combination rules (`P1`), or the seed documents.
fn foreign_references(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for marker in [
        "DOMAIN.md",
        "SPEC.md",
        "../shared",
        "shared/seeds",
        "seed 00",
    ] {
        if text.contains(marker) {
            found.push(marker.to_string());
        }
    }
    for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        // The product brief by name ("SPEC §3").
        if word == "SPEC" {
            found.push(word.to_string());
            continue;
        }
        let bytes = word.as_bytes();
        let label = match bytes {
            [b'N', a, b] => a.is_ascii_digit() && b.is_ascii_digit(),
            [b'P', d] => (b'1'..=b'5').contains(d),
            _ => false,
        };
        if label {
            found.push(word.to_string());
        }
    }
    found
}

fn files_below(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("the directory exists") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            files_below(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn the_label_finder_finds_what_it_must_and_nothing_else() {
    assert_eq!(
        foreign_references("see DOMAIN.md N20 and P1"),
        ["DOMAIN.md", "N20", "P1"]
    );
    assert_eq!(foreign_references("as SPEC §3 says"), ["SPEC"]);
    assert!(
        foreign_references("AVG art. 6 lid 1 sub b; BWBR0005290; N2; P6; NP1; Stb. 2024, 198")
            .is_empty()
    );
}

/// The repository stands alone: what a reader of the README, the docs, the examples and the
/// knowledge base is sent to is in the repository or published.
#[test]
fn the_readme_docs_examples_and_knowledge_base_cite_only_documents_a_reader_has() {
    let mut files = vec![root().join("README.md")];
    files_below(&root().join("knowledge"), &mut files);
    files_below(&root().join("docs"), &mut files);
    files_below(&root().join("examples"), &mut files);
    let mut offending = Vec::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        for (n, line) in text.lines().enumerate() {
            let found = foreign_references(line);
            if !found.is_empty() {
                offending.push(format!("{}:{}: {found:?}", file.display(), n + 1));
            }
        }
    }
    assert!(
        offending.is_empty(),
        "references to documents a reader does not have:\n{}",
        offending.join("\n")
    );
}

/// The explanation of every processing of every bundled case, in both languages, and the
/// reports of the bundled bills: what a memo is made of.
#[test]
fn explanations_and_reports_of_the_bundled_cases_cite_only_documents_a_reader_has() {
    let run = |args: &[&str]| -> String {
        let out = crate::common::grondslag(args);
        assert!(
            out.status.code().is_some_and(|c| c <= 1),
            "grondslag {args:?}: {}",
            crate::common::stderr(&out)
        );
        crate::common::stdout(&out)
    };
    let mut cases = Vec::new();
    files_below(&root().join("knowledge/cases"), &mut cases);
    cases.sort();
    let mut outputs = Vec::new();
    let mut processings = 0;
    for case in &cases {
        let case = case.to_str().unwrap();
        let csv = run(&[
            "--kb",
            "knowledge",
            "query",
            "-q",
            "processing(D, O, S)",
            "--format",
            "csv",
            case,
        ]);
        for row in csv.lines().skip(1) {
            let d = row.split(',').next().unwrap();
            processings += 1;
            for lang in ["nl", "en"] {
                let goal = format!("lawful({d})");
                outputs.push((
                    format!("{case} {goal} ({lang})"),
                    run(&["--kb", "knowledge", "--lang", lang, "explain", case, &goal]),
                ));
            }
        }
        outputs.push((
            format!("{case} test"),
            run(&["--kb", "knowledge", "test", case]),
        ));
    }
    for bill in [
        "knowledge/bills/wams.law",
        "knowledge/bills/vlaams_casusoverleg.law",
    ] {
        outputs.push((
            format!("diff {bill}"),
            run(&[
                "--kb",
                "knowledge",
                "--lang",
                "en",
                "diff",
                "--bill",
                bill,
                "--format",
                "md",
                "knowledge/cases",
            ]),
        ));
    }
    assert!(
        processings >= 40,
        "the bundled cases have their processings"
    );
    let offending: Vec<String> = outputs
        .iter()
        .filter_map(|(what, text)| {
            let found = foreign_references(text);
            (!found.is_empty()).then(|| format!("{what}: {found:?}"))
        })
        .collect();
    assert!(
        offending.is_empty(),
        "explanations citing documents a reader does not have:\n{}",
        offending.join("\n")
    );
}
