//! Semi-naive evaluation of one stratum on datafrog.
//!
//! Each rule becomes a pipeline of datafrog variables, as polonius does by hand: the bindings
//! of the conditions seen so far flow through one variable (a tuple of values, in `frame`
//! order); joining the next atom keys both sides on the shared variables (`from_join`, which
//! combines new with old tuples on both sides: the semi-naive rule); a negated atom is an
//! antijoin against a lower stratum's complete relation (`from_antijoin`); comparisons,
//! assignments and aggregates filter or extend the bindings; the head maps the final bindings
//! into the head relation. datafrog's `Iteration` runs the pipelines until nothing changes.
//!
//! Strata whose rules each read at most one relation of the stratum (linear recursion: most
//! programs) take the faster road of [`linear`]: no intermediate relations between rounds,
//! index probes into the lower strata instead of keyed copies of them.

mod linear;

use std::cmp::Ordering;
use std::collections::HashMap;

use datafrog::{Iteration, Relation, Variable};

use super::exec::{compare, eval_expr, Db, Solver};
use super::ir::{Arg, Atom, Expr, Program, RelId, Tuple, VarId};
use super::limits::{Budget, Stop};
use super::plan::Step;
use super::provenance::{align, Provenance};
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::value::{Interner, ValueId};

type Keyed = Variable<(Tuple, Tuple)>;

/// One operation of a rule's pipeline, run once per round.
enum Op {
    /// `to := { frame ++ values(new vars of atom) | frame ∈ left ⋈ right }`
    Join {
        left: Keyed,
        right: Keyed,
        to: Variable<Tuple>,
    },
    /// `to := { frame ∈ left | key(frame) ∉ negated }`
    Anti {
        left: Keyed,
        negated: Relation<Tuple>,
        to: Variable<Tuple>,
    },
    /// Key the bindings on the variables an atom shares with them.
    KeyFrame {
        from: Variable<Tuple>,
        positions: Vec<usize>,
        to: Keyed,
    },
    /// Key an atom's relation: select tuples matching its constants and repeated variables;
    /// key on the shared positions, keep the values of the new variables.
    KeyAtom {
        from: Variable<Tuple>,
        pattern: Pattern,
        to: Keyed,
    },
    /// Filter, assign or aggregate: a function of the bindings.
    Map {
        from: Variable<Tuple>,
        step: Step,
        frame: Vec<VarId>,
        to: Variable<Tuple>,
    },
    /// Build the head tuple.
    Head {
        from: Variable<Tuple>,
        args: Vec<Expr>,
        frame: Vec<VarId>,
        to: Variable<Tuple>,
    },
}

/// How an atom's tuple is matched: constants to check, repeated variables to compare, which
/// columns make the join key and which the new values.
#[derive(Clone)]
struct Pattern {
    consts: Vec<(usize, ValueId)>,
    same: Vec<(usize, usize)>,
    key: Vec<usize>,
    new: Vec<usize>,
}

impl Pattern {
    fn apply(&self, t: &Tuple) -> Option<(Tuple, Tuple)> {
        if self.consts.iter().any(|(i, c)| t[*i] != *c)
            || self.same.iter().any(|(i, j)| t[*i] != t[*j])
        {
            return None;
        }
        Some((
            self.key.iter().map(|i| t[*i]).collect(),
            self.new.iter().map(|i| t[*i]).collect(),
        ))
    }
}

