//! The fuzz harness, on stable Rust: the checked-in corpus first, then inputs generated and
//! mutated from a seed, each through the whole pipeline (`pipeline.rs`). A panic, a broken
//! output promise, or an input slower than `--slow` is a failure: the input is saved under
//! `--out` and the run exits with 1. See docs/fuzzing.md.
//!
//! ```text
//! grondslag-fuzz [--seconds N] [--inputs N] [--seed N] [--slow SECONDS]
//!                [--corpus DIR] [--out DIR] [--replay FILE]... [--print N]
//! ```

mod generate;
mod pipeline;
mod rng;

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rng::Rng;

/// Counts the heap, so that evaluation keeps to the memory budget of each input.
#[global_allocator]
static HEAP: grondslag::heap::Counting = grondslag::heap::Counting;

struct Options {
    seconds: Option<f64>,
    inputs: Option<u64>,
    seed: u64,
    slow: Duration,
    corpus: PathBuf,
    out: PathBuf,
    replay: Vec<PathBuf>,
    /// Print this many generated inputs and stop (to see what the generator makes).
    print: u64,
}

fn options() -> Result<Options, String> {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut options = Options {
        seconds: None,
        inputs: None,
        seed: 1,
        slow: Duration::from_secs(1),
        corpus: here.join("corpus"),
        out: here.join("out"),
        replay: Vec::new(),
        print: 0,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        let number = |text: String| {
            text.parse::<f64>()
                .map_err(|_| format!("`{text}` is not a number"))
        };
        match arg.as_str() {
            "--seconds" => options.seconds = Some(number(value()?)?),
            "--inputs" => options.inputs = Some(number(value()?)? as u64),
            "--seed" => options.seed = number(value()?)? as u64,
            "--slow" => options.slow = Duration::from_secs_f64(number(value()?)?),
            "--corpus" => options.corpus = PathBuf::from(value()?),
            "--out" => options.out = PathBuf::from(value()?),
            "--replay" => options.replay.push(PathBuf::from(value()?)),
            "--print" => options.print = number(value()?)? as u64,
            other => return Err(format!("unknown option `{other}` (see docs/fuzzing.md)")),
        }
    }
    if options.seconds.is_none() && options.inputs.is_none() && options.replay.is_empty() {
        options.seconds = Some(30.0);
    }
    Ok(options)
}

/// The message of the last panic, kept by the hook instead of printed.
static PANIC: Mutex<String> = Mutex::new(String::new());

fn main() {
    let options = match options() {
        Ok(options) => options,
        Err(problem) => {
            eprintln!("grondslag-fuzz: {problem}");
            std::process::exit(2);
        }
    };
    std::panic::set_hook(Box::new(|info| {
        *PANIC.lock().unwrap_or_else(|e| e.into_inner()) = info.to_string();
    }));
    // Explanations walk derivations recursively: a large stack, as the binary has.
    let run = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || fuzz(&options))
        .expect("a thread for the run");
    std::process::exit(run.join().unwrap_or(2));
}

#[derive(Default)]
struct Tally {
    inputs: u64,
    reached: [u64; 4],
    failures: u64,
    /// The slowest input: its time, its name, its text.
    slowest: (Duration, String, String),
    bytes: u64,
}

fn fuzz(options: &Options) -> i32 {
    let corpus = read_corpus(&options.corpus);
    if corpus.is_empty() && options.replay.is_empty() {
        eprintln!(
            "grondslag-fuzz: no .law files in {}",
            options.corpus.display()
        );
        return 2;
    }
    let mut tally = Tally::default();
    let started = Instant::now();
    if !options.replay.is_empty() {
        for path in &options.replay {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            one(options, &mut tally, &path.display().to_string(), &text);
        }
        return report(&tally, started.elapsed(), options);
    }
    let mut rng = Rng::new(options.seed);
    for _ in 0..options.print {
        let text = if rng.one_in(2) {
            generate::program(&mut rng)
        } else {
            generate::mutate(&mut rng, &corpus)
        };
        println!("%%%% ----\n{text}");
    }
    if options.print > 0 {
        return 0;
    }
    let deadline = options
        .seconds
        .map(|s| started + Duration::from_secs_f64(s));
    for n in 0.. {
        if options.inputs.is_some_and(|max| n >= max)
            || deadline.is_some_and(|d| Instant::now() >= d)
        {
            break;
        }
        // The corpus as it is, then generated programs and mutated files in turn.
        let text = match corpus.get(n as usize) {
            Some(text) => text.clone(),
            None if rng.one_in(2) => generate::program(&mut rng),
            None => generate::mutate(&mut rng, &corpus),
        };
        one(
            options,
            &mut tally,
            &format!("seed {} input {n}", options.seed),
            &text,
        );
        if n > 0 && n % 100_000 == 0 {
            eprintln!(
                "  {n} inputs, {:.0} s, {} failures",
                started.elapsed().as_secs_f64(),
                tally.failures
            );
        }
    }
    report(&tally, started.elapsed(), options)
}

/// Run one input; save it when it fails.
fn one(options: &Options, tally: &mut Tally, name: &str, text: &str) {
    let started = Instant::now();
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| pipeline::run(text)));
    let took = started.elapsed();
    tally.inputs += 1;
    tally.bytes += text.len() as u64;
    if took > tally.slowest.0 {
        tally.slowest = (took, name.to_string(), text.to_string());
    }
    let problem = match result {
        Ok(reached) => {
            tally.reached[reached as usize] += 1;
            (took > options.slow).then(|| format!("took {:.2} s", took.as_secs_f64()))
        }
        Err(_) => Some(std::mem::take(
            &mut *PANIC.lock().unwrap_or_else(|e| e.into_inner()),
        )),
    };
    if let Some(problem) = problem {
        tally.failures += 1;
        let _ = std::fs::create_dir_all(&options.out);
        let file = options.out.join(format!("failure-{}.law", tally.failures));
        let _ = std::fs::write(&file, text);
        eprintln!("FAILURE ({name}), saved as {}: {problem}", file.display());
    }
}

fn report(tally: &Tally, elapsed: Duration, options: &Options) -> i32 {
    let names = [
        "stopped by diagnostics",
        "stopped at a limit",
        "evaluated",
        "explained",
    ];
    println!(
        "grondslag-fuzz: {} inputs ({:.1} MB) in {:.1} s ({:.0}/s), seed {}",
        tally.inputs,
        tally.bytes as f64 / 1e6,
        elapsed.as_secs_f64(),
        tally.inputs as f64 / elapsed.as_secs_f64().max(1e-9),
        options.seed
    );
    for (name, count) in names.iter().zip(tally.reached) {
        println!("  {count:>9} {name}");
    }
    println!(
        "  slowest: {:.3} s ({}); failures (panic, broken promise, over {:.1} s): {}",
        tally.slowest.0.as_secs_f64(),
        tally.slowest.1,
        options.slow.as_secs_f64(),
        tally.failures
    );
    // Kept for a look: what is slow today may be a failure tomorrow.
    if std::fs::create_dir_all(&options.out).is_ok() {
        let _ = std::fs::write(options.out.join("slowest.law"), &tally.slowest.2);
    }
    i32::from(tally.failures > 0)
}

/// The `.law` files of the corpus, in name order.
fn read_corpus(dir: &Path) -> Vec<String> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "law"))
        .collect();
    paths.sort();
    paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}
