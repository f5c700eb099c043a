//! Syntax: the pest grammar (`grammar/grondslag.pest`) and the AST built from it.
//!
//! `parse` turns one source file into an [`ast::Module`]; syntax errors become
//! [`Diagnostic`]s with code `syntax` that say in words what was expected.

pub mod ast;
pub mod parser;

pub use parser::{parse, parse_statement, StatementParse};
