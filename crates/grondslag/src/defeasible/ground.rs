//! Grounding one stratum through the Datalog engine: only instances whose bodies can be
//! supported are made. For each rule `r` of the stratum the grounding program has
//!
//! ```text
//! inst_r(V1, ..., Vk) :- body of r.        % every binding of r's body
//! head of r           :- inst_r(V1, ..., Vk).   % (not for defeaters: they conclude nothing)
//! ```
//!
//! where relations of lower strata hold their defeasibly provable (+∂) literals, so that
//! `not`, comparisons and aggregates over them are decided exactly, and relations of the
//! stratum itself hold every literal some chain of rules could support — an over-approximation
//! the decision procedure then settles.
//!
//! A stratum whose rules are all ground (no variables, only atoms as conditions: the
//! propositional theories of the defeasible-logic literature) needs no such program: each rule
//! has one instance, which exists once its body atoms are supported. Forward chaining with a
//! counter per rule finds them in time linear in the rules (`chain_ground_rules`).

use std::sync::OnceLock;
use std::time::Duration;

use rustc_hash::FxHashMap;

use crate::diagnostic::Diagnostic;
use crate::eval::exec::{eval_expr, Db};
use crate::eval::ir::read_provable_only;
use crate::eval::ir::{Arg, Atom, Expr, Goal, Program, RelId, Rule, Tuple, VarId};
use crate::eval::stratify::body_dependencies;
use crate::eval::{
    overflow, prepare_program, run_strata, Budget, Engine, Limits, Path, Paths, Prepared,
};
use crate::graph::Lists;
use crate::syntax::ast::RuleKind;
use crate::value::{Interner, ValueId};

/// A rule instance found by grounding, before it enters the theory.
#[derive(Clone, Debug)]
pub struct Grounded {
    /// The rule instantiated (index into the program's rules).
    pub rule: usize,
    /// The head literal under the instance's bindings.
    pub head: (RelId, Tuple),
    /// The positive body literals, in rule order.
    pub body: Vec<(RelId, Tuple)>,
    /// The values of the rule's variables that the body binds, as `(variable, value)`.
    pub bindings: Vec<(VarId, ValueId)>,
}

/// What lower strata established, as the grounding reads it.
pub struct Known<'a> {
    /// +∂ literals (and the facts): read by `not` and aggregates.
    pub provable: &'a Db,
    /// Literals positive conditions may match: under ambiguity blocking the provable ones;
    /// under propagation the supported (+Σ) ones, since a merely supported attacker counts.
    pub supported: &'a Db,
    /// Ambiguity propagation is on (`supported` then differs from `provable`).
    pub propagating: bool,
}

/// The stratum to ground: the program's rules and relations, which of its rules, and where
/// values made by arithmetic go.
pub struct Stratum<'a> {
    /// Every rule of the program.
    pub rules: &'a [Rule],
    /// The program's relations (their names).
    pub program: &'a Program,
    /// The stratum's rules (indices into `rules`).
    pub members: &'a [usize],
    /// The values of the evaluation.
    pub interner: &'a mut Interner,
    /// The stratum's grounding program, written the first time it is needed and kept for
    /// every later evaluation of the same program (the cases evaluated on one law).
    pub template: &'a OnceLock<Result<Template, Box<Diagnostic>>>,
}

/// Ground the stratum's rules against what lower strata established. A stratum of ground
/// rules is grounded by forward chaining under [`Engine::Auto`]; otherwise, and under every
/// other engine, through its grounding program, which `engine` runs. `paths` counts which.
pub fn ground(
    stratum: Stratum,
    known: &Known,
    limits: &Limits,
    remaining: Option<Duration>,
    engine: Engine,
    paths: &mut Paths,
) -> Result<Vec<Grounded>, Box<Diagnostic>> {
    // Arithmetic that overflows while grounding is an error, never a missing instance.
    let (rules, members) = (stratum.rules, stratum.members);
    overflow::reset();
    let grounded = ground_rules(stratum, known, limits, remaining, engine, paths)?;
    match overflow::take() {
        Some(found) => {
            let culprits = members.iter().map(|&i| &rules[i]);
            Err(Box::new(overflow::diagnostic(found, culprits)))
        }
        None => Ok(grounded),
    }
}

