//! Explanations (docs/explanations.md), through the CLI as a user runs them.
//!
//! Golden files: each case below is a program under tests/golden/explain/, a goal, and the
//! expected output per format next to it. After a deliberate change, regenerate them with
//!
//! ```sh
//! UPDATE_GOLDEN=1 cargo test --test it explain::
//! ```
//!
//! and review the diff (`git diff tests/golden/explain`) like code.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value as Json;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run the binary from the repository root (so locations in the output are relative).
fn grondslag(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_grondslag"))
        .current_dir(root())
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("the binary runs")
}

fn explain(file: &str, goal: &str, extra: &[&str]) -> String {
    let path = format!("tests/golden/explain/{file}");
    let mut args = vec!["--kb", "none", "explain", path.as_str(), goal];
    args.extend_from_slice(extra);
    let out = grondslag(&args);
    assert!(
        out.status.success(),
        "explain {file} {goal} {extra:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn explain_json(file: &str, goal: &str) -> Json {
    serde_json::from_str(&explain(file, goal, &["--format", "json", "--lang", "en"]))
        .expect("valid JSON")
}

/// Compare with the golden file, or write it when `UPDATE_GOLDEN` is set.
fn golden(name: &str, actual: &str) {
    let path = root().join("tests/golden/explain").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).expect("golden file written");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing golden file {}; run `UPDATE_GOLDEN=1 cargo test --test it explain::`",
            path.display()
        )
    });
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from the output, first at line {}:\n  expected: {:?}\n  actual:   {:?}\n\
             if the change is intended: UPDATE_GOLDEN=1 cargo test --test it explain::, then review the diff",
            path.display(),
            first + 1,
            expected.lines().nth(first).unwrap_or("<end>"),
            actual.lines().nth(first).unwrap_or("<end>")
        );
    }
}

/// (golden name, program, goal, language, formats)
const CASES: &[(&str, &str, &str, &str, &[&str])] = &[
    (
        "secrecy_why",
        "secrecy.law",
        "~secret_kept(d1)",
        "nl",
        &["text", "json", "dot", "mermaid", "md", "html"],
    ),
    (
        "secrecy_why_en",
        "secrecy.law",
        "~secret_kept(d1)",
        "en",
        &["text"],
    ),
    (
        "secrecy_exceptions",
        "secrecy.law",
        "secret_kept(d2)",
        "nl",
        &["text"],
    ),
    (
        "secrecy_whynot",
        "secrecy.law",
        "secret_kept(d1)",
        "en",
        &["text", "md"],
    ),
    (
        "secrecy_whynot_d2",
        "secrecy.law",
        "~secret_kept(d2)",
        "en",
        &["text", "json"],
    ),
    (
        "conflict_open",
        "conflict.law",
        "share(d1)",
        "en",
        &["text", "dot"],
    ),
    (
        "conflict_defeater",
        "conflict.law",
        "share(d2)",
        "en",
        &["text"],
    ),
    (
        "conflict_holds",
        "conflict.law",
        "share(d3)",
        "nl",
        &["text"],
    ),
    (
        "conditions_holds",
        "conditions.law",
        "eligible(ann)",
        "en",
        &["text", "json"],
    ),
    (
        "conditions_comparison",
        "conditions.law",
        "eligible(bob)",
        "en",
        &["text"],
    ),
    (
        "conditions_not",
        "conditions.law",
        "eligible(cas)",
        "en",
        &["text", "mermaid"],
    ),
    (
        "conditions_aggregate",
        "conditions.law",
        "eligible(dee)",
        "nl",
        &["text"],
    ),
    (
        "conditions_chain",
        "conditions.law",
        "reach(a, d)",
        "en",
        &["text", "dot"],
    ),
    (
        "escaping",
        "escaping.law",
        "flagged(d1)",
        "en",
        &["text", "json", "dot", "mermaid", "md", "html"],
    ),
];

