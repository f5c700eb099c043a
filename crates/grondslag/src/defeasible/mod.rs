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
pub mod ledger;
pub mod theory;

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::diagnostic::Diagnostic;
use crate::eval::exec::Db;
use crate::eval::ir::{Expr, Goal, Program, RelId, Rule, Tuple};
use crate::eval::stratify::{self, body_dependencies};
use crate::eval::{Budget, Case, Engine, InputFacts, Limits, Paths, Prepared};
use crate::syntax::ast::{Item, Module, RuleKind};

use ground::Grounded;
use theory::{Conclusion, GroundTheory, Instance, LitId};

/// The label prefix of presumptions (`assumed:necessary`): the `default` rules that presume an
/// open norm (`open_norm::presumptions`). A presumption yields to every rule for the
/// complement, as if each were superior to it; no label a file can write has the colon.
pub const PRESUMPTION: &str = "assumed:";

/// Whether a rule label is a presumption's.
pub fn is_presumption(label: Option<&str>) -> bool {
    label.is_some_and(|l| l.starts_with(PRESUMPTION))
}

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
    prepared: Prepared,
    inputs: &[InputFacts],
    policy: Policy,
    limits: &Limits,
    engine: Engine,
) -> Result<Decided, Box<Diagnostic>> {
    let base = Base::new(prepared, modules, inputs, policy);
    let case = base.case();
    base.evaluate(case, &[], limits, engine, false)
}

/// A defeasible program prepared for many evaluations: lowered, planned and stratified once,
/// each stratum's grounding program written the first time it is needed, and — for
/// [`Base::evaluate`] with reuse — the program evaluated once on its own, so that a stratum
/// no fact of a case can reach is not grounded again for each case.
pub struct Base {
    /// The rules, shared with every ground theory evaluated from them.
    rules: Arc<Vec<Rule>>,
    /// The relations, the facts (the input files' last) and the values (frozen: each case
    /// numbers its own values after them); no rules.
    program: Program,
    strata: Vec<Vec<RelId>>,
    /// The rules of each stratum.
    rules_of: Vec<Vec<usize>>,
    /// The relations the rules of each stratum read.
    reads: Vec<Vec<RelId>>,
    superiority: Superiority,
    complements: Vec<Option<RelId>>,
    /// Relations whose conclusions may rest on defeasible reasoning.
    defeasible: Vec<bool>,
    policy: Policy,
    /// Each stratum's grounding program, once written.
    grounding: Vec<OnceLock<Result<ground::Template, Box<Diagnostic>>>>,
    /// The program evaluated without a case, per engine: each stratum's instances, when they
    /// may be reused (grounding made no new value).
    alone: [OnceLock<Vec<Option<Alone>>>; 4],
}

/// What grounding one stratum of the program on its own gave.
struct Alone {
    grounded: Vec<Grounded>,
    paths: Paths,
}

impl Base {
    /// Prepare `prepared` (lowered from `modules`, whose superiority pairs apply) with the
    /// facts of `inputs`.
    pub fn new(
        mut prepared: Prepared,
        modules: &[&Module],
        inputs: &[InputFacts],
        policy: Policy,
    ) -> Base {
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
        let reads = stratify::reads(program, &prepared.rules_of);
        let rules = Arc::new(std::mem::take(&mut program.rules));
        program.interner = std::mem::take(&mut program.interner).freeze();
        let strata = prepared.strata.strata;
        Base {
            rules,
            program: prepared.program,
            grounding: strata.iter().map(|_| OnceLock::new()).collect(),
            strata,
            rules_of: prepared.rules_of,
            reads,
            superiority,
            complements,
            defeasible,
            policy,
            alone: Default::default(),
        }
    }

    /// A case without facts yet: lower its facts into [`Case::program`].
    pub fn case(&self) -> Case {
        Case::over(&self.program)
    }

    /// The program's relations and values.
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// Whether `case` can be evaluated on this base: each relation it adds is new by name
    /// as well (a case fact `~p(a)` where the program knows only `p` would join `p`'s
    /// stratum, which the base did not plan).
    pub fn takes(&self, case: &Case) -> bool {
        case.program.relations[self.program.relations.len()..]
            .iter()
            .all(|r| {
                self.program
                    .find_relation(&r.name, !r.negated, r.arity)
                    .is_none()
            })
    }

