//! The evaluation budget (`--max-facts`, `--timeout`): a runaway program such as
//! `n(X + 1) :- n(X).` stops with a `resource_limit` diagnostic instead of hanging or
//! exhausting memory.

use std::time::{Duration, Instant};

use crate::diagnostic::{Code, Diagnostic};

/// Used when `--max-facts` is not given: far above any real case, far below memory trouble.
pub const DEFAULT_MAX_FACTS: u64 = 20_000_000;

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Limits {
    pub max_facts: Option<u64>,
    pub timeout: Option<Duration>,
}

/// The running count against the limits of one evaluation.
#[derive(Debug)]
pub struct Budget {
    max_facts: u64,
    facts: u64,
    deadline: Option<(Instant, Duration)>,
}

impl Budget {
    pub fn new(limits: &Limits) -> Budget {
        Budget {
            max_facts: limits.max_facts.unwrap_or(DEFAULT_MAX_FACTS),
            facts: 0,
            deadline: limits.timeout.map(|t| (Instant::now() + t, t)),
        }
    }

    /// Count newly derived facts; an error once the limit is passed.
    pub fn add_facts(&mut self, n: u64) -> Result<(), Diagnostic> {
        self.facts += n;
        if self.facts > self.max_facts {
            return Err(Diagnostic::new(
                Code::ResourceLimit,
                format!("evaluation stopped after deriving more than {} facts", self.max_facts),
            )
            .hint("a rule like `n(X + 1) :- n(X).` derives without end; fix the rule, or raise `--max-facts`"));
        }
        Ok(())
    }

    pub fn check_time(&self) -> Result<(), Diagnostic> {
        match self.deadline {
            Some((deadline, limit)) if Instant::now() > deadline => Err(Diagnostic::new(
                Code::ResourceLimit,
                format!(
                    "evaluation stopped after {:.1} seconds",
                    limit.as_secs_f64()
                ),
            )
            .hint("a recursive rule may derive without end; fix it, or raise `--timeout`")),
            _ => Ok(()),
        }
    }

    pub fn facts(&self) -> u64 {
        self.facts
    }
}