fn extension(format: &str) -> &str {
    match format {
        "text" => "txt",
        "mermaid" => "mmd",
        other => other,
    }
}

/// The date these programs are evaluated on. They carry no date of their own, so without it
/// the law would be today's, and the output (which states its date) would change every day.
const GOLDEN_DATE: &str = "2026-11-26";

#[test]
fn golden_explanations() {
    for (name, file, goal, lang, formats) in CASES {
        for format in *formats {
            let args = ["--format", format, "--lang", lang, "--as-of", GOLDEN_DATE];
            let out = explain(file, goal, &args);
            golden(&format!("{name}.{}", extension(format)), &out);
        }
    }
}

/// The law in force on a date (issue 5): (golden name, goal, extra arguments, formats). The
/// program is validity.law; validity_bill.law is a bill for it, effective 2027-01-01.
const DATED: &[(&str, &str, &[&str], &[&str])] = &[
    (
        "validity_not_yet",
        "allowed(d1)",
        &["--as-of", "2024-06-01", "--lang", "nl"],
        &["text", "json", "html"],
    ),
    (
        "validity_version",
        "allowed(d1)",
        &["--as-of", "2025-06-01", "--lang", "en"],
        &["text", "json"],
    ),
    (
        "validity_bill_not_yet",
        "allowed(d2)",
        &[
            "--as-of",
            "2026-06-01",
            "--bill",
            "tests/golden/explain/validity_bill.law",
            "--lang",
            "en",
        ],
        &["text", "md", "dot", "mermaid"],
    ),
    (
        "validity_repealed",
        "allowed(d1)",
        &[
            "--as-of",
            "2027-06-01",
            "--bill",
            "tests/golden/explain/validity_bill.law",
            "--lang",
            "nl",
        ],
        &["text", "json"],
    ),
];

#[test]
fn golden_explanations_on_a_date() {
    for (name, goal, extra, formats) in DATED {
        for format in *formats {
            let mut args = extra.to_vec();
            args.extend(["--format", format]);
            let out = explain("validity.law", goal, &args);
            golden(&format!("{name}.{}", extension(format)), &out);
        }
    }
}

#[test]
fn why_not_names_the_rules_the_date_kept_out_and_why() {
    let run = |goal: &str, extra: &[&str]| -> Json {
        let mut args = extra.to_vec();
        args.extend(["--format", "json", "--lang", "en"]);
        serde_json::from_str(&explain("validity.law", goal, &args)).expect("valid JSON")
    };
    // Before the new rule's @valid period: it is offered, with its start date, and its
    // premises hold (one obstacle, like a rule with one premise missing).
    let before = run("allowed(d1)", &["--as-of", "2024-06-01"]);
    assert_eq!(before["date"], "2024-06-01");
    let new_rule = rule_node(&before, "new_rule");
    assert_eq!(new_rule["outcome"], "not_in_force");
    assert_eq!(new_rule["missing"], 0);
    assert_eq!(new_rule["not_in_force"]["reason"], "not_yet_in_force");
    assert_eq!(new_rule["not_in_force"]["from"], "2025-03-01");
    let text: Vec<&str> = before["text"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["text"].as_str().unwrap())
        .collect();
    let first_rule = text.iter().find(|l| l.contains("`new_rule`")).unwrap();
    assert!(
        first_rule.starts_with("possible ground:")
            && first_rule
                .contains("in force only from 2025-03-01; the case is judged as of 2024-06-01"),
        "{first_rule}"
    );
    // In force: the why names the version that applied.
    let after = run("allowed(d1)", &["--as-of", "2025-06-01"]);
    assert_eq!(after["kind"], "why");
    assert_eq!(rule_node(&after, "new_rule")["valid"]["from"], "2025-03-01");
    assert_eq!(rule_node(&after, "new_rule")["outcome"], "applied");
    // A bill: its rule before the effective date, and the rule it repeals after it.
    let bill = ["--bill", "tests/golden/explain/validity_bill.law"];
    let pending = run(
        "allowed(d2)",
        &[&["--as-of", "2026-06-01"][..], &bill].concat(),
    );
    let reform = rule_node(&pending, "reform_rule");
    assert_eq!(reform["not_in_force"]["reason"], "bill_not_yet_effective");
    assert_eq!(reform["not_in_force"]["bill"], "reform");
    assert_eq!(reform["not_in_force"]["effective"], "2027-01-01");
    let repealed = run(
        "allowed(d1)",
        &[&["--as-of", "2027-06-01"][..], &bill].concat(),
    );
    let new_rule = rule_node(&repealed, "new_rule");
    assert_eq!(new_rule["not_in_force"]["reason"], "repealed");
    assert_eq!(new_rule["not_in_force"]["bill"], "reform");
    // A rule in force that applies is not listed as not in force.
    assert!(rule_node(&repealed, "general")["not_in_force"].is_null());
}

