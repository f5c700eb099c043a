//! The decision procedure for one stratum of a ground theory: first +Δ (facts and strict
//! rules), then +∂/−∂ by propagation, in the style of Maher's linear algorithm. Each literal
//! and rule keeps counters (body literals still open, supporting rules still alive, attackers
//! still unanswered); a literal is decided the moment its counters allow, and deciding it
//! updates only the rules it occurs in. Every instance and superiority pair is touched a
//! constant number of times, so the work is linear in the size of the ground theory.
//!
//! The proof conditions (Antoniou, Billington, Governatori, Maher 2001), for a literal q with
//! complement ~q:
//!
//! ```text
//! +∂q  iff  +Δq, or
//!           some strict or defeasible rule for q is applicable (body +∂),
//!           −Δ~q, and every rule s for ~q is discarded (a body literal −∂) or beaten by an
//!           applicable strict or defeasible rule t for q with t > s            (team defeat)
//! −∂q  iff  −Δq, and: every strict or defeasible rule for q is discarded, or +Δ~q, or some
//!           applicable rule s for ~q has no stronger rule for q that is not discarded
//! ```
//!
//! Ambiguity propagation replaces "discarded" for attackers by "unsupported" (a body literal
//! −Σ) and "applicable" attackers by "supported" ones (body +Σ), where
//!
//! ```text
//! +Σq  iff  +Δq, or some strict or defeasible rule r for q has its body +Σ and every rule
//!           for ~q stronger than r is discarded
//! −Σq  iff  −Δq, and every strict or defeasible rule r for q has a body literal −Σ or an
//!           applicable stronger rule for ~q
//! ```
//!
//! Loops (`p ⇐ p`) leave literals neither proved nor refuted by these conditions; they are
//! resolved by unfounded sets, as in well-founded defeasible logic: a literal that no chain of
//! rules could still support is −∂ (and −Σ).

use std::ops::Range;

use super::theory::{GroundTheory, InstanceId, LitId};
use super::Policy;
use crate::graph::{components, Lists};
use crate::syntax::ast::RuleKind;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mark {
    Open,
    Plus,
    Minus,
}

/// The literals and instances of one stratum, with local numbering.
struct Stratum {
    /// The stratum's literals, sorted: a literal's local number is its place here.
    lits: Vec<LitId>,
    /// Local complement of each local literal (if the complement relation exists).
    comp: Vec<Option<usize>>,
    /// Definite (+Δ) literals.
    definite: Vec<bool>,
    /// Instances for each local literal.
    rules_for: Lists,
    /// Instances whose body mentions each local literal (once per occurrence).
    occurs_in: Lists,
    /// The stratum's instances are `first_instance..first_instance + head.len()`.
    first_instance: InstanceId,
    head: Vec<usize>,
    kind: Vec<RuleKind>,
    /// In-stratum body literals (local); body literals of lower strata are already +∂.
    body: Lists,
    /// Whether every lower-stratum body literal is definite (needed for +Δ), provable (else
    /// the instance is discarded from the start) and supported (else it is unsupported).
    lower_definite: Vec<bool>,
    lower_provable: Vec<bool>,
    lower_supported: Vec<bool>,
    /// `beats[t]`: instances `s` with `t > s` (and complementary heads).
    beats: Lists,
    /// `stronger[s]`: instances `t` with `t > s`.
    stronger: Lists,
}

