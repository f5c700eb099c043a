//! The line editor's helper: it decides with the real parser when input continues on the
//! next line, completes commands, predicates and symbols, hints at what a command or
//! predicate takes, and colours the input — or leaves it plain when colour is off.

use std::borrow::Cow;

use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};

use super::commands::{self, Argument, COMMANDS, EXPORT_FORMATS};
use super::input::{classify, Input};
use super::vocabulary::Vocabulary;

pub struct LawHelper {
    pub vocabulary: Vocabulary,
    pub color: bool,
    /// The line read answers a question (y/N), not a statement: no continuation, no hints.
    pub answering: bool,
    files: FilenameCompleter,
}

impl LawHelper {
    pub fn new(vocabulary: Vocabulary, color: bool) -> LawHelper {
        LawHelper {
            vocabulary,
            color,
            answering: false,
            files: FilenameCompleter::new(),
        }
    }
}

impl Helper for LawHelper {}

impl Validator for LawHelper {
    /// Incomplete input (no final `.`, an open string or comment) continues on a new line;
    /// everything else is submitted, and errors are reported with their caret after.
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        Ok(match classify(ctx.input()) {
            Input::Incomplete if !self.answering => ValidationResult::Incomplete,
            _ => ValidationResult::Valid(None),
        })
    }
}

/// The identifier-like word that ends at `pos`: its start.
fn word_start(line: &str, pos: usize) -> usize {
    line[..pos]
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_alphanumeric() || *c == '_')
        .last()
        .map_or(pos, |(i, _)| i)
}

/// The predicate and the argument index at the end of `before` (the text up to the word being
/// completed), when it is inside an argument list: `data(d1, ` → `("data", 1)`.
fn argument_place(before: &str) -> Option<(&str, usize)> {
    let mut depth = 0usize;
    let mut commas = 0;
    for (i, c) in before.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' if depth > 0 => depth -= 1,
            ',' if depth == 0 => commas += 1,
            '(' => {
                let name_start = word_start(before, i);
                let name = &before[name_start..i];
                return (!name.is_empty()).then_some((name, commas));
            }
            '.' if depth == 0 => return None,
            _ => {}
        }
    }
    None
}

fn pairs<'a>(words: impl Iterator<Item = (String, String)> + 'a) -> Vec<Pair> {
    words
        .map(|(display, replacement)| Pair {
            display,
            replacement,
        })
        .collect()
}

impl LawHelper {
    /// Predicates as `name/arity`, inserted as `name(` (or `name` without arguments).
    fn predicates(&self, prefix: &str) -> Vec<Pair> {
        pairs(
            self.vocabulary
                .predicates
                .keys()
                .filter(|(name, _)| name.starts_with(prefix))
                .map(|(name, arity)| {
                    let replacement = if *arity == 0 {
                        name.clone()
                    } else {
                        format!("{name}(")
                    };
                    (format!("{name}/{arity}"), replacement)
                }),
        )
    }

    fn symbols(&self, prefix: &str) -> Vec<Pair> {
        pairs(
            self.vocabulary
                .symbols
                .iter()
                .filter(|s| s.starts_with(prefix))
                .map(|s| (s.clone(), s.clone())),
        )
    }

    /// Inside parentheses a word is an argument (symbols first, or only the values of its
    /// enumeration when the predicate declares one there), outside a predicate.
    fn terms(&self, line: &str, start: usize) -> Vec<Pair> {
        let prefix = &line[start..];
        if let Some((pred, index)) = argument_place(&line[..start]) {
            if let Some(values) = self.vocabulary.values_of(pred, index) {
                let fitting = pairs(
                    values
                        .iter()
                        .filter(|v| v.starts_with(prefix))
                        .map(|v| (v.clone(), v.clone())),
                );
                if !fitting.is_empty() {
                    return fitting;
                }
            }
        }
        let depth = line[..start].chars().fold(0i32, |d, c| match c {
            '(' => d + 1,
            ')' => d - 1,
            _ => d,
        });
        let (mut first, second) = if depth > 0 {
            (self.symbols(prefix), self.predicates(prefix))
        } else {
            (self.predicates(prefix), self.symbols(prefix))
        };
        first.extend(second);
        first
    }

    fn words(words: &[&str], prefix: &str) -> Vec<Pair> {
        pairs(
            words
                .iter()
                .filter(|w| w.starts_with(prefix))
                .map(|w| (w.to_string(), w.to_string())),
        )
    }
}

