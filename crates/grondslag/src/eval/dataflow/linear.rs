//! Linear strata: every rule reads at most one relation of its own stratum.
//!
//! That is most Datalog in practice (left-linear transitive closure, same generation,
//! reachability, the legal rules of the knowledge base). For such a stratum the semi-naive rule
//! is simply "apply each recursive rule to the newest tuples of its one recursive atom": every
//! other atom, negation and aggregate reads a lower stratum, complete and unchanging. So the
//! rule body becomes a nested loop of index probes into the lower strata (a leapjoin with one
//! leaper per atom), started from each new tuple, and no intermediate relation is kept between
//! rounds. Strata with a rule that reads two of its own relations (non-linear recursion) go
//! through the general datafrog pipeline in `dataflow.rs` instead.

use rustc_hash::{FxHashMap, FxHashSet};

use super::super::exec::{compare, eval_expr, Db, Solver};
use super::super::ir::{Arg, Expr, Goal, Program, RelId, Rule, Tuple, VarId};
use super::super::limits::{Budget, Stop};
use super::super::plan::{plan_goals, Step};
use super::super::provenance::Provenance;
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::syntax::ast::CmpOp;
use crate::value::{Interner, ValueId};

/// Where each relation of the stratum sits among its heads: a table indexed by `RelId` when
/// the stratum holds a good part of the program's relations (strata of a grounded theory can
/// hold a hundred thousand), else a map (a table per stratum would cost the program's size for
/// each of its strata: a chain of a hundred thousand predicates is as many strata).
enum Slots {
    Table(Vec<Option<u32>>),
    Map(FxHashMap<RelId, u32>),
}

impl Slots {
    fn new(program: &Program, heads: &[RelId]) -> Slots {
        let slots = heads.iter().enumerate().map(|(i, rel)| (*rel, i as u32));
        if heads.len() * 16 >= program.relations.len() {
            let mut table = vec![None; program.relations.len()];
            for (rel, slot) in slots {
                table[rel.0 as usize] = Some(slot);
            }
            Slots::Table(table)
        } else {
            Slots::Map(slots.collect())
        }
    }

    fn of(&self, rel: RelId) -> Option<usize> {
        match self {
            Slots::Table(table) => table.get(rel.0 as usize).copied().flatten(),
            Slots::Map(map) => map.get(&rel).copied(),
        }
        .map(|s| s as usize)
    }
}

/// The body atoms of `rule` over relations of the stratum.
fn recursive_atoms<'a>(rule: &'a Rule, slots: &'a Slots) -> impl Iterator<Item = usize> + 'a {
    rule.body
        .iter()
        .enumerate()
        .filter_map(move |(i, g)| match g {
            Goal::Atom(a) if slots.of(a.rel).is_some() => Some(i),
            _ => None,
        })
}

/// Evaluate the stratum if it is linear (every rule reads at most one of its relations); see
/// the module documentation. `None` when it is not, or when a rule cannot be re-planned from
/// its recursive atom: the caller then uses the general pipeline. With `provenance`, the
/// height and rule of each tuple's first derivation are recorded.
pub fn eval_stratum(
    program: &Program,
    rules: &[(usize, &[Step])],
    heads: &[RelId],
    db: &mut Db,
    interner: &mut Interner,
    budget: &mut Budget,
    provenance: Option<&mut Provenance>,
) -> Option<Result<(), Diagnostic>> {
    let slots = Slots::new(program, heads);
    if rules
        .iter()
        .any(|(index, _)| recursive_atoms(&program.rules[*index], &slots).count() > 1)
    {
        return None;
    }
    let mut indexes = Indexes::default();
    let mut compiled = Vec::new();
    for (index, steps) in rules {
        compiled.push(compile(
            &program.rules[*index],
            steps,
            &slots,
            db,
            &mut indexes,
        )?);
    }
    Some(run(
        program, heads, &slots, &compiled, &indexes, db, interner, budget, provenance,
    ))
}

/// A rule ready to run: where its bindings start, and the probes that extend them.
struct Compiled<'r> {
    rule: &'r Rule,
    /// The recursive atom the new tuples of each round feed, as (relation, arguments);
    /// `None` for a rule over lower strata only, which runs once.
    source: Option<(RelId, Vec<Arg>)>,
    probes: Vec<Probe>,
}

