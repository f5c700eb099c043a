//! A direct reader for the plainest statements, which make up most of a large generated file:
//! facts and rules whose terms are names, numbers and variables, with `not` and `~`, an
//! optional label and `default`/`defeater`, and superiority pairs `a > b`.
//!
//! pest costs several microseconds per statement, most of it spent trying alternatives that
//! fail; this reader takes one pass over the bytes. It builds exactly the AST the grammar
//! would (same nodes, same spans) and gives up — `None` — at anything else: attributes,
//! comments, strings, dates, negative numbers, arithmetic, comparisons, aggregates, keywords
//! that start other statements, and every error. The parser then takes the statement through
//! pest, so diagnostics come from one place. The tests check the agreement with the grammar.

use smallvec::SmallVec;

use super::ast::{Atom, Attrs, BodyItem, Ident, Item, Literal, Rule, RuleKind, Superiority, Term};
use crate::source::{FileId, Span};
use crate::value::Value;

/// The statement in `text[start..end]` (ending with its `.`), when it is simple enough.
pub(super) fn simple_statement(text: &str, file: FileId, start: usize, end: usize) -> Option<Item> {
    let mut r = Reader {
        bytes: &text.as_bytes()[..end],
        text,
        pos: start,
        file,
    };
    r.statement()
}

struct Reader<'a> {
    /// The file's bytes up to the end of the statement.
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    file: FileId,
}

