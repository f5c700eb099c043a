//! The REPL (docs/repl.md) driven through the real binary in a pseudo-terminal, as a user
//! types.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::TempDir;
use crate::pty::Pty;

const PROMPT: &str = "grondslag> ";

/// A fresh data directory, so each test has its own history file; removed when the test ends.
fn data_dir(name: &str) -> TempDir {
    TempDir::new(&format!("repl-{name}"))
}

fn history_file(data: &Path) -> PathBuf {
    data.join("grondslag").join("history")
}

fn command(data: &Path, args: &[&str], color: bool) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_grondslag"));
    cmd.args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("XDG_DATA_HOME", data)
        .env("TERM", "xterm");
    if color {
        cmd.env_remove("NO_COLOR");
    } else {
        cmd.env("NO_COLOR", "1");
    }
    cmd
}

fn start(data: &Path, args: &[&str]) -> Pty {
    let mut session =
        Pty::spawn(command(data, args, false), Duration::from_secs(20)).expect("spawn");
    session.exp_string(PROMPT).expect("the first prompt");
    session
}

/// Type a line and wait for `expected` in what follows.
fn ask(session: &mut Pty, line: &str, expected: &[&str]) -> String {
    session.send_line(line).unwrap();
    let mut seen = String::new();
    for text in expected {
        match session.exp_string(text) {
            Ok(before) => seen.push_str(&before),
            Err(err) => panic!("after `{line}`: expected `{text}`: {err}\nseen so far:\n{seen}"),
        }
    }
    session.exp_string(PROMPT).expect("the prompt again");
    seen
}

