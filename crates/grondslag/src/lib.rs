//! grondslag — a Datalog-style legal reasoning engine with a defeasible layer.
//!
//! The pipeline, one stage per module (see `docs/architecture.md`):
//!
//! ```text
//! .law text ──syntax──▶ ast::Module ──check──▶ diagnostics
//!                            │
//!                            └──eval::lower──▶ ir::Program ──eval (strata, datafrog)──▶ definite facts
//!                                                         └──defeasible──▶ Model (four statuses)
//! ```
//!
//! The core is pure: it never prints, never exits, and reads files only through `load`.
//! The command line and the REPL are the `grondslag` binary, built on this library.

pub mod bill;
pub mod check;
pub mod defeasible;
pub mod diagnostic;
pub mod diff;
pub mod escape;
pub mod eval;
pub mod explain;
pub mod graph;
pub mod heap;
pub mod kb;
pub mod load;
pub mod model;
pub mod source;
pub mod syntax;
pub mod table;
pub mod time;
pub mod value;
