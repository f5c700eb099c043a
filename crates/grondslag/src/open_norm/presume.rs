//! The presumptions of the open norms, as ordinary rules added to the law before lowering.
//!
//! Where a rule needs an open norm — `avg_6_1_e: default basis(D, public_task) :- processing(D,
//! O, _), purpose(D, P), legal_task(O, P, I), laid_down_in_law(I), necessary(D).` — the open
//! norm is presumed for what the rule's other conditions single out (its *context*):
//!
//! ```text
//! assumed:necessary: default necessary(D) :- processing(D, O, _), purpose(D, P),
//!                                             legal_task(O, P, I), laid_down_in_law(I).
//! ```
//!
//! So an open norm is presumed only where a case raises it: a condition that is a rule's only
//! one (on its unit) is never presumed — the case must state it. The context is the rule's
//! positive conditions, except other open norms (presumed alongside, not required: a rule may
//! need several) and conditions that depend on the open norm through `not` or an aggregate
//! (the presumption must not make the program cyclic through negation). A presumption yields
//! to every rule for the complement (`defeasible`), so a stated fact, positive or `~`,
//! replaces it.

use std::collections::{HashMap, HashSet};

use crate::syntax::ast::{
    Attributes, BodyItem, Ident, Item, Literal, Module, Rule, RuleKind, Term,
};

use super::Catalogue;

/// The presumption rules for the open norms of `catalogue` that the rules of `modules` need;
/// `None` when there are none. The module's items point at the conditions they presume
/// (spans), carry the `@source` of the open norm and its label (`OpenNorm::label`).
pub fn presumptions(modules: &[&Module], catalogue: &Catalogue) -> Option<Module> {
    if catalogue.is_empty() {
        return None;
    }
    let rules: Vec<&Rule> = modules
        .iter()
        .flat_map(|m| m.items.iter())
        .filter_map(|i| match i {
            Item::Rule(r) if !r.body.is_empty() && r.kind != RuleKind::Defeater => Some(r),
            _ => None,
        })
        .collect();
    let graph = Readers::of(modules);
    let mut through_negation: HashMap<&str, HashSet<String>> = HashMap::new();
    let mut items = Vec::new();
    let mut seen = HashSet::new();
    for rule in rules {
        for (at, item) in rule.body.iter().enumerate() {
            let BodyItem::Literal(condition) = item else {
                continue;
            };
            let atom = &condition.atom;
            let Some(norm) =
                catalogue.presumed(&atom.pred.name, condition.negated, atom.args.len())
            else {
                continue;
            };
            let excluded = through_negation
                .entry(norm.pred.as_str())
                .or_insert_with(|| graph.through_negation(&norm.pred));
            let context: Vec<BodyItem> = rule
                .body
                .iter()
                .enumerate()
                .filter_map(|(i, other)| match other {
                    BodyItem::Literal(l)
                        if i != at
                            && catalogue
                                .of_pred(&l.atom.pred.name, l.atom.args.len())
                                .is_none()
                            && !excluded.contains(&l.atom.pred.name)
                            && l.atom.args.iter().all(|t| {
                                matches!(t, Term::Var(_) | Term::Const(..) | Term::Anonymous(_))
                            }) =>
                    {
                        Some(other.clone())
                    }
                    _ => None,
                })
                .collect();
            if !bound_by(condition, &context) {
                continue;
            }
            let key = format!("{}", Shown(condition, &context));
            if !seen.insert(key) {
                continue;
            }
            items.push(Item::Rule(Rule {
                label: Some(Ident {
                    name: norm.label(),
                    span: condition.span,
                }),
                kind: RuleKind::Defeasible,
                head: condition.clone(),
                body: context,
                attrs: Attributes {
                    source: norm.source.clone().map(|s| (s, norm.span)),
                    ..Attributes::default()
                }
                .into(),
                span: condition.span,
            }));
        }
    }
    if items.is_empty() {
        return None;
    }
    Some(Module {
        file: catalogue.norms()[0].span.file,
        header: None,
        items,
    })
}

/// Every argument of `condition` is a variable that some literal of `context` binds (a
/// constant needs nothing; `_` or arithmetic cannot be presumed).
fn bound_by(condition: &Literal, context: &[BodyItem]) -> bool {
    condition.atom.args.iter().all(|t| match t {
        Term::Const(..) => true,
        Term::Var(v) => context.iter().any(|item| match item {
            BodyItem::Literal(l) => l
                .atom
                .args
                .iter()
                .any(|a| matches!(a, Term::Var(w) if w.name == v.name)),
            _ => false,
        }),
        _ => false,
    })
}

