//! The law prepared once for many cases: the shared modules and the bills, the law in force
//! on a date selected, lowered, planned and stratified — and, on demand, evaluated on its own,
//! so that the strata no case fact can reach are evaluated once for all cases. A case then
//! adds only its facts (`Law::evaluate`).
//!
//! Prepared laws are kept in a [`Preparation`], keyed by the modules they were made from,
//! whether the bills apply, and the period of dates on which the same law is in force (the
//! law changes only on the days `time::changes` lists): `test` evaluates each case on its own
//! date, and a thousand cases dated over a few years need only as many preparations as there
//! are such periods.

use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex, OnceLock};

use crate::bill::Amendments;
use crate::defeasible::{self, Policy};
use crate::diagnostic::Diagnostic;
use crate::eval::{self, lower, InputFacts};
use crate::source::FileId;
use crate::syntax::ast::Module;
use crate::time::{self, NotInForce};
use crate::value::Date;

use super::law::Bills;

/// The engine's side of a prepared law: strict, or with defeasible rules.
pub(super) enum Base {
    Strict(eval::Base),
    Defeasible(defeasible::Base),
}

impl Base {
    /// The program's relations and values.
    pub fn program(&self) -> &eval::ir::Program {
        match self {
            Base::Strict(base) => base.program(),
            Base::Defeasible(base) => base.program(),
        }
    }

    /// A case without facts yet.
    pub fn case(&self) -> eval::Case {
        match self {
            Base::Strict(base) => base.case(),
            Base::Defeasible(base) => base.case(),
        }
    }
}

/// A law prepared once: the engine's base, and what an evaluation on it reports besides the
/// model.
pub(super) struct Prepared {
    pub base: Base,
    /// The modules it was made from, each with the number of facts lowered from the modules
    /// up to it (a case's facts are numbered among them as the whole program would number
    /// them).
    pub fact_ends: Vec<(FileId, usize)>,
    /// What the date left out of those modules, and why.
    pub not_in_force: Vec<NotInForce>,
    /// How many cases were evaluated on it: from the second on, the strata no case fact
    /// reaches are taken from the law evaluated on its own.
    pub evaluations: AtomicUsize,
}

impl Prepared {
    /// How many of the base's facts come before a module that is not part of it, given the
    /// modules evaluated in order.
    pub fn facts_before(&self, order: &[FileId], module: FileId) -> usize {
        let position = order.iter().position(|f| *f == module);
        let mut before = 0;
        for file in order.iter().take(position.unwrap_or(order.len())) {
            if let Some((_, end)) = self.fact_ends.iter().find(|(f, _)| f == file) {
                before = *end;
            }
        }
        before
    }
}

/// What a prepared law is made from.
pub(super) struct Request<'a> {
    /// The shared modules and the bills, in the order the whole program lists them.
    pub modules: &'a [&'a Module],
    pub amendments: &'a Amendments,
    pub bills: Bills,
    pub date: Option<Date>,
    pub inputs: &'a [InputFacts],
    pub policy: Policy,
}

/// Prepared laws kept for reuse: one per set of modules, bills applied or not, policy, and
/// period of dates with the same law in force. Cheap to clone (the clones share the laws):
/// a REPL session keeps one across inputs, `test` one across its cases.
#[derive(Clone, Default)]
pub struct Preparation {
    entries: Arc<Mutex<Vec<Entry>>>,
}

impl std::fmt::Debug for Preparation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.entries.lock().map_or(0, |e| e.len());
        write!(f, "Preparation({n} laws)")
    }
}

/// At most this many prepared laws are kept (the oldest goes first).
const KEPT: usize = 16;

struct Entry {
    files: Vec<FileId>,
    bills: Bills,
    policy: Policy,
    /// The dates the law serves: `None` for the law without a date; else from the first day
    /// (inclusive, `None`: unbounded) to the last (exclusive).
    period: Option<(Option<Date>, Option<Date>)>,
    law: Arc<OnceLock<Result<Arc<Prepared>, Vec<Diagnostic>>>>,
}

impl Entry {
    fn serves(&self, files: &[FileId], request: &Request) -> bool {
        self.files == files
            && self.bills == request.bills
            && self.policy == request.policy
            && match (self.period, request.date) {
                (None, None) => true,
                (Some((from, to)), Some(date)) => {
                    from.is_none_or(|f| f <= date) && to.is_none_or(|t| date < t)
                }
                _ => false,
            }
    }
}

impl Preparation {
    /// A new, empty set of prepared laws.
    pub fn new() -> Preparation {
        Preparation::default()
    }

    /// The law `request` asks for, prepared now if it was not yet.
    pub(super) fn law(&self, request: &Request) -> Result<Arc<Prepared>, Vec<Diagnostic>> {
        let files: Vec<FileId> = request.modules.iter().map(|m| m.file).collect();
        let slot = {
            let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
            match entries.iter().find(|e| e.serves(&files, request)) {
                Some(entry) => Arc::clone(&entry.law),
                None => {
                    let period = request.date.map(|date| {
                        let changes = time::changes(request.modules, request.amendments);
                        let next = changes.partition_point(|d| *d <= date);
                        (
                            next.checked_sub(1).map(|i| changes[i]),
                            changes.get(next).copied(),
                        )
                    });
                    if entries.len() >= KEPT {
                        entries.remove(0);
                    }
                    let law = Arc::new(OnceLock::new());
                    entries.push(Entry {
                        files,
                        bills: request.bills,
                        policy: request.policy,
                        period,
                        law: Arc::clone(&law),
                    });
                    law
                }
            }
        };
        // Prepared outside the lock: other threads wait only for the law they need.
        slot.get_or_init(|| prepare(request).map(Arc::new)).clone()
    }
}

/// Select the law in force, lower, plan and stratify it.
fn prepare(request: &Request) -> Result<Prepared, Vec<Diagnostic>> {
    let law = time::in_force(request.modules, request.amendments, request.date);
    let modules = law.modules();
    let (program, counts) = lower::lower_counting(&modules);
    let prepared = eval::prepare_lowered(program)?;
    let base = if prepared.is_defeasible() {
        Base::Defeasible(defeasible::Base::new(
            prepared,
            &modules,
            request.inputs,
            request.policy,
        ))
    } else {
        Base::Strict(eval::Base::new(prepared, request.inputs))
    };
    Ok(Prepared {
        base,
        fact_ends: modules.iter().map(|m| m.file).zip(counts).collect(),
        not_in_force: law.not_in_force,
        evaluations: AtomicUsize::new(0),
    })
}