/// Decide every literal of one stratum: `lits` (sorted, without duplicates), the instances
/// `instances` and the ground superiority pairs `theory.superiority[pairs..]`. Lower strata
/// must be decided already.
pub fn decide(
    theory: &mut GroundTheory,
    lits: &[LitId],
    instances: Range<InstanceId>,
    pairs: usize,
    policy: Policy,
) {
    let mut stratum = Stratum::new(theory, lits, instances, pairs);
    let by_delta = stratum.definite_conclusions();
    let mut run = Run::new(&stratum, policy);
    run.solve();
    theory
        .proved
        .extend(run.proved.iter().map(|&l| stratum.lits[l]));
    let global = |i: usize| stratum.first_instance + i as InstanceId;
    for (l, &lit) in stratum.lits.iter().enumerate() {
        let c = &mut theory.conclusions[lit as usize];
        c.definite = stratum.definite[l];
        c.provable = run.pos[l] == Mark::Plus;
        c.supported = c.provable || run.sigma[l] == Mark::Plus;
        c.by = if c.definite {
            by_delta[l].map(global)
        } else if c.provable {
            run.support[l].map(global)
        } else {
            None
        };
    }
}

impl Stratum {
    fn new(
        theory: &GroundTheory,
        lits: &[LitId],
        instances: Range<InstanceId>,
        pairs: usize,
    ) -> Stratum {
        debug_assert!(lits.windows(2).all(|w| w[0] < w[1]));
        let local = |lit: LitId| lits.binary_search(&lit).ok();
        let comp = lits
            .iter()
            .map(|l| theory.complement_of(*l).and_then(local))
            .collect();
        let first_instance = instances.start;
        let m = instances.len();
        let mut head = Vec::with_capacity(m);
        let mut kind = Vec::with_capacity(m);
        let mut heads = Vec::with_capacity(m);
        let mut body = Vec::new();
        let mut occurrences = Vec::new();
        let (mut lower_definite, mut lower_provable, mut lower_supported) = (
            Vec::with_capacity(m),
            Vec::with_capacity(m),
            Vec::with_capacity(m),
        );
        let mut body_lengths = Vec::with_capacity(m);
        for (r, id) in instances.enumerate() {
            let instance = &theory.instances[id as usize];
            let h = local(instance.head).expect("an instance's head is a literal of its stratum");
            head.push(h);
            kind.push(instance.kind);
            heads.push((h as u32, r as u32));
            let before = body.len();
            let (mut definite, mut provable, mut supported) =
                (instance.firm_conditions, true, true);
            for &b in &instance.body {
                match local(b) {
                    Some(l) => {
                        occurrences.push((l as u32, r as u32));
                        body.push(l as u32);
                    }
                    None => {
                        let c = theory.conclusions[b as usize];
                        definite &= c.definite;
                        provable &= c.provable;
                        supported &= c.supported;
                    }
                }
            }
            body_lengths.push(body.len() - before);
            lower_definite.push(definite);
            lower_provable.push(provable);
            lower_supported.push(supported);
        }
        let mut beats = Vec::new();
        let mut stronger = Vec::new();
        for &(t, w) in &theory.superiority[pairs..] {
            let (t, w) = (t - first_instance, w - first_instance);
            if kind[t as usize] != RuleKind::Defeater {
                beats.push((t, w));
                stronger.push((w, t));
            }
        }
        let n = lits.len();
        Stratum {
            lits: lits.to_vec(),
            comp,
            definite: lits.iter().map(|l| theory.fact[*l as usize]).collect(),
            rules_for: Lists::from_pairs(n, &heads),
            occurs_in: Lists::from_pairs(n, &occurrences),
            first_instance,
            head,
            kind,
            body: Lists::from_lengths(body_lengths.into_iter(), body),
            lower_definite,
            lower_provable,
            lower_supported,
            beats: Lists::from_pairs(m, &beats),
            stronger: Lists::from_pairs(m, &stronger),
        }
    }