fn nodes(json: &Json) -> &Vec<Json> {
    json["nodes"].as_array().expect("nodes")
}

fn links(json: &Json) -> &Vec<Json> {
    json["links"].as_array().expect("links")
}

fn rule_node<'a>(json: &'a Json, label: &str) -> &'a Json {
    let found: Vec<&Json> = nodes(json)
        .iter()
        .filter(|n| n["type"] == "rule" && n["label"] == label)
        .collect();
    assert_eq!(found.len(), 1, "one node for rule {label}: {found:?}");
    found[0]
}

#[test]
fn why_goes_through_the_exception_with_both_citations_and_the_principle() {
    let json = explain_json("secrecy.law", "~secret_kept(d1)");
    assert_eq!(json["kind"], "why");
    assert_eq!(json["verdict"]["status"], "defeasibly");
    let winner = rule_node(&json, "report_vt");
    let loser = rule_node(&json, "secrecy");
    assert_eq!(winner["source"], "Wmo 2015 art. 5.2.6");
    assert_eq!(loser["source"], "WGBO art. 7:457 BW");
    assert_eq!(winner["outcome"], "applied");
    assert_eq!(loser["outcome"], "beaten");
    let defeat = links(&json)
        .iter()
        .find(|l| l["type"] == "defeated_by")
        .expect("a defeated_by link");
    assert_eq!(defeat["source"], loser["id"]);
    assert_eq!(defeat["target"], winner["id"]);
    assert_eq!(defeat["principle"], "exception");
    // The derivation reaches the facts.
    let facts: Vec<&str> = json["facts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(
        facts.contains(&"suspects_abuse(huisarts_jansen, d1)"),
        "{facts:?}"
    );
    let text = explain("secrecy.law", "~secret_kept(d1)", &["--lang", "en"]);
    assert!(
        text.contains("yields to `report_vt` [Wmo 2015 art. 5.2.6] (an exception to the rule)"),
        "{text}"
    );
}

#[test]
fn why_not_names_the_failing_premises_near_misses_first() {
    let json = explain_json("secrecy.law", "~secret_kept(d2)");
    assert_eq!(json["kind"], "why_not");
    let report = rule_node(&json, "report_vt");
    let conflict = rule_node(&json, "conflict_of_duties");
    assert_eq!(report["outcome"], "discarded");
    assert_eq!(report["missing"], 2);
    assert_eq!(conflict["missing"], 3);
    let failing: Vec<String> = links(&json)
        .iter()
        .filter(|l| l["type"] == "discarded" && l["source"] == report["id"])
        .map(|l| {
            nodes(&json)[l["target"].as_u64().unwrap() as usize]["literal"]["text"].to_string()
        })
        .collect();
    assert!(
        failing
            .iter()
            .any(|t| t.contains("suspects_abuse(huisarts_jansen, d2)")),
        "{failing:?}"
    );
    // Grouped by rule, the nearer miss first.
    let text = explain("secrecy.law", "~secret_kept(d2)", &["--lang", "en"]);
    let a = text.find("`report_vt`").expect("report_vt");
    let b = text
        .find("`conflict_of_duties`")
        .expect("conflict_of_duties");
    assert!(a < b, "{text}");
    // The defeasible winner is also shown: secrecy applies and nothing beats it.
    assert!(
        text.contains("contested by rule (unless an exception) `secrecy`")
            || text.contains("against it"),
        "{text}"
    );
}