/// Evaluate the rules `rules` (indices into `program.rules`, with their plans) whose heads are
/// the relations `heads`, reading lower strata from `db`, and store the results in `db`.
/// With `provenance`, record the height of every tuple (see [`super::provenance`]).
pub fn eval_stratum(
    program: &Program,
    rules: &[(usize, &[Step])],
    heads: &[RelId],
    db: &mut Db,
    interner: &mut Interner,
    budget: &mut Budget,
    mut provenance: Option<&mut Provenance>,
) -> Result<(), Diagnostic> {
    if let Some(result) = linear::eval_stratum(
        program,
        rules,
        heads,
        db,
        interner,
        budget,
        provenance.as_deref_mut(),
    ) {
        return result;
    }
    let mut iteration = Iteration::new();
    let mut vars: HashMap<RelId, Variable<Tuple>> = HashMap::new();
    let mut relation_var = |rel: RelId, iteration: &mut Iteration, db: &Db| {
        vars.entry(rel)
            .or_insert_with(|| {
                let v = iteration.variable::<Tuple>(&program.rel(rel).name);
                v.extend(db.get(rel).iter().cloned());
                v
            })
            .clone()
    };
    let head_vars: Vec<Variable<Tuple>> = heads
        .iter()
        .map(|h| relation_var(*h, &mut iteration, db))
        .collect();
    let unit = iteration.variable::<Tuple>("unit");
    unit.extend(std::iter::once(Tuple::new()));

    // Each operation with the span of the rule it belongs to, to name it when a limit stops it.
    let mut ops: Vec<(Span, Op)> = Vec::new();
    for (index, steps) in rules {
        let rule = &program.rules[*index];
        let mut push = |op: Op| ops.push((rule.origin.span, op));
        let mut frame: Vec<VarId> = Vec::new();
        let mut cur = unit.clone();
        for (n, step) in steps.iter().enumerate() {
            match step {
                Step::Atom(atom) => {
                    let rel_var = relation_var(atom.rel, &mut iteration, db);
                    if n == 0 && plain(atom) {
                        // The relation itself is the first frame: no copy.
                        frame = atom.vars().collect();
                        cur = rel_var;
                        continue;
                    }
                    let pattern = pattern(atom, &frame);
                    let left = iteration.variable::<(Tuple, Tuple)>("frame_keyed");
                    let right = iteration.variable::<(Tuple, Tuple)>("atom_keyed");
                    let to = iteration.variable::<Tuple>("frame");
                    let positions = shared_positions(atom, &frame);
                    push(Op::KeyFrame {
                        from: cur.clone(),
                        positions,
                        to: left.clone(),
                    });
                    push(Op::KeyAtom {
                        from: rel_var,
                        pattern: pattern.clone(),
                        to: right.clone(),
                    });
                    push(Op::Join {
                        left,
                        right,
                        to: to.clone(),
                    });
                    frame.extend(pattern.new.iter().map(|i| match atom.args[*i] {
                        Arg::Var(v) => v,
                        Arg::Const(_) => unreachable!("new columns are variables"),
                    }));
                    cur = to;
                }
                Step::Not { atom, local } => {
                    let mut positions = Vec::new();
                    let mut key_cols = Vec::new();
                    for (i, arg) in atom.args.iter().enumerate() {
                        if local[i] {
                            continue;
                        }
                        key_cols.push(i);
                        if let Arg::Var(v) = arg {
                            positions.push(Some(frame.iter().position(|f| f == v).expect("bound")));
                        } else {
                            positions.push(None);
                        }
                    }
                    // The negated relation is complete (a lower stratum): its projection on
                    // the non-local columns, with local repeated variables respected.
                    let repeated = repeated_locals(atom, local);
                    let negated: Relation<Tuple> = Relation::from_iter(
                        db.get(atom.rel)
                            .iter()
                            .filter(|t| repeated.iter().all(|(i, j)| t[*i] == t[*j]))
                            .map(|t| key_cols.iter().map(|i| t[*i]).collect::<Tuple>()),
                    );
                    let consts: Vec<Option<ValueId>> = atom
                        .args
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| !local[*i])
                        .map(|(_, a)| match a {
                            Arg::Const(c) => Some(*c),
                            Arg::Var(_) => None,
                        })
                        .collect();
                    let left = iteration.variable::<(Tuple, Tuple)>("frame_keyed");
                    let to = iteration.variable::<Tuple>("frame");
                    push(Op::KeyFrame {
                        from: cur.clone(),
                        positions: encode_positions(&positions, &consts),
                        to: left.clone(),
                    });
                    push(Op::Anti {
                        left,
                        negated,
                        to: to.clone(),
                    });
                    cur = to;
                }
                other => {
                    let to = iteration.variable::<Tuple>("frame");
                    push(Op::Map {
                        from: cur.clone(),
                        step: other.clone(),
                        frame: frame.clone(),
                        to: to.clone(),
                    });
                    match other {
                        Step::Assign(v, _) => frame.push(*v),
                        Step::Aggregate { agg, .. } if !frame.contains(&agg.result) => {
                            frame.push(agg.result)
                        }
                        _ => {}
                    }
                    cur = to;
                }
            }
        }
        let head = relation_var(rule.head, &mut iteration, db);
        push(Op::Head {
            from: cur,
            args: rule.head_args.clone(),
            frame,
            to: head,
        });
    }

    // Constants used as keys of a negation are stored after the frame positions; see
    // `encode_positions`.
    let consts_base = CONST_BASE;
    // Round 1 brings in the facts; what the operators make in round `n` arrives in round
    // `n + 1`, from premises that were there in round `n`: height `base + n - 1`.
    let base = provenance.as_ref().map(|p| p.base());
    let mut found: Vec<Vec<(Tuple, u32)>> = vec![Vec::new(); heads.len()];
    let mut round = 0u32;
    while iteration.changed() {
        round += 1;
        if let Some(base) = base {
            let height = if round == 1 { 0 } else { base + round - 2 };
            for (slot, var) in head_vars.iter().enumerate() {
                found[slot].extend(var.recent.borrow().iter().map(|t| (t.clone(), height)));
            }
        }
        budget.check()?;
        for (rule, op) in &ops {
            run_op(op, db, interner, consts_base, budget).map_err(|stop| stop.in_rule(*rule))?;
        }
        let new: usize = head_vars.iter().map(|v| v.recent.borrow().len()).sum();
        budget.add_facts(new as u64)?;
    }
    for (slot, (rel, var)) in heads.iter().zip(&head_vars).enumerate() {
        let mut all: Vec<Tuple> = Vec::new();
        for batch in var.stable.borrow().iter() {
            all.extend(batch.elements.iter().cloned());
        }
        all.sort();
        all.dedup();
        if let Some(p) = provenance.as_deref_mut() {
            p.set(*rel, align(std::mem::take(&mut found[slot]), &all));
        }
        db.rels[rel.0 as usize] = all;
    }
    if let Some(p) = provenance {
        p.close_stratum(p.base() + round);
    }
    Ok(())
}

