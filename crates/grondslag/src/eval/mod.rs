//! Evaluation of strict programs: lowering to the IR, planning, stratification, and the
//! evaluators that run each stratum — the linear one, semi-naive on datafrog, and the naive
//! reference — chosen by an [`Engine`]. Evaluation depends on nothing above it: it returns
//! relations ([`Run`]), which the model and the defeasible layer build on.

pub mod dataflow;
pub mod exec;
pub mod ir;
pub mod limits;
pub mod lower;
pub mod naive;
pub mod overflow;
pub mod plan;
pub mod provenance;
pub mod stratify;
pub mod term;

use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::{Module, RuleKind};
use crate::value::{Interner, Value};

pub use exec::Db;
pub use limits::{Budget, Limits};

/// Facts read from a TSV/CSV file named by `@input` on a `pred` declaration.
#[derive(Clone, Debug)]
pub struct InputFacts {
    /// The predicate the rows belong to.
    pub pred: String,
    /// The `@input` attribute that named the file.
    pub span: Span,
    /// One row per fact, as many values as the predicate has arguments.
    pub rows: Vec<Vec<Value>>,
}

/// Which evaluator runs each stratum (the `--strategy` of the command line, but for one run).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Engine {
    /// Per stratum, the fastest evaluator that takes it: [`Engine::Linear`] when every rule
    /// reads at most one relation of the stratum, else [`Engine::Datafrog`]; in the
    /// defeasible layer, a stratum of ground rules by forward chaining.
    #[default]
    Auto,
    /// The reference: every rule applied to the whole database until nothing changes.
    Naive,
    /// Semi-naive evaluation on datafrog's general pipeline, for every stratum.
    Datafrog,
    /// The linear evaluator for every stratum; a stratum it cannot take (a rule that reads two
    /// relations of its own stratum) is an error.
    Linear,
}

impl Engine {
    /// Every engine, in the order the documentation lists them.
    pub const ALL: [Engine; 4] = [
        Engine::Auto,
        Engine::Naive,
        Engine::Datafrog,
        Engine::Linear,
    ];

    /// The name the command line uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Engine::Auto => "auto",
            Engine::Naive => "naive",
            Engine::Datafrog => "datafrog",
            Engine::Linear => "linear",
        }
    }
}

/// The ways a stratum gets evaluated. A run counts the strata each took ([`Paths`]), so that
/// tests can see that every way is exercised and `--stats` can say which were used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Path {
    /// The naive reference evaluator.
    Naive,
    /// The linear evaluator (`dataflow::linear`).
    Linear,
    /// datafrog's general semi-naive pipeline (`dataflow`).
    Datafrog,
    /// A defeasible stratum of ground rules, grounded by forward chaining.
    ForwardChaining,
    /// A defeasible stratum grounded through a grounding program (whose own strata count
    /// under the evaluator that ran them).
    GroundingProgram,
}

impl Path {
    /// Every path, in a fixed order.
    pub const ALL: [Path; 5] = [
        Path::Naive,
        Path::Linear,
        Path::Datafrog,
        Path::ForwardChaining,
        Path::GroundingProgram,
    ];

    /// Its name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Path::Naive => "naive",
            Path::Linear => "linear",
            Path::Datafrog => "datafrog",
            Path::ForwardChaining => "forward chaining",
            Path::GroundingProgram => "grounding program",
        }
    }
}

/// How many strata took each [`Path`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Paths([u64; 5]);

impl Paths {
    /// No stratum yet.
    pub const fn new() -> Paths {
        Paths([0; 5])
    }

    /// Count one more stratum on `path`.
    pub fn add(&mut self, path: Path) {
        self.0[path as usize] += 1;
    }

    /// The strata that took `path`.
    pub fn get(&self, path: Path) -> u64 {
        self.0[path as usize]
    }

    /// Add another run's counts.
    pub fn merge(&mut self, other: &Paths) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a += b;
        }
    }
}

