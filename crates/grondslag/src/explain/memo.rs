//! The memo: what a lawyer reads first. The verdict in words with the date and the law in
//! force; the assumptions it rests on; the decisive reasons — for a conclusion that fails,
//! each ground against it with its norm and the facts that make it; for one that holds, each
//! layer of the rule that established it with the norm that carries it (and the exception
//! that set a duty aside); for an undetermined one, what is open —; then what would make it
//! hold: minimal sets of missing conditions, fewest first, those a party can bring about
//! before those only a legislator can.
//!
//! The memo is data. Each format renders it (`text`, `markdown`, `html`, `json`); the full
//! derivation, the graph, follows it.

use std::collections::{BTreeSet, HashSet};

use crate::defeasible::theory::{InstanceId, LitId};
use crate::model::Status;
use crate::syntax::ast::{BodyItem, RuleKind};
use crate::value::Date;

use super::build::{lit_under, Builder};
use super::graph::Lit;
use super::reach::Class;

/// The verdict in words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The conclusion holds (for `lawful`: the processing is lawful).
    Holds,
    /// Its opposite holds (for `lawful`: unlawful).
    Fails,
    /// Neither: the facts do not decide it.
    Undetermined,
}

impl Verdict {
    /// Its name in JSON: `holds`, `fails`, `undetermined`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Holds => "holds",
            Verdict::Fails => "fails",
            Verdict::Undetermined => "undetermined",
        }
    }
}

/// A norm as the memo cites it: the rule's label and its `@source`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Norm {
    /// The rule's label (`None`: an unlabelled rule).
    pub label: Option<String>,
    /// Its citation.
    pub source: Option<String>,
}

/// A literal and what it says.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    /// The literal.
    pub lit: Lit,
    /// It in words, from its `pred` template.
    pub sentence: Option<String>,
}

/// What a reason is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReasonKind {
    /// A ground against the conclusion (for `lawful`: a violation).
    Against,
    /// A layer of the rule that established it (ground, art. 9, secrecy, ...).
    Layer,
    /// A condition that is open: neither established nor excluded.
    Open,
}

impl ReasonKind {
    /// Its name in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonKind::Against => "against",
            ReasonKind::Layer => "layer",
            ReasonKind::Open => "open",
        }
    }
}

/// A duty that an exception set aside (professional secrecy lifted by Sw. art. 458ter).
#[derive(Clone, Debug, PartialEq)]
pub struct Lifted {
    /// The rule that would have decided otherwise.
    pub duty: Norm,
    /// The exception that beat it.
    pub exception: Norm,
    /// The `@principle` of the pair.
    pub principle: Option<String>,
}

/// A condition that would have to hold, who could bring it about, and the norm asking for it.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// The condition.
    pub statement: Statement,
    /// Party, legislator, or no one (a circumstance).
    pub class: Class,
    /// The norm that asks for it.
    pub norm: Option<Norm>,
}

/// One set of conditions that together would make the conclusion hold.
#[derive(Clone, Debug, PartialEq)]
pub struct Alternative {
    /// The conditions.
    pub conditions: Vec<Condition>,
    /// Evaluating the case with them added: `Some(true)` it then holds; `None`: not checked
    /// (a condition names no value, as a law yet to be written).
    pub checked: Option<bool>,
}

impl Alternative {
    /// Who would have to act: the hardest to move of the conditions.
    pub fn class(&self) -> Class {
        self.conditions
            .iter()
            .map(|c| c.class)
            .max()
            .unwrap_or(Class::Party)
    }

    /// The conditions as literals.
    pub fn literals(&self) -> Vec<Lit> {
        self.conditions
            .iter()
            .map(|c| c.statement.lit.clone())
            .collect()
    }
}

/// One decisive reason.
#[derive(Clone, Debug, PartialEq)]
pub struct Reason {
    /// Against, a layer, or open.
    pub kind: ReasonKind,
    /// What it says (`violation(d6, professional_secrecy)`, `has_basis(d5)`).
    pub statement: Statement,
    /// The literal that decided it, when that is more telling than the statement
    /// (`basis(d5, public_task)` under `has_basis(d5)`).
    pub decided_by: Option<Statement>,
    /// The norms that carry it, the most specific last.
    pub norms: Vec<Norm>,
    /// The `not` conditions that held for it ("no special categories of data").
    pub absent: Vec<Statement>,
    /// The duty an exception set aside, for a layer.
    pub lifted: Option<Lifted>,
    /// The facts of the case it rests on.
    pub facts: Vec<Statement>,
    /// For a ground against: the nearest conditions that would have averted it.
    pub averted_by: Option<Alternative>,
}

