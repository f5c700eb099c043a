//! Diagnostics as plain data, rendered in one place.
//!
//! Every problem the tool reports — a syntax error, an unsafe variable, a missing file, an
//! evaluation that ran out of its budget — is a [`Diagnostic`] with a stable [`Code`]. The
//! codes are part of the public contract (SPEC §2): scripts and tests match on them.

use crate::source::{SourceMap, Span};
use serde::Serialize;
use std::fmt::Write as _;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// The stable diagnostic codes. `as_str` gives the spelling users and scripts see.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    // errors
    Syntax,
    ArityMismatch,
    UnsafeVariable,
    CyclicNegation,
    UnknownLabel,
    DuplicateLabel,
    SuperiorityCycle,
    TypeMismatch,
    ResourceLimit,
    /// A file or directory that cannot be read.
    Io,
    /// An attribute or construct used where it has no meaning (e.g. `@principle` on a rule).
    InvalidAttribute,
    /// Arithmetic that cannot be evaluated (division by zero, overflow).
    Arithmetic,
    /// A fact, query, `expect` or REPL input about a predicate that is neither declared nor
    /// defined. An error once a vocabulary (any `pred` declaration) is loaded, else a warning.
    UnknownPredicate,
    /// A value outside the closed enumeration its argument takes.
    UnknownValue,
    /// A value of the wrong kind for its argument (a date where an organisation is expected).
    ArgumentType,
    /// A `pred` argument of a type no `type` declaration introduces, or `+=` on one.
    UnknownType,
    /// A type declared twice.
    DuplicateType,
    /// An `expect` whose constants occur in no fact of its case: it would pass or fail
    /// whatever the law says.
    VacuousExpectation,
    /// Integer overflow in arithmetic or in a `sum`: an error, never a missing answer.
    Overflow,
    // warnings
    UndefinedPredicate,
    UnusedRule,
    NegationLocalVariable,
    ConflictingDefinite,
    /// A superiority pair whose rules never conclude complementary literals.
    UselessSuperiority,
    /// A file without a `case` header whose facts are judged on a date it does not state.
    NoCaseDate,
    /// A stated `~p(...)` fact that no rule reads and no rule for `p` can meet.
    UnreadNegation,
}

impl Code {
    /// Every code, errors first.
    pub const ALL: [Code; 26] = [
        Code::Syntax,
        Code::ArityMismatch,
        Code::UnsafeVariable,
        Code::CyclicNegation,
        Code::UnknownLabel,
        Code::DuplicateLabel,
        Code::SuperiorityCycle,
        Code::TypeMismatch,
        Code::ResourceLimit,
        Code::Io,
        Code::InvalidAttribute,
        Code::Arithmetic,
        Code::UnknownPredicate,
        Code::UnknownValue,
        Code::ArgumentType,
        Code::UnknownType,
        Code::DuplicateType,
        Code::VacuousExpectation,
        Code::Overflow,
        Code::UndefinedPredicate,
        Code::UnusedRule,
        Code::NegationLocalVariable,
        Code::ConflictingDefinite,
        Code::UselessSuperiority,
        Code::NoCaseDate,
        Code::UnreadNegation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::Syntax => "syntax",
            Code::ArityMismatch => "arity_mismatch",
            Code::UnsafeVariable => "unsafe_variable",
            Code::CyclicNegation => "cyclic_negation",
            Code::UnknownLabel => "unknown_label",
            Code::DuplicateLabel => "duplicate_label",
            Code::SuperiorityCycle => "superiority_cycle",
            Code::TypeMismatch => "type_mismatch",
            Code::ResourceLimit => "resource_limit",
            Code::Io => "io",
            Code::InvalidAttribute => "invalid_attribute",
            Code::Arithmetic => "arithmetic",
            Code::UnknownPredicate => "unknown_predicate",
            Code::UnknownValue => "unknown_value",
            Code::ArgumentType => "argument_type",
            Code::UnknownType => "unknown_type",
            Code::DuplicateType => "duplicate_type",
            Code::VacuousExpectation => "vacuous_expectation",
            Code::Overflow => "overflow",
            Code::NoCaseDate => "no_case_date",
            Code::UnreadNegation => "unread_negation",
            Code::UndefinedPredicate => "undefined_predicate",
            Code::UnusedRule => "unused_rule",
            Code::NegationLocalVariable => "negation_local_variable",
            Code::ConflictingDefinite => "conflicting_definite",
            Code::UselessSuperiority => "useless_superiority",
        }
    }

    /// Errors stop evaluation; warnings do not.
    pub fn severity(self) -> Severity {
        match self {
            Code::UndefinedPredicate
            | Code::UnusedRule
            | Code::NegationLocalVariable
            | Code::ConflictingDefinite
            | Code::UselessSuperiority
            | Code::NoCaseDate
            | Code::UnreadNegation => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A span with an optional short message under its caret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: Option<String>,
}

impl Label {
    pub fn new(span: Span) -> Label {
        Label {
            span,
            message: None,
        }
    }
    pub fn with_message(span: Span, message: impl Into<String>) -> Label {
        Label {
            span,
            message: Some(message.into()),
        }
    }
}

/// One problem found in the input, in the words a lawyer understands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// Where the problem is; `None` for problems without a place (a missing file on the
    /// command line, an evaluation budget).
    pub primary: Option<Label>,
    /// Other places that explain it (the first definition of a duplicate label, the other
    /// rules on a cycle).
    pub secondary: Vec<Label>,
    pub hint: Option<String>,
    /// A path that has no source text (a file that could not be read).
    pub path: Option<String>,
}