/// Positions ≥ this mark a constant (index `p - CONST_BASE` into the op's constants).
const CONST_BASE: usize = usize::MAX / 2;

fn encode_positions(positions: &[Option<usize>], consts: &[Option<ValueId>]) -> Vec<usize> {
    positions
        .iter()
        .zip(consts)
        .map(|(p, c)| match (p, c) {
            (Some(p), _) => *p,
            (None, Some(c)) => CONST_BASE + c.0 as usize,
            (None, None) => unreachable!("a non-local argument is a variable or a constant"),
        })
        .collect()
}

fn run_op(
    op: &Op,
    db: &Db,
    interner: &mut Interner,
    consts_base: usize,
    budget: &mut Budget,
) -> Result<(), Stop> {
    match op {
        Op::Join { left, right, to } => join(left, right, to, budget)?,
        Op::Anti { left, negated, to } => {
            to.from_antijoin(left, negated, |_, f| f.clone());
        }
        Op::KeyFrame {
            from,
            positions,
            to,
        } => {
            let rel: Relation<(Tuple, Tuple)> =
                Relation::from_iter(from.recent.borrow().iter().map(|t| {
                    let key: Tuple = positions
                        .iter()
                        .map(|p| {
                            if *p >= consts_base {
                                ValueId((p - consts_base) as u32)
                            } else {
                                t[*p]
                            }
                        })
                        .collect();
                    (key, t.clone())
                }));
            to.insert(rel);
        }
        Op::KeyAtom { from, pattern, to } => {
            let rel: Relation<(Tuple, Tuple)> =
                Relation::from_iter(from.recent.borrow().iter().filter_map(|t| pattern.apply(t)));
            to.insert(rel);
        }
        Op::Map {
            from,
            step,
            frame,
            to,
        } => {
            let width = frame.iter().map(|v| v.0 as usize + 1).max().unwrap_or(0);
            let mut env: Vec<Option<ValueId>> = Vec::new();
            let mut out = Vec::new();
            let mut solver = Solver::within(db, budget.clone());
            for t in from.recent.borrow().iter() {
                fill_env(&mut env, width.max(step_width(step)), frame, t);
                match step {
                    Step::Filter(a, cmp, b) => {
                        if let (Some(x), Some(y)) =
                            (eval_expr(a, &env, interner), eval_expr(b, &env, interner))
                        {
                            if compare(*cmp, x, y, interner) {
                                out.push(t.clone());
                            }
                        }
                    }
                    Step::Assign(_, e) => {
                        if let Some(x) = eval_expr(e, &env, interner) {
                            let mut t = t.clone();
                            t.push(x);
                            out.push(t);
                        }
                    }
                    Step::Aggregate { .. } => {
                        // The aggregate reads complete lower strata: evaluate it as a
                        // one-step conjunction for these bindings.
                        let steps = std::slice::from_ref(step);
                        let agg_result = match step {
                            Step::Aggregate { agg, .. } => agg.result,
                            _ => unreachable!(),
                        };
                        let already = frame.contains(&agg_result);
                        solver.solve(steps, &mut env, interner, &mut |e, _| {
                            let mut t = t.clone();
                            if !already {
                                t.push(e[agg_result.0 as usize].expect("aggregate bound"));
                            }
                            out.push(t);
                        });
                        solver.stopped()?;
                    }
                    Step::Atom(_) | Step::Not { .. } => unreachable!("handled by joins"),
                }
            }
            to.insert(Relation::from_vec(out));
        }
        Op::Head {
            from,
            args,
            frame,
            to,
        } => {
            let width = frame.iter().map(|v| v.0 as usize + 1).max().unwrap_or(0);
            let mut env: Vec<Option<ValueId>> = Vec::new();
            let mut out = Vec::new();
            for t in from.recent.borrow().iter() {
                fill_env(&mut env, width.max(exprs_width(args)), frame, t);
                let head: Option<Tuple> =
                    args.iter().map(|e| eval_expr(e, &env, interner)).collect();
                if let Some(head) = head {
                    out.push(head);
                }
            }
            to.insert(Relation::from_vec(out));
        }
    }
    Ok(())
}