#[test]
fn shared_sub_derivations_appear_once() {
    let json = explain_json("secrecy.law", "secret_kept(d1)");
    // report_vt is both the attacker of the goal and the ground of its complement.
    rule_node(&json, "report_vt");
    let mut literals: Vec<String> = nodes(&json)
        .iter()
        .filter(|n| n["type"] == "literal")
        .map(|n| n["literal"]["text"].to_string())
        .collect();
    let all = literals.len();
    literals.sort();
    literals.dedup();
    assert_eq!(all, literals.len(), "a literal drawn twice");
}

#[test]
fn json_follows_its_schema() {
    let schema_path = root().join("docs/explanation.schema.json");
    let schema: Json =
        serde_json::from_str(&std::fs::read_to_string(&schema_path).unwrap()).unwrap();
    assert_eq!(schema["$id"], "grondslag-explanation/1");
    let samples = [
        explain_json("secrecy.law", "~secret_kept(d1)"),
        explain_json("secrecy.law", "~secret_kept(d2)"),
        explain_json("conditions.law", "eligible(ann)"),
        explain_json("conditions.law", "eligible(cas)"),
        explain_json("escaping.law", "flagged(d1)"),
        explain_json("conflict.law", "share(d2)"),
    ];
    for json in &samples {
        // What the schema promises, checked here without a validator crate.
        let n = nodes(json).len();
        for (i, node) in nodes(json).iter().enumerate() {
            assert_eq!(node["id"], i);
            let kind = node["type"].as_str().unwrap();
            assert!(["literal", "rule", "absent", "condition"].contains(&kind));
        }
        for link in links(json) {
            assert!((link["source"].as_u64().unwrap() as usize) < n);
            assert!((link["target"].as_u64().unwrap() as usize) < n);
            let kind = link["type"].as_str().unwrap();
            assert!([
                "supports",
                "blocked_by_not",
                "attacks",
                "defeated_by",
                "discarded"
            ]
            .contains(&kind));
        }
        assert!((json["root"].as_u64().unwrap() as usize) < n);
    }
    // And against the schema itself.
    for json in &samples {
        crate::json_schema::assert_follows("explanation", json);
    }
}