    /// Evaluate the base with the facts of `case`. The facts are taken in the order the
    /// whole program would list them when lowered at once: `at` gives, for each run of the
    /// case's facts (`(before, end)`: up to the case's fact `end`), how many of the base's
    /// facts come before it, so that literals are numbered as they would be. With `reuse`,
    /// each stratum that no case fact reaches takes the instances the base grounded on its
    /// own.
    pub fn evaluate(
        &self,
        case: Case,
        at: &[(usize, usize)],
        limits: &Limits,
        engine: Engine,
        reuse: bool,
    ) -> Result<Decided, Box<Diagnostic>> {
        let alone = if reuse {
            Some(self.alone(limits, engine))
        } else {
            None
        };
        self.run(case, at, limits, engine, alone, None)
    }

    /// The program evaluated without a case (once per engine), for reuse.
    fn alone(&self, limits: &Limits, engine: Engine) -> &[Option<Alone>] {
        self.alone[engine as usize].get_or_init(|| {
            let mut record = Vec::new();
            // A base that cannot be evaluated on its own (a limit) is not reused.
            match self.run(self.case(), &[], limits, engine, None, Some(&mut record)) {
                Ok(_) => record,
                Err(_) => Vec::new(),
            }
        })
    }

    fn run(
        &self,
        case: Case,
        at: &[(usize, usize)],
        limits: &Limits,
        engine: Engine,
        reuse: Option<&[Option<Alone>]>,
        mut record: Option<&mut Vec<Option<Alone>>>,
    ) -> Result<Decided, Box<Diagnostic>> {
        let mut program = case.program;
        let facts = std::mem::take(&mut program.facts);
        let mut interner = std::mem::take(&mut program.interner);
        let base_values = self.program.interner.len();
        let mut theory = GroundTheory::default();
        let mut provable = Db::new(program.relations.len());
        let mut add_fact = |rel: RelId, tuple: &Tuple| {
            let lit = theory.literal(rel, tuple.clone());
            theory.fact[lit as usize] = true;
            theory.conclusions[lit as usize] = Conclusion {
                definite: true,
                provable: true,
                supported: true,
                by: None,
            };
            provable.rels[rel.0 as usize].push(tuple.clone());
        };
        let (mut next_base, mut next_case) = (0, 0);
        let last = (self.program.facts.len(), facts.len());
        for &(before, end) in at.iter().chain([&last]) {
            let before = before.clamp(next_base, self.program.facts.len());
            let end = end.clamp(next_case, facts.len());
            for (rel, tuple) in &self.program.facts[next_base..before] {
                add_fact(*rel, tuple);
            }
            for (rel, tuple) in &facts[next_case..end] {
                add_fact(*rel, tuple);
            }
            (next_base, next_case) = (before, end);
        }
        let reached = reuse.map(|_| {
            let mut touched = vec![false; self.program.relations.len()];
            for (rel, _) in &facts {
                if let Some(t) = touched.get_mut(rel.0 as usize) {
                    *t = true;
                }
            }
            stratify::reached(&self.strata, &self.reads, touched)
        });
        provable.sort();
        let propagating = self.policy == Policy::Propagating;
        let mut paths = Paths::default();
        let mut supported = if propagating {
            provable.clone()
        } else {
            Db::default()
        };
        let started = Instant::now();
        let mut budget = Budget::new(limits);
        let rules_all = &self.rules[..];
        for (s, (stratum, rules)) in self.strata.iter().zip(&self.rules_of).enumerate() {
            if rules.is_empty() {
                continue;
            }
            let remaining = limits.timeout.map(|t| t.saturating_sub(started.elapsed()));
            let known = ground::Known {
                provable: &provable,
                supported: if propagating { &supported } else { &provable },
                propagating,
            };
            let reused = match (reuse, &reached) {
                (Some(alone), Some(reached)) if !reached[s] => {
                    alone.get(s).and_then(Option::as_ref)
                }
                _ => None,
            };
            let grounded = match reused {
                Some(alone) => {
                    paths.merge(&alone.paths);
                    alone.grounded.clone()
                }
                None => {
                    let mut stratum_paths = Paths::default();
                    let grounded = ground::ground(
                        ground::Stratum {
                            rules: rules_all,
                            program: &self.program,
                            members: rules,
                            interner: &mut interner,
                            template: &self.grounding[s],
                        },
                        &known,
                        limits,
                        remaining,
                        engine,
                        &mut stratum_paths,
                    )?;
                    paths.merge(&stratum_paths);
                    if let Some(record) = record.as_deref_mut() {
                        record.resize_with(s + 1, || None);
                        // Instances over the base's values alone mean the same in every case.
                        record[s] = only_base_values(&grounded, base_values).then(|| Alone {
                            grounded: grounded.clone(),
                            paths: stratum_paths,
                        });
                    }
                    grounded
                }
            };
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
                    .map_err(|stop| Box::new(stop.in_rule(rules_all[g.rule].origin.span)))?;
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
                let rule = &rules_all[g.rule];
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
                    firm_conditions: read.iter().all(|(rel, _)| !self.defeasible[rel.0 as usize]),
                    bindings: g.bindings,
                });
            }
            for (at, &i) in rules.iter().enumerate() {
                if instantiated[at] {
                    continue;
                }
                if let Some(tuple) = ground_head(rules_all, i) {
                    lits.push(theory.literal(rules_all[i].head, tuple));
                }
            }
            lits.sort_unstable();
            lits.dedup();
            let mut with_complements = Vec::with_capacity(lits.len() * 2);
            for &lit in &lits {
                with_complements.push(lit);
                let (rel, tuple) = &theory.literals[lit as usize];
                if let Some(c) = self.complements.get(rel.0 as usize).copied().flatten() {
                    let other = theory.literal(c, tuple.clone());
                    theory.link_complements(lit, other);
                    with_complements.push(other);
                }
            }
            with_complements.sort_unstable();
            with_complements.dedup();
            let instances = first_instance as u32..theory.instances.len() as u32;
            let pairs = theory.superiority.len();
            self.superiority.ground(&mut theory, &with_complements);
            decide::decide(
                &mut theory,
                &with_complements,
                instances,
                pairs,
                self.policy,
            );
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
        theory.keep_rules(Arc::clone(&self.rules));
        program.interner = interner;
        Ok(Decided {
            program,
            theory,
            paths,
        })
    }
}

