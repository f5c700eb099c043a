//! The evaluation budget (`--max-facts`, `--timeout`): a runaway program such as
//! `n(X + 1) :- n(X).` stops with a `resource_limit` diagnostic instead of hanging or
//! exhausting memory.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::diagnostic::{Code, Diagnostic};

/// Used when `--max-facts` is not given: far above any real case, far below memory trouble.
pub const DEFAULT_MAX_FACTS: u64 = 20_000_000;

/// How far an evaluation may go.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Limits {
    /// `--max-facts` (else [`DEFAULT_MAX_FACTS`]).
    pub max_facts: Option<u64>,
    /// `--timeout`.
    pub timeout: Option<Duration>,
    /// Set by another party (the REPL's Ctrl-C handler) to stop the evaluation.
    pub interrupt: Option<Interrupt>,
}

/// A flag that stops a running evaluation when set; the evaluator checks it where it checks
/// the clock. `'static` so that a signal handler may set it.
#[derive(Clone, Copy, Debug)]
pub struct Interrupt(pub &'static AtomicBool);

impl Interrupt {
    /// Whether it asks to stop.
    pub fn is_set(self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

impl PartialEq for Interrupt {
    fn eq(&self, other: &Interrupt) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

/// The running count against the limits of one evaluation.
#[derive(Debug)]
pub struct Budget {
    max_facts: u64,
    facts: u64,
    deadline: Option<(Instant, Duration)>,
    interrupt: Option<Interrupt>,
}

impl Budget {
    /// A budget with nothing spent.
    pub fn new(limits: &Limits) -> Budget {
        Budget {
            max_facts: limits.max_facts.unwrap_or(DEFAULT_MAX_FACTS),
            facts: 0,
            deadline: limits.timeout.map(|t| (Instant::now() + t, t)),
            interrupt: limits.interrupt,
        }
    }

    /// Count newly derived facts; an error once the limit is passed.
    pub fn add_facts(&mut self, n: u64) -> Result<(), Box<Diagnostic>> {
        self.facts += n;
        if self.facts > self.max_facts {
            return Err(Box::new(Diagnostic::new(
                Code::ResourceLimit,
                format!("evaluation stopped after deriving more than {} facts", self.max_facts),
            )
            .hint("a rule like `n(X + 1) :- n(X).` derives without end; fix the rule, or raise `--max-facts`")));
        }
        Ok(())
    }

    /// An error once the deadline has passed or the interrupt is set.
    pub fn check_time(&self) -> Result<(), Box<Diagnostic>> {
        if self.interrupt.is_some_and(Interrupt::is_set) {
            return Err(Box::new(
                Diagnostic::new(Code::ResourceLimit, "evaluation interrupted")
                    .hint("nothing was changed; ask again, or fix a rule that derives without end"),
            ));
        }
        match self.deadline {
            Some((deadline, limit)) if Instant::now() > deadline => Err(Box::new(
                Diagnostic::new(
                    Code::ResourceLimit,
                    format!(
                        "evaluation stopped after {:.1} seconds",
                        limit.as_secs_f64()
                    ),
                )
                .hint("a recursive rule may derive without end; fix it, or raise `--timeout`"),
            )),
            _ => Ok(()),
        }
    }

    /// The facts counted so far.
    pub fn facts(&self) -> u64 {
        self.facts
    }
}