fn ground_rules(
    stratum: Stratum,
    known: &Known,
    limits: &Limits,
    remaining: Option<Duration>,
    engine: Engine,
    paths: &mut Paths,
) -> Result<Vec<Grounded>, Box<Diagnostic>> {
    let limits = Limits {
        timeout: remaining.or(limits.timeout),
        ..*limits
    };
    let Stratum {
        rules,
        program,
        members,
        interner,
        template,
    } = stratum;
    if engine == Engine::Auto && members.iter().all(|&i| is_ground(&rules[i])) {
        paths.add(Path::ForwardChaining);
        return chain_ground_rules(rules, members, interner, known, &limits);
    }
    paths.add(Path::GroundingProgram);
    let template = template
        .get_or_init(|| Template::new(rules, program, members, known.propagating))
        .as_ref()
        .map_err(|d| d.clone())?;
    let gp = &template.prepared;
    let mut db = Db::new(gp.program.relations.len());
    for &(rel, here) in &template.read {
        db.rels[here.0 as usize] = known.supported.get(rel).to_vec();
    }
    for &(rel, shadow) in &template.read_provable {
        db.rels[shadow.0 as usize] = known.provable.get(rel).to_vec();
    }
    let mut budget = Budget::new(&limits);
    budget.add_facts(db.size())?;
    let run = run_strata(gp, &mut db, interner, &mut budget, engine, None, None)?;
    paths.merge(&run);
    // The instances take more room than the bindings they come from: the budget watches.
    let mut budget = Budget::new(&limits);
    let mut out = Vec::new();
    let ground_body_holds = |rule: &Rule| {
        rule.body.iter().all(|g| match g {
            Goal::Atom(a) => template.local.get(&a.rel).is_some_and(|here| {
                db.get(*here)
                    .binary_search(&instantiate(&a.args, &[]))
                    .is_ok()
            }),
            _ => unreachable!("only atoms in a body grounded directly"),
        })
    };
    let no_binding: [Tuple; 1] = [Tuple::new()];
    for (n, &index) in members.iter().enumerate() {
        let rule = &rules[index];
        let bindings: &[Tuple] = match template.insts[n] {
            Some(inst) => db.get(inst),
            None if ground_body_holds(rule) => &no_binding,
            None => &[],
        };
        let kept = &template.kept[n];
        let mut env: Vec<Option<ValueId>> = vec![None; rule.var_names.len()];
        for binding in bindings {
            budget
                .tick()
                .map_err(|stop| stop.in_rule(rule.origin.span))?;
            for (v, value) in kept.iter().zip(binding.iter()) {
                env[v.0 as usize] = Some(*value);
            }
            let head: Option<Tuple> = rule
                .head_args
                .iter()
                .map(|e| eval_expr(e, &env, interner))
                .collect();
            let Some(head) = head else { continue };
            let body = rule
                .body
                .iter()
                .filter_map(|g| match g {
                    Goal::Atom(a) => Some((a.rel, instantiate(&a.args, &env))),
                    _ => None,
                })
                .collect();
            out.push(Grounded {
                rule: index,
                head: (rule.head, head),
                body,
                bindings: kept.iter().copied().zip(binding.iter().copied()).collect(),
            });
        }
    }
    Ok(out)
}

/// A stratum's grounding program, planned and stratified, without its facts: for each rule
/// `r` of the stratum
///
/// ```text
/// inst_r(V1, ..., Vk) :- body of r.        % every binding of r's body
/// head of r           :- inst_r(V1, ..., Vk).   % (not for defeaters: they conclude nothing)
/// ```
///
/// Each evaluation loads what lower strata established into the relations it reads and runs
/// it.
pub struct Template {
    prepared: Prepared,
    /// The program's relations the rules read or conclude, with their number here: loaded
    /// with the literals lower strata support.
    read: Vec<(RelId, RelId)>,
    /// Under ambiguity propagation, the shadow relations that `not` and aggregates read,
    /// with the program relation whose provable literals they hold.
    read_provable: Vec<(RelId, RelId)>,
    /// Program relation → its number here.
    local: FxHashMap<RelId, RelId>,
    /// Per rule, the relation that holds its body bindings; `None` for a rule without
    /// variables whose conditions are all atoms: its one instance exists when its body atoms
    /// were all derived, which is read from the result directly (a chain of such rules would
    /// otherwise cost a relation and two rules each).
    insts: Vec<Option<RelId>>,
    /// Per rule, the variables its bindings hold, in column order.
    kept: Vec<Vec<VarId>>,
}

