//! What it would take: the sets of missing conditions that would make a literal hold, or
//! make one that holds give way. The search walks the rules the way the why-not does —
//! premise by premise under the bindings the model gives — and combines what each failing
//! premise would need:
//!
//! - a premise of a `@scope` predicate (jurisdiction, kind of actor), a fact only the law
//!   states, a false comparison or a rule not in force cannot be brought about: the rule
//!   does not apply, and the search says why;
//! - a premise of an `@actionable` predicate is a condition a party or a legislator can
//!   bring about; a literal no rule concludes is a circumstance the case would have to state;
//! - a derived premise needs what its own rules need; a rule that would have to beat rules
//!   for the other side needs those to give way (a premise of theirs fails, or a stronger
//!   exception applies, or a `not` condition of theirs is met).
//!
//! Results are minimal sets of conditions, smallest first, a few per literal. They are
//! candidates: the driver checks each by evaluating the case with the conditions added.

use std::collections::{HashMap, HashSet};

use crate::defeasible::theory::InstanceId;
use crate::syntax::ast::{Actor, BodyItem, RuleKind, Scope};
use crate::time::Reason;

use super::build::{lit_under, Builder};
use super::graph::Lit;
use super::whynot::Failure;

/// At most this many alternative sets are kept per literal.
const MAX_SETS: usize = 6;
/// A set with more conditions than this is not kept.
const MAX_CONDITIONS: usize = 8;
/// At most this many literals are searched for one explanation (a bound on the work, for
/// programs far larger than a knowledge base).
const MAX_SEARCHED: usize = 2_000;

/// Who could bring a condition about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    /// A party to the case (`@actionable(party)`).
    Party,
    /// Only a legislator (`@actionable(legislator)`).
    Legislator,
    /// No one: the facts of the case would have to be otherwise.
    Circumstance,
}

impl Class {
    /// Its name in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Party => "party",
            Class::Legislator => "legislator",
            Class::Circumstance => "circumstance",
        }
    }
}

/// Why a literal cannot be made to hold (or to give way).
#[derive(Clone, Debug, PartialEq)]
pub enum Blocker {
    /// A `@scope` predicate fails: the norm is not for this party or place; the fact the
    /// case states instead, when there is one.
    Scope(Scope, Lit, Option<Lit>),
    /// The rule is not in force on the date.
    Time(Reason),
    /// A fact only the law states (`data_category(...)`), or a fact of the case that holds
    /// and cannot be undone.
    Fixed(Lit),
    /// A comparison that is false.
    Condition(String),
    /// The search went round in a circle, or ran out of its budget.
    Unknown,
}

/// The alternatives for one literal: each a sorted set of conditions. No alternative: it
/// cannot be done, and `blocker` says why.
#[derive(Clone, Debug, Default)]
pub struct Need {
    /// Minimal sets of conditions, fewest first.
    pub sets: Vec<Vec<Lit>>,
    /// Why no set was found (the nearest rule's first obstacle).
    pub blocker: Option<Blocker>,
}

impl Need {
    fn met() -> Need {
        Need {
            sets: vec![Vec::new()],
            blocker: None,
        }
    }

    fn impossible(blocker: Blocker) -> Need {
        Need {
            sets: Vec::new(),
            blocker: Some(blocker),
        }
    }

    /// Whether no set was found.
    pub fn is_impossible(&self) -> bool {
        self.sets.is_empty()
    }
}

/// What the search found about each condition it met: who could bring it about and which
/// rule asks for it.
#[derive(Clone, Debug)]
pub struct Condition {
    /// Party, legislator or circumstance.
    pub class: Class,
    /// The rule that asks for it (an index into the builder's norms), with its label and
    /// `@source`.
    pub asked_by: Option<(Option<String>, Option<String>)>,
}

/// The search's memory: results per literal, the literals being searched (cycles), and
/// what it learned about each condition.
#[derive(Default)]
pub struct State {
    needs: HashMap<Lit, Need>,
    defeats: HashMap<Lit, Need>,
    busy: HashSet<(bool, Lit)>,
    searched: usize,
    /// Each condition met, with its class and the rule that asks for it.
    pub conditions: HashMap<Lit, Condition>,
}