/// One step of the nested loop.
enum Probe {
    /// `rel(args)` over a lower stratum: look up the rows whose `key` columns hold these
    /// constants or bound variables; bind the remaining columns' variables (`Bind`), or check
    /// a variable repeated within the atom (`Check`).
    Atom {
        index: usize,
        key: Vec<Arg>,
        rest: Vec<Column>,
    },
    /// `not rel(args)`: no row with these key values (local variables repeated within the atom
    /// must agree).
    Absent {
        index: usize,
        key: Vec<Arg>,
        repeated_locals: Vec<(usize, usize)>,
    },
    Filter(Expr, CmpOp, Expr),
    Assign(VarId, Expr),
    /// Evaluated by the reference solver over the (complete) lower strata.
    Aggregate(Step),
}

#[derive(Clone, Copy)]
enum Column {
    Bind(usize, VarId),
    Check(usize, VarId),
}

fn compile<'r>(
    rule: &'r Rule,
    steps: &[Step],
    slots: &Slots,
    db: &Db,
    indexes: &mut Indexes,
) -> Option<Compiled<'r>> {
    let var_count = rule.var_names.len();
    let recursive: Vec<usize> = recursive_atoms(rule, slots).collect();
    let (source, steps, mut bound): (_, Vec<Step>, Vec<bool>) = match recursive.as_slice() {
        [] => (None, steps.to_vec(), vec![false; var_count]),
        [at] => {
            let Goal::Atom(atom) = &rule.body[*at] else {
                unreachable!("recursive_atoms yields atoms")
            };
            // Re-plan the rest of the body with the recursive atom's variables bound first.
            let rest: Vec<Goal> = rule
                .body
                .iter()
                .enumerate()
                .filter(|(i, _)| i != at)
                .map(|(_, g)| g.clone())
                .collect();
            let mut outside = Vec::new();
            rule.head_args.iter().for_each(|e| e.vars(&mut outside));
            outside.extend(atom.vars());
            let already: Vec<VarId> = atom.vars().collect();
            let (steps, _) = plan_goals(&rest, &outside, var_count, &already).ok()?;
            let mut bound = vec![false; var_count];
            already.iter().for_each(|v| bound[v.0 as usize] = true);
            (Some((atom.rel, atom.args.clone())), steps, bound)
        }
        _ => return None,
    };
    let mut probes = Vec::new();
    for step in steps {
        let probe = match step {
            Step::Atom(atom) => {
                let mut key_cols = Vec::new();
                let mut key = Vec::new();
                let mut rest = Vec::new();
                for (col, arg) in atom.args.iter().enumerate() {
                    match arg {
                        Arg::Const(_) => {
                            key_cols.push(col);
                            key.push(*arg);
                        }
                        Arg::Var(v) if bound[v.0 as usize] => {
                            key_cols.push(col);
                            key.push(*arg);
                        }
                        Arg::Var(v) => {
                            let first = !rest
                                .iter()
                                .any(|c| matches!(c, Column::Bind(_, w) if w == v));
                            rest.push(if first {
                                Column::Bind(col, *v)
                            } else {
                                Column::Check(col, *v)
                            });
                        }
                    }
                }
                atom.vars().for_each(|v| bound[v.0 as usize] = true);
                Probe::Atom {
                    index: indexes.get(atom.rel, key_cols, db),
                    key,
                    rest,
                }
            }
            Step::Not { atom, local } => {
                let key_cols: Vec<usize> = (0..atom.args.len()).filter(|i| !local[*i]).collect();
                let key = key_cols.iter().map(|i| atom.args[*i]).collect();
                let mut repeated_locals = Vec::new();
                for i in 0..atom.args.len() {
                    for j in i + 1..atom.args.len() {
                        if local[i] && local[j] && atom.args[i] == atom.args[j] {
                            repeated_locals.push((i, j));
                        }
                    }
                }
                Probe::Absent {
                    index: indexes.get(atom.rel, key_cols, db),
                    key,
                    repeated_locals,
                }
            }
            Step::Filter(a, op, b) => Probe::Filter(a, op, b),
            Step::Assign(v, e) => {
                bound[v.0 as usize] = true;
                Probe::Assign(v, e)
            }
            Step::Aggregate { ref agg, .. } => {
                bound[agg.result.0 as usize] = true;
                Probe::Aggregate(step.clone())
            }
        };
        probes.push(probe);
    }
    Some(Compiled {
        rule,
        source,
        probes,
    })
}

