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
        let mut ledger: Vec<Option<Vec<LitId>>> = vec![None; n];
        let provable = |t: &GroundTheory, l: LitId| t.conclusion(l).provable;
        for l in 0..n {
            if theory.conclusions[l].definite {
                ledger[l] = Some(Vec::new());
            }
        }
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
