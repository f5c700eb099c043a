//! The defeasible layer: strong negation, default rules, defeaters, superiority (docs/language.md).
//!
//! Stratum by stratum (strata come from the predicate dependency graph, in which `p` and `~p`
//! depend on each other):
//! 1. `ground` makes the rule instances whose bodies lower strata can support, through the
//!    Datalog engine;
//! 2. `decide` settles +Δ, +∂ and −∂ for the stratum's literals, linear in the instances;
//! 3. the provable literals become input to the strata above (`not p` reads them).
//!
//! The result is the decided ground theory ([`Decided`]); the model is built from it
//! (`model::Model::of_theory`) and keeps it: `via` and explanations read the reasoning there.

pub mod decide;
pub mod ground;
pub mod theory;

use std::time::Instant;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::diagnostic::Diagnostic;
use crate::eval::exec::Db;
use crate::eval::ir::{Expr, Goal, Program, RelId, Tuple};
use crate::eval::stratify::body_dependencies;
use crate::eval::{Budget, Engine, InputFacts, Limits, Paths, Prepared};
use crate::syntax::ast::{Item, Module, RuleKind};

use theory::{Conclusion, GroundTheory, Instance, LitId};

/// How ambiguity between conflicting defeasible rules spreads (docs/language.md).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Policy {
    /// An ambiguous literal blocks what it would have attacked (+∂ as in Nute's logic).
    #[default]
    Blocking,
    /// Ambiguity propagates: a merely supported (+Σ) attacker still counts.
    Propagating,
}

/// A program's ground theory with every literal decided.
#[derive(Debug)]
pub struct Decided {
    /// The program (its interner holds every value grounding made; its rules moved into the
    /// theory).
    pub program: Program,
    /// Every literal considered, with its conclusion and the rule instances behind it.
    pub theory: GroundTheory,
    /// How each stratum was grounded, and the evaluators the grounding programs took.
    pub paths: Paths,
}

/// Evaluate `modules`, already lowered, planned and stratified as `prepared` (the modules still
/// give the superiority pairs). `engine` runs the grounding programs; only [`Engine::Auto`]
/// grounds a stratum of ground rules by forward chaining, the others always write a
/// grounding program.
pub fn evaluate(
    modules: &[&Module],
    mut prepared: Prepared,
    inputs: &[InputFacts],
    policy: Policy,
    limits: &Limits,
    engine: Engine,
) -> Result<Decided, Box<Diagnostic>> {
    let program = &mut prepared.program;
    for input in inputs {
        for row in &input.rows {
            let rel = program.relation(&input.pred, false, row.len());
            let tuple = row
                .iter()
                .map(|v| program.interner.intern(v.clone()))
                .collect();
            program.facts.push((rel, tuple));
        }
    }
    let superiority = Superiority::new(program, modules);
    let complements: Vec<Option<RelId>> = program
        .relations
        .iter()
        .map(|r| program.find_relation(&r.name, !r.negated, r.arity))
        .collect();
    let defeasible = defeasible_relations(program);
    let mut theory = GroundTheory::default();
    let mut provable = Db::new(program.relations.len());
    for (rel, tuple) in &program.facts {
        let lit = theory.literal(*rel, tuple.clone());
        theory.fact[lit as usize] = true;
        theory.conclusions[lit as usize] = Conclusion {
            definite: true,
            provable: true,
            supported: true,
            by: None,
        };
        provable.rels[rel.0 as usize].push(tuple.clone());
    }
    for rows in &mut provable.rels {
        rows.sort_unstable();
        rows.dedup();
    }
    let propagating = policy == Policy::Propagating;
    let mut paths = Paths::default();
    let mut supported = if propagating {
        provable.clone()
    } else {
        Db::default()
    };
    let started = Instant::now();
    let mut budget = Budget::new(limits);
    let rules_of = prepared.strata.rules_by_stratum(program);
    for (stratum, rules) in prepared.strata.strata.iter().zip(rules_of) {
        if rules.is_empty() {
            continue;
        }
        let remaining = limits.timeout.map(|t| t.saturating_sub(started.elapsed()));
        let known = ground::Known {
            provable: &provable,
            supported: if propagating { &supported } else { &provable },
            propagating,
        };
        let grounded = ground::ground(
            program, &rules, &known, limits, remaining, engine, &mut paths,
        )?;
        // The stratum's literals: its facts, the heads of its instances, ground heads of
        // rules that never applied, and the complements of all of them.
        let mut lits: Vec<LitId> = Vec::new();
        for rel in stratum {
            for tuple in provable.get(*rel) {
                lits.push(theory.literal(*rel, tuple.clone()));
            }
        }
        let first_instance = theory.instances.len();
        theory.instances.reserve(grounded.len());
        // Rules (by place in `rules`) with an instance: their ground heads are among the
        // instances' heads already.
        let mut instantiated = vec![false; rules.len()];
        for g in grounded {
            budget
                .tick()
                .map_err(|stop| Box::new(stop.in_rule(program.rules[g.rule].origin.span)))?;
            if let Ok(at) = rules.binary_search(&g.rule) {
                instantiated[at] = true;
            }
            let head = theory.literal(g.head.0, g.head.1);
            // (Not collected in place from `g.body`: that reuses its larger buffer, then
            // shrinks it with a reallocation per instance.)
            let mut body = Vec::with_capacity(g.body.len());
            for (rel, tuple) in g.body {
                body.push(theory.literal(rel, tuple));
            }
            lits.push(head);
            let rule = &program.rules[g.rule];
            let mut read = Vec::new();
            for goal in &rule.body {
                if !matches!(goal, Goal::Atom(_)) {
                    body_dependencies(std::slice::from_ref(goal), true, &mut read);
                }
            }
            theory.add_instance(Instance {
                rule: g.rule,
                kind: rule.origin.kind,
                head,
                body,
                firm_conditions: read.iter().all(|(rel, _)| !defeasible[rel.0 as usize]),
                bindings: g.bindings,
            });
        }
        for (at, &i) in rules.iter().enumerate() {
            if instantiated[at] {
                continue;
            }
            if let Some(tuple) = ground_head(program, i) {
                lits.push(theory.literal(program.rules[i].head, tuple));
            }
        }
        lits.sort_unstable();
        lits.dedup();
        let mut with_complements = Vec::with_capacity(lits.len() * 2);
        for &lit in &lits {
            with_complements.push(lit);
            let (rel, tuple) = &theory.literals[lit as usize];
            if let Some(c) = complements[rel.0 as usize] {
                let other = theory.literal(c, tuple.clone());
                theory.link_complements(lit, other);
                with_complements.push(other);
            }
        }
        with_complements.sort_unstable();
        with_complements.dedup();
        let instances = first_instance as u32..theory.instances.len() as u32;
        let pairs = theory.superiority.len();
        superiority.ground(&mut theory, &with_complements);
        decide::decide(&mut theory, &with_complements, instances, pairs, policy);
        for &lit in &with_complements {
            let c = theory.conclusion(lit);
            let (rel, tuple) = &theory.literals[lit as usize];
            if c.provable {
                provable.rels[rel.0 as usize].push(tuple.clone());
            }
            if propagating && c.supported {
                supported.rels[rel.0 as usize].push(tuple.clone());
            }
        }
        for rel in stratum {
            for db in [&mut provable, &mut supported] {
                if let Some(rows) = db.rels.get_mut(rel.0 as usize) {
                    rows.sort_unstable();
                    rows.dedup();
                }
            }
        }
    }
    let mut program = std::mem::take(&mut prepared.program);
    theory.keep_rules(std::mem::take(&mut program.rules));
    Ok(Decided {
        program,
        theory,
        paths,
    })
}

