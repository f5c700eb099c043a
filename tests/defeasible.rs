//! The defeasible layer against the proof conditions themselves: a reference that applies the
//! definitions of +Δ, +∂, −∂ (and +Σ, −Σ for ambiguity propagation) literally, by iteration,
//! is compared with the engine on random theories — each written propositionally and with one
//! constant, and evaluated by every engine, so that strata are grounded both by forward
//! chaining and through grounding programs (the tests print how many theories took each way,
//! and fail when one falls under 90% of those that could); then scenarios a legal user relies
//! on, each with the answer the literature gives.

use std::collections::{BTreeMap, BTreeSet};

use grondslag::driver::{evaluate, Engine, Options, Path, Paths, Policy};
use grondslag::model::{Model, Status};
use grondslag::source::SourceMap;
use grondslag::syntax::parse;
use grondslag::value::Value;
use proptest::prelude::*;

fn model(text: &str, policy: Policy) -> Model {
    match model_by(text, policy, Engine::Auto) {
        Ok((model, _)) => model,
        Err(problem) => panic!("{text}\n{problem}"),
    }
}

/// The model by one engine and the paths its strata took; the rendered diagnostics when it
/// cannot evaluate the program.
fn model_by(text: &str, policy: Policy, engine: Engine) -> Result<(Model, Paths), String> {
    let mut sources = SourceMap::new();
    let file = sources.add("t.law", text);
    let (module, diagnostics) = parse(&sources, file);
    assert!(diagnostics.is_empty(), "{text}\n{diagnostics:?}");
    let options = Options {
        policy,
        strategy: grondslag::driver::Strategy::Use(engine),
        ..Options::default()
    };
    evaluate(&[&module], &[], &options).map_err(|d| grondslag::diagnostic::render_all(&d, &sources))
}

fn status(model: &Model, literal: &str) -> Option<Status> {
    let (negated, name) = match literal.strip_prefix('~') {
        Some(rest) => (true, rest),
        None => (false, literal),
    };
    let (name, args) = match name.split_once('(') {
        Some((n, rest)) => (
            n,
            rest.trim_end_matches(')')
                .split(',')
                .map(|a| grondslag::value::Value::text(a.trim()))
                .collect(),
        ),
        None => (name, Vec::new()),
    };
    model.status(name, negated, &args)
}

fn provable(model: &Model, literal: &str) -> bool {
    status(model, literal).is_some_and(Status::is_provable)
}

// ---------------------------------------------------------------------------------------
// The reference: propositional theories, the proof conditions applied literally.

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Lit {
    atom: usize,
    negated: bool,
}

impl Lit {
    fn complement(self) -> Lit {
        Lit {
            negated: !self.negated,
            ..self
        }
    }

    fn text(self) -> String {
        format!("{}a{}", if self.negated { "~" } else { "" }, self.atom)
    }

    /// The literal of the lifted rendering: `a1(k)`.
    fn lifted(self) -> String {
        format!("{}(k)", self.text())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Strict,
    Defeasible,
    Defeater,
}

#[derive(Clone, Debug)]
struct RuleSpec {
    kind: Kind,
    head: Lit,
    body: Vec<Lit>,
}

#[derive(Clone, Debug)]
struct Theory {
    atoms: usize,
    facts: Vec<Lit>,
    rules: Vec<RuleSpec>,
    /// `(stronger, weaker)` rule indices.
    superiority: Vec<(usize, usize)>,
}

impl Theory {
    /// The theory with one constant: every atom `aN` becomes `aN(X)` (the facts `aN(k)`), and
    /// a rule without conditions reads `dom(X)`, with `dom(k)` the one fact of `dom`. Each rule
    /// has one instance, so the conclusions are those of the propositional theory; but the
    /// rules have variables, so every stratum is grounded through a grounding program.
    fn render_lifted(&self) -> String {
        let mut out = String::from("dom(k).\n");
        for f in &self.facts {
            out.push_str(&format!("{}.\n", f.lifted()));
        }
        for (i, r) in self.rules.iter().enumerate() {
            let kind = match r.kind {
                Kind::Strict => "",
                Kind::Defeasible => "default ",
                Kind::Defeater => "defeater ",
            };
            let mut body: Vec<String> = r.body.iter().map(|l| format!("{}(X)", l.text())).collect();
            if body.is_empty() {
                body.push("dom(X)".into());
            }
            out.push_str(&format!(
                "r{i}: {kind}{}(X) :- {}.\n",
                r.head.text(),
                body.join(", ")
            ));
        }
        for (s, w) in &self.superiority {
            out.push_str(&format!("r{s} > r{w}.\n"));
        }
        out
    }