#[test]
fn a_whole_session_facts_a_multi_line_rule_a_query_errors_why_and_quit() {
    let data = data_dir("session");
    let mut s = start(&data, &["--kb", "none", "--lang", "en"]);
    ask(
        &mut s,
        "secret_holder(huisarts_jansen).",
        &["added 1 fact."],
    );
    ask(
        &mut s,
        "discloses(d1, huisarts_jansen, veilig_thuis).  suspects_abuse(huisarts_jansen, d1).",
        &["added 2 facts."],
    );
    // A rule over three lines: the first two are not complete statements, so the editor
    // continues them; the third ends it.
    s.send_line("may_report(D) :-").unwrap();
    s.send_line("    discloses(D, From, veilig_thuis), secret_holder(From),")
        .unwrap();
    ask(&mut s, "    suspects_abuse(From, D).", &["added 1 rule."]);
    ask(
        &mut s,
        "may_report(D)?",
        &["D   status", "d1  definitely", "(1 answer)"],
    );
    ask(&mut s, "?- may_report(d1).", &["yes (definitely)"]);
    // A syntax error: caret and code, and the session goes on.
    let seen = ask(
        &mut s,
        "discloses(d2, huisarts_jansen,).",
        &["error[syntax]", "^"],
    );
    assert!(seen.contains("<input 6>:1:31"), "{seen}");
    // A check error refuses the statement whole.
    ask(
        &mut s,
        "secret_holder(a, b).",
        &["error[arity_mismatch]", "nothing was added."],
    );
    ask(
        &mut s,
        ":facts secret_holder",
        &["secret_holder(huisarts_jansen).", "(1 fact)"],
    );
    ask(
        &mut s,
        ":why may_report(d1)",
        &[
            "Why does may_report(d1) hold?",
            "with D = d1, From = huisarts_jansen",
            "suspects_abuse(huisarts_jansen, d1)",
        ],
    );
    ask(
        &mut s,
        ":whynot may_report(d2)",
        &[
            "Why does may_report(d2) not hold?",
            "missing: discloses(d2, From, veilig_thuis)",
        ],
    );
    ask(&mut s, ":qiut", &["did you mean `:quit`?"]);
    s.send_line(":quit").unwrap();
    s.exp_eof().unwrap();

    // The history holds the session, multi-line rule included, readable by the owner only.
    let history = std::fs::read_to_string(history_file(&data)).unwrap();
    assert!(
        history.contains("secret_holder(huisarts_jansen)."),
        "{history}"
    );
    assert!(
        history.contains("may_report(D) :-\\n    discloses("),
        "{history}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(history_file(&data))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn no_history_and_history_off_keep_nothing() {
    let data = data_dir("no-history");
    let mut s = start(&data, &["--kb", "none", "--no-history"]);
    ask(&mut s, "consent(d1).", &["added 1 fact."]);
    s.send_control('d').unwrap();
    s.exp_eof().unwrap();
    assert!(!history_file(&data).exists());

    let mut s = start(&data, &["--kb", "none"]);
    ask(&mut s, "kept(d1).", &["added 1 fact."]);
    ask(&mut s, ":history off", &["history is off"]);
    ask(&mut s, "personal(jongere_a).", &["added 1 fact."]);
    s.send_line(":q").unwrap();
    s.exp_eof().unwrap();
    let history = std::fs::read_to_string(history_file(&data)).unwrap();
    assert!(history.contains("kept(d1)."), "{history}");
    assert!(!history.contains("jongere_a"), "{history}");
}

#[test]
fn ctrl_c_stops_a_long_evaluation_and_the_session_goes_on() {
    let data = data_dir("interrupt");
    let mut s = start(&data, &["--kb", "none", "--no-history"]);
    ask(&mut s, "n(0).", &["added 1 fact."]);
    ask(
        &mut s,
        "n(N + 1) :- n(N), N < 100000000.",
        &["added 1 rule."],
    );
    s.send_line("n(5)?").unwrap();
    std::thread::sleep(Duration::from_millis(800));
    s.send_control('c').unwrap();
    s.exp_string("interrupted; the session is as it was.")
        .unwrap();
    s.exp_string(PROMPT).unwrap();
    ask(&mut s, ":retract n(0).", &["retracted `n(0).`"]);
    ask(&mut s, "n(5)?", &["no"]);
    // Ctrl-C at the prompt abandons the line; Ctrl-D leaves.
    s.send("half(a").unwrap();
    s.send_control('c').unwrap();
    s.exp_string(PROMPT).unwrap();
    s.send_control('d').unwrap();
    s.exp_eof().unwrap();
}

#[test]
fn defeasible_rules_are_explained_with_the_rules_that_beat_them() {
    let data = data_dir("defeasible");
    let mut s = start(
        &data,
        &[
            "--kb",
            "none",
            "--no-history",
            "--lang",
            "en",
            "repl",
            "examples/secrecy.law",
        ],
    );
    ask(
        &mut s,
        ":why ~secret_kept(d1)",
        &[
            "Why does ~secret_kept(d1) hold?",
            "by rule (unless an exception) `report_vt` [Wmo 2015 art. 5.2.6]",
            "contested by rule (unless an exception) `secrecy`",
            "yields to `report_vt`",
            "(an exception to the rule)",
        ],
    );
    ask(
        &mut s,
        ":whynot secret_kept(d1)",
        &[
            "Why does secret_kept(d1) not hold?",
            "the opposite is established",
        ],
    );
    // A `:why` of what does not hold is its why-not.
    ask(
        &mut s,
        ":why secret_kept(d9)",
        &["Why does secret_kept(d9) not hold?"],
    );
    ask(&mut s, ":why secret_kept(D)", &["explain one of them"]);
    ask(&mut s, ":lang nl", &["explanations in Dutch"]);
    ask(
        &mut s,
        ":explain secret_kept(d2)",
        &["Waarom geldt secret_kept(d2)?"],
    );
    let memo = data.join("memo.html");
    ask(
        &mut s,
        &format!(":export html {} secret_kept(d2)", memo.display()),
        &["wrote why it holds to"],
    );
    let html = std::fs::read_to_string(&memo).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("<svg"), "the graph is drawn: {html}");
    ask(&mut s, ":export pdf x.pdf secret_kept(d2)", &["not `pdf`"]);
    s.send_line(":quit").unwrap();
    s.exp_eof().unwrap();
}