impl Template {
    fn new(
        rules: &[Rule],
        program: &Program,
        members: &[usize],
        propagating: bool,
    ) -> Result<Template, Box<Diagnostic>> {
        let mut gp = Program::default();
        let mut local = Local::default();
        let mut read: Vec<RelId> = Vec::new();
        let mut read_provable: Vec<(RelId, RelId)> = Vec::new();
        let mut kept: Vec<Vec<VarId>> = Vec::new();
        let mut insts: Vec<Option<RelId>> = Vec::with_capacity(members.len());
        for &index in members {
            let rule = &rules[index];
            let vars = rule.bound_variables();
            let mut deps = Vec::new();
            body_dependencies(&rule.body, false, &mut deps);
            read.extend(deps.into_iter().map(|(rel, _)| rel));
            read.push(rule.head);
            if is_ground(rule) {
                if rule.origin.kind != RuleKind::Defeater {
                    let mut copy = rule.clone();
                    local.rule(&mut copy, program, &mut gp);
                    gp.rules.push(copy);
                }
                insts.push(None);
                kept.push(vars);
                continue;
            }
            let inst = gp.relation(&format!("inst#{index}"), false, vars.len());
            insts.push(Some(inst));
            let mut body = rule.body.clone();
            for goal in &mut body {
                local.goal(goal, program, &mut gp);
            }
            if propagating {
                // `not` and aggregates read the provable literals, kept under a relation of
                // their own.
                for goal in &mut body {
                    read_provable_only(goal, false, &mut gp, &mut read_provable);
                }
            }
            gp.rules.push(Rule {
                head: inst,
                head_args: vars.iter().map(|v| Expr::Var(*v)).collect(),
                body,
                ..rule.clone()
            });
            if rule.origin.kind != RuleKind::Defeater {
                let head = local.of(rule.head, program, &mut gp);
                gp.rules.push(Rule {
                    head,
                    body: vec![Goal::Atom(Atom {
                        rel: inst,
                        args: vars.iter().map(|v| Arg::Var(*v)).collect(),
                    })],
                    ..rule.clone()
                });
            }
            kept.push(vars);
        }
        read.sort();
        read.dedup();
        let read: Vec<(RelId, RelId)> = read
            .into_iter()
            .map(|rel| (rel, local.of(rel, program, &mut gp)))
            .collect();
        read_provable.sort();
        read_provable.dedup();
        let read_provable = read_provable
            .into_iter()
            .map(|(here, shadow)| (local.program[&here], shadow))
            .collect();
        let prepared = prepare_program(gp).map_err(|mut d| Box::new(d.remove(0)))?;
        Ok(Template {
            prepared,
            read,
            read_provable,
            local: local.ids,
            insts,
            kept,
        })
    }
}

/// The grounding program's own numbering of the program's relations: only those the
/// stratum's rules read or conclude, so that grounding a stratum costs the stratum's size, not
/// the program's (a program with ten thousand predicates has about as many strata).
#[derive(Default)]
struct Local {
    /// Program relation → its number in the grounding program.
    ids: FxHashMap<RelId, RelId>,
    /// And back.
    program: FxHashMap<RelId, RelId>,
}

impl Local {
    fn of(&mut self, rel: RelId, program: &Program, gp: &mut Program) -> RelId {
        *self.ids.entry(rel).or_insert_with(|| {
            let r = program.rel(rel);
            let here = gp.relation(&r.name, r.negated, r.arity);
            self.program.insert(here, rel);
            here
        })
    }

    /// Renumber a goal's relations (inside aggregates too).
    fn goal(&mut self, goal: &mut Goal, program: &Program, gp: &mut Program) {
        match goal {
            Goal::Atom(a) | Goal::Not(a) => a.rel = self.of(a.rel, program, gp),
            Goal::Compare(..) => {}
            Goal::Aggregate(agg) => {
                for g in &mut agg.body {
                    self.goal(g, program, gp);
                }
            }
        }
    }

    fn rule(&mut self, rule: &mut Rule, program: &Program, gp: &mut Program) {
        rule.head = self.of(rule.head, program, gp);
        for goal in &mut rule.body {
            self.goal(goal, program, gp);
        }
    }
}

/// A rule without variables whose conditions are all atoms: it has exactly one instance,
/// which exists when its body atoms are all supported.
fn is_ground(rule: &Rule) -> bool {
    rule.var_names.is_empty() && rule.body.iter().all(|g| matches!(g, Goal::Atom(_)))
}

