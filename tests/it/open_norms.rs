//! Open norms as explicit assumptions (docs/defeasible.md, "Open norms"): presumed where a rule
//! needs them and no fact settles them, listed wherever a verdict rests on them, replaced by a
//! stated fact, left open with `--open-norms open`, pinned by `expect ... assuming`, and
//! reported by `diff` when a bill changes them.

use std::path::PathBuf;

use super::common::{grondslag, stdout};

/// A directory of its own for one test.
fn dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "grondslag-open-norms-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A small law with two open norms, one presumed positive and one presumed negative.
const LAW: &str = "\
@source(\"Wet art. 2 (noodzakelijk)\")
@open_norm(assessor: controller)
pred necessary(D) \"{D} is noodzakelijk\" en \"{D} is necessary\".
@source(\"Wet art. 3 (subsidiariteit)\")
@open_norm(assessor: supervisor, about: D)
pred ~less_intrusive(D) \"voor {D} volstaat niets lichters\" en \"nothing less intrusive would do for {D}\".
pred less_intrusive(D) \"voor {D} volstaat iets lichters\" en \"something less intrusive would do for {D}\".
pred processing(D, O) \"{O} verwerkt {D}\" en \"{O} processes {D}\".
pred task(O) \"{O} heeft een taak\" en \"{O} has a task\".
pred listed(D) \"{D} staat op de lijst\" en \"{D} is listed\".
pred lawful(D) \"{D} is rechtmatig\" en \"{D} is lawful\".
@source(\"Wet art. 1\")
grond: default lawful(D) :- processing(D, O), task(O), necessary(D), ~less_intrusive(D).
";

const CASE: &str = "\
case c \"Open normen\" date 2024-01-01.
processing(d1, gemeente). task(gemeente). listed(d1).
processing(d2, gemeente). less_intrusive(d2).
processing(d3, gemeente). necessary(d3). ~less_intrusive(d3).
processing(d4, gemeente). ~necessary(d4).
";

fn files(name: &str) -> (PathBuf, String, String) {
    let dir = dir(name);
    std::fs::write(dir.join("law.law"), LAW).unwrap();
    std::fs::write(dir.join("case.law"), CASE).unwrap();
    let law = dir.join("law.law").display().to_string();
    let case = dir.join("case.law").display().to_string();
    (dir, law, case)
}

#[test]
fn a_verdict_resting_on_open_norms_holds_provided_that_and_a_stated_fact_replaces_them() {
    let (_dir, law, case) = files("query");
    let out = grondslag(&["--kb", &law, "query", "-q", "lawful(D)", &case]);
    assert!(out.status.success(), "{}", stdout(&out));
    let table = stdout(&out);
    // d1: both presumed; d2: a less intrusive way was stated, so no ground; d3: both stated, so
    // nothing presumed; d4: necessity denied.
    assert!(
        table.contains("d1  defeasibly  ~less_intrusive(d1), necessary(d1)"),
        "{table}"
    );
    assert!(table.contains("d3  defeasibly\n"), "{table}");
    assert!(!table.contains("d2") && !table.contains("d4"), "{table}");

    let json = grondslag(&[
        "--kb",
        &law,
        "query",
        "-q",
        "lawful(d1)",
        "--format",
        "json",
        &case,
    ]);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        json["answers"][0]["assuming"],
        serde_json::json!(["~less_intrusive(d1)", "necessary(d1)"])
    );
    let csv = stdout(&grondslag(&[
        "--kb",
        &law,
        "query",
        "-q",
        "lawful(D)",
        "--format",
        "csv",
        &case,
    ]));
    assert!(csv.starts_with("D,status,assuming\n"), "{csv}");
    assert!(csv.contains("d3,defeasibly,\n"), "{csv}");
}

#[test]
fn left_open_such_a_verdict_is_undetermined_and_says_what_must_be_assessed() {
    let (_dir, law, case) = files("open");
    let yes_no = |mode: &str, goal: &str| {
        stdout(&grondslag(&[
            "--kb",
            &law,
            "--open-norms",
            mode,
            "query",
            "-q",
            goal,
            &case,
        ]))
    };
    assert_eq!(
        yes_no("assume", "lawful(d1)"),
        "yes (defeasibly, assuming ~less_intrusive(d1), necessary(d1))\n"
    );
    assert_eq!(
        yes_no("open", "lawful(d1)"),
        "no (undecided: holds assuming ~less_intrusive(d1), necessary(d1))\n"
    );
    // A verdict on stated facts does not depend on the mode.
    assert_eq!(yes_no("open", "lawful(d3)"), "yes (defeasibly)\n");
    // Nor is anything concluded from leaving a norm open: not its complement either.
    assert_eq!(yes_no("open", "~lawful(d1)"), "no\n");
}

#[test]
fn the_memo_lists_each_assumption_with_its_norm_what_it_is_about_and_who_assesses_it() {
    let (_dir, law, case) = files("explain");
    let memo = stdout(&grondslag(&[
        "--kb",
        &law,
        "--lang",
        "en",
        "explain",
        &case,
        "lawful(d1)",
    ]));
    // The memo's verdict holds "provided that"; the ledger follows the memo, before the
    // full derivation.
    assert!(
        memo.starts_with(
            "Lawful: d1 is lawful.\nUnder the law in force on 2024-01-01.\nProvided that:\n  nothing less intrusive would do for d1 — Wet art. 3 (subsidiariteit)\n  d1 is necessary — Wet art. 2 (noodzakelijk)\n"
        ),
        "{memo}"
    );
    let ledger = memo
        .find("\nAssumptions\n")
        .expect("an Assumptions section");
    let derivation = memo.find("\nFull derivation: Why does lawful(d1) hold?\n");
    assert!(derivation.is_some_and(|d| ledger < d), "{memo}");
    assert!(
        memo.contains("lawful(d1) holds provided that (open norms, presumed because the case does not assess them):"),
        "{memo}"
    );
    assert!(
        memo.contains("- necessary(d1): “d1 is necessary” — norm: Wet art. 2 (noodzakelijk) — about D = d1 — to be assessed by controller"),
        "{memo}"
    );
    assert!(
        memo.contains("- ~less_intrusive(d1): “nothing less intrusive would do for d1” — norm: Wet art. 3 (subsidiariteit) — about D = d1 — to be assessed by supervisor"),
        "{memo}"
    );
    assert!(
        memo.contains("by presumption (an open norm the case does not assess) `assumed:necessary`"),
        "{memo}"
    );

    let open = stdout(&grondslag(&[
        "--kb",
        &law,
        "--lang",
        "en",
        "--open-norms",
        "open",
        "explain",
        &case,
        "lawful(d1)",
    ]));
    assert!(
        open.starts_with("Undetermined: the facts do not decide whether d1 is lawful.\n"),
        "{open}"
    );
    assert!(!open.contains("Provided that:"), "{open}");
    assert!(
        open.contains("Undetermined until these open norms are assessed (--open-norms open); then lawful(d1) would hold:"),
        "{open}"
    );

    let json = grondslag(&[
        "--kb",
        &law,
        "explain",
        "--format",
        "json",
        &case,
        "lawful(d1)",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let ledger = &json["assumptions"];
    assert_eq!(ledger["left_open"], false);
    assert_eq!(ledger["assumed"].as_array().unwrap().len(), 2, "{ledger}");
    assert_eq!(ledger["assumed"][1]["assessor"], "controller", "{ledger}");
    assert_eq!(ledger["assumed"][1]["about"]["value"], "d1", "{ledger}");

    // A verdict on stated facts has no ledger.
    let stated = stdout(&grondslag(&[
        "--kb",
        &law,
        "--lang",
        "en",
        "explain",
        &case,
        "lawful(d3)",
    ]));
    assert!(!stated.contains("provided that"), "{stated}");
}

#[test]
fn expect_assuming_pins_the_assumptions_down() {
    let (dir, law, _case) = files("expect");
    let case = dir.join("expect.law");
    std::fs::write(
        &case,
        format!(
            "{CASE}\
             expect lawful(d1) via grond assuming necessary(d1), ~less_intrusive(d1).\n\
             expect lawful(d3) assuming necessary(d3).\n\
             expect lawful(d1) assuming necessary(d1).\n"
        ),
    )
    .unwrap();
    let out = grondslag(&["--kb", &law, "test", case.to_str().unwrap()]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.ends_with("1 passed, 2 failed\n"), "{text}");
    assert!(
        text.contains("it holds, but rests on no open norm, not on exactly necessary(d3)"),
        "{text}"
    );
    assert!(
        text.contains("it holds, but rests on ~less_intrusive(d1), necessary(d1), not on exactly necessary(d1)"),
        "{text}"
    );

    // An assumption that is no open norm could never be met: an error.
    let wrong = dir.join("wrong.law");
    std::fs::write(
        &wrong,
        format!("{CASE}expect lawful(d1) assuming task(gemeente).\n"),
    )
    .unwrap();
    let out = grondslag(&["--kb", &law, "check", wrong.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stderr).into_owned() + &stdout(&out);
    assert!(text.contains("error[not_an_open_norm]"), "{text}");
    assert!(
        text.contains("the open norms are necessary/1, ~less_intrusive/1"),
        "{text}"
    );
}

#[test]
fn diff_reports_a_bill_that_changes_the_assumptions_a_verdict_needs() {
    let (dir, law, case) = files("diff");
    let bill = dir.join("bill.law");
    std::fs::write(
        &bill,
        "bill lijst \"Een wettelijke lijst\" effective 2024-01-01.\n\
         @source(\"Lijstwet art. 1\")\nlijst: necessary(D) :- processing(D, _), listed(D).\n",
    )
    .unwrap();
    let out = grondslag(&[
        "--kb",
        &law,
        "--lang",
        "en",
        "diff",
        "--bill",
        bill.to_str().unwrap(),
        "--format",
        "json",
        &case,
    ]);
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)));
    let changes = report["cases"][0]["changes"].as_array().unwrap();
    let d1 = changes
        .iter()
        .find(|c| c["conclusion"] == "lawful(d1)")
        .unwrap_or_else(|| panic!("{changes:?}"));
    assert_eq!(d1["change"], "changes_assumptions", "{d1}");
    assert_eq!(
        d1["before"]["assuming"],
        serde_json::json!(["~less_intrusive(d1)", "necessary(d1)"]),
        "{d1}"
    );
    assert_eq!(
        d1["after"]["assuming"],
        serde_json::json!(["~less_intrusive(d1)"]),
        "{d1}"
    );
    // A presumption is no rule of the law: the sides cite the rules, and list the assumptions.
    assert!(
        !d1["before"]["rules"].to_string().contains("assumed:"),
        "{d1}"
    );
}

#[test]
fn the_repl_switches_between_presuming_open_norms_and_leaving_them_open() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let (dir, law, case) = files("repl");
    let mut child = Command::new(env!("CARGO_BIN_EXE_grondslag"))
        .args(["--kb", &law, "--no-history", "repl", &case])
        .env("XDG_DATA_HOME", &dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"lawful(d1)?\n:opennorms open\nlawful(d1)?\n:opennorms\n:opennorms maybe\n:opennorms assume\nlawful(d1)?\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let presumed = "yes (defeasibly, assuming ~less_intrusive(d1), necessary(d1))";
    let open = "no (undecided: holds assuming ~less_intrusive(d1), necessary(d1))";
    let first = text.find(presumed).unwrap_or_else(|| panic!("{text}"));
    let then = text.find(open).unwrap_or_else(|| panic!("{text}"));
    assert!(first < then && text.rfind(presumed) > Some(then), "{text}");
    assert!(
        text.contains("open norms the case does not assess are left open"),
        "{text}"
    );
    assert!(
        text.contains("`maybe` is not a way to treat open norms; choose `assume` or `open`."),
        "{text}"
    );
}

#[test]
fn the_model_lists_what_each_conclusion_assumes_and_stays_a_program() {
    let (_dir, law, case) = files("model");
    let text = stdout(&grondslag(&["--kb", &law, "model", &case]));
    assert!(
        text.contains("% assuming (presumed open norms each conclusion rests on)\n% lawful(d1) assuming ~less_intrusive(d1), necessary(d1)\n"),
        "{text}"
    );
    // A presumed literal is no conclusion of its own; a conclusion on stated facts assumes nothing.
    assert!(!text.contains("% necessary(d1) assuming"), "{text}");
    assert!(!text.contains("% lawful(d3) assuming"), "{text}");
    let json = grondslag(&["--kb", &law, "model", "--format", "json", &case]);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        json["assuming"],
        serde_json::json!({"lawful(d1)": ["~less_intrusive(d1)", "necessary(d1)"]})
    );
}
