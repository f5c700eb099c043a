//! Ledgers: the presumptions a conclusion rests on (docs/defeasible.md, "Open norms").
//!
//! A presumption (`PRESUMPTION`) makes an open norm a defeasible fact where a rule needs it.
//! The ledger of a provable literal `q` is the set of presumed literals its decisive support
//! uses, read from the decided ground theory:
//!
//! - a definite literal rests on nothing;
//! - otherwise, of the applicable rules for `q`, the one whose premises rest on the fewest
//!   presumptions (itself counting as one when it is a presumption): the union of its
//!   premises' ledgers;
//! - and for each rule `s` for `~q`: when `s` is beaten, the ledger of the rule for `q` that
//!   beats it (the one resting on fewest); when `s` is discarded for a premise `b` that fails
//!   only because `~b` is presumed (the premise is an open norm, assumed not to hold), that
//!   presumption — unless another premise of `s` fails on the facts alone.
//!
//! The theory holds the instances whose premises could hold: a rule whose premise from a lower
//! stratum is not provable is not in it, so an attacker kept out that way adds nothing. That is
//! why an open norm belongs in the body of the rule it protects (`~less_intrusive_means(D)` in
//! the ground), not only in the exception that reads its complement.
//!
//! Literals are taken in the order the decision procedure proved them (`GroundTheory::proved`),
//! so every ledger a step needs is known when it is reached: one pass, linear in the theory
//! times the (small) size of the ledgers. `not` conditions are read as the presumptions left
//! them: the ledger does not follow them.
//!
//! Under `--open-norms open` the conclusions with a non-empty ledger are withdrawn
//! ([`Ledgers::withdraw`]): they would hold only under their presumptions.

use rustc_hash::{FxHashMap, FxHashSet};

use super::is_presumption;
use super::theory::{GroundTheory, InstanceId, LitId};
use crate::syntax::ast::RuleKind;

/// The ledger of every provable literal that rests on presumptions (the others rest on none).
#[derive(Clone, Debug, Default)]
pub struct Ledgers {
    of: FxHashMap<LitId, Box<[LitId]>>,
    /// Literals withdrawn under `--open-norms open`: provable only under their ledger.
    withdrawn: FxHashSet<LitId>,
}

impl Ledgers {
    /// The ledgers of a decided theory. Where another applicable rule rests on fewer
    /// presumptions than the one the decision used, the literal's `by` becomes that rule, so
    /// that its explanation shows the support its ledger counts.
    pub fn compute(theory: &mut GroundTheory) -> Ledgers {
        let presumption: Vec<bool> = theory
            .instances
            .iter()
            .map(|i| is_presumption(theory.origin(i.rule).label.as_deref()))
            .collect();
        if !presumption.iter().any(|p| *p) {
            return Ledgers::default();
        }
        let n = theory.literals.len();
        let provable = |t: &GroundTheory, l: LitId| t.conclusion(l).provable;
        // A definite literal rests on nothing.
        let mut ledger: Vec<Option<Vec<LitId>>> = theory.conclusions[..n]
            .iter()
            .map(|c| c.definite.then(Vec::new))
            .collect();
        let order = std::mem::take(&mut theory.proved);
        for &l in &order {
            if ledger[l as usize].is_some() {
                continue;
            }
            // The support: the decision's instance first, so that it stays unless another
            // rests on fewer presumptions.
            let by = theory.conclusion(l).by;
            let candidates = by
                .into_iter()
                .chain(theory.concluded_by[l as usize].iter().copied());
            let value = |i: InstanceId, ledger: &[Option<Vec<LitId>>]| {
                instance_ledger(theory, &presumption, ledger, i)
            };
            let mut best: Option<(Vec<LitId>, InstanceId)> = None;
            for i in candidates {
                let Some(v) = value(i, &ledger) else { continue };
                if best.as_ref().is_none_or(|(b, _)| v.len() < b.len()) {
                    best = Some((v, i));
                }
            }
            let Some((mut total, chosen)) = best else {
                ledger[l as usize] = Some(Vec::new());
                continue;
            };
            // The attackers: beaten, or discarded.
            if let Some(c) = theory.complement_of(l) {
                for &s in &theory.concluded_by[c as usize] {
                    let beaten = theory.concluded_by[l as usize]
                        .iter()
                        .filter(|t| theory.beats(**t, s))
                        .filter_map(|t| value(*t, &ledger))
                        .min_by_key(Vec::len);
                    let failing: Vec<LitId> = theory.instances[s as usize]
                        .body
                        .iter()
                        .copied()
                        .filter(|b| !provable(theory, *b))
                        .collect();
                    let discarded = (!failing.is_empty()).then(|| {
                        failing
                            .iter()
                            .map(|b| presumed_complement(theory, &presumption, &ledger, *b))
                            .collect::<Option<Vec<LitId>>>()
                            .map(|mut all| {
                                // Each failing premise fails only for a presumption: the
                                // attacker stays out while one of them holds.
                                all.sort_unstable();
                                all.truncate(1);
                                all
                            })
                            .unwrap_or_default()
                    });
                    let cost = match (beaten, discarded) {
                        (Some(b), Some(d)) => {
                            if d.len() <= b.len() {
                                d
                            } else {
                                b
                            }
                        }
                        (Some(b), None) => b,
                        (None, Some(d)) => d,
                        (None, None) => Vec::new(),
                    };
                    total = union(&total, &cost);
                }
            }
            if Some(chosen) != by && !total.is_empty() {
                theory.conclusions[l as usize].by = Some(chosen);
            }
            ledger[l as usize] = Some(total);
        }
        theory.proved = order;
        Ledgers {
            of: ledger
                .into_iter()
                .enumerate()
                .filter_map(|(l, v)| {
                    v.filter(|v| !v.is_empty())
                        .map(|v| (l as LitId, v.into_boxed_slice()))
                })
                .collect(),
            withdrawn: FxHashSet::default(),
        }
    }