impl Diagnostic {
    pub fn new(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            hint: None,
            path: None,
        }
    }

    /// Builder: the primary span, with an optional caret message.
    pub fn at(mut self, span: Span) -> Diagnostic {
        self.primary = Some(Label::new(span));
        self
    }

    pub fn at_labelled(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.primary = Some(Label::with_message(span, message));
        self
    }

    pub fn also(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.secondary.push(Label::with_message(span, message));
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    pub fn for_path(mut self, path: impl Into<String>) -> Diagnostic {
        self.path = Some(path.into());
        self
    }

    /// Builder: a severity other than the code's own (`unknown_predicate` is a warning where
    /// no vocabulary is loaded).
    pub fn severity(mut self, severity: Severity) -> Diagnostic {
        self.severity = severity;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Render as text: a header, `--> file:line:col`, the source line with a caret under the
    /// span, secondary places, and the hint.
    pub fn render(&self, sources: &SourceMap) -> String {
        let mut out = String::new();
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(out, "{kind}[{}]: {}", self.code.as_str(), self.message);
        if let Some(path) = &self.path {
            let _ = writeln!(out, "  --> {path}");
        }
        if let Some(label) = &self.primary {
            render_label(&mut out, sources, label);
        }
        for label in &self.secondary {
            render_label(&mut out, sources, label);
        }
        if let Some(hint) = &self.hint {
            let _ = writeln!(out, "  = hint: {hint}");
        }
        out
    }

    /// The diagnostic as data, for `--format json`.
    pub fn to_json(&self, sources: &SourceMap) -> serde_json::Value {
        let place = |label: &Label| {
            let file = sources.get(label.span.file);
            let (line, column) = file.line_col(label.span.start as usize);
            let (end_line, end_column) = file.line_col(label.span.end as usize);
            serde_json::json!({
                "file": file.name,
                "line": line,
                "column": column,
                "end_line": end_line,
                "end_column": end_column,
                "message": label.message,
            })
        };
        let mut value = serde_json::json!({
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
            "related": self.secondary.iter().map(place).collect::<Vec<_>>(),
        });
        let obj = value.as_object_mut().expect("object");
        if let Some(label) = &self.primary {
            let p = place(label);
            for key in ["file", "line", "column", "end_line", "end_column"] {
                obj.insert(key.to_string(), p[key].clone());
            }
            obj.insert("label".into(), p["message"].clone());
        } else if let Some(path) = &self.path {
            obj.insert("file".into(), path.clone().into());
        }
        value
    }
}

fn render_label(out: &mut String, sources: &SourceMap, label: &Label) {
    let file = sources.get(label.span.file);
    let (line, col) = file.line_col(label.span.start as usize);
    let (end_line, end_col) = file.line_col(label.span.end as usize);
    let gutter = line.to_string().len();
    let pad = " ".repeat(gutter);
    let _ = writeln!(out, "{pad} --> {}:{}:{}", file.name, line, col);
    if line > file.line_count() {
        return;
    }
    let text = file.line_text(line);
    let _ = writeln!(out, "{pad} |");
    let _ = writeln!(out, "{line} | {}", text.replace('\t', " "));
    // A span running over several lines is underlined to the end of its first line.
    let width = if end_line == line {
        end_col.saturating_sub(col).max(1)
    } else {
        (text.chars().count() + 1).saturating_sub(col).max(1)
    };
    let carets = "^".repeat(width);
    match &label.message {
        Some(m) => {
            let _ = writeln!(out, "{pad} | {}{carets} {m}", " ".repeat(col - 1));
        }
        None => {
            let _ = writeln!(out, "{pad} | {}{carets}", " ".repeat(col - 1));
        }
    }
}

/// Render a list of diagnostics, errors and warnings in the order found.
pub fn render_all(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    diagnostics
        .iter()
        .map(|d| d.render(sources))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_documented_with_an_example() {
        let reference = include_str!("../../../docs/diagnostics.md");
        for code in Code::ALL {
            // Not reported yet: arithmetic without a value drops that rule instance. (`overflow`
            // comes with the evaluation's one meaning of terms.)
            if matches!(code, Code::Arithmetic | Code::Overflow) {
                continue;
            }
            let row = format!("| `{}` | ", code.as_str());
            assert!(
                reference.contains(&row),
                "docs/diagnostics.md has no row for `{}`",
                code.as_str()
            );
        }
    }

    #[test]
    fn renders_location_source_line_caret_and_hint() {
        let mut sources = SourceMap::new();
        let file = sources.add("case.law", "lawful(d1).\nparent(a, b, c).\n");
        let start = 12 + 7; // `a, b, c` inside the second line
        let d = Diagnostic::new(Code::ArityMismatch, "`parent` takes 2 arguments here")
            .at_labelled(Span::new(file, start, start + 7), "3 arguments")
            .hint("check the declaration");
        let text = d.render(&sources);
        assert_eq!(
            text,
            "error[arity_mismatch]: `parent` takes 2 arguments here\n\
             \x20 --> case.law:2:8\n\
             \x20 |\n\
             2 | parent(a, b, c).\n\
             \x20 |        ^^^^^^^ 3 arguments\n\
             \x20 = hint: check the declaration\n"
        );
        let json = d.to_json(&sources);
        assert_eq!(json["code"], "arity_mismatch");
        assert_eq!(json["line"], 2);
        assert_eq!(json["column"], 8);
    }
}
