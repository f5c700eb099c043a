//! Files read and written: only regular files within the size limit are read (a FIFO never
//! blocks, `/dev/zero` is not read), folder walks end and read each file once, and an output
//! file is never an input and never written over without `--force`.

use std::path::Path;
use std::process::{Command, Output};

use crate::common::{stderr, stdout, TempDir};

const CASE: &str = "case c1 \"Een casus\" date 2020-01-01.\np(a).\nexpect p(a).\n";

/// A fresh directory for one test, removed when it ends.
fn scratch(name: &str) -> TempDir {
    TempDir::new(&format!("files-{name}"))
}

/// `grondslag --kb none ARGS` in `dir`, stopped after 20 s: what these tests guard against
/// is a command that waits, or walks, forever.
fn grondslag_in(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new("timeout")
        .arg("20")
        .arg(env!("CARGO_BIN_EXE_grondslag"))
        .arg("--kb")
        .arg("none")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the grondslag binary runs");
    assert_ne!(
        out.status.code(),
        Some(124),
        "`grondslag {}` did not finish in 20 s",
        args.join(" ")
    );
    out
}

fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(made.success(), "mkfifo {}", path.display());
}

/// Everything the command printed.
fn printed(out: &Output) -> String {
    format!("{}{}", stdout(out), stderr(out))
}

