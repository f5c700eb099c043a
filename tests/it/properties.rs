//! Property tests: random stratified programs on random facts, evaluated by every engine that
//! can take them (`naive`, the reference; `datafrog`; `linear`, when every rule reads at most
//! one relation of its stratum; `auto`), must give the same model, and that model must be the
//! one an independent oracle (below, sharing no code with the pipeline) computes from the
//! generated rules; the checker must accept every program the generator writes (they are all
//! safe, stratified and well-kinded by construction); and every condition an explanation shows
//! must evaluate as the explanation says. The engine test prints how many programs reached each
//! evaluator, and fails when one is reached by fewer than 90% of the programs that could take
//! it.
//!
//! A program is generated from small integer codes (so that proptest shrinks a failure to a
//! short program) and rendered as `.law` text, so that a failure prints a program one can
//! paste into `grondslag run`. Predicates sit on fixed levels: a rule may use positive atoms
//! of its own level or lower (recursion), and `not` or aggregates only of lower levels
//! (stratification). Arithmetic in a recursive rule is guarded by bounds on its inputs, so
//! every program has a finite model.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use proptest::prelude::*;
use proptest::strategy::ValueTree;

use grondslag::check::check;
use grondslag::diagnostic::render_all;
use grondslag::eval::ir::Goal;
use grondslag::eval::{self, Engine, Limits, Path, Paths};
use grondslag::source::SourceMap;
use grondslag::syntax::parse;
use grondslag::value::Value;

/// (name, arity, level). Level 0: facts only.
const PREDS: &[(&str, usize, usize)] = &[
    ("e", 2, 0),
    ("f", 2, 0),
    ("g", 1, 0),
    ("h", 0, 0),
    ("p", 2, 1),
    ("z", 0, 1),
    ("q", 1, 1),
    ("r", 2, 2),
    ("s", 1, 2),
    ("u", 3, 2),
    ("t", 2, 3),
];
/// Values of facts: numbers (one negative: `mod` and `/` differ on them), symbols, and `"b"`,
/// the same value as the symbol `b`.
const FACT_VALUES: &[&str] = &["0", "1", "2", "3", "-5", "a", "b", "\"b\""];
/// Constants in rules: the same, and a date (it equals nothing in the facts).
const RULE_CONSTS: &[&str] = &["0", "1", "2", "a", "\"b\"", "2020-01-01"];
const INT_CONSTS: &[&str] = &["0", "1", "2", "3"];
const VARS: &[&str] = &["X", "Y", "Z", "W"];
const CMP_OPS: &[&str] = &["=", "!=", "<", "<=", ">", ">="];
/// Operators of assignments: `mod` is never negative, `/` truncates, and either by zero has
/// no value (the binding is dropped).
const ASSIGN_OPS: &[&str] = &["+", "-", "*", "mod", "/"];
const AGG_OPS: &[&str] = &["count", "sum", "min", "max"];

/// One rule, as codes; `render` turns them into a valid rule for the head's level.
#[derive(Clone, Debug)]
struct RuleSpec {
    head: u8,
    atoms: Vec<(u8, [u8; 3])>,
    negations: Vec<(u8, [u8; 3])>,
    comparisons: Vec<(u8, u8, u8)>,
    aggregate: Option<(u8, u8, u8)>,
    head_args: [u8; 3],
}

fn rule_spec() -> impl Strategy<Value = RuleSpec> {
    (
        any::<u8>(),
        prop::collection::vec((any::<u8>(), any::<[u8; 3]>()), 0..=3),
        prop::collection::vec((any::<u8>(), any::<[u8; 3]>()), 0..=1),
        prop::collection::vec((any::<u8>(), any::<u8>(), any::<u8>()), 0..=1),
        prop::option::weighted(0.25, (any::<u8>(), any::<u8>(), any::<u8>())),
        any::<[u8; 3]>(),
    )
        .prop_map(
            |(head, atoms, negations, comparisons, aggregate, head_args)| RuleSpec {
                head,
                atoms,
                negations,
                comparisons,
                aggregate,
                head_args,
            },
        )
}

fn pick<T: Copy>(items: &[T], code: u8) -> T {
    items[code as usize % items.len()]
}

fn atom(name: &str, args: &[String]) -> String {
    if args.is_empty() {
        name.to_string()
    } else {
        format!("{name}({})", args.join(", "))
    }
}