/// Hash indexes over lower-stratum relations, one per (relation, key columns), built once per
/// stratum.
#[derive(Default)]
struct Indexes {
    all: Vec<Index>,
    by_shape: FxHashMap<(RelId, Vec<usize>), usize>,
}

/// Row numbers of a relation grouped by the values of the key columns.
struct Index {
    rel: RelId,
    /// Row numbers, those with equal keys adjacent.
    rows: Vec<u32>,
    groups: Groups,
}

/// Where in `Index::rows` the rows with a given key are.
enum Groups {
    /// No key columns: every row matches.
    All,
    /// One key column: ranges indexed by the value's id (ids are dense), no hashing.
    One(Vec<(u32, u32)>),
    Many(FxHashMap<Tuple, (u32, u32)>),
}

impl Indexes {
    fn get(&mut self, rel: RelId, cols: Vec<usize>, db: &Db) -> usize {
        if let Some(&i) = self.by_shape.get(&(rel, cols.clone())) {
            return i;
        }
        let tuples = db.get(rel);
        let index = if cols.is_empty() {
            Index {
                rel,
                rows: (0..tuples.len() as u32).collect(),
                groups: Groups::All,
            }
        } else {
            let mut keyed: Vec<(Tuple, u32)> = tuples
                .iter()
                .enumerate()
                .map(|(row, t)| (cols.iter().map(|c| t[*c]).collect(), row as u32))
                .collect();
            keyed.sort_unstable();
            let mut ranges = Vec::new();
            let mut start = 0;
            while start < keyed.len() {
                let mut end = start + 1;
                while end < keyed.len() && keyed[end].0 == keyed[start].0 {
                    end += 1;
                }
                ranges.push((start, end));
                start = end;
            }
            let groups = if cols.len() == 1 {
                let size = keyed.last().map_or(0, |(k, _)| k[0].0 as usize + 1);
                let mut dense = vec![(0, 0); size];
                for (start, end) in ranges {
                    dense[keyed[start].0[0].0 as usize] = (start as u32, end as u32);
                }
                Groups::One(dense)
            } else {
                let mut map = FxHashMap::default();
                map.reserve(ranges.len());
                for (start, end) in ranges {
                    map.insert(keyed[start].0.clone(), (start as u32, end as u32));
                }
                Groups::Many(map)
            };
            Index {
                rel,
                rows: keyed.into_iter().map(|(_, row)| row).collect(),
                groups,
            }
        };
        self.all.push(index);
        self.by_shape.insert((rel, cols), self.all.len() - 1);
        self.all.len() - 1
    }
}

impl Index {
    /// The rows whose key columns hold the values of `key` under `env`.
    fn lookup(&self, key: &[Arg], env: &[Option<ValueId>]) -> &[u32] {
        let (start, end) = match &self.groups {
            Groups::All => return &self.rows,
            Groups::One(dense) => {
                let id = value_of(key[0], env).0 as usize;
                dense.get(id).copied().unwrap_or((0, 0))
            }
            Groups::Many(map) => {
                let key: Tuple = key.iter().map(|a| value_of(*a, env)).collect();
                map.get(&key).copied().unwrap_or((0, 0))
            }
        };
        &self.rows[start as usize..end as usize]
    }
}

fn value_of(arg: Arg, env: &[Option<ValueId>]) -> ValueId {
    match arg {
        Arg::Const(c) => c,
        Arg::Var(v) => env[v.0 as usize].expect("key variables are bound"),
    }
}

/// What a rule body needs while it runs.
struct Context<'a> {
    db: &'a Db,
    indexes: &'a Indexes,
    interner: &'a mut Interner,
    solver: Solver<'a>,
    budget: &'a mut Budget,
}

/// Where a rule's head tuples go: straight into its relation's store, so that facts are
/// counted, and the fact limit holds, as they are derived (a rule over lower strata alone
/// derives all its tuples in one call).
struct Sink<'s> {
    store: &'s mut Store,
    height: u32,
    added: bool,
}

