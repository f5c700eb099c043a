//! The result of an evaluation: every ground literal the program considered, with its status
//! (docs/language.md), query answering, and the JSON sections of docs/cli.md. Plain data and the questions
//! asked of it: the model evaluates nothing (it is built from what the evaluators return).

use crate::defeasible::ledger::Ledgers;
use crate::defeasible::theory::{GroundTheory, LitId};
use crate::diagnostic::{Code, Diagnostic};
use crate::eval::exec::{Db, Solver};
use crate::eval::ir::{read_provable_only, Goal, Program, RelId, Relation, Tuple};
use crate::eval::limits::{Budget, Limits, Stop};
use crate::eval::lower::lower_query;
use crate::eval::plan::plan_goals;
use crate::eval::provenance::{Found, Provenance, Rebuilder};
use crate::syntax::ast::{Query, RuleKind};
use crate::value::{Value, ValueId};

/// Where a ground literal ended (docs/language.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// +Δ: from facts and strict rules.
    Definitely,
    /// +∂ but not +Δ.
    Defeasibly,
    /// Its complement is +∂.
    Refuted,
    /// Neither it nor its complement is +∂.
    Undecided,
}

impl Status {
    /// Its name in output: `definitely`, `defeasibly`, `refuted`, `undecided`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Definitely => "definitely",
            Status::Defeasibly => "defeasibly",
            Status::Refuted => "refuted",
            Status::Undecided => "undecided",
        }
    }

    /// +∂ (which includes +Δ).
    pub fn is_provable(self) -> bool {
        matches!(self, Status::Definitely | Status::Defeasibly)
    }
}

/// What made a literal definite (see `Model::definite_origin`).
enum Behind {
    Rule(crate::source::Span),
    Fact,
    Unknown,
}

/// One answer to a query: the values of its named variables, and how firmly it holds.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Answer {
    /// The values of the query's named variables.
    pub bindings: Vec<(String, Value)>,
    /// The weakest status among the literals it matched.
    pub status: Status,
    /// The presumed open norms the literals it matched rest on (`necessary(d1)`), sorted:
    /// it holds provided that they do — or, under `--open-norms open`, it would.
    pub assuming: Vec<Presumed>,
}

/// A presumed literal, as a ledger lists it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Presumed {
    /// The predicate.
    pub pred: String,
    /// `~pred(..)`.
    pub negated: bool,
    /// The arguments.
    pub args: Vec<Value>,
}

impl std::fmt::Display for Presumed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.negated { "~" } else { "" };
        let args: Vec<String> = self.args.iter().map(Value::to_string).collect();
        if args.is_empty() {
            write!(f, "{sign}{}", self.pred)
        } else {
            write!(f, "{sign}{}({})", self.pred, args.join(", "))
        }
    }
}

/// Every ground literal an evaluation considered, with its status, and what explanations
/// need of the reasoning (the ground theory, or the heights of a strict evaluation).
#[derive(Clone, Debug)]
pub struct Model {
    /// Relations and interned values (no rules).
    program: Program,
    /// Every literal the model knows, per relation, sorted.
    db: Db,
    /// The status of each literal in `db`, aligned with it.
    statuses: Vec<Vec<Status>>,
    /// What evaluation found wrong (`conflicting_definite`).
    pub warnings: Vec<Diagnostic>,
    /// The ground defeasible theory the statuses were decided on (programs with defeasible
    /// rules only): the reasoning behind each literal.
    theory: Option<GroundTheory>,
    /// For a strict program evaluated with provenance: how each tuple was first derived, to
    /// rebuild its derivation on demand.
    provenance: Option<Provenance>,
    /// The limits the model was evaluated under; answering a query keeps to them too.
    limits: Limits,
    /// What the conclusions rest on of the presumed open norms (empty without them).
    ledgers: Ledgers,
}

impl Model {
    /// The model of a strict program: everything derived is definite.
    pub fn definite(program: Program, db: Db) -> Model {
        let statuses = db
            .rels
            .iter()
            .map(|r| vec![Status::Definitely; r.len()])
            .collect();
        Model::with_statuses(program, db, statuses)
    }

