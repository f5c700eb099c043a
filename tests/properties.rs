//! Property tests: random stratified programs on random facts, evaluated by the datafrog
//! evaluator and by the naive reference evaluator, must give the same model, and that model
//! must be the one an independent oracle (below, sharing no code with the pipeline) computes
//! from the generated rules; and the checker must accept every program the generator writes
//! (they are all safe, stratified and well-kinded by construction).
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
use grondslag::eval::{self, Engine, Limits};
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
/// Values of facts: numbers, symbols, and `"b"`, the same value as the symbol `b`.
const FACT_VALUES: &[&str] = &["0", "1", "2", "3", "a", "b", "\"b\""];
/// Constants in rules: the same, and a date (it equals nothing in the facts).
const RULE_CONSTS: &[&str] = &["0", "1", "2", "a", "\"b\"", "2020-01-01"];
const INT_CONSTS: &[&str] = &["0", "1", "2", "3"];
const VARS: &[&str] = &["X", "Y", "Z", "W"];
const CMP_OPS: &[&str] = &["=", "!=", "<", "<=", ">", ">="];
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
                let sum = GenTerm::Arith(v.clone(), "+", pick(INT_CONSTS, *b));
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
                    _ => a.checked_mul(b)?,
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

/// Every relation as a set of value tuples, or the evaluation's error code.
type Outcome = Result<BTreeMap<String, BTreeSet<Vec<Value>>>, String>;

fn evaluate(prepared: &eval::Prepared, engine: Engine) -> Outcome {
    let limits = Limits {
        max_facts: Some(100_000),
        ..Limits::default()
    };
    let eval::Run { db, program, .. } =
        eval::run(prepared, &[], &limits, engine).map_err(|d| d.code.as_str().to_string())?;
    let mut model = BTreeMap::new();
    for (i, relation) in program.relations.iter().enumerate() {
        let tuples: BTreeSet<Vec<Value>> = db.rels[i]
            .iter()
            .map(|t| t.iter().map(|v| program.interner.get(*v).clone()).collect())
            .collect();
        model.insert(relation.display_name(), tuples);
    }
    Ok(model)
}

/// Parse, check (no errors allowed), prepare, and run on both engines.
fn both_engines(text: &str) -> (Outcome, Outcome) {
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
    let prepared = match eval::prepare_program(eval::lower::lower(&[&module])) {
        Ok(prepared) => prepared,
        Err(found) => panic!(
            "a safe, stratified program is refused:\n{text}\n{}",
            render_all(&found, &sources)
        ),
    };
    (
        evaluate(&prepared, Engine::Datafrog),
        evaluate(&prepared, Engine::Naive),
    )
}

proptest! {
    // 400 cases run in about a second in a debug build; PROPTEST_CASES=N for a longer hunt.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(400),
        ..ProptestConfig::default()
    })]

    #[test]
    fn datafrog_and_naive_evaluators_agree(
        rules in prop::collection::vec(rule_spec(), 1..7),
        facts in facts(),
    ) {
        let text = render_program(&rules, &facts);
        let (datafrog, naive) = both_engines(&text);
        prop_assert!(naive.is_ok(), "the naive evaluator fails on\n{text}\n{naive:?}");
        prop_assert_eq!(&datafrog, &naive, "models differ for\n{}", text);
        // Both engines run the same lowered program: hold it to the independent oracle.
        let built: Vec<GenRule> = rules.iter().map(RuleSpec::build).collect();
        let expected = oracle::run(&built, &fact_atoms(&facts));
        let model = naive.unwrap();
        for (name, _, _) in PREDS {
            let empty = BTreeSet::new();
            prop_assert_eq!(
                model.get(*name).unwrap_or(&empty),
                expected.get(name).unwrap_or(&empty),
                "`{}` differs from the oracle's for\n{}", name, text
            );
        }
    }
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
        let model = both_engines(&text).0.expect("evaluates");
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
    assert_eq!(seen.len(), 9, "features reached: {seen:?}");
    assert!(
        deriving > 60,
        "only {deriving} of 200 programs derive anything"
    );
}

/// Regression and sanity cases, written out.
#[test]
fn recursion_through_arithmetic_with_a_guard() {
    let (datafrog, naive) = both_engines("n(0).\nn(X + 1) :- n(X), X < 5.\n");
    assert_eq!(datafrog, naive);
    let model = datafrog.unwrap();
    assert_eq!(model["n"].len(), 6);
}

#[test]
fn variables_only_inside_aggregates_are_local_to_each() {
    let text = "q(1). q(2). r(5). g(a, 1). g(a, 2). g(b, 7). k(a). k(b).\n\
        p(A, B) :- A = count { X : q(X) }, B = count { X : r(X) }.\n\
        per(G, N) :- N = sum { V : g(G, V) }, k(G).\n";
    let (datafrog, naive) = both_engines(text);
    assert_eq!(datafrog, naive);
    let model = datafrog.unwrap();
    let ints = |ns: &[i64]| ns.iter().map(|n| Value::Int(*n)).collect::<Vec<_>>();
    assert_eq!(model["p"], BTreeSet::from([ints(&[2, 1])]));
    let per = |g: &str, n: i64| vec![Value::text(g), Value::Int(n)];
    assert_eq!(model["per"], BTreeSet::from([per("a", 3), per("b", 7)]));
}