/// The tuples of one head relation: all of them, in the order found, and a set that tells
/// whether a derived tuple is new. (datafrog's `Variable` answers that by galloping through
/// its sorted batches, which costs a logarithmic search per tuple and batch; in long
/// recursions that was three quarters of the time.)
struct Store {
    seen: Seen,
    all: Vec<Tuple>,
    /// `all[recent..]` are the tuples found in the last round.
    recent: usize,
    /// Cells of a bit table for this relation, if one would be small enough.
    bit_cells: Option<(u64, u64)>,
    /// With provenance: where in `all` each height begins, as (index, height). Heights only
    /// grow while a stratum runs, so this costs a pair per round, not a number per tuple.
    heights: Option<Vec<(usize, u32)>>,
}

/// The set of tuples already found, in the cheapest form the relation allows.
enum Seen {
    /// Tuples of at most two columns packed into a `u64`: a third of the memory of a
    /// `Tuple`, and cheap to hash.
    Narrow(FxHashSet<u64>),
    /// What a narrow set becomes once it fills a sixty-fourth of the possible tuples: one
    /// bit per possible tuple over value ids below `width` (ids are dense), so a test touches
    /// one cache line of a small table. Tuples with a larger id (a value made by arithmetic
    /// during the stratum) go to `overflow`.
    Bits {
        arity: usize,
        width: u64,
        bits: Vec<u64>,
        overflow: FxHashSet<u64>,
    },
    Wide(FxHashSet<Tuple>),
}

/// The largest bit table worth allocating (32 MiB).
const MAX_BITS: u64 = 1 << 28;

/// Two interned values in one word, ordered as the tuple is.
fn pack(tuple: &Tuple) -> u64 {
    let at = |i: usize| tuple.get(i).map_or(0, |v| v.0 as u64);
    at(0) << 32 | at(1)
}

impl Store {
    /// `values`: how many values are interned when the stratum starts; `record`: keep the
    /// height of each tuple.
    fn new(arity: usize, values: usize, record: bool) -> Store {
        let width = values.max(1) as u64;
        let cells = match arity {
            0 => Some(1),
            1 => Some(width),
            2 => width.checked_mul(width),
            _ => None,
        };
        Store {
            seen: if arity <= 2 {
                Seen::Narrow(FxHashSet::default())
            } else {
                Seen::Wide(FxHashSet::default())
            },
            all: Vec::new(),
            recent: 0,
            bit_cells: cells.filter(|c| *c <= MAX_BITS).map(|c| (c, width)),
            heights: record.then(Vec::new),
        }
    }

    /// Add a tuple derived at `height` (not below the last one added); true when it is new.
    fn add_at(&mut self, tuple: Tuple, height: u32) -> bool {
        let new = self.add(tuple);
        if new {
            if let Some(heights) = &mut self.heights {
                if heights.last().is_none_or(|(_, h)| *h != height) {
                    heights.push((self.all.len() - 1, height));
                }
            }
        }
        new
    }

    /// Add a tuple; true when it is new.
    fn add(&mut self, tuple: Tuple) -> bool {
        let new = match &mut self.seen {
            Seen::Narrow(set) => set.insert(pack(&tuple)),
            Seen::Bits {
                arity,
                width,
                bits,
                overflow,
            } => match cell(&tuple, *arity, *width) {
                Some(cell) => {
                    let (word, bit) = ((cell / 64) as usize, 1u64 << (cell % 64));
                    let new = bits[word] & bit == 0;
                    bits[word] |= bit;
                    new
                }
                None => overflow.insert(pack(&tuple)),
            },
            Seen::Wide(set) => set.insert(tuple.clone()),
        };
        if new {
            self.all.push(tuple);
            if let (Seen::Narrow(set), Some((cells, width))) = (&self.seen, self.bit_cells) {
                if set.len() as u64 * 64 >= cells {
                    self.to_bits(cells, width);
                }
            }
        }
        new
    }

    /// Start a round: the tuples from `since` on become the recent ones.
    fn advance(&mut self, since: usize) {
        self.recent = since;
    }

    fn to_bits(&mut self, cells: u64, width: u64) {
        let arity = self.all.first().map_or(0, |t| t.len());
        let mut bits = vec![0u64; cells.div_ceil(64) as usize];
        let mut overflow = FxHashSet::default();
        for t in &self.all {
            match cell(t, arity, width) {
                Some(c) => bits[(c / 64) as usize] |= 1 << (c % 64),
                None => {
                    overflow.insert(pack(t));
                }
            }
        }
        self.seen = Seen::Bits {
            arity,
            width,
            bits,
            overflow,
        };
    }