/// Ground a stratum of ground rules by forward chaining: an atom is supported when lower
/// strata established it (or it is a fact), or when a rule that is not a defeater concludes
/// it from supported atoms. Each rule counts its body atoms not yet supported; an atom
/// becoming supported counts down the rules waiting for it, so every rule and body atom is
/// visited a constant number of times. The instances are those of the grounding program's
/// least model, in rule order.
fn chain_ground_rules(
    program_rules: &[Rule],
    rules: &[usize],
    interner: &mut Interner,
    known: &Known,
    limits: &Limits,
) -> Result<Vec<Grounded>, Box<Diagnostic>> {
    let mut budget = Budget::new(limits);
    // The atoms the rules mention, numbered; whether each is supported so far.
    let mut ids: FxHashMap<(RelId, Tuple), u32> = FxHashMap::default();
    let mut atoms: Vec<(RelId, Tuple)> = Vec::new();
    let mut supported: Vec<bool> = Vec::new();
    let mut id_of = |rel: RelId, tuple: Tuple| -> u32 {
        *ids.entry((rel, tuple)).or_insert_with_key(|(rel, tuple)| {
            atoms.push((*rel, tuple.clone()));
            supported.push(known.supported.get(*rel).binary_search(tuple).is_ok());
            atoms.len() as u32 - 1
        })
    };
    // Per rule: its head atom (`None` when arithmetic in the head fails: no instance) and
    // its body atoms.
    let mut heads: Vec<Option<u32>> = Vec::with_capacity(rules.len());
    let mut body: Vec<u32> = Vec::new();
    let mut lengths: Vec<usize> = Vec::with_capacity(rules.len());
    for &index in rules {
        let rule = &program_rules[index];
        let head: Option<Tuple> = rule
            .head_args
            .iter()
            .map(|e| eval_expr(e, &[], interner))
            .collect();
        heads.push(head.map(|tuple| id_of(rule.head, tuple)));
        lengths.push(rule.body.len());
        for goal in &rule.body {
            let Goal::Atom(a) = goal else {
                unreachable!("a ground rule has only atoms as conditions")
            };
            body.push(id_of(a.rel, instantiate(&a.args, &[])));
        }
    }
    let body = Lists::from_lengths(lengths.into_iter(), body);
    // Per rule, its body atoms not supported yet; per atom, the rules waiting for it (once per
    // occurrence).
    let mut waiting: Vec<u32> = vec![0; rules.len()];
    let mut waits = Vec::new();
    for (n, waiting) in waiting.iter_mut().enumerate() {
        for &atom in body.of(n) {
            if !supported[atom as usize] {
                waits.push((atom, n as u32));
                *waiting += 1;
            }
        }
    }
    let waiters = Lists::from_pairs(atoms.len(), &waits);
    drop(waits);
    let concludes: Vec<bool> = rules
        .iter()
        .map(|&i| program_rules[i].origin.kind != RuleKind::Defeater)
        .collect();
    // Rules whose bodies are supported, still to conclude their heads.
    let mut ready: Vec<u32> = (0..rules.len() as u32)
        .filter(|&n| waiting[n as usize] == 0)
        .collect();
    let mut derived = 0u64;
    while let Some(n) = ready.pop() {
        let n = n as usize;
        budget
            .tick()
            .map_err(|stop| stop.in_rule(program_rules[rules[n]].origin.span))?;
        let Some(head) = heads[n].filter(|_| concludes[n]) else {
            continue;
        };
        if std::mem::replace(&mut supported[head as usize], true) {
            continue;
        }
        derived += 1;
        if derived.is_multiple_of(4096) {
            budget.add_facts(4096)?;
            budget.check_time()?;
        }
        for &m in waiters.of(head as usize) {
            waiting[m as usize] -= 1;
            if waiting[m as usize] == 0 {
                ready.push(m);
            }
        }
    }
    budget.add_facts(derived % 4096)?;
    let mut out = Vec::new();
    for (n, &index) in rules.iter().enumerate() {
        let Some(head) = heads[n].filter(|_| waiting[n] == 0) else {
            continue;
        };
        out.push(Grounded {
            rule: index,
            head: atoms[head as usize].clone(),
            body: body
                .of(n)
                .iter()
                .map(|&a| atoms[a as usize].clone())
                .collect(),
            bindings: Vec::new(),
        });
    }
    Ok(out)
}

fn instantiate(args: &[Arg], env: &[Option<ValueId>]) -> Tuple {
    args.iter()
        .map(|a| match a {
            Arg::Const(c) => *c,
            Arg::Var(v) => env[v.0 as usize].expect("bound by grounding"),
        })
        .collect()
}