#[test]
fn typed_input_is_highlighted_unless_no_color() {
    let data = data_dir("colour");
    let mut s = Pty::spawn(
        command(&data, &["--kb", "none", "--no-history"], true),
        Duration::from_secs(20),
    )
    .unwrap();
    s.exp_string(PROMPT).unwrap();
    s.send("p(X").unwrap();
    // The variable in the variable colour.
    s.exp_string("\x1b[33mX\x1b[0m").unwrap();
    s.send_control('c').unwrap();
    s.exp_string(PROMPT).unwrap();
    s.send_control('d').unwrap();
    s.exp_eof().unwrap();

    let mut s = start(&data, &["--kb", "none", "--no-history"]);
    s.send("q(Y").unwrap();
    s.send_control('c').unwrap();
    let typed = s.exp_string(PROMPT).unwrap();
    assert!(typed.contains("q(Y"), "{typed:?}");
    assert!(
        !typed.contains("\x1b[33m"),
        "coloured with NO_COLOR: {typed:?}"
    );
    s.send_control('d').unwrap();
    s.exp_eof().unwrap();
}

#[test]
fn piped_input_is_read_statement_by_statement() {
    let data = data_dir("piped");
    let (code, text) = piped_status(
        &data,
        &["--kb", "none"],
        "p(a). p(b).\nq(X) :-\n  p(X).\nq(X)?\n:rules\nr(X) :- q(X\n",
    );
    // The unfinished statement at the end was refused: the script fails.
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("added 2 facts."), "{text}");
    assert!(
        text.contains("a  definitely\nb  definitely\n(2 answers)"),
        "{text}"
    );
    assert!(
        text.contains("q(X) :-\n  p(X).   % <input 2>:1:1"),
        "{text}"
    );
    // A script is not history.
    assert!(!history_file(&data).exists());
    // The input ended inside a statement: reported, not lost silently.
    assert!(
        text.contains("error[syntax]: this statement is not finished"),
        "{text}"
    );
}

/// Run a session with `input` piped in, which must succeed; its output. The data directory is
/// `data_dir(name)`.
fn piped(name: &str, args: &[&str], input: &str) -> String {
    let (code, text) = piped_status(&data_dir(name), args, input);
    assert_eq!(code, Some(0), "{text}");
    text
}

/// Run a session with `input` piped in; its exit code and output.
fn piped_status(data: &Path, args: &[&str], input: &str) -> (Option<i32>, String) {
    use std::io::Write;
    let mut child = command(data, args, false)
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
    (out.status.code(), text)
}

#[test]
fn a_bill_changes_the_conclusions_and_diff_says_which() {
    let dir = data_dir("bill-files");
    let base = dir.join("base.law");
    std::fs::write(
        &base,
        "lawful(D) :- disclosure(D), basis(D).\ndisclosure(d1). disclosure(d2).\n",
    )
    .unwrap();
    let bill = dir.join("bill.law");
    std::fs::write(
        &bill,
        "bill grondslag_wet \"Een grondslag\" effective 2027-01-01.\n\
         @source(\"Wet art. 1\")\nnieuwe_grondslag: basis(D) :- disclosure(D), D != d2.\n",
    )
    .unwrap();
    let input = format!(
        "lawful(d1)?\n:diff\n:bill {}\n:bill {}\nlawful(D)?\n:diff\n:asof 2026-06-01\nlawful(d1)?\n",
        base.display(),
        bill.display()
    );
    let base_arg = base.display().to_string();
    let text = piped(
        "bill",
        &["--kb", "none", "--no-history", "repl", &base_arg],
        &input,
    );
    assert!(text.contains("no\nno bills added"), "{text}");
    assert!(text.contains("is not a draft bill"), "{text}");
    assert!(
        text.contains("added bill `grondslag_wet` (Een grondslag), effective 2027-01-01."),
        "{text}"
    );
    assert!(
        text.contains("the law in force on 2027-01-01 applies"),
        "{text}"
    );
    assert!(
        text.contains("D   status\nd1  definitely\n(1 answer)"),
        "{text}"
    );
    assert!(
        text.contains(
            "lawful(d1): undetermined → holds\n    because of the bill's `nieuwe_grondslag`"
        ),
        "{text}"
    );
    assert!(!text.contains("lawful(d2):"), "{text}");
    // `--bill` adds it from the start.
    let bill_arg = bill.display().to_string();
    let with_bill = piped(
        "bill-flag",
        &[
            "--kb",
            "none",
            "--no-history",
            "--bill",
            &bill_arg,
            "repl",
            &base_arg,
        ],
        "lawful(d1)?\n",
    );
    assert!(with_bill.contains("1 file, 1 draft bill."), "{with_bill}");
    assert!(with_bill.ends_with("yes (definitely)\n"), "{with_bill}");
    // Before its effective date the bill does not apply.
    assert!(text.ends_with("the law in force on 2026-06-01 applies (`:asof none` lets the case or the bills decide).\nno\n"), "{text}");
}

