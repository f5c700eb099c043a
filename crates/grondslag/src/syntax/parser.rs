//! pest grammar → AST. Each statement is parsed on its own (see `split`), so that every bad
//! statement gets its own diagnostic; pest's rule names never reach the user: `expected`
//! words them.

use pest::iterators::Pair;
use pest::Parser as _;
use pest_derive::Parser;

use super::ast::*;
use super::simple::simple_statement;
use super::split::{split, Unfinished};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, SourceMap, Span};
use crate::value::{Date, Value};

#[derive(Parser)]
#[grammar = "../../../grammar/grondslag.pest"]
struct LawParser;

/// Deeper nesting than this is refused before pest sees it, so that no input can exhaust the
/// stack.
const MAX_NESTING: usize = 128;

/// An arithmetic expression deeper than this many operations is refused: every later stage
/// (checks, lowering, evaluation) walks expressions recursively.
const MAX_EXPRESSION_DEPTH: usize = 256;

/// Parse one file. Syntax errors are collected (one per bad statement) and returned beside
/// the items that did parse.
pub fn parse(sources: &SourceMap, file: FileId) -> (Module, Vec<Diagnostic>) {
    let text = sources.get(file).text.as_str();
    let (chunks, unfinished) = split(text);
    let mut module = Module {
        file,
        header: None,
        // A statement is an item (but for a header or an error): growing by doubling would
        // copy a large file's items over and over and leave up to half the room unused.
        items: Vec::with_capacity(chunks.len()),
    };
    let mut diagnostics = Vec::new();
    for chunk in chunks {
        // Most statements of a large file are simple: straight into the items, without the
        // detour through `parse_chunk`'s result (an item is moved, not built in place).
        if let Some(item) = simple_statement(text, file, chunk.start, chunk.end) {
            module.items.push(item);
            continue;
        }
        match parse_chunk_with_pest(text, file, chunk.start, chunk.end) {
            Ok(Parsed::Header(header)) => {
                if module.header.is_some() || !module.items.is_empty() {
                    diagnostics.push(
                        Diagnostic::new(Code::Syntax, "a `module`, `case` or `bill` header must be the first statement of its file")
                            .at(header.span)
                            .hint("move it to the top, or split the file"),
                    );
                } else {
                    module.header = Some(header);
                }
            }
            Ok(Parsed::Item(item)) => module.items.push(item),
            Err(diagnostic) => diagnostics.push(*diagnostic),
        }
    }
    if let Some(unfinished) = unfinished {
        diagnostics.push(unfinished_diagnostic(text, file, unfinished));
    }
    (module, diagnostics)
}

/// The REPL's view of one input: complete statements, input that needs more lines, or an
/// error.
#[derive(Debug)]
pub enum StatementParse {
    /// Complete statements.
    Complete(Vec<Item>),
    /// The input needs more lines.
    Incomplete,
    /// Errors.
    Invalid(Vec<Diagnostic>),
}

/// Parse REPL input (statements, without a header). Input that lacks its final `.`, or has an
/// open string or comment, is `Incomplete`: the REPL asks for another line.
pub fn parse_statement(sources: &SourceMap, file: FileId) -> StatementParse {
    let text = sources.get(file).text.as_str();
    let (chunks, unfinished) = split(text);
    if unfinished.is_some() {
        return StatementParse::Incomplete;
    }
    let mut items = Vec::new();
    let mut diagnostics = Vec::new();
    for chunk in chunks {
        match parse_chunk(text, file, chunk.start, chunk.end) {
            Ok(Parsed::Item(item)) => items.push(item),
            Ok(Parsed::Header(header)) => diagnostics.push(
                Diagnostic::new(
                    Code::Syntax,
                    "a header belongs at the top of a file, not in the REPL",
                )
                .at(header.span),
            ),
            Err(diagnostic) => diagnostics.push(*diagnostic),
        }
    }
    if diagnostics.is_empty() {
        StatementParse::Complete(items)
    } else {
        StatementParse::Invalid(diagnostics)
    }
}

