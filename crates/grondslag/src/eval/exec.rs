//! Evaluating planned steps over complete relations by backtracking, with hash indexes built
//! on demand. This is the reference semantics: the naive evaluator, aggregates and query
//! answering use it; the datafrog evaluator must agree with it.

use std::rc::Rc;

use rustc_hash::FxHashMap;

use super::ir::{Arg, Expr, RelId, Tuple, VarId};
use super::limits::{Budget, Limits, Stop};
use super::plan::{plan_goals, Step};
use super::term;
use crate::syntax::ast::{AggOp, CmpOp};
use crate::value::{Interner, Value, ValueId};

/// Complete relations, each sorted and without duplicates, indexed by `RelId`.
#[derive(Clone, Debug, Default)]
pub struct Db {
    /// Per relation, its tuples, sorted.
    pub rels: Vec<Vec<Tuple>>,
}

impl Db {
    /// Empty relations, as many as the program has.
    pub fn new(relation_count: usize) -> Db {
        Db {
            rels: vec![Vec::new(); relation_count],
        }
    }

    /// The tuples of a relation (none when it has no entry).
    pub fn get(&self, rel: RelId) -> &[Tuple] {
        self.rels.get(rel.0 as usize).map_or(&[], |r| r.as_slice())
    }

    /// Room for `relation_count` relations.
    pub fn ensure(&mut self, relation_count: usize) {
        if self.rels.len() < relation_count {
            self.rels.resize(relation_count, Vec::new());
        }
    }

    /// Sort every relation and drop duplicates.
    pub fn sort(&mut self) {
        for rows in &mut self.rels {
            rows.sort_unstable();
            rows.dedup();
        }
    }

    /// How many tuples in all.
    pub fn size(&self) -> u64 {
        self.rels.iter().map(|r| r.len() as u64).sum()
    }
}

/// The value of an expression under `env`; `None` when arithmetic fails (a non-number,
/// overflow, division by zero): the binding is then dropped. The arithmetic is
/// [`term::arith`], the one the explanations use too.
pub fn eval_expr(expr: &Expr, env: &[Option<ValueId>], interner: &mut Interner) -> Option<ValueId> {
    match expr {
        Expr::Var(v) => env[v.0 as usize],
        Expr::Const(c) => Some(*c),
        Expr::Neg(a) => {
            let a = int(eval_expr(a, env, interner)?, interner)?;
            Some(interner.intern(Value::Int(term::negate(a)?)))
        }
        Expr::Arith(a, op, b) => {
            let a = int(eval_expr(a, env, interner)?, interner)?;
            let b = int(eval_expr(b, env, interner)?, interner)?;
            Some(interner.intern(Value::Int(term::arith(*op, a, b)?)))
        }
    }
}

fn int(id: ValueId, interner: &Interner) -> Option<i64> {
    match interner.get(id) {
        Value::Int(n) => Some(*n),
        _ => None,
    }
}

/// [`term::compare`] on interned values (equal values have equal ids).
pub fn compare(op: CmpOp, a: ValueId, b: ValueId, interner: &Interner) -> bool {
    match op {
        CmpOp::Eq => a == b,
        CmpOp::Ne => a != b,
        _ => term::compare(op, interner.get(a), interner.get(b)),
    }
}

/// Answers a planned conjunction over a [`Db`], with indexes cached per (relation, bound
/// positions).
pub struct Solver<'a> {
    /// The relations it reads.
    pub db: &'a Db,
    indexes: FxHashMap<(RelId, Vec<bool>), Rc<Index>>,
    /// Ticked per row tried: once a limit is reached, `solve` finds nothing more and
    /// [`Solver::stopped`] tells why.
    budget: Budget,
    stopped: Option<Stop>,
}

/// Row numbers of one relation by the values of some of its columns.
type Index = FxHashMap<Tuple, Vec<u32>>;

/// The rows a lookup found: all of them, or those an index holds under a key. Shares the
/// index rather than copying row numbers, so that probing is cheap while `solve` recurses.
enum Rows {
    All(u32),
    Indexed(Rc<Index>, Tuple),
}