/// A checked program, ready to run: rules planned, relations stratified.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// The lowered program.
    pub program: ir::Program,
    /// The plan of each rule; none when the program has defeasible rules (the defeasible
    /// layer plans the grounding programs it runs, stratum by stratum).
    pub plans: Vec<Vec<plan::Step>>,
    /// The strata, lowest first.
    pub strata: stratify::Strata,
    /// The rules of each stratum (indices into the program's rules, in program order).
    pub rules_of: Vec<Vec<usize>>,
}

impl Prepared {
    /// Whether the program has `default` rules or defeaters (then the defeasible layer
    /// evaluates it).
    pub fn is_defeasible(&self) -> bool {
        self.program
            .rules
            .iter()
            .any(|r| r.origin.kind != RuleKind::Strict)
    }
}

/// The facts a case adds to a program prepared once (a strict [`Base`], or a defeasible
/// one): a program over the base's relations and values, to which the case's facts are
/// lowered — its new relations and values numbered after the base's.
#[derive(Clone, Debug)]
pub struct Case {
    /// The base's relations and values, and the case's facts.
    pub program: ir::Program,
}

impl Case {
    /// No facts yet, over `base`'s relations and values.
    pub fn over(base: &ir::Program) -> Case {
        Case {
            program: base.without_facts(),
        }
    }

    /// Whether each relation the case adds is new by name as well: a fact `~p(a)` where the
    /// base knows only `p` would join `p`'s stratum, which the base did not plan.
    pub fn fits(&self, base: &ir::Program) -> bool {
        self.program.relations[base.relations.len()..]
            .iter()
            .all(|r| base.find_relation(&r.name, !r.negated, r.arity).is_none())
    }
}

/// A strict program prepared for many evaluations: lowered, planned and stratified once,
/// with the input files' facts; for [`Base::evaluate`] with reuse, evaluated once on its own,
/// so that a stratum no fact of a case can reach is not evaluated again for each case.
#[derive(Debug)]
pub struct Base {
    /// The program (its interner frozen: each case numbers its values after the base's).
    prepared: Prepared,
    /// Its rules, shared with the provenance of every evaluation.
    rules: std::sync::Arc<Vec<ir::Rule>>,
    /// The relations the rules of each stratum read.
    reads: Vec<Vec<ir::RelId>>,
    /// The program evaluated on its own, per engine: its relations, and which strata may be
    /// taken from it (those whose tuples hold only the base's values).
    alone: [std::sync::OnceLock<Option<Alone>>; 4],
}

/// The relations of a program evaluated on its own, and which strata may be taken from them.
type Alone = (Db, Vec<bool>);

impl Base {
    /// Prepare `prepared`, with the facts of `inputs`.
    pub fn new(mut prepared: Prepared, inputs: &[InputFacts]) -> Base {
        let program = &mut prepared.program;
        let mut interner = std::mem::take(&mut program.interner);
        let db = facts_db(program, &mut interner, inputs);
        // The input facts join the program's facts (sorted with them by the run).
        program.facts.clear();
        for (rel, rows) in db.rels.into_iter().enumerate() {
            program
                .facts
                .extend(rows.into_iter().map(|t| (ir::RelId(rel as u32), t)));
        }
        program.interner = interner.freeze();
        Base {
            rules: std::sync::Arc::new(program.rules.clone()),
            reads: stratify::reads(program, &prepared.rules_of),
            prepared,
            alone: Default::default(),
        }
    }

    /// The program's relations and values.
    pub fn program(&self) -> &ir::Program {
        &self.prepared.program
    }

    /// A case without facts yet.
    pub fn case(&self) -> Case {
        Case::over(&self.prepared.program)
    }