    /// +Δ: the least model of facts and strict instances. Returns, per literal, the strict
    /// instance that made it definite (`None` for facts).
    fn definite_conclusions(&mut self) -> Vec<Option<usize>> {
        let mut by = vec![None; self.lits.len()];
        let m = self.head.len();
        let mut open: Vec<usize> = (0..m).map(|r| self.body.len_of(r)).collect();
        let mut queue: Vec<usize> = (0..self.lits.len()).filter(|l| self.definite[*l]).collect();
        for (r, &waiting) in open.iter().enumerate() {
            if self.kind[r] == RuleKind::Strict && self.lower_definite[r] && waiting == 0 {
                let h = self.head[r];
                if !self.definite[h] {
                    self.definite[h] = true;
                    by[h] = Some(r);
                    queue.push(h);
                }
            }
        }
        while let Some(l) = queue.pop() {
            for &r in self.occurs_in.of(l) {
                let r = r as usize;
                if self.kind[r] != RuleKind::Strict || !self.lower_definite[r] {
                    continue;
                }
                open[r] -= 1;
                let h = self.head[r];
                if open[r] == 0 && !self.definite[h] {
                    self.definite[h] = true;
                    by[h] = Some(r);
                    queue.push(h);
                }
            }
        }
        by
    }

    /// The components of the literals' dependency graph, dependencies first: a literal
    /// depends on the body literals of the rules for it and of the rules for its complement.
    fn components(&self) -> Lists {
        let mut edges = Vec::new();
        for r in 0..self.head.len() {
            let h = self.head[r];
            for &b in self.body.of(r) {
                edges.push((b, h as u32));
                if let Some(c) = self.comp[h] {
                    edges.push((b, c as u32));
                }
            }
        }
        let n = self.lits.len();
        components(n, &Lists::from_pairs(n, &edges))
    }

    fn supports(&self, r: usize) -> bool {
        self.kind[r] != RuleKind::Defeater
    }

    fn comp_definite(&self, l: usize) -> bool {
        self.comp[l].is_some_and(|c| self.definite[c])
    }
}

/// "Not set" in [`Scratch`].
const NONE: u32 = u32::MAX;

/// Tables the search for unfounded literals reuses from component to component (allocating
/// them per component would cost the whole stratum's size each time).
struct Scratch {
    /// A literal's place among the members of the component at hand (`NONE` outside it).
    slot: Vec<u32>,
    /// Per instance: body literals inside the component still to be reached (`NONE`: not
    /// counted).
    need: Vec<u32>,
}

impl Scratch {
    fn new(literals: usize, instances: usize) -> Scratch {
        Scratch {
            slot: vec![NONE; literals],
            need: vec![NONE; instances],
        }
    }
}

/// The state of the propagation.
struct Run<'s> {
    s: &'s Stratum,
    propagating: bool,
    pos: Vec<Mark>,
    /// The applicable supporting instance that proves the literal.
    support: Vec<Option<usize>>,
    /// Per instance: body literals not yet +∂; discarded (a body literal −∂).
    open: Vec<u32>,
    dead: Vec<bool>,
    /// Per literal: supporting instances not discarded; attackers neither neutralised nor
    /// beaten; whether an attacker applies with no live stronger rule against it.
    live_support: Vec<u32>,
    unanswered: Vec<u32>,
    blocked: Vec<bool>,
    /// Per instance: beaten by an applicable stronger instance; neutralised as an attacker
    /// (discarded, or under propagation unsupported); stronger instances not discarded.
    beaten: Vec<bool>,
    neutral: Vec<bool>,
    stronger_alive: Vec<u32>,
    // Support (Σ), used only under ambiguity propagation.
    sigma: Vec<Mark>,
    sopen: Vec<u32>,
    sdead: Vec<bool>,
    overruled: Vec<bool>,
    sigma_live: Vec<u32>,
    queue: Vec<Event>,
    /// The literals proved (+∂), in the order they were.
    proved: Vec<usize>,
}

#[derive(Clone, Copy)]
enum Event {
    Pos(usize, Mark),
    Sigma(usize, Mark),
}