    /// All tuples, sorted (they are distinct already), and their heights when those were
    /// recorded, aligned with them.
    fn into_sorted(self) -> (Vec<Tuple>, Option<Vec<u32>>) {
        let Store {
            mut all,
            seen,
            heights,
            ..
        } = self;
        // The height of the tuple added `i`-th.
        let height_at = |heights: &[(usize, u32)], i: usize| {
            let after = heights.partition_point(|(start, _)| *start <= i);
            heights[after - 1].1
        };
        match seen {
            // Bit order is tuple order: read the tuples back from the table, when it is
            // dense enough that scanning it beats sorting; a tuple's rank in the table is
            // where its height goes.
            Seen::Bits {
                arity,
                width,
                bits,
                overflow,
            } if overflow.is_empty() && bits.len() <= 4 * all.len() => {
                let heights = heights.map(|h| by_rank(&bits, arity, width, &all, &h));
                all.clear();
                for (w, word) in bits.iter().enumerate() {
                    let mut word = *word;
                    while word != 0 {
                        let cell = w as u64 * 64 + word.trailing_zeros() as u64;
                        word &= word - 1;
                        let values = [cell / width, cell % width];
                        all.push(
                            values[2 - arity..]
                                .iter()
                                .map(|v| ValueId(*v as u32))
                                .collect(),
                        );
                    }
                }
                (all, heights)
            }
            seen => {
                let wide = matches!(seen, Seen::Wide(_));
                drop(seen);
                let Some(heights) = heights else {
                    if wide {
                        all.sort_unstable();
                    } else {
                        all.sort_unstable_by_key(pack);
                    }
                    return (all, None);
                };
                // Sort an order of the rows, then lay out tuples and heights by it.
                let mut order: Vec<u32> = (0..all.len() as u32).collect();
                if wide {
                    order.sort_unstable_by(|a, b| all[*a as usize].cmp(&all[*b as usize]));
                } else {
                    order.sort_unstable_by_key(|i| pack(&all[*i as usize]));
                }
                let sorted_heights = order
                    .iter()
                    .map(|i| height_at(&heights, *i as usize))
                    .collect();
                let sorted = order
                    .iter()
                    .map(|i| std::mem::take(&mut all[*i as usize]))
                    .collect();
                (sorted, Some(sorted_heights))
            }
        }
    }
}

/// The heights of the tuples (`all`, in the order added, with `heights` marking where each
/// height begins) laid out in tuple order, through each tuple's rank in the bit table (how
/// many set bits precede its cell), counted per block of 512 cells.
fn by_rank(
    bits: &[u64],
    arity: usize,
    width: u64,
    all: &[Tuple],
    heights: &[(usize, u32)],
) -> Vec<u32> {
    const BLOCK: usize = 8;
    let mut before = Vec::with_capacity(bits.len().div_ceil(BLOCK));
    let mut count = 0u32;
    for block in bits.chunks(BLOCK) {
        before.push(count);
        count += block.iter().map(|w| w.count_ones()).sum::<u32>();
    }
    let mut out = vec![0; all.len()];
    let mut next = 0;
    let mut height = 0;
    for (i, t) in all.iter().enumerate() {
        while next < heights.len() && heights[next].0 == i {
            height = heights[next].1;
            next += 1;
        }
        let cell = cell(t, arity, width).expect("every tuple is in the table") as usize;
        let (word, bit) = (cell / 64, cell % 64);
        let first = word - word % BLOCK;
        let rank = before[word / BLOCK]
            + bits[first..word]
                .iter()
                .map(|w| w.count_ones())
                .sum::<u32>()
            + (bits[word] & ((1u64 << bit) - 1)).count_ones();
        out[rank as usize] = height;
    }
    out
}

/// The bit of a tuple in a table of `width` values per column, if its ids fit.
fn cell(tuple: &Tuple, arity: usize, width: u64) -> Option<u64> {
    let mut cell = 0;
    for value in &tuple[..arity] {
        let id = value.0 as u64;
        if id >= width {
            return None;
        }
        cell = cell * width + id;
    }
    Some(cell)
}

