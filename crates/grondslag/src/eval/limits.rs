//! The evaluation budget (`--max-facts`, `--timeout`, `--max-memory`): a runaway program such
//! as `n(X + 1) :- n(X).` stops with a `resource_limit` diagnostic instead of hanging or
//! exhausting memory.
//!
//! Facts are counted as they are derived; the clock, the interrupt flag and the heap
//! ([`crate::heap`]) are read every [`TICKS`] units of work inside joins and grounding, so a
//! single join that would materialise a huge cross product stops within it, and the
//! evaluator names the rule that was deriving ([`Stop::in_rule`]).

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::diagnostic::{Code, Diagnostic};
use crate::heap;
use crate::source::Span;

/// Used when `--max-facts` is not given: far above any real case, far below memory trouble.
pub const DEFAULT_MAX_FACTS: u64 = 20_000_000;

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Limits {
    pub max_facts: Option<u64>,
    pub timeout: Option<Duration>,
    /// Stop once the process holds more than this many bytes on its heap, as the
    /// [`heap::Counting`] allocator counts them (no effect without it).
    pub max_memory: Option<u64>,
    /// Set by another party (the REPL's Ctrl-C handler) to stop the evaluation.
    pub interrupt: Option<Interrupt>,
}

/// A flag that stops a running evaluation when set; the evaluator checks it where it checks
/// the clock. `'static` so that a signal handler may set it.
#[derive(Clone, Copy, Debug)]
pub struct Interrupt(pub &'static AtomicBool);

impl Interrupt {
    pub fn is_set(self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

impl PartialEq for Interrupt {
    fn eq(&self, other: &Interrupt) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

/// How many units of work (bindings made, tuples derived) pass between two readings of the
/// clock and the heap: a reading costs tens of nanoseconds, a unit at least a few.
pub const TICKS: u32 = 1024;

/// Which limit stopped an evaluation. Small, so that the evaluator's inner loops pass it up
/// cheaply; it becomes a [`Diagnostic`] where the evaluator knows the rule to name
/// ([`Stop::in_rule`]), or through `?` where it does not.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Stop {
    /// More facts than `--max-facts`.
    Facts(u64),
    /// `--timeout` passed.
    Time(Duration),
    /// The interrupt flag was set (Ctrl-C in the REPL).
    Interrupted,
    /// The heap grew past `--max-memory` bytes.
    Memory(u64),
}

impl Stop {
    /// The diagnostic, pointing at the rule that was deriving when the limit was reached.
    pub fn in_rule(self, rule: Span) -> Diagnostic {
        Diagnostic::from(self).at_labelled(rule, "this rule was deriving")
    }
}

impl From<Stop> for Diagnostic {
    fn from(stop: Stop) -> Diagnostic {
        let (message, hint) = match stop {
            Stop::Facts(max) => (
                format!("evaluation stopped after deriving more than {max} facts"),
                "a rule like `n(X + 1) :- n(X).` derives without end; fix the rule, or raise `--max-facts`",
            ),
            Stop::Time(limit) => (
                format!("evaluation stopped after {:.1} seconds", limit.as_secs_f64()),
                "a recursive rule may derive without end; fix it, or raise `--timeout`",
            ),
            Stop::Interrupted => (
                "evaluation interrupted".to_string(),
                "nothing was changed; ask again, or fix a rule that derives without end",
            ),
            Stop::Memory(max) => (
                format!(
                    "evaluation stopped after using more than {} of memory",
                    heap::size_text(max)
                ),
                "a rule whose conditions share no variables multiplies its matches (a cross product), and one that makes new values derives without end; fix the rule, or raise `--max-memory`",
            ),
        };
        Diagnostic::new(Code::ResourceLimit, message).hint(hint)
    }
}

/// The running count against the limits of one evaluation. A copy shares the deadline, so
/// a part of the evaluation (an aggregate's solver) may carry its own.
#[derive(Clone, Debug)]
pub struct Budget {
    max_facts: u64,
    facts: u64,
    deadline: Option<(Instant, Duration)>,
    interrupt: Option<Interrupt>,
    max_memory: Option<u64>,
    ticks: u32,
}

impl Budget {
    pub fn new(limits: &Limits) -> Budget {
        Budget {
            max_facts: limits.max_facts.unwrap_or(DEFAULT_MAX_FACTS),
            facts: 0,
            deadline: limits.timeout.map(|t| (Instant::now() + t, t)),
            interrupt: limits.interrupt,
            max_memory: limits.max_memory,
            ticks: 0,
        }
    }

    /// One unit of work inside a join or a grounding loop; every [`TICKS`]th reads the clock
    /// and the heap.
    #[inline]
    pub fn tick(&mut self) -> Result<(), Stop> {
        self.ticks = self.ticks.wrapping_add(1);
        if self.ticks.is_multiple_of(TICKS) {
            self.check()
        } else {
            Ok(())
        }
    }

    /// The clock, the interrupt flag and the heap, now.
    pub fn check(&self) -> Result<(), Stop> {
        self.check_time()?;
        match (self.max_memory, heap::held()) {
            (Some(max), Some(held)) if held > max => Err(Stop::Memory(max)),
            _ => Ok(()),
        }
    }

    /// Count newly derived facts; an error once the limit is passed.
    #[inline]
    pub fn add_facts(&mut self, n: u64) -> Result<(), Stop> {
        self.facts += n;
        if self.facts > self.max_facts {
            return Err(Stop::Facts(self.max_facts));
        }
        Ok(())
    }

    /// The interrupt flag and the clock.
    pub fn check_time(&self) -> Result<(), Stop> {
        if self.interrupt.is_some_and(Interrupt::is_set) {
            return Err(Stop::Interrupted);
        }
        match self.deadline {
            Some((deadline, limit)) if Instant::now() > deadline => Err(Stop::Time(limit)),
            _ => Ok(()),
        }
    }

    pub fn facts(&self) -> u64 {
        self.facts
    }
}