    /// Every literal that rests on presumptions, with its ledger (in no particular order).
    pub fn iter(&self) -> impl Iterator<Item = (LitId, &[LitId])> {
        self.of.iter().map(|(l, v)| (*l, &v[..]))
    }

    /// Nothing rests on a presumption.
    pub fn is_empty(&self) -> bool {
        self.of.is_empty()
    }

    /// The presumed literals `lit` rests on (none for a literal that rests on none, or is not
    /// provable under the presumptions).
    pub fn of(&self, lit: LitId) -> &[LitId] {
        self.of.get(&lit).map_or(&[], |v| v)
    }

    /// `--open-norms open`: every conclusion that rests on a presumption is withdrawn (neither
    /// it nor, so, its complement is provable), and the presumptions no longer support
    /// anything. The ledgers stay: they say what must be assessed.
    pub fn withdraw(&mut self, theory: &mut GroundTheory) {
        for &l in self.of.keys() {
            let c = &mut theory.conclusions[l as usize];
            c.provable = false;
            c.supported = false;
            c.by = None;
            self.withdrawn.insert(l);
        }
        let presumption: Vec<bool> = theory
            .instances
            .iter()
            .map(|i| is_presumption(theory.origin(i.rule).label.as_deref()))
            .collect();
        for instances in &mut theory.concluded_by {
            instances.retain(|i| !presumption[*i as usize]);
        }
    }

    /// Whether `lit` was withdrawn (`--open-norms open`): it holds only under its ledger.
    pub fn withdrawn(&self, lit: LitId) -> bool {
        self.withdrawn.contains(&lit)
    }
}

/// The ledger of instance `i` when it is applicable and its premises' ledgers are known: their
/// union, with its head when it is a presumption.
fn instance_ledger(
    theory: &GroundTheory,
    presumption: &[bool],
    ledger: &[Option<Vec<LitId>>],
    i: InstanceId,
) -> Option<Vec<LitId>> {
    let instance = &theory.instances[i as usize];
    if instance.kind == RuleKind::Defeater {
        return None;
    }
    let mut total = Vec::new();
    for &b in &instance.body {
        if !theory.conclusion(b).provable {
            return None;
        }
        total = union(&total, ledger[b as usize].as_ref()?);
    }
    if presumption[i as usize] {
        total = union(&total, &[instance.head]);
    }
    Some(total)
}

/// For a premise `b` that is not provable: `~b`, when `b` fails because `~b` is presumed (it
/// rests on its own presumption); `None` when `b` fails on the facts.
fn presumed_complement(
    theory: &GroundTheory,
    presumption: &[bool],
    ledger: &[Option<Vec<LitId>>],
    b: LitId,
) -> Option<LitId> {
    let c = theory.complement_of(b)?;
    let conclusion = theory.conclusion(c);
    if !conclusion.provable || conclusion.definite {
        return None;
    }
    let assumed = match &ledger[c as usize] {
        Some(v) => v.contains(&c),
        // Proved after the literal at hand: presumed when a presumption applies to it.
        None => theory.concluded_by[c as usize].iter().any(|&i| {
            presumption[i as usize]
                && theory.instances[i as usize]
                    .body
                    .iter()
                    .all(|b| theory.conclusion(*b).provable)
        }),
    };
    assumed.then_some(c)
}