/// A presumption written out, to know one made twice.
struct Shown<'a>(&'a Literal, &'a [BodyItem]);

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let literal = |f: &mut std::fmt::Formatter<'_>, l: &Literal| {
            write!(
                f,
                "{}{}(",
                if l.negated { "~" } else { "" },
                l.atom.pred.name
            )?;
            for t in &l.atom.args {
                match t {
                    Term::Var(v) => write!(f, "{},", v.name)?,
                    Term::Const(c, _) => write!(f, "{c:?},")?,
                    _ => write!(f, "_,")?,
                }
            }
            write!(f, ")")
        };
        literal(f, self.0)?;
        write!(f, " :-")?;
        for item in self.1 {
            if let BodyItem::Literal(l) = item {
                write!(f, " ")?;
                literal(f, l)?;
            }
        }
        Ok(())
    }
}

/// Which predicates each predicate is read by, and whether through `not` or an aggregate.
struct Readers<'a> {
    read_by: HashMap<&'a str, Vec<(&'a str, bool)>>,
}

impl<'a> Readers<'a> {
    fn of(modules: &[&'a Module]) -> Readers<'a> {
        let mut read_by: HashMap<&str, Vec<(&str, bool)>> = HashMap::new();
        for rule in modules
            .iter()
            .flat_map(|m| m.items.iter())
            .filter_map(|i| match i {
                Item::Rule(r) => Some(r),
                _ => None,
            })
        {
            let head = rule.head.atom.pred.name.as_str();
            let mut read = |item: &'a BodyItem, negative: bool| match item {
                BodyItem::Literal(l) => read_by
                    .entry(l.atom.pred.name.as_str())
                    .or_default()
                    .push((head, negative)),
                BodyItem::Not(l, _) => read_by
                    .entry(l.atom.pred.name.as_str())
                    .or_default()
                    .push((head, true)),
                _ => {}
            };
            for item in &rule.body {
                match item {
                    BodyItem::Aggregate(agg) => agg.body.iter().for_each(|i| read(i, true)),
                    other => read(other, false),
                }
            }
        }
        Readers { read_by }
    }

    /// The predicates that depend on `pred` (either sign) along a path through `not` or an
    /// aggregate: a presumption of `pred` must not read them.
    fn through_negation(&self, pred: &str) -> HashSet<String> {
        let mut seen: HashSet<(&str, bool)> = HashSet::new();
        let mut stack = vec![(pred, false)];
        let mut out = HashSet::new();
        while let Some((p, negative)) = stack.pop() {
            if !seen.insert((p, negative)) {
                continue;
            }
            if negative {
                out.insert(p.to_string());
            }
            for &(reader, through) in self.read_by.get(p).into_iter().flatten() {
                stack.push((reader, negative || through));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceMap;
    use crate::syntax::parse;

    fn presumed(text: &str) -> Vec<String> {
        let mut sources = SourceMap::new();
        let file = sources.add("t.law", text);
        let (module, diagnostics) = parse(&sources, file);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let catalogue = Catalogue::of(&[&module]);
        let Some(generated) = presumptions(&[&module], &catalogue) else {
            return Vec::new();
        };
        generated
            .items
            .iter()
            .map(|i| match i {
                Item::Rule(r) => format!(
                    "{}: {}",
                    r.label.as_ref().unwrap().name,
                    Shown(&r.head, &r.body)
                ),
                _ => unreachable!(),
            })
            .collect()
    }

    #[test]
    fn an_open_norm_is_presumed_in_the_context_of_each_rule_that_needs_it() {
        let found = presumed(
            "@open_norm(assessor: controller) pred necessary(D).\n\
             @open_norm(assessor: controller) pred ~less_intrusive(D).\n\
             task(D) :- processing(D, O), has_task(O), necessary(D), ~less_intrusive(D).\n\
             other(D) :- processing(D, _), necessary(D).\n\
             again(D) :- processing(D, _), necessary(D).\n\
             alone(D) :- necessary(D).\n\
             wrong_sign(D) :- processing(D, _), less_intrusive(D).\n\
             blocked(D) :- processing(D, _), necessary(D), not other(D).\n",
        );
        assert_eq!(
            found,
            [
                "assumed:necessary: necessary(D,) :- processing(D,O,) has_task(O,)",
                "assumed:~less_intrusive: ~less_intrusive(D,) :- processing(D,O,) has_task(O,)",
                "assumed:necessary: necessary(D,) :- processing(D,_,)",
            ]
        );
    }

    #[test]
    fn a_context_never_reads_what_depends_on_the_open_norm_through_negation() {
        let found = presumed(
            "@open_norm pred ok(D).\n\
             gap(D) :- item(D), not ok(D).\n\
             seen(D) :- gap(D).\n\
             judged(D) :- item(D), seen(D), ok(D).\n\
             direct(D) :- ok2(D), ok(D).\n\
             ok2(D) :- ok(D).\n",
        );
        // `seen` depends on `ok` through `not`: left out; `ok2` depends on it positively.
        assert_eq!(
            found,
            [
                "assumed:ok: ok(D,) :- item(D,)",
                "assumed:ok: ok(D,) :- ok2(D,)",
            ]
        );
    }

    #[test]
    fn nothing_is_presumed_without_a_marked_predicate() {
        assert!(presumed("p(D) :- q(D), r(D).").is_empty());
    }
}
