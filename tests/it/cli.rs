//! The CLI contract of docs/cli.md, exercised through the binary as scripts use it.

use std::io::Write;

use crate::common::{grondslag, law_file, stderr, stdout};

#[test]
fn check_reports_all_six_mistakes_with_codes_and_carets() {
    let out = grondslag(&["--kb", "none", "check", "examples/mistakes.law"]);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    for code in [
        "arity_mismatch",
        "unsafe_variable",
        "duplicate_label",
        "unknown_label",
        "cyclic_negation",
        "type_mismatch",
    ] {
        assert!(
            text.contains(&format!("error[{code}]")),
            "missing {code} in:\n{text}"
        );
    }
    assert!(text.contains("--> examples/mistakes.law:3:"), "{text}");
    assert!(text.contains('^'), "{text}");
    assert!(text.ends_with("6 errors, 2 warnings\n"), "{text}");
}

/// Results on standard output, diagnostics on standard error, for every command: a script
/// that reads a command's output never reads a diagnostic as a result.
#[test]
fn diagnostics_go_to_standard_error_in_every_command() {
    let warned = law_file("warned", "p(a).\nq(X) :- p(X), not r(X).\n?- q(X).\n");
    let warned = warned.to_str().unwrap();
    for args in [
        &["--kb", "none", "check", warned][..],
        &["--kb", "none", "run", warned],
        &["--kb", "none", "query", "-q", "q(X)", warned],
        &["--kb", "none", "model", warned],
        &["--kb", "none", "test", warned],
        &["--kb", "none", "explain", warned, "q(a)"],
    ] {
        let out = grondslag(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("warning[undefined_predicate]"),
            "{args:?}: {}",
            stderr(&out)
        );
        assert!(
            !stdout(&out).contains("undefined_predicate"),
            "{args:?}: {}",
            stdout(&out)
        );
    }
    let broken = grondslag(&["--kb", "none", "check", "examples/mistakes.law"]);
    assert_eq!(
        stdout(&broken),
        "",
        "check prints its findings on standard error"
    );
}