#[cfg(unix)]
#[test]
fn a_fifo_named_as_a_file_is_refused_at_once_by_check_and_test() {
    let dir = scratch("fifo");
    mkfifo(&dir.join("x.law"));
    for command in ["check", "test"] {
        let out = grondslag_in(&dir, &[command, "x.law"]);
        assert_eq!(out.status.code(), Some(1), "{}", printed(&out));
        let text = printed(&out);
        assert!(
            text.contains("error[not_a_file]: `x.law` is a FIFO (named pipe), not a file"),
            "{text}"
        );
        assert!(text.contains("  --> x.law"), "{text}");
        assert!(text.contains("hint: only regular files are read"), "{text}");
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_in_a_case_folder_is_left_out_with_a_warning() {
    let dir = scratch("fifo-folder");
    std::fs::create_dir(dir.join("cases")).unwrap();
    std::fs::write(dir.join("cases/c1.law"), CASE).unwrap();
    mkfifo(&dir.join("cases/y.law"));
    let out = grondslag_in(&dir, &["test", "cases"]);
    assert_eq!(out.status.code(), Some(0), "{}", printed(&out));
    assert_eq!(stdout(&out), "1 passed, 0 failed\n");
    assert!(
        stderr(&out)
            .contains("warning[skipped_path]: `cases/y.law` is a FIFO (named pipe), not a file"),
        "{}",
        stderr(&out)
    );
}

#[cfg(unix)]
#[test]
fn a_fact_file_that_is_a_fifo_or_a_directory_is_refused() {
    let dir = scratch("fact-files");
    mkfifo(&dir.join("edges.tsv"));
    std::fs::create_dir(dir.join("nodes.tsv")).unwrap();
    std::fs::write(
        dir.join("graph.law"),
        "@input(\"edges.tsv\")\npred edge(A, B).\n@input(\"nodes.tsv\")\npred node(A).\n",
    )
    .unwrap();
    let out = grondslag_in(&dir, &["check", "graph.law"]);
    let text = printed(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("error[not_a_file]: fact file `edges.tsv` is a FIFO (named pipe), not a file\n  --> graph.law:1:1"),
        "{text}"
    );
    assert!(
        text.contains("error[not_a_file]: fact file `nodes.tsv` is a directory, not a file\n  --> graph.law:3:1"),
        "{text}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn dev_zero_is_refused_without_being_read() {
    // Read, it filled the memory (2.1 GB) until the allocator failed.
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v 1000000; exec timeout 20 {} --kb none check /dev/zero",
            env!("CARGO_BIN_EXE_grondslag")
        ))
        .output()
        .unwrap();
    let text = printed(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("error[not_a_file]: `/dev/zero` is a character device, not a file"),
        "{text}"
    );
}

#[test]
fn a_file_above_the_size_limit_is_refused() {
    let dir = scratch("large");
    // Declared, as the vocabulary check asks once any `pred` is loaded.
    let facts: String = std::iter::once("pred p(N).\n".to_string())
        .chain((0..200).map(|i| format!("p({i}).\n")))
        .collect();
    assert!(facts.len() > 1024);
    std::fs::write(dir.join("facts.law"), &facts).unwrap();
    let rows: String = (0..200).map(|i| format!("{i}\tr{i}\n")).collect();
    assert!(rows.len() > 1024);
    std::fs::write(dir.join("rows.tsv"), rows).unwrap();
    std::fs::write(
        dir.join("table.law"),
        "@input(\"rows.tsv\")\npred row(N, Name).\n",
    )
    .unwrap();

    // Within the default limit, both are read.
    let out = grondslag_in(&dir, &["check", "facts.law", "table.law"]);
    assert_eq!(out.status.code(), Some(0), "{}", printed(&out));

    let out = grondslag_in(
        &dir,
        &["--max-file-size", "1K", "check", "facts.law", "table.law"],
    );
    let text = printed(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("error[file_too_large]: `facts.law` is larger than 1 KiB, the most a file may hold\n  --> facts.law"),
        "{text}"
    );
    assert!(
        text.contains("error[file_too_large]: fact file `rows.tsv` is larger than 1 KiB"),
        "{text}"
    );
    assert!(text.contains("`--max-file-size`"), "{text}");
}

#[cfg(unix)]
#[test]
fn a_link_from_a_case_folder_to_itself_tests_each_case_once() {
    // With one such link, `test` ran the same case 41 times ("41 passed").
    let dir = scratch("self-link");
    std::fs::create_dir(dir.join("cases")).unwrap();
    std::fs::write(dir.join("cases/c1.law"), CASE).unwrap();
    std::os::unix::fs::symlink(".", dir.join("cases/self")).unwrap();
    let out = grondslag_in(&dir, &["test", "cases"]);
    assert_eq!(stdout(&out), "1 passed, 0 failed\n", "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "warning[skipped_path]: `cases/self` leads to `cases`, which is searched already"
        ),
        "{}",
        stderr(&out)
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_in_a_case_folder_ends() {
    // Two links back up the tree doubled the paths at every level: the walk never ended.
    let dir = scratch("loop");
    std::fs::create_dir_all(dir.join("cases/sub")).unwrap();
    std::fs::write(dir.join("cases/c1.law"), CASE).unwrap();
    std::os::unix::fs::symlink("..", dir.join("cases/sub/up")).unwrap();
    std::os::unix::fs::symlink(".", dir.join("cases/sub/here")).unwrap();
    std::os::unix::fs::symlink("../cases", dir.join("cases/again")).unwrap();
    let out = grondslag_in(&dir, &["test", "cases"]);
    assert_eq!(stdout(&out), "1 passed, 0 failed\n", "{}", stderr(&out));
    assert_eq!(
        stderr(&out).matches("warning[skipped_path]").count(),
        3,
        "{}",
        stderr(&out)
    );
}

#[cfg(unix)]
#[test]
fn a_second_name_of_a_case_in_the_folder_is_read_once() {
    let dir = scratch("file-link");
    std::fs::create_dir(dir.join("cases")).unwrap();
    std::fs::write(dir.join("cases/c1.law"), CASE).unwrap();
    std::os::unix::fs::symlink("c1.law", dir.join("cases/same.law")).unwrap();
    let out = grondslag_in(&dir, &["test", "cases"]);
    assert_eq!(stdout(&out), "1 passed, 0 failed\n", "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "warning[skipped_path]: `cases/same.law` is the file `cases/c1.law`, which is read already"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn explain_never_writes_over_its_input_and_over_another_file_only_with_force() {
    let dir = scratch("explain-output");
    std::fs::write(dir.join("case.law"), CASE).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("case.law", dir.join("alias.law")).unwrap();
    let explain = |output: &str, force: bool| {
        let mut args = vec!["explain", "case.law", "p(a)", "-o", output];
        if force {
            args.push("--force");
        }
        grondslag_in(&dir, &args)
    };

    // The case it read: refused, with or without `--force`, under any name.
    let mut names = vec!["case.law", "./case.law"];
    if cfg!(unix) {
        names.push("alias.law");
    }
    for name in names {
        for force in [false, true] {
            let out = explain(name, force);
            assert_eq!(out.status.code(), Some(2), "{}", printed(&out));
            assert!(
                stderr(&out).contains(&format!(
                    "error: `{name}` was read as input; it is not written over: choose another file"
                )),
                "{}",
                stderr(&out)
            );
            assert_eq!(std::fs::read_to_string(dir.join("case.law")).unwrap(), CASE);
        }
    }

    // A new file is written; written over only with `--force`.
    let out = explain("memo.txt", false);
    assert_eq!(out.status.code(), Some(0), "{}", printed(&out));
    let memo = std::fs::read_to_string(dir.join("memo.txt")).unwrap();
    assert!(memo.contains("p(a)"), "{memo}");
    std::fs::write(dir.join("memo.txt"), "my notes").unwrap();
    let out = explain("memo.txt", false);
    assert_eq!(out.status.code(), Some(2), "{}", printed(&out));
    assert_eq!(
        stderr(&out),
        "error: `memo.txt` exists; give `--force` to write over it\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("memo.txt")).unwrap(),
        "my notes"
    );
    let out = explain("memo.txt", true);
    assert_eq!(out.status.code(), Some(0), "{}", printed(&out));
    assert_eq!(std::fs::read_to_string(dir.join("memo.txt")).unwrap(), memo);
}

#[test]
fn diff_never_writes_over_a_case_or_a_bill() {
    let dir = scratch("diff-output");
    std::fs::create_dir(dir.join("cases")).unwrap();
    std::fs::write(dir.join("cases/x.law"), CASE).unwrap();
    let bill = "bill b \"Een wet\" effective 2020-01-01.\nq(X) :- p(X).\n";
    std::fs::write(dir.join("bill.law"), bill).unwrap();
    for target in ["cases/x.law", "bill.law"] {
        for force in [false, true] {
            let mut args = vec!["diff", "--bill", "bill.law", "cases", "-o", target];
            if force {
                args.push("--force");
            }
            let out = grondslag_in(&dir, &args);
            assert_eq!(out.status.code(), Some(2), "{}", printed(&out));
            assert!(
                stderr(&out).contains(&format!("error: `{target}` was read as input")),
                "{}",
                stderr(&out)
            );
        }
    }
    assert_eq!(
        std::fs::read_to_string(dir.join("cases/x.law")).unwrap(),
        CASE
    );
    assert_eq!(std::fs::read_to_string(dir.join("bill.law")).unwrap(), bill);
    let out = grondslag_in(
        &dir,
        &["diff", "--bill", "bill.law", "cases", "-o", "report.txt"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", printed(&out));
    assert!(dir.join("report.txt").exists());
}
