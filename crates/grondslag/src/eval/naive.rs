//! The reference evaluator: per stratum, apply every rule to the whole database until nothing
//! changes. Slow and obviously right; the property tests hold the other evaluators to it.

use rustc_hash::FxHashMap;

use super::dataflow::Stratum;
use super::exec::{eval_expr, Solver};
use super::ir::{RelId, Tuple};
use super::provenance::align;
use crate::diagnostic::Diagnostic;
use crate::value::ValueId;

/// Evaluate the stratum; with provenance, a tuple first derived in round `n` (from premises
/// there before it) gets the height `base + n - 1`, so premises are always lower.
pub fn eval_stratum(stratum: Stratum) -> Result<(), Box<Diagnostic>> {
    let Stratum {
        program,
        rules,
        heads,
        db,
        interner,
        budget,
        provenance,
    } = stratum;
    let base = provenance.as_ref().map(|p| p.base());
    let mut born: FxHashMap<RelId, Vec<(Tuple, u32)>> = FxHashMap::default();
    let mut round = 0u32;
    loop {
        budget.check_time()?;
        round += 1;
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
                if let Some(base) = base {
                    born.entry(rel)
                        .or_default()
                        .push((tuple.clone(), base + round - 1));
                }
                rows.insert(at, tuple);
                changed += 1;
            }
        }
        budget.add_facts(changed)?;
        if changed == 0 {
            break;
        }
    }
    if let Some(p) = provenance {
        for rel in heads {
            let Some(mut found) = born.remove(rel) else {
                continue;
            };
            // Every row at height 0 after the derived ones: `align` keeps each tuple's first
            // entry, so a derived tuple keeps its birth and a fact (never derived: it was
            // there before round 1) gets 0.
            let rows = db.get(*rel);
            found.extend(rows.iter().map(|t| (t.clone(), 0)));
            p.set(*rel, align(found, rows));
        }
        p.close_stratum(p.base() + round);
    }
    Ok(())
}