impl Rows {
    fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        let (all, some): (Option<u32>, &[u32]) = match self {
            Rows::All(n) => (Some(*n), &[]),
            Rows::Indexed(index, key) => (None, index.get(key).map_or(&[], Vec::as_slice)),
        };
        (0..all.unwrap_or(0)).chain(some.iter().copied())
    }
}

impl<'a> Solver<'a> {
    /// A solver bounded by nothing but the default fact limit (which it does not count).
    pub fn new(db: &'a Db) -> Solver<'a> {
        Solver::within(db, Budget::new(&Limits::default()))
    }

    /// A solver that stops once `budget`'s clock, interrupt flag or memory limit says so.
    pub fn within(db: &'a Db, budget: Budget) -> Solver<'a> {
        Solver {
            db,
            indexes: FxHashMap::default(),
            budget,
            stopped: None,
        }
    }

    /// Why the last `solve` stopped early, if it did; the solver may be used again after.
    pub fn stopped(&mut self) -> Result<(), Stop> {
        self.stopped.take().map_or(Ok(()), Err)
    }

    /// Call `found` with every environment that satisfies `steps`, starting from `env`.
    pub fn solve(
        &mut self,
        steps: &[Step],
        env: &mut Vec<Option<ValueId>>,
        interner: &mut Interner,
        found: &mut dyn FnMut(&[Option<ValueId>], &mut Interner),
    ) {
        if self.stopped.is_some() {
            return;
        }
        let Some((step, rest)) = steps.split_first() else {
            found(env, interner);
            return;
        };
        match step {
            Step::Atom(atom) => {
                let mask: Vec<bool> = atom
                    .args
                    .iter()
                    .map(|a| match a {
                        Arg::Const(_) => true,
                        Arg::Var(v) => env[v.0 as usize].is_some(),
                    })
                    .collect();
                let key: Tuple = atom
                    .args
                    .iter()
                    .zip(&mask)
                    .filter(|(_, m)| **m)
                    .map(|(a, _)| match a {
                        Arg::Const(c) => *c,
                        Arg::Var(v) => env[v.0 as usize].expect("bound"),
                    })
                    .collect();
                let db: &'a Db = self.db;
                let tuples = db.get(atom.rel);
                let rows = self.lookup(atom.rel, &mask, key);
                for row in rows.iter() {
                    if self.stopped.is_some() {
                        return;
                    }
                    if let Err(stop) = self.budget.tick() {
                        self.stopped = Some(stop);
                        return;
                    }
                    let tuple = &tuples[row as usize];
                    let mut assigned = Vec::new();
                    let mut ok = true;
                    for (arg, value) in atom.args.iter().zip(tuple.iter()) {
                        if let Arg::Var(v) = arg {
                            match env[v.0 as usize] {
                                Some(existing) => {
                                    if existing != *value {
                                        ok = false;
                                        break;
                                    }
                                }
                                None => {
                                    env[v.0 as usize] = Some(*value);
                                    assigned.push(*v);
                                }
                            }
                        }
                    }
                    if ok {
                        self.solve(rest, env, interner, found);
                    }
                    for v in assigned {
                        env[v.0 as usize] = None;
                    }
                }
            }
            Step::Not { atom, local } => {
                if !self.exists(atom, local, env) {
                    self.solve(rest, env, interner, found);
                }
            }
            Step::Filter(a, op, b) => {
                let (Some(x), Some(y)) = (eval_expr(a, env, interner), eval_expr(b, env, interner))
                else {
                    return;
                };
                if compare(*op, x, y, interner) {
                    self.solve(rest, env, interner, found);
                }
            }
            Step::Assign(v, e) => {
                if let Some(x) = eval_expr(e, env, interner) {
                    env[v.0 as usize] = Some(x);
                    self.solve(rest, env, interner, found);
                    env[v.0 as usize] = None;
                }
            }
            Step::Aggregate { agg, group } => {
                let Some(result) = self.aggregate(agg, group, env, interner) else {
                    return;
                };
                let slot = agg.result.0 as usize;
                match env[slot] {
                    Some(existing) if existing != result => {}
                    Some(_) => self.solve(rest, env, interner, found),
                    None => {
                        env[slot] = Some(result);
                        self.solve(rest, env, interner, found);
                        env[slot] = None;
                    }
                }
            }
        }
    }

    /// Rows of `rel` whose masked columns equal `key`.
    fn lookup(&mut self, rel: RelId, mask: &[bool], key: Tuple) -> Rows {
        let tuples = self.db.get(rel);
        if mask.iter().all(|m| !m) {
            return Rows::All(tuples.len() as u32);
        }
        let index = self.indexes.entry((rel, mask.to_vec())).or_insert_with(|| {
            let mut index: Index = FxHashMap::default();
            for (i, t) in tuples.iter().enumerate() {
                let k: Tuple = t
                    .iter()
                    .zip(mask)
                    .filter(|(_, m)| **m)
                    .map(|(v, _)| *v)
                    .collect();
                index.entry(k).or_default().push(i as u32);
            }
            Rc::new(index)
        });
        Rows::Indexed(Rc::clone(index), key)
    }

    /// Whether some tuple matches the atom under `env`, local positions being free.
    fn exists(&mut self, atom: &super::ir::Atom, local: &[bool], env: &[Option<ValueId>]) -> bool {
        let mask: Vec<bool> = local.iter().map(|l| !l).collect();
        let key: Tuple = atom
            .args
            .iter()
            .zip(&mask)
            .filter(|(_, m)| **m)
            .map(|(a, _)| match a {
                Arg::Const(c) => *c,
                Arg::Var(v) => env[v.0 as usize].expect("bound"),
            })
            .collect();
        let rows = self.lookup(atom.rel, &mask, key);
        // A local variable repeated within the atom must take one value.
        let found = rows.iter().any(|row| {
            let tuple = &self.db.get(atom.rel)[row as usize];
            let mut seen: Vec<(VarId, ValueId)> = Vec::new();
            atom.args
                .iter()
                .zip(local)
                .zip(tuple.iter())
                .all(|((arg, l), value)| {
                    if !l {
                        return true;
                    }
                    let Arg::Var(v) = arg else { return true };
                    match seen.iter().find(|(w, _)| w == v) {
                        Some((_, x)) => x == value,
                        None => {
                            seen.push((*v, *value));
                            true
                        }
                    }
                })
        });
        found
    }

    /// The aggregate's value for the group `env` belongs to.
    fn aggregate(
        &mut self,
        agg: &super::ir::Aggregate,
        group: &[VarId],
        env: &[Option<ValueId>],
        interner: &mut Interner,
    ) -> Option<ValueId> {
        let mut outside = Vec::new();
        for t in &agg.targets {
            t.vars(&mut outside);
        }
        outside.extend_from_slice(group);
        let (steps, _) = plan_goals(&agg.body, &outside, env.len(), group).ok()?;
        let mut inner_env: Vec<Option<ValueId>> = vec![None; env.len()];
        for v in group {
            inner_env[v.0 as usize] = env[v.0 as usize];
        }
        let mut rows: Vec<Tuple> = Vec::new();
        let targets = agg.targets.clone();
        self.solve(&steps, &mut inner_env, interner, &mut |e, interner| {
            let row: Option<Tuple> = targets.iter().map(|t| eval_expr(t, e, interner)).collect();
            if let Some(row) = row {
                rows.push(row);
            }
        });
        if self.stopped.is_some() {
            return None;
        }
        rows.sort();
        rows.dedup();
        fold_aggregate(agg.op, &rows, interner)
    }
}

/// Fold distinct target tuples: `count` counts them; `sum`, `min` and `max` take the first
/// target of each. `sum` of no rows is 0; `min` and `max` of no rows have no value.
pub fn fold_aggregate(op: AggOp, rows: &[Tuple], interner: &mut Interner) -> Option<ValueId> {
    let firsts = || rows.iter().filter_map(|r| r.first().copied());
    let value = match op {
        AggOp::Count => Value::Int(rows.len() as i64),
        AggOp::Sum => {
            let mut total: i64 = 0;
            for id in firsts() {
                let next = int(id, interner)?;
                total = match total.checked_add(next) {
                    Some(total) => total,
                    None => {
                        super::overflow::record(super::overflow::Overflow::Sum(total, next));
                        return None;
                    }
                };
            }
            Value::Int(total)
        }
        AggOp::Min => firsts().map(|id| interner.get(id).clone()).min()?,
        AggOp::Max => firsts().map(|id| interner.get(id).clone()).max()?,
    };
    Some(interner.intern(value))
}