    fn render(&self) -> String {
        let mut out = String::new();
        for f in &self.facts {
            out.push_str(&format!("{}.\n", f.text()));
        }
        for (i, r) in self.rules.iter().enumerate() {
            let kind = match r.kind {
                Kind::Strict => "",
                Kind::Defeasible => "default ",
                Kind::Defeater => "defeater ",
            };
            let body: Vec<String> = r.body.iter().map(|l| l.text()).collect();
            let body = if body.is_empty() {
                String::new()
            } else {
                format!(" :- {}", body.join(", "))
            };
            out.push_str(&format!("r{i}: {kind}{}{body}.\n", r.head.text()));
        }
        for (s, w) in &self.superiority {
            out.push_str(&format!("r{s} > r{w}.\n"));
        }
        out
    }

    fn literals(&self) -> Vec<Lit> {
        (0..self.atoms)
            .flat_map(|atom| [false, true].map(|negated| Lit { atom, negated }))
            .collect()
    }
}

/// Conclusions of the reference.
struct Reference {
    definite: BTreeSet<Lit>,
    plus: BTreeSet<Lit>,
    minus: BTreeSet<Lit>,
}

fn reference(t: &Theory, propagating: bool) -> Reference {
    let lits = t.literals();
    // +Δ: the least model of facts and strict rules.
    let mut definite: BTreeSet<Lit> = t.facts.iter().copied().collect();
    loop {
        let before = definite.len();
        for r in t.rules.iter().filter(|r| r.kind == Kind::Strict) {
            if r.body.iter().all(|b| definite.contains(b)) {
                definite.insert(r.head);
            }
        }
        if definite.len() == before {
            break;
        }
    }
    let rules_for = |q: Lit| t.rules.iter().enumerate().filter(move |(_, r)| r.head == q);
    let supporting = |q: Lit| rules_for(q).filter(|(_, r)| r.kind != Kind::Defeater);
    let beats = |a: usize, b: usize| t.superiority.contains(&(a, b));
    let (mut plus, mut minus) = (BTreeSet::new(), BTreeSet::new());
    let (mut splus, mut sminus) = (BTreeSet::new(), BTreeSet::new());
    loop {
        // Conclusions of this round, by set: +∂, −∂, +Σ, −Σ.
        let mut found: Vec<(usize, Lit)> = Vec::new();
        let all_in = |body: &[Lit], set: &BTreeSet<Lit>| body.iter().all(|b| set.contains(b));
        let any_in = |body: &[Lit], set: &BTreeSet<Lit>| body.iter().any(|b| set.contains(b));
        for &q in &lits {
            let nq = q.complement();
            let applicable = |i: usize| all_in(&t.rules[i].body, &plus);
            let discarded = |i: usize| any_in(&t.rules[i].body, &minus);
            let neutral = |i: usize| {
                if propagating {
                    any_in(&t.rules[i].body, &sminus)
                } else {
                    discarded(i)
                }
            };
            let attacker_counts = |i: usize| {
                if propagating {
                    all_in(&t.rules[i].body, &splus)
                } else {
                    applicable(i)
                }
            };
            let is_plus = definite.contains(&q)
                || (supporting(q).any(|(i, _)| applicable(i))
                    && !definite.contains(&nq)
                    && rules_for(nq).all(|(s, _)| {
                        neutral(s) || supporting(q).any(|(u, _)| applicable(u) && beats(u, s))
                    }));
            let is_minus = !definite.contains(&q)
                && (supporting(q).all(|(i, _)| discarded(i))
                    || definite.contains(&nq)
                    || rules_for(nq).any(|(s, _)| {
                        attacker_counts(s)
                            && supporting(q).all(|(u, _)| discarded(u) || !beats(u, s))
                    }));
            if is_plus {
                found.push((0, q));
            }
            if is_minus {
                found.push((1, q));
            }
            if propagating {
                let is_splus = definite.contains(&q)
                    || supporting(q).any(|(r, spec)| {
                        all_in(&spec.body, &splus)
                            && rules_for(nq).all(|(s, _)| !beats(s, r) || discarded(s))
                    });
                let is_sminus = !definite.contains(&q)
                    && supporting(q).all(|(r, spec)| {
                        any_in(&spec.body, &sminus)
                            || rules_for(nq).any(|(s, _)| beats(s, r) && applicable(s))
                    });
                if is_splus {
                    found.push((2, q));
                }
                if is_sminus {
                    found.push((3, q));
                }
            }
        }
        let mut changed = false;
        for (set, q) in found {
            let set = match set {
                0 => &mut plus,
                1 => &mut minus,
                2 => &mut splus,
                _ => &mut sminus,
            };
            changed |= set.insert(q);
        }
        if !changed {
            break;
        }
    }
    Reference {
        definite,
        plus,
        minus,
    }
}

/// Random theories. Acyclic ones: a rule's body only mentions atoms below its head's. Cyclic
/// ones: any atom, so literals depend on each other within a stratum. Superiority only
/// between rules with complementary heads, the stronger one never a defeater, and always
/// from a later rule to an earlier one (so it is acyclic).
fn theories(cyclic: bool) -> impl Strategy<Value = Theory> {
    let atoms = 4usize;
    let lit =
        |max: usize| (0..max, any::<bool>()).prop_map(|(atom, negated)| Lit { atom, negated });
    let rule = (1..atoms, 0..3u8, any::<bool>()).prop_flat_map(move |(head, kind, negated)| {
        let kind = match kind {
            0 => Kind::Strict,
            1 => Kind::Defeasible,
            _ => Kind::Defeater,
        };
        let reach = if cyclic { atoms } else { head };
        prop::collection::vec(lit(reach), 0..3).prop_map(move |body| RuleSpec {
            kind,
            head: Lit {
                atom: head,
                negated,
            },
            body,
        })
    });
    // Presumptions about the lowest atom too, so that chains start from something open.
    let presumption = (0..atoms, any::<bool>()).prop_map(|(atom, negated)| RuleSpec {
        kind: Kind::Defeasible,
        head: Lit { atom, negated },
        body: Vec::new(),
    });
    (
        prop::collection::vec(lit(atoms), 0..3),
        prop::collection::vec(prop_oneof![2 => rule, 1 => presumption], 1..12),
        prop::collection::vec(
            (any::<prop::sample::Index>(), any::<prop::sample::Index>()),
            0..6,
        ),
    )
        .prop_map(move |(facts, rules, picks)| {
            let mut superiority = Vec::new();
            for (a, b) in picks {
                let (s, w) = (a.index(rules.len()), b.index(rules.len()));
                let (s, w) = (s.max(w), s.min(w));
                if s != w
                    && rules[s].head == rules[w].head.complement()
                    && rules[s].kind != Kind::Defeater
                    && !superiority.contains(&(s, w))
                {
                    superiority.push((s, w));
                }
            }
            Theory {
                atoms,
                facts,
                rules,
                superiority,
            }
        })
}

/// A relation of a model by name, with its literals and their statuses.
type Relation = (String, Vec<(Vec<Value>, Status)>);

/// How many theories could take each grounding path, and how many did.
#[derive(Default)]
struct Reach {
    theories: usize,
    could: BTreeMap<&'static str, usize>,
    reached: BTreeMap<&'static str, usize>,
}

impl Reach {
    fn count(&mut self, path: Path, could: bool, reached: bool) {
        if could {
            *self.could.entry(path.as_str()).or_default() += 1;
            if reached {
                *self.reached.entry(path.as_str()).or_default() += 1;
            }
        }
    }

