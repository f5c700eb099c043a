//! The abstract syntax of `.law` files (SPEC §2). Every node carries the [`Span`] it was
//! parsed from, so that checks, evaluation and explanations can point back at the source.

use crate::source::{FileId, Span};
use crate::value::{Date, Value};

/// A name as written: a predicate, a variable, a rule label, a module name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// One parsed file.
#[derive(Clone, Debug, PartialEq)]
pub struct Module {
    pub file: FileId,
    pub header: Option<Header>,
    pub items: Vec<Item>,
}

impl Module {
    pub fn kind(&self) -> ModuleKind {
        self.header
            .as_ref()
            .map(|h| h.kind)
            .unwrap_or(ModuleKind::Module)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ModuleKind {
    /// `module name "Title".` — part of a knowledge base (also the default for a file
    /// without header).
    Module,
    /// `case name "Title" date 2021-06-01.` — the facts of one case, evaluated on its own.
    Case,
    /// `bill name "Title" effective 2027-01-01.` — a draft amendment.
    Bill,
}

/// `module name "Title".`, `case name "Title" date D.`, `bill name "Title" effective D.`
#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    pub kind: ModuleKind,
    pub name: Ident,
    pub title: Option<String>,
    /// The case's `date` or the bill's `effective` date.
    pub date: Option<(Date, Span)>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// Facts, strict rules, `default` rules and defeaters. A fact is a strict rule with an
    /// empty body.
    Rule(Rule),
    /// `r2 > r1.`
    Superiority(Superiority),
    /// `?- body.`
    Query(Query),
    /// `expect ...` (boxed: the largest item, and rare)
    Expect(Box<Expect>),
    /// `pred name(Arg, ...) "nl" en "en".`
    Pred(PredDecl),
    /// `type organisation.`, `type purpose = care | youth_care.`
    Type(TypeDecl),
    /// `repeal label.` (bills only)
    Repeal(Repeal),
}

impl Item {
    pub fn span(&self) -> Span {
        match self {
            Item::Rule(r) => r.span,
            Item::Superiority(s) => s.span,
            Item::Query(q) => q.span,
            Item::Expect(e) => e.span,
            Item::Pred(p) => p.span,
            Item::Type(t) => t.span,
            Item::Repeal(r) => r.span,
        }
    }
}

/// The documentation attributes that may precede a rule, a superiority pair or a `pred`.
/// Each value keeps the span of its attribute, for diagnostics.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Attributes {
    /// `@source("AVG art. 6 lid 1 sub e")`
    pub source: Option<(String, Span)>,
    /// `@valid(from: D, until: D)`, either bound optional.
    pub valid: Option<Validity>,
    /// `@note("...")`, possibly several.
    pub notes: Vec<(String, Span)>,
    /// `@principle(lex_specialis)` — on superiority pairs.
    pub principle: Option<(Principle, Span)>,
    /// `@input("edges.tsv")` — on a `pred`: load the predicate's facts from a TSV/CSV file,
    /// relative to the file that declares it.
    pub input: Option<(String, Span)>,
}

/// The attributes of an item, kept out of line: most rules have none, and a large knowledge
/// base or grounded theory has hundreds of thousands of rules. Reads like [`Attributes`]
/// (through `Deref`); an attribute-less item costs one null pointer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Attrs(Option<Box<Attributes>>);

/// What an item without attributes reads.
static NO_ATTRIBUTES: Attributes = Attributes {
    source: None,
    valid: None,
    notes: Vec::new(),
    principle: None,
    input: None,
};

impl From<Attributes> for Attrs {
    fn from(attributes: Attributes) -> Attrs {
        if attributes == NO_ATTRIBUTES {
            Attrs(None)
        } else {
            Attrs(Some(Box::new(attributes)))
        }
    }
}

impl std::ops::Deref for Attrs {
    type Target = Attributes;