/// A term of a generated rule.
#[derive(Clone, Debug, PartialEq)]
enum GenTerm {
    /// A variable; `_` is the anonymous one.
    Var(String),
    /// A constant, as written.
    Const(&'static str),
    /// `V op constant`.
    Arith(String, &'static str, &'static str),
}

/// A condition of a generated rule.
#[derive(Clone, Debug)]
enum GenCond {
    Atom(&'static str, Vec<GenTerm>),
    Not(&'static str, Vec<GenTerm>),
    Compare(GenTerm, &'static str, GenTerm),
    /// `V = W + c`.
    Assign(String, GenTerm),
    /// `N = op { T : pred(args) }`.
    Aggregate(&'static str, &'static str, Vec<GenTerm>),
}

/// A generated rule: rendered as `.law` text for the engines, read directly by the oracle.
#[derive(Clone, Debug)]
struct GenRule {
    head: &'static str,
    level: usize,
    head_args: Vec<GenTerm>,
    body: Vec<GenCond>,
}

impl std::fmt::Display for GenTerm {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            GenTerm::Var(v) => write!(f, "{v}"),
            GenTerm::Const(c) => write!(f, "{c}"),
            GenTerm::Arith(v, op, c) => write!(f, "{v} {op} {c}"),
        }
    }
}

fn atom_text(name: &str, args: &[GenTerm]) -> String {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    atom(name, &args)
}

impl std::fmt::Display for GenCond {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            GenCond::Atom(name, args) => write!(f, "{}", atom_text(name, args)),
            GenCond::Not(name, args) => write!(f, "not {}", atom_text(name, args)),
            GenCond::Compare(a, op, b) => write!(f, "{a} {op} {b}"),
            GenCond::Assign(v, e) => write!(f, "{v} = {e}"),
            GenCond::Aggregate(op, name, args) => {
                write!(f, "N = {op} {{ T : {} }}", atom_text(name, args))
            }
        }
    }
}

impl std::fmt::Display for GenRule {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        let head = atom_text(self.head, &self.head_args);
        if self.body.is_empty() {
            write!(f, "{head}.")
        } else {
            let body: Vec<String> = self.body.iter().map(|c| c.to_string()).collect();
            write!(f, "{head} :- {}.", body.join(", "))
        }
    }
}

fn var(name: &str) -> GenTerm {
    GenTerm::Var(name.to_string())
}

impl RuleSpec {
    fn render(&self) -> String {
        self.build().to_string()
    }

