//! The documentation cannot drift: every `grondslag` command shown in README.md and docs/ runs
//! here and must print what the page shows; the pages refer to nothing outside the repository.
//!
//! In a page, a ```console block holds commands (`$ grondslag ...`), each followed by what it
//! prints, standard output and standard error together. A line `...`, or one in brackets
//! like `[... left out ...]`, stands for any number of lines. A command whose output shows a
//! REPL prompt (`grondslag> `) is a session: what follows each prompt is typed, and the rest is
//! what the REPL answers. Commands run in a scratch directory that sees the repository's
//! files (so `-o memo.html` writes nothing into the repository), with the `grondslag` under
//! test first on `PATH`.
//!
//! A ```sh block holds developer commands (`cargo ...`, `tests/conformance/run`, `python3
//! bench/...`) that build or run for minutes: they are not run here (CI runs what `.ci/run`
//! says); what they name must exist. A `grondslag` command belongs in a ```console block.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::common::TempDir;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// README.md and every page under docs/.
fn pages() -> Vec<PathBuf> {
    let mut pages = vec![root().join("README.md")];
    for entry in std::fs::read_dir(root().join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            pages.push(path);
        }
    }
    pages.sort();
    pages
}

/// A fenced block: its info string, the line of its first content line, its lines.
struct Block {
    info: String,
    line: usize,
    lines: Vec<String>,
}

fn blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    for (n, line) in text.lines().enumerate() {
        match (&mut open, line.trim_start().strip_prefix("```")) {
            (None, Some(info)) => {
                open = Some(Block {
                    info: info.trim().to_string(),
                    line: n + 2,
                    lines: Vec::new(),
                })
            }
            (Some(_), Some(_)) => blocks.extend(open.take()),
            (Some(block), None) => block.lines.push(line.to_string()),
            (None, None) => {}
        }
    }
    blocks
}

/// One `$ command` of a console block and the lines shown after it.
struct Example {
    place: String,
    command: String,
    shown: Vec<String>,
}

fn examples(page: &Path, block: &Block) -> Vec<Example> {
    let mut examples: Vec<Example> = Vec::new();
    for (i, line) in block.lines.iter().enumerate() {
        if let Some(command) = line.strip_prefix("$ ") {
            examples.push(Example {
                place: format!("{}:{}", relative(page), block.line + i),
                command: command.to_string(),
                shown: Vec::new(),
            });
        } else if let Some(example) = examples.last_mut() {
            example.shown.push(line.to_string());
        } else {
            panic!(
                "{}:{}: a console block starts with `$ command`",
                relative(page),
                block.line + i
            );
        }
    }
    examples
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

const PROMPT: &str = "grondslag> ";

/// A REPL session shown as typed: what is typed, and what the REPL prints.
fn session(shown: &[String]) -> Option<(String, Vec<String>)> {
    if !shown
        .iter()
        .any(|l| l.starts_with(PROMPT) || l == PROMPT.trim_end())
    {
        return None;
    }
    let indent = " ".repeat(PROMPT.len());
    let mut typed = String::new();
    let mut printed = Vec::new();
    let mut continuing = false;
    for line in shown {
        // A prompt with nothing typed after it shows without its space.
        let prompt = line
            .strip_prefix(PROMPT)
            .or((line == PROMPT.trim_end()).then_some(""));
        if let Some(input) = prompt {
            typed.push_str(input);
            typed.push('\n');
            continuing = !input.starts_with(':') && !input.trim_end().ends_with(['.', '?']);
        } else if continuing && line.starts_with(&indent) {
            let input = &line[indent.len()..];
            typed.push_str(input);
            typed.push('\n');
            continuing = !input.trim_end().ends_with(['.', '?']);
        } else {
            continuing = false;
            printed.push(line.clone());
        }
    }
    Some((typed, printed))
}

/// A line that stands for any number of lines.
fn elision(line: &str) -> bool {
    let line = line.trim();
    line == "..." || (line.starts_with("[...") && line.ends_with("...]"))
}

/// Whether `actual` is what `shown` shows (trailing white space aside).
fn matches(shown: &[String], actual: &[&str]) -> bool {
    // match[i][j]: shown[i..] matches actual[j..].
    let (n, m) = (shown.len(), actual.len());
    let mut table = vec![vec![false; m + 1]; n + 1];
    table[n][m] = true;
    for i in (0..n).rev() {
        for j in (0..=m).rev() {
            table[i][j] = if elision(&shown[i]) {
                table[i + 1][j] || (j < m && table[i][j + 1])
            } else {
                j < m && shown[i].trim_end() == actual[j].trim_end() && table[i + 1][j + 1]
            };
        }
    }
    table[0][0]
}

/// A scratch directory that sees the repository's files, where a command may write.
fn scratch() -> TempDir {
    let dir = TempDir::new("docs");
    for entry in std::fs::read_dir(root()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_owned();
        if name == "target" || name == ".git" || name == ".venv" {
            continue;
        }
        std::os::unix::fs::symlink(&path, dir.path().join(name)).unwrap();
    }
    dir
}

/// Run a shown command (through `sh`, as typed), with `input` on standard input; what it
/// printed, standard output and standard error together, and its exit code.
fn run(dir: &Path, command: &str, input: &str) -> (String, Option<i32>) {
    use std::io::Write;
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_grondslag"));
    let path = std::env::join_paths(
        std::iter::once(binary.parent().unwrap().to_path_buf()).chain(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        )),
    )
    .unwrap();
    let mut child = Command::new("sh")
        .args(["-c", &format!("exec 2>&1\n{command}")])
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env("XDG_DATA_HOME", dir.join(".data"))
        .env("COLUMNS", "100")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("sh runs");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input.as_bytes()).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.code(),
    )
}

