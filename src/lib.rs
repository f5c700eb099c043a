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
//! The core is pure: no I/O outside `load`, `cli` and `repl`.

pub mod bill;
pub mod check;
pub mod cli;
pub mod defeasible;
pub mod diagnostic;
pub mod diff;
pub mod eval;
pub mod explain;
pub mod graph;
pub mod kb;
pub mod load;
pub mod model;
pub mod repl;
pub mod source;
pub mod syntax;
pub mod time;
pub mod value;