    fn build(&self) -> GenRule {
        let idb: Vec<_> = PREDS.iter().filter(|p| p.2 > 0).collect();
        let &(head, head_arity, level) = pick(&idb, self.head);
        let same_or_lower: Vec<_> = PREDS.iter().filter(|p| p.2 <= level).collect();
        let lower: Vec<_> = PREDS.iter().filter(|p| p.2 < level).collect();
        let mut body: Vec<GenCond> = Vec::new();
        let mut bound: Vec<String> = Vec::new();
        let mut recursive = false;
        for (pred, codes) in &self.atoms {
            let &(name, arity, l) = pick(&same_or_lower, *pred);
            recursive |= l == level;
            let args: Vec<GenTerm> = codes[..arity]
                .iter()
                .map(|c| {
                    if c % 5 == 0 {
                        GenTerm::Const(pick(RULE_CONSTS, c / 5))
                    } else {
                        var(pick(VARS, *c))
                    }
                })
                .collect();
            for a in &args {
                if let GenTerm::Var(v) = a {
                    if !bound.contains(v) {
                        bound.push(v.clone());
                    }
                }
            }
            body.push(GenCond::Atom(name, args));
        }
        // A bound variable, or else an integer constant.
        let operand = |code: u8, bound: &[String]| -> GenTerm {
            if bound.is_empty() || code.is_multiple_of(4) {
                GenTerm::Const(pick(INT_CONSTS, code / 4))
            } else {
                var(&bound[code as usize % bound.len()])
            }
        };
        for (i, (pred, codes)) in self.negations.iter().enumerate() {
            let &(name, arity, _) = pick(&lower, *pred);
            let args: Vec<GenTerm> = codes[..arity]
                .iter()
                .map(|c| match c % 4 {
                    0 if !bound.is_empty() => var(&bound[*c as usize / 4 % bound.len()]),
                    0 | 1 => GenTerm::Const(pick(RULE_CONSTS, c / 4)),
                    2 => var("_"),
                    // Local to this `not`, possibly repeated within it.
                    _ => var(&format!("L{i}")),
                })
                .collect();
            body.push(GenCond::Not(name, args));
        }
        // Variables that arithmetic reads: bounded in recursive rules.
        let mut arith_inputs: Vec<String> = Vec::new();
        for (a, op, b) in &self.comparisons {
            if op % 7 == 6 && !bound.is_empty() {
                // An assignment: a new variable from arithmetic on a bound one.
                let GenTerm::Var(v) = operand(*a | 1, &bound) else {
                    unreachable!("an odd code picks a variable")
                };
                let fresh = format!("A{}", body.len());
                let sum = GenTerm::Arith(v.clone(), pick(ASSIGN_OPS, b / 4), pick(INT_CONSTS, *b));
                body.push(GenCond::Assign(fresh.clone(), sum));
                arith_inputs.push(v);
                bound.push(fresh);
            } else {
                let (x, y) = (operand(*a, &bound), operand(*b, &bound));
                body.push(GenCond::Compare(x, pick(CMP_OPS, *op), y));
            }
        }
        if let Some((op, pred, group)) = self.aggregate {
            let countable: Vec<_> = lower.iter().filter(|p| p.1 > 0).collect();
            let &&(name, arity, _) = pick(&countable, pred);
            let op = pick(AGG_OPS, op);
            // The target at the last position; before it, when there is room and a bound
            // variable, the group (a variable bound outside); `_` elsewhere.
            let mut args = vec![var("_"); arity];
            args[arity - 1] = var("T");
            if arity > 1 && !bound.is_empty() && group % 2 == 0 {
                args[0] = var(&bound[group as usize / 2 % bound.len()]);
            }
            let aggregate = GenCond::Aggregate(op, name, args);
            // Conditions may come in any order: sometimes the aggregate comes first, before
            // the atom that binds its group.
            if group % 4 == 0 {
                body.insert(0, aggregate);
            } else {
                body.push(aggregate);
            }
            bound.push("N".into());
        }
        let head_args: Vec<GenTerm> = self.head_args[..head_arity]
            .iter()
            .map(|c| match c % 5 {
                _ if bound.is_empty() => GenTerm::Const(pick(RULE_CONSTS, *c)),
                3 => GenTerm::Const(pick(RULE_CONSTS, c / 5)),
                4 => {
                    let v = bound[*c as usize / 5 % bound.len()].clone();
                    arith_inputs.push(v.clone());
                    GenTerm::Arith(v, pick(&["+", "-", "*"], c / 25), "1")
                }
                _ => var(&bound[*c as usize % bound.len()]),
            })
            .collect();
        if recursive {
            arith_inputs.sort();
            arith_inputs.dedup();
            for v in arith_inputs.iter().filter(|v| VARS.contains(&v.as_str())) {
                body.push(GenCond::Compare(var(v), ">", GenTerm::Const("-4")));
                body.push(GenCond::Compare(var(v), "<", GenTerm::Const("4")));
            }
            // A variable bound by an assignment or an aggregate and then used in arithmetic
            // is bounded through its inputs, or by the data.
        }
        GenRule {
            head,
            level,
            head_args,
            body,
        }
    }
}

fn facts() -> impl Strategy<Value = Vec<(u8, u8, u8, u8)>> {
    prop::collection::vec((any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>()), 0..40)
}

/// The facts the codes stand for: (predicate, constants as written).
fn fact_atoms(facts: &[(u8, u8, u8, u8)]) -> Vec<(&'static str, Vec<&'static str>)> {
    let edb: Vec<_> = PREDS.iter().filter(|p| p.2 == 0).collect();
    facts
        .iter()
        .map(|(pred, a, b, c)| {
            let &(name, arity, _) = pick(&edb, *pred);
            let args = [a, b, c][..arity]
                .iter()
                .map(|c| pick(FACT_VALUES, **c))
                .collect();
            (name, args)
        })
        .collect()
}

fn render_program(rules: &[RuleSpec], facts: &[(u8, u8, u8, u8)]) -> String {
    let mut text = String::new();
    for (name, args) in fact_atoms(facts) {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        writeln!(text, "{}.", atom(name, &args)).unwrap();
    }
    for rule in rules {
        writeln!(text, "{}", rule.render()).unwrap();
    }
    text
}

