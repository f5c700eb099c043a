//! `unused_rule`: a rule that can never apply, because one of its conditions names a predicate
//! that is defined only by rules which themselves can never apply. (A condition on a predicate
//! nothing defines at all is `undefined_predicate`'s business, reported once at the use.)
//!
//! A predicate can hold when a fact states it, a `pred` declaration marks it as something
//! cases supply, or a rule for it can apply: one whose positive conditions can all hold.
//! Predicates are compared by name, either sign.

use rustc_hash::{FxHashMap, FxHashSet};

use super::{Census, Check};
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::{BodyItem, Item, Rule};

/// The least set of predicates that can hold is found by a worklist (linear in the rules,
/// whatever their order): each rule waits for its distinct conditions that cannot hold yet;
/// when a predicate becomes possible, the rules waiting for it count down, and a rule left
/// with none makes its head possible.
pub(super) struct Unused<'a> {
    rules: Vec<&'a Rule>,
    /// The predicates some rule concludes or a `pred` declares.
    defined: FxHashSet<&'a str>,
    /// The predicates found able to hold so far.
    can_hold: FxHashSet<&'a str>,
    /// Per rule: how many of its distinct conditions cannot hold yet.
    waiting: Vec<usize>,
    /// Per predicate not (yet) able to hold: the rules waiting for it.
    waiters: FxHashMap<&'a str, Vec<usize>>,
    /// Predicates found able to hold whose waiters have not counted down yet.
    ready: Vec<&'a str>,
    /// A buffer for one rule's pending conditions.
    pending: Vec<&'a str>,
}

impl<'a> Unused<'a> {
    pub(super) fn new(census: &Census) -> Unused<'a> {
        Unused {
            rules: Vec::with_capacity(census.rules),
            defined: FxHashSet::default(),
            can_hold: FxHashSet::default(),
            waiting: Vec::with_capacity(census.rules),
            waiters: FxHashMap::default(),
            ready: Vec::new(),
            pending: Vec::new(),
        }
    }
}

impl<'a> Check<'a> for Unused<'a> {
    fn declare(&mut self, item: &'a Item) {
        if let Item::Pred(p) = item {
            self.defined.insert(&p.name.name);
            if self.can_hold.insert(&p.name.name) {
                self.ready.push(&p.name.name);
            }
        }
    }

    // Rules are taken once every declared predicate is known to hold.
    fn visit(&mut self, item: &'a Item) {
        let Item::Rule(rule) = item else { return };
        let i = self.rules.len();
        self.rules.push(rule);
        let head = rule.head.atom.pred.name.as_str();
        self.defined.insert(head);
        let can_hold = &self.can_hold;
        self.pending.clear();
        self.pending
            .extend(conditions(rule).filter(|p| !can_hold.contains(p)));
        self.pending.sort_unstable();
        self.pending.dedup();
        for &p in &self.pending {
            self.waiters.entry(p).or_default().push(i);
        }
        self.waiting.push(self.pending.len());
        if self.pending.is_empty() && self.can_hold.insert(head) {
            self.ready.push(head);
        }
    }

    fn finish(self, out: &mut Vec<Diagnostic>) {
        let Unused {
            rules,
            defined,
            mut can_hold,
            mut waiting,
            mut waiters,
            mut ready,
            ..
        } = self;
        while let Some(pred) = ready.pop() {
            for i in waiters.remove(pred).unwrap_or_default() {
                waiting[i] -= 1;
                let head = rules[i].head.atom.pred.name.as_str();
                if waiting[i] == 0 && can_hold.insert(head) {
                    ready.push(head);
                }
            }
        }
        // Most often every predicate can hold, and no rule needs a second look.
        if defined.iter().all(|p| can_hold.contains(p)) {
            return;
        }
        for rule in rules {
            let Some(dead) =
                conditions(rule).find(|p| defined.contains(p) && !can_hold.contains(p))
            else {
                continue;
            };
            let name = match &rule.label {
                Some(label) => format!("rule `{}`", label.name),
                None => "this rule".to_string(),
            };
            out.push(
                Diagnostic::new(
                    Code::UnusedRule,
                    format!(
                        "{name} can never apply: `{dead}` is only concluded by rules that can never apply themselves"
                    ),
                )
                .at(rule.span)
                .hint(format!(
                    "follow the rules for `{dead}` down to a condition nothing supplies; add facts or a `pred` declaration for it, or remove the rules"
                )),
            );
        }
    }
}

/// The predicates of a rule's positive conditions (outside `not` and aggregates).
fn conditions(rule: &Rule) -> impl Iterator<Item = &str> {
    rule.body.iter().filter_map(|item| match item {
        BodyItem::Literal(l) => Some(l.atom.pred.name.as_str()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::{run_alone, Census};
    use super::Unused;
    use crate::diagnostic::Code;
    use crate::source::SourceMap;
    use crate::syntax::parse;

    fn unused(text: &str) -> Vec<String> {
        let mut sources = SourceMap::new();
        let file = sources.add("t.law", text);
        let (module, _) = parse(&sources, file);
        let modules = [&module];
        let out = run_alone(Unused::new(&Census::of(&modules)), &modules);
        assert!(out.iter().all(|d| d.code == Code::UnusedRule));
        out.into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn a_rule_resting_on_rules_that_never_apply_is_unused() {
        let found = unused("a(X) :- b(X). b(X) :- c(X). r1: d(X) :- a(X), e(X). e(1).");
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains("`b`"), "{found:?}");
        assert!(found[1].starts_with("rule `r1`"), "{found:?}");
    }

    #[test]
    fn case_input_declared_with_pred_and_facts_make_rules_usable() {
        assert!(unused("pred c(X). a(X) :- b(X). b(X) :- c(X).").is_empty());
        assert!(unused("b(1). a(X) :- b(X). b(X) :- c(X).").is_empty());
        // A `not` over a predicate that never holds is no obstacle.
        assert!(unused("e(1). a(X) :- e(X), not b(X). b(X) :- c(X).").is_empty());
    }
}