/// The semi-naive loop: the new tuples of each round feed the rules that read their
/// relation, until a round finds nothing new. Only relations that changed are visited, so a
/// round costs what it derives, not the size of the stratum (a grounded chain of a hundred
/// thousand steps is a stratum of a hundred thousand relations and as many rounds).
#[allow(clippy::too_many_arguments)]
fn run(
    program: &Program,
    heads: &[RelId],
    slots: &Slots,
    compiled: &[Compiled],
    indexes: &Indexes,
    db: &mut Db,
    interner: &mut Interner,
    budget: &mut Budget,
    provenance: Option<&mut Provenance>,
) -> Result<(), Diagnostic> {
    let values = interner.len();
    let record = provenance.is_some();
    // Heights: the rules over lower strata derive at `base`, round `n` at `base + n`.
    let base = provenance.as_ref().map_or(0, |p| p.base());
    let mut height = base;
    let mut stores: Vec<Store> = heads
        .iter()
        .map(|rel| Store::new(program.rel(*rel).arity, values, record))
        .collect();
    // Rules by the stratum relation they read; heads by rule.
    let mut readers: Vec<Readers> = (0..heads.len()).map(|_| Readers::default()).collect();
    let mut head_slot = Vec::with_capacity(compiled.len());
    for (i, rule) in compiled.iter().enumerate() {
        head_slot.push(slots.of(rule.rule.head).expect("a rule of the stratum"));
        if let Some((rel, args)) = &rule.source {
            readers[slots.of(*rel).expect("a relation of the stratum")].add(i, args);
        }
    }
    // Relations that received tuples since their last round.
    let mut dirty: Vec<usize> = Vec::new();
    let mut is_dirty = vec![false; heads.len()];
    for (slot, rel) in heads.iter().enumerate() {
        for t in db.get(*rel) {
            stores[slot].add_at(t.clone(), 0);
        }
        if !stores[slot].all.is_empty() {
            mark(slot, &mut is_dirty, &mut dirty);
        }
    }
    {
        let mut cx = Context {
            db,
            indexes,
            interner,
            solver: Solver::within(db, budget.clone()),
            budget,
        };
        let mut env: Vec<Option<ValueId>> = Vec::new();
        // The last rule that derived something: the one to name when a limit is reached
        // between rounds.
        let mut deriving: Option<Span> = None;
        // Rules over lower strata only: once.
        for (i, rule) in compiled.iter().enumerate() {
            if rule.source.is_some() {
                continue;
            }
            env.clear();
            env.resize(rule.rule.var_names.len(), None);
            let slot = head_slot[i];
            let mut sink = Sink {
                store: &mut stores[slot],
                height,
                added: false,
            };
            run_probes(rule, 0, &mut env, &mut cx, &mut sink)
                .map_err(|stop| stop.in_rule(rule.rule.origin.span))?;
            if sink.added {
                mark(slot, &mut is_dirty, &mut dirty);
                deriving = Some(rule.rule.origin.span);
            }
        }
        // `starts[s]`: where the tuples not yet fed to the rules begin.
        let mut starts: Vec<usize> = vec![0; heads.len()];
        let mut round: Vec<usize> = Vec::new();
        while !dirty.is_empty() {
            cx.budget.check().map_err(|stop| match deriving {
                Some(rule) => stop.in_rule(rule),
                None => stop.into(),
            })?;
            height += 1;
            std::mem::swap(&mut round, &mut dirty);
            for &slot in &round {
                is_dirty[slot] = false;
                stores[slot].advance(starts[slot]);
                starts[slot] = stores[slot].all.len();
            }
            for &source in &round {
                let readers = &readers[source];
                for k in stores[source].recent..starts[source] {
                    // A copy, so that rules may add to the relation they read.
                    let tuple = stores[source].all[k].clone();
                    let by_value = readers
                        .columns
                        .iter()
                        .filter_map(|c| readers.by_constant.get(&(*c, tuple[*c])))
                        .flatten();
                    for &i in readers.any.iter().chain(by_value) {
                        let rule = &compiled[i];
                        let Some((_, args)) = &rule.source else {
                            unreachable!("readers have a source")
                        };
                        env.clear();
                        env.resize(rule.rule.var_names.len(), None);
                        if !bind_source(args, &tuple, &mut env) {
                            continue;
                        }
                        let slot = head_slot[i];
                        let mut sink = Sink {
                            store: &mut stores[slot],
                            height,
                            added: false,
                        };
                        run_probes(rule, 0, &mut env, &mut cx, &mut sink)
                            .map_err(|stop| stop.in_rule(rule.rule.origin.span))?;
                        if sink.added {
                            mark(slot, &mut is_dirty, &mut dirty);
                            deriving = Some(rule.rule.origin.span);
                        }
                    }
                }
            }
            round.clear();
        }
    }
    let mut provenance = provenance;
    for (rel, store) in heads.iter().zip(stores) {
        let (tuples, heights) = store.into_sorted();
        db.rels[rel.0 as usize] = tuples;
        if let (Some(p), Some(heights)) = (provenance.as_deref_mut(), heights) {
            p.set(*rel, heights);
        }
    }
    if let Some(p) = provenance {
        p.close_stratum(height);
    }
    Ok(())
}

