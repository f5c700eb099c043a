//! Runaway programs stop with `resource_limit`, within their memory budget, before the
//! system refuses memory: each runs under an address-space limit of 1 GB (`ulimit -v`), as a
//! small machine or a shared server would impose, and its peak resident size is checked.
#![cfg(target_os = "linux")]

use std::io::Read as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{law_file, LawFile, TempDir};

/// The address-space limit of each run, in KiB: `ulimit -v 1000000`.
const ULIMIT_KIB: u64 = 1_000_000;
/// The most a run may hold: the default budget is half of the limit, and the rest of the
/// process (code, stacks, the allocator's slack) takes far less than the other half.
const PEAK: u64 = 800 << 20;

/// How a run ended.
struct Run {
    /// The exit code; `None` when a signal ended it (an abort on a failed allocation).
    code: Option<i32>,
    /// The file its standard output went to (kept out of this process: see `limited`).
    stdout: PathBuf,
    stderr: String,
    /// Peak resident size, in bytes.
    peak: u64,
    elapsed: Duration,
    /// Held until the test is done with the run (see `limited`).
    _turn: std::sync::MutexGuard<'static, ()>,
    /// Holds `stdout`; removed with the run.
    _scratch: TempDir,
}

/// `grondslag --stats ARGS` under `ulimit -v 1000000`; its peak as it reports it (`VmHWM`:
/// `wait4`'s figure would include this test process's size when it forked, which Linux
/// keeps across `exec`).
fn limited(args: &[&str]) -> Run {
    // One run at a time, so that timings are not those of a machine shared with the other
    // runaway programs.
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    // The output goes to a file, never into this process: a run may print hundreds of
    // megabytes.
    let scratch = TempDir::new("limits-out");
    let stdout = scratch.join("stdout.out");
    let started = Instant::now();
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {ULIMIT_KIB}; exec \"$0\" --stats \"$@\""
        ))
        .arg(env!("CARGO_BIN_EXE_grondslag"))
        .args(args)
        .stdout(std::fs::File::create(&stdout).expect("an output file"))
        .stderr(Stdio::piped())
        .output()
        .expect("sh runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    // An abort prints no statistics: count it as over every bound.
    let peak = stderr
        .lines()
        .find_map(|l| l.strip_prefix("stats: peak resident memory "))
        .and_then(|rest| {
            rest.split('(')
                .nth(1)?
                .split(' ')
                .next()?
                .parse::<u64>()
                .ok()
        })
        .map_or(u64::MAX, |kib| kib << 10);
    Run {
        code: out.status.code(),
        stdout,
        stderr,
        peak,
        elapsed: started.elapsed(),
        _turn: turn,
        _scratch: scratch,
    }
}

/// How many lines a file has, read in pieces.
fn lines(path: &std::path::Path) -> usize {
    let mut file = std::fs::File::open(path).unwrap();
    let mut buffer = [0u8; 1 << 16];
    let mut count = 0;
    loop {
        match file.read(&mut buffer).unwrap() {
            0 => return count,
            n => count += buffer[..n].iter().filter(|b| **b == b'\n').count(),
        }
    }
}

/// The run stopped with `resource_limit` (not an abort, not a kill), its message naming
/// `place` (the rule that was deriving), and stayed under `peak`.
fn assert_stopped(run: &Run, place: &str, peak: u64) {
    let stderr = &run.stderr;
    assert_eq!(run.code, Some(1), "{stderr}");
    assert!(stderr.contains("error[resource_limit]"), "{stderr}");
    assert!(stderr.contains(place), "{place} not named:\n{stderr}");
    assert!(stderr.len() < 2000, "a bounded message:\n{stderr}");
    assert!(run.peak < peak, "peak {} MiB", run.peak >> 20);
}

/// The 24-variable, 40-column cross product over two values: 2^24 tuples of 40 columns.
fn cross24() -> LawFile {
    let vars: Vec<String> = (0..24).map(|i| format!("V{i}")).collect();
    let head: Vec<&str> = vars.iter().chain(&vars[..16]).map(String::as_str).collect();
    let body: Vec<String> = vars.iter().map(|v| format!("d({v})")).collect();
    law_file(
        "cross24",
        &format!(
            "d(0). d(1).\np({}) :- {}.\n",
            head.join(","),
            body.join(", ")
        ),
    )
}

fn cross(name: &str, values: usize, arity: usize) -> LawFile {
    let facts: String = (0..values).map(|i| format!("v({i}). ")).collect();
    let vars: Vec<String> = (0..arity).map(|i| format!("X{i}")).collect();
    let body: Vec<String> = vars.iter().map(|v| format!("v({v})")).collect();
    law_file(
        name,
        &format!("{facts}\nq({}) :- {}.\n", vars.join(", "), body.join(", ")),
    )
}