/// An assumption a verdict rests on (an open norm taken as assessed), for the ledger.
#[derive(Clone, Debug, PartialEq)]
pub struct Assumption {
    /// What is assumed.
    pub statement: Statement,
    /// The norm whose open term it assesses.
    pub norm: Option<Norm>,
}

/// The memo on one conclusion.
#[derive(Clone, Debug, PartialEq)]
pub struct Memo {
    /// Holds, fails, undetermined.
    pub verdict: Verdict,
    /// The conclusion in words (`lawful(d6)`: "verwerking d6 is rechtmatig").
    pub goal: Statement,
    /// Its opposite in words, when the opposite holds.
    pub opposite: Option<Statement>,
    /// The date whose law was applied.
    pub date: Option<Date>,
    /// The draft bills applied (in force on the date).
    pub bills: Vec<String>,
    /// What the verdict rests on, as assumed (open norms); empty when nothing is assumed.
    pub assumptions: Vec<Assumption>,
    /// The decisive reasons.
    pub reasons: Vec<Reason>,
    /// What would make the conclusion hold (when it does not), ranked; `None`: not searched
    /// (no evaluation to check the sets against).
    pub remedies: Option<Vec<Alternative>>,
}

impl Memo {
    /// Every statement the memo makes, in order: the goal, its opposite, the assumptions, each
    /// reason with what decided it, its facts and conditions, each remedy's conditions.
    pub fn statements(&self) -> Vec<&Statement> {
        let mut out = vec![&self.goal];
        out.extend(&self.opposite);
        out.extend(self.assumptions.iter().map(|a| &a.statement));
        for r in &self.reasons {
            out.push(&r.statement);
            out.extend(&r.decided_by);
            out.extend(&r.absent);
            out.extend(&r.facts);
            if let Some(a) = &r.averted_by {
                out.extend(a.conditions.iter().map(|c| &c.statement));
            }
        }
        for a in self.remedies.iter().flatten() {
            out.extend(a.conditions.iter().map(|c| &c.statement));
        }
        out
    }

    /// The norms the memo names, in order, without repeats: the labels a reader checks.
    pub fn norms(&self) -> Vec<&Norm> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        let from_reasons = self.reasons.iter().flat_map(|r| {
            r.norms
                .iter()
                .chain(r.lifted.iter().flat_map(|l| [&l.duty, &l.exception]))
                .chain(
                    r.averted_by
                        .iter()
                        .flat_map(|a| a.conditions.iter().filter_map(|c| c.norm.as_ref())),
                )
        });
        let from_remedies = self
            .remedies
            .iter()
            .flatten()
            .flat_map(|a| a.conditions.iter().filter_map(|c| c.norm.as_ref()));
        for norm in from_reasons.chain(from_remedies) {
            if seen.insert(norm) {
                out.push(norm);
            }
        }
        out
    }
}

/// How deep the memo follows a chain of norms below a reason.
const CHAIN: usize = 4;