    /// A model from literals and their statuses (the defeasible layer builds these).
    pub fn with_statuses(
        mut program: Program,
        mut db: Db,
        mut statuses: Vec<Vec<Status>>,
    ) -> Model {
        program.rules.clear();
        program.facts.clear();
        db.ensure(program.relations.len());
        statuses.resize(program.relations.len(), Vec::new());
        let mut model = Model {
            program,
            db,
            statuses,
            warnings: Vec::new(),
            theory: None,
            provenance: None,
            limits: Limits::default(),
            ledgers: Ledgers::default(),
        };
        model.warnings = model.conflicts();
        model
    }

    /// The model of a decided ground theory (the defeasible layer's result): every literal
    /// of the theory with its status, the theory kept for `via` and explanations.
    pub fn of_theory(program: Program, theory: GroundTheory) -> Model {
        let mut rows: Vec<Vec<(Tuple, Status)>> = vec![Vec::new(); program.relations.len()];
        for (lit, (rel, tuple)) in theory.literals.iter().enumerate() {
            let c = theory.conclusion(lit as LitId);
            let status = if c.definite {
                Status::Definitely
            } else if c.provable {
                Status::Defeasibly
            } else if theory
                .complement_of(lit as LitId)
                .is_some_and(|k| theory.conclusion(k).provable)
            {
                Status::Refuted
            } else {
                Status::Undecided
            };
            rows[rel.0 as usize].push((tuple.clone(), status));
        }
        let mut db = Db::new(program.relations.len());
        let mut statuses = Vec::with_capacity(rows.len());
        for (rel, mut literals) in rows.into_iter().enumerate() {
            literals.sort();
            literals.dedup_by(|a, b| a.0 == b.0);
            db.rels[rel] = literals.iter().map(|(t, _)| t.clone()).collect();
            statuses.push(literals.into_iter().map(|(_, s)| s).collect());
        }
        let mut model = Model::with_statuses(program, db, statuses);
        model.theory = Some(theory);
        model.warnings = model.conflicts();
        model
    }

    /// Keep the ledgers of the conclusions (`defeasible::ledger`).
    pub fn with_ledgers(mut self, ledgers: Ledgers) -> Model {
        self.ledgers = ledgers;
        self
    }

    /// The ledgers of the conclusions: which presumptions each rests on.
    pub fn ledgers(&self) -> &Ledgers {
        &self.ledgers
    }

    /// The presumed literals a ground literal rests on, sorted (none when it rests on none,
    /// or the model does not know it). Under `--open-norms open` these are what must be
    /// assessed for it to hold.
    pub fn presumed(&self, pred: &str, negated: bool, args: &[Value]) -> Vec<Presumed> {
        if self.ledgers.is_empty() {
            return Vec::new();
        }
        self.theory_id(pred, negated, args)
            .map(|lit| self.presumed_of(lit))
            .unwrap_or_default()
    }

    /// Whether a ground literal was withdrawn under `--open-norms open`: it would hold under
    /// the presumptions [`Model::presumed`] lists.
    pub fn withdrawn(&self, pred: &str, negated: bool, args: &[Value]) -> bool {
        !self.ledgers.is_empty()
            && self
                .theory_id(pred, negated, args)
                .is_some_and(|lit| self.ledgers.withdrawn(lit))
    }

    /// Every conclusion that rests on presumed open norms (or, left open, would), with them;
    /// sorted. A presumed literal itself is no conclusion and is left out.
    pub fn assumptions(&self) -> Vec<(Presumed, Vec<Presumed>)> {
        let mut out: Vec<(Presumed, Vec<Presumed>)> = self
            .ledgers
            .iter()
            .filter(|(lit, ledger)| *ledger != [*lit])
            .filter_map(|(lit, _)| {
                let (rel, args) = self.theory_literal(lit)?;
                let conclusion = Presumed {
                    pred: rel.name.clone(),
                    negated: rel.negated,
                    args,
                };
                Some((conclusion, self.presumed_of(lit)))
            })
            .collect();
        out.sort();
        out
    }

    fn presumed_of(&self, lit: LitId) -> Vec<Presumed> {
        let mut out: Vec<Presumed> = self
            .ledgers
            .of(lit)
            .iter()
            .filter_map(|p| self.theory_literal(*p))
            .map(|(rel, args)| Presumed {
                pred: rel.name.clone(),
                negated: rel.negated,
                args,
            })
            .collect();
        out.sort();
        out
    }