#[test]
fn check_json_gives_diagnostics_as_data() {
    let out = grondslag(&[
        "--kb",
        "none",
        "check",
        "--format",
        "json",
        "examples/mistakes.law",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(out.status.code(), Some(1));
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert!(json["errors"].as_u64().unwrap() >= 6);
    let arity = diagnostics
        .iter()
        .find(|d| d["code"] == "arity_mismatch")
        .expect("an arity_mismatch diagnostic");
    assert_eq!(arity["line"], 3);
    assert_eq!(arity["file"], "examples/mistakes.law");
}

#[test]
fn a_clean_file_checks_with_exit_zero() {
    let out = grondslag(&["--kb", "none", "check", "examples/graph.law"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
}

#[test]
fn run_answers_the_queries_in_the_file() {
    let out = grondslag(&["--kb", "none", "run", "examples/graph.law"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    assert!(text.contains("?- unreachable(X)."), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("d ") && l.ends_with("definitely")),
        "{text}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("e ") && l.ends_with("definitely")),
        "{text}"
    );
    assert!(!lines.iter().any(|l| l.starts_with("a ")), "{text}");
}

#[test]
fn query_json_has_the_documented_shape() {
    let out = grondslag(&[
        "--kb",
        "none",
        "query",
        "-q",
        "reach(X)",
        "--format",
        "json",
        "examples/graph.law",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["query"], "reach(X)");
    assert_eq!(json["variables"], serde_json::json!(["X"]));
    let mut reached: Vec<String> = json["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            assert_eq!(a["status"], "definitely");
            a["bindings"]["X"].as_str().unwrap().to_string()
        })
        .collect();
    reached.sort();
    assert_eq!(reached, ["a", "b", "c"]);
}

#[test]
fn query_csv_has_a_header_and_a_row_per_answer() {
    let out = grondslag(&[
        "--kb",
        "none",
        "query",
        "-q",
        "edge(X, Y)",
        "--format",
        "csv",
        "examples/graph.law",
    ]);
    let text = stdout(&out);
    assert_eq!(text.lines().next(), Some("X,Y,status"));
    assert_eq!(text.lines().count(), 5, "{text}");
}

#[test]
fn model_json_has_the_four_sections_with_typed_values() {
    let path = law_file("model", "p(1, a, 2021-06-01).\nq(X) :- p(X, _, _).\n");
    let out = grondslag(&[
        "--kb",
        "none",
        "model",
        "--format",
        "json",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    for section in ["definitely", "defeasibly", "not_defeasibly", "undecided"] {
        assert!(json[section].is_object(), "section {section} in {json}");
    }
    assert_eq!(
        json["definitely"]["p"],
        serde_json::json!([[1, "a", "2021-06-01"]])
    );
    assert_eq!(json["definitely"]["q"], serde_json::json!([[1]]));
}

#[test]
fn stats_report_the_phases_and_the_size_of_the_ground_theory() {
    let path = law_file(
        "stats",
        "p(0).\ns1: default p(1) :- p(0).\na1: default ~p(1) :- p(0).\ns1 > a1.\n",
    );
    let out = grondslag(&["--kb", "none", "--stats", "model", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    for phase in ["load", "check", "prepare", "evaluate", "output"] {
        assert!(err.contains(&format!(" {phase} ")), "{phase} in {err}");
    }
    // p(0), p(1) and their complements; the two rules once each; s1 > a1 once.
    assert!(
        err.contains("1 evaluation: 4 literals, 2 rule instances, 1 ground superiority pairs"),
        "{err}"
    );
    // Without the flag, nothing of it.
    let quiet = grondslag(&["--kb", "none", "model", path.to_str().unwrap()]);
    assert!(!stderr(&quiet).contains("stats:"), "{}", stderr(&quiet));
}

#[test]
fn a_long_derivation_is_explained_without_running_out_of_stack() {
    // Each step of the explanation is a frame of its walk: 15,000 steps overflowed the main
    // thread's stack.
    let steps = 15_000;
    let mut text = String::from("p(0).\n");
    for i in 1..=steps {
        text.push_str(&format!(
            "s{i}: default p({i}) :- p({}).\na{i}: default ~p({i}) :- p({}).\ns{i} > a{i}.\n",
            i - 1,
            i - 1
        ));
    }
    let path = law_file("long", &text);
    let goal = format!("p({steps})");
    let out = grondslag(&[
        "--kb",
        "none",
        "explain",
        path.to_str().unwrap(),
        &goal,
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let rules = json["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .filter(|n| n["type"] == "rule" && n["outcome"] == "applied")
        .count();
    assert_eq!(
        rules, steps,
        "every step of the chain is in the explanation"
    );
}

#[test]
fn a_conflict_of_definite_literals_names_only_what_is_known_of_their_origin() {
    // `~p(1)` comes from a rule. `model` keeps no provenance of a strict program, so it must
    // not say both sides are facts; `explain` keeps it, and points at the rule.
    let path = law_file("conflict", "p(1).\nq(1).\nr1: ~p(X) :- q(X).\n");
    let path = path.to_str().unwrap();
    let model = stderr(&grondslag(&["--kb", "none", "model", path]));
    assert!(model.contains("conflicting_definite"), "{model}");
    assert!(!model.contains("both are given as facts"), "{model}");
    let explained = stderr(&grondslag(&["--kb", "none", "explain", path, "p(1)"]));
    assert!(
        explained.contains("(`p(1)` is given as a fact)")
            && explained.contains("concludes `~p(1)`"),
        "{explained}"
    );
}

#[test]
fn test_counts_passed_and_failed_expectations() {
    let out = grondslag(&["--kb", "none", "test", "examples/graph.law"]);
    let text = stdout(&out);
    assert_eq!(
        text.lines().last(),
        Some("3 passed, 0 failed"),
        "{text}{}",
        stderr(&out)
    );
    assert_eq!(out.status.code(), Some(0));

    let path = law_file(
        "failing",
        "p(a). q(b).\nexpect p(a).\nexpect p(b).\nexpect not p(a).\n",
    );
    let out = grondslag(&["--kb", "none", "test", path.to_str().unwrap()]);
    let text = stdout(&out);
    assert_eq!(text.lines().last(), Some("1 passed, 2 failed"), "{text}");
    assert!(text.contains("failing.law:3:1"), "{text}");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_runaway_recursion_stops_with_resource_limit() {
    let path = law_file("runaway", "n(0).\nn(X + 1) :- n(X).\n");
    let out = grondslag(&[
        "--kb",
        "none",
        "--max-facts",
        "10000",
        "model",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error[resource_limit]"),
        "{}",
        stderr(&out)
    );

    let out = grondslag(&[
        "--kb",
        "none",
        "--timeout",
        "0.5",
        "model",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error[resource_limit]"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_missing_file_is_a_diagnostic_not_a_crash() {
    let out = grondslag(&["--kb", "none", "check", "no/such/file.law"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("error[io]"), "{}", stderr(&out));
}

#[test]
fn usage_errors_exit_with_two() {
    assert_eq!(
        grondslag(&["--kb", "none", "frobnicate"]).status.code(),
        Some(2)
    );
    assert_eq!(
        grondslag(&["--policy", "maybe", "check"]).status.code(),
        Some(2)
    );
    assert_eq!(
        grondslag(&["check", "--as-of", "2021-02-30"]).status.code(),
        Some(2)
    );
}

#[test]
fn global_options_may_follow_the_command() {
    let out = grondslag(&["check", "examples/graph.law", "--kb", "none"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn facts_load_from_tsv_files_declared_with_input() {
    let dir = crate::common::TempDir::new("cli-tsv");
    std::fs::write(
        dir.join("edge.tsv"),
        "1\t2\n2\t3\nx\t\"Gemeente Mechelen\"\n",
    )
    .unwrap();
    let law = dir.join("tc.law");
    std::fs::write(
        &law,
        "@input(\"edge.tsv\")\npred edge(X, Y).\npath(X, Y) :- edge(X, Y).\npath(X, Z) :- path(X, Y), edge(Y, Z).\n",
    )
    .unwrap();
    let out = grondslag(&[
        "--kb",
        "none",
        "query",
        "-q",
        "path(X, Y)",
        "--format",
        "json",
        law.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let answers = json["answers"].as_array().unwrap();
    assert_eq!(answers.len(), 4, "{json}");
    assert!(answers
        .iter()
        .any(|a| a["bindings"]["X"] == 1 && a["bindings"]["Y"] == 3));
    assert!(answers
        .iter()
        .any(|a| a["bindings"]["Y"] == "Gemeente Mechelen"));
}

#[test]
fn json_commands_give_their_errors_as_json_too() {
    let path = law_file("json_errors", "p(X) :- q(Y).\nq(1).\n");
    for command in ["model", "run"] {
        let out = grondslag(&[
            "--kb",
            "none",
            command,
            "--format",
            "json",
            path.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(1));
        let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON on stdout");
        assert_eq!(json["errors"], 1, "{json}");
        assert_eq!(json["diagnostics"][0]["code"], "unsafe_variable");
        // All of them in the JSON: none as text beside it.
        assert_eq!(stderr(&out), "");
    }
}

#[test]
fn every_strategy_gives_the_same_answers_and_says_what_it_cannot_do() {
    // `t` reads itself twice: the linear evaluator cannot take it.
    let path = law_file(
        "strategy",
        "e(1, 2). e(2, 3). e(3, 4).\nt(X, Y) :- e(X, Y).\nt(X, Z) :- t(X, Y), t(Y, Z).\n\
         d: default ok(X) :- t(1, X).\nno: default ~ok(X) :- t(X, _), X > 2.\nd > no.\n",
    );
    let path = path.to_str().unwrap();
    let run = |strategy: &str| {
        grondslag(&[
            "--kb",
            "none",
            "--strategy",
            strategy,
            "--stats",
            "query",
            "-q",
            "ok(X)",
            path,
        ])
    };
    let auto = run("auto");
    assert_eq!(auto.status.code(), Some(0), "{}", stderr(&auto));
    assert!(stdout(&auto).contains("(3 answers)"), "{}", stdout(&auto));
    // `--stats` says which evaluator took the strata.
    assert!(
        stderr(&auto).contains("stats: strata by path:"),
        "{}",
        stderr(&auto)
    );
    for strategy in ["naive", "datafrog", "compare"] {
        let out = run(strategy);
        assert_eq!(out.status.code(), Some(0), "{strategy}: {}", stderr(&out));
        assert_eq!(stdout(&out), stdout(&auto), "{strategy}");
    }
    assert!(
        stderr(&run("naive")).contains(" naive"),
        "naive takes every stratum"
    );
    let linear = run("linear");
    assert_eq!(linear.status.code(), Some(1));
    assert!(
        stderr(&linear).contains("error[strategy]"),
        "{}",
        stderr(&linear)
    );
    assert!(stderr(&linear).contains("`t`"), "{}", stderr(&linear));
    let unknown = grondslag(&["--kb", "none", "--strategy", "fast", "check", path]);
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn findings_on_one_long_line_print_in_size_linear_in_the_file() {
    // Each finding shows a window of the line, not all of it: twelve times the input, about
    // twelve times the output (before, 20 KB printed 60 MB and 240 KB ran out of memory).
    let size = |bytes: usize| {
        let unit = "p(a, b). p(a). ";
        let path = law_file(
            &format!("long{bytes}"),
            &format!("{}\n", unit.repeat(bytes / unit.len())),
        );
        let out = grondslag(&["--kb", "none", "check", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).contains("error[arity_mismatch]"));
        out.stderr.len()
    };
    let (small, large) = (size(20_000), size(240_000));
    assert!(small < 2_000_000, "{small} bytes for 20 KB");
    assert!(
        large < 14 * small,
        "{large} bytes for 240 KB, {small} for 20 KB"
    );
}

/// `grondslag ARGS` with `input` on standard input and `env` set.
fn with_input(args: &[&str], input: &str, env: &[(&str, &str)]) -> std::process::Output {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_grondslag"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_dash_reads_a_law_file_from_standard_input() {
    let program = "edge(a, b). edge(b, c).\npath(X, Y) :- edge(X, Y).\npath(X, Z) :- path(X, Y), edge(Y, Z).\n";
    let out = with_input(
        &["--kb", "none", "query", "-q", "path(a, X)", "-"],
        program,
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("c  definitely"), "{}", stdout(&out));
    // Beside files, in its place; its diagnostics name it.
    let out = with_input(
        &["--kb", "none", "check", "examples/graph.law", "-"],
        "p(X) :- q(.\n",
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--> <stdin>:1:"), "{}", stderr(&out));
    // And as the files of `explain`, the goal last.
    let out = with_input(
        &["--kb", "none", "explain", "-", "path(a, c)"],
        program,
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("path(a, c)"));
}

#[test]
fn version_names_the_knowledge_base_and_its_date() {
    let out = grondslag(&["--version"]);
    let text = stdout(&out);
    let date = text
        .trim()
        .strip_prefix(&format!(
            "grondslag {} (knowledge base of ",
            env!("CARGO_PKG_VERSION")
        ))
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("{text}"));
    // The latest date the knowledge base's files state: a case's date or an @valid bound.
    let mut latest = String::new();
    let mut files = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("knowledge")];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        if path.extension().is_none_or(|e| e != "law")
            || text.contains("\nbill ")
            || text.starts_with("bill ")
        {
            continue;
        }
        for (i, _) in text.match_indices(|c: char| c.is_ascii_digit()) {
            let candidate = text.get(i..i + 10).unwrap_or("");
            let shaped = candidate.len() == 10
                && candidate.bytes().enumerate().all(|(j, b)| {
                    if j == 4 || j == 7 {
                        b == b'-'
                    } else {
                        b.is_ascii_digit()
                    }
                });
            let stated = text[..i].ends_with("date ")
                || text[..i].ends_with("from: ")
                || text[..i].ends_with("until: ");
            if shaped && stated && candidate > latest.as_str() {
                latest = candidate.to_string();
            }
        }
    }
    assert_eq!(date, latest);
}

#[test]
fn today_is_the_local_date() {
    // UTC+14 and UTC−12 are 26 hours apart: never the same date. (POSIX TZ strings: no time
    // zone database needed; the sign is west-positive.)
    let date = |tz: &str| {
        let out = with_input(
            &["--kb", "none", "explain", "-", "p", "--format", "json"],
            "p.\n",
            &[("TZ", tz)],
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        json["date"].as_str().unwrap().to_string()
    };
    let (east, west) = (date("KIT-14"), date("BIT+12"));
    assert!(east > west, "UTC+14 says {east}, UTC-12 says {west}");
}

#[test]
fn completions_and_the_manual_page_come_from_the_arguments() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef grondslag"),
        ("fish", "complete -c grondslag"),
    ] {
        let out = grondslag(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0));
        let script = stdout(&out);
        assert!(script.contains(marker), "{shell}: {script}");
        assert!(
            script.contains("as-of") && script.contains("diff"),
            "{shell}"
        );
    }
    assert_eq!(grondslag(&["completions", "tcsh"]).status.code(), Some(2));
    let out = grondslag(&["man"]);
    let page = stdout(&out);
    assert!(page.contains(".TH grondslag 1"), "{page}");
    for option in ["as\\-of", "max\\-memory", "completions"] {
        assert!(
            page.contains(option),
            "{option} missing from the manual page"
        );
    }
    // The copy in the repository is the one the binary prints.
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/grondslag.1");
    if std::env::var_os("UPDATE_MANUAL").is_some() {
        std::fs::write(&path, &page).unwrap();
    }
    assert_eq!(
        std::fs::read_to_string(&path).unwrap_or_default(),
        page,
        "docs/grondslag.1 is stale: UPDATE_MANUAL=1 cargo test --test it cli::completions"
    );
}

#[test]
fn test_writes_junit_for_ci_systems() {
    let dir = crate::common::TempDir::new("junit");
    let case = dir.write(
        "case.law",
        "case one \"One & two\" date 2024-01-01.\np(a).\nq(X) :- p(X).\nexpect q(a).\nexpect not q(a).\n",
    );
    let out = grondslag(&["--kb", "none", "test", &case, "--format", "junit"]);
    assert_eq!(out.status.code(), Some(1));
    let xml = stdout(&out);
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "),
        "{xml}"
    );
    assert!(
        xml.contains("tests=\"2\" failures=\"1\" errors=\"0\""),
        "{xml}"
    );
    assert!(
        xml.contains("<property name=\"title\" value=\"One &amp; two\"/>"),
        "{xml}"
    );
    assert!(
        xml.contains("<testcase classname=\"one\" name=\"expect q(a)\""),
        "{xml}"
    );
    assert!(
        xml.contains("<failure message=\"expected otherwise: it holds\" type=\"holds\">"),
        "{xml}"
    );
    assert!(xml.trim_end().ends_with("</testsuites>"));
    assert_eq!(stderr(&out), "", "the diagnostics are in the XML");
    // The text report says the same.
    let text = grondslag(&["--kb", "none", "test", &case]);
    assert!(
        stdout(&text).ends_with("1 passed, 1 failed\n"),
        "{}",
        stdout(&text)
    );
}
