//! Static checks on parsed modules (SPEC §2 "Programs are checked before evaluation").
//! (Being written: see issue 2.)
use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;
use crate::syntax::ast::Module;

/// Run every check over everything loaded together; all findings are returned, errors and
/// warnings, in source order.
pub fn check(_sources: &SourceMap, _modules: &[&Module]) -> Vec<Diagnostic> {
    Vec::new()
}
