//! The integration tests, one crate (one binary to build and link, not one per file); each
//! module is a concern: the CLI contract, the REPL, explanations, bills, the knowledge base,
//! the defeasible layer, properties of the engines, limits, inert output, the architecture.

mod architecture;
mod bills;
mod browser;
mod cli;
mod common;
mod defeasible;
mod docs;
mod explain;
mod files;
mod inert_output;
mod json_schema;
mod knowledge_base;
mod limits;
mod memo;
mod open_norms;
mod prepared;
mod properties;
mod pty;
mod repl;
mod syntax;
mod vocabulary;
mod workbench;