/// Two sorted sets of literals, merged.
fn union(a: &[LitId], b: &[LitId]) -> Vec<LitId> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

#[cfg(test)]
mod tests {
    use crate::driver::{evaluate, OpenNorms, Options};
    use crate::model::Model;
    use crate::open_norm::{presumptions, Catalogue};
    use crate::source::SourceMap;
    use crate::syntax::parse;
    use crate::value::Value;

    fn model(text: &str, open_norms: OpenNorms) -> Model {
        let mut sources = SourceMap::new();
        let file = sources.add("t.law", text);
        let (module, diagnostics) = parse(&sources, file);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let mut modules = vec![&module];
        let presumed = presumptions(&modules, &Catalogue::of(&modules));
        modules.extend(presumed.as_ref());
        let options = Options {
            open_norms,
            ..Options::default()
        };
        evaluate(&modules, &[], &options).unwrap().0
    }

    fn ledger(model: &Model, literal: &str) -> Vec<String> {
        let (negated, rest) = match literal.strip_prefix('~') {
            Some(rest) => (true, rest),
            None => (false, literal),
        };
        let (pred, arg) = rest.trim_end_matches(')').split_once('(').unwrap();
        model
            .presumed(pred, negated, &[Value::Text(arg.into())])
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    const RISK: &str = "@open_norm(assessor: controller) pred ~risky(D).\n\
        item(d1). item(d2). risky(d2). item(d3). ~risky(d3).\n\
        a: default ok(D) :- item(D), ~risky(D).\n\
        b: default ~ok(D) :- item(D), risky(D).\n";

    #[test]
    fn a_conclusion_rests_on_the_presumptions_of_its_premises_and_a_stated_fact_replaces_them() {
        let m = model(RISK, OpenNorms::Assume);
        assert_eq!(ledger(&m, "ok(d1)"), ["~risky(d1)"]);
        // Stated, positive or `~`: nothing is presumed.
        assert!(ledger(&m, "~ok(d2)").is_empty());
        assert!(ledger(&m, "ok(d3)").is_empty());
        assert!(m
            .status("ok", true, &[Value::Text("d2".into())])
            .is_some_and(|s| s.is_provable()));
    }

    #[test]
    fn a_conclusion_rests_on_the_presumptions_of_the_rule_that_beats_its_attacker() {
        let m = model(
            "@open_norm pred necessary(D).\n\
             item(d1). complaint(d1).\n\
             a: default ok(D) :- item(D).\n\
             b: default ~ok(D) :- item(D), complaint(D).\n\
             c: default ok(D) :- item(D), complaint(D), necessary(D).\n\
             c > b.\n",
            OpenNorms::Assume,
        );
        assert_eq!(ledger(&m, "ok(d1)"), ["necessary(d1)"]);
    }

    #[test]
    fn left_open_a_conclusion_that_rests_on_a_presumption_is_withdrawn_but_keeps_its_ledger() {
        let m = model(RISK, OpenNorms::Open);
        let d1 = [Value::Text("d1".into())];
        for negated in [false, true] {
            assert!(!m
                .status("ok", negated, &d1)
                .is_some_and(|s| s.is_provable()));
        }
        assert!(m.withdrawn("ok", false, &d1));
        assert_eq!(ledger(&m, "ok(d1)"), ["~risky(d1)"]);
        // What rests on the facts alone stands.
        for (d, negated) in [("d2", true), ("d3", false)] {
            assert!(m
                .status("ok", negated, &[Value::Text(d.into())])
                .is_some_and(|s| s.is_provable()));
        }
    }

    #[test]
    fn of_two_supports_the_one_resting_on_fewer_presumptions_counts() {
        let m = model(
            "@open_norm pred necessary(D).\n\
             item(d1). listed(d1).\n\
             by_norm: default ok(D) :- item(D), necessary(D).\n\
             by_list: default ok(D) :- item(D), listed(D).\n",
            OpenNorms::Assume,
        );
        assert!(ledger(&m, "ok(d1)").is_empty());
        assert_eq!(ledger(&m, "necessary(d1)"), ["necessary(d1)"]);
    }
}