/// Relations whose conclusions may rest on defeasible reasoning: heads of `default` rules
/// and defeaters, their complements, and whatever is concluded from them. A worklist over the
/// relations: each becomes defeasible once, and then marks the heads of the rules reading it
/// (linear in the rules, whatever their order).
fn defeasible_relations(program: &Program) -> Vec<bool> {
    let mut defeasible = vec![false; program.relations.len()];
    let mut readers: Vec<Vec<usize>> = vec![Vec::new(); program.relations.len()];
    let mut pending: Vec<RelId> = Vec::new();
    let mut read = Vec::new();
    for (i, rule) in program.rules.iter().enumerate() {
        read.clear();
        body_dependencies(&rule.body, false, &mut read);
        for &(rel, _) in &read {
            readers[rel.0 as usize].push(i);
        }
        if rule.origin.kind != RuleKind::Strict {
            pending.push(rule.head);
        }
    }
    while let Some(rel) = pending.pop() {
        if std::mem::replace(&mut defeasible[rel.0 as usize], true) {
            continue;
        }
        let r = program.rel(rel);
        pending.extend(program.find_relation(&r.name, !r.negated, r.arity));
        pending.extend(
            readers[rel.0 as usize]
                .iter()
                .map(|&i| program.rules[i].head),
        );
    }
    defeasible
}

/// The head of rule `i` when it has no variables (so it is considered even if it never
/// applies, and ends up −∂).
fn ground_head(program: &Program, i: usize) -> Option<Tuple> {
    program.rules[i]
        .head_args
        .iter()
        .map(|e| match e {
            Expr::Const(c) => Some(*c),
            _ => None,
        })
        .collect()
}

/// Superiority between labelled rules, applied to all their instances.
struct Superiority {
    /// The label number of each lowered rule.
    label_of: Vec<Option<u32>>,
    pairs: FxHashSet<(u32, u32)>,
}

impl Superiority {
    fn new(program: &Program, modules: &[&Module]) -> Superiority {
        let mut numbers: FxHashMap<&str, u32> = FxHashMap::default();
        let label_of = program
            .rules
            .iter()
            .map(|r| {
                r.origin.label.as_deref().map(|l| {
                    let next = numbers.len() as u32;
                    *numbers.entry(l).or_insert(next)
                })
            })
            .collect();
        let pairs = modules
            .iter()
            .flat_map(|m| m.items.iter())
            .filter_map(|item| match item {
                Item::Superiority(s) => Some((
                    *numbers.get(s.stronger.name.as_str())?,
                    *numbers.get(s.weaker.name.as_str())?,
                )),
                _ => None,
            })
            .collect();
        Superiority { label_of, pairs }
    }

    /// Add the ground pairs `(t, s)` between instances of the given literals whose rules are
    /// ordered and whose heads are complementary.
    fn ground(&self, theory: &mut GroundTheory, lits: &[LitId]) {
        if self.pairs.is_empty() {
            return;
        }
        let mut found = Vec::new();
        for &q in lits {
            let Some(c) = theory.complement_of(q) else {
                continue;
            };
            for &t in &theory.concluded_by[q as usize] {
                let Some(lt) = self.label_of[theory.instances[t as usize].rule] else {
                    continue;
                };
                for &s in &theory.concluded_by[c as usize] {
                    let Some(ls) = self.label_of[theory.instances[s as usize].rule] else {
                        continue;
                    };
                    if self.pairs.contains(&(lt, ls)) {
                        found.push((t, s));
                    }
                }
            }
        }
        theory.superiority.extend(found);
    }
}