fn ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Skip what the grammar's `WHITESPACE` skips. Comments are not simple.
    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\r' | b'\n') = self.peek() {
            self.pos += 1;
        }
    }

    /// Whether only the final `.` remains, after space. Asked before an item is built: an item
    /// is large, and one built and then dropped (or moved once more) costs.
    fn finished(&mut self) -> bool {
        self.skip_space();
        self.pos + 1 == self.bytes.len() && self.bytes[self.pos] == b'.'
    }

    fn span(&self, start: usize) -> Span {
        Span::new(self.file, start, self.pos)
    }

    /// `[A-Za-z_][A-Za-z0-9_]*` (the grammar's `name` and `pred_name`), without moving when
    /// there is none.
    fn name(&mut self) -> Option<Ident> {
        let start = self.pos;
        self.skip_name().then(|| self.ident(start, self.pos))
    }

    /// Pass over a name, if one is next.
    fn skip_name(&mut self) -> bool {
        match self.peek() {
            Some(b) if b.is_ascii_alphabetic() || b == b'_' => self.pos += 1,
            _ => return false,
        }
        while self.peek().is_some_and(ident_char) {
            self.pos += 1;
        }
        true
    }

    /// The name at `start..end`.
    fn ident(&self, start: usize, end: usize) -> Ident {
        Ident {
            name: self.text[start..end].to_string(),
            span: Span::new(self.file, start, end),
        }
    }

    /// Whether `word` is next as a keyword (not followed by a name character or `(`).
    fn keyword(&self, word: &str) -> bool {
        let rest = &self.bytes[self.pos..];
        rest.starts_with(word.as_bytes())
            && rest
                .get(word.len())
                .is_none_or(|&b| !ident_char(b) && b != b'(')
    }

    fn statement(&mut self) -> Option<Item> {
        self.skip_space();
        let start = self.pos;
        // The first name is only read as an identifier once it turns out to be a label or a
        // stronger rule: in a fact or an unlabelled rule, the head reads it again.
        if !self.skip_name() {
            return self.rule(start, None);
        }
        let first_end = self.pos;
        self.skip_space();
        match self.peek() {
            Some(b'>') => {
                self.pos += 1;
                self.skip_space();
                let weaker = self.name()?;
                let span = self.span(start);
                if !self.finished() {
                    return None;
                }
                return Some(Item::Superiority(Superiority {
                    stronger: self.ident(start, first_end),
                    weaker,
                    attrs: Attrs::default(),
                    span,
                }));
            }
            // A label is a name and `:` that does not begin `:-`.
            Some(b':') => {
                self.pos += 1;
                self.skip_space();
                if self.peek() == Some(b'-') {
                    self.pos = start;
                    return self.rule(start, None);
                }
                return self.rule(start, Some(self.ident(start, first_end)));
            }
            _ => {}
        }
        self.pos = start;
        self.rule(start, None)
    }

    fn rule(&mut self, start: usize, label: Option<Ident>) -> Option<Item> {
        let mut kind = RuleKind::Strict;
        if self.keyword("default") {
            kind = RuleKind::Defeasible;
            self.pos += "default".len();
            self.skip_space();
        } else if self.keyword("defeater") {
            kind = RuleKind::Defeater;
            self.pos += "defeater".len();
            self.skip_space();
        }
        let head = self.literal()?;
        let mut end = self.pos;
        self.skip_space();
        let mut body = Gathered::new();
        if self.bytes[self.pos..].starts_with(b":-") {
            self.pos += 2;
            loop {
                self.skip_space();
                body.push(self.body_item()?);
                end = self.pos;
                self.skip_space();
                if self.peek() != Some(b',') {
                    break;
                }
                self.pos += 1;
            }
        }
        // The rule ends with its last part, before the space in front of the `.`.
        let span = Span::new(self.file, start, end);
        if !self.finished() {
            return None;
        }
        Some(Item::Rule(Rule {
            label,
            kind,
            head,
            body: exact(body),
            attrs: Attrs::default(),
            span,
        }))
    }

    fn body_item(&mut self) -> Option<BodyItem> {
        let start = self.pos;
        if self.keyword("not") {
            self.pos += "not".len();
            self.skip_space();
            let literal = self.literal()?;
            return Some(BodyItem::Not(literal, self.span(start)));
        }
        self.literal().map(BodyItem::Literal)
    }

    fn literal(&mut self) -> Option<Literal> {
        let start = self.pos;
        let negated = self.peek() == Some(b'~');
        if negated {
            self.pos += 1;
            self.skip_space();
        }
        let atom = self.atom()?;
        Some(Literal {
            negated,
            atom,
            span: self.span(start),
        })
    }

    fn atom(&mut self) -> Option<Atom> {
        let start = self.pos;
        let pred = self.name()?;
        let after_name = self.pos;
        self.skip_space();
        if self.peek() != Some(b'(') {
            // Without arguments the name must be lower case (`lower_name`).
            self.pos = after_name;
            return pred
                .name
                .as_bytes()
                .first()
                .is_some_and(u8::is_ascii_lowercase)
                .then(|| Atom {
                    pred,
                    args: Vec::new(),
                    span: self.span(start),
                });
        }
        self.pos += 1;
        let mut args = Gathered::new();
        self.skip_space();
        if self.peek() != Some(b')') {
            loop {
                args.push(self.term()?);
                self.skip_space();
                match self.peek() {
                    Some(b',') => {
                        self.pos += 1;
                        self.skip_space();
                    }
                    Some(b')') => break,
                    _ => return None,
                }
            }
        }
        self.pos += 1;
        Some(Atom {
            pred,
            args: exact(args),
            span: self.span(start),
        })
    }

    /// A name, a variable, `_` or a non-negative integer: what the grammar's `term` makes of
    /// it when no operator follows (the caller requires `,` or `)` next).
    fn term(&mut self) -> Option<Term> {
        let start = self.pos;
        let first = self.peek()?;
        if first.is_ascii_digit() {
            while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                self.pos += 1;
            }
            // `12ab` is no number; a `-` may make a date or a subtraction: not simple.
            if self.peek().is_some_and(|b| ident_char(b) || b == b'-') {
                return None;
            }
            let n: i64 = self.text[start..self.pos].parse().ok()?;
            return Some(Term::Const(Value::Int(n), self.span(start)));
        }
        let ident = self.name()?;
        if ident.name == "_" {
            Some(Term::Anonymous(ident.span))
        } else if first.is_ascii_uppercase() || first == b'_' {
            Some(Term::Var(ident))
        } else if first.is_ascii_lowercase() {
            Some(Term::Const(Value::text(&ident.name), ident.span))
        } else {
            None
        }
    }
}