/// An evaluator of generated programs that shares nothing with grondslag's pipeline (no
/// parser, lowering, planner or solver): level by level, apply every rule to the whole
/// database until nothing changes, reading the conditions in the most literal way. It holds
/// the lowering and planning to account, which the engine comparison cannot (both engines run
/// the same lowered, planned program).
mod oracle {
    use super::{GenCond, GenRule, GenTerm};
    use grondslag::value::{Date, Value};
    use std::collections::{BTreeMap, BTreeSet};

    pub type Db = BTreeMap<&'static str, BTreeSet<Vec<Value>>>;
    type Env = BTreeMap<String, Value>;

    pub fn value(constant: &str) -> Value {
        if let Ok(n) = constant.parse::<i64>() {
            Value::Int(n)
        } else if let Some(d) = Date::parse(constant) {
            Value::Date(d)
        } else {
            Value::text(constant.trim_matches('"'))
        }
    }

    pub fn run(rules: &[GenRule], facts: &[(&'static str, Vec<&'static str>)]) -> Db {
        let mut db = Db::new();
        for (name, args) in facts {
            db.entry(name)
                .or_default()
                .insert(args.iter().map(|a| value(a)).collect());
        }
        for level in 1..=3 {
            loop {
                let mut new = Vec::new();
                for rule in rules.iter().filter(|r| r.level == level) {
                    for env in solve(rule, &db) {
                        let head: Option<Vec<Value>> =
                            rule.head_args.iter().map(|t| term(t, &env)).collect();
                        if let Some(head) = head {
                            new.push((rule.head, head));
                        }
                    }
                }
                let mut changed = false;
                for (name, tuple) in new {
                    changed |= db.entry(name).or_default().insert(tuple);
                }
                if !changed {
                    break;
                }
            }
        }
        db
    }

    fn term(t: &GenTerm, env: &Env) -> Option<Value> {
        match t {
            GenTerm::Var(v) => env.get(v).cloned(),
            GenTerm::Const(c) => Some(value(c)),
            GenTerm::Arith(v, op, c) => {
                let (Value::Int(a), Value::Int(b)) = (env.get(v)?, value(c)) else {
                    return None;
                };
                let n = match *op {
                    "+" => a.checked_add(b)?,
                    "-" => a.checked_sub(b)?,
                    "*" => a.checked_mul(b)?,
                    "mod" => a.checked_rem_euclid(b)?,
                    _ => a.checked_div(b)?,
                };
                Some(Value::Int(n))
            }
        }
    }

    /// Does `tuple` match `args` under `env`? Bound variables and constants must be equal;
    /// `_` matches anything; unbound variables take one value each (returned in the env).
    fn unify(args: &[GenTerm], tuple: &[Value], env: &Env) -> Option<Env> {
        let mut env = env.clone();
        for (arg, v) in args.iter().zip(tuple) {
            match arg {
                GenTerm::Var(name) if name == "_" => {}
                GenTerm::Var(name) => match env.get(name) {
                    Some(bound) if bound != v => return None,
                    Some(_) => {}
                    None => {
                        env.insert(name.clone(), v.clone());
                    }
                },
                other => {
                    if term(other, &env)? != *v {
                        return None;
                    }
                }
            }
        }
        Some(env)
    }

    fn compare(a: &Value, op: &str, b: &Value) -> bool {
        let same_kind = a.kind() == b.kind();
        match op {
            "=" => a == b,
            "!=" => a != b,
            "<" => same_kind && a < b,
            "<=" => same_kind && a <= b,
            ">" => same_kind && a > b,
            _ => same_kind && a >= b,
        }
    }