    /// Evaluate the base with the facts of `case`. With `reuse` (and no provenance to
    /// record), the strata no case fact reaches are taken from the base evaluated on its own.
    pub fn evaluate(
        &self,
        case: Case,
        limits: &Limits,
        engine: Engine,
        provenance: Option<&mut provenance::Provenance>,
        reuse: bool,
    ) -> Result<Run, Box<Diagnostic>> {
        let mut program = case.program;
        let mut interner = std::mem::take(&mut program.interner);
        let mut db = Db::new(program.relations.len());
        let base = &self.prepared.program;
        for (rel, tuple) in base.facts.iter().chain(&program.facts) {
            db.rels[rel.0 as usize].push(tuple.clone());
        }
        let alone = match (reuse, &provenance) {
            (true, None) => self.alone(limits, engine),
            _ => None,
        };
        let only = alone.map(|(rows, reusable)| {
            let mut touched = vec![false; base.relations.len()];
            for (rel, _) in &program.facts {
                if let Some(t) = touched.get_mut(rel.0 as usize) {
                    *t = true;
                }
            }
            let reached = stratify::reached(&self.prepared.strata.strata, &self.reads, touched);
            let mut only = vec![true; reached.len()];
            for (s, stratum) in self.prepared.strata.strata.iter().enumerate() {
                if !reached[s] && reusable[s] {
                    only[s] = false;
                    for rel in stratum {
                        db.rels[rel.0 as usize] = rows.get(*rel).to_vec();
                    }
                }
            }
            only
        });
        db.sort();
        let mut budget = Budget::new(limits);
        budget.add_facts(db.size())?;
        let paths = run_strata(
            &self.prepared,
            &mut db,
            &mut interner,
            &mut budget,
            engine,
            provenance,
            only.as_deref(),
        )?;
        program.interner = interner;
        Ok(Run { db, program, paths })
    }

    /// The rules, to keep with a model's provenance.
    pub fn rules(&self) -> &std::sync::Arc<Vec<ir::Rule>> {
        &self.rules
    }

    /// The program evaluated on its own (once per engine), and which strata may be reused.
    fn alone(&self, limits: &Limits, engine: Engine) -> Option<&(Db, Vec<bool>)> {
        self.alone[engine as usize]
            .get_or_init(|| {
                let run = self
                    .evaluate(self.case(), limits, engine, None, false)
                    .ok()?;
                let values = self.prepared.program.interner.len();
                let reusable = self
                    .prepared
                    .strata
                    .strata
                    .iter()
                    .map(|stratum| {
                        stratum.iter().all(|rel| {
                            run.db
                                .get(*rel)
                                .iter()
                                .all(|t| t.iter().all(|v| (v.0 as usize) < values))
                        })
                    })
                    .collect();
                Some((run.db, reusable))
            })
            .as_ref()
    }
}

/// What a run of a strict program gives: every relation, the program (with the values the
/// run interned), and the paths its strata took.
#[derive(Debug)]
pub struct Run {
    /// Every relation, sorted.
    pub db: Db,
    /// The program evaluated, its interner holding every value the run made.
    pub program: ir::Program,
    /// The evaluator each stratum took.
    pub paths: Paths,
}

/// Lower, plan and stratify every rule of `modules` (the law in force: selecting it is
/// `time::in_force`'s business). Errors: `unsafe_variable`, `cyclic_negation`.
pub fn prepare(modules: &[&Module]) -> Result<Prepared, Vec<Diagnostic>> {
    prepare_lowered(lower::lower(modules))
}

/// Plan and stratify a program lowered from modules (see [`prepare`]).
pub fn prepare_lowered(program: ir::Program) -> Result<Prepared, Vec<Diagnostic>> {
    let defeasible = program
        .rules
        .iter()
        .any(|r| r.origin.kind != RuleKind::Strict);
    prepare_checked(program, !defeasible)
}

/// Plan and stratify a program built in code.
pub fn prepare_program(program: ir::Program) -> Result<Prepared, Vec<Diagnostic>> {
    prepare_checked(program, true)
}