    /// Answer queries within `limits` (those of the evaluation).
    pub fn within(mut self, limits: Limits) -> Model {
        self.limits = limits;
        self
    }

    /// How large the model is: its literals, and its ground theory's rule instances and
    /// superiority pairs (none for a strict program).
    pub fn size(&self) -> (usize, usize, usize) {
        let literals = self.db.rels.iter().map(Vec::len).sum();
        match &self.theory {
            Some(t) => (literals, t.instances.len(), t.superiority.len()),
            None => (literals, 0, 0),
        }
    }

    /// The ground theory behind a defeasible model.
    pub fn theory(&self) -> Option<&GroundTheory> {
        self.theory.as_ref()
    }

    /// Keep the heights a strict evaluation recorded.
    pub fn with_provenance(mut self, provenance: Provenance) -> Model {
        self.provenance = Some(provenance);
        self.warnings = self.conflicts();
        self
    }

    /// The heights a strict evaluation recorded, when it was asked to.
    pub fn provenance(&self) -> Option<&Provenance> {
        self.provenance.as_ref()
    }

    /// Something that rebuilds derivations of this strict model (`None` without provenance).
    pub fn rebuilder(&self) -> Option<Rebuilder<'_>> {
        let provenance = self.provenance.as_ref()?;
        Some(Rebuilder::new(&self.db, provenance, &self.program.interner))
    }

    /// The id of a relation, if the program has it.
    pub fn relation_id(&self, pred: &str, negated: bool, arity: usize) -> Option<RelId> {
        self.program.find_relation(pred, negated, arity)
    }

    /// The relation with this id.
    pub fn relation(&self, rel: RelId) -> &Relation {
        self.program.rel(rel)
    }

    /// The interned tuple of these values; `None` when a value never occurred.
    pub fn tuple_of(&self, values: &[Value]) -> Option<Tuple> {
        values
            .iter()
            .map(|v| self.program.interner.lookup(v))
            .collect()
    }

    /// The predicate, sign and values of a literal of the ground theory (for explanations).
    pub fn theory_literal(&self, lit: LitId) -> Option<(&Relation, Vec<Value>)> {
        let (rel, tuple) = self.theory.as_ref()?.literals.get(lit as usize)?;
        let values = tuple
            .iter()
            .map(|v| self.program.interner.get(*v).clone())
            .collect();
        Some((self.program.rel(*rel), values))
    }

    /// The ground-theory id of a literal; `None` when the theory never considered it.
    pub fn theory_id(&self, pred: &str, negated: bool, args: &[Value]) -> Option<LitId> {
        let theory = self.theory.as_ref()?;
        let rel = self.program.find_relation(pred, negated, args.len())?;
        let tuple: Tuple = args
            .iter()
            .map(|v| self.program.interner.lookup(v))
            .collect::<Option<_>>()?;
        theory.find(rel, &tuple)
    }

    /// The value behind an interned id of the ground theory.
    pub fn value(&self, id: ValueId) -> &Value {
        self.program.interner.get(id)
    }

    /// The labels of the rules on the reasoning path of a ground literal, for `expect ... via`:
    /// for a provable literal, the rules of its derivation down to the facts; for a refuted
    /// one, its complement's; otherwise the applicable rules on both sides that left it open.
    /// `None` when the model keeps neither a ground theory nor provenance, or does not know
    /// the literal.
    pub fn reasoning_labels(
        &self,
        pred: &str,
        negated: bool,
        args: &[Value],
    ) -> Option<Vec<String>> {
        if self.theory.is_none() {
            return self.strict_reasoning_labels(pred, negated, args);
        }
        let theory = self.theory.as_ref()?;
        let rel = self.program.find_relation(pred, negated, args.len())?;
        let tuple: Tuple = args
            .iter()
            .map(|v| self.program.interner.lookup(v))
            .collect::<Option<_>>()?;
        let lit = theory.find(rel, &tuple)?;
        let complement = self
            .program
            .find_relation(pred, !negated, args.len())
            .and_then(|c| theory.find(c, &tuple));
        let provable = |l: u32| theory.conclusion(l).provable;
        // Where the reasoning starts: the side that won, or both when neither did.
        let (start, open) = if provable(lit) {
            (vec![lit], false)
        } else if let Some(c) = complement.filter(|c| provable(*c)) {
            (vec![c], false)
        } else {
            (std::iter::once(lit).chain(complement).collect(), true)
        };
        let mut labels = Vec::new();
        let mut seen = vec![false; theory.literals.len()];
        let mut stack: Vec<(u32, bool)> = start.into_iter().map(|l| (l, true)).collect();
        while let Some((l, top)) = stack.pop() {
            if std::mem::replace(&mut seen[l as usize], true) {
                continue;
            }
            // Every rule that applied for it is one of its reasons (a fact has none).
            let applied = theory.concluded_by[l as usize].iter().copied().filter(|i| {
                let instance = &theory.instances[*i as usize];
                // Defeaters prove nothing, but they are why an open conclusion stayed open.
                (instance.kind != RuleKind::Defeater || (top && open))
                    && instance.body.iter().all(|b| provable(*b))
            });
            let instances: Vec<u32> = if provable(l) || (top && open) {
                applied.collect()
            } else {
                Vec::new()
            };
            for i in instances {
                if let Some(label) = theory.label(i) {
                    labels.push(label.to_string());
                }
                stack.extend(
                    theory.instances[i as usize]
                        .body
                        .iter()
                        .map(|b| (*b, false)),
                );
            }
        }
        labels.sort();
        labels.dedup();
        Some(labels)
    }

    /// The labels on the reasoning path of a literal of a strict program: along its rebuilt
    /// derivation down to the facts, every rule that applies for each literal met (each is one
    /// of its reasons, as in the ground theory); a literal that does not hold has none.
    fn strict_reasoning_labels(
        &self,
        pred: &str,
        negated: bool,
        args: &[Value],
    ) -> Option<Vec<String>> {
        let mut rebuilder = self.rebuilder()?;
        let rel = self.program.find_relation(pred, negated, args.len())?;
        let tuple = self.tuple_of(args)?;
        let provenance = self.provenance.as_ref()?;
        rebuilder.height(rel, &tuple)?;
        let mut labels = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut stack = vec![(rel, tuple)];
        while let Some((rel, tuple)) = stack.pop() {
            if !seen.insert((rel, tuple.clone())) {
                continue;
            }
            let Found::Derived(step) = rebuilder.derive(rel, &tuple) else {
                continue;
            };
            for rule in rebuilder.applicable_rules(rel, &tuple) {
                labels.extend(provenance.rules[rule].origin.label.clone());
            }
            stack.extend(step.premises);
        }
        labels.sort();
        labels.dedup();
        Some(labels)
    }

    /// `conflicting_definite`: `p` and `~p` both definite.
    fn conflicts(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for (i, rel) in self.program.relations.iter().enumerate() {
            if rel.negated {
                continue;
            }
            let Some(neg) = self.program.find_relation(&rel.name, true, rel.arity) else {
                continue;
            };
            for (t, s) in self.db.rels[i].iter().zip(&self.statuses[i]) {
                if *s == Status::Definitely && self.status_of(neg, t) == Some(Status::Definitely) {
                    let literal = self.render(RelId(i as u32), t);
                    let mut d = Diagnostic::new(
                        Code::ConflictingDefinite,
                        format!("both `{literal}` and `~{literal}` are definite"),
                    )
                    .hint("strict rules and facts contradict each other; make one of the rules `default`");
                    // Point at the strict rule behind each side (a fact has no rule).
                    let sides = [
                        (RelId(i as u32), literal.clone()),
                        (neg, format!("~{literal}")),
                    ];
                    let mut facts = Vec::new();
                    for (n, (rel, text)) in sides.into_iter().enumerate() {
                        match self.definite_origin(rel, t) {
                            Behind::Rule(span) if n == 0 => {
                                d = d.at_labelled(span, format!("concludes `{text}`"))
                            }
                            Behind::Rule(span) => d = d.also(span, format!("concludes `{text}`")),
                            Behind::Fact => facts.push(format!("`{text}`")),
                            Behind::Unknown => {}
                        }
                    }
                    match facts.as_slice() {
                        [] => {}
                        [one] => d.message.push_str(&format!(" ({one} is given as a fact)")),
                        _ => d.message.push_str(" (both are given as facts)"),
                    }
                    out.push(d);
                }
            }
        }
        out
    }

    /// What made a literal definite: a strict rule (where it was written) or a fact; unknown
    /// when the model keeps neither a ground theory nor provenance (a bulk run).
    fn definite_origin(&self, rel: RelId, tuple: &Tuple) -> Behind {
        if let (None, Some(mut rebuilder)) = (&self.theory, self.rebuilder()) {
            return match rebuilder.derive(rel, tuple) {
                Found::Derived(step) => match &self.provenance {
                    Some(p) => Behind::Rule(p.rules[step.rule].origin.span),
                    None => Behind::Unknown,
                },
                Found::Fact => Behind::Fact,
                Found::Absent => Behind::Unknown,
            };
        }
        let Some(theory) = &self.theory else {
            return Behind::Unknown;
        };
        let by = theory
            .find(rel, tuple)
            .and_then(|lit| theory.conclusion(lit).by);
        match by {
            Some(by) => Behind::Rule(theory.origin(theory.instances[by as usize].rule).span),
            None => Behind::Fact,
        }
    }

    fn status_of(&self, rel: RelId, tuple: &Tuple) -> Option<Status> {
        let rows = self.db.rels.get(rel.0 as usize)?;
        rows.binary_search(tuple)
            .ok()
            .map(|i| self.statuses[rel.0 as usize][i])
    }

    /// The status of a ground literal; `None` when the model never considered it.
    pub fn status(&self, pred: &str, negated: bool, args: &[Value]) -> Option<Status> {
        let rel = self.program.find_relation(pred, negated, args.len())?;
        let tuple: Option<Tuple> = args
            .iter()
            .map(|v| self.program.interner.lookup(v))
            .collect();
        self.status_of(rel, &tuple?)
    }

    /// `p(a, "B", 3)` for messages.
    pub fn render(&self, rel: RelId, tuple: &Tuple) -> String {
        let r = self.program.rel(rel);
        let args: Vec<String> = tuple
            .iter()
            .map(|v| self.program.interner.get(*v).to_string())
            .collect();
        if args.is_empty() {
            r.display_name()
        } else {
            format!("{}({})", r.display_name(), args.join(", "))
        }
    }

    /// [`Model::try_answer`], with the answers found so far when a limit stops it: for
    /// callers that look for one answer or show a few.
    pub fn answer(&self, query: &Query) -> Vec<Answer> {
        self.answering(query).0
    }

    /// Answer a query: every binding of its named variables that satisfies it, with the
    /// weakest status among the literals it matched; sorted, without duplicates. A query
    /// whose answers would not fit (`?- d(A), d(B), …` over many variables) stops at the
    /// model's limits with `resource_limit`.
    pub fn try_answer(&self, query: &Query) -> Result<Vec<Answer>, Box<Diagnostic>> {
        match self.answering(query) {
            (answers, None) => Ok(answers),
            (_, Some(stop)) => Err(Box::new(
                Diagnostic::from(stop).at_labelled(query.span, "answering this query"),
            )),
        }
    }

    /// The answers found, and the limit that stopped the search, if one did.
    fn answering(&self, query: &Query) -> (Vec<Answer>, Option<Stop>) {
        let mut program = self.program.clone();
        let (mut goals, names) = lower_query(&mut program, &query.body);
        // The model holds refuted and undecided literals too: `not` and aggregates must read
        // only the provable ones, kept under shadow relations for this query.
        let mut shadows = Vec::new();
        for goal in &mut goals {
            read_provable_only(goal, false, &mut program, &mut shadows);
        }
        // What `not` or an aggregate reads may rest on defeasible conclusions (a relation with
        // any literal that is not definite): then so does every answer.
        let rests_on_defeasible = shadows.iter().any(|(rel, _)| {
            self.statuses
                .get(rel.0 as usize)
                .is_some_and(|s| s.iter().any(|s| *s != Status::Definitely))
        });
        let extended;
        let db = if shadows.is_empty() {
            &self.db
        } else {
            let mut db = self.db.clone();
            db.ensure(program.relations.len());
            for (rel, shadow) in shadows {
                db.rels[shadow.0 as usize] = self.provable_rows(rel);
            }
            extended = db;
            &extended
        };
        let Ok((steps, _)) = plan_goals(&goals, &[], names.len(), &[]) else {
            return (Vec::new(), None);
        };
        let positive: Vec<(RelId, Vec<crate::eval::ir::Arg>)> = goals
            .iter()
            .filter_map(|g| match g {
                Goal::Atom(a) => Some((a.rel, a.args.clone())),
                _ => None,
            })
            .collect();
        let named: Vec<usize> = (0..names.len())
            .filter(|i| !names[*i].starts_with('_'))
            .collect();
        let mut interner = program.interner.clone();
        let mut answers = Vec::new();
        let mut solver = Solver::within(db, Budget::new(&self.limits));
        let mut env: Vec<Option<ValueId>> = vec![None; names.len()];
        solver.solve(&steps, &mut env, &mut interner, &mut |env, interner| {
            let mut status = if rests_on_defeasible {
                Status::Defeasibly
            } else {
                Status::Definitely
            };
            let mut assuming: Vec<Presumed> = Vec::new();
            for (rel, args) in &positive {
                let tuple: Tuple = args
                    .iter()
                    .map(|a| match a {
                        crate::eval::ir::Arg::Const(c) => *c,
                        crate::eval::ir::Arg::Var(v) => env[v.0 as usize].expect("bound"),
                    })
                    .collect();
                if let Some(s) = self.status_of(*rel, &tuple) {
                    status = status.max(s);
                }
                if !self.ledgers.is_empty() {
                    if let Some(lit) = self.theory.as_ref().and_then(|t| t.find(*rel, &tuple)) {
                        assuming.extend(self.presumed_of(lit));
                    }
                }
            }
            assuming.sort();
            assuming.dedup();
            let bindings = named
                .iter()
                .filter_map(|i| env[*i].map(|v| (names[*i].clone(), interner.get(v).clone())))
                .collect();
            answers.push(Answer {
                bindings,
                status,
                assuming,
            });
        });
        let stopped = solver.stopped().err();
        answers.sort();
        answers.dedup();
        (answers, stopped)
    }

    /// The provable literals of a relation, sorted.
    fn provable_rows(&self, rel: RelId) -> Vec<Tuple> {
        let Some(rows) = self.db.rels.get(rel.0 as usize) else {
            return Vec::new();
        };
        rows.iter()
            .zip(&self.statuses[rel.0 as usize])
            .filter(|(_, s)| s.is_provable())
            .map(|(t, _)| t.clone())
            .collect()
    }

    /// Every relation with its literals and statuses.
    pub fn relations(&self) -> impl Iterator<Item = (String, Vec<(Vec<Value>, Status)>)> + '_ {
        self.program.relations.iter().enumerate().map(|(i, rel)| {
            let rows = self.db.rels[i]
                .iter()
                .zip(&self.statuses[i])
                .map(|(t, s)| {
                    (
                        t.iter()
                            .map(|v| self.program.interner.get(*v).clone())
                            .collect(),
                        *s,
                    )
                })
                .collect();
            (rel.display_name(), rows)
        })
    }

    /// `model --format json` (docs/cli.md): `definitely` (+Δ), `defeasibly` (+∂, including +Δ),
    /// `not_defeasibly` (−∂), `undecided` (neither the literal nor its complement +∂); each
    /// maps relation names (sorted) to their literals' arguments.
    pub fn sections_json(&self) -> serde_json::Value {
        serde_json::to_value(self.sections()).expect("the sections serialise")
    }

    /// The sections of [`Model::sections_json`] as they serialise, read straight from the
    /// model: a large model is not copied into a JSON tree first.
    pub fn sections(&self) -> Sections<'_> {
        Sections { model: self }
    }

    /// Every literal of the sections, in their order: `f(section, relation, arguments)`,
    /// one literal at a time (`model` as text prints sixteen million literals without
    /// holding them twice).
    pub fn each_section_literal(&self, mut f: impl FnMut(&str, &str, &[&Value])) {
        let names = self.sorted_names();
        let mut args: Vec<&Value> = Vec::new();
        for (key, takes) in SECTIONS {
            let section = Section {
                model: self,
                names: &names,
                takes,
            };
            for (name, rel) in &names {
                for tuple in section.rows(*rel) {
                    args.clear();
                    args.extend(tuple.iter().map(|v| self.program.interner.get(*v)));
                    f(key, name, &args);
                }
            }
        }
    }

    /// Relations by display name, sorted (a name used twice keeps its last relation).
    fn sorted_names(&self) -> Vec<(String, usize)> {
        let mut names: Vec<(String, usize)> = self
            .program
            .relations
            .iter()
            .enumerate()
            .map(|(i, r)| (r.display_name(), i))
            .collect();
        names.sort();
        names.reverse();
        names.dedup_by(|a, b| a.0 == b.0);
        names.reverse();
        names
    }
}