#[test]
fn twenty_lines_pasted_without_bracketed_paste_give_twenty_facts() {
    // Only the first line was read: one fact out of twenty.
    let data = data_dir("paste");
    let mut s = start(&data, &["--kb", "none", "--no-history"]);
    let pasted: String = (1..=20).map(|i| format!("a({i}).\n")).collect();
    s.send(&pasted).unwrap();
    s.flush().unwrap();
    for _ in 1..=20 {
        s.exp_string("added 1 fact.").unwrap();
    }
    s.exp_string(PROMPT).unwrap();
    ask(&mut s, "a(X)?", &["(20 answers)"]);
    s.send_control('d').unwrap();
    s.exp_eof().unwrap();
}

#[test]
fn three_quick_lines_are_all_read() {
    // Three `a(n).` typed ahead gave only `a(1)`.
    let data = data_dir("typed-ahead");
    let mut s = start(&data, &["--kb", "none", "--no-history"]);
    for i in 1..=3 {
        s.send(&format!("a({i}).\n")).unwrap();
    }
    s.flush().unwrap();
    for _ in 1..=3 {
        s.exp_string("added 1 fact.").unwrap();
    }
    s.exp_string(PROMPT).unwrap();
    ask(
        &mut s,
        "a(X)?",
        &[
            "1  definitely",
            "2  definitely",
            "3  definitely",
            "(3 answers)",
        ],
    );
    s.send_control('d').unwrap();
    s.exp_eof().unwrap();
}

#[test]
fn lines_typed_during_an_evaluation_survive_the_ctrl_c_that_stops_it() {
    let data = data_dir("typed-during");
    let mut s = start(&data, &["--kb", "none", "--no-history"]);
    ask(&mut s, "n(0).", &["added 1 fact."]);
    ask(
        &mut s,
        "n(N + 1) :- n(N), N < 100000000.",
        &["added 1 rule."],
    );
    s.send_line("n(5)?").unwrap();
    std::thread::sleep(Duration::from_millis(800));
    // Typed while it evaluates, then Ctrl-C: the terminal used to throw these lines away.
    s.send("typed(a).\ntyped(b).\n").unwrap();
    s.flush().unwrap();
    std::thread::sleep(Duration::from_millis(200));
    s.send_control('c').unwrap();
    s.exp_string("interrupted; the session is as it was.")
        .unwrap();
    s.exp_string("added 1 fact.").unwrap();
    s.exp_string("added 1 fact.").unwrap();
    s.exp_string(PROMPT).unwrap();
    ask(&mut s, ":retract n(0).", &["retracted"]);
    ask(&mut s, "typed(X)?", &["(2 answers)"]);
    s.send_control('d').unwrap();
    s.exp_eof().unwrap();
}