/// Stratify, and check that every rule is safe; keep the rules' plans when `keep_plans`.
/// Without plans to keep, a rule without variables needs no planning: nothing in it can be
/// unbound.
fn prepare_checked(program: ir::Program, keep_plans: bool) -> Result<Prepared, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let mut plans = Vec::new();
    for rule in &program.rules {
        if !keep_plans && rule.var_names.is_empty() {
            continue;
        }
        match plan::plan_rule(rule) {
            Ok(steps) if keep_plans => plans.push(steps),
            Ok(_) => {}
            Err(unsafe_vars) => {
                plans.push(Vec::new());
                diagnostics.push(unsafe_diagnostic(rule, &unsafe_vars.vars));
            }
        }
    }
    let strata = match stratify::stratify(&program) {
        Ok(strata) => Some(strata),
        Err(d) => {
            diagnostics.extend(d);
            None
        }
    };
    match strata {
        Some(strata) if diagnostics.is_empty() => Ok(Prepared {
            rules_of: strata.rules_by_stratum(&program),
            program,
            plans,
            strata,
        }),
        _ => Err(diagnostics),
    }
}

/// The safety check alone, for rules no evaluation will lower (those not in force on the date
/// checked): `unsafe_variable` for each rule of `rules` with a variable no positive condition
/// binds.
pub fn unsafe_rules(rules: &[&crate::syntax::ast::Rule]) -> Vec<Diagnostic> {
    let mut program = ir::Program::default();
    for rule in rules {
        lower::lower_rule(&mut program, rule);
    }
    program
        .rules
        .iter()
        .filter_map(|rule| {
            let unsafe_vars = plan::plan_rule(rule).err()?;
            Some(unsafe_diagnostic(rule, &unsafe_vars.vars))
        })
        .collect()
}

fn unsafe_diagnostic(rule: &ir::Rule, vars: &[ir::VarId]) -> Diagnostic {
    let named: Vec<&ir::VarId> = vars
        .iter()
        .filter(|v| rule.var_spans[v.0 as usize].is_some())
        .collect();
    let names: Vec<String> = named
        .iter()
        .map(|v| format!("`{}`", rule.var_names[v.0 as usize]))
        .collect();
    let span = named
        .first()
        .and_then(|v| rule.var_spans[v.0 as usize])
        .unwrap_or(rule.origin.span);
    let what = if names.is_empty() {
        "a variable of this rule is never bound".to_string()
    } else if names.len() == 1 {
        format!(
            "variable {} is never bound by a positive condition",
            names[0]
        )
    } else {
        format!(
            "variables {} are never bound by a positive condition",
            names.join(", ")
        )
    };
    Diagnostic::new(Code::UnsafeVariable, what)
        .at_labelled(span, "unbound")
        .hint("every variable of the head, of a comparison or shared with a `not` must occur in a positive condition of the body")
}

/// Evaluate the strict program `prepared` with extra input facts; returns all relations.
pub fn run(
    prepared: &Prepared,
    inputs: &[InputFacts],
    limits: &Limits,
    engine: Engine,
) -> Result<Run, Box<Diagnostic>> {
    run_recording(prepared, inputs, limits, engine, None)
}

/// [`run`], recording into `provenance` the height at which each tuple was first derived.
pub fn run_recording(
    prepared: &Prepared,
    inputs: &[InputFacts],
    limits: &Limits,
    engine: Engine,
    provenance: Option<&mut provenance::Provenance>,
) -> Result<Run, Box<Diagnostic>> {
    let mut program = prepared.program.clone();
    let mut interner = std::mem::take(&mut program.interner);
    let mut db = facts_db(&mut program, &mut interner, inputs);
    let mut budget = Budget::new(limits);
    budget.add_facts(db.size())?;
    let paths = run_strata(
        prepared,
        &mut db,
        &mut interner,
        &mut budget,
        engine,
        provenance,
        None,
    )?;
    program.interner = interner;
    Ok(Run { db, program, paths })
}

/// [`run_recording`] on a prepared program the caller owns: it is evaluated in place rather
/// than copied (a grounded theory has a rule per instance, and the copy is not small).
pub fn run_prepared(
    mut prepared: Prepared,
    inputs: &[InputFacts],
    limits: &Limits,
    engine: Engine,
    provenance: Option<&mut provenance::Provenance>,
) -> Result<Run, Box<Diagnostic>> {
    let mut interner = std::mem::take(&mut prepared.program.interner);
    let mut db = facts_db(&mut prepared.program, &mut interner, inputs);
    let mut budget = Budget::new(limits);
    budget.add_facts(db.size())?;
    let paths = run_strata(
        &prepared,
        &mut db,
        &mut interner,
        &mut budget,
        engine,
        provenance,
        None,
    )?;
    let mut program = prepared.program;
    program.interner = interner;
    Ok(Run { db, program, paths })
}