/// The JSON sections of a model (see [`Model::sections_json`]).
pub struct Sections<'m> {
    model: &'m Model,
}

/// Which statuses a section of the model takes.
type Takes = fn(Status) -> bool;

/// The sections, in the order their names sort, each with the statuses it takes.
const SECTIONS: [(&str, Takes); 4] = [
    ("defeasibly", Status::is_provable),
    ("definitely", |s| s == Status::Definitely),
    ("not_defeasibly", |s| !s.is_provable()),
    ("undecided", |s| s == Status::Undecided),
];

impl serde::Serialize for Sections<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let model = self.model;
        let names = model.sorted_names();
        let assumptions = model.assumptions();
        let mut map = serializer
            .serialize_map(Some(SECTIONS.len() + usize::from(!assumptions.is_empty())))?;
        for (key, takes) in SECTIONS {
            let section = Section {
                model,
                names: &names,
                takes,
            };
            map.serialize_entry(key, &section)?;
        }
        // Only where something rests on a presumed open norm: `{"lawful(d1)": ["necessary(d1)"]}`.
        if !assumptions.is_empty() {
            let entries: serde_json::Map<String, serde_json::Value> = assumptions
                .iter()
                .map(|(conclusion, ledger)| {
                    (
                        conclusion.to_string(),
                        ledger.iter().map(ToString::to_string).collect(),
                    )
                })
                .collect();
            map.serialize_entry("assuming", &entries)?;
        }
        map.end()
    }
}