    /// Every binding that satisfies the body: atoms joined first, then assignments, then the
    /// aggregate, then the filters (a conjunction's order does not matter; the generator only
    /// reads variables that these steps bind in this order).
    fn solve(rule: &GenRule, db: &Db) -> Vec<Env> {
        let empty = BTreeSet::new();
        let rel = |name: &str| db.get(name).unwrap_or(&empty);
        let mut envs = vec![Env::new()];
        for cond in &rule.body {
            if let GenCond::Atom(name, args) = cond {
                envs = envs
                    .iter()
                    .flat_map(|env| rel(name).iter().filter_map(|t| unify(args, t, env)))
                    .collect();
            }
        }
        for cond in &rule.body {
            if let GenCond::Assign(v, e) = cond {
                envs = envs
                    .into_iter()
                    .filter_map(|mut env| {
                        let x = term(e, &env)?;
                        env.insert(v.clone(), x);
                        Some(env)
                    })
                    .collect();
            }
        }
        for cond in &rule.body {
            if let GenCond::Aggregate(op, name, args) = cond {
                envs = envs
                    .into_iter()
                    .filter_map(|mut env| {
                        let targets: BTreeSet<Value> = rel(name)
                            .iter()
                            .filter_map(|t| unify(args, t, &env))
                            .map(|inner| inner["T"].clone())
                            .collect();
                        let result = match *op {
                            "count" => Value::Int(targets.len() as i64),
                            "sum" => {
                                let mut total: i64 = 0;
                                for t in &targets {
                                    let Value::Int(n) = t else { return None };
                                    total = total.checked_add(*n)?;
                                }
                                Value::Int(total)
                            }
                            "min" => targets.first()?.clone(),
                            _ => targets.last()?.clone(),
                        };
                        env.insert("N".into(), result);
                        Some(env)
                    })
                    .collect();
            }
        }
        envs.retain(|env| {
            rule.body.iter().all(|cond| match cond {
                GenCond::Compare(a, op, b) => match (term(a, env), term(b, env)) {
                    (Some(x), Some(y)) => compare(&x, op, &y),
                    _ => false,
                },
                GenCond::Not(name, args) => {
                    !rel(name).iter().any(|t| unify(args, t, env).is_some())
                }
                _ => true,
            })
        });
        envs
    }
}

/// Every relation as a set of value tuples, or the evaluation's error code; and the paths
/// its strata took.
type Outcome = Result<(BTreeMap<String, BTreeSet<Vec<Value>>>, Paths), String>;

fn evaluate(prepared: &eval::Prepared, engine: Engine) -> Outcome {
    let limits = Limits {
        max_facts: Some(100_000),
        ..Limits::default()
    };
    let eval::Run { db, program, paths } =
        eval::run(prepared, &[], &limits, engine).map_err(|d| d.code.as_str().to_string())?;
    let mut model = BTreeMap::new();
    for (i, relation) in program.relations.iter().enumerate() {
        let tuples: BTreeSet<Vec<Value>> = db.rels[i]
            .iter()
            .map(|t| t.iter().map(|v| program.interner.get(*v).clone()).collect())
            .collect();
        model.insert(relation.display_name(), tuples);
    }
    Ok((model, paths))
}

/// Parse and check (no errors allowed) and prepare a generated program.
fn prepared(text: &str) -> eval::Prepared {
    let mut sources = SourceMap::new();
    let file = sources.add("generated.law", text);
    let (module, mut diagnostics) = parse(&sources, file);
    diagnostics.extend(check(&sources, &[&module]));
    let errors: Vec<_> = diagnostics.into_iter().filter(|d| d.is_error()).collect();
    assert!(
        errors.is_empty(),
        "the checker rejects a valid generated program:\n{text}\n{}",
        render_all(&errors, &sources)
    );
    match eval::prepare_program(eval::lower::lower(&[&module])) {
        Ok(prepared) => prepared,
        Err(found) => panic!(
            "a safe, stratified program is refused:\n{text}\n{}",
            render_all(&found, &sources)
        ),
    }
}

/// Whether every rule reads at most one relation of its own stratum: the programs the linear
/// evaluator is meant to take (worked out here from the strata, not by the evaluator).
fn linear(prepared: &eval::Prepared) -> bool {
    let program = &prepared.program;
    prepared.strata.strata.iter().all(|stratum| {
        program
            .rules
            .iter()
            .filter(|r| stratum.contains(&r.head))
            .all(|rule| {
                let own = rule
                    .body
                    .iter()
                    .filter(|g| matches!(g, Goal::Atom(a) if stratum.contains(&a.rel)));
                own.count() <= 1
            })
    })
}

/// The path each forced engine must take.
const FORCED: [(Engine, Path); 3] = [
    (Engine::Naive, Path::Naive),
    (Engine::Datafrog, Path::Datafrog),
    (Engine::Linear, Path::Linear),
];