/// `to := left ⋈ right` on their keys, frame values then new values (`path(X, Z) :-
/// frame(.., Y), edge(Y, Z)`: key Y), semi-naive as datafrog's `from_join` is — new tuples of
/// each side against all of the other — but with a tick of the budget per result, so that a
/// join whose result would not fit in memory stops part way.
fn join(
    left: &Keyed,
    right: &Keyed,
    to: &Variable<Tuple>,
    budget: &mut Budget,
) -> Result<(), Stop> {
    let mut out: Vec<Tuple> = Vec::new();
    {
        let (left_recent, right_recent) = (left.recent.borrow(), right.recent.borrow());
        let mut emit = |f: &Tuple, r: &Tuple| {
            out.push(f.iter().chain(r.iter()).copied().collect());
            budget.tick()
        };
        for batch in right.stable.borrow().iter() {
            merge_join(&left_recent, batch, &mut emit)?;
        }
        for batch in left.stable.borrow().iter() {
            merge_join(batch, &right_recent, &mut emit)?;
        }
        merge_join(&left_recent, &right_recent, &mut emit)?;
    }
    to.insert(Relation::from_vec(out));
    Ok(())
}

/// Every pair of tuples with equal keys from two sorted relations.
fn merge_join(
    mut a: &[(Tuple, Tuple)],
    mut b: &[(Tuple, Tuple)],
    emit: &mut impl FnMut(&Tuple, &Tuple) -> Result<(), Stop>,
) -> Result<(), Stop> {
    while let (Some((ka, _)), Some((kb, _))) = (a.first(), b.first()) {
        match ka.cmp(kb) {
            Ordering::Less => a = gallop(a, |k| k < kb),
            Ordering::Greater => b = gallop(b, |k| k < ka),
            Ordering::Equal => {
                let n = a.iter().take_while(|(k, _)| k == ka).count();
                let m = b.iter().take_while(|(k, _)| k == kb).count();
                for (_, f) in &a[..n] {
                    for (_, r) in &b[..m] {
                        emit(f, r)?;
                    }
                }
                a = &a[n..];
                b = &b[m..];
            }
        }
    }
    Ok(())
}

