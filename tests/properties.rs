//! Property tests: random stratified programs on random facts, evaluated by the datafrog
//! evaluator and by the naive reference evaluator, must give the same model; and the checker
//! must accept every program the generator writes (they are all safe, stratified and
//! well-kinded by construction).
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

impl RuleSpec {
    fn render(&self) -> String {
        let idb: Vec<_> = PREDS.iter().filter(|p| p.2 > 0).collect();
        let &(head, head_arity, level) = pick(&idb, self.head);
        let same_or_lower: Vec<_> = PREDS.iter().filter(|p| p.2 <= level).collect();
        let lower: Vec<_> = PREDS.iter().filter(|p| p.2 < level).collect();
        let mut body: Vec<String> = Vec::new();
        let mut bound: Vec<String> = Vec::new();
        let mut recursive = false;
        for (pred, codes) in &self.atoms {
            let &(name, arity, l) = pick(&same_or_lower, *pred);
            recursive |= l == level;
            let args: Vec<String> = codes[..arity]
                .iter()
                .map(|c| {
                    if c % 5 == 0 {
                        pick(RULE_CONSTS, c / 5).to_string()
                    } else {
                        pick(VARS, *c).to_string()
                    }
                })
                .collect();
            for a in &args {
                if VARS.contains(&a.as_str()) && !bound.contains(a) {
                    bound.push(a.clone());
                }
            }
            body.push(atom(name, &args));
        }
        // A bound variable, or else an integer constant.
        let operand = |code: u8, bound: &[String]| -> String {
            if bound.is_empty() || code.is_multiple_of(4) {
                pick(INT_CONSTS, code / 4).to_string()
            } else {
                bound[code as usize % bound.len()].clone()
            }
        };
        for (i, (pred, codes)) in self.negations.iter().enumerate() {
            let &(name, arity, _) = pick(&lower, *pred);
            let args: Vec<String> = codes[..arity]
                .iter()
                .map(|c| match c % 4 {
                    0 if !bound.is_empty() => bound[*c as usize / 4 % bound.len()].clone(),
                    0 | 1 => pick(RULE_CONSTS, c / 4).to_string(),
                    2 => "_".to_string(),
                    // Local to this `not`, possibly repeated within it.
                    _ => format!("L{i}"),
                })
                .collect();
            body.push(format!("not {}", atom(name, &args)));
        }
        // Variables that arithmetic reads: bounded in recursive rules.
        let mut arith_inputs: Vec<String> = Vec::new();
        for (a, op, b) in &self.comparisons {
            if op % 7 == 6 && !bound.is_empty() {
                // An assignment: a new variable from arithmetic on a bound one.
                let v = operand(*a | 1, &bound);
                let fresh = format!("A{}", body.len());
                body.push(format!("{fresh} = {v} + {}", pick(INT_CONSTS, *b)));
                arith_inputs.push(v);
                bound.push(fresh);
            } else {
                let (x, y) = (operand(*a, &bound), operand(*b, &bound));
                body.push(format!("{x} {} {y}", pick(CMP_OPS, *op)));
            }
        }
        if let Some((op, pred, group)) = self.aggregate {
            let countable: Vec<_> = lower.iter().filter(|p| p.1 > 0).collect();
            let &&(name, arity, _) = pick(&countable, pred);
            let op = pick(AGG_OPS, op);
            // The target at the last position; before it, when there is room and a bound
            // variable, the group (a variable bound outside); `_` elsewhere.
            let mut args = vec!["_".to_string(); arity];
            args[arity - 1] = "T".into();
            if arity > 1 && !bound.is_empty() && group % 2 == 0 {
                args[0] = bound[group as usize / 2 % bound.len()].clone();
            }
            let inner = atom(name, &args);
            let aggregate = format!("N = {op} {{ T : {inner} }}");
            // Conditions may come in any order: sometimes the aggregate comes first, before
            // the atom that binds its group.
            if group % 4 == 0 {
                body.insert(0, aggregate);
            } else {
                body.push(aggregate);
            }
            bound.push("N".into());
        }
        let head_args: Vec<String> = self.head_args[..head_arity]
            .iter()
            .map(|c| match c % 5 {
                _ if bound.is_empty() => pick(RULE_CONSTS, *c).to_string(),
                3 => pick(RULE_CONSTS, c / 5).to_string(),
                4 => {
                    let v = bound[*c as usize / 5 % bound.len()].clone();
                    arith_inputs.push(v.clone());
                    let op = pick(&["+", "-", "*"], c / 25);
                    format!("{v} {op} 1")
                }
                _ => bound[*c as usize % bound.len()].clone(),
            })
            .collect();
        if recursive {
            arith_inputs.sort();
            arith_inputs.dedup();
            for v in arith_inputs.iter().filter(|v| VARS.contains(&v.as_str())) {
                body.push(format!("{v} > -4, {v} < 4"));
            }
            // A variable bound by an assignment or an aggregate and then used in arithmetic
            // is bounded through its inputs, or by the data.
        }
        let head = atom(head, &head_args);
        if body.is_empty() {
            format!("{head}.")
        } else {
            format!("{head} :- {}.", body.join(", "))
        }
    }
}

fn facts() -> impl Strategy<Value = Vec<(u8, u8, u8, u8)>> {
    prop::collection::vec((any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>()), 0..40)
}

fn render_program(rules: &[RuleSpec], facts: &[(u8, u8, u8, u8)]) -> String {
    let edb: Vec<_> = PREDS.iter().filter(|p| p.2 == 0).collect();
    let mut text = String::new();
    for (pred, a, b, c) in facts {
        let &(name, arity, _) = pick(&edb, *pred);
        let args: Vec<String> = [a, b, c][..arity]
            .iter()
            .map(|c| pick(FACT_VALUES, **c).to_string())
            .collect();
        writeln!(text, "{}.", atom(name, &args)).unwrap();
    }
    for rule in rules {
        writeln!(text, "{}", rule.render()).unwrap();
    }
    text
}

/// Every relation as a set of value tuples, or the evaluation's error code.
type Outcome = Result<BTreeMap<String, BTreeSet<Vec<Value>>>, String>;

fn evaluate(prepared: &eval::Prepared, engine: Engine) -> Outcome {
    let limits = Limits {
        max_facts: Some(100_000),
        ..Limits::default()
    };
    let (db, program) =
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
    let prepared = match eval::prepare_program(eval::lower::lower(&[&module], None)) {
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
        prop_assert_eq!(datafrog, naive, "models differ for\n{}", text);
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
