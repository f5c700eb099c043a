//! The memo of every bundled case, as its readers get it: the summary of `lawful(D)` for each
//! processing, in Dutch, English and French. Golden files hold the summaries
//! (`tests/golden/memo/<case>.<lang>.txt`; `UPDATE_GOLDEN=1` rewrites them); the tests bound
//! what a reader sees (15 lines of 100 characters, a graph of 25 nodes and 1,600 pixels),
//! check that every sentence is filled, that the verdict matches the case's own expectations,
//! and that the summary names the norms that decide each violation the case expects.

use std::path::{Path, PathBuf};

use grondslag::driver::{self, Bills, Case, Dating, Evaluation, Options, Style};
use grondslag::explain::{self, Ask, Detail, Explanation, Format, Verdict, View};
use grondslag::load::{KnowledgeBase, Workspace};
use grondslag::syntax::ast::{ExpectKind, Item, Lang, Term};
use grondslag::value::{Date, Value};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root().join("knowledge/cases"))
        .expect("the bundled cases")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "law"))
        .collect();
    cases.sort();
    cases
}

/// One case loaded over the bundled knowledge base and evaluated on its own date.
struct Loaded {
    ws: Workspace,
    evaluation: Evaluation,
}

fn load(case: &Path) -> Loaded {
    let ws = driver::load(
        &KnowledgeBase::Bundled,
        &[case.to_path_buf()],
        &[],
        grondslag::load::DEFAULT_MAX_FILE_SIZE,
    );
    let dating = Dating {
        as_of: None,
        today: Date::parse("2026-12-02").expect("a date"),
    };
    let (date, _) = dating.together(&ws).expect("one date");
    let checked = driver::check(&ws, Some(date));
    let options = Options {
        provenance: true,
        ..Options::default()
    };
    let evaluation = {
        let law = checked
            .law(Some(date), Bills::Apply, &options)
            .expect("the case checks");
        law.evaluate(Case::All).expect("the case evaluates")
    };
    drop(checked);
    Loaded { ws, evaluation }
}