/// Parse a goal as given to `query -q` or `explain`: a body such as `lawful(D), not x(D)`,
/// with or without a leading `?-` and a final `.`.
pub fn parse_query(sources: &SourceMap, file: FileId) -> Result<Query, Vec<Diagnostic>> {
    let text = sources.get(file).text.as_str();
    if let Some(d) = nesting_error(text, file, 0) {
        return Err(vec![d]);
    }
    let b = Builder { file, offset: 0 };
    match LawParser::parse(Rule::query_input, text) {
        Ok(mut pairs) => {
            let input = pairs.next().expect("query_input");
            let span = b.span(&input);
            let body = input
                .into_inner()
                .find(|p| p.as_rule() == Rule::body)
                .expect("a query has a body");
            b.body(body)
                .map(|body| Query { body, span })
                .map_err(|d| vec![*d])
        }
        Err(err) => Err(vec![pest_error(err, file, 0, text)]),
    }
}

enum Parsed {
    Header(Header),
    Item(Item),
}

fn parse_chunk(
    text: &str,
    file: FileId,
    start: usize,
    end: usize,
) -> Result<Parsed, Box<Diagnostic>> {
    match simple_statement(text, file, start, end) {
        Some(item) => Ok(Parsed::Item(item)),
        None => parse_chunk_with_pest(text, file, start, end),
    }
}

/// A statement as the grammar alone reads it (the simple reader's tests compare against it).
#[cfg(test)]
pub(super) fn parse_with_pest(
    text: &str,
    file: FileId,
    start: usize,
    end: usize,
) -> Result<Item, ()> {
    match parse_chunk_with_pest(text, file, start, end) {
        Ok(Parsed::Item(item)) => Ok(item),
        _ => Err(()),
    }
}

fn parse_chunk_with_pest(
    text: &str,
    file: FileId,
    start: usize,
    end: usize,
) -> Result<Parsed, Box<Diagnostic>> {
    let chunk = &text[start..end];
    if let Some(d) = nesting_error(chunk, file, start) {
        return Err(Box::new(d));
    }
    let mut pairs = LawParser::parse(Rule::statement_input, chunk)
        .map_err(|err| pest_error(err, file, start, chunk))?;
    let input = pairs.next().expect("statement_input");
    let b = Builder {
        file,
        offset: start,
    };
    let mut attrs = Attributes::default();
    for pair in input.into_inner() {
        match pair.as_rule() {
            Rule::attribute => b.attribute(pair, &mut attrs)?,
            Rule::EOI => {}
            _ => return b.statement(pair, attrs),
        }
    }
    unreachable!("the grammar requires a statement")
}

/// Attributes that belong on one kind of statement only.
#[derive(Clone, Copy)]
enum Misplaced {
    Principle,
    Input,
    /// `@scope` and `@actionable`, which describe a predicate.
    Describes,
}

/// How many operations deep an expression is. Only called on terms the parser has built, so
/// the recursion is bounded by [`MAX_EXPRESSION_DEPTH`].
fn expression_depth(term: &Term) -> usize {
    match term {
        Term::Arith(a, _, b, _) => 1 + expression_depth(a).max(expression_depth(b)),
        Term::Neg(a, _) => 1 + expression_depth(a),
        Term::Var(_) | Term::Anonymous(_) | Term::Const(..) => 0,
    }
}

/// Refuse input nested deeper than [`MAX_NESTING`] brackets.
fn nesting_error(chunk: &str, file: FileId, offset: usize) -> Option<Diagnostic> {
    let mut depth = 0usize;
    // A run of unary minus signs nests as deeply as brackets do.
    let mut minus_run = 0usize;
    for (i, c) in chunk.char_indices() {
        match c {
            '-' => minus_run += 1,
            c if c.is_whitespace() => {}
            _ => minus_run = 0,
        }
        if minus_run > MAX_NESTING {
            return Some(
                Diagnostic::new(
                    Code::Syntax,
                    format!("more than {MAX_NESTING} minus signs in a row"),
                )
                .at(Span::new(file, offset + i, offset + i + 1)),
            );
        }
        match c {
            '(' | '{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(
                        Diagnostic::new(
                            Code::Syntax,
                            format!("brackets nested more than {MAX_NESTING} deep"),
                        )
                        .at(Span::new(file, offset + i, offset + i + 1))
                        .hint("split the expression into several rules"),
                    );
                }
            }
            ')' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn unfinished_diagnostic(text: &str, file: FileId, unfinished: Unfinished) -> Diagnostic {
    match unfinished {
        Unfinished::NoFinalDot(start) => {
            let end = text.trim_end().len().max(start);
            Diagnostic::new(Code::Syntax, "this statement does not end with `.`")
                .at_labelled(
                    Span::new(file, end.saturating_sub(1).max(start), end),
                    "expected `.` after this",
                )
                .hint("every fact, rule and query ends with a full stop")
        }
        Unfinished::OpenString(start) => {
            Diagnostic::new(Code::Syntax, "this string is never closed")
                .at(Span::new(file, start, start + 1))
                .hint("add the closing `\"`; write `\\\"` for a quote inside a string")
        }
        Unfinished::OpenComment(start) => {
            Diagnostic::new(Code::Syntax, "this comment is never closed")
                .at(Span::new(file, start, start + 2))
                .hint("close it with `*/`")
        }
    }
}