/// How many programs could take each path, and how many did.
#[derive(Default)]
struct Reach {
    programs: usize,
    could: BTreeMap<&'static str, usize>,
    reached: BTreeMap<&'static str, usize>,
    /// Under `auto`: the programs whose strata took each path.
    auto: BTreeMap<&'static str, usize>,
}

impl Reach {
    /// Print the counts; fail when a path was reached by fewer than 90% of the programs that
    /// could take it.
    fn report(&self, what: &str) {
        let mut lines = vec![format!("{what}: paths over {} programs", self.programs)];
        let mut short = Vec::new();
        for (path, could) in &self.could {
            let reached = self.reached.get(path).copied().unwrap_or(0);
            lines.push(format!(
                "  {path}: reached by {reached} of the {could} programs that could take it"
            ));
            if reached * 10 < could * 9 {
                short.push(*path);
            }
        }
        for (path, n) in &self.auto {
            lines.push(format!("  under auto, {path}: {n} programs"));
        }
        println!("{}", lines.join("\n"));
        assert!(
            short.is_empty(),
            "paths reached by fewer than 90% of the programs that could take them: {short:?}\n{}",
            lines.join("\n")
        );
    }
}

/// Run a generated program under every engine that can take it: the models must agree with
/// each other and with the oracle; count the paths.
fn every_engine(
    rules: &[RuleSpec],
    facts: &[(u8, u8, u8, u8)],
    reach: &mut Reach,
) -> Result<(), TestCaseError> {
    let text = render_program(rules, facts);
    let prepared = prepared(&text);
    let naive = evaluate(&prepared, Engine::Naive);
    prop_assert!(
        naive.is_ok(),
        "the naive evaluator fails on\n{text}\n{naive:?}"
    );
    let (model, _) = naive.clone().unwrap();
    reach.programs += 1;
    // A program of facts only has no stratum to evaluate: it takes no path.
    let has_rules = !prepared.program.rules.is_empty();
    let can_be_linear = linear(&prepared);
    for (engine, path) in FORCED {
        if has_rules && (engine != Engine::Linear || can_be_linear) {
            *reach.could.entry(path.as_str()).or_default() += 1;
        }
        let outcome = evaluate(&prepared, engine);
        match &outcome {
            Err(code) if engine == Engine::Linear && code == "strategy" => {
                prop_assert!(
                    !can_be_linear,
                    "the linear evaluator refuses a linear program:\n{text}"
                );
                continue;
            }
            Err(code) => prop_assert!(false, "{} fails ({code}) on\n{text}", engine.as_str()),
            Ok((other, paths)) => {
                prop_assert_eq!(
                    other,
                    &model,
                    "{} and naive differ for\n{}",
                    engine.as_str(),
                    text
                );
                if paths.get(path) > 0 {
                    *reach.reached.entry(path.as_str()).or_default() += 1;
                }
                // A forced engine takes no other path.
                for other in Path::ALL.into_iter().filter(|p| *p != path) {
                    prop_assert_eq!(paths.get(other), 0, "{} took {:?}", engine.as_str(), other);
                }
            }
        }
    }
    let (auto, paths) = evaluate(&prepared, Engine::Auto).expect("auto evaluates");
    prop_assert_eq!(&auto, &model, "auto and naive differ for\n{}", text);
    for path in [Path::Linear, Path::Datafrog] {
        if paths.get(path) > 0 {
            *reach.auto.entry(path.as_str()).or_default() += 1;
        }
    }
    // The engines run the same lowered program: hold it to the independent oracle.
    let built: Vec<GenRule> = rules.iter().map(RuleSpec::build).collect();
    let expected = oracle::run(&built, &fact_atoms(facts));
    for (name, _, _) in PREDS {
        let empty = BTreeSet::new();
        prop_assert_eq!(
            model.get(*name).unwrap_or(&empty),
            expected.get(name).unwrap_or(&empty),
            "`{}` differs from the oracle's for\n{}",
            name,
            text
        );
    }
    Ok(())
}

/// How many generated programs a property runs: 400 by default (about a second per engine in
/// a debug build); `PROPTEST_CASES=N` for a longer hunt.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(400)
}

