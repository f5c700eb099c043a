//! The rule language: the AST and the parser that builds it from `.law` text.
pub mod ast;
mod parser;
mod simple;
mod split;

pub use parser::{parse, parse_query, parse_statement, StatementParse};
pub use split::{split, Chunk, Unfinished};