#[test]
fn export_asks_before_writing_over_a_file_and_never_writes_over_an_input() {
    let data = data_dir("export");
    let case = data.join("case.law");
    let text = "case c1 \"Een casus\" date 2020-01-01.\np(a).\n";
    std::fs::write(&case, text).unwrap();
    let case_arg = case.display().to_string();
    let mut s = start(&data, &["--kb", "none", "--no-history", "repl", &case_arg]);
    // The case it read: refused, no question asked.
    ask(
        &mut s,
        &format!(":export text {case_arg} p(a)"),
        &["was read as input; it is not written over", "not written."],
    );
    assert_eq!(std::fs::read_to_string(&case).unwrap(), text);
    // Another file: a question, y/N; no (or just Enter) keeps it.
    let memo = data.join("memo.txt");
    std::fs::write(&memo, "my notes").unwrap();
    let export = format!(":export text {} p(a)", memo.display());
    s.send_line(&export).unwrap();
    s.exp_string("exists; write over it? [y/N] ").unwrap();
    s.send_line("").unwrap();
    s.exp_string("not written.").unwrap();
    s.exp_string(PROMPT).unwrap();
    assert_eq!(std::fs::read_to_string(&memo).unwrap(), "my notes");
    s.send_line(&export).unwrap();
    s.exp_string("write over it? [y/N] ").unwrap();
    s.send_line("y").unwrap();
    s.exp_string("wrote why it holds to").unwrap();
    s.exp_string(PROMPT).unwrap();
    assert!(std::fs::read_to_string(&memo).unwrap().contains("p(a)"));
    // The session goes on as before.
    ask(&mut s, "p(X)?", &["(1 answer)"]);
    s.send_control('d').unwrap();
    s.exp_eof().unwrap();

    // Piped input cannot answer: refused, the file kept.
    std::fs::write(&memo, "my notes").unwrap();
    let out = piped(
        "export-piped",
        &["--kb", "none", "--no-history", "repl", &case_arg],
        &format!("{export}\np(X)?\n"),
    );
    assert!(
        out.contains(
            "exists; not written: the REPL asks before writing over a file, and only on a terminal"
        ),
        "{out}"
    );
    assert!(out.contains("(1 answer)"), "{out}");
    assert_eq!(std::fs::read_to_string(&memo).unwrap(), "my notes");
}

#[test]
fn an_answer_cell_of_65536_characters_is_shown_and_the_session_goes_on() {
    // `format!("{cell:w$}")` panicked on a width of 65,536 or more: exit 101, the session lost.
    let data = data_dir("wide-cell");
    let file = data.join("wide.law");
    std::fs::write(&file, format!("s(\"{}\").\n", "x".repeat(65_536))).unwrap();
    let file_arg = file.display().to_string();
    let mut s = start(&data, &["--kb", "none", "--no-history", "repl", &file_arg]);
    s.send_line("s(X)?").unwrap();
    s.exp_string(&"x".repeat(65_536)).unwrap();
    s.exp_string("(1 answer)").unwrap();
    s.exp_string(PROMPT).unwrap();
    ask(&mut s, "t(a).", &["added 1 fact."]);
    s.send_control('d').unwrap();
    s.exp_eof().unwrap();
}

#[cfg(unix)]
#[test]
fn a_history_file_that_is_a_link_is_not_followed() {
    use std::os::unix::fs::PermissionsExt;
    // The link's target was chmod'ed, appended to, and cut to its last 1,000 lines.
    let data = data_dir("history-link");
    let target = data.join("notes.txt");
    let notes: String = (0..1500).map(|i| format!("note {i}\n")).collect();
    std::fs::write(&target, &notes).unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::create_dir_all(history_file(&data).parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(&target, history_file(&data)).unwrap();

    let mut s = Pty::spawn(
        command(&data, &["--kb", "none"], false),
        Duration::from_secs(20),
    )
    .unwrap();
    s.exp_string("note: history is off: cannot use").unwrap();
    s.exp_string("it is a symbolic link").unwrap();
    s.exp_string(PROMPT).unwrap();
    ask(
        &mut s,
        "secret_holder(huisarts_jansen).",
        &["added 1 fact."],
    );
    s.send_control('d').unwrap();
    s.exp_eof().unwrap();
    assert_eq!(std::fs::read_to_string(&target).unwrap(), notes);
    let mode = std::fs::metadata(&target).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o644);
}
