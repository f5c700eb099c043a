//! Text from a case file is shown, never obeyed, in every output format: terminal escapes
//! (OSC 52 writes the clipboard), NUL, bidi overrides, HTML in Markdown, Mermaid directives,
//! spreadsheet formulas, a line break in a title, a cell wider than any format width.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::{dir_with, grondslag, stderr, stdout, TempDir};

/// ESC ] 52 (set the clipboard), BEL, NUL, RIGHT-TO-LEFT OVERRIDE, ESC [ 2J (clear screen).
const HOSTILE: &str = "x\u{1b}]52;c;cm0gLXJmIH4=\u{7}y\u{0}z\u{202e}evil\u{1b}[2J";

fn path(dir: &Path, name: &str) -> String {
    dir.join(name).display().to_string()
}

/// A knowledge base, a bill and a case whose strings and title carry hostile text.
fn hostile_case(test: &str) -> TempDir {
    dir_with(
        test,
        &[
            (
                "law.law",
                "pred note(D, T) \"bij {D} staat {T}\" en \"{D} carries {T}\".\n\
                 r1: default lawful(D) :- p(D).\n\
                 flag: flagged(D) :- note(D, T), T != \"\".\n",
            ),
            (
                "bill.law",
                "bill b \"Bill <img src=x onerror=alert(1)>\" effective 2027-01-01.\nrepeal r1.\n",
            ),
            (
                "case.law",
                &format!(
                    "case c \"first line\\nsecond \u{1b}[31mred\" date 2028-01-01.\n\
                     p(d1).\n\
                     note(d1, \"{HOSTILE}\").\n\
                     note(d2, \"%%{{init: {{\\\"theme\\\": \\\"dark\\\"}}}}%% ```\\n# x\").\n"
                ),
            ),
        ],
    )
}

