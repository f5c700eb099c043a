//! The evaluation stage: a prepared program in, a model out — by one engine, or by two that
//! must agree (`--strategy compare`). Strict programs go to `eval`, programs with defeasible
//! rules to `defeasible`; the model is built from what they return.

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use crate::defeasible;
use crate::diagnostic::{Code, Diagnostic};
use crate::eval::provenance::Provenance;
use crate::eval::{self, Case, Engine, InputFacts, Paths};
use crate::model::{Model, Status};
use crate::syntax::ast::Module;
use crate::value::Value;

use super::prepared::{Base, Prepared};
use super::{Options, Strategy};

/// The evaluation stage on its own: lower, stratify and evaluate `modules` as given — no
/// checks, no date (they are the law to evaluate). For tests and tools; commands go through
/// [`super::check`] and [`super::Law`], which select the law in force and report every
/// problem first.
///
/// ```
/// use grondslag::driver::{self, Options, Path};
/// use grondslag::source::SourceMap;
/// use grondslag::syntax::parse;
///
/// let mut sources = SourceMap::new();
/// let file = sources.add("t.law", "edge(a, b). edge(b, c).\npath(X, Y) :- edge(X, Y).\npath(X, Z) :- path(X, Y), edge(Y, Z).\n");
/// let (module, _) = parse(&sources, file);
/// let (model, paths) = driver::evaluate(&[&module], &[], &Options::default()).unwrap();
/// assert_eq!(model.relations().find(|(name, _)| name == "path").unwrap().1.len(), 3);
/// assert_eq!(paths.get(Path::Linear), 1);
/// ```
pub fn evaluate(
    modules: &[&Module],
    inputs: &[InputFacts],
    options: &Options,
) -> Result<(Model, Paths), Vec<Diagnostic>> {
    let prepared = eval::prepare(modules)?;
    evaluate_prepared(modules, prepared, inputs, options)
}

/// Evaluate `modules`, already lowered, planned and stratified as `prepared`, with the
/// strategy of `options`.
pub(super) fn evaluate_prepared(
    modules: &[&Module],
    prepared: eval::Prepared,
    inputs: &[InputFacts],
    options: &Options,
) -> Result<(Model, Paths), Vec<Diagnostic>> {
    match options.strategy {
        Strategy::Use(engine) | Strategy::Scratch(engine) => {
            with_engine(modules, prepared, inputs, options, engine).map_err(|d| vec![*d])
        }
        Strategy::Compare(first, second) => {
            let one = with_engine(modules, prepared.clone(), inputs, options, first);
            let other = with_engine(modules, prepared, inputs, options, second);
            agree(one, other, first, second)
        }
    }
}

/// Evaluate the facts of `case` on the law `prepared` once, with the strategy of `options`.
/// From the law's second case on, the strata no case fact reaches are taken from the law
/// evaluated on its own (strict programs: only when no provenance is recorded).
pub(super) fn evaluate_case(
    prepared: &Prepared,
    case: Case,
    at: &[(usize, usize)],
    options: &Options,
) -> Result<(Model, Paths), Vec<Diagnostic>> {
    let reuse = prepared.evaluations.fetch_add(1, Ordering::Relaxed) > 0;
    match options.strategy {
        Strategy::Use(engine) | Strategy::Scratch(engine) => {
            on_base(&prepared.base, case, at, options, engine, reuse).map_err(|d| vec![*d])
        }
        Strategy::Compare(first, second) => {
            let one = on_base(&prepared.base, case.clone(), at, options, first, reuse);
            let other = on_base(&prepared.base, case, at, options, second, reuse);
            agree(one, other, first, second)
        }
    }
}

/// The first model, when both evaluations succeeded and their models agree.
fn agree(
    one: Result<(Model, Paths), Box<Diagnostic>>,
    other: Result<(Model, Paths), Box<Diagnostic>>,
    first: Engine,
    second: Engine,
) -> Result<(Model, Paths), Vec<Diagnostic>> {
    let (model, mut paths) = one.map_err(|d| vec![*d])?;
    let (other, other_paths) = other.map_err(|d| vec![*d])?;
    if let Some(difference) = first_difference(&model, &other, first, second) {
        return Err(vec![Diagnostic::new(
            Code::Internal,
            format!(
                "the `{}` and `{}` evaluators disagree: {difference}",
                first.as_str(),
                second.as_str()
            ),
        )
        .hint("this is a fault of grondslag, not of the program; please report it with the program (`--strategy naive` gives the reference answer)")]);
    }
    paths.merge(&other_paths);
    Ok((model, paths))
}

fn on_base(
    base: &Base,
    case: Case,
    at: &[(usize, usize)],
    options: &Options,
    engine: Engine,
    reuse: bool,
) -> Result<(Model, Paths), Box<Diagnostic>> {
    let limits = &options.limits;
    match base {
        Base::Defeasible(base) => {
            let decided = base.evaluate(case, at, limits, engine, reuse)?;
            let model = Model::of_theory(decided.program, decided.theory).within(*limits);
            Ok((model, decided.paths))
        }
        Base::Strict(base) if !options.provenance => {
            let run = base.evaluate(case, limits, engine, None, reuse)?;
            Ok((
                Model::definite(run.program, run.db).within(*limits),
                run.paths,
            ))
        }
        Base::Strict(base) => {
            let mut provenance = Provenance::new();
            let run = base.evaluate(case, limits, engine, Some(&mut provenance), false)?;
            provenance.rules = Arc::clone(base.rules());
            let model = Model::definite(run.program, run.db)
                .with_provenance(provenance)
                .within(*limits);
            Ok((model, run.paths))
        }
    }
}

