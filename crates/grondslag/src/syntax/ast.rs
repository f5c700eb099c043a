//! The abstract syntax of `.law` files (docs/language.md). Every node carries the [`Span`] it was
//! parsed from, so that checks, evaluation and explanations can point back at the source.

use crate::source::{FileId, Span};
use crate::value::{Date, Value};

/// A name as written: a predicate, a variable, a rule label, a module name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Ident {
    /// The name.
    pub name: String,
    /// Where it is written.
    pub span: Span,
}

/// One parsed file.
#[derive(Clone, Debug, PartialEq)]
pub struct Module {
    /// The file it was parsed from.
    pub file: FileId,
    /// Its `module`, `case` or `bill` header, if it has one.
    pub header: Option<Header>,
    /// Its statements, in order.
    pub items: Vec<Item>,
}

impl Module {
    /// What the header says it is (a module when it has none).
    pub fn kind(&self) -> ModuleKind {
        self.header
            .as_ref()
            .map(|h| h.kind)
            .unwrap_or(ModuleKind::Module)
    }
}

/// What a file is.
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
    /// Module, case or bill.
    pub kind: ModuleKind,
    /// The name after the keyword.
    pub name: Ident,
    /// The title in quotes, if any.
    pub title: Option<String>,
    /// The case's `date` or the bill's `effective` date.
    pub date: Option<(Date, Span)>,
    /// The header statement.
    pub span: Span,
}

/// A statement of a file.
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
    /// Where the statement is written.
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
    /// `@open_norm(assessor: controller)` — on a `pred`: the declared literal is an open norm,
    /// a condition only a person can assess, presumed where a rule needs it (docs/defeasible.md).
    pub open_norm: Option<OpenNormMark>,
    /// `@scope(jurisdiction)` — on a `pred`: the predicate says to whom or where norms apply;
    /// a norm that fails on it does not apply to the case at all.
    pub scope: Option<(Scope, Span)>,
    /// `@actionable(party)` — on a `pred`: who can bring the condition about, so that an
    /// explanation can say what would make a conclusion hold.
    pub actionable: Option<(Actor, Span)>,
}

/// What a `@scope` predicate delimits: why a norm that fails on it does not apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Where: the law a party falls under.
    Jurisdiction,
    /// Who: the kind of actor.
    Actor,
}

impl Scope {
    /// The scope of a name (`jurisdiction`, `actor`).
    pub fn parse(name: &str) -> Option<Scope> {
        Some(match name {
            "jurisdiction" => Scope::Jurisdiction,
            "actor" => Scope::Actor,
            _ => return None,
        })
    }

    /// Its name.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Jurisdiction => "jurisdiction",
            Scope::Actor => "actor",
        }
    }
}

/// Who can bring a condition about (`@actionable`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Actor {
    /// A party to the case: the controller, the person concerned, a prosecutor, a supervisor
    /// (consent, an authorisation, a written decision).
    Party,
    /// Only a legislator (a task in law, a statutory provision).
    Legislator,
}

impl Actor {
    /// The actor of a name (`party`, `legislator`).
    pub fn parse(name: &str) -> Option<Actor> {
        Some(match name {
            "party" => Actor::Party,
            "legislator" => Actor::Legislator,
            _ => return None,
        })
    }

    /// Its name.
    pub fn as_str(self) -> &'static str {
        match self {
            Actor::Party => "party",
            Actor::Legislator => "legislator",
        }
    }
}

/// `@open_norm(assessor: controller, about: D)` on a `pred` declaration (`pred p(..)` or
/// `pred ~p(..)`: the literal declared is the one presumed).
#[derive(Clone, Debug, PartialEq)]
pub struct OpenNormMark {
    /// Who must assess it (`assessor:`), as written.
    pub assessor: Option<String>,
    /// The parameter naming what it is about (`about:`); the first parameter when absent.
    pub about: Option<Ident>,
    /// The attribute.
    pub span: Span,
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
    open_norm: None,
    scope: None,
    actionable: None,
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

/// `@valid(from: D, until: D)`: when a version of a norm is in force, both bounds inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Validity {
    /// The first day, if bounded.
    pub from: Option<Date>,
    /// The last day, if bounded.
    pub until: Option<Date>,
    /// The attribute.
    pub span: Span,
}

/// Why one norm beats another, shown on the "defeated by" edge of explanations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Principle {
    /// The special rule beats the general one.
    LexSpecialis,
    /// The higher norm beats the lower one.
    LexSuperior,
    /// The later norm beats the earlier one.
    LexPosterior,
    /// An exception beats its rule.
    Exception,
}

impl Principle {
    /// The principle of a name (`lex_specialis`, ...).
    pub fn parse(name: &str) -> Option<Principle> {
        Some(match name {
            "lex_specialis" => Principle::LexSpecialis,
            "lex_superior" => Principle::LexSuperior,
            "lex_posterior" => Principle::LexPosterior,
            "exception" => Principle::Exception,
            _ => return None,
        })
    }

    /// Its name in the language.
    pub fn as_str(self) -> &'static str {
        match self {
            Principle::LexSpecialis => "lex_specialis",
            Principle::LexSuperior => "lex_superior",
            Principle::LexPosterior => "lex_posterior",
            Principle::Exception => "exception",
        }
    }
}

/// How firmly a rule concludes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuleKind {
    /// `head :- body.` and facts: definite conclusions.
    Strict,
    /// `default head :- body.`: holds unless beaten.
    Defeasible,
    /// `defeater ~head :- body.`: can only block.
    Defeater,
}

