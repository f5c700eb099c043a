//! The order in which a rule's conditions are evaluated, chosen once per rule: an atom binds
//! variables; a comparison, a negation or an aggregate waits until the variables it needs are
//! bound; `X = expr` with `X` unbound binds `X`. A condition that can never be scheduled
//! means the rule is unsafe.

use super::ir::{Aggregate, Atom, Expr, Goal, Rule, VarId};
use crate::syntax::ast::CmpOp;

/// One step of a rule's evaluation.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// Join with (or, first, scan) an atom's relation.
    Atom(Atom),
    /// Keep the bindings for which no tuple matches; `local` marks argument positions whose
    /// variable occurs nowhere else (existential).
    /// No tuple of `atom` matches (positions `local` are free).
    Not {
        /// The atom that must not match.
        atom: Atom,
        /// Per argument: a variable local to the `not`, free in the test.
        local: Vec<bool>,
    },
    /// Keep the bindings for which the comparison holds.
    Filter(Expr, CmpOp, Expr),
    /// Bind a variable to the value of an expression.
    Assign(VarId, Expr),
    /// Bind (or compare) the aggregate's result for the group the bindings belong to.
    /// The aggregate's value for the group its bound variables `group` form.
    Aggregate {
        /// The aggregate.
        agg: Aggregate,
        /// The variables bound outside it that group its value.
        group: Vec<VarId>,
    },
}

/// Why a rule cannot be planned: variables that nothing binds.
#[derive(Debug)]
pub struct Unsafe {
    /// The variables nothing binds.
    pub vars: Vec<VarId>,
}

/// Plan the body of `rule`, checking that the head's variables end up bound.
pub fn plan_rule(rule: &Rule) -> Result<Vec<Step>, Unsafe> {
    let mut head_vars = Vec::new();
    rule.head_args.iter().for_each(|e| e.vars(&mut head_vars));
    let (steps, bound) = plan_goals(&rule.body, &head_vars, rule.var_names.len(), &[])?;
    let missing: Vec<VarId> = head_vars
        .into_iter()
        .filter(|v| !bound[v.0 as usize])
        .collect();
    if missing.is_empty() {
        Ok(steps)
    } else {
        Err(Unsafe { vars: missing })
    }
}

/// Plan a conjunction. `outside` are variables used outside the goals (a head): they decide
/// which variables of a negation are local. `already` are variables bound before.
pub fn plan_goals(
    goals: &[Goal],
    outside: &[VarId],
    var_count: usize,
    already: &[VarId],
) -> Result<(Vec<Step>, Vec<bool>), Unsafe> {
    let mut bound = vec![false; var_count];
    for v in already {
        bound[v.0 as usize] = true;
    }
    // How many goals (and the outside) mention each variable: a variable of a negation
    // mentioned nowhere else is local to it.
    let mut uses = vec![0usize; var_count];
    for v in outside {
        uses[v.0 as usize] += 1;
    }
    let mut vs = Vec::new();
    for g in goals {
        vs.clear();
        goal_vars(g, &mut vs);
        vs.sort();
        vs.dedup();
        for v in &vs {
            uses[v.0 as usize] += 1;
        }
    }
    let mut pending: Vec<&Goal> = goals.iter().collect();
    let mut steps = Vec::with_capacity(goals.len());
    while !pending.is_empty() {
        let is_bound = |v: &VarId, bound: &[bool]| bound[v.0 as usize];
        // 1. Anything that only tests bound variables, or assigns one.
        let ready = pending.iter().position(|g| match g {
            Goal::Compare(a, op, b) => {
                let (va, vb) = (expr_vars(a), expr_vars(b));
                let all_a = va.iter().all(|v| is_bound(v, &bound));
                let all_b = vb.iter().all(|v| is_bound(v, &bound));
                (all_a && all_b)
                    || (*op == CmpOp::Eq
                        && (assignable(a, &bound) && all_b || assignable(b, &bound) && all_a))
            }
            Goal::Not(atom) => atom
                .vars()
                .all(|v| is_bound(&v, &bound) || uses[v.0 as usize] == 1),
            Goal::Aggregate(agg) => aggregate_group(agg, &uses)
                .iter()
                .all(|v| is_bound(v, &bound)),
            Goal::Atom(_) => false,
        });
        let index = match ready {
            Some(i) => i,
            // 2. Otherwise the atom sharing most bound variables (the first, on a tie).
            None => {
                let best = pending
                    .iter()
                    .enumerate()
                    .filter_map(|(i, g)| match g {
                        Goal::Atom(a) => {
                            Some((i, a.vars().filter(|v| is_bound(v, &bound)).count()))
                        }
                        _ => None,
                    })
                    .max_by(|x, y| x.1.cmp(&y.1).then(y.0.cmp(&x.0)));
                match best {
                    Some((i, _)) => i,
                    None => {
                        let mut vars = Vec::new();
                        for g in &pending {
                            goal_vars(g, &mut vars);
                        }
                        vars.retain(|v| !bound[v.0 as usize]);
                        vars.sort();
                        vars.dedup();
                        return Err(Unsafe { vars });
                    }
                }
            }
        };
        let goal = pending.remove(index);
        let step = match goal {
            Goal::Atom(a) => {
                a.vars().for_each(|v| bound[v.0 as usize] = true);
                Step::Atom(a.clone())
            }
            Goal::Not(a) => Step::Not {
                atom: a.clone(),
                local: a
                    .args
                    .iter()
                    .map(|arg| matches!(arg, super::ir::Arg::Var(v) if !bound[v.0 as usize]))
                    .collect(),
            },
            Goal::Compare(a, op, b) => {
                let all = |e: &Expr| expr_vars(e).iter().all(|v| bound[v.0 as usize]);
                if all(a) && all(b) {
                    Step::Filter(a.clone(), *op, b.clone())
                } else if let (Expr::Var(v), true) = (a, all(b)) {
                    bound[v.0 as usize] = true;
                    Step::Assign(*v, b.clone())
                } else if let Expr::Var(v) = b {
                    bound[v.0 as usize] = true;
                    Step::Assign(*v, a.clone())
                } else {
                    unreachable!("scheduled only when bound or assignable")
                }
            }
            Goal::Aggregate(agg) => {
                let group = aggregate_group(agg, &uses);
                bound[agg.result.0 as usize] = true;
                Step::Aggregate {
                    agg: agg.clone(),
                    group,
                }
            }
        };
        steps.push(step);
    }
    Ok((steps, bound))
}