    /// Print the counts; fail when a path was reached by fewer than 90% of the theories that
    /// could take it.
    fn report(&self, what: &str) {
        let mut lines = vec![format!(
            "{what}: grounding paths over {} theories",
            self.theories
        )];
        let mut short = Vec::new();
        for (path, could) in &self.could {
            let reached = self.reached.get(path).copied().unwrap_or(0);
            lines.push(format!(
                "  {path}: reached by {reached} of the {could} renderings that could take it"
            ));
            if reached * 10 < could * 9 {
                short.push(*path);
            }
        }
        println!("{}", lines.join("\n"));
        assert!(
            short.is_empty(),
            "paths reached by fewer than 90% of the renderings that could take them: {short:?}\n{}",
            lines.join("\n")
        );
    }
}

/// The engine agrees with the reference wherever the reference decides; acyclic theories are
/// decided everywhere. On loops the engine may decide more (unfounded literals are −∂, as in
/// well-founded defeasible logic), never otherwise. Both renderings (propositional and with
/// one constant) under every engine that can take them: under `auto` a propositional theory is
/// grounded by forward chaining, every other way through a grounding program.
fn agree(
    t: &Theory,
    policy: Policy,
    acyclic: bool,
    reach: &mut Reach,
) -> Result<(), TestCaseError> {
    let r = reference(t, policy == Policy::Propagating);
    reach.theories += 1;
    let defeasible = t.rules.iter().any(|r| r.kind != Kind::Strict);
    for lifted in [false, true] {
        let text = if lifted {
            t.render_lifted()
        } else {
            t.render()
        };
        // Every engine's model, literal by literal, must be `auto`'s (what `--strategy
        // compare` checks at run time).
        let mut first: Option<Vec<Relation>> = None;
        for engine in Engine::ALL {
            let (m, paths) = match model_by(&text, policy, engine) {
                Ok(done) => done,
                // A rule reading two literals of its stratum: not for the linear evaluator.
                Err(problem) if engine == Engine::Linear && problem.contains("error[strategy]") => {
                    continue
                }
                Err(problem) => {
                    prop_assert!(false, "{} fails on\n{text}\n{problem}", engine.as_str());
                    unreachable!()
                }
            };
            let mut literals: Vec<_> = m.relations().filter(|(_, rows)| !rows.is_empty()).collect();
            literals.iter_mut().for_each(|(_, rows)| rows.sort());
            literals.sort();
            match &first {
                None => first = Some(literals),
                Some(auto) => prop_assert_eq!(
                    auto,
                    &literals,
                    "{} and auto give different models for\n{}",
                    engine.as_str(),
                    text
                ),
            }
            let chained = paths.get(Path::ForwardChaining) > 0;
            let grounded = paths.get(Path::GroundingProgram) > 0;
            match engine {
                Engine::Auto => reach.count(Path::ForwardChaining, defeasible && !lifted, chained),
                Engine::Datafrog => reach.count(Path::GroundingProgram, defeasible, grounded),
                _ => {}
            }
            if engine != Engine::Auto || lifted {
                prop_assert!(!chained, "{} chained\n{text}", engine.as_str());
            }
            for q in t.literals() {
                let name = if lifted { q.lifted() } else { q.text() };
                let s = status(&m, &name);
                let definite = s == Some(Status::Definitely);
                let plus = s.is_some_and(Status::is_provable);
                let by = engine.as_str();
                prop_assert_eq!(
                    definite,
                    r.definite.contains(&q),
                    "+Δ{} by {} in\n{}",
                    name,
                    by,
                    text
                );
                if r.plus.contains(&q) {
                    prop_assert!(
                        plus,
                        "+∂{} ({:?}, {}) expected in\n{}",
                        name,
                        policy,
                        by,
                        text
                    );
                }
                if r.minus.contains(&q) {
                    prop_assert!(
                        !plus,
                        "−∂{} ({:?}, {}) expected in\n{}",
                        name,
                        policy,
                        by,
                        text
                    );
                }
                if acyclic {
                    prop_assert!(
                        r.plus.contains(&q) != r.minus.contains(&q),
                        "reference undecided on {}",
                        q.text()
                    );
                }
            }
        }
    }
    Ok(())
}

/// Run `agree` on random theories (acyclic or `cyclic`) under `policy`, 500 of them (each is
/// evaluated eight ways; `PROPTEST_CASES=N` for a longer hunt); print and check the paths.
fn agree_on_theories(cyclic: bool, policy: Policy) {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(500);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases,
        // Failures are saved beside this file, as `proptest!` does.
        source_file: Some(file!()),
        ..ProptestConfig::default()
    });
    let reach = std::cell::RefCell::new(Reach::default());
    let result = runner.run(&theories(cyclic), |t| {
        agree(&t, policy, !cyclic, &mut reach.borrow_mut())
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
    let shape = if cyclic { "recursive" } else { "acyclic" };
    reach
        .borrow()
        .report(&format!("{shape} theories, {policy:?}"));
}

#[test]
fn blocking_agrees_with_the_proof_conditions() {
    agree_on_theories(false, Policy::Blocking);
}

#[test]
fn propagating_agrees_with_the_proof_conditions() {
    agree_on_theories(false, Policy::Propagating);
}

#[test]
fn blocking_agrees_on_recursive_theories() {
    agree_on_theories(true, Policy::Blocking);
}

#[test]
fn propagating_agrees_on_recursive_theories() {
    agree_on_theories(true, Policy::Propagating);
}

// ---------------------------------------------------------------------------------------
// Scenarios.

const SECRECY: &str = r#"
secrecy: default secret_kept(D) :- discloses(D, From, _), secret_holder(From).
report_vt: default ~secret_kept(D) :- discloses(D, From, veilig_thuis), secret_holder(From), suspects_abuse(From, D).
consent: default ~secret_kept(D) :- discloses(D, From, _), secret_holder(From), consents(D).
report_vt > secrecy.
consent > secrecy.
secret_holder(huisarts).
discloses(d1, huisarts, veilig_thuis). suspects_abuse(huisarts, d1).
discloses(d2, huisarts, woningcorporatie).
discloses(d3, huisarts, school). consents(d3).
may_share(D) :- discloses(D, _, _), not secret_kept(D).
"#;

#[test]
fn exceptions_beat_the_duty_instance_by_instance() {
    let m = model(SECRECY, Policy::Blocking);
    assert!(provable(&m, "~secret_kept(d1)"));
    assert!(provable(&m, "secret_kept(d2)"));
    assert!(provable(&m, "~secret_kept(d3)"));
    assert_eq!(status(&m, "secret_kept(d1)"), Some(Status::Refuted));
    // `not` reads the defeasible conclusions.
    assert!(provable(&m, "may_share(d1)"));
    assert!(!provable(&m, "may_share(d2)"));
    assert_eq!(status(&m, "may_share(d1)"), Some(Status::Defeasibly));
}

#[test]
fn the_reasoning_path_names_the_rules_that_won() {
    let m = model(SECRECY, Policy::Blocking);
    let v = |s: &str| grondslag::value::Value::text(s);
    let path = m.reasoning_labels("secret_kept", true, &[v("d1")]).unwrap();
    assert_eq!(path, vec!["report_vt".to_string()]);
    let path = m
        .reasoning_labels("secret_kept", false, &[v("d2")])
        .unwrap();
    assert_eq!(path, vec!["secrecy".to_string()]);
}

#[test]
fn unresolved_conflict_leaves_both_sides_undecided() {
    let text = "quaker(nixon). republican(nixon).
        q: default pacifist(X) :- quaker(X).
        r: default ~pacifist(X) :- republican(X).";
    let m = model(text, Policy::Blocking);
    assert_eq!(status(&m, "pacifist(nixon)"), Some(Status::Undecided));
    assert_eq!(status(&m, "~pacifist(nixon)"), Some(Status::Undecided));
}

#[test]
fn team_defeat_needs_every_attacker_beaten() {
    let base = "f.
        r1: default p :- f.  r2: default p :- f.
        s1: default ~p :- f. s2: default ~p :- f.
        r1 > s1.";
    let m = model(base, Policy::Blocking);
    assert!(!provable(&m, "p"), "s2 is not beaten");
    let m = model(&format!("{base} r2 > s2."), Policy::Blocking);
    assert!(provable(&m, "p"), "r1 beats s1 and r2 beats s2");
}

#[test]
fn a_defeater_blocks_but_proves_nothing() {
    let text = "bird. broken_wing.
        r: default flies :- bird.
        d: defeater ~flies :- broken_wing.";
    let m = model(text, Policy::Blocking);
    assert!(!provable(&m, "flies"));
    assert!(!provable(&m, "~flies"));
    assert_eq!(status(&m, "flies"), Some(Status::Undecided));
}

#[test]
fn a_definite_complement_wins_over_any_default() {
    let text = "penguin(tweety). bird(tweety).
        ~flies(X) :- penguin(X).
        r: default flies(X) :- bird(X).
        r > nothing_here.
        nothing_here: default other.";
    let m = model(text, Policy::Blocking);
    assert_eq!(status(&m, "~flies(tweety)"), Some(Status::Definitely));
    assert_eq!(status(&m, "flies(tweety)"), Some(Status::Refuted));
}

#[test]
fn ambiguity_blocking_and_propagating_differ_downstream() {
    // Antoniou (2007), section 3.5: the attacker of p rests on the ambiguous a.
    let text = "r1: default p. r2: default a. r3: default ~a.
        r4: default ~p :- a. r5: default q :- p.";
    let m = model(text, Policy::Blocking);
    assert!(provable(&m, "p") && provable(&m, "q"));
    let m = model(text, Policy::Propagating);
    assert!(!provable(&m, "p") && !provable(&m, "q"));
    assert_eq!(status(&m, "~p"), Some(Status::Undecided));
}

#[test]
fn positive_loops_are_unfounded_and_do_not_block() {
    let text = "r1: default p. r2: default ~p :- q. r3: default q :- q.";
    let m = model(text, Policy::Blocking);
    assert!(
        provable(&m, "p"),
        "q can never be supported, so r2 is discarded"
    );
    assert!(!provable(&m, "q"));
}

#[test]
fn a_chain_of_loops_is_resolved_loop_by_loop() {
    // x(gi) supports itself, or follows from b(gi); b(gi) wins over ~b(gi) only while
    // x(g(i-1)) may still hold. x(g0) is unfounded, so ~b(g1) wins, so x(g1) is unfounded, and
    // so on: each loop is found unfounded only once the one before it is settled.
    let mut text = String::from("l0: default x(g0) :- x(g0).\n");
    for i in 1..=40 {
        let before = i - 1;
        text.push_str(&format!(
            "l{i}: default x(g{i}) :- x(g{i}). m{i}: default x(g{i}) :- b(g{i}).\n\
             ra{i}: default b(g{i}). rb{i}: default ~b(g{i}). rc{i}: default b(g{i}) :- x(g{before}).\n\
             rb{i} > ra{i}. rc{i} > rb{i}.\n"
        ));
    }
    for policy in [Policy::Blocking, Policy::Propagating] {
        let m = model(&text, policy);
        for i in 1..=40 {
            assert!(
                provable(&m, &format!("~b(g{i})")),
                "~b(g{i}) under {policy:?}"
            );
            assert!(
                !provable(&m, &format!("b(g{i})")),
                "b(g{i}) under {policy:?}"
            );
            assert!(
                !provable(&m, &format!("x(g{i})")),
                "x(g{i}) under {policy:?}"
            );
        }
    }
}

#[test]
fn a_loop_through_an_attack_stays_open() {
    // a needs r2 discarded, which needs b refuted, which needs a refuted: no proof either way.
    let text = "r1: default a. r2: default ~a :- b. r3: default b :- a.";
    let m = model(text, Policy::Blocking);
    assert!(!provable(&m, "a") && !provable(&m, "~a") && !provable(&m, "b"));
}

#[test]
fn cyclic_negation_through_a_complement_is_reported() {
    let mut sources = SourceMap::new();
    let file = sources.add("t.law", "r: default p :- not ~p. s: default ~p :- f. f.");
    let (module, _) = parse(&sources, file);
    let err = evaluate(&[&module], &[], &Options::default()).unwrap_err();
    assert!(
        err.iter().any(|d| d.code.as_str() == "cyclic_negation"),
        "{err:?}"
    );
}

#[test]
fn arithmetic_and_aggregates_over_defeasible_conclusions() {
    let text = "item(a, 3). item(b, 4). item(c, 5). excluded(b).
        r: default counts(X, N) :- item(X, N).
        e: defeater ~counts(X, N) :- item(X, N), excluded(X).
        total(T) :- T = sum { N, X : counts(X, N) }.
        doubled(X, M) :- counts(X, N), M = N * 2.";
    let m = model(text, Policy::Blocking);
    let v = grondslag::value::Value::Int;
    // A strict rule over defeasible conclusions concludes defeasibly.
    assert_eq!(m.status("total", false, &[v(8)]), Some(Status::Defeasibly));
    assert!(m
        .status(
            "doubled",
            false,
            &[grondslag::value::Value::text("c"), v(10)]
        )
        .is_some_and(Status::is_provable));
}

#[test]
fn queries_negate_and_count_only_provable_conclusions() {
    let text = "quaker(nixon). republican(nixon). person(nixon). person(ann).
        q: default pacifist(X) :- quaker(X).
        r: default ~pacifist(X) :- republican(X).";
    let m = model(text, Policy::Blocking);
    let mut sources = SourceMap::new();
    let ask = |sources: &mut SourceMap, q: &str| {
        let file = sources.add("q", q);
        let query = grondslag::syntax::parse_query(sources, file).unwrap();
        m.answer(&query)
    };
    // pacifist(nixon) is undecided, so `not pacifist(nixon)` holds.
    let answers = ask(&mut sources, "person(X), not pacifist(X)");
    assert_eq!(answers.len(), 2, "{answers:?}");
    // Both rest on defeasible reasoning about pacifist, so they hold defeasibly.
    assert!(
        answers.iter().all(|a| a.status == Status::Defeasibly),
        "{answers:?}"
    );
    let answers = ask(&mut sources, "N = count { X : pacifist(X) }");
    assert_eq!(answers[0].bindings[0].1, grondslag::value::Value::Int(0));
    assert_eq!(answers[0].status, Status::Defeasibly);
}