/// The rules that read one relation of the stratum. A rule whose atom holds a constant
/// is only fed the tuples that have it: a grounded theory has a rule per step of a chain,
/// each reading one constant of the same relation, and trying every rule on every tuple
/// would be quadratic.
#[derive(Default)]
struct Readers {
    any: Vec<usize>,
    by_constant: FxHashMap<(usize, ValueId), Vec<usize>>,
    /// The columns that `by_constant` keys on.
    columns: Vec<usize>,
}

impl Readers {
    fn add(&mut self, rule: usize, args: &[Arg]) {
        let constant = args.iter().enumerate().find_map(|(col, a)| match a {
            Arg::Const(c) => Some((col, *c)),
            Arg::Var(_) => None,
        });
        match constant {
            Some((col, value)) => {
                self.by_constant.entry((col, value)).or_default().push(rule);
                if !self.columns.contains(&col) {
                    self.columns.push(col);
                }
            }
            None => self.any.push(rule),
        }
    }
}

/// Note that a relation received tuples this round.
fn mark(slot: usize, is_dirty: &mut [bool], dirty: &mut Vec<usize>) {
    if !is_dirty[slot] {
        is_dirty[slot] = true;
        dirty.push(slot);
    }
}

/// Bind the recursive atom's variables to a new tuple; false when a constant or a repeated
/// variable does not match.
fn bind_source(args: &[Arg], tuple: &Tuple, env: &mut [Option<ValueId>]) -> bool {
    for (arg, value) in args.iter().zip(tuple.iter()) {
        match arg {
            Arg::Const(c) if c != value => return false,
            Arg::Const(_) => {}
            Arg::Var(v) => match env[v.0 as usize] {
                Some(bound) if bound != *value => return false,
                _ => env[v.0 as usize] = Some(*value),
            },
        }
    }
    true
}

