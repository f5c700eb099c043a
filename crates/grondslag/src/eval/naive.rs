//! The reference evaluator: per stratum, apply every rule to the whole database until nothing
//! changes. Slow and obviously right; the property tests hold the datafrog evaluator to it.

use super::exec::{eval_expr, Db, Solver};
use super::ir::{Program, RelId, Tuple};
use super::limits::Budget;
use super::plan::Step;
use crate::diagnostic::Diagnostic;
use crate::value::{Interner, ValueId};

pub fn eval_stratum(
    program: &Program,
    rules: &[(usize, &[Step])],
    db: &mut Db,
    interner: &mut Interner,
    budget: &mut Budget,
) -> Result<(), Diagnostic> {
    loop {
        budget.check_time()?;
        let mut derived: Vec<(RelId, Tuple)> = Vec::new();
        {
            let mut solver = Solver::within(db, budget.clone());
            for (index, steps) in rules {
                let rule = &program.rules[*index];
                let mut env: Vec<Option<ValueId>> = vec![None; rule.var_names.len()];
                solver.solve(steps, &mut env, interner, &mut |env, interner| {
                    let head: Option<Tuple> = rule
                        .head_args
                        .iter()
                        .map(|e| eval_expr(e, env, interner))
                        .collect();
                    if let Some(head) = head {
                        derived.push((rule.head, head));
                    }
                });
                solver
                    .stopped()
                    .map_err(|stop| stop.in_rule(rule.origin.span))?;
            }
        }
        let mut changed = 0u64;
        for (rel, tuple) in derived {
            let rows = &mut db.rels[rel.0 as usize];
            if let Err(at) = rows.binary_search(&tuple) {
                rows.insert(at, tuple);
                changed += 1;
            }
        }
        budget.add_facts(changed)?;
        if changed == 0 {
            return Ok(());
        }
    }
}