/// One section: relation name → the argument lists of its literals that the section takes.
struct Section<'a> {
    model: &'a Model,
    names: &'a [(String, usize)],
    takes: Takes,
}

impl Section<'_> {
    fn rows(&self, rel: usize) -> impl Iterator<Item = &Tuple> + '_ {
        self.model.db.rels[rel]
            .iter()
            .zip(&self.model.statuses[rel])
            .filter(|(_, s)| (self.takes)(**s))
            .map(|(t, _)| t)
    }
}

impl serde::Serialize for Section<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        for (name, rel) in self.names {
            if self.rows(*rel).next().is_some() {
                let rows: Vec<Row> = self
                    .rows(*rel)
                    .map(|tuple| Row {
                        model: self.model,
                        tuple,
                    })
                    .collect();
                map.serialize_entry(name, &rows)?;
            }
        }
        map.end()
    }
}

/// The arguments of one literal.
struct Row<'a> {
    model: &'a Model,
    tuple: &'a Tuple,
}

impl serde::Serialize for Row<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.tuple.len()))?;
        for v in self.tuple {
            seq.serialize_element(&JsonValue(self.model.program.interner.get(*v)))?;
        }
        seq.end()
    }
}

/// A value as the JSON of docs/cli.md writes it: integers as numbers; symbols, strings and dates
/// as strings.
pub struct JsonValue<'a>(pub &'a Value);

impl serde::Serialize for JsonValue<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Int(n) => serializer.serialize_i64(*n),
            Value::Date(d) => serializer.collect_str(d),
            Value::Text(t) => serializer.serialize_str(t),
        }
    }
}

/// Integers as JSON numbers; symbols, strings and dates as JSON strings.
pub fn value_json(value: &Value) -> serde_json::Value {
    serde_json::to_value(JsonValue(value)).expect("a value serialises")
}
