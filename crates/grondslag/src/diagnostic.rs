//! Diagnostics as plain data, rendered in one place.
//!
//! Every problem the tool reports — a syntax error, an unsafe variable, a missing file, an
//! evaluation that ran out of its budget — is a [`Diagnostic`] with a stable [`Code`]. The
//! codes are part of the public contract (docs/language.md): scripts and tests match on them.

use crate::escape;
use crate::source::{SourceMap, Span};
use serde::Serialize;
use std::fmt::Write as _;

/// Whether a diagnostic stops evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Nothing is evaluated while there is one.
    Error,
    /// Worth a look; evaluation goes on.
    Warning,
}

/// The stable diagnostic codes. `as_str` gives the spelling users and scripts see.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    // errors
    /// The text is not a statement of the language.
    Syntax,
    /// A predicate used with different numbers of arguments.
    ArityMismatch,
    /// A variable no positive condition binds.
    UnsafeVariable,
    /// A predicate depends on itself through `not` or an aggregate.
    CyclicNegation,
    /// A superiority pair, `repeal` or `via` names no rule.
    UnknownLabel,
    /// Two rules with one label.
    DuplicateLabel,
    /// Rules stronger than themselves through superiority pairs.
    SuperiorityCycle,
    /// Values of different kinds compared or computed with.
    TypeMismatch,
    /// Evaluation stopped: `--max-facts`, `--timeout`, or an interrupt.
    ResourceLimit,
    /// A file or directory that cannot be read.
    Io,
    /// A path that names a FIFO, a device, a socket, or a directory where a file is needed.
    NotAFile,
    /// A file larger than the limit on what is read (`--max-file-size`).
    FileTooLarge,
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
    /// `expect ... assuming q(..)` where `q(..)` is not the presumed literal of an open norm
    /// (`@open_norm`), or is not ground.
    NotAnOpenNorm,
    /// Integer overflow in arithmetic or in a `sum`: an error, never a missing answer.
    Overflow,
    /// The evaluation strategy asked for (`--strategy`) cannot evaluate the program.
    Strategy,
    /// A fault of grondslag itself: `--strategy compare` found two evaluators disagreeing.
    Internal,
    // warnings
    /// A predicate used but never concluded or declared.
    UndefinedPredicate,
    /// A rule whose conclusion nothing uses.
    UnusedRule,
    /// A variable that occurs only inside one `not`.
    NegationLocalVariable,
    /// Both `p` and `~p` definite.
    ConflictingDefinite,
    /// A superiority pair whose rules never conclude complementary literals.
    UselessSuperiority,
    /// A file without a `case` header whose facts are judged on a date it does not state.
    NoCaseDate,
    /// A stated `~p(...)` fact that no rule reads and no rule for `p` can meet.
    UnreadNegation,
    /// A directory walk left something out: a symbolic link back to a directory already
    /// searched, a second link to a file already read, a `.law` entry that is not a file.
    SkippedPath,
}

impl Code {
    /// Every code, errors first.
    pub const ALL: [Code; 32] = [
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
        Code::NotAFile,
        Code::FileTooLarge,
        Code::InvalidAttribute,
        Code::Arithmetic,
        Code::UnknownPredicate,
        Code::UnknownValue,
        Code::ArgumentType,
        Code::UnknownType,
        Code::DuplicateType,
        Code::VacuousExpectation,
        Code::NotAnOpenNorm,
        Code::Overflow,
        Code::Strategy,
        Code::Internal,
        Code::UndefinedPredicate,
        Code::UnusedRule,
        Code::NegationLocalVariable,
        Code::ConflictingDefinite,
        Code::UselessSuperiority,
        Code::NoCaseDate,
        Code::UnreadNegation,
        Code::SkippedPath,
    ];