/// A rule or fact: `label: kind head :- body.`
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// Its label, if it has one.
    pub label: Option<Ident>,
    /// Strict, default or defeater.
    pub kind: RuleKind,
    /// What it concludes.
    pub head: Literal,
    /// Its conditions (none for a fact).
    pub body: Vec<BodyItem>,
    /// Its attributes (`@source`, `@valid`, ...).
    pub attrs: Attrs,
    /// The whole statement.
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
    /// `~p` rather than `p`.
    pub negated: bool,
    /// The atom.
    pub atom: Atom,
    /// Where it is written.
    pub span: Span,
}

/// `pred(args)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Atom {
    /// The predicate.
    pub pred: Ident,
    /// The arguments.
    pub args: Vec<Term>,
    /// Where it is written.
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

/// An argument of an atom, or a side of a comparison.
#[derive(Clone, Debug, PartialEq)]
pub enum Term {
    /// A variable.
    Var(Ident),
    /// `_`: each occurrence is a fresh variable.
    Anonymous(Span),
    /// A constant: a number, a date, a symbol or a string.
    Const(Value, Span),
    /// Integer arithmetic `+ - * / mod`.
    Arith(Box<Term>, ArithOp, Box<Term>, Span),
    /// Unary minus on a non-literal, e.g. `-X`.
    Neg(Box<Term>, Span),
}

impl Term {
    /// Where it is written.
    pub fn span(&self) -> Span {
        match self {
            Term::Var(v) => v.span,
            Term::Anonymous(s) | Term::Const(_, s) | Term::Arith(_, _, _, s) | Term::Neg(_, s) => {
                *s
            }
        }
    }
}

/// An arithmetic operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ArithOp {
    /// `+`.
    Add,
    /// `-`.
    Sub,
    /// `*`.
    Mul,
    /// `/`, truncating toward zero.
    Div,
    /// `mod`, never negative.
    Mod,
}

impl ArithOp {
    /// As written.
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

/// A comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CmpOp {
    /// `=` (also binds an unbound side).
    Eq,
    /// `!=`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
}

impl CmpOp {
    /// As written.
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

/// A condition of a rule, query or aggregate.
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
    /// Where it is written.
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

/// An aggregate operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AggOp {
    /// How many distinct target tuples.
    Count,
    /// The sum of the first targets.
    Sum,
    /// The least first target.
    Min,
    /// The greatest first target.
    Max,
}

impl AggOp {
    /// As written.
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
    /// The variable its value binds.
    pub result: Ident,
    /// The operator.
    pub op: AggOp,
    /// What is counted, summed or compared.
    pub targets: Vec<Term>,
    /// Positive literals, negated literals and comparisons (no nested aggregates).
    pub body: Vec<BodyItem>,
    /// Where it is written.
    pub span: Span,
}

/// `r2 > r1.` — the rule labelled `stronger` beats the rule labelled `weaker`.
#[derive(Clone, Debug, PartialEq)]
pub struct Superiority {
    /// The label of the stronger rule.
    pub stronger: Ident,
    /// The label of the weaker rule.
    pub weaker: Ident,
    /// Its attributes (`@principle`, `@valid`).
    pub attrs: Attrs,
    /// The statement.
    pub span: Span,
}

/// `?- lawful(D).` — a conjunction to answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    /// The conditions asked.
    pub body: Vec<BodyItem>,
    /// The query.
    pub span: Span,
}

/// What an `expect` asks of its literal.
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
    /// What it asks.
    pub kind: ExpectKind,
    /// The literal (ground in practice).
    pub literal: Literal,
    /// `via LABEL`: the rule that must be on its reasoning.
    pub via: Option<Ident>,
    /// `assuming a, b`: the open norms the conclusion must rest on, exactly (empty: no
    /// `assuming`).
    pub assuming: Vec<Literal>,
    /// The statement.
    pub span: Span,
}

/// A language of templates and explanations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    /// Dutch.
    Nl,
    /// English.
    En,
    /// French (Belgian usage).
    Fr,
}

impl Lang {
    /// Every language, in the order templates are written: Dutch, English (`en`), French
    /// (`fr`).
    pub const ALL: [Lang; 3] = [Lang::Nl, Lang::En, Lang::Fr];

    /// Its code: `nl`, `en`, `fr` (also the HTML `lang` and the JSON `lang`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// The language of a code.
    pub fn parse(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// `pred lawful(D) "verstrekking {D} is rechtmatig" en "disclosure {D} is lawful" fr "le
/// traitement {D} est licite".`
/// `pred ~lawful(D) "..."` gives the template for the strong negation.
#[derive(Clone, Debug, PartialEq)]
pub struct PredDecl {
    /// It declares `~p` rather than `p`.
    pub negated: bool,
    /// The predicate.
    pub name: Ident,
    /// The names of its arguments (used by templates).
    pub params: Vec<Ident>,
    /// The type of each parameter (`O: organisation`), in the order of `params`; `None` where
    /// none is given (any value).
    pub param_types: Vec<Option<Ident>>,
    /// Dutch first; English after `en`; French after `fr`. Any may be missing.
    pub templates: Vec<(Lang, String, Span)>,
    /// Its attributes (`@input`, ...).
    pub attrs: Attrs,
    /// The declaration.
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
    /// How explanations name a value of the type that is not known (an open variable:
    /// "een regeling", "an instrument"), per language, as `pred` templates are given.
    pub templates: Vec<(Lang, String, Span)>,
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
    /// The label of the rule repealed.
    pub label: Ident,
    /// Its attributes.
    pub attrs: Attrs,
    /// The statement.
    pub span: Span,
}