#[test]
fn case_text_is_escaped_in_html_and_quoted_in_dot() {
    let html = explain("escaping.law", "flagged(d1)", &["--format", "html"]);
    assert!(!html.contains("<script"), "raw script tag in the HTML");
    assert!(html.contains("&lt;script&gt;alert("));
    // Self-contained: nothing to fetch, and a policy that forbids fetching.
    assert!(html.contains("Content-Security-Policy"));
    for needle in ["src=", "href=", "@import", "url(http"] {
        assert!(!html.contains(needle), "HTML contains {needle}");
    }
    let without_namespace = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assert!(!without_namespace.contains("http://") && !without_namespace.contains("https://"));
    assert!(html.contains("<svg"));

    let dot = explain("escaping.law", "flagged(d1)", &["--format", "dot"]);
    let line = dot
        .lines()
        .find(|l| l.contains("<script>") && l.contains("note(d1"))
        .expect("the note in a DOT label");
    // Inside one quoted label: the quotes of the case text are escaped.
    let label = line.split("label=").nth(1).unwrap();
    assert!(label.starts_with('"'));
    assert!(label.contains("\\\"quotes\\\""), "{label}");
    // Where Graphviz is installed, it must accept the file.
    if let Ok(out) = Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(dot.as_bytes())?;
            child.wait_with_output()
        })
    {
        assert!(
            out.status.success(),
            "dot rejects it: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    let md = explain("escaping.law", "flagged(d1)", &["--format", "md"]);
    // In Markdown, raw `<script` may only stand inside a code span (shown as text).
    for line in md.lines().filter(|l| l.contains("<script")) {
        let before = &line[..line.find("<script").unwrap()];
        assert!(
            before.matches('`').count() % 2 == 1,
            "raw script tag in the Markdown: {line}"
        );
    }
    let mermaid = explain("escaping.law", "flagged(d1)", &["--format", "mermaid"]);
    assert!(!mermaid.contains("<script") && !mermaid.contains("\"quotes\""));
}

#[test]
fn depth_limits_how_far_why_not_follows_failing_premises() {
    let dir = crate::common::TempDir::new("explain-depth");
    let file = dir.join("chain.law");
    std::fs::write(
        &file,
        "a(X) :- b(X), s(X).\nb(X) :- c(X).\nc(X) :- d(X).\ns(x).\n",
    )
    .unwrap();
    let run = |depth: &str| {
        let out = grondslag(&[
            "--kb",
            "none",
            "--lang",
            "en",
            "explain",
            file.to_str().unwrap(),
            "a(x)",
            "--depth",
            depth,
        ]);
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    // The depth bounds the full derivation, after the memo (which follows every chain).
    let derivation =
        |text: String| text[text.find("Full derivation").expect("derivation")..].to_string();
    let shallow = derivation(run("1"));
    let deep = derivation(run("3"));
    assert!(
        shallow.contains("missing: b(x)") && !shallow.contains("missing: c(x)"),
        "{shallow}"
    );
    assert!(
        deep.contains("missing: c(x)") && deep.contains("missing: d(x)"),
        "{deep}"
    );
}

#[test]
fn a_goal_with_variables_that_holds_asks_for_one_answer() {
    let out = grondslag(&[
        "--kb",
        "none",
        "explain",
        "tests/golden/explain/secrecy.law",
        "secret_kept(D)",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`secret_kept(d2)`"), "{err}");
    // Nothing matches: a why-not over the pattern.
    let out = grondslag(&[
        "--kb",
        "none",
        "explain",
        "tests/golden/explain/secrecy.law",
        "~secret_kept(d9)",
    ]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("discloses(d9"));
}

#[test]
fn explain_writes_to_a_file_with_o() {
    let dir = crate::common::TempDir::new("explain-out");
    let target = dir.join("memo.html");
    let out = grondslag(&[
        "--kb",
        "none",
        "explain",
        "tests/golden/explain/secrecy.law",
        "secret_kept(d2)",
        "--format",
        "html",
        "-o",
        target.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    let html = std::fs::read_to_string(&target).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("WGBO art. 7:457 BW"));
}

#[test]
fn a_failing_expect_is_explained() {
    let dir = crate::common::TempDir::new("explain-test");
    let file = dir.join("expects.law");
    std::fs::write(
        &file,
        "r1: default p(X) :- q(X), not blocked(X).\nq(a). q(b). blocked(b).\nexpect p(b).\nexpect p(a).\n",
    )
    .unwrap();
    let out = grondslag(&[
        "--kb",
        "none",
        "--lang",
        "en",
        "test",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Why does p(b) not hold?"), "{text}");
    assert!(
        text.contains("`r1` — does not apply: ruled out by blocked(b)"),
        "{text}"
    );
    assert!(text.trim_end().ends_with("1 passed, 1 failed"), "{text}");
}

#[test]
fn the_bundled_knowledge_base_explains_a_case() {
    let out = grondslag(&[
        "--lang",
        "en",
        "explain",
        "knowledge/cases/06_gp_medical_file.law",
        "lawful(d6)",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    // The memo first: the verdict in words, then the full derivation.
    assert!(text.starts_with("Unlawful: "), "{text}");
    assert!(
        text.contains("\nFull derivation: Why does lawful(d6) not hold?\n"),
        "{text}"
    );
    // The unlawfulness comes first, with the violations and their citations.
    assert!(text.contains("against it: ~lawful(d6)"), "{text}");
    assert!(text.contains("Code = professional_secrecy"), "{text}");
    assert!(text.contains("missing: has_basis(d6)"), "{text}");
}

#[test]
fn a_missing_goal_or_an_unknown_predicate_is_said_plainly() {
    let out = grondslag(&[
        "--kb",
        "none",
        "explain",
        "tests/golden/explain/secrecy.law",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the goal comes last"));
    let out = grondslag(&[
        "--kb",
        "none",
        "explain",
        "tests/golden/explain/secrecy.law",
        "secret_kep(d1)",
    ]);
    // The file declares its predicates: asking about an unknown one is an error.
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("error[unknown_predicate]"), "{text}");
    assert!(text.contains("did you mean `secret_kept`?"), "{text}");
    let out = grondslag(&[
        "--kb",
        "none",
        "explain",
        "tests/golden/explain/secrecy.law",
        "secret_kept(d1",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("<goal>:1:15"));
}

#[test]
fn the_bundled_cases_say_which_law_was_in_force() {
    let run = |args: &[&str]| {
        let out = grondslag(args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    // WGS (in force 2025-03-01): before it, the ZVH exchange lacks its statutory permission,
    // and why-not names the WGS rule, whose premises all hold, with its start date.
    let case = "knowledge/cases/09_zvh_wgs.law";
    let before = run(&[
        "--lang",
        "en",
        "explain",
        "--as-of",
        "2024-06-01",
        case,
        "lawful(d9)",
    ]);
    assert!(
        before.starts_with("Unlawful: ")
            && before.contains("Full derivation: Why does lawful(d9) not hold?"),
        "{before}"
    );
    let wgs = before
        .lines()
        .find(|l| l.contains("`wgs_samenwerkingsverband`"))
        .unwrap_or_else(|| panic!("the WGS rule is named:\n{before}"));
    assert!(
        wgs.contains("in force only from 2025-03-01; the case is judged as of 2024-06-01")
            && wgs.contains("its conditions do hold"),
        "{wgs}"
    );
    let after = run(&[
        "--lang",
        "en",
        "explain",
        "--as-of",
        "2025-06-01",
        case,
        "lawful(d9)",
    ]);
    assert!(
        after.starts_with("Lawful: ")
            && after.contains("Full derivation: Why does lawful(d9) hold?"),
        "{after}"
    );
    assert!(
        after.contains("`wgs_samenwerkingsverband` [Wet gegevensverwerking door samenwerkingsverbanden, Stb. 2024, 198; Besluit gegevensverwerking door samenwerkingsverbanden, Stb. 2024, 380; Kamerstukken II 2019/20, 35447, nr. 4] (in force from 2025-03-01)"),
        "{after}"
    );
    // WAMS (effective 2027-01-01) on a case dated 2026-06-01: its exchange rule is offered,
    // with the bill and its effective date.
    let wams = run(&[
        "--lang",
        "en",
        "explain",
        "--bill",
        "knowledge/bills/wams.law",
        "knowledge/cases/04c_meervoudige_problematiek.law",
        "lawful(d4m)",
    ]);
    assert!(
        wams.lines().any(|l| l.contains("`wams_gegevensuitwisseling`")
            && l.contains("added by bill `wams`, effective 2027-01-01; the case is judged as of 2026-06-01")),
        "{wams}"
    );
}

#[test]
fn a_recursive_strict_derivation_is_well_founded_and_ends_in_facts() {
    // A cycle a → b → c → a with a tail: `path(a, a)` holds through the cycle, and a
    // derivation that used `path(a, a)` to justify itself would be circular. Strict programs
    // rebuild derivations from the heights recorded during evaluation (no ground theory).
    let dir = crate::common::TempDir::new("explain");
    let file = dir.join("cycle.law");
    std::fs::write(
        &file,
        "edge(a, b). edge(b, c). edge(c, a). edge(c, d).\n\
         step: path(X, Y) :- edge(X, Y).\n\
         extend: path(X, Z) :- path(X, Y), edge(Y, Z).\n",
    )
    .unwrap();
    let out = grondslag(&[
        "--kb",
        "none",
        "explain",
        file.to_str().unwrap(),
        "path(a, a)",
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Json = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(json["kind"], "why");
    let nodes = nodes(&json);
    let supports: Vec<(usize, usize)> = links(&json)
        .iter()
        .filter(|l| l["type"] == "supports")
        .map(|l| {
            (
                l["source"].as_u64().unwrap() as usize,
                l["target"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    // Walk down from the goal: each derived literal has one rule below it, each rule its
    // premises; no literal is met twice on a path (well-founded) and every leaf is a fact.
    let literal = |i: usize| nodes[i]["literal"]["text"].as_str().unwrap().to_string();
    let mut path = vec![literal(0)];
    let mut at = 0;
    loop {
        let rules: Vec<usize> = supports
            .iter()
            .filter(|(_, to)| *to == at)
            .map(|(from, _)| *from)
            .collect();
        if rules.is_empty() {
            assert_eq!(
                nodes[at]["fact"],
                true,
                "{} ends the derivation",
                literal(at)
            );
            break;
        }
        assert_eq!(rules.len(), 1, "one derivation per definite literal");
        let premises: Vec<usize> = supports
            .iter()
            .filter(|(_, to)| *to == rules[0])
            .map(|(from, _)| *from)
            .collect();
        // The recursive premise (a `path`) when there is one, else the fact it rests on.
        at = *premises
            .iter()
            .find(|p| literal(**p).starts_with("path"))
            .unwrap_or(&premises[0]);
        assert!(
            !path.contains(&literal(at)),
            "circular: {path:?} then {}",
            literal(at)
        );
        path.push(literal(at));
    }
    assert_eq!(
        path,
        ["path(a, a)", "path(a, c)", "path(a, b)", "edge(a, b)"],
        "the shortest derivation, rebuilt downwards"
    );
    // The rule applications carry their labels and bindings.
    let extend: Vec<&Json> = nodes
        .iter()
        .filter(|n| n["type"] == "rule" && n["label"] == "extend")
        .collect();
    assert_eq!(extend.len(), 2);
    assert!(extend.iter().any(|n| n["bindings"]["Y"] == "c"));
}

#[test]
fn anonymous_variables_of_different_literals_stay_apart_in_why_not() {
    let text = explain("anonymous.law", "settled(d1)", &["--lang", "en"]);
    assert!(text.contains("data(d1, _)"), "{text}");
    assert!(!text.contains("data(d1, gemeente_a)"), "{text}");
}

#[test]
fn explanations_compute_as_the_evaluator_does() {
    // `mod` is never negative: -7 mod 3 is 2. The explanations once computed it on their own
    // (as -1): "condition holds: 2 = -1" for what holds, "0 conditions fail" for what does not.
    let dir = crate::common::TempDir::new("mod");
    let file = dir.join("mod.law");
    std::fs::write(&file, "n(-7).\nr(X, Y) :- n(X), Y = X mod 3.\n").unwrap();
    let file = file.to_str().unwrap();
    let run = |goal: &str| {
        let out = grondslag(&["--kb", "none", "--lang", "en", "explain", file, goal]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let holds = run("r(-7, 2)");
    assert!(holds.contains("r(-7, 2) — established"), "{holds}");
    assert!(holds.contains("condition holds: 2 = 2"), "{holds}");
    let fails = run("r(-7, -1)");
    assert!(
        fails.contains("does not apply: condition fails: -1 = 2"),
        "{fails}"
    );
    assert!(fails.contains("condition fails: -1 = 2"), "{fails}");
}
