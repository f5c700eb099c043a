//! `grondslag test`: check every `expect` statement. Each case file is evaluated on its own
//! over the shared modules (SPEC §4) and the law in force on its `date` (or `--as-of`);
//! expectations in the shared modules are checked against the shared modules alone, on the
//! `--as-of` date or today.

use std::io::Write;

use grondslag::load::Origin;
use grondslag::model::{Model, Status};
use grondslag::syntax::ast::{
    BodyItem, CmpOp, Expect, ExpectKind, Item, Literal, Module, ModuleKind, Query, RuleKind, Term,
};
use grondslag::time;

use super::{Session, EXIT_FAILED, EXIT_OK};

pub(super) fn run(session: &Session) -> i32 {
    let ws = &session.ws;
    let shared = ws.shared_modules();
    let cases = ws.case_modules();
    // The programs to evaluate, each with the modules whose `expect`s it answers and the case
    // that dates it.
    let mut programs: Vec<(Vec<&Module>, Vec<&Module>, Option<&Module>)> = Vec::new();
    let shared_user: Vec<&Module> = ws
        .modules
        .iter()
        .filter(|m| m.origin == Origin::User && m.module.kind() == ModuleKind::Module)
        .map(|m| &m.module)
        .collect();
    if cases.is_empty() || shared_user.iter().any(|m| has_expects(m)) {
        programs.push((shared.clone(), shared_user, None));
    }
    for case in &cases {
        let mut modules = shared.clone();
        modules.push(case);
        programs.push((modules, vec![case], Some(case)));
    }

    let mut out = std::io::stdout().lock();
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut broken = false;
    for (modules, expecting, case) in programs {
        let mut options = session.options.clone();
        let (date, source) = time::evaluation_date(session.options.as_of, case, session.today);
        options.as_of = Some(date);
        if case.is_none() {
            // The shared files' own expectations: a file of facts without a header is a case
            // without its date.
            session.report(&super::undated(ws, date, source));
        }
        // A failing expectation is explained from the ground theory.
        options.provenance = true;
        let Some(model) = session.evaluate_with(&modules, &options) else {
            broken = true;
            failed += expecting.iter().map(|m| count_expects(m)).sum::<usize>();
            continue;
        };
        for module in expecting {
            for item in &module.items {
                let Item::Expect(expect) = item else { continue };
                match judge(&model, &modules, expect) {
                    Ok(()) => passed += 1,
                    Err(why) => {
                        failed += 1;
                        let place = ws.sources.location(expect.span);
                        let text = ws.sources.snippet(expect.span);
                        let _ = writeln!(out, "FAIL {place}: {text}\n     {why}");
                        let explanation =
                            explain_failure(session, &model, &modules, &options, expect);
                        for line in explanation.lines() {
                            let _ = writeln!(out, "       {line}");
                        }
                    }
                }
            }
        }
    }
    let _ = writeln!(out, "{passed} passed, {failed} failed");
    if failed > 0 || broken {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}

/// Why the expected literal holds or does not, in words (two levels of why-not: enough to
/// see what is missing without the whole knowledge base).
fn explain_failure(
    session: &Session,
    model: &Model,
    modules: &[&Module],
    options: &grondslag::eval::EvalOptions,
    expect: &Expect,
) -> String {
    // Everything loaded, bills included: the explanation selects the law in force on the
    // date itself, and can then say which rules were not in force and why.
    let mut loaded = modules.to_vec();
    loaded.extend(session.ws.bill_modules());
    let cx = grondslag::explain::Context {
        sources: &session.ws.sources,
        modules: &loaded,
        model,
        lang: session.lang,
        depth: 2,
        as_of: options.as_of,
    };
    match grondslag::explain::explain(&cx, &expect.literal, grondslag::explain::Ask::Either) {
        Ok(explanation) => {
            grondslag::explain::render(&explanation, grondslag::explain::Format::Text)
        }
        Err(problem) => format!("({problem})\n"),
    }
}

fn has_expects(module: &Module) -> bool {
    count_expects(module) > 0
}

fn count_expects(module: &Module) -> usize {
    module
        .items
        .iter()
        .filter(|i| matches!(i, Item::Expect(_)))
        .count()
}

/// Whether the expectation holds in the model; otherwise what was found instead.
pub(crate) fn judge(model: &Model, modules: &[&Module], expect: &Expect) -> Result<(), String> {
    let literal = &expect.literal;
    let holds = provable(model, literal);
    let complement_holds = provable(model, &complement(literal));
    let found = if holds {
        "it holds".to_string()
    } else if complement_holds {
        "its complement holds (refuted)".to_string()
    } else {
        "it is not provable, nor is its complement (undecided)".to_string()
    };
    let ok = match expect.kind {
        ExpectKind::Holds => holds,
        ExpectKind::NotProvable => !holds,
        ExpectKind::Undecided => !holds && !complement_holds,
    };
    if !ok {
        return Err(format!("expected otherwise: {found}"));
    }
    if let Some(label) = &expect.via {
        if let Some(path) = reasoning_labels(model, literal) {
            if !path.contains(&label.name) {
                let used = if path.is_empty() {
                    "no labelled rule".to_string()
                } else {
                    path.iter()
                        .map(|l| format!("`{l}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                return Err(format!(
                    "{found}, but its reasoning does not use rule `{}`; it uses {used}",
                    label.name
                ));
            }
        } else if !concluded_by(model, modules, literal, &label.name) {
            return Err(format!(
                "{found}, but not through rule `{}`: that rule does not conclude it",
                label.name
            ));
        }
    }
    Ok(())
}

/// The rules on the literal's reasoning path, when it is ground and the model keeps the
/// ground theory.
fn reasoning_labels(model: &Model, literal: &Literal) -> Option<Vec<String>> {
    let args = literal.atom.ground_args()?;
    model.reasoning_labels(&literal.atom.pred.name, literal.negated, &args)
}

fn is_provable(status: Status) -> bool {
    matches!(status, Status::Definitely | Status::Defeasibly)
}

fn provable(model: &Model, literal: &Literal) -> bool {
    let query = Query {
        body: vec![BodyItem::Literal(literal.clone())],
        span: literal.span,
    };
    model.answer(&query).iter().any(|a| is_provable(a.status))
}

fn complement(literal: &Literal) -> Literal {
    Literal {
        negated: !literal.negated,
        ..literal.clone()
    }
}

/// True when a rule labelled `label` applies with `literal` as its conclusion: its head has
/// the literal's predicate and sign, and its body holds with the head bound to the literal's
/// arguments. (The full reasoning path arrives with the explanation graphs.)
fn concluded_by(model: &Model, modules: &[&Module], literal: &Literal, label: &str) -> bool {
    let rules = modules
        .iter()
        .flat_map(|m| m.items.iter())
        .filter_map(|i| match i {
            Item::Rule(r) if r.label.as_ref().is_some_and(|l| l.name == label) => Some(r),
            _ => None,
        });
    for rule in rules {
        if rule.kind == RuleKind::Defeater
            || rule.head.negated != literal.negated
            || rule.head.atom.pred.name != literal.atom.pred.name
            || rule.head.atom.args.len() != literal.atom.args.len()
        {
            continue;
        }
        let mut body = rule.body.clone();
        for (head_arg, goal_arg) in rule.head.atom.args.iter().zip(&literal.atom.args) {
            body.push(BodyItem::Compare(
                head_arg.clone(),
                CmpOp::Eq,
                goal_arg.clone(),
                literal.span,
            ));
        }
        let query = Query {
            body,
            span: rule.span,
        };
        if rule.body.is_empty() || model.answer(&query).iter().any(|a| is_provable(a.status)) {
            if rule.body.is_empty() {
                // A fact or presumption: it concludes exactly its own head.
                let same = rule
                    .head
                    .atom
                    .args
                    .iter()
                    .zip(&literal.atom.args)
                    .all(|(a, b)| match (a, b) {
                        (Term::Const(x, _), Term::Const(y, _)) => x == y,
                        _ => true,
                    });
                if !same {
                    continue;
                }
            }
            return true;
        }
    }
    false
}
