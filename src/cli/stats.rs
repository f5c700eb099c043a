//! `--stats`: where a command's time went, phase by phase, and how large the evaluated
//! programs were (printed to stderr when the command is done, like clingo's `--stats`). Off
//! unless asked for; a phase then costs one check of a flag.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use grondslag::driver::{Evaluation, Path, Paths};

static ENABLED: AtomicBool = AtomicBool::new(false);
static RECORD: Mutex<Record> = Mutex::new(Record::new());

/// Phase durations in the order first met (summed over repeats: `test` evaluates each case),
/// and the sizes of what was evaluated.
struct Record {
    phases: Vec<(&'static str, Duration)>,
    evaluations: u64,
    literals: u64,
    instances: u64,
    superiority: u64,
    paths: Paths,
}

impl Record {
    const fn new() -> Record {
        Record {
            phases: Vec::new(),
            evaluations: 0,
            literals: 0,
            instances: 0,
            superiority: 0,
            paths: Paths::new(),
        }
    }
}

/// Collect from now on.
pub fn enable() {
    ENABLED.store(true, Ordering::Relaxed);
}

fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

fn record() -> std::sync::MutexGuard<'static, Record> {
    RECORD
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Run `f` as the phase `name`.
pub fn phase<T>(name: &'static str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let started = Instant::now();
    let out = f();
    record_phase(name, started.elapsed());
    out
}

/// Add `took` to the phase `name` (timed elsewhere: the driver times its check).
pub fn record_phase(name: &'static str, took: Duration) {
    if !enabled() {
        return;
    }
    let mut record = record();
    match record.phases.iter_mut().find(|(n, _)| *n == name) {
        Some((_, total)) => *total += took,
        None => record.phases.push((name, took)),
    }
}

/// Count what an evaluation produced, and how its strata were evaluated.
pub fn evaluated(evaluation: &Evaluation) {
    if !enabled() {
        return;
    }
    let (literals, instances, superiority) = evaluation.model().size();
    let mut record = record();
    record.paths.merge(evaluation.paths());
    record.evaluations += 1;
    record.literals += literals as u64;
    record.instances += instances as u64;
    record.superiority += superiority as u64;
}

/// The report, when `--stats` was given.
pub fn report() -> Option<String> {
    if !enabled() {
        return None;
    }
    let record = record();
    let phases: Vec<String> = record
        .phases
        .iter()
        .map(|(name, took)| format!("{name} {:.3} s", took.as_secs_f64()))
        .collect();
    let total: Duration = record.phases.iter().map(|(_, took)| *took).sum();
    let mut out = format!(
        "stats: {}; total {:.3} s\n",
        phases.join(", "),
        total.as_secs_f64()
    );
    if record.evaluations > 0 {
        let theory = if record.instances + record.superiority > 0 {
            format!(
                ", {} rule instances, {} ground superiority pairs",
                record.instances, record.superiority
            )
        } else {
            String::new()
        };
        out.push_str(&format!(
            "stats: {} evaluation{}: {} literals{theory}\n",
            record.evaluations,
            if record.evaluations == 1 { "" } else { "s" },
            record.literals,
        ));
        let paths: Vec<String> = Path::ALL
            .iter()
            .filter(|p| record.paths.get(**p) > 0)
            .map(|p| format!("{} {}", record.paths.get(*p), p.as_str()))
            .collect();
        if !paths.is_empty() {
            out.push_str(&format!("stats: strata by path: {}\n", paths.join(", ")));
        }
    }
    Some(out)
}