fn with_engine(
    modules: &[&Module],
    prepared: eval::Prepared,
    inputs: &[InputFacts],
    options: &Options,
    engine: Engine,
) -> Result<(Model, Paths), Box<Diagnostic>> {
    if prepared.is_defeasible() {
        let decided = defeasible::evaluate(
            modules,
            prepared,
            inputs,
            options.policy,
            &options.limits,
            engine,
        )?;
        let model = Model::of_theory(decided.program, decided.theory).within(options.limits);
        return Ok((model, decided.paths));
    }
    if !options.provenance {
        let run = eval::run_prepared(prepared, inputs, &options.limits, engine, None)?;
        return Ok((
            Model::definite(run.program, run.db).within(options.limits),
            run.paths,
        ));
    }
    let mut provenance = Provenance::new();
    let run = eval::run_prepared(
        prepared,
        inputs,
        &options.limits,
        engine,
        Some(&mut provenance),
    )?;
    provenance.rules = std::sync::Arc::new(run.program.rules.clone());
    let model = Model::definite(run.program, run.db)
        .with_provenance(provenance)
        .within(options.limits);
    Ok((model, run.paths))
}

/// Every literal of a model with its status, by relation name and values.
type Literals = BTreeMap<String, BTreeMap<Vec<Value>, Status>>;

fn literals(model: &Model) -> Literals {
    model
        .relations()
        .filter(|(_, rows)| !rows.is_empty())
        .map(|(name, rows)| (name, rows.into_iter().collect()))
        .collect()
}

/// The first literal (by name, then values) on which two models differ, in words.
fn first_difference(a: &Model, b: &Model, first: Engine, second: Engine) -> Option<String> {
    let (a, b) = (literals(a), literals(b));
    let names: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    let empty = BTreeMap::new();
    for name in names {
        let (x, y) = (a.get(name).unwrap_or(&empty), b.get(name).unwrap_or(&empty));
        let values: std::collections::BTreeSet<&Vec<Value>> = x.keys().chain(y.keys()).collect();
        for args in values {
            let (s, t) = (x.get(args), y.get(args));
            if s != t {
                let shown: Vec<String> = args.iter().map(Value::to_string).collect();
                let literal = if shown.is_empty() {
                    name.clone()
                } else {
                    format!("{name}({})", shown.join(", "))
                };
                let status = |s: Option<&Status>| s.map_or("absent", |s| s.as_str());
                return Some(format!(
                    "`{literal}` is {} by `{}` and {} by `{}`",
                    status(s),
                    first.as_str(),
                    status(t),
                    second.as_str()
                ));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceMap;
    use crate::syntax::parse;

    fn model(text: &str) -> Model {
        let mut sources = SourceMap::new();
        let file = sources.add("t.law", text);
        let (module, diagnostics) = parse(&sources, file);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        evaluate(&[&module], &[], &Options::default()).unwrap().0
    }

    #[test]
    fn the_first_difference_is_named_with_both_statuses() {
        let a = model("p(1). p(2). q(a).");
        let b = model("p(1). q(a). default r.");
        assert_eq!(
            first_difference(&a, &b, Engine::Auto, Engine::Naive).as_deref(),
            Some("`p(2)` is definitely by `auto` and absent by `naive`")
        );
        assert_eq!(first_difference(&a, &a, Engine::Auto, Engine::Naive), None);
        let c = model("default r.");
        let d = model("r.");
        assert_eq!(
            first_difference(&c, &d, Engine::Auto, Engine::Naive).as_deref(),
            Some("`r` is defeasibly by `auto` and definitely by `naive`")
        );
    }

    #[test]
    fn compare_runs_both_engines_and_counts_both_paths() {
        let mut sources = SourceMap::new();
        let file = sources.add(
            "t.law",
            "e(1, 2). e(2, 3).\nt(X, Y) :- e(X, Y).\nt(X, Z) :- t(X, Y), t(Y, Z).\n",
        );
        let (module, _) = parse(&sources, file);
        let options = Options {
            strategy: Strategy::Compare(Engine::Datafrog, Engine::Naive),
            ..Options::default()
        };
        let (model, paths) = evaluate(&[&module], &[], &options).unwrap();
        assert_eq!(
            model.relations().find(|(n, _)| n == "t").unwrap().1.len(),
            3
        );
        assert_eq!(paths.get(eval::Path::Datafrog), 1);
        assert_eq!(paths.get(eval::Path::Naive), 1);
        // The linear evaluator cannot take `t(X, Z) :- t(X, Y), t(Y, Z)`.
        let linear = Options {
            strategy: Strategy::Use(Engine::Linear),
            ..Options::default()
        };
        let err = evaluate(&[&module], &[], &linear).unwrap_err();
        assert_eq!(err[0].code, Code::Strategy);
        assert!(err[0].message.contains("`t`"), "{}", err[0].message);
    }
}