/// The processings of the case, in order.
fn processings(loaded: &Loaded) -> Vec<String> {
    let mut out: Vec<String> = loaded
        .evaluation
        .model()
        .relations()
        .filter(|(name, _)| name == "processing")
        .flat_map(|(_, rows)| rows)
        .filter_map(|(values, status)| match values.first() {
            Some(Value::Text(d)) if status.is_provable() => Some(d.to_string()),
            _ => None,
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

fn memo(loaded: &Loaded, goal: &str, lang: Lang, view: View) -> Explanation {
    let mut sources = loaded.ws.sources.clone();
    let query = driver::parse_query(&mut sources, "<goal>", goal).expect("a goal");
    let [grondslag::syntax::ast::BodyItem::Literal(literal)] = query.body.as_slice() else {
        unreachable!("one literal")
    };
    let style = Style {
        view,
        ..Style::new(lang)
    };
    loaded
        .evaluation
        .explain(&loaded.ws, literal, Ask::Either, style)
        .unwrap_or_else(|p| panic!("{goal}: {p}"))
}

fn summary_view() -> View {
    View {
        detail: Detail::Summary,
        ..View::default()
    }
}

/// What the case file expects of each processing: `expect lawful(d)` / `expect ~lawful(d)`,
/// and the violations `expect violation(d, v)`.
#[derive(Default)]
struct Expected {
    lawful: Vec<(String, bool)>,
    violations: Vec<(String, String)>,
}

fn expected(loaded: &Loaded, case: &Path) -> Expected {
    let mut out = Expected::default();
    let module = loaded
        .ws
        .modules
        .iter()
        .find(|m| Path::new(&loaded.ws.sources.get(m.module.file).name) == case)
        .map(|m| &m.module)
        .expect("the case module");
    for item in &module.items {
        let Item::Expect(expect) = item else { continue };
        if expect.kind != ExpectKind::Holds {
            continue;
        }
        let lit = &expect.literal;
        let args: Vec<String> = lit
            .atom
            .args
            .iter()
            .map(|a| match a {
                Term::Const(v, _) => v.to_string(),
                _ => String::new(),
            })
            .collect();
        match (lit.atom.pred.name.as_str(), args.as_slice()) {
            ("lawful", [d]) => out.lawful.push((d.clone(), !lit.negated)),
            ("violation", [d, v]) if !lit.negated => out.violations.push((d.clone(), v.clone())),
            _ => {}
        }
    }
    out
}

/// Whether the law makes a breach of `violation` make the processing unlawful.
fn makes_unlawful(loaded: &Loaded, violation: &str) -> bool {
    loaded
        .evaluation
        .model()
        .relations()
        .filter(|(name, _)| name == "makes_unlawful")
        .flat_map(|(_, rows)| rows)
        .any(|(values, status)| {
            status.is_provable()
                && matches!(values.first(), Some(Value::Text(v)) if **v == *violation)
        })
}

/// The summaries of every bundled case in every language: bounded, filled, matching the
/// case's expectations, and as in the golden files.
#[test]
fn the_summary_of_every_bundled_case_fits_a_screen_in_every_language() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let golden_dir = root().join("tests/golden/memo");
    std::fs::create_dir_all(&golden_dir).expect("the golden directory");
    let mut problems = Vec::new();
    let mut summaries = 0;
    for case in cases() {
        let loaded = load(&case);
        let name = case.file_stem().unwrap().to_string_lossy().to_string();
        let expected = expected(&loaded, &case);
        for lang in Lang::ALL {
            let mut golden = String::new();
            for d in processings(&loaded) {
                let goal = format!("lawful({d})");
                let e = memo(&loaded, &goal, lang, summary_view());
                let text = explain::render(&e, Format::Text);
                summaries += 1;
                let lines: Vec<&str> = text.lines().collect();
                if lines.len() > explain::summary::MAX_LINES {
                    problems.push(format!(
                        "{name} {goal} ({}): {} lines\n{text}",
                        lang.code(),
                        lines.len()
                    ));
                }
                for line in &lines {
                    if line.chars().count() > explain::summary::WIDTH {
                        problems.push(format!(
                            "{name} {goal}: a line of {} characters: {line}",
                            line.chars().count()
                        ));
                    }
                }
                if text.contains('{') || text.contains('}') {
                    problems.push(format!("{name} {goal}: an unfilled template\n{text}"));
                }
                for statement in e.memo.statements() {
                    if statement.sentence.is_none() {
                        problems.push(format!(
                            "{name} {goal} ({}): `{}` has no sentence",
                            lang.code(),
                            statement.lit
                        ));
                    }
                    if let (Some(sentence), Some(var)) =
                        (&statement.sentence, statement.lit.first_var())
                    {
                        let word = |w: &str| w.trim_matches(|c: char| !c.is_alphanumeric()) == var;
                        if sentence.split(' ').any(word) {
                            problems.push(format!(
                                "{name} {goal}: unfilled variable `{var}` in “{sentence}”"
                            ));
                        }
                    }
                }
                // The verdict is the one the case expects.
                for (ed, lawful) in &expected.lawful {
                    if *ed == d {
                        let want = if *lawful {
                            Verdict::Holds
                        } else {
                            Verdict::Fails
                        };
                        if e.memo.verdict != want {
                            problems.push(format!(
                                "{name} {goal}: verdict {:?}, expected {want:?}",
                                e.memo.verdict
                            ));
                        }
                    }
                }
                // Each violation the case expects that makes the processing unlawful is named,
                // with the norm that decides it. (One that does not, such as a missing DPIA, is
                // in the full derivation.)
                if lang == Lang::En && e.memo.verdict == Verdict::Fails {
                    for (vd, violation) in &expected.violations {
                        if *vd != d || !makes_unlawful(&loaded, violation) {
                            continue;
                        }
                        let reason = e.memo.reasons.iter().find(|r| {
                            r.statement.lit.pred == "violation"
                                && r.statement
                                    .lit
                                    .to_string()
                                    .contains(&format!(", {violation})"))
                        });
                        match reason {
                            None => problems.push(format!(
                                "{name} {goal}: the violation {violation} is not among the reasons"
                            )),
                            Some(r) => {
                                let first = text.lines().find(|l| {
                                    l.contains(&format!("breaches {violation}"))
                                        || l.contains(violation.as_str())
                                });
                                let named = r
                                    .norms
                                    .iter()
                                    .filter_map(|n| n.label.as_deref())
                                    .any(|label| text.contains(&format!("`{label}`")));
                                if first.is_none() || !named {
                                    problems.push(format!("{name} {goal}: {violation} is not stated with its norm\n{text}"));
                                }
                            }
                        }
                    }
                }
                golden.push_str(&text);
                golden.push('\n');
            }
            let path = golden_dir.join(format!("{name}.{}.txt", lang.code()));
            if update {
                std::fs::write(&path, &golden).expect("golden file written");
            } else {
                let want = std::fs::read_to_string(&path).unwrap_or_default();
                if want != golden {
                    problems.push(format!(
                        "{} differs from the summaries (UPDATE_GOLDEN=1 cargo test --test it memo:: rewrites it, then review the diff)",
                        path.display()
                    ));
                }
            }
        }
    }
    assert!(summaries > 150, "only {summaries} summaries");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The graph drawn by default is the decisive path: at most 25 nodes, at most 1,600 pixels
/// wide as `dot` lays it out and as the HTML page draws it.
#[test]
fn the_default_graph_of_every_bundled_case_fits_a_page() {
    let dot_installed = std::process::Command::new("dot").arg("-V").output().is_ok();
    let mut problems = Vec::new();
    for case in cases() {
        let loaded = load(&case);
        let name = case.file_stem().unwrap().to_string_lossy().to_string();
        for d in processings(&loaded) {
            let goal = format!("lawful({d})");
            let e = memo(&loaded, &goal, Lang::Nl, View::default());
            let (graph, _) = e.drawn();
            if graph.node_count() > 25 {
                problems.push(format!("{name} {goal}: {} nodes", graph.node_count()));
            }
            let svg = explain::svg::render(&e);
            let width: f64 = svg
                .split("width=\"")
                .nth(1)
                .and_then(|w| w.split('"').next())
                .and_then(|w| w.trim_end_matches("px").parse().ok())
                .expect("an SVG width");
            if width > 1600.0 {
                problems.push(format!("{name} {goal}: SVG {width} px wide"));
            }
            if dot_installed {
                let px = dot_width(&explain::render(&e, Format::Dot));
                if px > 1600.0 {
                    problems.push(format!("{name} {goal}: DOT {px} px wide"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The width `dot` gives a drawing, in pixels at 96 per inch (`-Tplain`: `graph scale w h`).
fn dot_width(dot: &str) -> f64 {
    use std::io::Write;
    let mut child = std::process::Command::new("dot")
        .arg("-Tplain")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("dot runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(dot.as_bytes())
        .unwrap();
    let out = child.wait_with_output().expect("dot finishes");
    let text = String::from_utf8_lossy(&out.stdout);
    let first: Vec<&str> = text.lines().next().unwrap_or("").split(' ').collect();
    match first.as_slice() {
        ["graph", scale, width, ..] => {
            scale.parse::<f64>().unwrap_or(1.0) * width.parse::<f64>().unwrap_or(0.0) * 96.0
        }
        _ => panic!("dot gave no layout: {text}"),
    }
}

/// The two cases where a fixed depth hid the point: a GP who also passes on the diagnosis
/// (art. 9(2)(c) needs a person who cannot consent), and an early warning without the
/// creditor's own contact attempts. The summary says it at the default settings.
#[test]
fn the_summary_states_the_decisive_reason_at_the_default_settings() {
    let gp = load(&root().join("knowledge/cases/13_conflict_of_duties.law"));
    let e = memo(&gp, "lawful(d2)", Lang::En, summary_view());
    let text = explain::render(&e, Format::Text);
    assert!(text.starts_with("Unlawful:"), "{text}");
    assert!(text.contains("special_data_without_exception"), "{text}");
    assert!(
        text.contains("consent_impossible") && text.contains("`avg_9_2_c`"),
        "{text}"
    );
    let warning = load(&root().join("knowledge/cases/12_early_warning.law"));
    let e = memo(&warning, "lawful(d12c)", Lang::En, summary_view());
    let text = explain::render(&e, Format::Text);
    assert!(text.starts_with("Unlawful:"), "{text}");
    assert!(
        text.contains("contact attempts") && text.contains("`wgs_vroegsignalering`"),
        "{text}"
    );
    // A norm that cannot apply is one line with the reason: Wpg art. 20 is for the police.
    let e = memo(&gp, "lawful(d2)", Lang::En, View::default());
    let full = explain::render(&e, Format::Text);
    let wpg = full
        .lines()
        .find(|l| l.contains("`wpg_20`"))
        .unwrap_or_else(|| panic!("{full}"));
    assert!(
        wpg.contains("does not apply: (kind of actor) huisarts_a is an organisation of type medical_provider"),
        "{wpg}"
    );
    let below = full.lines().skip_while(|l| !l.contains("`wpg_20`")).nth(1);
    assert!(
        below.is_none_or(
            |l| !l.trim_start().starts_with("met:") && !l.trim_start().starts_with("missing:")
        ),
        "{full}"
    );
}

/// A lawful processing whose professional secrecy an exception lifted says so in its
/// summary: the prosecutor's case (Sw. art. 458bis lifting art. 458).
#[test]
fn the_summary_names_the_exception_that_lifted_a_duty() {
    let case = load(&root().join("knowledge/cases/14_458bis_prosecutor.law"));
    let e = memo(&case, "lawful(d1)", Lang::En, summary_view());
    let text = explain::render(&e, Format::Text);
    assert!(text.starts_with("Lawful:"), "{text}");
    assert!(
        text.contains("`sw_458bis`") && text.contains("an exception to Sw. art. 458 (`sw_458`)"),
        "{text}"
    );
}