/// Turn a pest error into a diagnostic that names what was expected in words.
fn pest_error(
    err: pest::error::Error<Rule>,
    file: FileId,
    offset: usize,
    chunk: &str,
) -> Diagnostic {
    use pest::error::{ErrorVariant, InputLocation};
    let at = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let mut words: Vec<&str> = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            positives.iter().map(|r| describe(*r)).collect()
        }
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    words.sort();
    words.dedup();
    let found = chunk[at..].chars().next();
    let end = at + found.map_or(0, char::len_utf8);
    let found_text = match found {
        Some(c) if !c.is_whitespace() => format!("`{}`", token_at(&chunk[at..])),
        Some(_) | None => "the end of the statement".to_string(),
    };
    let message = if words.is_empty() {
        format!("unexpected {found_text}")
    } else {
        format!("expected {}, found {found_text}", join_or(&words))
    };
    let mut d = Diagnostic::new(Code::Syntax, message).at(Span::new(
        file,
        offset + at,
        offset + end.max(at),
    ));
    if let Some(hint) = hint_for(chunk, at) {
        d = d.hint(hint);
    }
    d
}

/// The token starting at the front of `rest`, for messages.
fn token_at(rest: &str) -> &str {
    let first = rest.chars().next().map_or(0, char::len_utf8);
    let word = rest
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
        .map_or(rest.len(), |(i, _)| i);
    &rest[..if word == 0 { first } else { word }]
}

fn hint_for(chunk: &str, at: usize) -> Option<&'static str> {
    let rest = &chunk[at..];
    if rest.starts_with(':') && !rest.starts_with(":-") {
        Some("a rule is written `head :- body.`; a label is followed by `:` and then the rule")
    } else if rest.starts_with('=') && chunk[..at].trim_end().ends_with(['<', '>', '!']) {
        None
    } else if rest.starts_with("<-") || rest.starts_with("=>") {
        Some("a rule is written `head :- body.`")
    } else if rest.starts_with('\'') {
        Some("strings use double quotes: \"...\"")
    } else if rest.starts_with('&') || rest.starts_with(';') {
        Some("separate the conditions of a body with `,`")
    } else {
        None
    }
}

fn join_or(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// What a grammar rule is, in the words of the language reference.
fn describe(expected: Rule) -> &'static str {
    match expected {
        Rule::statement_input | Rule::query_input | Rule::EOI => "the end of the statement",
        Rule::header | Rule::header_kind => "a header",
        Rule::header_date_kw => "`date` or `effective`",
        Rule::attribute => "an attribute such as `@source(\"...\")`",
        Rule::attribute_arg | Rule::attribute_key => "an attribute value",
        Rule::pred_decl | Rule::kw_pred => "a `pred` declaration",
        Rule::param => "an argument such as `O` or `O: organisation`",
        Rule::type_decl | Rule::kw_type => "a `type` declaration",
        Rule::type_name => "a type name",
        Rule::type_values_kw => "`=` or `+=`",
        Rule::type_value => "a value",
        Rule::nl_template | Rule::en_template | Rule::kw_en | Rule::fr_template | Rule::kw_fr => {
            "a template string"
        }
        Rule::repeal | Rule::kw_repeal => "`repeal`",
        Rule::expect | Rule::kw_expect => "`expect`",
        Rule::expect_kind | Rule::kw_undecided => "`not` or `undecided`",
        Rule::query => "a query",
        Rule::superiority => "a superiority pair `r2 > r1`",
        Rule::rule | Rule::label | Rule::rule_kind | Rule::kw_default | Rule::kw_defeater => {
            "a fact or rule"
        }
        Rule::body | Rule::agg_body => "a condition",
        Rule::naf_literal | Rule::kw_not => "`not`",
        Rule::comparison => "a comparison",
        Rule::cmp_op => "a comparison operator (`=`, `!=`, `<`, `<=`, `>`, `>=`)",
        Rule::aggregate | Rule::agg_op => "an aggregate (`count`, `sum`, `min`, `max`)",
        Rule::literal | Rule::atom | Rule::pred_name | Rule::lower_name => "a predicate",
        Rule::negation => "`~`",
        Rule::term | Rule::product | Rule::unary | Rule::minus => "a variable or a constant",
        Rule::add_op | Rule::mul_op | Rule::kw_mod => "an arithmetic operator",
        Rule::date => "a date",
        Rule::integer => "a number",
        Rule::string | Rule::string_inner => "a string",
        Rule::anonymous | Rule::variable => "a variable",
        Rule::symbol | Rule::lower_ident => "a name",
        Rule::name => "a name",
        Rule::kw_via => "`via`",
        Rule::WHITESPACE | Rule::COMMENT => "a space",
        Rule::dot => "`.` at the end of the statement",
        Rule::turnstile => "`:-`",
        Rule::comma => "`,`",
        Rule::close_paren => "`)`",
        _ => "a statement",
    }
}

