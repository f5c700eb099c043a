//! `type_mismatch`: a rule or query that asks for something no value can satisfy, whatever
//! the facts are.
//!
//! the language's value model (docs/language.md) has three kinds — numbers, dates, text (a symbol is text) — and no
//! declared column types: any value may stand in any argument position, `=` holds only
//! between equal values, and `<` only orders values of one kind. So a constant of another
//! kind in an argument position is not an error (that literal simply matches nothing, as in
//! Nemo or clingo); a mismatch is a condition that can never hold:
//! - arithmetic on a constant that is not a number (`X + "a"`);
//! - `=` or an ordering between two terms of known, different kinds (`2021-01-01 < 5`);
//! - a variable that one clause requires to be of two kinds: arithmetic and the result of
//!   `count`/`sum` require a number, `=` or an ordering against a term of known kind
//!   requires that kind (`D > 2021-01-01, D < 5`).
//!
//! `!=` between different kinds always holds, so it requires nothing.

use rustc_hash::FxHashMap;

use super::Check;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::{global_variables, AggOp, BodyItem, CmpOp, Item, Term};
use crate::value::Kind;

const HINT: &str = "a number, a date and a text never compare equal, and are not ordered against each other; dates are written YYYY-MM-DD and numbers without quotes (\"1\" is text)";

#[derive(Default)]
pub(super) struct Types {
    found: Vec<Diagnostic>,
}

impl<'a> Check<'a> for Types {
    fn visit(&mut self, item: &'a Item) {
        let out = &mut self.found;
        match item {
            Item::Rule(rule) => {
                let mut clause = Clause::new(&rule.head.atom.args, &rule.body);
                for arg in &rule.head.atom.args {
                    clause.term(arg, out);
                }
                clause.body(&rule.body, out);
            }
            Item::Query(query) => Clause::new(&[], &query.body).body(&query.body, out),
            _ => {}
        }
    }

    fn finish(self, out: &mut Vec<Diagnostic>) {
        out.extend(self.found);
    }
}

/// The kinds the conditions of one rule or query require of its variables.
struct Clause<'a> {
    required: FxHashMap<&'a str, Requirement>,
    /// Variables outside every aggregate (`ast::global_variables`). Only aggregates read them,
    /// so a clause without one leaves them out.
    globals: Vec<&'a str>,
}

impl<'a> Clause<'a> {
    fn new(head: &'a [Term], body: &'a [BodyItem]) -> Clause<'a> {
        let has_aggregate = body.iter().any(|i| matches!(i, BodyItem::Aggregate(_)));
        Clause {
            required: FxHashMap::default(),
            globals: if has_aggregate {
                global_variables(head, body)
            } else {
                Vec::new()
            },
        }
    }

    fn body(&mut self, items: &'a [BodyItem], out: &mut Vec<Diagnostic>) {
        for item in items {
            match item {
                BodyItem::Literal(l) | BodyItem::Not(l, _) => {
                    for arg in &l.atom.args {
                        self.term(arg, out);
                    }
                }
                BodyItem::Compare(a, op, b, span) => self.compare(a, *op, b, *span, out),
                BodyItem::Aggregate(agg) => {
                    // Variables only inside aggregates are local to each aggregate.
                    let outer = self.required.clone();
                    let globals = &self.globals;
                    self.required.retain(|name, _| globals.contains(name));
                    self.body(&agg.body, out);
                    for t in &agg.targets {
                        self.term(t, out);
                    }
                    if agg.op == AggOp::Sum {
                        if let Some(first) = agg.targets.first() {
                            self.numeric_operand(first, "`sum`", out);
                        }
                    }
                    let inside = std::mem::replace(&mut self.required, outer);
                    for (name, requirement) in inside {
                        if self.globals.contains(&name) {
                            self.required.entry(name).or_insert(requirement);
                        }
                    }
                    if matches!(agg.op, AggOp::Count | AggOp::Sum) {
                        let what = format!("the result of `{}`, a number", agg.op.as_str());
                        self.require(&agg.result.name, Kind::Int, agg.result.span, &what, out);
                    }
                }
            }
        }
    }

    /// A term in an argument position: only its arithmetic requires anything.
    fn term(&mut self, term: &'a Term, out: &mut Vec<Diagnostic>) {
        match term {
            Term::Arith(a, op, b, _) => {
                let what = format!("`{}`", op.as_str());
                for side in [a, b] {
                    self.numeric_operand(side, &what, out);
                    self.term(side, out);
                }
            }
            Term::Neg(a, _) => {
                self.numeric_operand(a, "`-`", out);
                self.term(a, out);
            }
            Term::Var(_) | Term::Anonymous(_) | Term::Const(..) => {}
        }
    }

    /// An operand of arithmetic (or of `sum`): a number.
    fn numeric_operand(&mut self, term: &'a Term, what: &str, out: &mut Vec<Diagnostic>) {
        match term {
            Term::Const(v, span) if v.kind() != Kind::Int => out.push(
                Diagnostic::new(
                    Code::TypeMismatch,
                    format!("{what} needs numbers, but this is {}", v.kind().describe()),
                )
                .at(*span)
                .hint(HINT),
            ),
            Term::Var(v) => {
                let why = format!("used in {what}, so a number");
                self.require(&v.name, Kind::Int, v.span, &why, out)
            }
            _ => {}
        }
    }

    fn compare(
        &mut self,
        a: &'a Term,
        op: CmpOp,
        b: &'a Term,
        span: Span,
        out: &mut Vec<Diagnostic>,
    ) {
        self.term(a, out);
        self.term(b, out);
        if op == CmpOp::Ne {
            return;
        }
        match (known_kind(a), known_kind(b)) {
            (Some(x), Some(y)) if x != y => out.push(
                Diagnostic::new(
                    Code::TypeMismatch,
                    format!(
                        "this comparison compares {} with {}, so it never holds",
                        x.describe(),
                        y.describe()
                    ),
                )
                .at(span)
                .hint(HINT),
            ),
            (None, Some(kind)) => self.compared(a, kind, op, out),
            (Some(kind), None) => self.compared(b, kind, op, out),
            _ => {}
        }
    }

    /// A variable compared with a term of known kind must be of that kind.
    fn compared(&mut self, var: &'a Term, kind: Kind, op: CmpOp, out: &mut Vec<Diagnostic>) {
        if let Term::Var(v) = var {
            let why = match op {
                CmpOp::Eq => format!("equal to {}", kind.describe()),
                _ => format!("compared with {}", kind.describe()),
            };
            self.require(&v.name, kind, v.span, &why, out);
        }
    }

    /// Record that `name` must be of `kind` (because of `why`, at `span`); a second, different
    /// requirement is a mismatch.
    fn require(
        &mut self,
        name: &'a str,
        kind: Kind,
        span: Span,
        why: &str,
        out: &mut Vec<Diagnostic>,
    ) {
        match self.required.get(name) {
            Some(first) if first.kind != kind => out.push(
                Diagnostic::new(
                    Code::TypeMismatch,
                    format!(
                        "`{name}` would have to be {} and {} at once, so these conditions never hold together",
                        kind.describe(),
                        first.kind.describe()
                    ),
                )
                .at_labelled(span, why)
                .also(first.span, first.why.clone())
                .hint(HINT),
            ),
            Some(_) => {}
            None => {
                self.required.insert(
                    name,
                    Requirement {
                        kind,
                        span,
                        why: why.to_string(),
                    },
                );
            }
        }
    }
}