/// The program's facts and the input facts, each relation sorted.
fn facts_db(program: &mut ir::Program, interner: &mut Interner, inputs: &[InputFacts]) -> Db {
    let mut extra: Vec<(ir::RelId, ir::Tuple)> = Vec::new();
    for input in inputs {
        for row in &input.rows {
            let rel = program.relation(&input.pred, false, row.len());
            extra.push((
                rel,
                row.iter().map(|v| interner.intern(v.clone())).collect(),
            ));
        }
    }
    let mut db = Db::new(program.relations.len());
    for (rel, tuple) in program.facts.iter().chain(extra.iter()) {
        db.rels[rel.0 as usize].push(tuple.clone());
    }
    db.sort();
    db
}

/// Evaluate the strata of `prepared` over `db` (the facts loaded, each relation sorted), in
/// order; with `only`, just the strata it marks (the others' relations are in `db` already).
/// Values made by arithmetic are interned into `interner`.
pub fn run_strata(
    prepared: &Prepared,
    db: &mut Db,
    interner: &mut Interner,
    budget: &mut Budget,
    engine: Engine,
    mut provenance: Option<&mut provenance::Provenance>,
    only: Option<&[bool]>,
) -> Result<Paths, Box<Diagnostic>> {
    let program = &prepared.program;
    db.ensure(program.relations.len());
    overflow::reset();
    let mut paths = Paths::default();
    for (s, (stratum, rules)) in prepared
        .strata
        .strata
        .iter()
        .zip(&prepared.rules_of)
        .enumerate()
    {
        if rules.is_empty() || only.is_some_and(|only| !only[s]) {
            continue;
        }
        let rules: Vec<(usize, &[plan::Step])> = rules
            .iter()
            .map(|&i| (i, prepared.plans[i].as_slice()))
            .collect();
        let mut stratum_run = dataflow::Stratum {
            program,
            rules: &rules,
            heads: stratum,
            db,
            interner,
            budget,
            provenance: provenance.as_deref_mut(),
        };
        let path = match engine {
            Engine::Naive => {
                naive::eval_stratum(stratum_run)?;
                Path::Naive
            }
            Engine::Datafrog => {
                dataflow::eval_stratum(stratum_run)?;
                Path::Datafrog
            }
            Engine::Linear => match dataflow::linear::eval_stratum(&mut stratum_run) {
                Some(result) => {
                    result?;
                    Path::Linear
                }
                None => return Err(Box::new(not_linear(program, stratum))),
            },
            Engine::Auto => match dataflow::linear::eval_stratum(&mut stratum_run) {
                Some(result) => {
                    result?;
                    Path::Linear
                }
                None => {
                    dataflow::eval_stratum(stratum_run)?;
                    Path::Datafrog
                }
            },
        };
        paths.add(path);
        if let Some(found) = overflow::take() {
            let rules = rules.iter().map(|(i, _)| &program.rules[*i]);
            return Err(Box::new(overflow::diagnostic(found, rules)));
        }
    }
    Ok(paths)
}

/// The linear evaluator, asked for by name, cannot take a stratum.
fn not_linear(program: &ir::Program, stratum: &[ir::RelId]) -> Diagnostic {
    let mut names: Vec<String> = stratum
        .iter()
        .map(|r| format!("`{}`", program.rel(*r).display_name()))
        .collect();
    names.sort();
    names.dedup();
    let more = if names.len() > 4 { ", …" } else { "" };
    names.truncate(4);
    Diagnostic::new(
        Code::Strategy,
        format!(
            "the linear evaluator cannot evaluate the stratum of {}{more}: a rule reads two of its relations",
            names.join(", ")
        ),
    )
    .hint("choose `--strategy auto` (the linear evaluator where it can, datafrog elsewhere) or `--strategy datafrog`")
}