#[test]
fn every_engine_agrees_with_the_naive_evaluator_and_the_oracle() {
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: cases(),
        // Failures are saved beside this file, as `proptest!` does.
        source_file: Some(file!()),
        ..ProptestConfig::default()
    });
    let reach = std::cell::RefCell::new(Reach::default());
    let strategy = (prop::collection::vec(rule_spec(), 1..7), facts());
    let result = runner.run(&strategy, |(rules, facts)| {
        every_engine(&rules, &facts, &mut reach.borrow_mut())
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
    reach.borrow().report("strict programs");
}

/// The generator reaches what it is meant to: recursion, negation, arithmetic, aggregates;
/// and a good share of its programs derive something (a test of empty models proves little).
#[test]
fn generated_programs_cover_the_language() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = (prop::collection::vec(rule_spec(), 1..7), facts());
    let mut seen = BTreeSet::new();
    let mut deriving = 0;
    for _ in 0..200 {
        let (rules, facts) = strategy.new_tree(&mut runner).unwrap().current();
        let text = render_program(&rules, &facts);
        let (model, _) = evaluate(&prepared(&text), Engine::Auto).expect("evaluates");
        let idb = PREDS.iter().filter(|p| p.2 > 0);
        if idb
            .into_iter()
            .any(|p| model.get(p.0).is_some_and(|t| !t.is_empty()))
        {
            deriving += 1;
        }
        for (feature, marker) in [
            ("negation", "not "),
            ("aggregate", " = count {"),
            ("sum", " = sum {"),
            ("arithmetic", " + 1"),
            ("mod", " mod "),
            ("division", " / "),
            ("assignment", "A"),
            ("comparison", " < "),
            ("local variable", "L0"),
            ("date constant", "2020-01-01"),
        ] {
            if text.contains(marker) {
                seen.insert(feature);
            }
        }
        if rules
            .iter()
            .any(|r| r.render().starts_with("p(") && r.render().contains(":- p("))
        {
            seen.insert("recursion");
        }
    }
    assert_eq!(seen.len(), 11, "features reached: {seen:?}");
    assert!(
        deriving > 60,
        "only {deriving} of 200 programs derive anything"
    );
}

/// Regression and sanity cases, written out.
#[test]
fn recursion_through_arithmetic_with_a_guard() {
    let (model, naive) = all_engines("n(0).\nn(X + 1) :- n(X), X < 5.\n");
    assert_eq!(model, naive);
    assert_eq!(model["n"].len(), 6);
}

#[test]
fn variables_only_inside_aggregates_are_local_to_each() {
    let text = "q(1). q(2). r(5). g(a, 1). g(a, 2). g(b, 7). k(a). k(b).\n\
        p(A, B) :- A = count { X : q(X) }, B = count { X : r(X) }.\n\
        per(G, N) :- N = sum { V : g(G, V) }, k(G).\n";
    let (model, naive) = all_engines(text);
    assert_eq!(model, naive);
    let ints = |ns: &[i64]| ns.iter().map(|n| Value::Int(*n)).collect::<Vec<_>>();
    assert_eq!(model["p"], BTreeSet::from([ints(&[2, 1])]));
    let per = |g: &str, n: i64| vec![Value::text(g), Value::Int(n)];
    assert_eq!(model["per"], BTreeSet::from([per("a", 3), per("b", 7)]));
}

/// The model by every engine that takes the program (they must agree), and the naive one.
type Relations = BTreeMap<String, BTreeSet<Vec<Value>>>;

fn all_engines(text: &str) -> (Relations, Relations) {
    let prepared = prepared(text);
    let (naive, _) = evaluate(&prepared, Engine::Naive).expect("naive evaluates");
    let mut agreed = None;
    for engine in [Engine::Auto, Engine::Datafrog, Engine::Linear] {
        match evaluate(&prepared, engine) {
            Ok((model, _)) => {
                if let Some(previous) = &agreed {
                    assert_eq!(&model, previous, "{} differs", engine.as_str());
                }
                agreed = Some(model);
            }
            Err(code) => assert_eq!(code, "strategy", "{} fails", engine.as_str()),
        }
    }
    (agreed.expect("auto evaluates"), naive)
}