impl Completer for LawHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if !trimmed.starts_with(':') {
            let start = word_start(line, pos);
            // Variables are the user's own; nothing to offer.
            if line[start..pos].starts_with(|c: char| c.is_ascii_uppercase()) {
                return Ok((pos, Vec::new()));
            }
            return Ok((start, self.terms(&line[..pos], start)));
        }
        let name_end = line[indent..]
            .find(char::is_whitespace)
            .map_or(line.len(), |i| indent + i);
        if pos <= name_end {
            let prefix = &line[indent + 1..pos];
            let candidates = pairs(
                COMMANDS
                    .iter()
                    .filter(|c| c.name.starts_with(prefix))
                    .map(|c| (commands::usage(c), format!("{} ", c.name))),
            );
            return Ok((indent + 1, candidates));
        }
        let Ok(spec) = commands::find(&line[indent + 1..name_end]) else {
            return Ok((pos, Vec::new()));
        };
        let start = word_start(line, pos);
        let prefix = &line[start..pos];
        let arg_index = line[name_end..pos]
            .split_whitespace()
            .count()
            .saturating_sub(usize::from(!line[..pos].ends_with(char::is_whitespace)));
        Ok(match spec.argument {
            Argument::Nothing | Argument::Date => (pos, Vec::new()),
            Argument::Path => return self.files.complete(line, pos, ctx),
            Argument::Word(words) => (start, Self::words(words, prefix)),
            Argument::Command => (
                start,
                pairs(
                    COMMANDS
                        .iter()
                        .filter(|c| c.name.starts_with(prefix))
                        .map(|c| (c.name.to_string(), c.name.to_string())),
                ),
            ),
            Argument::Predicate => (
                start,
                pairs(
                    self.vocabulary
                        .predicates
                        .keys()
                        .map(|(name, _)| name)
                        .filter(|name| name.starts_with(prefix))
                        .collect::<std::collections::BTreeSet<_>>()
                        .into_iter()
                        .map(|n| (n.clone(), n.clone())),
                ),
            ),
            Argument::Export if arg_index == 0 => (start, Self::words(EXPORT_FORMATS, prefix)),
            Argument::Export if arg_index == 1 => return self.files.complete(line, pos, ctx),
            Argument::Atom | Argument::Fact | Argument::Export => {
                (start, self.terms(&line[..pos], start))
            }
        })
    }
}

impl Hinter for LawHelper {
    type Hint = String;

    /// At the end of the line: the rest of a command and what it takes, or the argument names
    /// of a predicate being typed.
    fn hint(&self, line: &str, pos: usize, _ctx: &Context<'_>) -> Option<String> {
        if pos < line.len() || line.is_empty() || self.answering {
            return None;
        }
        let trimmed = line.trim_start();
        if let Some(word) = trimmed.strip_prefix(':') {
            if word.contains(char::is_whitespace) {
                return None;
            }
            let matching: Vec<_> = COMMANDS
                .iter()
                .filter(|c| c.name.starts_with(word))
                .collect();
            let [spec] = matching.as_slice() else {
                return None;
            };
            let rest = &spec.name[word.len()..];
            return match spec.synopsis {
                "" if rest.is_empty() => None,
                "" => Some(rest.to_string()),
                synopsis => Some(format!("{rest} {synopsis}")),
            };
        }
        // `lawf` → `ul(D)`; `lawful(` → `D)`.
        let start = word_start(line, pos);
        let (word, open) = match line[..pos].strip_suffix('(') {
            Some(before) => (&before[word_start(before, before.len())..], true),
            None => (&line[start..pos], false),
        };
        if word.len() < 2 || word.starts_with(|c: char| c.is_ascii_uppercase()) {
            return None;
        }
        let matching: Vec<_> = self
            .vocabulary
            .predicates
            .keys()
            .filter(|(name, _)| {
                if open {
                    name == word
                } else {
                    name.starts_with(word)
                }
            })
            .collect();
        let [(name, arity)] = matching.as_slice() else {
            return None;
        };
        let signature = self.vocabulary.signature(name, *arity);
        let typed = if open {
            format!("{word}(")
        } else {
            word.to_string()
        };
        signature
            .strip_prefix(&typed)
            .filter(|r| !r.is_empty())
            .map(str::to_string)
    }
}

/// ANSI styles for the kinds of token.
mod style {
    pub const COMMENT: &str = "\x1b[2m";
    pub const STRING: &str = "\x1b[32m";
    pub const NUMBER: &str = "\x1b[36m";
    pub const VARIABLE: &str = "\x1b[33m";
    pub const KEYWORD: &str = "\x1b[35m";
    pub const NEGATION: &str = "\x1b[31m";
    pub const COMMAND: &str = "\x1b[1;34m";
    pub const ATTRIBUTE: &str = "\x1b[34m";
    pub const HINT: &str = "\x1b[2m";
    pub const RESET: &str = "\x1b[0m";
}

const KEYWORDS: &[&str] = &[
    "default",
    "defeater",
    "not",
    "expect",
    "via",
    "undecided",
    "pred",
    "en",
    "repeal",
    "module",
    "case",
    "bill",
    "date",
    "effective",
    "count",
    "sum",
    "min",
    "max",
    "mod",
];