impl Builder<'_> {
    /// The memo on `goal` (its verdict, reasons and what would make it hold: the remedies
    /// are candidates, not yet checked by evaluating them).
    pub fn memo(&mut self, goal: &Lit, date: Option<Date>) -> Memo {
        let status = self.status_of(goal);
        let complement = goal.complement();
        let verdict = match status {
            Some(s) if s.is_provable() => Verdict::Holds,
            Some(Status::Refuted) => Verdict::Fails,
            _ if self.status_of(&complement).is_some_and(Status::is_provable) => Verdict::Fails,
            _ => Verdict::Undetermined,
        };
        let reasons = match verdict {
            Verdict::Holds => self.layers(goal),
            Verdict::Fails => self.grounds_against(&complement),
            Verdict::Undetermined => self.open(goal),
        };
        let remedies = match verdict {
            Verdict::Holds => None,
            _ => {
                let need = self.need(goal);
                let mut all: Vec<Alternative> =
                    need.sets.iter().map(|set| self.alternative(set)).collect();
                // What a party or a legislator can do comes first; facts that would have to be
                // otherwise are offered only when nothing else would do.
                all.sort_by_key(|a| (a.class() == Class::Circumstance, a.conditions.len()));
                if all.iter().any(|a| a.class() != Class::Circumstance) {
                    all.retain(|a| a.class() != Class::Circumstance);
                }
                Some(all)
            }
        };
        Memo {
            verdict,
            goal: self.statement(goal),
            opposite: (verdict == Verdict::Fails).then(|| self.statement(&complement)),
            date,
            bills: self.norms.bills.clone(),
            assumptions: Vec::new(),
            reasons,
            remedies,
        }
    }

    fn statement(&self, lit: &Lit) -> Statement {
        Statement {
            lit: lit.clone(),
            sentence: self.norms.sentence(lit),
        }
    }

    /// A set of conditions as the memo shows it.
    pub fn alternative(&self, set: &[Lit]) -> Alternative {
        let conditions = set
            .iter()
            .map(|lit| {
                let found = self.condition(lit);
                Condition {
                    statement: self.statement(lit),
                    class: found.map_or(Class::Circumstance, |c| c.class),
                    norm: found
                        .and_then(|c| c.asked_by.clone())
                        .map(|(label, source)| Norm { label, source }),
                }
            })
            .collect();
        Alternative {
            conditions,
            checked: None,
        }
    }

    fn norm_of(&self, instance: InstanceId) -> Norm {
        let origin = self
            .theory
            .origin(self.theory.instances[instance as usize].rule);
        let source = self
            .norms
            .rule_at(origin.span)
            .and_then(|r| r.attrs.source.as_ref().map(|(s, _)| s.clone()));
        Norm {
            label: origin.label.clone(),
            source,
        }
    }

    /// For a conclusion that fails: each ground the opposite rests on. A ground is a derived
    /// premise of a rule that established the opposite (`violation(d6, ...)` under
    /// `p1_unlawful`), or the rule's own conclusion when it rests on facts alone.
    fn grounds_against(&mut self, opposite: &Lit) -> Vec<Reason> {
        let mut grounds: Vec<LitId> = Vec::new();
        let mut direct: Vec<InstanceId> = Vec::new();
        let Some(id) = self.id_of(opposite) else {
            return Vec::new();
        };
        let mut instances = self.applicable_for(opposite);
        if instances.is_empty() {
            instances.extend(self.theory.conclusion(id).by);
        }
        for instance in instances {
            let derived: Vec<LitId> = self.theory.instances[instance as usize]
                .body
                .iter()
                .copied()
                .filter(|p| !self.theory.fact[*p as usize])
                .collect();
            if derived.is_empty() {
                direct.push(instance);
            }
            for p in derived {
                if !grounds.contains(&p) {
                    grounds.push(p);
                }
            }
        }
        let mut reasons = Vec::new();
        for ground in grounds {
            let lit = self.lit_of(ground);
            let norms = self.chain(ground, CHAIN);
            let facts = self.facts_under(ground);
            let averted = self.defeat(&lit);
            let averted_by = averted.sets.first().map(|set| self.alternative(set));
            let absent = self.absent_of(self.theory.conclusion(ground).by);
            reasons.push(Reason {
                kind: ReasonKind::Against,
                statement: self.statement(&lit),
                decided_by: None,
                norms,
                absent,
                lifted: None,
                facts,
                averted_by,
            });
        }
        for instance in direct {
            let head = self.theory.instances[instance as usize].head;
            let lit = self.lit_of(head);
            reasons.push(Reason {
                kind: ReasonKind::Against,
                statement: self.statement(&lit),
                decided_by: None,
                norms: vec![self.norm_of(instance)],
                absent: self.absent_of(Some(instance)),
                lifted: None,
                facts: self.facts_under(head),
                averted_by: None,
            });
        }
        // Facts every ground shares (the processing itself) are said once, by the first.
        if reasons.len() > 1 {
            let shared: Vec<Lit> = reasons[0]
                .facts
                .iter()
                .filter(|f| {
                    reasons
                        .iter()
                        .all(|r| r.facts.iter().any(|g| g.lit == f.lit))
                })
                .map(|f| f.lit.clone())
                .collect();
            for reason in reasons.iter_mut().skip(1) {
                reason.facts.retain(|f| !shared.contains(&f.lit));
            }
        }
        reasons
    }

    /// The labelled norms a conclusion rests on, from its own rule down through the premises
    /// that could give way (a duty that an exception could lift), most general first.
    fn chain(&mut self, lit: LitId, depth: usize) -> Vec<Norm> {
        let Some(by) = self.theory.conclusion(lit).by else {
            return Vec::new();
        };
        let mut out = vec![self.norm_of(by)];
        if depth == 0 {
            return out;
        }
        let premises: Vec<LitId> = self.theory.instances[by as usize]
            .body
            .iter()
            .copied()
            .filter(|p| !self.theory.fact[*p as usize])
            .collect();
        for p in premises {
            let premise = self.lit_of(p);
            if self.defeat(&premise).is_impossible() {
                continue;
            }
            for norm in self.chain(p, depth - 1) {
                if !out.contains(&norm) {
                    out.push(norm);
                }
            }
        }
        // An unlabelled rule that only passes its premise on says less than the norm below.
        if out.len() > 1 && out[0].label.is_none() {
            out.remove(0);
        }
        out
    }

    /// The facts of the case a conclusion rests on (not those the law itself states).
    fn facts_under(&mut self, lit: LitId) -> Vec<Statement> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![lit];
        let mut facts = Vec::new();
        while let Some(l) = todo.pop() {
            if !seen.insert(l) {
                continue;
            }
            if self.theory.fact[l as usize] {
                let fact = self.lit_of(l);
                if !self.norms.law_fact(&fact.pred) {
                    facts.push(fact);
                }
                continue;
            }
            if let Some(by) = self.theory.conclusion(l).by {
                todo.extend(self.theory.instances[by as usize].body.iter().rev());
            }
        }
        facts.sort();
        facts.iter().map(|f| self.statement(f)).collect()
    }

    /// The `not` conditions of an instance's rule, under its bindings: they held.
    fn absent_of(&self, instance: Option<InstanceId>) -> Vec<Statement> {
        let Some(instance) = instance else {
            return Vec::new();
        };
        let origin = self
            .theory
            .origin(self.theory.instances[instance as usize].rule);
        let Some(rule) = self.norms.rule_at(origin.span) else {
            return Vec::new();
        };
        let env = self.instance_env(instance);
        rule.body
            .iter()
            .filter_map(|item| match item {
                BodyItem::Not(literal, _) => Some(self.statement(&lit_under(literal, &env))),
                _ => None,
            })
            .collect()
    }

    /// For a conclusion that holds: each premise of the rule that established it, with the
    /// literal and norm that decided it.
    fn layers(&mut self, goal: &Lit) -> Vec<Reason> {
        let Some(id) = self.id_of(goal) else {
            return Vec::new();
        };
        let Some(by) = self.theory.conclusion(id).by else {
            // A fact of the case.
            return Vec::new();
        };
        let mut premises = self.theory.instances[by as usize].body.clone();
        // The facts a rule reads are in the derivation; the layers are what the law decided
        // (unless the rule reads facts alone).
        if premises.iter().any(|p| !self.theory.fact[*p as usize]) {
            premises.retain(|p| !self.theory.fact[*p as usize]);
        }
        let mut reasons = Vec::new();
        // The rule that established it set a duty aside: that is the first thing to say.
        if let Some(lifted) = self.lifted(id) {
            reasons.push(Reason {
                kind: ReasonKind::Layer,
                statement: self.statement(goal),
                decided_by: None,
                norms: vec![lifted.exception.clone()],
                absent: Vec::new(),
                lifted: Some(lifted),
                facts: Vec::new(),
                averted_by: None,
            });
        }
        for p in premises {
            let lit = self.lit_of(p);
            let decided = self.decisive_below(p);
            let decided_lit = self.lit_of(decided);
            let instance = self.theory.conclusion(decided).by;
            let norms = match instance {
                Some(i) => vec![self.norm_of(i)],
                None => Vec::new(),
            };
            let lifted = self.lifted(decided);
            let absent = self.absent_of(instance);
            // A layer that is a fact says so itself.
            let facts = Vec::new();
            reasons.push(Reason {
                kind: ReasonKind::Layer,
                statement: self.statement(&lit),
                decided_by: (decided != p).then(|| self.statement(&decided_lit)),
                norms,
                absent,
                lifted,
                facts,
                averted_by: None,
            });
        }
        for absent in self.absent_of(Some(by)) {
            reasons.push(Reason {
                kind: ReasonKind::Layer,
                statement: absent,
                decided_by: None,
                norms: vec![self.norm_of(by)],
                absent: Vec::new(),
                lifted: None,
                facts: Vec::new(),
                averted_by: None,
            });
        }
        reasons
    }

    /// Below a layer, the literal that decided it: down through unlabelled rules to the one
    /// premise a labelled or defeasible rule established (`has_basis(d)` ← `basis(d, G)`).
    fn decisive_below(&self, mut lit: LitId) -> LitId {
        for _ in 0..CHAIN {
            let Some(by) = self.theory.conclusion(lit).by else {
                break;
            };
            if self.theory.label(by).is_some() {
                break;
            }
            let telling: Vec<LitId> = self.theory.instances[by as usize]
                .body
                .iter()
                .copied()
                .filter(|p| {
                    self.theory.conclusion(*p).by.is_some_and(|i| {
                        self.theory.label(i).is_some()
                            || self.theory.instances[i as usize].kind != RuleKind::Strict
                    })
                })
                .collect();
            match telling.as_slice() {
                [one] => lit = *one,
                _ => break,
            }
        }
        lit
    }

    /// The duty that an exception set aside for a defeasible conclusion: an applicable rule
    /// for the opposite that the rule establishing it beat.
    fn lifted(&mut self, lit: LitId) -> Option<Lifted> {
        let by = self.theory.conclusion(lit).by?;
        let own = self.lit_of(lit);
        let duty = self
            .applicable_for(&own.complement())
            .into_iter()
            .find(|d| self.theory.beats(by, *d))?;
        let principle = self.principle_between(by, duty);
        Some(Lifted {
            duty: self.norm_of(duty),
            exception: self.norm_of(by),
            principle,
        })
    }

    /// For an undetermined conclusion: the conditions of its nearest rule that are not
    /// established, each with what its own nearest rule lacks.
    fn open(&mut self, goal: &Lit) -> Vec<Reason> {
        let mut attempts = self.attempts(goal);
        attempts.retain(|a| a.not_in_force.is_none());
        attempts.sort_by_key(|a| a.failed.len());
        let Some(nearest) = attempts.into_iter().next() else {
            // Rules on both sides apply and neither wins.
            return self.conflict(goal);
        };
        let norm = Norm {
            label: nearest.rule.label.as_ref().map(|l| l.name.clone()),
            source: nearest.rule.attrs.source.as_ref().map(|(s, _)| s.clone()),
        };
        let mut reasons = Vec::new();
        for failure in &nearest.failed {
            let super::whynot::Failure::Missing(premise) = failure else {
                continue;
            };
            let mut below = self.attempts(premise);
            below.retain(|a| a.not_in_force.is_none());
            below.sort_by_key(|a| a.failed.len());
            let (norms, absent) = match below.first() {
                Some(a) => {
                    let missing = a
                        .failed
                        .iter()
                        .filter_map(|f| match f {
                            super::whynot::Failure::Missing(p) => Some(self.statement(p)),
                            _ => None,
                        })
                        .collect();
                    let n = Norm {
                        label: a.rule.label.as_ref().map(|l| l.name.clone()),
                        source: a.rule.attrs.source.as_ref().map(|(s, _)| s.clone()),
                    };
                    (vec![norm.clone(), n], missing)
                }
                None => (vec![norm.clone()], Vec::new()),
            };
            reasons.push(Reason {
                kind: ReasonKind::Open,
                statement: self.statement(premise),
                decided_by: None,
                norms,
                absent,
                lifted: None,
                facts: Vec::new(),
                averted_by: None,
            });
        }
        if reasons.is_empty() {
            reasons = self.conflict(goal);
        }
        reasons
    }

    /// A conflict neither side wins: the applicable rules on both sides.
    fn conflict(&mut self, goal: &Lit) -> Vec<Reason> {
        let mut norms = Vec::new();
        for side in [goal.clone(), goal.complement()] {
            for instance in self.applicable_for(&side) {
                let norm = self.norm_of(instance);
                if !norms.contains(&norm) {
                    norms.push(norm);
                }
            }
        }
        vec![Reason {
            kind: ReasonKind::Open,
            statement: self.statement(goal),
            decided_by: None,
            norms,
            absent: Vec::new(),
            lifted: None,
            facts: Vec::new(),
            averted_by: None,
        }]
    }
}