impl<'s> Run<'s> {
    fn new(s: &'s Stratum, policy: Policy) -> Run<'s> {
        let n = s.lits.len();
        let m = s.head.len();
        let mut live_support = vec![0; n];
        let mut unanswered = vec![0; n];
        for r in 0..m {
            let h = s.head[r];
            if s.supports(r) {
                live_support[h] += 1;
            }
            if let Some(c) = s.comp[h] {
                unanswered[c] += 1;
            }
        }
        Run {
            s,
            propagating: policy == Policy::Propagating,
            pos: vec![Mark::Open; n],
            support: vec![None; n],
            open: (0..m).map(|r| s.body.len_of(r) as u32).collect(),
            dead: vec![false; m],
            sigma_live: live_support.clone(),
            live_support,
            unanswered,
            blocked: vec![false; n],
            beaten: vec![false; m],
            neutral: vec![false; m],
            stronger_alive: (0..m).map(|r| s.stronger.len_of(r) as u32).collect(),
            sigma: vec![Mark::Open; n],
            sopen: (0..m).map(|r| s.body.len_of(r) as u32).collect(),
            sdead: vec![false; m],
            overruled: vec![false; m],
            queue: Vec::new(),
            proved: Vec::new(),
        }
    }

    fn solve(&mut self) {
        let (n, m) = (self.s.lits.len(), self.s.head.len());
        for r in 0..m {
            if !self.s.lower_provable[r] {
                self.dead[r] = true;
                self.discarded(r);
            }
            if self.propagating && !self.s.lower_supported[r] {
                self.sdead[r] = true;
                self.unsupported(r);
            }
        }
        for r in 0..m {
            if self.open[r] == 0 && !self.dead[r] {
                self.applicable(r);
            }
            if self.propagating && self.sopen[r] == 0 && !self.sdead[r] {
                self.supported(r);
            }
        }
        for l in 0..n {
            self.check(l);
            self.check_sigma(l);
        }
        self.drain();
        // Loops: what nothing could still support is −∂ (and −Σ). Sought one component of
        // the stratum's dependency graph at a time, dependencies first (a chain of loops would
        // otherwise cost a pass over the whole stratum per loop), then over the whole stratum,
        // until nothing changes.
        let open = |run: &Self, l: u32| {
            let l = l as usize;
            run.pos[l] == Mark::Open || (run.propagating && run.sigma[l] == Mark::Open)
        };
        if !(0..n as u32).any(|l| open(self, l)) {
            return;
        }
        let mut scratch = Scratch::new(n, m);
        let components = self.s.components();
        for c in 0..components.count() {
            let members = components.of(c);
            while members.iter().any(|&l| open(self, l)) && self.unfounded(members, &mut scratch) {
                self.drain();
            }
        }
        let all: Vec<u32> = (0..n as u32).collect();
        while self.unfounded(&all, &mut scratch) {
            self.drain();
        }
    }

    fn drain(&mut self) {
        while let Some(event) = self.queue.pop() {
            match event {
                Event::Pos(l, Mark::Plus) => {
                    for &r in self.s.occurs_in.of(l) {
                        let r = r as usize;
                        self.open[r] -= 1;
                        if self.open[r] == 0 && !self.dead[r] {
                            self.applicable(r);
                        }
                    }
                }
                Event::Pos(l, _) => {
                    for &r in self.s.occurs_in.of(l) {
                        let r = r as usize;
                        if !self.dead[r] {
                            self.dead[r] = true;
                            self.discarded(r);
                        }
                    }
                }
                Event::Sigma(l, Mark::Plus) => {
                    for &r in self.s.occurs_in.of(l) {
                        let r = r as usize;
                        self.sopen[r] -= 1;
                        if self.sopen[r] == 0 && !self.sdead[r] {
                            self.supported(r);
                        }
                    }
                }
                Event::Sigma(l, _) => {
                    for &r in self.s.occurs_in.of(l) {
                        let r = r as usize;
                        if !self.sdead[r] {
                            self.sdead[r] = true;
                            self.unsupported(r);
                        }
                    }
                }
            }
        }
    }

    /// Instance `r` has become applicable (its body is +∂).
    fn applicable(&mut self, r: usize) {
        let s = self.s;
        let h = s.head[r];
        if s.supports(r) {
            if self.support[h].is_none() {
                self.support[h] = Some(r);
            }
            for &w in s.beats.of(r) {
                let w = w as usize;
                if !self.beaten[w] {
                    self.beaten[w] = true;
                    if !self.neutral[w] {
                        self.unanswered[h] -= 1;
                    }
                }
                if !self.overruled[w] {
                    self.overruled[w] = true;
                    if !self.sdead[w] && s.supports(w) {
                        self.sigma_live[s.head[w]] -= 1;
                        self.check_sigma(s.head[w]);
                    }
                }
            }
            self.check(h);
        }
        if !self.propagating {
            self.attacker_applies(r);
        }
    }

    /// Instance `r` has become supported (its body is +Σ): under propagation, an attacker.
    fn supported(&mut self, r: usize) {
        if self.s.supports(r) {
            self.check_sigma(self.s.head[r]);
        }
        self.attacker_applies(r);
    }

    /// `r` attacks the complement of its head; with no live stronger rule against it, that
    /// complement is blocked.
    fn attacker_applies(&mut self, r: usize) {
        if self.stronger_alive[r] == 0 {
            if let Some(c) = self.s.comp[self.s.head[r]] {
                self.blocked[c] = true;
                self.check(c);
            }
        }
    }

    fn attacker_live(&self, r: usize) -> bool {
        if self.propagating {
            self.sopen[r] == 0 && !self.sdead[r]
        } else {
            self.open[r] == 0 && !self.dead[r]
        }
    }

    /// Instance `r` is discarded (a body literal is −∂).
    fn discarded(&mut self, r: usize) {
        let s = self.s;
        let h = s.head[r];
        if s.supports(r) {
            self.live_support[h] -= 1;
            for &w in s.beats.of(r) {
                let w = w as usize;
                self.stronger_alive[w] -= 1;
                if self.stronger_alive[w] == 0 {
                    if self.attacker_live(w) {
                        self.blocked[h] = true;
                    }
                    self.check_sigma(s.head[w]);
                }
            }
            self.check(h);
        }
        if !self.propagating {
            self.neutralise(r);
        }
    }

    /// Instance `r` is unsupported (a body literal is −Σ).
    fn unsupported(&mut self, r: usize) {
        let h = self.s.head[r];
        if self.s.supports(r) && !self.overruled[r] {
            self.sigma_live[h] -= 1;
            self.check_sigma(h);
        }
        self.neutralise(r);
    }

    /// `r` no longer counts as an attacker of its head's complement.
    fn neutralise(&mut self, r: usize) {
        if self.neutral[r] {
            return;
        }
        self.neutral[r] = true;
        if let Some(c) = self.s.comp[self.s.head[r]] {
            if !self.beaten[r] {
                self.unanswered[c] -= 1;
                self.check(c);
            }
        }
    }

    fn check(&mut self, l: usize) {
        if self.pos[l] != Mark::Open {
            return;
        }
        let s = self.s;
        let proved = self.support[l].is_some() && !s.comp_definite(l) && self.unanswered[l] == 0;
        let mark = if s.definite[l] || proved {
            Mark::Plus
        } else if self.live_support[l] == 0 || s.comp_definite(l) || self.blocked[l] {
            Mark::Minus
        } else {
            return;
        };
        self.pos[l] = mark;
        self.queue.push(Event::Pos(l, mark));
        if mark == Mark::Plus {
            self.proved.push(l);
            // What is proved is supported.
            self.set_sigma(l, Mark::Plus);
        }
    }

    fn check_sigma(&mut self, l: usize) {
        if !self.propagating || self.sigma[l] != Mark::Open {
            return;
        }
        let s = self.s;
        if s.definite[l]
            || s.rules_for.of(l).iter().any(|&r| {
                let r = r as usize;
                s.supports(r) && self.sopen[r] == 0 && !self.sdead[r] && self.stronger_alive[r] == 0
            })
        {
            self.set_sigma(l, Mark::Plus);
        } else if self.sigma_live[l] == 0 {
            self.set_sigma(l, Mark::Minus);
        }
    }

    fn set_sigma(&mut self, l: usize, mark: Mark) {
        if self.propagating && self.sigma[l] == Mark::Open {
            self.sigma[l] = mark;
            self.queue.push(Event::Sigma(l, mark));
        }
    }

    /// Literals among `members` (a component of the dependency graph, or the whole stratum)
    /// that nothing could still support become −∂, and under propagation those that nothing
    /// could still make supported −Σ. Dependencies outside `members` are settled, or (if still
    /// open) taken to hold: so what a component's pass marks, the whole stratum's would mark
    /// too. True when anything changed.
    fn unfounded(&mut self, members: &[u32], scratch: &mut Scratch) -> bool {
        let mut changed = false;
        for sigma in [false, true] {
            if sigma && !self.propagating {
                continue;
            }
            let reach = self.could_hold(members, scratch, sigma);
            for (&l, reached) in members.iter().zip(reach) {
                let l = l as usize;
                if reached {
                    continue;
                }
                if sigma && self.sigma[l] == Mark::Open {
                    self.set_sigma(l, Mark::Minus);
                    changed = true;
                } else if !sigma && self.pos[l] == Mark::Open {
                    self.pos[l] = Mark::Minus;
                    self.queue.push(Event::Pos(l, Mark::Minus));
                    changed = true;
                }
            }
        }
        changed
    }

    /// Which of `members` (in their order) chains of live supporting instances among them
    /// could still establish (+∂, or +Σ with `sigma`), from what holds already and body
    /// literals outside them that are not refuted.
    fn could_hold(&self, members: &[u32], scratch: &mut Scratch, sigma: bool) -> Vec<bool> {
        let s = self.s;
        let holds = |l: usize| {
            if sigma {
                self.sigma[l] == Mark::Plus
            } else {
                self.pos[l] == Mark::Plus
            }
        };
        let live = |r: usize| if sigma { !self.sdead[r] } else { !self.dead[r] };
        for (i, &l) in members.iter().enumerate() {
            scratch.slot[l as usize] = i as u32;
        }
        let mut reach: Vec<bool> = members.iter().map(|&l| holds(l as usize)).collect();
        let mut queue: Vec<u32> = Vec::new();
        let mut counted: Vec<usize> = Vec::new();
        let fire = |r: usize, reach: &mut Vec<bool>, queue: &mut Vec<u32>, slot: &[u32]| {
            let h = s.head[r];
            let at = slot[h] as usize;
            if !reach[at] && !s.comp_definite(h) {
                reach[at] = true;
                queue.push(at as u32);
            }
        };
        // Each live supporting instance of a member waits for its body literals among the
        // members that do not hold yet (a literal that holds is never counted, so only
        // literals reached here count down).
        for &l in members {
            for &r in s.rules_for.of(l as usize) {
                let r = r as usize;
                if !s.supports(r) || !live(r) {
                    continue;
                }
                let waiting = s
                    .body
                    .of(r)
                    .iter()
                    .filter(|&&b| scratch.slot[b as usize] != NONE && !holds(b as usize))
                    .count();
                scratch.need[r] = waiting as u32;
                counted.push(r);
                if waiting == 0 {
                    fire(r, &mut reach, &mut queue, &scratch.slot);
                }
            }
        }
        while let Some(at) = queue.pop() {
            for &r in s.occurs_in.of(members[at as usize] as usize) {
                let r = r as usize;
                if scratch.need[r] == NONE {
                    continue;
                }
                scratch.need[r] -= 1;
                if scratch.need[r] == 0 {
                    fire(r, &mut reach, &mut queue, &scratch.slot);
                }
            }
        }
        for &l in members {
            scratch.slot[l as usize] = NONE;
        }
        for r in counted {
            scratch.need[r] = NONE;
        }
        reach
    }
}