/// Colour a line of `.law` input. Unfinished strings and comments run to the end of the line.
pub fn colorize(line: &str) -> String {
    let mut out = String::with_capacity(line.len() * 2);
    let paint = |out: &mut String, style: &str, text: &str| {
        out.push_str(style);
        out.push_str(text);
        out.push_str(style::RESET);
    };
    if line.trim_start().starts_with(':') {
        let indent = line.len() - line.trim_start().len();
        let end = line[indent..]
            .find(char::is_whitespace)
            .map_or(line.len(), |i| indent + i);
        out.push_str(&line[..indent]);
        paint(&mut out, style::COMMAND, &line[indent..end]);
        out.push_str(&colorize(&line[end..]));
        return out;
    }
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        match c {
            b'%' => {
                paint(&mut out, style::COMMENT, &line[i..]);
                break;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = line[i + 2..]
                    .find("*/")
                    .map_or(line.len(), |e| i + 2 + e + 2);
                paint(&mut out, style::COMMENT, &line[i..end]);
                i = end;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(bytes.len());
                paint(&mut out, style::STRING, &line[start..i]);
            }
            b'@' => {
                i += 1;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                paint(&mut out, style::ATTRIBUTE, &line[start..i]);
            }
            b'~' => {
                i += 1;
                paint(&mut out, style::NEGATION, "~");
            }
            b'0'..=b'9' => {
                while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'-') {
                    i += 1;
                }
                paint(&mut out, style::NUMBER, &line[start..i]);
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                let word = &line[start..i];
                if c.is_ascii_uppercase() || c == b'_' {
                    paint(&mut out, style::VARIABLE, word);
                } else if KEYWORDS.contains(&word) && !line[i..].starts_with('(') {
                    paint(&mut out, style::KEYWORD, word);
                } else {
                    out.push_str(word);
                }
            }
            _ => {
                // Copy one whole character (input may hold any UTF-8).
                let len = line[i..].chars().next().map_or(1, char::len_utf8);
                out.push_str(&line[i..i + len]);
                i += len;
            }
        }
    }
    out
}

impl Highlighter for LawHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if self.color {
            Cow::Owned(
                line.split('\n')
                    .map(colorize)
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        } else {
            Cow::Borrowed(line)
        }
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Cow::Owned(format!("{}{hint}{}", style::HINT, style::RESET))
        } else {
            Cow::Borrowed(hint)
        }
    }

    fn highlight_char(&self, _line: &str, _pos: usize, _forced: bool) -> bool {
        self.color
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip(text: &str) -> String {
        let mut out = String::new();
        let mut in_escape = false;
        for c in text.chars() {
            match (in_escape, c) {
                (false, '\x1b') => in_escape = true,
                (true, 'm') => in_escape = false,
                (true, _) => {}
                (false, c) => out.push(c),
            }
        }
        out
    }

    #[test]
    fn an_argument_of_an_enumeration_offers_its_values() {
        let mut ws = grondslag::load::Workspace::new();
        ws.load_knowledge(&grondslag::load::KnowledgeBase::Bundled);
        ws.load_text("case.law", "org_type(huisarts_h, medical_provider).");
        let helper = LawHelper::new(Vocabulary::of(&ws), false);
        let offered = |line: &str| -> Vec<String> {
            let start = word_start(line, line.len());
            helper
                .terms(line, start)
                .into_iter()
                .map(|p| p.replacement)
                .collect()
        };
        // The second argument of `data` is a data kind; the first of `org_type` is not typed
        // by an enumeration, so the case's own names come first.
        assert_eq!(offered("data(d1, he"), ["health"]);
        assert!(!offered("data(d1, ").contains(&"huisarts_h".to_string()));
        assert!(offered("data(d1, ").contains(&"youth_care_file".to_string()));
        assert!(offered("purpose(d1, care_a").contains(&"care_and_safety".to_string()));
        assert!(offered("expect basis(d1, vital").contains(&"vital_interests".to_string()));
        assert!(offered("org_type(hu").contains(&"huisarts_h".to_string()));
        // Inside a nested argument list the innermost predicate counts.
        assert_eq!(argument_place("p(a, q(b, c), "), Some(("p", 2)));
        assert_eq!(argument_place("lawful(d1). data(d1, "), Some(("data", 1)));
        assert_eq!(argument_place("lawful(d1). "), None);
    }

    #[test]
    fn colouring_never_changes_the_text() {
        for line in [
            "lawful(D) :- discloses(D, \"Gemeente \\\"M\\\"\", _), not ~secret(D). % why",
            "@source(\"AVG art. 6\") r1: default p(2021-06-01, -3, X_1) /* c */ .",
            ":why lawful(d1)",
            "p(\"open",
            "q(é, ü) /* open",
        ] {
            assert_eq!(strip(&colorize(line)), line);
        }
        assert!(colorize("p(X)").contains(style::VARIABLE));
        assert!(colorize(":why p").starts_with(style::COMMAND));
    }
}
