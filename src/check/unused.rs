//! `unused_rule`: a rule that can never apply, because one of its conditions names a predicate
//! that is defined only by rules which themselves can never apply. (A condition on a predicate
//! nothing defines at all is `undefined_predicate`'s business, reported once at the use.)
//!
//! A predicate can hold when a fact states it, a `pred` declaration marks it as something
//! cases supply, or a rule for it can apply: one whose positive conditions can all hold.
//! Predicates are compared by name, either sign.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::{BodyItem, Item, Module, Rule};

pub fn check(modules: &[&Module], out: &mut Vec<Diagnostic>) {
    let mut rules: Vec<&Rule> = Vec::new();
    let mut can_hold: FxHashSet<&str> = FxHashSet::default();
    for module in modules {
        for item in &module.items {
            match item {
                Item::Pred(p) => {
                    can_hold.insert(&p.name.name);
                }
                Item::Rule(r) => rules.push(r),
                _ => {}
            }
        }
    }
    let mut defined: FxHashSet<&str> = can_hold.clone();
    // The least set of predicates that can hold, by a worklist (linear in the rules, whatever
    // their order): each rule waits for its distinct conditions that cannot hold yet; when a
    // predicate becomes possible, the rules waiting for it count down, and a rule left with
    // none makes its head possible.
    let mut waiting: Vec<usize> = Vec::with_capacity(rules.len());
    let mut waiters: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    let mut ready: Vec<&str> = can_hold.iter().copied().collect();
    let mut pending: Vec<&str> = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        let head = rule.head.atom.pred.name.as_str();
        defined.insert(head);
        pending.clear();
        pending.extend(conditions(rule).filter(|p| !can_hold.contains(p)));
        pending.sort_unstable();
        pending.dedup();
        for &p in &pending {
            waiters.entry(p).or_default().push(i);
        }
        waiting.push(pending.len());
        if pending.is_empty() && can_hold.insert(head) {
            ready.push(head);
        }
    }
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
        let Some(dead) = conditions(rule).find(|p| defined.contains(p) && !can_hold.contains(p))
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

/// The predicates of a rule's positive conditions (outside `not` and aggregates).
fn conditions(rule: &Rule) -> impl Iterator<Item = &str> {
    rule.body.iter().filter_map(|item| match item {
        BodyItem::Literal(l) => Some(l.atom.pred.name.as_str()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::source::SourceMap;
    use crate::syntax::parse;

    fn unused(text: &str) -> Vec<String> {
        let mut sources = SourceMap::new();
        let file = sources.add("t.law", text);
        let (module, _) = parse(&sources, file);
        let mut out = Vec::new();
        super::check(&[&module], &mut out);
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