fn explain(dir: &Path, goal: &str, format: &str) -> String {
    let out = grondslag(&[
        "--kb",
        &path(dir, "law.law"),
        "--as-of",
        "2028-01-01",
        "explain",
        &path(dir, "case.law"),
        goal,
        "--format",
        format,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
}

/// No character that acts rather than shows, except line breaks (and tabs).
fn assert_inert(what: &str, text: &str) {
    let raw: Vec<char> = text
        .chars()
        .filter(|c| grondslag::escape::is_hidden(*c) && !matches!(c, '\n' | '\t'))
        .collect();
    assert!(raw.is_empty(), "{what} holds raw {raw:?}:\n{text}");
}

#[test]
fn text_output_shows_terminal_escapes_nul_and_bidi_controls() {
    let dir = hostile_case("text");
    let text = explain(&dir, "flagged(d1)", "text");
    assert_inert("explain", &text);
    assert!(text.contains("\\u{1b}]52;"), "{text}");

    let case = path(&dir, "case.law");
    let asked = dir_with(
        "text-run",
        &[(
            "q.law",
            &format!("note(d1, \"{HOSTILE}\").\n?- note(D, T).\n"),
        )],
    );
    let run = path(&asked, "q.law");
    for args in [
        vec!["query", &case, "-q", "note(D, T)"],
        vec!["model", &case],
        vec!["run", &run],
    ] {
        let out = grondslag(&[&["--kb", "none"][..], &args].concat());
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_inert(args[0], &stdout(&out));
        assert!(stdout(&out).contains("\\u{202e}evil"), "{}", stdout(&out));
    }

    // A diagnostic quoting the hostile line.
    let bad = dir_with(
        "text-bad",
        &[("bad.law", &format!("p(\"{HOSTILE}\", x :- .\n"))],
    );
    let out = grondslag(&["--kb", "none", "check", &path(&bad, "bad.law")]);
    assert_eq!(out.status.code(), Some(1));
    assert_inert("check", &stderr(&out));
}

#[test]
fn a_line_break_in_a_case_title_keeps_the_text_diff_in_shape() {
    let dir = hostile_case("diff");
    let out = grondslag(&[
        "--kb",
        &path(&dir, "law.law"),
        "--bill",
        &path(&dir, "bill.law"),
        "--lang",
        "en",
        "diff",
        &path(&dir, "case.law"),
    ]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_inert("diff", &text);
    let heading = text
        .lines()
        .find(|l| l.starts_with("case c"))
        .expect("the case heading");
    assert!(
        heading.contains("first line\\nsecond \\u{1b}[31mred"),
        "{heading}"
    );
    assert!(heading.ends_with("case.law]"), "{heading}");
    assert!(!text.lines().any(|l| l.starts_with("second")), "{text}");
}

#[test]
fn markdown_escapes_the_bill_title_and_keeps_blocks_closed() {
    let dir = hostile_case("md");
    let out = grondslag(&[
        "--kb",
        &path(&dir, "law.law"),
        "--bill",
        &path(&dir, "bill.law"),
        "diff",
        "--format",
        "md",
        &path(&dir, "case.law"),
    ]);
    let md = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!md.contains("<img"), "{md}");
    assert!(md.lines().next().unwrap().contains("&lt;img"), "{md}");
    assert_inert("diff md", &md);

    let memo = explain(&dir, "flagged(d2)", "md");
    assert_inert("explain md", &memo);
    // The only fences are the memo's own: the mermaid block opens and closes once.
    let fences: Vec<&str> = memo.lines().filter(|l| l.starts_with("```")).collect();
    assert_eq!(fences, ["```mermaid", "```"], "{memo}");
}

#[test]
fn mermaid_labels_cannot_carry_a_directive() {
    let dir = hostile_case("mermaid");
    let chart = explain(&dir, "flagged(d2)", "mermaid");
    let memo = explain(&dir, "flagged(d2)", "md");
    let block = memo
        .split("```mermaid\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("the memo's mermaid block");
    for (what, chart) in [("mermaid", chart.as_str()), ("md", block)] {
        assert!(chart.contains("theme"), "the note is shown: {chart}");
        assert!(!chart.contains("%%"), "{what}: {chart}");
        assert!(!chart.contains("{init"), "{what}: {chart}");
    }
}

#[test]
fn dot_escapes_nul_and_control_characters() {
    let dir = hostile_case("dot");
    let dot = explain(&dir, "flagged(d1)", "dot");
    assert_inert("dot", &dot);
    // Where Graphviz is installed (CI installs it), it must read the file.
    if let Ok(mut child) = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
    {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(dot.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "dot rejects it: {}\n{dot}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_inert("html", &explain(&dir, "flagged(d1)", "html"));
}

#[test]
fn csv_neutralises_formulas_for_spreadsheets() {
    let dir = dir_with(
        "csv",
        &[(
            "v.law",
            "v(\"=HYPERLINK(\\\"http://x\\\")\"). v(\"+1+2\"). v(\"-2+3\"). v(\"@SUM(A1)\").\n\
             v(\"\\tx\"). v(-5). v(plain).\n",
        )],
    );
    let out = grondslag(&[
        "--kb",
        "none",
        "query",
        &path(&dir, "v.law"),
        "-q",
        "v(X)",
        "--format",
        "csv",
    ]);
    let csv = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let cells: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.rsplit_once(',').unwrap().0)
        .collect();
    for cell in &cells {
        let cell = cell.trim_start_matches('"');
        assert!(
            !cell.starts_with(['=', '+', '@', '\t']) && (!cell.starts_with('-') || cell == "-5"),
            "{cell} in\n{csv}"
        );
    }
    assert!(cells.contains(&"-5") && cells.contains(&"plain"), "{csv}");
}

#[test]
fn a_cell_of_65536_characters_is_printed_not_a_panic() {
    let wide = "a".repeat(65_536);
    let dir = dir_with("wide", &[("w.law", &format!("w(\"{wide}\").\n?- w(X).\n"))]);
    for command in ["query", "run"] {
        let mut args = vec!["--kb", "none", command];
        let file = path(&dir, "w.law");
        args.push(&file);
        if command == "query" {
            args.extend(["-q", "w(X)"]);
        }
        let out = grondslag(&args);
        assert_eq!(out.status.code(), Some(0), "{command}: {}", stderr(&out));
        assert!(stdout(&out).contains(&wide), "{command}");
    }
}

#[test]
fn test_output_shows_the_failing_statement_its_values_and_its_path_escaped() {
    // The case file's name carries an escape too: it is the `FAIL` line's place.
    let dir = dir_with(
        "test-output",
        &[(
            "case\u{1b}[2J.law",
            &format!(
                "case c \"C\" date 2020-01-01.\nnote(d1, \"{HOSTILE}\").\nexpect not note(d1, \"{HOSTILE}\").\n"
            ),
        )],
    );
    let out = grondslag(&["--kb", "none", "test", &dir.display().to_string()]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}{}", stderr(&out));
    assert_inert("test", &text);
    assert!(text.contains("FAIL "), "{text}");
    assert!(
        text.contains("case\\u{1b}[2J.law:3:1: expect not note(d1, \"x\\u{1b}]52;"),
        "{text}"
    );
    assert!(text.contains("\\u{202e}evil"), "{text}");
    assert!(text.ends_with("0 passed, 1 failed\n"), "{text}");
}

#[test]
fn the_repl_echoes_facts_goals_and_errors_escaped() {
    let input = format!(
        "note(d1, \"{HOSTILE}\").\n\
         expect note(d1, \"{HOSTILE}\").\n\
         note(d1, T)?\n\
         :facts note\n\
         :retract note(d1, \"{HOSTILE}\")\n\
         :retract note(d1, \"{HOSTILE}\")\n\
         :lang \u{1b}]52;c;x\u{7}\n\
         note(d1, \"{HOSTILE}\", .\n"
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_grondslag"))
        .args(["--kb", "none", "--no-history"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    // The last input is refused (a syntax error), so the script fails.
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert_inert("the REPL", &text);
    for echo in [
        "as expected: expect note(d1, \"x\\u{1b}]52;",
        "retracted `note(d1, \"x\\u{1b}]52;",
        "is not a stated fact",
        "`\\u{1b}]52;c;x\\u{7}` is not a language",
        "error[syntax]",
    ] {
        assert!(text.contains(echo), "`{echo}` in\n{text}");
    }
    assert!(text.matches("\\u{202e}evil").count() >= 5, "{text}");
}

#[test]
fn json_escapes_c1_and_bidi_controls_and_stays_the_same_json() {
    // Beside HOSTILE: CSI as one C1 character, DEL, LINE SEPARATOR.
    let value = format!("{HOSTILE}\u{9b}31m\u{7f}\u{2028}end");
    let dir = dir_with(
        "json",
        &[(
            "case.law",
            &format!("case c \"C\" date 2020-01-01.\nnote(d1, \"{value}\").\nflagged(D) :- note(D, T).\n"),
        )],
    );
    let case = path(&dir, "case.law");
    for args in [
        vec!["query", &case, "-q", "note(D, T)", "--format", "json"],
        vec!["model", &case, "--format", "json"],
        vec!["explain", &case, "flagged(d1)", "--format", "json"],
    ] {
        let out = grondslag(&[&["--kb", "none"][..], &args].concat());
        let json = stdout(&out);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_inert(args[0], &json);
        assert!(json.contains("\\u009b31m\\u007f\\u2028end"), "{json}");
        assert!(json.contains("\\u202eevil"), "{json}");
        // The same data to a JSON reader.
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert!(parsed.to_string().contains("\u{9b}31m"), "{parsed}");
    }
}