/// What a clause requires of one variable, and the first place that requires it.
#[derive(Clone)]
struct Requirement {
    kind: Kind,
    span: Span,
    why: String,
}

/// The kind of a constant, or of arithmetic (always a number); `None` for a variable.
fn known_kind(t: &Term) -> Option<Kind> {
    match t {
        Term::Const(v, _) => Some(v.kind()),
        Term::Arith(..) | Term::Neg(..) => Some(Kind::Int),
        Term::Var(_) | Term::Anonymous(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::run_alone;
    use super::Types;
    use crate::diagnostic::{Code, Diagnostic};
    use crate::source::SourceMap;
    use crate::syntax::parse;

    fn mismatches(text: &str) -> Vec<Diagnostic> {
        let mut sources = SourceMap::new();
        let file = sources.add("t.law", text);
        let (module, syntax) = parse(&sources, file);
        assert!(syntax.is_empty(), "{syntax:?}");
        let out = run_alone(Types::default(), &[&module]);
        assert!(out.iter().all(|d| d.code == Code::TypeMismatch));
        out
    }

    #[test]
    fn constants_of_another_kind_in_an_argument_position_are_no_mismatch() {
        // Soufflé's minmax test: `equal` holds numbers, the query asks for the text "6"; the
        // literal matches nothing, which is not an error under the language's value model (docs/language.md).
        let program = "succ(0, 1). equal(0, 0, 1).\n\
            equal(M, N, R) :- succ(PM, M), succ(PN, N), equal(PM, PN, R).\n\
            eq(R) :- equal(\"6\", \"6\", R).\n\
            p(1). p(\"a\"). p(2021-01-01). q(X) :- p(X), X != \"a\".";
        assert!(mismatches(program).is_empty());
    }

    #[test]
    fn one_variable_asked_to_be_two_kinds_is_a_mismatch() {
        let found = mismatches("late(D) :- decision(D, T), T > 2021-01-01, T < 5.");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "`T` would have to be a number and a date at once, so these conditions never hold together"
        );
        assert_eq!(
            mismatches("p(N) :- N = count { X : q(X) }, N = \"many\".").len(),
            1
        );
        assert_eq!(
            mismatches("p(X) :- q(X), Y = X + 1, X < 2021-01-01.").len(),
            1
        );
        assert_eq!(mismatches("?- q(X), X = a, X < 3.").len(), 1);
    }

    #[test]
    fn impossible_comparisons_and_arithmetic_are_mismatches() {
        assert_eq!(mismatches("p(X) :- q(X), 2021-01-01 < 5.").len(), 1);
        assert_eq!(mismatches("p(Y) :- q(X), Y = X + \"a\".").len(), 1);
        assert_eq!(mismatches("p(X + 2021-01-01) :- q(X).").len(), 1);
        assert_eq!(mismatches("p(S) :- S = sum { a : q(_) }.").len(), 1);
        // `!=` between kinds always holds: no requirement, no mismatch.
        assert!(mismatches("p(X) :- q(X), X != 2021-01-01, X < 5.").is_empty());
        // Variables only inside aggregates are local to each of them.
        let two = "p(A, B) :- A = sum { X : q(X) }, B = count { X : r(X), X < 2021-01-01 }.";
        assert!(mismatches(two).is_empty());
        assert_eq!(
            mismatches("p(G, N) :- N = sum { V : g(G, V), G < 3 }, k(G), G > a.").len(),
            1
        );
    }
}