/// Every comparison an explanation shows, re-read as a query and evaluated, has the outcome
/// the explanation gives it: the explanations compute terms as the evaluator does (once, they
/// had an arithmetic of their own, and `mod` disagreed). For each derived literal of a
/// generated program, why it holds; for a literal next to it that does not hold, why not.
#[test]
fn explained_conditions_evaluate_as_explained() {
    use grondslag::driver::{self, Bills, Case, Options, Style};
    use grondslag::explain::{Ask, Inapplicable, Node};
    use grondslag::syntax::ast::{BodyItem, Lang, Term};

    fn has_variables(term: &Term) -> bool {
        match term {
            Term::Var(_) | Term::Anonymous(_) => true,
            Term::Const(..) => false,
            Term::Neg(a, _) => has_variables(a),
            Term::Arith(a, _, b, _) => has_variables(a) || has_variables(b),
        }
    }

    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = (prop::collection::vec(rule_spec(), 1..7), facts());
    let (mut conditions, mut failing) = (0, 0);
    for _ in 0..800 {
        let (mut rules, facts) = strategy.new_tree(&mut runner).unwrap().current();
        // Every other rule computes: its comparison becomes an assignment (`A = X op c`,
        // `mod` and `/` among the operators), where evaluator and explanation could differ.
        for (i, rule) in rules.iter_mut().enumerate() {
            let (a, b) = (rule.head, rule.head_args[0]);
            match rule.comparisons.first_mut() {
                Some(c) if i % 2 == 0 => c.1 = 6,
                None if i % 2 == 0 => rule.comparisons.push((a, 6, b)),
                _ => {}
            }
        }
        let text = render_program(&rules, &facts);
        let mut ws = grondslag::load::Workspace::new();
        ws.load_text("generated.law", text.clone());
        let checked = driver::check(&ws, None);
        let options = Options {
            provenance: true,
            ..Options::default()
        };
        let law = checked
            .law(None, Bills::Apply, &options)
            .expect("no errors");
        let evaluation = law.evaluate(Case::All).expect("evaluates");
        let style = Style {
            depth: Some(2),
            ..Style::new(Lang::En)
        };
        let mut goals = Vec::new();
        for (name, rows) in evaluation.model().relations() {
            if !PREDS.iter().any(|p| p.0 == name && p.2 > 0) {
                continue;
            }
            for (args, _) in rows.iter().take(8) {
                let shown: Vec<String> = args.iter().map(Value::to_string).collect();
                goals.push(atom(&name, &shown));
                // The same literal with a number one higher: often one that does not hold.
                for (i, arg) in args.iter().enumerate() {
                    if let Value::Int(n) = arg {
                        let mut other = shown.clone();
                        other[i] = (n + 1).to_string();
                        goals.push(atom(&name, &other));
                    }
                }
            }
        }
        for goal in goals {
            let mut sources = ws.sources.clone();
            let query = driver::parse_query(&mut sources, "<goal>", &goal).expect("a goal");
            let [BodyItem::Literal(literal)] = query.body.as_slice() else {
                unreachable!("one literal")
            };
            let explanation = evaluation
                .explain(&ws, literal, Ask::Either, style)
                .unwrap_or_else(|p| panic!("{goal}: {p}\n{text}"));
            for node in explanation.graph.node_weights() {
                // A condition shown on its own, or as the one reason a rule cannot apply.
                let (shown, holds) = match node {
                    Node::Condition { text, holds } => (text, holds),
                    Node::Rule(app) => match app.inapplicable.as_deref() {
                        Some(Inapplicable::Condition(text)) => (text, &false),
                        _ => continue,
                    },
                    _ => continue,
                };
                // Aggregates are shown with their value beside the variable: not a query.
                if shown.contains('{') {
                    continue;
                }
                let mut sources = ws.sources.clone();
                let condition = driver::parse_query(&mut sources, "<condition>", shown)
                    .unwrap_or_else(|d| panic!("`{shown}` does not read back: {d:?}\n{text}"));
                let [BodyItem::Compare(a, _, b, _)] = condition.body.as_slice() else {
                    panic!("`{shown}` is not a comparison");
                };
                if has_variables(a) || has_variables(b) {
                    continue;
                }
                let evaluated = !evaluation.answer(&condition).is_empty();
                assert_eq!(
                    evaluated, *holds,
                    "the explanation of `{goal}` shows `{shown}` as {}, but it evaluates to {evaluated}\n{text}",
                    if *holds { "holding" } else { "failing" }
                );
                conditions += 1;
                failing += usize::from(!holds);
            }
        }
    }
    println!("{conditions} explained conditions re-evaluated, {failing} of them failing ones");
    assert!(conditions > 200, "only {conditions} conditions explained");
    assert!(failing > 10, "only {failing} failing conditions explained");
}
