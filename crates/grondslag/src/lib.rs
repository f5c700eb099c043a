//! grondslag — a Datalog-style legal reasoning engine with a defeasible layer.
//!
//! The pipeline, one stage per module, run in order by [`driver`] (see `docs/architecture.md`):
//!
//! ```text
//! load ─▶ syntax ─▶ check ─▶ time::in_force ─▶ eval::prepare ─▶ eval::run / defeasible ─▶ Model
//!                                                                       │
//!                                      answer · judge `expect` · explain · diff ◀┘
//! ```
//!
//! The library is pure: it never prints, never exits, and reads files only through `load`.
//! The command line and the REPL are the `grondslag` binary, built on [`driver`].

#![warn(missing_docs)]

pub mod bill;
pub mod check;
pub mod citation;
pub mod defeasible;
pub mod diagnostic;
pub mod diff;
pub mod driver;
pub mod escape;
pub mod eval;
pub mod explain;
pub mod graph;
pub mod heap;
pub mod kb;
pub mod load;
pub mod model;
pub mod open_norm;
pub mod source;
pub mod syntax;
pub mod table;
pub mod test_results;
pub mod time;
pub mod value;