fn assignable(e: &Expr, bound: &[bool]) -> bool {
    matches!(e, Expr::Var(v) if !bound[v.0 as usize])
}

fn expr_vars(e: &Expr) -> Vec<VarId> {
    let mut out = Vec::new();
    e.vars(&mut out);
    out
}

/// The variables a goal mentions (for an aggregate: those of its body and targets, and its
/// result).
pub fn goal_vars(goal: &Goal, out: &mut Vec<VarId>) {
    match goal {
        Goal::Atom(a) | Goal::Not(a) => out.extend(a.vars()),
        Goal::Compare(a, _, b) => {
            a.vars(out);
            b.vars(out);
        }
        Goal::Aggregate(agg) => {
            out.push(agg.result);
            for g in &agg.body {
                goal_vars(g, out);
            }
            for t in &agg.targets {
                t.vars(out);
            }
        }
    }
}

/// The grouping variables of an aggregate: those of its body that are also used outside it.
fn aggregate_group(agg: &Aggregate, uses: &[usize]) -> Vec<VarId> {
    let mut inner = Vec::new();
    for g in &agg.body {
        goal_vars(g, &mut inner);
    }
    for t in &agg.targets {
        t.vars(&mut inner);
    }
    inner.sort();
    inner.dedup();
    // `uses` counts the aggregate once for all of its variables; more means used outside.
    inner.retain(|v| uses[v.0 as usize] > 1 && *v != agg.result);
    inner
}

#[cfg(test)]
mod tests {
    use crate::source::SourceMap;
    use crate::syntax::parse;

    /// The names of the unsafe variables of the only rule of `text` (empty: it is safe).
    fn unsafe_variables(text: &str) -> Vec<String> {
        let mut sources = SourceMap::new();
        let file = sources.add("t.law", text);
        let (module, syntax) = parse(&sources, file);
        assert!(syntax.is_empty(), "{syntax:?}");
        let program = crate::eval::lower::lower(&[&module]);
        let rule = &program.rules[0];
        match super::plan_rule(rule) {
            Ok(_) => Vec::new(),
            Err(found) => found
                .vars
                .iter()
                .map(|v| rule.var_names[v.0 as usize].clone())
                .collect(),
        }
    }

    #[test]
    fn a_variable_only_in_one_negation_is_local_to_it() {
        assert!(unsafe_variables("ok(X) :- person(X), not banned(X, Y).").is_empty());
        assert!(unsafe_variables("ok(X) :- person(X), not banned(Y, Y).").is_empty());
    }

    #[test]
    fn a_variable_a_negation_shares_must_be_bound_positively() {
        // Shared with the head.
        assert_eq!(unsafe_variables("p(X) :- q(Y), not r(X)."), ["X"]);
        // Shared with another negation, or with a comparison.
        assert_eq!(unsafe_variables("p(X) :- q(X), not r(Y), not s(Y)."), ["Y"]);
        assert_eq!(unsafe_variables("p(X) :- q(X), not r(Y), Y > 3."), ["Y"]);
        // Bound by an assignment first: safe.
        assert!(unsafe_variables("p(X) :- q(X), Y = X + 1, not r(Y).").is_empty());
    }
}
