//! Draft bills and time (docs/bills.md), through the binary: the law in force on a case's date,
//! `--as-of`, `--bill` with added rules, superiority pairs and repeals, and `diff`.

use std::process::Output;

use crate::common::{dir_with, grondslag, stderr, stdout, TempDir};

fn path(dir: &std::path::Path, name: &str) -> String {
    dir.join(name).display().to_string()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_str(&stdout(out))
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", stdout(out), stderr(out)))
}

/// A small law: a default that a processing is lawful, an exception for sensitive data that
/// applies from 2025, and a rule the bills below repeal or overrule.
const LAW: &str = "\
lawful_by_default: default lawful(D) :- processing(D).
@valid(from: 2025-01-01)
sensitive_bars: default ~lawful(D) :- processing(D), sensitive(D).
sensitive_bars > lawful_by_default.
@valid(until: 2019-12-31)
old_register: default ~lawful(D) :- processing(D), registered(D).
";

const CASE_2024: &str = "case early \"Before the exception\" date 2024-06-01.
processing(d1). sensitive(d1).
expect lawful(d1).
";

const CASE_2025: &str = "case late \"After the exception\" date 2025-06-01.
processing(d1). sensitive(d1).
expect ~lawful(d1).
";

#[test]
fn a_case_date_selects_the_law_in_force_and_as_of_overrides_it() {
    let dir = dir_with(
        "dates",
        &[
            ("law.law", LAW),
            ("early.law", CASE_2024),
            ("late.law", CASE_2025),
        ],
    );
    let out = grondslag(&["--kb", "none", "test", &dir.display().to_string()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stdout(&out).ends_with("2 passed, 0 failed\n"),
        "{}",
        stdout(&out)
    );

    // `--as-of` given explicitly wins over each case's date: now both are judged in 2025.
    let out = grondslag(&[
        "--kb",
        "none",
        "--as-of",
        "2025-02-01",
        "test",
        &dir.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("FAIL"), "{}", stdout(&out));
    assert!(
        stdout(&out).ends_with("1 passed, 1 failed\n"),
        "{}",
        stdout(&out)
    );

    // `query` and `model` on one case use its date too.
    let query = |case: &str| {
        let out = grondslag(&[
            "--kb",
            "none",
            "query",
            "-q",
            "lawful(d1)",
            "--format",
            "json",
            &path(&dir, "law.law"),
            &path(&dir, case),
        ]);
        json(&out)["answers"][0]["status"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(query("early.law"), "defeasibly");
    assert_eq!(query("late.law"), "refuted");
}

#[test]
fn case_files_dated_differently_have_no_one_law_for_run() {
    let dir = dir_with(
        "mixed",
        &[
            ("law.law", LAW),
            ("early.law", CASE_2024),
            ("late.law", CASE_2025),
        ],
    );
    let out = grondslag(&["--kb", "none", "model", &dir.display().to_string()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("dated differently"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("`early` 2024-06-01"),
        "{}",
        stderr(&out)
    );
    // With a date given, they evaluate together.
    let out = grondslag(&[
        "--kb",
        "none",
        "--as-of",
        "2024-01-01",
        "model",
        &dir.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn the_bundled_wgs_applies_from_2025() {
    let case = "knowledge/cases/09_zvh_wgs.law";
    let status = |date: &str| {
        let out = grondslag(&[
            "--as-of",
            date,
            "query",
            "-q",
            "lawful(d9)",
            "--format",
            "json",
            case,
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        json(&out)["answers"][0]["status"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(status("2024-06-01"), "refuted");
    assert_eq!(status("2025-06-01"), "defeasibly");
}

const BILL: &str = "bill reform \"Reform act\" effective 2027-01-01.
@source(\"Reform act art. 1\")
reform_consent: default lawful(D) :- processing(D), sensitive(D), consent(D).
reform_consent > sensitive_bars.
repeal lawful_by_default.
";

const CASES: [(&str, &str); 3] = [
    (
        "consent.law",
        "case with_consent \"Consent given\" date 2028-01-01.\nprocessing(d1). sensitive(d1). consent(d1).\n",
    ),
    (
        "plain.law",
        "case plain \"Nothing sensitive\" date 2028-01-01.\nprocessing(d2).\n",
    ),
    (
        "same.law",
        "case same \"Sensitive, no consent\" date 2028-01-01.\nprocessing(d3). sensitive(d3).\n",
    ),
];

fn bill_dir(test: &str) -> TempDir {
    let mut files = vec![("law.law", LAW), ("bill.law", BILL)];
    files.extend(CASES);
    dir_with(test, &files)
}

#[test]
fn diff_lists_each_change_with_its_reasoning_and_what_the_bill_did() {
    let dir = bill_dir("diff");
    let law = path(&dir, "law.law");
    let bill = path(&dir, "bill.law");
    let cases: Vec<String> = CASES.iter().map(|(n, _)| path(&dir, n)).collect();
    let mut args = vec!["--kb", &law, "diff", "--bill", &bill, "--format", "json"];
    args.extend(cases.iter().map(String::as_str));
    let out = grondslag(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["as_of"], "2027-01-01");
    assert_eq!(report["as_of_source"], "bill");
    assert_eq!(report["bills"][0]["name"], "reform");
    assert_eq!(report["summary"]["cases"], 3);
    assert_eq!(report["summary"]["changed"], 2);

    // Consent: the bill's rule beats the exception (its superiority pair).
    let consent = &report["cases"][0];
    assert_eq!(consent["name"], "with_consent");
    assert_eq!(consent["verdicts"][0]["before"], "unlawful");
    assert_eq!(consent["verdicts"][0]["after"], "lawful");
    let change = &consent["changes"][0];
    assert_eq!(change["conclusion"], "lawful(d1)");
    assert_eq!(change["change"], "changes_verdict");
    assert_eq!(change["before"]["verdict"], "refuted");
    assert_eq!(change["after"]["verdict"], "holds");
    assert_eq!(change["introduced"], serde_json::json!(["reform_consent"]));
    assert_eq!(
        change["priorities"],
        serde_json::json!([["reform_consent", "sensitive_bars"]])
    );
    let after: Vec<&str> = change["after"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["label"].as_str().unwrap())
        .collect();
    assert_eq!(after, ["reform_consent"]);
    assert_eq!(change["after"]["rules"][0]["source"], "Reform act art. 1");
    assert_eq!(change["after"]["rules"][0]["bill"], "reform");

    // Nothing sensitive: the repeal takes the only ground away.
    let plain = &report["cases"][1];
    let change = &plain["changes"][0];
    assert_eq!(change["conclusion"], "lawful(d2)");
    assert_eq!(change["change"], "disappears");
    assert_eq!(change["repealed"], serde_json::json!(["lawful_by_default"]));
    assert_eq!(plain["verdicts"][0]["after"], "undetermined");

    // Sensitive without consent: unlawful before and after.
    let same = &report["cases"][2];
    assert_eq!(same["changed"], false);
    assert_eq!(same["verdicts"][0]["before"], "unlawful");
    assert_eq!(same["verdicts"][0]["after"], "unlawful");

    // The text briefing says the same in words.
    let mut args = vec!["--kb", &law, "--lang", "en", "diff", "--bill", &bill];
    args.extend(cases.iter().map(String::as_str));
    let text = stdout(&grondslag(&args));
    assert!(text.contains("3 cases: 2 changed, 1 unchanged."), "{text}");
    assert!(text.contains("Verdicts: d1 unlawful → lawful"), "{text}");
    assert!(
        text.contains("what makes the difference: reform_consent, reform_consent > sensitive_bars"),
        "{text}"
    );
    assert!(
        text.contains("lawful_by_default (repealed by the bill)"),
        "{text}"
    );
    assert!(text.contains("Cases without change: same"), "{text}");
}

#[test]
fn before_its_effective_date_a_bill_changes_nothing() {
    let dir = bill_dir("early");
    let law = path(&dir, "law.law");
    let bill = path(&dir, "bill.law");
    let case = path(&dir, "consent.law");
    let out = grondslag(&[
        "--kb",
        &law,
        "--as-of",
        "2026-12-31",
        "diff",
        "--bill",
        &bill,
        "--format",
        "json",
        &case,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["as_of_source"], "as_of");
    assert_eq!(report["summary"]["changed"], 0);

    // `test --bill`: the case's date (2028) is after the effective date, so the bill applies.
    let expecting = dir.join("expecting.law");
    std::fs::write(
        &expecting,
        "case expecting \"E\" date 2028-01-01.\nprocessing(d1). sensitive(d1). consent(d1).\nexpect lawful(d1) via reform_consent.\n",
    )
    .unwrap();
    let out = grondslag(&[
        "--kb",
        &law,
        "test",
        "--bill",
        &bill,
        &expecting.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // Without the bill, the same expectation fails.
    let out = grondslag(&["--kb", &law, "test", &expecting.display().to_string()]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
}

#[test]
fn repealing_an_unknown_label_points_at_the_bill_with_a_suggestion() {
    let dir = dir_with(
        "unknown",
        &[
            ("law.law", LAW),
            (
                "bill.law",
                "bill typo \"T\" effective 2027-01-01.\nrepeal lawful_by_defualt.\n",
            ),
        ],
    );
    let out = grondslag(&[
        "--kb",
        &path(&dir, "law.law"),
        "check",
        "--bill",
        &path(&dir, "bill.law"),
    ]);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("error[unknown_label]"), "{text}");
    assert!(text.contains("bill.law:2:8"), "{text}");
    assert!(text.contains("did you mean `lawful_by_default`?"), "{text}");
    // `diff` refuses to run on it.
    let case = dir.join("c.law");
    std::fs::write(&case, "case c \"C\" date 2028-01-01.\nprocessing(d1).\n").unwrap();
    let out = grondslag(&[
        "--kb",
        &path(&dir, "law.law"),
        "diff",
        "--bill",
        &path(&dir, "bill.law"),
        &case.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("unknown_label"), "{}", stderr(&out));
}

#[test]
fn a_bill_cannot_reuse_a_label_and_only_bills_repeal() {
    let dir = dir_with(
        "labels",
        &[
            ("law.law", LAW),
            (
                "bill.law",
                "bill dup \"D\" effective 2027-01-01.\nlawful_by_default: lawful(x).\n",
            ),
            (
                "case.law",
                "case c \"C\" date 2028-01-01.\nrepeal lawful_by_default.\n",
            ),
        ],
    );
    let out = grondslag(&[
        "--kb",
        &path(&dir, "law.law"),
        "check",
        "--bill",
        &path(&dir, "bill.law"),
        &path(&dir, "case.law"),
    ]);
    let text = stderr(&out);
    assert!(text.contains("error[duplicate_label]"), "{text}");
    assert!(
        text.contains("only a draft bill can repeal `lawful_by_default`"),
        "{text}"
    );
    // A case given as a bill.
    let out = grondslag(&[
        "--kb",
        &path(&dir, "law.law"),
        "check",
        "--bill",
        &path(&dir, "case.law"),
    ]);
    assert!(
        stderr(&out).contains("a `case` file was given as a draft bill"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn diff_needs_a_bill_and_cases() {
    let out = grondslag(&["diff", "knowledge/cases"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--bill FILE"), "{}", stderr(&out));
    let out = grondslag(&["diff", "--bill", "knowledge/bills/wams.law"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no case files"), "{}", stderr(&out));
}

#[test]
fn the_flemish_decree_makes_the_integrity_consultation_lawful_and_not_general_prevention() {
    let out = grondslag(&[
        "diff",
        "--bill",
        "knowledge/bills/vlaams_casusoverleg.law",
        "--format",
        "json",
        "knowledge/cases",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["as_of"], "2026-09-01");
    let cases = report["cases"].as_array().unwrap();
    assert!(cases.len() >= 18);
    let case = |name: &str| cases.iter().find(|c| c["name"] == name).unwrap();
    // Scenario 1 (general prevention only): the decree cannot organise that consultation.
    assert_eq!(case("mechelen_samen")["changed"], false);
    let variant = case("mechelen_twee_doelen");
    let verdict = |d: &str| {
        let v = variant["verdicts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["processing"][0] == d)
            .unwrap();
        (
            v["before"].as_str().unwrap().to_string(),
            v["after"].as_str().unwrap().to_string(),
        )
    };
    let flips = ("unlawful".to_string(), "lawful".to_string());
    let stays = ("unlawful".to_string(), "unlawful".to_string());
    assert_eq!(verdict("d_caw_integriteit"), flips);
    assert_eq!(verdict("d_stad_integriteit"), flips);
    assert_eq!(verdict("d_caw_preventie"), stays);
    assert_eq!(verdict("d_stad_preventie"), stays);
    let changes = variant["changes"].as_array().unwrap();
    let lawful = changes
        .iter()
        .find(|c| c["conclusion"] == "lawful(d_caw_integriteit)")
        .unwrap();
    assert_eq!(lawful["before"]["verdict"], "refuted");
    assert_eq!(lawful["after"]["verdict"], "holds");
    let introduced = lawful["introduced"].as_array().unwrap();
    assert!(introduced
        .iter()
        .any(|l| l == "vl_casusoverleg_georganiseerd"));
    assert!(introduced.iter().any(|l| l == "vl_casusoverleg_taak"));
    let after_rules = lawful["after"]["rules"].as_array().unwrap();
    assert!(after_rules.iter().any(|r| r["label"] == "sw_458ter"));
    assert!(changes.iter().any(|c| c["conclusion"]
        == "violation(d_caw_integriteit, professional_secrecy)"
        && c["change"] == "disappears"));
    // Nothing about the general-prevention consultation changes.
    assert!(!changes
        .iter()
        .any(|c| c["conclusion"].as_str().unwrap().contains("preventie")));
}

#[test]
fn wams_makes_a_multi_problem_exchange_lawful() {
    let dir = dir_with(
        "wams",
        &[(
            "case.law",
            "case wijkaanpak \"Integrale aanpak\" date 2024-03-01.
org_type(gemeente_x, municipality).       jurisdiction(gemeente_x, nl).
org_type(wijkteam_x, neighbourhood_team). jurisdiction(wijkteam_x, nl).
disclosure(d1, gemeente_x, wijkteam_x, gezin_a).
purpose(d1, multi_problem_approach).  necessity(d1, b).  data(d1, identity).
",
        )],
    );
    let out = grondslag(&[
        "--lang",
        "en",
        "diff",
        "--bill",
        "knowledge/bills/wams.law",
        &path(&dir, "case.law"),
    ]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(text.contains("Verdicts: d1 unlawful → lawful"), "{text}");
    assert!(
        text.contains("processing d1 is lawful — changes verdict: unlawful → lawful"),
        "{text}"
    );
    assert!(
        text.contains(
            "wams_gegevensuitwisseling (Wetsvoorstel WAMS, Kamerstukken 36295; new in bill wams)"
        ),
        "{text}"
    );
}

#[test]
fn html_and_markdown_escape_what_comes_from_the_files() {
    let dir = dir_with(
        "escape",
        &[
            ("law.law", "pred lawful(D) \"<b>{D}</b> ok\" en \"<b>{D}</b> ok\".\nr1: default lawful(D) :- p(D).\n"),
            ("bill.law", "bill b \"<img src=x onerror=alert(1)>\" effective 2027-01-01.\nrepeal r1.\n"),
            ("case.law", "case c \"<script>alert('x')</script> | *bold*\" date 2028-01-01.\np(\"a<b&c\").\n"),
        ],
    );
    let run = |format: &str| {
        let out = grondslag(&[
            "--kb",
            &path(&dir, "law.law"),
            "diff",
            "--bill",
            &path(&dir, "bill.law"),
            "--format",
            format,
            &path(&dir, "case.law"),
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        stdout(&out)
    };
    let html = run("html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(!html.contains("<b>"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
        "{html}"
    );
    assert!(html.contains("a&lt;b&amp;c"), "{html}");
    // Self-contained: nothing fetched.
    assert!(
        !html.contains("<link") && !html.contains("url(http") && !html.contains("<iframe"),
        "{html}"
    );
    assert!(html.contains("Content-Security-Policy"), "{html}");
    // Each change comes with its two explanation graphs.
    assert_eq!(html.matches("<svg").count(), 2, "{html}");
    let md = run("md");
    // The bill's title in the report's heading too: no tag reaches a Markdown viewer.
    assert!(
        !md.contains("<img") && !md.contains("<script") && !md.contains("<b>"),
        "{md}"
    );
    assert!(
        md.contains("# Wetsontwerp: &lt;img src=x onerror=alert(1)&gt;"),
        "{md}"
    );
    assert!(md.contains("&lt;script&gt;"), "{md}");
    assert!(md.contains("\\| \\*bold\\*"), "{md}");
}

#[test]
fn without_the_verdict_vocabulary_every_literal_is_compared() {
    let dir = dir_with(
        "generic",
        &[
            ("law.law", "a: default q(X) :- r(X).\n"),
            (
                "bill.law",
                "bill b \"B\" effective 2030-01-01.\nb: default ~q(X) :- s(X).\nb > a.\n",
            ),
            ("case.law", "case c \"C\" date 2031-01-01.\nr(k). s(k).\n"),
        ],
    );
    let out = grondslag(&[
        "--kb",
        &path(&dir, "law.law"),
        "diff",
        "--bill",
        &path(&dir, "bill.law"),
        "--format",
        "json",
        &path(&dir, "case.law"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Not a terminal: no progress bar.
    assert_eq!(stderr(&out), "");
    let report = json(&out);
    let change = &report["cases"][0]["changes"][0];
    assert_eq!(change["conclusion"], "q(k)");
    assert_eq!(change["before"]["verdict"], "holds");
    assert_eq!(change["after"]["verdict"], "refuted");
    assert_eq!(change["introduced"], serde_json::json!(["b"]));
    assert_eq!(change["priorities"], serde_json::json!([["b", "a"]]));
    assert!(report["cases"][0]["verdicts"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn all_compares_the_intermediate_conclusions_too() {
    let run = |all: bool| {
        let mut args = vec![
            "diff",
            "--bill",
            "knowledge/bills/vlaams_casusoverleg.law",
            "--format",
            "json",
            "knowledge/cases/01b_mechelen_twee_doelen.law",
        ];
        if all {
            args.push("--all");
        }
        let report = json(&grondslag(&args));
        let changes: Vec<String> = report["cases"][0]["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["conclusion"].as_str().unwrap().to_string())
            .collect();
        changes
    };
    let verdicts = run(false);
    let all = run(true);
    assert!(verdicts.iter().all(|c| all.contains(c)));
    assert!(!verdicts.iter().any(|c| c.starts_with("legal_task(")));
    assert!(
        all.iter().any(|c| c
            == "legal_task(caw_boom_mechelen_lier, integrity_protection, decreet_casusoverleg)"),
        "{all:?}"
    );
}

#[test]
fn a_bill_not_yet_in_force_on_the_case_date_is_noted() {
    let out = grondslag(&[
        "query",
        "-q",
        "lawful(D)",
        "--bill",
        "knowledge/bills/wams.law",
        "knowledge/cases/01_mechelen_samen.law",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("note: bill `wams` takes effect on 2027-01-01, after 2020-05-01"),
        "{}",
        stderr(&out)
    );
}