    /// The code as users and scripts see it: `unsafe_variable`.
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
            Code::NotAFile => "not_a_file",
            Code::FileTooLarge => "file_too_large",
            Code::InvalidAttribute => "invalid_attribute",
            Code::Arithmetic => "arithmetic",
            Code::UnknownPredicate => "unknown_predicate",
            Code::UnknownValue => "unknown_value",
            Code::ArgumentType => "argument_type",
            Code::UnknownType => "unknown_type",
            Code::DuplicateType => "duplicate_type",
            Code::VacuousExpectation => "vacuous_expectation",
            Code::NotAnOpenNorm => "not_an_open_norm",
            Code::Overflow => "overflow",
            Code::NoCaseDate => "no_case_date",
            Code::UnreadNegation => "unread_negation",
            Code::Strategy => "strategy",
            Code::Internal => "internal_error",
            Code::UndefinedPredicate => "undefined_predicate",
            Code::UnusedRule => "unused_rule",
            Code::NegationLocalVariable => "negation_local_variable",
            Code::ConflictingDefinite => "conflicting_definite",
            Code::UselessSuperiority => "useless_superiority",
            Code::SkippedPath => "skipped_path",
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
            | Code::UnreadNegation
            | Code::SkippedPath => Severity::Warning,
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
    /// Where.
    pub span: Span,
    /// The words under the caret, if any.
    pub message: Option<String>,
}

impl Label {
    /// A place without a message.
    pub fn new(span: Span) -> Label {
        Label {
            span,
            message: None,
        }
    }
    /// A place with a message under its caret.
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
    /// The stable code.
    pub code: Code,
    /// Error or warning (follows from the code).
    pub severity: Severity,
    /// What is wrong, in words.
    pub message: String,
    /// Where the problem is; `None` for problems without a place (a missing file on the
    /// command line, an evaluation budget).
    pub primary: Option<Label>,
    /// Other places that explain it (the first definition of a duplicate label, the other
    /// rules on a cycle).
    pub secondary: Vec<Label>,
    /// What to do about it.
    pub hint: Option<String>,
    /// A path that has no source text (a file that could not be read).
    pub path: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with its code and message, without a place yet.
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

    /// Builder: the primary span, with a message under the caret.
    pub fn at_labelled(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.primary = Some(Label::with_message(span, message));
        self
    }

    /// Builder: another place that explains the problem.
    pub fn also(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.secondary.push(Label::with_message(span, message));
        self
    }

    /// Builder: what to do about it.
    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    /// Builder: the path of a file that has no source text.
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