    fn deref(&self) -> &Attributes {
        self.0.as_deref().unwrap_or(&NO_ATTRIBUTES)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Validity {
    pub from: Option<Date>,
    pub until: Option<Date>,
    pub span: Span,
}

impl Validity {
    /// In force on `date` (both bounds inclusive).
    pub fn covers(&self, date: Date) -> bool {
        self.from.is_none_or(|f| f <= date) && self.until.is_none_or(|u| date <= u)
    }
}

/// Why one norm beats another, shown on the "defeated by" edge of explanations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Principle {
    LexSpecialis,
    LexSuperior,
    LexPosterior,
    Exception,
}

impl Principle {
    pub fn parse(name: &str) -> Option<Principle> {
        Some(match name {
            "lex_specialis" => Principle::LexSpecialis,
            "lex_superior" => Principle::LexSuperior,
            "lex_posterior" => Principle::LexPosterior,
            "exception" => Principle::Exception,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Principle::LexSpecialis => "lex_specialis",
            Principle::LexSuperior => "lex_superior",
            Principle::LexPosterior => "lex_posterior",
            Principle::Exception => "exception",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuleKind {
    /// `head :- body.` and facts: definite conclusions.
    Strict,
    /// `default head :- body.`: holds unless beaten.
    Defeasible,
    /// `defeater ~head :- body.`: can only block.
    Defeater,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub label: Option<Ident>,
    pub kind: RuleKind,
    pub head: Literal,
    pub body: Vec<BodyItem>,
    pub attrs: Attrs,
    pub span: Span,
}

impl Rule {
    /// A strict rule without body: a fact (its head should be ground).
    pub fn is_fact(&self) -> bool {
        self.kind == RuleKind::Strict && self.body.is_empty()
    }
}

/// `p(t1, ..., tn)` or `~p(t1, ..., tn)` (strong negation).
#[derive(Clone, Debug, PartialEq)]
pub struct Literal {
    pub negated: bool,
    pub atom: Atom,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Atom {
    pub pred: Ident,
    pub args: Vec<Term>,
    pub span: Span,
}

impl Atom {
    /// The values of its arguments when all are constants (a ground atom).
    pub fn ground_args(&self) -> Option<Vec<Value>> {
        self.args
            .iter()
            .map(|t| match t {
                Term::Const(v, _) => Some(v.clone()),
                _ => None,
            })
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Term {
    Var(Ident),
    /// `_`: each occurrence is a fresh variable.
    Anonymous(Span),
    Const(Value, Span),
    /// Integer arithmetic `+ - * / mod`.
    Arith(Box<Term>, ArithOp, Box<Term>, Span),
    /// Unary minus on a non-literal, e.g. `-X`.
    Neg(Box<Term>, Span),
}

impl Term {
    pub fn span(&self) -> Span {
        match self {
            Term::Var(v) => v.span,
            Term::Anonymous(s) | Term::Const(_, s) | Term::Arith(_, _, _, s) | Term::Neg(_, s) => {
                *s
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

impl ArithOp {
    pub fn as_str(self) -> &'static str {
        match self {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
            ArithOp::Mul => "*",
            ArithOp::Div => "/",
            ArithOp::Mod => "mod",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum BodyItem {
    /// A positive literal `p(...)` or `~p(...)`.
    Literal(Literal),
    /// `not p(...)` / `not ~p(...)`: negation as failure. The span covers `not` too.
    Not(Literal, Span),
    /// `X < Y`, `N = M + 1`, ...
    Compare(Term, CmpOp, Term, Span),
    /// `N = count { X : p(X, Y) }`
    Aggregate(Aggregate),
}

impl BodyItem {
    pub fn span(&self) -> Span {
        match self {
            BodyItem::Literal(l) => l.span,
            BodyItem::Not(_, s) | BodyItem::Compare(_, _, _, s) => *s,
            BodyItem::Aggregate(a) => a.span,
        }
    }
}

impl Term {
    /// The names of the variables in this term.
    pub fn variable_names<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Term::Var(v) => out.push(&v.name),
            Term::Arith(a, _, b, _) => {
                a.variable_names(out);
                b.variable_names(out);
            }
            Term::Neg(a, _) => a.variable_names(out),
            Term::Anonymous(_) | Term::Const(..) => {}
        }
    }
}

/// The *global* variables of a clause (a rule's head arguments and body, or a query body): those
/// outside every aggregate's braces, and the aggregates' results. A variable that occurs only
/// inside aggregates is local to each of them, as in clingo: `A = count { X : q(X) }, B =
/// count { X : r(X) }` counts two different `X`s.
pub fn global_variables<'a>(head: &'a [Term], body: &'a [BodyItem]) -> Vec<&'a str> {
    let mut out = Vec::new();
    head.iter().for_each(|t| t.variable_names(&mut out));
    for item in body {
        match item {
            BodyItem::Literal(l) | BodyItem::Not(l, _) => {
                l.atom.args.iter().for_each(|t| t.variable_names(&mut out))
            }
            BodyItem::Compare(a, _, b, _) => {
                a.variable_names(&mut out);
                b.variable_names(&mut out);
            }
            BodyItem::Aggregate(agg) => out.push(&agg.result.name),
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AggOp {
    Count,
    Sum,
    Min,
    Max,
}

impl AggOp {
    pub fn as_str(self) -> &'static str {
        match self {
            AggOp::Count => "count",
            AggOp::Sum => "sum",
            AggOp::Min => "min",
            AggOp::Max => "max",
        }
    }
}

/// `Result = op { Targets : Body }`. `count` counts distinct target tuples; `sum`, `min`
/// and `max` take the first target over the distinct target tuples. Variables of the body
/// that also occur outside the aggregate group it; the others are local to it.
#[derive(Clone, Debug, PartialEq)]
pub struct Aggregate {
    pub result: Ident,
    pub op: AggOp,
    pub targets: Vec<Term>,
    /// Positive literals, negated literals and comparisons (no nested aggregates).
    pub body: Vec<BodyItem>,
    pub span: Span,
}

/// `r2 > r1.` — the rule labelled `stronger` beats the rule labelled `weaker`.
#[derive(Clone, Debug, PartialEq)]
pub struct Superiority {
    pub stronger: Ident,
    pub weaker: Ident,
    pub attrs: Attrs,
    pub span: Span,
}

/// `?- lawful(D).` — a conjunction to answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    pub body: Vec<BodyItem>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExpectKind {
    /// `expect p(..)` / `expect ~p(..)`: the literal is defeasibly provable (or definite).
    Holds,
    /// `expect not p(..)`: the literal is not defeasibly provable.
    NotProvable,
    /// `expect undecided p(..)`: neither the literal nor its complement is provable.
    Undecided,
}

/// `expect lawful(d1) via avg_6_1_e.`
#[derive(Clone, Debug, PartialEq)]
pub struct Expect {
    pub kind: ExpectKind,
    pub literal: Literal,
    pub via: Option<Ident>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    Nl,
    En,
}

/// `pred lawful(D) "verstrekking {D} is rechtmatig" en "disclosure {D} is lawful".`
/// `pred ~lawful(D) "..."` gives the template for the strong negation.
#[derive(Clone, Debug, PartialEq)]
pub struct PredDecl {
    pub negated: bool,
    pub name: Ident,
    pub params: Vec<Ident>,
    /// The type of each parameter (`O: organisation`), in the order of `params`; `None` where
    /// none is given (any value).
    pub param_types: Vec<Option<Ident>>,
    /// Dutch first; English after `en`. Either may be missing.
    pub templates: Vec<(Lang, String, Span)>,
    pub attrs: Attrs,
    pub span: Span,
}

/// `type organisation.` — a kind of entity, whose values are any names a case chooses;
/// `type purpose = care | youth_care.` — a closed enumeration;
/// `type data_kind += my_kind.` — more values for an enumeration declared elsewhere.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeDecl {
    /// The type's name.
    pub name: Ident,
    /// An entity kind, an enumeration, or more values for one.
    pub values: TypeValues,
    /// `@source`, `@note`.
    pub attrs: Attrs,
    /// The whole declaration.
    pub span: Span,
}

/// The values a `type` declaration gives.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeValues {
    /// An entity kind: any name (text) will do.
    Entity,
    /// `= a | b`: exactly these values.
    Enumeration(Vec<Ident>),
    /// `+= c | d`: these values too.
    Extension(Vec<Ident>),
}

/// The primitive types a `pred` parameter may have besides the declared ones.
pub const PRIMITIVE_TYPES: [&str; 3] = ["date", "integer", "text"];

/// `repeal label.`
#[derive(Clone, Debug, PartialEq)]
pub struct Repeal {
    pub label: Ident,
    pub attrs: Attrs,
    pub span: Span,
}
