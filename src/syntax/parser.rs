//! pest grammar → AST. (Being written: see issue 2.)
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::ast::{Item, Module};

/// Parse one file. Syntax errors are collected (the parser resynchronises at the next
/// statement) and returned beside the items that did parse.
pub fn parse(sources: &SourceMap, file: FileId) -> (Module, Vec<Diagnostic>) {
    let text = &sources.get(file).text;
    let diag = Diagnostic::new(Code::Syntax, "the parser is not written yet").at(Span::new(
        file,
        0,
        text.len().min(1),
    ));
    (
        Module {
            file,
            header: None,
            items: Vec::new(),
        },
        vec![diag],
    )
}

/// The REPL's view of one input: complete statements, input that needs more lines, or an
/// error.
#[derive(Debug)]
pub enum StatementParse {
    Complete(Vec<Item>),
    Incomplete,
    Invalid(Vec<Diagnostic>),
}

/// Parse REPL input (statements, without a header).
pub fn parse_statement(sources: &SourceMap, file: FileId) -> StatementParse {
    let (_, diags) = parse(sources, file);
    StatementParse::Invalid(diags)
}