    /// Whether it stops evaluation.
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
        let _ = writeln!(
            out,
            "{kind}[{}]: {}",
            self.code.as_str(),
            escape::text_line(&self.message)
        );
        if let Some(path) = &self.path {
            let _ = writeln!(out, "  --> {}", escape::text_line(path));
        }
        if let Some(label) = &self.primary {
            render_label(&mut out, sources, label);
        }
        for label in &self.secondary {
            render_label(&mut out, sources, label);
        }
        if let Some(hint) = &self.hint {
            let _ = writeln!(out, "  = hint: {}", escape::text_line(hint));
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
    let gutter = line.to_string().len();
    let pad = " ".repeat(gutter);
    let _ = writeln!(
        out,
        "{pad} --> {}:{}:{}",
        escape::text_line(&file.name),
        line,
        col
    );
    if line > file.line_count() {
        return;
    }
    let text = file.line_text(line);
    // Byte offsets within the line; a span running over several lines is underlined to the
    // end of its first line.
    let at = |offset: u32| {
        let offset = (offset as usize).saturating_sub(file.line_start(line));
        floor_char_boundary(text, offset.min(text.len()))
    };
    let excerpt = Excerpt::new(text, at(label.span.start), at(label.span.end));
    let _ = writeln!(out, "{pad} |");
    let _ = writeln!(out, "{line} | {}", excerpt.text);
    let carets = "^".repeat(excerpt.carets);
    let indent = " ".repeat(excerpt.caret_at);
    match &label.message {
        Some(m) => {
            let _ = writeln!(out, "{pad} | {indent}{carets} {}", escape::text_line(m));
        }
        None => {
            let _ = writeln!(out, "{pad} | {indent}{carets}");
        }
    }
}

/// The most characters of a source line shown under a finding: a longer line is cut to a
/// window around the span, so that the output grows with the number of findings, not with
/// findings times the length of the line.
const EXCERPT: usize = 100;
/// How many of them come before the span's start.
const BEFORE: usize = 30;

/// The part of a source line shown, as the terminal shows it (tabs as spaces, control
/// characters escaped), and where the carets go under it.
struct Excerpt {
    text: String,
    /// Columns before the first caret.
    caret_at: usize,
    carets: usize,
}

impl Excerpt {
    /// `start..end`: the span's bytes in `line` (on character boundaries).
    fn new(line: &str, start: usize, end: usize) -> Excerpt {
        let end = end.max(start);
        let from = line[..start]
            .char_indices()
            .rev()
            .nth(BEFORE - 1)
            .map_or(0, |(i, _)| i);
        let before = line[from..start].chars().count();
        let to = line[start..]
            .char_indices()
            .nth(EXCERPT - before)
            .map_or(line.len(), |(i, _)| start + i);
        let mut text = String::new();
        let mut width = 0;
        if from > 0 {
            text.push('…');
            width += 1;
        }
        width += show(&mut text, &line[from..start]);
        let caret_at = width;
        let carets = show(&mut text, &line[start..end.min(to)]).max(1);
        show(&mut text, &line[end.min(to)..to]);
        if to < line.len() {
            text.push('…');
        }
        Excerpt {
            text,
            caret_at,
            carets,
        }
    }
}

/// Append source text as a terminal should show it; how many columns it takes.
fn show(out: &mut String, text: &str) -> usize {
    let shown = escape::text_line(&text.replace('\t', " ")).into_owned();
    out.push_str(&shown);
    shown.chars().count()
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
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
            if code == Code::Arithmetic {
                continue; // never reported: overflow is `overflow`, division by zero drops the binding
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

    #[test]
    fn a_long_line_is_shown_as_a_window_around_the_span() {
        let mut sources = SourceMap::new();
        let unit = "p(a, b). p(a). ";
        let line = unit.repeat(20_000 / unit.len());
        let file = sources.add("long.law", format!("{line}\n"));
        let start = line.len() / 2 + 9;
        let d = Diagnostic::new(Code::ArityMismatch, "`p` takes 2 arguments here")
            .at_labelled(Span::new(file, start, start + 4), "1 argument");
        let text = d.render(&sources);
        assert!(text.len() < 400, "{} bytes:\n{text}", text.len());
        let lines: Vec<&str> = text.lines().collect();
        let shown = lines[3].split_once(" | ").unwrap().1;
        let under = lines[4].split_once(" | ").unwrap().1;
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        // The carets sit under the span's text.
        let caret = under.find('^').unwrap();
        let column: String = shown.chars().skip(caret).take(4).collect();
        assert_eq!(column, &line[start..start + 4]);
        assert!(under.ends_with("^^^^ 1 argument"));
    }

    #[test]
    fn control_characters_in_a_source_line_are_shown_escaped_and_carets_follow() {
        let mut sources = SourceMap::new();
        let text = "p(\"\u{1b}]52;c;eA==\u{7}\u{202e}\", x, y).\n";
        let file = sources.add("esc.law", text);
        let start = text.find("x, y").unwrap();
        let d = Diagnostic::new(Code::ArityMismatch, "three")
            .at_labelled(Span::new(file, start, start + 4), "extra");
        let out = d.render(&sources);
        assert!(
            !out.chars().any(|c| escape::is_hidden(c) && c != '\n'),
            "{out}"
        );
        let lines: Vec<&str> = out.lines().collect();
        let shown = lines[3].split_once(" | ").unwrap().1;
        let under = lines[4].split_once(" | ").unwrap().1;
        let caret = under.find('^').unwrap();
        assert_eq!(&shown[caret..caret + 4], "x, y");
    }
}
