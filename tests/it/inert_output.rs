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