/// A rule body or an argument list while it is read: on the stack, as most have one element.
type Gathered<T> = SmallVec<[T; 4]>;

/// The list in a `Vec` of exactly its length. (Pushing onto a `Vec` reserves room for four,
/// which over a large file is most of the AST's memory.)
fn exact<T>(items: Gathered<T>) -> Vec<T> {
    let mut out = Vec::with_capacity(items.len());
    out.extend(items);
    out
}

#[cfg(test)]
mod tests {
    use super::simple_statement;
    use crate::source::SourceMap;
    use crate::syntax::split::split;

    /// Every statement the simple reader accepts comes out as pest's parser makes it.
    fn agrees(text: &str) -> usize {
        let mut sources = SourceMap::new();
        let file = sources.add("t.law", text);
        let (chunks, _) = split(text);
        let mut accepted = 0;
        for chunk in chunks {
            if let Some(item) = simple_statement(text, file, chunk.start, chunk.end) {
                let by_pest =
                    super::super::parser::parse_with_pest(text, file, chunk.start, chunk.end);
                assert_eq!(
                    by_pest.as_ref().ok(),
                    Some(&item),
                    "{:?}",
                    &text[chunk.start..chunk.end]
                );
                accepted += 1;
            }
        }
        accepted
    }

    #[test]
    fn plain_statements_are_read_as_the_grammar_reads_them() {
        let text = "p(0).\n  s1: default p(1) :- p(0).\na_1 :   defeater ~ p (1 , X,_, _Y, abc) :- not q(X), ~r, not ~ s( ).\n\
                    s1 > a1. s1>a1 . p :- q. default: p. x : p :- q. _p(1). P(x) :- q(x).\n\
                    case(1). pred(1). expect(1). not(1). nothing(X) :- notx(X), not(X). default(1). p(007).\n\
                    type(1). type. types(x) :- type(x).\n";
        assert_eq!(agrees(text), 20);
    }

    #[test]
    fn anything_else_is_left_to_the_grammar() {
        let text = "p(-1). p(1+2). p(2021-01-01). p(\"a\"). @source(\"x\") p(1). p(1) % c\n. \
                    p :- X = 1. p :- a = b. default. p(X) :- q(X), X > 1. module m. pred p(X). \
                    expect p(1). repeal r. ?- p(X). s1 > a1 > b1. p :- . p(12a). p(99999999999999999999). \
                    p :- not. p :- q r. s1 :- - p. p(x) :- q(x) =. P :- q. \
                    type organisation. type purpose = care | youth_care. type data_kind += my_kind. \
                    pred p(X: organisation, Y).";
        assert_eq!(agrees(text), 0);
    }

    #[test]
    fn agreement_over_the_knowledge_base_and_the_test_files() {
        fn law_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    law_files(&path, out);
                } else if path.extension().is_some_and(|e| e == "law") {
                    out.push(path);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut files = Vec::new();
        law_files(&root.join("knowledge"), &mut files);
        law_files(&root.join("tests"), &mut files);
        law_files(&root.join("examples"), &mut files);
        assert!(!files.is_empty());
        let accepted: usize = files
            .iter()
            .map(|f| agrees(&std::fs::read_to_string(f).expect("readable")))
            .sum();
        assert!(accepted > 0);
    }

    #[test]
    fn agreement_over_generated_statements() {
        // Statements glued from fragments: whatever the reader accepts, pest must agree.
        let heads = [
            "p(1)", "~p(X)", "q", "r(a, _)", "P(1)", "not", "default", "case", "type", "type t",
        ];
        let labels = ["", "s1: ", "s1 : ", "x :- ", "default: "];
        let kinds = ["", "default ", "defeater ", "default(", "not "];
        let bodies = [
            "",
            " :- q(X)",
            " :- not p(X), ~q",
            " :- not(X)",
            " :- q(X) = 1",
            " :- X",
        ];
        let mut text = String::new();
        for h in heads {
            for l in labels {
                for k in kinds {
                    for b in bodies {
                        text.push_str(&format!("{l}{k}{h}{b}.\n"));
                    }
                }
            }
        }
        assert!(agrees(&text) > 100);
    }
}