/// Whether the instances mention only values below `base` (those of the base's interner).
fn only_base_values(grounded: &[Grounded], base: usize) -> bool {
    let small = |t: &Tuple| t.iter().all(|v| (v.0 as usize) < base);
    grounded.iter().all(|g| {
        small(&g.head.1)
            && g.body.iter().all(|(_, t)| small(t))
            && g.bindings.iter().all(|(_, v)| (v.0 as usize) < base)
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
fn ground_head(rules: &[Rule], i: usize) -> Option<Tuple> {
    rules[i]
        .head_args
        .iter()
        .map(|e| match e {
            Expr::Const(c) => Some(*c),
            _ => None,
        })
        .collect()
}

/// Superiority between labelled rules, applied to all their instances; and presumptions, which
/// yield to every other rule for the complement.
struct Superiority {
    /// The label number of each lowered rule.
    label_of: Vec<Option<u32>>,
    pairs: FxHashSet<(u32, u32)>,
    /// Which lowered rules are presumptions.
    presumption: Vec<bool>,
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
        let presumption = program
            .rules
            .iter()
            .map(|r| is_presumption(r.origin.label.as_deref()))
            .collect();
        Superiority {
            label_of,
            pairs,
            presumption,
        }
    }

    /// Add the ground pairs `(t, s)` between instances of the given literals whose rules are
    /// ordered and whose heads are complementary.
    fn ground(&self, theory: &mut GroundTheory, lits: &[LitId]) {
        let presumptions = self.presumption.iter().any(|p| *p);
        if self.pairs.is_empty() && !presumptions {
            return;
        }
        let mut found = Vec::new();
        for &q in lits {
            let Some(c) = theory.complement_of(q) else {
                continue;
            };
            if presumptions {
                // Every rule for `q` beats the presumptions of `~q`.
                for &s in &theory.concluded_by[c as usize] {
                    if !self.presumption[theory.instances[s as usize].rule] {
                        continue;
                    }
                    for &t in &theory.concluded_by[q as usize] {
                        if !self.presumption[theory.instances[t as usize].rule] {
                            found.push((t, s));
                        }
                    }
                }
            }
            if self.pairs.is_empty() {
                continue;
            }
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