/// Builds AST nodes from pest pairs; spans are shifted by the statement's offset in the file.
struct Builder {
    file: FileId,
    offset: usize,
}

type Built<T> = Result<T, Box<Diagnostic>>;

impl Builder {
    fn span(&self, pair: &Pair<Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.file, self.offset + s.start(), self.offset + s.end())
    }

    fn ident(&self, pair: &Pair<Rule>) -> Ident {
        Ident {
            name: pair.as_str().to_string(),
            span: self.span(pair),
        }
    }

    fn error(&self, pair: &Pair<Rule>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Code::Syntax, message).at(self.span(pair))
    }

    fn statement(&self, pair: Pair<Rule>, attrs: Attributes) -> Built<Parsed> {
        let span = self.span(&pair);
        let kind_of_statement = pair.as_rule();
        let mut inner = pair.into_inner();
        let item = match kind_of_statement {
            Rule::header => {
                self.no_attributes(&attrs, "a header")?;
                let kind = match inner.next().expect("kind").as_str() {
                    "module" => ModuleKind::Module,
                    "case" => ModuleKind::Case,
                    _ => ModuleKind::Bill,
                };
                let name = self.ident(&inner.next().expect("name"));
                let mut title = None;
                let mut date = None;
                for part in inner {
                    match part.as_rule() {
                        Rule::string => title = Some(self.string(&part)?),
                        Rule::header_date_kw => {
                            let expected = if kind == ModuleKind::Case {
                                "date"
                            } else {
                                "effective"
                            };
                            if part.as_str() != expected || kind == ModuleKind::Module {
                                return Err(self
                                    .error(&part, format!("a `{}` header does not take `{}`", kind_word(kind), part.as_str()))
                                    .hint("write `case name \"Title\" date D.` or `bill name \"Title\" effective D.`").into());
                            }
                        }
                        Rule::date => date = Some((self.date(&part)?, self.span(&part))),
                        _ => {}
                    }
                }
                if kind != ModuleKind::Module && date.is_none() {
                    let word = if kind == ModuleKind::Case {
                        "date"
                    } else {
                        "effective"
                    };
                    return Err(Diagnostic::new(
                        Code::Syntax,
                        format!("a `{}` header needs its `{word}` date", kind_word(kind)),
                    )
                    .at(span)
                    .hint(format!(
                        "e.g. `{} {} \"Title\" {word} 2021-06-01.`",
                        kind_word(kind),
                        name.name
                    ))
                    .into());
                }
                return Ok(Parsed::Header(Header {
                    kind,
                    name,
                    title,
                    date,
                    span,
                }));
            }
            Rule::pred_decl => {
                self.misplaced(&attrs, Misplaced::Principle, "a `pred` declaration")?;
                inner.next(); // `pred`
                let mut negated = false;
                let mut name = None;
                let mut params = Vec::new();
                let mut param_types = Vec::new();
                let mut templates = Vec::new();
                for part in inner {
                    match part.as_rule() {
                        Rule::negation => negated = true,
                        Rule::pred_name => name = Some(self.ident(&part)),
                        Rule::param => {
                            let mut param = part.into_inner();
                            params.push(self.ident(&param.next().expect("variable")));
                            param_types.push(param.next().map(|t| self.ident(&t)));
                        }
                        Rule::nl_template | Rule::en_template | Rule::fr_template => {
                            templates.push(self.template(part)?);
                        }
                        _ => {}
                    }
                }
                Item::Pred(PredDecl {
                    negated,
                    name: name.expect("pred name"),
                    params,
                    param_types,
                    templates,
                    attrs: attrs.into(),
                    span,
                })
            }
            Rule::type_decl => {
                self.misplaced(&attrs, Misplaced::Principle, "a `type` declaration")?;
                self.misplaced(&attrs, Misplaced::Input, "a `type` declaration")?;
                self.misplaced(&attrs, Misplaced::Describes, "a `type` declaration")?;
                inner.next(); // `type`
                let name = self.ident(&inner.next().expect("type name"));
                let mut templates = Vec::new();
                let mut next = inner.next();
                while let Some(part) = next.take_if(|p| {
                    matches!(
                        p.as_rule(),
                        Rule::nl_template | Rule::en_template | Rule::fr_template
                    )
                }) {
                    templates.push(self.template(part)?);
                    next = inner.next();
                }
                let values = match next {
                    None => TypeValues::Entity,
                    Some(kw) => {
                        let values = inner.map(|v| self.ident(&v)).collect();
                        if kw.as_str() == "+=" {
                            TypeValues::Extension(values)
                        } else {
                            TypeValues::Enumeration(values)
                        }
                    }
                };
                Item::Type(TypeDecl {
                    name,
                    values,
                    templates,
                    attrs: attrs.into(),
                    span,
                })
            }
            Rule::repeal => {
                inner.next();
                Item::Repeal(Repeal {
                    label: self.ident(&inner.next().expect("label")),
                    attrs: attrs.into(),
                    span,
                })
            }
            Rule::expect => {
                self.no_attributes(&attrs, "`expect`")?;
                inner.next();
                let mut kind = ExpectKind::Holds;
                let mut literal = None;
                let mut via = None;
                for part in inner {
                    match part.as_rule() {
                        Rule::expect_kind => {
                            kind = if part.as_str() == "not" {
                                ExpectKind::NotProvable
                            } else {
                                ExpectKind::Undecided
                            }
                        }
                        Rule::literal => literal = Some(self.literal(part)?),
                        Rule::name => via = Some(self.ident(&part)),
                        _ => {}
                    }
                }
                Item::Expect(Box::new(Expect {
                    kind,
                    literal: literal.expect("literal"),
                    via,
                    span,
                }))
            }
            Rule::query => {
                self.no_attributes(&attrs, "a query")?;
                let body = self.body(inner.next().expect("body"))?;
                Item::Query(Query { body, span })
            }
            Rule::superiority => {
                self.misplaced(&attrs, Misplaced::Input, "a superiority pair")?;
                self.misplaced(&attrs, Misplaced::Describes, "a superiority pair")?;
                let stronger = self.ident(&inner.next().expect("stronger"));
                let weaker = self.ident(&inner.next().expect("weaker"));
                Item::Superiority(Superiority {
                    stronger,
                    weaker,
                    attrs: attrs.into(),
                    span,
                })
            }
            Rule::rule => {
                self.misplaced(&attrs, Misplaced::Principle, "a rule")?;
                self.misplaced(&attrs, Misplaced::Input, "a rule")?;
                self.misplaced(&attrs, Misplaced::Describes, "a rule")?;
                let mut label = None;
                let mut kind = RuleKind::Strict;
                let mut head = None;
                let mut body = Vec::new();
                for part in inner {
                    match part.as_rule() {
                        Rule::label => {
                            label = Some(self.ident(&part.into_inner().next().expect("name")))
                        }
                        Rule::rule_kind => {
                            kind = if part.as_str() == "default" {
                                RuleKind::Defeasible
                            } else {
                                RuleKind::Defeater
                            }
                        }
                        Rule::literal => head = Some(self.literal(part)?),
                        Rule::body => body = self.body(part)?,
                        _ => {}
                    }
                }
                Item::Rule(crate::syntax::ast::Rule {
                    label,
                    kind,
                    head: head.expect("head"),
                    body,
                    attrs: attrs.into(),
                    span,
                })
            }
            other => unreachable!("not a statement: {other:?}"),
        };
        Ok(Parsed::Item(item))
    }

    /// `@principle` belongs on a superiority pair, `@input` on a `pred` declaration.
    /// A template of a `pred` or `type` declaration: Dutch, or after `en` or `fr`.
    fn template(&self, part: Pair<Rule>) -> Built<(Lang, String, Span)> {
        let (lang, nth) = match part.as_rule() {
            Rule::nl_template => (Lang::Nl, 0),
            Rule::en_template => (Lang::En, 1),
            _ => (Lang::Fr, 1),
        };
        let s = part.into_inner().nth(nth).expect("string");
        Ok((lang, self.string(&s)?, self.span(&s)))
    }

    fn misplaced(&self, attrs: &Attributes, which: Misplaced, what: &str) -> Built<()> {
        let (span, name, hint) = match which {
            Misplaced::Principle => (
                attrs.principle.map(|p| p.1),
                "@principle",
                "put it on the superiority pair: `@principle(lex_specialis) r2 > r1.`",
            ),
            Misplaced::Input => (
                attrs.input.as_ref().map(|i| i.1),
                "@input",
                "put it on a `pred` declaration: `@input(\"edges.tsv\") pred edge(From, To).`",
            ),
            Misplaced::Describes => match (attrs.scope, attrs.actionable) {
                (Some((_, span)), _) => (
                    Some(span),
                    "@scope",
                    "put it on a `pred` declaration: `@scope(jurisdiction) pred jurisdiction(O, J).`",
                ),
                (None, actionable) => (
                    actionable.map(|a| a.1),
                    "@actionable",
                    "put it on a `pred` declaration: `@actionable(party) pred consent(D).`",
                ),
            },
        };
        match span {
            Some(span) => Err(Diagnostic::new(
                Code::InvalidAttribute,
                format!("`{name}` has no meaning on {what}"),
            )
            .at(span)
            .hint(hint)
            .into()),
            None => Ok(()),
        }
    }

    fn no_attributes(&self, attrs: &Attributes, what: &str) -> Built<()> {
        let first = attrs
            .source
            .as_ref()
            .map(|s| s.1)
            .or(attrs.valid.map(|v| v.span))
            .or(attrs.notes.first().map(|n| n.1))
            .or(attrs.principle.map(|p| p.1))
            .or(attrs.input.as_ref().map(|i| i.1))
            .or(attrs.scope.map(|s| s.1))
            .or(attrs.actionable.map(|a| a.1));
        match first {
            Some(span) => Err(Diagnostic::new(
                Code::InvalidAttribute,
                format!("{what} takes no attributes"),
            )
            .at(span)
            .hint("attributes document rules, superiority pairs and `pred` declarations")
            .into()),
            None => Ok(()),
        }
    }

    fn attribute(&self, pair: Pair<Rule>, attrs: &mut Attributes) -> Built<()> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let name = inner.next().expect("name");
        let args: Vec<(Option<String>, Pair<Rule>)> = inner
            .map(|arg| {
                let mut parts = arg.into_inner();
                let first = parts.next().expect("value");
                match parts.next() {
                    Some(value) => (Some(first.as_str().to_string()), value),
                    None => (None, first),
                }
            })
            .collect();
        let one_string = |what: &str| -> Built<String> {
            match args.as_slice() {
                [(None, value)] if value.as_rule() == Rule::string => self.string(value),
                _ => Err(Diagnostic::new(
                    Code::InvalidAttribute,
                    format!("`@{}` takes one string", name.as_str()),
                )
                .at(span)
                .hint(format!("e.g. `@{}(\"{what}\")`", name.as_str()))
                .into()),
            }
        };
        match name.as_str() {
            "source" => attrs.source = Some((one_string("AVG art. 6 lid 1 sub e")?, span)),
            "note" => attrs.notes.push((one_string("...")?, span)),
            "input" => attrs.input = Some((one_string("edges.tsv")?, span)),
            "valid" => {
                let mut validity = Validity {
                    from: None,
                    until: None,
                    span,
                };
                for (key, value) in &args {
                    let date = if value.as_rule() == Rule::date {
                        self.date(value)?
                    } else {
                        return Err(self.error(value, "expected a date (YYYY-MM-DD)").into());
                    };
                    match key.as_deref() {
                        Some("from") => validity.from = Some(date),
                        Some("until") => validity.until = Some(date),
                        _ => {
                            return Err(Diagnostic::new(
                                Code::InvalidAttribute,
                                "`@valid` takes `from:` and `until:` dates",
                            )
                            .at(self.span(value))
                            .hint("e.g. `@valid(from: 2018-05-25, until: 2099-12-31)`")
                            .into())
                        }
                    }
                }
                if let (Some(from), Some(until)) = (validity.from, validity.until) {
                    if until < from {
                        return Err(Diagnostic::new(
                            Code::InvalidAttribute,
                            "this period ends before it begins",
                        )
                        .at(span)
                        .hint("`@valid(from: D1, until: D2)` needs D1 on or before D2")
                        .into());
                    }
                }
                attrs.valid = Some(validity);
            }
            "principle" => match args.as_slice() {
                [(None, value)] if Principle::parse(value.as_str()).is_some() => {
                    attrs.principle =
                        Some((Principle::parse(value.as_str()).expect("checked"), span));
                }
                _ => {
                    return Err(Diagnostic::new(
                        Code::InvalidAttribute,
                        "`@principle` names why one norm beats another",
                    )
                    .at(span)
                    .hint("one of lex_specialis, lex_superior, lex_posterior, exception")
                    .into())
                }
            },
            "scope" => match args.as_slice() {
                [(None, value)] if Scope::parse(value.as_str()).is_some() => {
                    attrs.scope = Some((Scope::parse(value.as_str()).expect("checked"), span));
                }
                _ => {
                    return Err(Diagnostic::new(
                        Code::InvalidAttribute,
                        "`@scope` says what a predicate delimits",
                    )
                    .at(span)
                    .hint("one of jurisdiction, actor")
                    .into())
                }
            },
            "actionable" => match args.as_slice() {
                [(None, value)] if Actor::parse(value.as_str()).is_some() => {
                    attrs.actionable = Some((Actor::parse(value.as_str()).expect("checked"), span));
                }
                _ => {
                    return Err(Diagnostic::new(
                        Code::InvalidAttribute,
                        "`@actionable` says who can bring a condition about",
                    )
                    .at(span)
                    .hint("one of party, legislator")
                    .into())
                }
            },
            other => return Err(Diagnostic::new(
                Code::InvalidAttribute,
                format!("unknown attribute `@{other}`"),
            )
            .at(span)
            .hint(
                "known attributes: @source, @valid, @note, @principle, @input, @scope, @actionable",
            )
            .into()),
        }
        Ok(())
    }

    fn body(&self, pair: Pair<Rule>) -> Built<Vec<BodyItem>> {
        pair.into_inner()
            .filter(|item| item.as_rule() != Rule::comma)
            .map(|item| self.body_item(item))
            .collect()
    }

    fn body_item(&self, pair: Pair<Rule>) -> Built<BodyItem> {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::literal => Ok(BodyItem::Literal(self.literal(pair)?)),
            Rule::naf_literal => {
                let literal = pair.into_inner().nth(1).expect("literal");
                Ok(BodyItem::Not(self.literal(literal)?, span))
            }
            Rule::comparison => {
                let mut inner = pair.into_inner();
                let left = self.term(inner.next().expect("left"))?;
                let op = match inner.next().expect("op").as_str() {
                    "=" => CmpOp::Eq,
                    "!=" => CmpOp::Ne,
                    "<" => CmpOp::Lt,
                    "<=" => CmpOp::Le,
                    ">" => CmpOp::Gt,
                    _ => CmpOp::Ge,
                };
                let right = self.term(inner.next().expect("right"))?;
                Ok(BodyItem::Compare(left, op, right, span))
            }
            Rule::aggregate => {
                let mut inner = pair.into_inner();
                let result = self.ident(&inner.next().expect("result"));
                let op = match inner.next().expect("op").as_str() {
                    "count" => AggOp::Count,
                    "sum" => AggOp::Sum,
                    "min" => AggOp::Min,
                    _ => AggOp::Max,
                };
                let mut targets = Vec::new();
                let mut body = Vec::new();
                for part in inner {
                    match part.as_rule() {
                        Rule::term => targets.push(self.term(part)?),
                        Rule::agg_body => body = self.body(part)?,
                        _ => {}
                    }
                }
                Ok(BodyItem::Aggregate(Aggregate {
                    result,
                    op,
                    targets,
                    body,
                    span,
                }))
            }
            other => unreachable!("not a body item: {other:?}"),
        }
    }

    fn literal(&self, pair: Pair<Rule>) -> Built<Literal> {
        let span = self.span(&pair);
        let mut negated = false;
        let mut atom = None;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::negation => negated = true,
                Rule::atom => atom = Some(self.atom(part)?),
                _ => {}
            }
        }
        Ok(Literal {
            negated,
            atom: atom.expect("atom"),
            span,
        })
    }

    fn atom(&self, pair: Pair<Rule>) -> Built<Atom> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let pred = self.ident(&inner.next().expect("name"));
        let args = inner
            .filter(|t| t.as_rule() == Rule::term)
            .map(|t| self.term(t))
            .collect::<Built<Vec<_>>>()?;
        Ok(Atom { pred, args, span })
    }

    fn term(&self, pair: Pair<Rule>) -> Built<Term> {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::term | Rule::product => {
                let whole = pair.clone();
                let mut inner = pair.into_inner();
                let mut left = self.term(inner.next().expect("operand"))?;
                let mut depth = expression_depth(&left);
                while let Some(op) = inner.next() {
                    let right = self.term(inner.next().expect("operand"))?;
                    depth = depth.max(expression_depth(&right)) + 1;
                    if depth > MAX_EXPRESSION_DEPTH {
                        return Err(self
                            .error(
                                &whole,
                                format!(
                                    "this calculation has more than {MAX_EXPRESSION_DEPTH} steps"
                                ),
                            )
                            .hint("split it over several rules")
                            .into());
                    }
                    let op = match op.as_str() {
                        "+" => ArithOp::Add,
                        "-" => ArithOp::Sub,
                        "*" => ArithOp::Mul,
                        "/" => ArithOp::Div,
                        _ => ArithOp::Mod,
                    };
                    let s = left.span().to(right.span());
                    left = Term::Arith(Box::new(left), op, Box::new(right), s);
                }
                Ok(left)
            }
            Rule::unary => {
                let mut inner = pair.into_inner();
                let first = inner.next().expect("operand");
                if first.as_rule() != Rule::minus {
                    return self.term(first);
                }
                let operand = inner.next().expect("operand");
                // `-5` is the integer minus five, not an operation on five.
                if let Some(digits) = integer_inside(&operand) {
                    return match format!("-{digits}").parse::<i64>() {
                        Ok(n) => Ok(Term::Const(Value::Int(n), span)),
                        Err(_) => Err(self
                            .error(&operand, "this number does not fit in 64 bits")
                            .into()),
                    };
                }
                let operand = self.term(operand)?;
                if expression_depth(&operand) >= MAX_EXPRESSION_DEPTH {
                    return Err(Diagnostic::new(
                        Code::Syntax,
                        format!("this calculation has more than {MAX_EXPRESSION_DEPTH} steps"),
                    )
                    .at(span)
                    .hint("split it over several rules")
                    .into());
                }
                Ok(Term::Neg(Box::new(operand), span))
            }
            Rule::integer => pair
                .as_str()
                .parse::<i64>()
                .map(|n| Term::Const(Value::Int(n), span))
                .map_err(|_| {
                    self.error(&pair, "this number does not fit in 64 bits")
                        .into()
                }),
            Rule::date => Ok(Term::Const(Value::Date(self.date(&pair)?), span)),
            Rule::string => Ok(Term::Const(Value::text(&self.string(&pair)?), span)),
            Rule::symbol => Ok(Term::Const(Value::text(pair.as_str()), span)),
            Rule::anonymous => Ok(Term::Anonymous(span)),
            Rule::variable => Ok(Term::Var(self.ident(&pair))),
            other => unreachable!("not a term: {other:?}"),
        }
    }

    fn date(&self, pair: &Pair<Rule>) -> Built<Date> {
        Date::parse(pair.as_str()).ok_or_else(|| {
            self.error(
                pair,
                format!("`{}` is not a date in the calendar", pair.as_str()),
            )
            .hint("dates are written YYYY-MM-DD")
            .into()
        })
    }

    /// The text of a string literal, escapes resolved.
    fn string(&self, pair: &Pair<Rule>) -> Built<String> {
        let raw = pair.as_str();
        let inner = &raw[1..raw.len() - 1];
        let mut out = String::with_capacity(inner.len());
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('"') => out.push('"'),
                Some('\\') => out.push('\\'),
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                other => {
                    return Err(self
                        .error(
                            pair,
                            format!(
                                "unknown escape `\\{}` in a string",
                                other.map(String::from).unwrap_or_default()
                            ),
                        )
                        .hint("strings know the escapes \\\" \\\\ \\n \\t")
                        .into())
                }
            }
        }
        Ok(out)
    }
}

/// The digits of an operand that is a bare integer (possibly through `unary`).
fn integer_inside<'a>(pair: &Pair<'a, Rule>) -> Option<&'a str> {
    let mut inner = pair.clone().into_inner();
    let only = inner.next()?;
    if inner.next().is_some() {
        return None;
    }
    (only.as_rule() == Rule::integer).then(|| only.as_str())
}

fn kind_word(kind: ModuleKind) -> &'static str {
    match kind {
        ModuleKind::Module => "module",
        ModuleKind::Case => "case",
        ModuleKind::Bill => "bill",
    }
}