/// The slice past its first elements whose keys satisfy `before` (a prefix): an exponential
/// search then a binary one, so that stepping over a short run costs little.
fn gallop(mut slice: &[(Tuple, Tuple)], before: impl Fn(&Tuple) -> bool) -> &[(Tuple, Tuple)] {
    let mut step = 1;
    while step < slice.len() && before(&slice[step].0) {
        slice = &slice[step..];
        step <<= 1;
    }
    // The first key not before lies within the next `step` elements.
    let end = step.min(slice.len());
    &slice[slice[..end].partition_point(|(k, _)| before(k))..]
}

fn fill_env(env: &mut Vec<Option<ValueId>>, width: usize, frame: &[VarId], t: &Tuple) {
    env.clear();
    env.resize(width, None);
    for (v, value) in frame.iter().zip(t.iter()) {
        env[v.0 as usize] = Some(*value);
    }
}

fn exprs_width(exprs: &[Expr]) -> usize {
    let mut vars = Vec::new();
    exprs.iter().for_each(|e| e.vars(&mut vars));
    vars.iter().map(|v| v.0 as usize + 1).max().unwrap_or(0)
}

fn step_width(step: &Step) -> usize {
    let mut vars = Vec::new();
    match step {
        Step::Filter(a, _, b) => {
            a.vars(&mut vars);
            b.vars(&mut vars);
        }
        Step::Assign(v, e) => {
            vars.push(*v);
            e.vars(&mut vars);
        }
        Step::Aggregate { agg, .. } => {
            super::plan::goal_vars(&super::ir::Goal::Aggregate(agg.clone()), &mut vars);
        }
        Step::Atom(a) | Step::Not { atom: a, .. } => vars.extend(a.vars()),
    }
    vars.iter().map(|v| v.0 as usize + 1).max().unwrap_or(0)
}

/// An atom whose arguments are distinct variables: its tuples are already bindings.
fn plain(atom: &Atom) -> bool {
    let vars: Vec<VarId> = atom.vars().collect();
    vars.len() == atom.args.len() && (1..vars.len()).all(|i| !vars[..i].contains(&vars[i]))
}

/// Where, in the frame, the variables an atom shares with it sit (in argument order).
fn shared_positions(atom: &Atom, frame: &[VarId]) -> Vec<usize> {
    let mut seen = Vec::new();
    let mut positions = Vec::new();
    for v in atom.vars() {
        if let Some(p) = frame.iter().position(|f| *f == v) {
            if !seen.contains(&v) {
                seen.push(v);
                positions.push(p);
            }
        }
    }
    positions
}

fn pattern(atom: &Atom, frame: &[VarId]) -> Pattern {
    let mut consts = Vec::new();
    let mut same = Vec::new();
    let mut key = Vec::new();
    let mut new = Vec::new();
    let mut first_at: Vec<(VarId, usize)> = Vec::new();
    for (i, arg) in atom.args.iter().enumerate() {
        match arg {
            Arg::Const(c) => consts.push((i, *c)),
            Arg::Var(v) => {
                if let Some((_, j)) = first_at.iter().find(|(w, _)| w == v) {
                    same.push((*j, i));
                    continue;
                }
                first_at.push((*v, i));
                if frame.contains(v) {
                    key.push(i);
                } else {
                    new.push(i);
                }
            }
        }
    }
    Pattern {
        consts,
        same,
        key,
        new,
    }
}

/// Pairs of positions holding the same local variable of a negated atom.
fn repeated_locals(atom: &Atom, local: &[bool]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for i in 0..atom.args.len() {
        for j in i + 1..atom.args.len() {
            if local[i] && local[j] && atom.args[i] == atom.args[j] {
                out.push((i, j));
            }
        }
    }
    out
}