#[test]
fn the_cross_product_of_the_issue_stops_by_default() {
    let path = cross24();
    let run = limited(&["--kb", "none", "model", path.to_str().unwrap()]);
    assert_stopped(&run, "cross24.law:2:1", PEAK);
    assert!(
        run.stderr.contains("this rule was deriving"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_fact_limit_holds_inside_a_join() {
    let path = cross24();
    let run = limited(&[
        "--kb",
        "none",
        "--max-facts",
        "1000",
        "--timeout",
        "2",
        "model",
        path.to_str().unwrap(),
    ]);
    assert_stopped(&run, "more than 1000 facts", 64 << 20);
    assert!(run.elapsed < Duration::from_secs(10), "{:?}", run.elapsed);
    drop(run);

    let path = cross("cross8", 8, 8);
    let run = limited(&[
        "--kb",
        "none",
        "--max-facts",
        "1000",
        "model",
        path.to_str().unwrap(),
    ]);
    assert_stopped(&run, "cross8.law:2:1", 64 << 20);
}

#[test]
fn the_timeout_holds_inside_a_round() {
    let path = cross("cross5", 30, 5);
    let run = limited(&[
        "--kb",
        "none",
        "--timeout",
        "1",
        "model",
        path.to_str().unwrap(),
    ]);
    assert_stopped(&run, "after 1.0 seconds", PEAK);
    assert!(run.elapsed < Duration::from_secs(6), "{:?}", run.elapsed);
}

#[test]
fn a_recursion_making_new_values_stops_by_default() {
    let path = law_file("succ", "n(0).\nn(X + 1) :- n(X).\n");
    let run = limited(&["--kb", "none", "model", path.to_str().unwrap()]);
    assert_stopped(&run, "succ.law:2:1", PEAK);
}

#[test]
fn grounding_a_defeasible_rule_keeps_to_the_budget() {
    let facts: String = (0..40).map(|i| format!("v({i}). ")).collect();
    let path = law_file(
        "ground",
        &format!("{facts}\ndefault q(A, B, C, D, E) :- v(A), v(B), v(C), v(D), v(E).\n"),
    );
    let run = limited(&["--kb", "none", "model", path.to_str().unwrap()]);
    assert_stopped(&run, "ground.law:2:", PEAK);
}

#[test]
fn max_memory_sets_the_budget() {
    let path = cross("cross6", 20, 6);
    let run = limited(&[
        "--kb",
        "none",
        "--max-memory",
        "64M",
        "model",
        path.to_str().unwrap(),
    ]);
    assert_stopped(&run, "more than 64 MiB of memory", 160 << 20);
    assert!(run.stderr.contains("--max-memory"), "{}", run.stderr);
}

#[test]
fn the_json_explanation_of_a_long_chain_takes_memory_in_proportion() {
    // Twenty thousand steps: 35 MB of JSON. It was built as one JSON tree first (644 MB), and
    // under this address-space limit the command fell back to an 8 MiB stack, which the
    // recursive walk of the derivation overflowed.
    let steps = 20_000;
    let mut text = String::from("r(0).\nr(Y) :- r(X), e(X, Y).\n");
    for i in 0..steps {
        text.push_str(&format!("e({i},{}).\n", i + 1));
    }
    let path = law_file("chain", &text);
    let goal = format!("r({steps})");
    let run = limited(&[
        "--kb",
        "none",
        "explain",
        path.to_str().unwrap(),
        &goal,
        "--format",
        "json",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    // Read as it streams by: the nodes counted, not kept.
    #[derive(serde::Deserialize)]
    struct Nodes {
        nodes: Vec<serde::de::IgnoredAny>,
    }
    let file = std::io::BufReader::new(std::fs::File::open(&run.stdout).unwrap());
    let json: Nodes = serde_json::from_reader(file).expect("JSON");
    assert!(json.nodes.len() > 2 * steps);
    assert!(run.peak < 256 << 20, "peak {} MiB", run.peak >> 20);
}

#[test]
fn answering_a_query_keeps_to_the_budget() {
    // 2^24 answers of 24 bindings each: the answers, not the model, would not fit.
    let path = law_file("d01", "d(0). d(1).\n");
    let goal: Vec<String> = (0..24).map(|i| format!("d(V{i})")).collect();
    let run = limited(&[
        "--kb",
        "none",
        "query",
        path.to_str().unwrap(),
        "-q",
        &goal.join(", "),
    ]);
    assert_stopped(&run, "answering this query", PEAK);
}

#[test]
fn the_model_as_text_is_written_as_it_is_read() {
    // 6^7 = 279,936 literals, 13 MB of text. The text was made from a JSON tree of the whole
    // model first: 214 MB here, and an abort for sixteen million literals.
    let path = cross("cross67", 6, 7);
    let run = limited(&["--kb", "none", "model", path.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        lines(&run.stdout),
        2 * (279_936 + 6 + 1),
        "q and v in both sections, each with its heading"
    );
    assert!(run.peak < 128 << 20, "peak {} MiB", run.peak >> 20);
}