/// The program a shown command runs: its first word after `VAR=value` settings and `nohup`.
fn program(command: &str) -> &str {
    command
        .split_whitespace()
        .find(|w| !w.contains('=') && *w != "nohup")
        .unwrap_or("")
}

#[test]
fn every_command_in_the_docs_prints_what_the_docs_show() {
    let dir = scratch();
    let mut failures = Vec::new();
    let mut ran = 0;
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        for block in blocks(&text).iter().filter(|b| b.info == "console") {
            for example in examples(&page, block) {
                assert!(
                    example
                        .command
                        .split('|')
                        .any(|part| program(part) == "grondslag"),
                    "{}: a console block shows grondslag commands",
                    example.place
                );
                let (input, shown) = match session(&example.shown) {
                    Some((typed, printed)) => (typed, printed),
                    None => (String::new(), example.shown.clone()),
                };
                let (printed, code) = run(dir.path(), &example.command, &input);
                ran += 1;
                let lines: Vec<&str> = printed.lines().collect();
                if code == Some(101) || !matches(&shown, &lines) {
                    failures.push(format!(
                        "{}: $ {}\n--- the page shows:\n{}\n--- it prints (exit code {code:?}):\n{printed}",
                        example.place,
                        example.command,
                        shown.join("\n")
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {ran} documented commands print something else:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    // A console block with a wrong info string, or none, would run nothing.
    assert!(ran >= 15, "only {ran} commands found in the docs");
}

#[test]
fn developer_commands_in_the_docs_name_what_exists() {
    let packages = ["grondslag", "grondslag-cli", "grondslag-fuzz"];
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        for block in blocks(&text).iter().filter(|b| b.info == "sh") {
            for (i, line) in block.lines.iter().enumerate() {
                let place = format!("{}:{}", relative(&page), block.line + i);
                let command = line.split(" #").next().unwrap().trim();
                if command.is_empty() || command.starts_with('#') {
                    continue;
                }
                for part in command.split("&&").map(str::trim) {
                    let words: Vec<&str> = part.split_whitespace().collect();
                    match program(part) {
                        "grondslag" => {
                            panic!("{place}: show `{part}` with its output, in a console block")
                        }
                        "cargo" => {
                            for pair in words.windows(2) {
                                if pair[0] == "-p" {
                                    assert!(
                                        packages.contains(&pair[1]),
                                        "{place}: no package {}",
                                        pair[1]
                                    );
                                }
                                if pair[0] == "--test" {
                                    assert!(
                                        root().join("tests").join(pair[1]).is_dir(),
                                        "{place}: no test {}",
                                        pair[1]
                                    );
                                }
                            }
                        }
                        "python3" => {
                            let script =
                                words.iter().find(|w| w.ends_with(".py")).expect("a script");
                            assert!(root().join(script).is_file(), "{place}: no {script}");
                        }
                        "git" => {}
                        path => {
                            let file = root().join(path);
                            assert!(
                                file.is_file() && is_executable(&file),
                                "{place}: `{path}` is no program of the repository"
                            );
                        }
                    }
                }
            }
        }
    }
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o111 != 0)
}

#[test]
fn the_runner_matches_elisions_and_reads_sessions() {
    let shown: Vec<String> = ["a", "...", "d", "[... left out ...]"]
        .map(String::from)
        .to_vec();
    assert!(matches(&shown, &["a", "b", "c", "d"]));
    assert!(matches(&shown, &["a", "d", "e"]));
    assert!(!matches(&shown, &["a", "b", "c"]));
    assert!(!matches(&shown, &["x", "d"]));
    let transcript: Vec<String> = [
        "banner",
        "grondslag> p(a,",
        "           b).",
        "added 1 fact.",
        "grondslag> :quit",
    ]
    .map(String::from)
    .to_vec();
    let (typed, printed) = session(&transcript).unwrap();
    assert_eq!(typed, "p(a,\nb).\n:quit\n");
    assert_eq!(printed, ["banner", "added 1 fact."]);
}

/// Links in README.md and docs/ lead to files of the repository (or to the web), never
/// outside it.
#[test]
fn links_stay_inside_the_repository() {
    let root = root().canonicalize().unwrap();
    let mut broken = Vec::new();
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        for (i, _) in text.match_indices("](") {
            let target = &text[i + 2..];
            let target = &target[..target.find(')').unwrap_or(target.len())];
            let target = target.split('#').next().unwrap();
            if target.is_empty() || target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let resolved = page.parent().unwrap().join(target).canonicalize();
            if !resolved.is_ok_and(|path| path.starts_with(&root)) {
                broken.push(format!("{}: ({target})", relative(&page)));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "links that leave the repository or lead nowhere: {broken:#?}"
    );
}

/// Paths of the repository that README.md and docs/ name (`docs/bills.md`,
/// `knowledge/cases/01_mechelen_samen.law`) exist: a renamed file cannot leave a page pointing
/// at nothing. Folders a command writes into (`fuzz/out/`, `bench/out/`) excepted.
#[test]
fn the_files_the_docs_name_exist() {
    let tops = [
        "docs/",
        "knowledge/",
        "examples/",
        "tests/",
        "bench/",
        "src/",
        "crates/",
        "fuzz/",
        "grammar/",
        ".ci/",
    ];
    let mut missing = Vec::new();
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        let words = text.split(|c: char| c.is_whitespace() || "`()[]<>\"'|,;*".contains(c));
        for word in words {
            // `examples/mistakes.law:3:1` names the file too.
            let path = word.split(':').next().unwrap().trim_end_matches('.');
            let Some(top) = tops.iter().find(|t| path.starts_with(**t)) else {
                continue;
            };
            let written = path.starts_with("fuzz/out/") || path.starts_with("bench/out/");
            let pattern = path.contains(['*', '{', '$']) || path.ends_with("..");
            if path.len() > top.len() && !written && !pattern && !root().join(path).exists() {
                missing.push(format!("{}: {path}", relative(&page)));
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "the docs name files that do not exist: {missing:#?}"
    );
}