/// Run the probes from `at` on; each complete binding adds a head tuple to the sink. Every
/// binding tried is a tick of the budget.
fn run_probes(
    rule: &Compiled,
    at: usize,
    env: &mut Vec<Option<ValueId>>,
    cx: &mut Context,
    sink: &mut Sink,
) -> Result<(), Stop> {
    let Some(probe) = rule.probes.get(at) else {
        let head: Option<Tuple> = rule
            .rule
            .head_args
            .iter()
            .map(|e| match e {
                Expr::Var(v) => env[v.0 as usize],
                Expr::Const(c) => Some(*c),
                e => eval_expr(e, env, cx.interner),
            })
            .collect();
        cx.budget.tick()?;
        if let Some(head) = head {
            if sink.store.add_at(head, sink.height) {
                sink.added = true;
                cx.budget.add_facts(1)?;
            }
        }
        return Ok(());
    };
    match probe {
        Probe::Atom { index, key, rest } => {
            let index = &cx.indexes.all[*index];
            let tuples = cx.db.get(index.rel);
            'rows: for &row in index.lookup(key, env) {
                cx.budget.tick()?;
                let tuple = &tuples[row as usize];
                for column in rest {
                    match *column {
                        Column::Bind(col, v) => env[v.0 as usize] = Some(tuple[col]),
                        Column::Check(col, v) => {
                            if env[v.0 as usize] != Some(tuple[col]) {
                                continue 'rows;
                            }
                        }
                    }
                }
                run_probes(rule, at + 1, env, cx, sink)?;
            }
            for column in rest {
                if let Column::Bind(_, v) = column {
                    env[v.0 as usize] = None;
                }
            }
        }
        Probe::Absent {
            index,
            key,
            repeated_locals,
        } => {
            let index = &cx.indexes.all[*index];
            let tuples = cx.db.get(index.rel);
            let present = index.lookup(key, env).iter().any(|&row| {
                let t = &tuples[row as usize];
                repeated_locals.iter().all(|(i, j)| t[*i] == t[*j])
            });
            if !present {
                run_probes(rule, at + 1, env, cx, sink)?;
            }
        }
        Probe::Filter(a, op, b) => {
            if let (Some(x), Some(y)) = (
                eval_expr(a, env, cx.interner),
                eval_expr(b, env, cx.interner),
            ) {
                if compare(*op, x, y, cx.interner) {
                    run_probes(rule, at + 1, env, cx, sink)?;
                }
            }
        }
        Probe::Assign(v, e) => {
            if let Some(x) = eval_expr(e, env, cx.interner) {
                env[v.0 as usize] = Some(x);
                run_probes(rule, at + 1, env, cx, sink)?;
                env[v.0 as usize] = None;
            }
        }
        Probe::Aggregate(step) => {
            // At most one value for the group these bindings belong to.
            let mut results = Vec::new();
            let Step::Aggregate { agg, .. } = step else {
                unreachable!("an aggregate probe holds an aggregate step")
            };
            let slot = agg.result.0 as usize;
            let before = env[slot];
            cx.solver
                .solve(std::slice::from_ref(step), env, cx.interner, &mut |e, _| {
                    results.push(e[slot])
                });
            cx.solver.stopped()?;
            for value in results {
                env[slot] = value;
                run_probes(rule, at + 1, env, cx, sink)?;
            }
            env[slot] = before;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::eval::{lower, prepare_program, run, Engine, Limits};
    use crate::source::SourceMap;
    use crate::syntax::parse;

    /// Every relation's tuples, printed, from one engine.
    fn model(text: &str, engine: Engine) -> Vec<(String, Vec<String>)> {
        let mut sources = SourceMap::new();
        let file = sources.add("test.law", text);
        let (module, diagnostics) = parse(&sources, file);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let prepared = prepare_program(lower::lower(&[&module], None)).expect("prepared");
        let (db, program) = run(&prepared, &[], &Limits::default(), engine).expect("evaluated");
        program
            .relations
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let tuples = db.rels[i]
                    .iter()
                    .map(|t| {
                        let values: Vec<String> = t
                            .iter()
                            .map(|v| program.interner.get(*v).to_string())
                            .collect();
                        values.join(",")
                    })
                    .collect();
                (r.display_name(), tuples)
            })
            .collect()
    }

    #[test]
    fn rules_reading_one_constant_each_see_only_their_tuples() {
        // The shape grounding produces: a rule per step, each reading one constant.
        let mut text = String::from("p(0).\n");
        for i in 1..=50 {
            text.push_str(&format!("p({i}) :- p({}).\n", i - 1));
            text.push_str(&format!("q({i}, X) :- p({i}), r(X), not s({i}).\n"));
        }
        text.push_str("r(a). r(b). s(7).\n");
        let datafrog = model(&text, Engine::Datafrog);
        assert_eq!(datafrog, model(&text, Engine::Naive));
        let q = &datafrog.iter().find(|(name, _)| name == "q").unwrap().1;
        assert_eq!(q.len(), 2 * 49);
    }

    #[test]
    fn values_made_during_the_stratum_pass_the_bit_table() {
        // `n` fills its bit table (ids of the values known at the start), then arithmetic
        // makes values with larger ids: they must still be deduplicated and sorted.
        let text = "e(1, 2). e(2, 3). e(3, 1).\n\
                    n(X, Y) :- e(X, Y).\n\
                    n(X, Z) :- n(X, Y), e(Y, Z).\n\
                    n(X, W) :- n(X, Y), Y < 40, W = Y + 3.\n";
        assert_eq!(model(text, Engine::Datafrog), model(text, Engine::Naive));
    }
}