impl Builder<'_> {
    /// What would make `lit` hold: minimal sets of conditions (empty set: it holds).
    pub fn need(&mut self, lit: &Lit) -> Need {
        if let Some(n) = self.reach.needs.get(lit) {
            return n.clone();
        }
        let key = (true, lit.clone());
        if self.reach.busy.contains(&key) || self.reach.searched >= MAX_SEARCHED {
            return Need::impossible(Blocker::Unknown);
        }
        self.reach.searched += 1;
        self.reach.busy.insert(key.clone());
        let need = self.need_uncached(lit);
        self.reach.busy.remove(&key);
        self.reach.needs.insert(lit.clone(), need.clone());
        need
    }

    /// What would make `lit`, which holds, give way: minimal sets of conditions.
    pub fn defeat(&mut self, lit: &Lit) -> Need {
        if let Some(n) = self.reach.defeats.get(lit) {
            return n.clone();
        }
        let key = (false, lit.clone());
        if self.reach.busy.contains(&key) || self.reach.searched >= MAX_SEARCHED {
            return Need::impossible(Blocker::Unknown);
        }
        self.reach.searched += 1;
        self.reach.busy.insert(key.clone());
        let need = self.defeat_uncached(lit);
        self.reach.busy.remove(&key);
        self.reach.defeats.insert(lit.clone(), need.clone());
        need
    }

    /// The class of a condition the search met.
    pub fn condition(&self, lit: &Lit) -> Option<&Condition> {
        self.reach.conditions.get(lit)
    }

    fn need_uncached(&mut self, lit: &Lit) -> Need {
        if self.holds(lit) {
            return Need::met();
        }
        if let Some(scope) = self.norms.scope(&lit.pred) {
            let instead = self.stated_instead(lit);
            return Need::impossible(Blocker::Scope(scope, lit.clone(), instead));
        }
        if !lit.negated {
            if let Some(actor) = self.norms.actionable(&lit.pred) {
                let class = match actor {
                    Actor::Party => Class::Party,
                    Actor::Legislator => Class::Legislator,
                };
                return self.condition_set(lit, class);
            }
        }
        if self.norms.law_fact(&lit.pred) {
            return Need::impossible(Blocker::Fixed(lit.clone()));
        }
        // Its complement holds for certain (a fact, or a strict conclusion): only undoing
        // that would do, and a fact cannot be undone.
        let complement = lit.complement();
        if let Some(c) = self.id_of(&complement) {
            if self.provable(c) && self.theory.conclusion(c).definite {
                let undo = self.defeat(&complement);
                if undo.is_impossible() {
                    return Need::impossible(Blocker::Fixed(complement));
                }
            }
        }
        let attempts = self.attempts(lit);
        let lost = self.lost_instances(lit);
        if attempts.is_empty() && lost.is_empty() {
            // No rule concludes it: the case would have to state it.
            return self.condition_set(lit, Class::Circumstance);
        }
        let mut sets = Vec::new();
        let mut blocker = None;
        let mut attempts = attempts;
        attempts.sort_by_key(|a| a.failed.len() + usize::from(a.not_in_force.is_some()));
        for attempt in attempts {
            if let Some(reason) = &attempt.not_in_force {
                blocker.get_or_insert(Blocker::Time(reason.clone()));
                continue;
            }
            let asked_by = (
                attempt.rule.label.as_ref().map(|l| l.name.clone()),
                attempt.rule.attrs.source.as_ref().map(|(s, _)| s.clone()),
            );
            let mut found = vec![Vec::new()];
            let mut failed = None;
            for failure in &attempt.failed {
                let need = match failure {
                    Failure::Missing(premise) => self.need(premise),
                    Failure::Blocked(holding) => self.defeat(holding),
                    Failure::Condition(text) => Need::impossible(Blocker::Condition(text.clone())),
                };
                if need.is_impossible() {
                    failed = need.blocker.or(Some(Blocker::Unknown));
                    break;
                }
                self.asked_for(&need, &asked_by);
                found = product(&found, &need.sets);
            }
            // A defeasible rule that applied would still have to beat the rules for the
            // other side that apply.
            if failed.is_none() && attempt.rule.kind == RuleKind::Defeasible {
                let label = attempt.rule.label.as_ref().map(|l| l.name.clone());
                for opposer in self.applicable_for(&complement) {
                    let beaten = match (&label, self.theory.label(opposer)) {
                        (Some(own), Some(other)) => self.norms.beats(own, other),
                        _ => false,
                    };
                    if beaten {
                        continue;
                    }
                    let give_way = self.defeat_instance(opposer);
                    if give_way.is_impossible() {
                        failed = give_way.blocker.or(Some(Blocker::Unknown));
                        break;
                    }
                    found = product(&found, &give_way.sets);
                }
            }
            match failed {
                Some(b) => {
                    blocker.get_or_insert(b);
                }
                None => sets.extend(found),
            }
        }
        // A rule that applied but lost: the rules that beat it would have to give way.
        for instance in lost {
            let mut found = vec![Vec::new()];
            let mut failed = None;
            for opposer in self.applicable_for(&complement) {
                if self.theory.beats(instance, opposer) {
                    continue;
                }
                let give_way = self.defeat_instance(opposer);
                if give_way.is_impossible() {
                    failed = give_way.blocker.or(Some(Blocker::Unknown));
                    break;
                }
                found = product(&found, &give_way.sets);
            }
            match failed {
                Some(b) => {
                    blocker.get_or_insert(b);
                }
                None => sets.extend(found),
            }
        }
        self.finish(sets, blocker)
    }

    fn defeat_uncached(&mut self, lit: &Lit) -> Need {
        let Some(id) = self.id_of(lit) else {
            return Need::met();
        };
        if !self.provable(id) {
            return Need::met();
        }
        if self.theory.fact[id as usize] {
            return Need::impossible(Blocker::Fixed(lit.clone()));
        }
        let mut found = vec![Vec::new()];
        for instance in self.applicable_for(lit) {
            let give_way = self.defeat_instance(instance);
            if give_way.is_impossible() {
                return give_way;
            }
            found = product(&found, &give_way.sets);
        }
        self.finish(found, None)
    }

    /// What would make one applicable rule instance give way: a premise that stops holding,
    /// a `not` condition of the rule that comes to hold, or a stronger rule for the other
    /// side that comes to apply.
    fn defeat_instance(&mut self, instance: InstanceId) -> Need {
        let inst = self.theory.instances[instance as usize].clone();
        let mut sets = Vec::new();
        let mut blocker = None;
        for premise in &inst.body {
            if self.theory.fact[*premise as usize] {
                continue;
            }
            let lit = self.lit_of(*premise);
            let need = self.defeat(&lit);
            match need.blocker {
                Some(b) if need.sets.is_empty() => {
                    blocker.get_or_insert(b);
                }
                _ => sets.extend(need.sets),
            }
        }
        let origin = self.theory.origin(inst.rule);
        let (span, label) = (origin.span, origin.label.clone());
        if let Some(rule) = self.norms.rule_at(span) {
            let env = self.instance_env(instance);
            let asked_by = (
                rule.label.as_ref().map(|l| l.name.clone()),
                rule.attrs.source.as_ref().map(|(s, _)| s.clone()),
            );
            for item in &rule.body {
                if let BodyItem::Not(literal, _) = item {
                    let lit = lit_under(literal, &env);
                    let need = self.need(&lit);
                    self.asked_for(&need, &asked_by);
                    match need.blocker {
                        Some(b) if need.sets.is_empty() => {
                            blocker.get_or_insert(b);
                        }
                        _ => sets.extend(need.sets),
                    }
                }
            }
        }
        if inst.kind == RuleKind::Defeasible {
            if let Some(label) = label {
                let head = self.lit_of(inst.head);
                let complement = head.complement();
                let stronger: Vec<_> = self
                    .attempts(&complement)
                    .into_iter()
                    .filter(|a| {
                        a.rule
                            .label
                            .as_ref()
                            .is_some_and(|l| self.norms.beats(&l.name, &label))
                    })
                    .collect();
                for attempt in stronger {
                    if let Some(reason) = &attempt.not_in_force {
                        blocker.get_or_insert(Blocker::Time(reason.clone()));
                        continue;
                    }
                    let asked_by = (
                        attempt.rule.label.as_ref().map(|l| l.name.clone()),
                        attempt.rule.attrs.source.as_ref().map(|(s, _)| s.clone()),
                    );
                    let mut found = vec![Vec::new()];
                    let mut failed = None;
                    for failure in &attempt.failed {
                        let need = match failure {
                            Failure::Missing(premise) => self.need(premise),
                            Failure::Blocked(holding) => self.defeat(holding),
                            Failure::Condition(text) => {
                                Need::impossible(Blocker::Condition(text.clone()))
                            }
                        };
                        if need.is_impossible() {
                            failed = need.blocker.or(Some(Blocker::Unknown));
                            break;
                        }
                        self.asked_for(&need, &asked_by);
                        found = product(&found, &need.sets);
                    }
                    match failed {
                        Some(b) => {
                            blocker.get_or_insert(b);
                        }
                        None => sets.extend(found),
                    }
                }
            }
        }
        self.finish(sets, blocker)
    }

    /// Whether a literal (ground) is provable; a pattern holds when some instance does.
    pub(super) fn holds(&mut self, lit: &Lit) -> bool {
        match lit.values() {
            Some(_) => self.id_of(lit).is_some_and(|id| self.provable(id)),
            None => !self.pattern_answers(lit).is_empty(),
        }
    }

    /// The instances that apply (all premises provable) and conclude `lit`, defeaters aside.
    pub fn applicable_for(&mut self, lit: &Lit) -> Vec<InstanceId> {
        let Some(id) = self.id_of(lit) else {
            return Vec::new();
        };
        self.theory.concluded_by[id as usize]
            .iter()
            .copied()
            .filter(|i| self.applicable(*i) && !self.is_defeater(*i))
            .collect()
    }

    /// The instances for `lit` that applied and lost (it does not hold).
    fn lost_instances(&mut self, lit: &Lit) -> Vec<InstanceId> {
        let Some(id) = self.id_of(lit) else {
            return Vec::new();
        };
        if self.provable(id) {
            return Vec::new();
        }
        self.applicable_for(lit)
    }

    /// The literal as the one condition of the one set.
    fn condition_set(&mut self, lit: &Lit, class: Class) -> Need {
        self.reach
            .conditions
            .entry(lit.clone())
            .or_insert(Condition {
                class,
                asked_by: None,
            });
        Need {
            sets: vec![vec![lit.clone()]],
            blocker: None,
        }
    }

    /// Note the rule asking for the conditions of `need` that no rule was noted for yet.
    fn asked_for(&mut self, need: &Need, asked_by: &(Option<String>, Option<String>)) {
        for lit in need.sets.iter().flatten() {
            if let Some(c) = self.reach.conditions.get_mut(lit) {
                if c.asked_by.is_none() {
                    c.asked_by = Some(asked_by.clone());
                }
            }
        }
    }

    /// The scope fact the case states instead of `lit`: the same predicate about the same
    /// party (`jurisdiction(w, nl)` for `jurisdiction(w, flanders)`).
    fn stated_instead(&mut self, lit: &Lit) -> Option<Lit> {
        let first = lit.args.first()?.clone();
        let mut pattern = lit.clone();
        for (i, arg) in pattern.args.iter_mut().enumerate().skip(1) {
            *arg = super::graph::Arg::Var(format!("·{i}"));
        }
        pattern.args[0] = first;
        self.pattern_answers(&pattern).into_iter().next()
    }

    /// Sort the sets (fewest conditions, then the easiest to bring about), keep the minimal
    /// ones, and a few.
    fn finish(&self, mut sets: Vec<Vec<Lit>>, blocker: Option<Blocker>) -> Need {
        let rank = |set: &Vec<Lit>| {
            let worst = set
                .iter()
                .map(|l| {
                    self.reach
                        .conditions
                        .get(l)
                        .map_or(Class::Circumstance, |c| c.class)
                })
                .max()
                .unwrap_or(Class::Party);
            (set.len(), worst)
        };
        sets.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
        sets.dedup();
        let mut minimal: Vec<Vec<Lit>> = Vec::new();
        for set in sets {
            if !minimal.iter().any(|m| m.iter().all(|c| set.contains(c))) {
                minimal.push(set);
            }
        }
        minimal.truncate(MAX_SETS);
        if minimal.is_empty() {
            Need::impossible(blocker.unwrap_or(Blocker::Unknown))
        } else {
            Need {
                sets: minimal,
                blocker: None,
            }
        }
    }
}

/// Every union of a set of `a` with a set of `b`, small enough to keep.
fn product(a: &[Vec<Lit>], b: &[Vec<Lit>]) -> Vec<Vec<Lit>> {
    let mut out = Vec::new();
    for x in a {
        for y in b {
            let mut set = x.clone();
            for l in y {
                if !set.contains(l) {
                    set.push(l.clone());
                }
            }
            if set.len() <= MAX_CONDITIONS {
                set.sort();
                out.push(set);
            }
        }
    }
    out.sort_by_key(Vec::len);
    out.dedup();
    out.truncate(MAX_SETS * MAX_SETS);
    out
}
