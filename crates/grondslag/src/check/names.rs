//! `undefined_predicate` (read by a rule but never concluded, declared or loaded: with did-you-mean) and
//! `negation_local_variable` (a variable that only occurs inside one `not`: existential, as in
//! Nemo — possibly a typo).

use rustc_hash::{FxHashMap, FxHashSet};

use super::{Check, Place};
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::{BodyItem, Item, Rule, Term};

#[derive(Default)]
pub(super) struct Names<'a> {
    /// The predicates some rule concludes or a `pred` declares.
    defined: FxHashSet<&'a str>,
    /// The names to suggest instead of an undefined one; gathered at the first warning.
    known: Option<Vec<&'a str>>,
    /// The undefined predicates reported (once each).
    warned: FxHashSet<&'a str>,
    found: Vec<Diagnostic>,
}

impl<'a> Check<'a> for Names<'a> {
    fn declare(&mut self, item: &'a Item) {
        match item {
            Item::Rule(r) => {
                self.defined.insert(r.head.atom.pred.name.as_str());
                negation_local_variables(r, &mut self.found);
            }
            Item::Pred(p) => {
                self.defined.insert(p.name.name.as_str());
            }
            _ => {}
        }
    }

    fn visit(&mut self, item: &'a Item) {
        super::for_each_literal(item, |literal, place| {
            let name = literal.atom.pred.name.as_str();
            // Facts, queries and expectations are `unknown_predicate`'s (check/known.rs).
            if place != Place::Body || self.defined.contains(name) || !self.warned.insert(name) {
                return;
            }
            let defined = &self.defined;
            let known = self
                .known
                .get_or_insert_with(|| defined.iter().copied().collect());
            let mut d = Diagnostic::new(
                Code::UndefinedPredicate,
                format!("`{name}` is used but never defined: no fact, rule or `pred` declaration concludes it"),
            )
            .at(literal.atom.pred.span);
            d = match nearest(name, known) {
                Some(near) => d.hint(format!("did you mean `{near}`?")),
                None => d.hint(format!(
                    "add facts for `{name}`, or declare it with `pred` if cases supply it"
                )),
            };
            self.found.push(d);
        });
    }

    fn finish(self, out: &mut Vec<Diagnostic>) {
        out.extend(self.found);
    }
}

/// `negation_local_variable` in one rule.
fn negation_local_variables(r: &Rule, out: &mut Vec<Diagnostic>) {
    // Only rules with a `not` can have a variable local to one.
    if !r.body.iter().any(|i| matches!(i, BodyItem::Not(..))) {
        return;
    }
    let mut counts: FxHashMap<&str, usize> = FxHashMap::default();
    r.head
        .atom
        .args
        .iter()
        .for_each(|t| term_vars(t, &mut counts));
    for item in &r.body {
        body_vars(item, &mut counts);
    }
    for item in &r.body {
        let BodyItem::Not(l, _) = item else { continue };
        let mut mine: FxHashMap<&str, usize> = FxHashMap::default();
        l.atom.args.iter().for_each(|t| term_vars(t, &mut mine));
        for arg in &l.atom.args {
            let Term::Var(v) = arg else { continue };
            if counts.get(v.name.as_str()) == mine.get(v.name.as_str()) {
                out.push(
                    Diagnostic::new(
                        Code::NegationLocalVariable,
                        format!(
                            "`{}` occurs only inside this `not`: it means \"for no value of {}\"",
                            v.name, v.name
                        ),
                    )
                    .at(v.span)
                    .hint(format!(
                        "if that is meant, write `_` instead of `{}`; otherwise check its spelling",
                        v.name
                    )),
                );
            }
        }
    }
}

fn term_vars<'a>(t: &'a Term, out: &mut FxHashMap<&'a str, usize>) {
    match t {
        Term::Var(v) => *out.entry(v.name.as_str()).or_default() += 1,
        Term::Arith(a, _, b, _) => {
            term_vars(a, out);
            term_vars(b, out);
        }
        Term::Neg(a, _) => term_vars(a, out),
        Term::Anonymous(_) | Term::Const(..) => {}
    }
}

fn body_vars<'a>(item: &'a BodyItem, out: &mut FxHashMap<&'a str, usize>) {
    match item {
        BodyItem::Literal(l) | BodyItem::Not(l, _) => {
            l.atom.args.iter().for_each(|t| term_vars(t, out))
        }
        BodyItem::Compare(a, _, b, _) => {
            term_vars(a, out);
            term_vars(b, out);
        }
        BodyItem::Aggregate(a) => {
            *out.entry(a.result.name.as_str()).or_default() += 1;
            a.targets.iter().for_each(|t| term_vars(t, out));
            a.body.iter().for_each(|i| body_vars(i, out));
        }
    }
}

/// The known name closest to `name`, if it is close enough to be a likely typo.
pub fn nearest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    let close_enough = |a: usize, b: usize| (a.max(b) / 3).max(1);
    known
        .iter()
        .filter(|k| **k != name)
        // The distance is at least the difference in length: skip what cannot be close.
        .filter(|k| name.len().abs_diff(k.len()) <= close_enough(name.len(), k.len()))
        .map(|k| (strsim::damerau_levenshtein(name, k), *k))
        .filter(|(d, k)| *d <= close_enough(name.len(), k.len()))
        .min()
        .map(|(_, k)| k)
}
