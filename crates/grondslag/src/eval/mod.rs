//! Evaluation: lowering to the IR, planning, stratification, and semi-naive evaluation of
//! each stratum on datafrog (with a naive reference evaluator beside it).

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

use crate::diagnostic::{Code, Diagnostic};
use crate::model::Model;
use crate::source::{SourceMap, Span};
use crate::syntax::ast::{Module, RuleKind};
use crate::value::{Date, Value};

pub use exec::Db;
pub use limits::{Budget, Limits};

/// How ambiguity between conflicting defeasible rules spreads (SPEC §2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Policy {
    #[default]
    Blocking,
    Propagating,
}

#[derive(Clone, Debug, Default)]
pub struct EvalOptions {
    pub limits: Limits,
    /// The date whose law applies (`@valid`); `None`: every rule.
    pub as_of: Option<Date>,
    pub policy: Policy,
    /// Record, for strict programs, the height (and where known the rule) of each tuple's
    /// first derivation, so that explanations can rebuild any derivation without a second run
    /// (`explain`, `test` and the REPL turn it on; see [`provenance`]). Programs with
    /// defeasible rules always keep their ground theory. Off for bulk runs.
    pub provenance: bool,
}

/// Facts read from a TSV/CSV file named by `@input` on a `pred` declaration.
#[derive(Clone, Debug)]
pub struct InputFacts {
    pub pred: String,
    pub span: Span,
    pub rows: Vec<Vec<Value>>,
}

/// Which evaluator runs the strata.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Datafrog,
    Naive,
}

/// A checked program, ready to run: rules planned, relations stratified.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub program: ir::Program,
    /// The plan of each rule; none when the program has defeasible rules (the defeasible
    /// layer plans the grounding programs it runs, stratum by stratum).
    pub plans: Vec<Vec<plan::Step>>,
    pub strata: stratify::Strata,
}

/// Lower, plan and stratify. Errors: `unsafe_variable`, `cyclic_negation`.
pub fn prepare(
    _sources: &SourceMap,
    modules: &[&Module],
    options: &EvalOptions,
) -> Result<Prepared, Vec<Diagnostic>> {
    let program = lower::lower(modules, options.as_of);
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
            program,
            plans,
            strata,
        }),
        _ => Err(diagnostics),
    }
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
) -> Result<(Db, ir::Program), Diagnostic> {
    run_recording(prepared, inputs, limits, engine, None)
}

/// [`run`], recording into `provenance` how each tuple was first derived (datafrog engine
/// only; the naive engine records nothing).
pub fn run_recording(
    prepared: &Prepared,
    inputs: &[InputFacts],
    limits: &Limits,
    engine: Engine,
    provenance: Option<&mut provenance::Provenance>,
) -> Result<(Db, ir::Program), Diagnostic> {
    let program = prepared.program.clone();
    run_program(
        program,
        &prepared.plans,
        &prepared.strata,
        inputs,
        limits,
        engine,
        provenance,
    )
}

/// [`run_recording`] on a prepared program the caller owns: it is evaluated in place rather
/// than copied (a grounded theory has a rule per instance, and the copy is not small).
pub fn run_prepared(
    prepared: Prepared,
    inputs: &[InputFacts],
    limits: &Limits,
    engine: Engine,
    provenance: Option<&mut provenance::Provenance>,
) -> Result<(Db, ir::Program), Diagnostic> {
    let Prepared {
        program,
        plans,
        strata,
    } = prepared;
    run_program(program, &plans, &strata, inputs, limits, engine, provenance)
}

fn run_program(
    mut program: ir::Program,
    plans: &[Vec<plan::Step>],
    strata: &stratify::Strata,
    inputs: &[InputFacts],
    limits: &Limits,
    engine: Engine,
    mut provenance: Option<&mut provenance::Provenance>,
) -> Result<(Db, ir::Program), Diagnostic> {
    let mut interner = std::mem::take(&mut program.interner);
    let mut db = Db::new(program.relations.len());
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
    db.ensure(program.relations.len());
    for (rel, tuple) in program.facts.iter().chain(extra.iter()) {
        db.rels[rel.0 as usize].push(tuple.clone());
    }
    for rows in &mut db.rels {
        rows.sort();
        rows.dedup();
    }
    let mut budget = Budget::new(limits);
    budget.add_facts(db.rels.iter().map(|r| r.len() as u64).sum())?;
    overflow::reset();
    let rules_of = strata.rules_by_stratum(&program);
    let rules_of = rules_of.into_iter().map(|rules| {
        rules
            .into_iter()
            .map(|i| (i, plans[i].as_slice()))
            .collect::<Vec<_>>()
    });
    for (stratum, rules) in strata.strata.iter().zip(rules_of) {
        if rules.is_empty() {
            continue;
        }
        match engine {
            Engine::Datafrog => dataflow::eval_stratum(
                &program,
                &rules,
                stratum,
                &mut db,
                &mut interner,
                &mut budget,
                provenance.as_deref_mut(),
            )?,
            Engine::Naive => {
                naive::eval_stratum(&program, &rules, &mut db, &mut interner, &mut budget)?
            }
        }
        if let Some(found) = overflow::take() {
            let rules = rules.iter().map(|(i, _)| &program.rules[*i]);
            return Err(overflow::diagnostic(found, rules));
        }
    }
    program.interner = interner;
    Ok((db, program))
}

/// Load, check-free evaluation of checked modules: the model of SPEC §2.
pub fn evaluate(
    sources: &SourceMap,
    modules: &[&Module],
    inputs: &[InputFacts],
    options: &EvalOptions,
) -> Result<Model, Vec<Diagnostic>> {
    let prepared = prepare(sources, modules, options)?;
    evaluate_prepared(modules, prepared, inputs, options)
}

/// Evaluate `modules` already lowered, planned and stratified as `prepared` (by `prepare` with
/// the same options), so that a caller who checked them need not prepare them twice.
pub fn evaluate_prepared(
    modules: &[&Module],
    prepared: Prepared,
    inputs: &[InputFacts],
    options: &EvalOptions,
) -> Result<Model, Vec<Diagnostic>> {
    let defeasible = modules
        .iter()
        .flat_map(|m| m.items.iter())
        .find_map(|item| match item {
            crate::syntax::ast::Item::Rule(r) if r.kind != RuleKind::Strict => Some(r.span),
            _ => None,
        });
    if let Some(span) = defeasible {
        return crate::defeasible::evaluate_prepared(modules, prepared, inputs, options)
            .map(|model| model.within(options.limits))
            .map_err(|mut d| {
                if d.is_empty() {
                    d.push(
                        Diagnostic::new(Code::Syntax, "defeasible rules could not be evaluated")
                            .at(span),
                    );
                }
                d
            });
    }
    if !options.provenance {
        let (db, program) = run_prepared(prepared, inputs, &options.limits, Engine::Datafrog, None)
            .map_err(|d| vec![d])?;
        return Ok(Model::definite(program, db).within(options.limits));
    }
    let mut provenance = provenance::Provenance::new();
    let (db, program) = run_prepared(
        prepared,
        inputs,
        &options.limits,
        Engine::Datafrog,
        Some(&mut provenance),
    )
    .map_err(|d| vec![d])?;
    provenance.rules = program.rules.clone();
    Ok(Model::definite(program, db)
        .with_provenance(provenance)
        .within(options.limits))
}
