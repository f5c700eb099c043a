//! The builder both `why` and `why not` grow the graph with: one node per literal, per rule
//! instance and per rule attempt, so shared sub-derivations appear once (a DAG, not a tree).

use std::borrow::Cow;
use std::collections::HashMap;

use petgraph::graph::{DiGraph, NodeIndex};

use crate::defeasible::theory::{Conclusion, GroundTheory, Instance, InstanceId, LitId};
use crate::eval::ir::{RelId, Tuple};
use crate::eval::provenance::{Found, Rebuilder};
use crate::eval::term;
use crate::model::{Model, Status};
use crate::source::Span;
use crate::syntax::ast::{BodyItem, Literal, Term};
use crate::value::Value;

use super::graph::{Arg, Edge, Lit, Node, Outcome, RuleApp};
use super::norms::Norms;

/// Values of a rule's variables, by name.
pub type Env = HashMap<String, Value>;

pub struct Builder<'a> {
    pub model: &'a Model,
    /// The model's ground theory; for a strict program, the part of it rebuilt so far.
    pub theory: Cow<'a, GroundTheory>,
    /// For a strict program: rebuilds the derivation of each literal the explanation meets.
    rebuild: Option<Rebuilder<'a>>,
    pub norms: &'a Norms<'a>,
    pub graph: DiGraph<Node, Edge>,
    literals: HashMap<Lit, NodeIndex>,
    absent: HashMap<Lit, NodeIndex>,
    instances: HashMap<InstanceId, NodeIndex>,
    /// Rules that would have concluded a literal: (rule, the literal).
    attempts: HashMap<(Span, Lit), NodeIndex>,
    conditions: HashMap<(String, bool), NodeIndex>,
    /// Literal nodes already explained (why or why not), and to what remaining depth.
    pub expanded: HashMap<NodeIndex, usize>,
    /// What the search for missing conditions found so far (`reach`).
    pub reach: super::reach::State,
}

impl<'a> Builder<'a> {
    /// A builder over the model's ground theory (defeasible programs), or over a theory
    /// rebuilt on demand from the heights of a strict program; `None` when the model keeps
    /// neither.
    pub fn new(model: &'a Model, norms: &'a Norms<'a>) -> Option<Builder<'a>> {
        let (theory, rebuild) = match model.theory() {
            Some(theory) => (Cow::Borrowed(theory), None),
            None => {
                let provenance = model.provenance()?;
                (
                    Cow::Owned(GroundTheory::new(&provenance.rules)),
                    Some(model.rebuilder()?),
                )
            }
        };
        Some(Builder {
            model,
            theory,
            rebuild,
            norms,
            graph: DiGraph::new(),
            literals: HashMap::new(),
            absent: HashMap::new(),
            instances: HashMap::new(),
            attempts: HashMap::new(),
            conditions: HashMap::new(),
            expanded: HashMap::new(),
            reach: Default::default(),
        })
    }

    /// An edge, once.
    pub fn edge(&mut self, from: NodeIndex, to: NodeIndex, edge: Edge) {
        let exists = self
            .graph
            .edges_connecting(from, to)
            .any(|e| *e.weight() == edge);
        if !exists && from != to {
            self.graph.add_edge(from, to, edge);
        }
    }

    pub fn lit_of(&self, id: LitId) -> Lit {
        let (rel, tuple) = &self.theory.literals[id as usize];
        let rel = self.model.relation(*rel);
        let values: Vec<_> = tuple.iter().map(|v| self.model.value(*v).clone()).collect();
        Lit::ground(&rel.name, rel.negated, &values)
    }

    /// The theory's id of a ground literal; for a strict program, its derivation is rebuilt
    /// (down to the facts) the first time it is asked for. `None` when the theory does not
    /// know it (for a strict program: it does not hold).
    pub fn id_of(&mut self, lit: &Lit) -> Option<LitId> {
        let rel = self
            .model
            .relation_id(&lit.pred, lit.negated, lit.args.len())?;
        let tuple = self.model.tuple_of(&lit.values()?)?;
        if let Some(id) = self.theory.find(rel, &tuple) {
            return Some(id);
        }
        self.rebuild_derivation(rel, tuple)
    }

    /// Add a strict literal and its rebuilt derivation to the theory: one instance per
    /// literal, whose premises are strictly lower (heights), so this ends in facts.
    fn rebuild_derivation(&mut self, rel: RelId, tuple: Tuple) -> Option<LitId> {
        let rebuild = self.rebuild.as_mut()?;
        let found = rebuild.derive(rel, &tuple);
        if found == Found::Absent {
            return None;
        }
        let theory = self.theory.to_mut();
        let root = theory.literal(rel, tuple);
        let mut todo = vec![(root, found)];
        while let Some((id, found)) = todo.pop() {
            let by = match found {
                Found::Absent => continue,
                Found::Fact => {
                    theory.fact[id as usize] = true;
                    None
                }
                Found::Derived(step) => {
                    let mut body = Vec::with_capacity(step.premises.len());
                    for (rel, tuple) in step.premises {
                        let premise = match theory.find(rel, &tuple) {
                            Some(p) => p,
                            None => {
                                let next = rebuild.derive(rel, &tuple);
                                let p = theory.literal(rel, tuple);
                                todo.push((p, next));
                                p
                            }
                        };
                        body.push(premise);
                    }
                    let kind = theory.origin(step.rule).kind;
                    Some(theory.add_instance(Instance {
                        rule: step.rule,
                        kind,
                        head: id,
                        body,
                        firm_conditions: true,
                        bindings: step.bindings,
                    }))
                }
            };
            theory.conclusions[id as usize] = Conclusion {
                definite: true,
                provable: true,
                supported: true,
                by,
            };
        }
        Some(root)
    }

    /// The provable ground literals that match a pattern (a literal with open variables).
    pub fn pattern_answers(&self, lit: &Lit) -> Vec<Lit> {
        let span = Span::default();
        let args = lit
            .args
            .iter()
            .enumerate()
            .map(|(i, a)| match a {
                Arg::Value(v) => Term::Const(v.clone(), span),
                Arg::Var(_) => Term::Var(crate::syntax::ast::Ident {
                    name: format!("·{i}"),
                    span,
                }),
            })
            .collect();
        let literal = Literal {
            negated: lit.negated,
            atom: crate::syntax::ast::Atom {
                pred: crate::syntax::ast::Ident {
                    name: lit.pred.clone(),
                    span,
                },
                args,
                span,
            },
            span,
        };
        let query = crate::syntax::ast::Query {
            body: vec![BodyItem::Literal(literal)],
            span,
        };
        self.model
            .answer(&query)
            .into_iter()
            .filter(|a| a.status.is_provable())
            .map(|a| {
                let mut ground = lit.clone();
                for (i, arg) in ground.args.iter_mut().enumerate() {
                    if matches!(arg, Arg::Var(_)) {
                        let name = format!("·{i}");
                        if let Some((_, v)) = a.bindings.iter().find(|(n, _)| *n == name) {
                            *arg = Arg::Value(v.clone());
                        }
                    }
                }
                ground
            })
            .collect()
    }

    pub fn status_of(&self, lit: &Lit) -> Option<Status> {
        self.model.status(&lit.pred, lit.negated, &lit.values()?)
    }

    pub fn provable(&self, id: LitId) -> bool {
        self.theory.conclusion(id).provable
    }

    /// Every body literal of the instance is +∂: the rule applies.
    pub fn applicable(&self, instance: InstanceId) -> bool {
        self.theory.instances[instance as usize]
            .body
            .iter()
            .all(|b| self.provable(*b))
    }

    pub fn literal_node(&mut self, lit: &Lit) -> NodeIndex {
        if let Some(n) = self.literals.get(lit) {
            return *n;
        }
        let fact = self
            .id_of(lit)
            .is_some_and(|id| self.theory.fact[id as usize]);
        let node = Node::Literal {
            lit: lit.clone(),
            status: self.status_of(lit),
            fact,
            source: if fact {
                self.norms.fact_source(lit)
            } else {
                None
            },
            sentence: self.norms.sentence(lit),
            no_rule: false,
        };
        let n = self.graph.add_node(node);
        self.literals.insert(lit.clone(), n);
        n
    }

    pub fn absent_node(&mut self, lit: &Lit) -> NodeIndex {
        if let Some(n) = self.absent.get(lit) {
            return *n;
        }
        let n = self.graph.add_node(Node::Absent {
            lit: lit.clone(),
            sentence: self.norms.sentence(lit),
        });
        self.absent.insert(lit.clone(), n);
        n
    }

    pub fn condition_node(&mut self, text: String, holds: bool) -> NodeIndex {
        let key = (text, holds);
        if let Some(n) = self.conditions.get(&key) {
            return *n;
        }
        let n = self.graph.add_node(Node::Condition {
            text: key.0.clone(),
            holds,
        });
        self.conditions.insert(key, n);
        n
    }

    /// The node of a ground rule instance (created with `outcome` the first time).
    pub fn instance_node(&mut self, instance: InstanceId, outcome: Outcome) -> (NodeIndex, bool) {
        if let Some(n) = self.instances.get(&instance) {
            return (*n, false);
        }
        let inst = &self.theory.instances[instance as usize];
        let origin = self.theory.origin(inst.rule);
        let names = self.theory.var_names(inst.rule);
        let bindings = inst
            .bindings
            .iter()
            .filter(|(v, _)| !names[v.0 as usize].starts_with('_'))
            .map(|(v, value)| {
                (
                    names[v.0 as usize].clone(),
                    self.model.value(*value).clone(),
                )
            })
            .collect();
        let head = self.lit_of(inst.head);
        let rule = self.norms.rule_at(origin.span);
        let app = RuleApp {
            label: origin.label.clone(),
            kind: inst.kind,
            source: rule.and_then(|r| r.attrs.source.as_ref().map(|(s, _)| s.clone())),
            location: self.norms.location(origin.span),
            bindings,
            sentence: self.norms.sentence(&head),
            head,
            outcome,
            missing: None,
            // The version that applied.
            valid: rule.and_then(|r| self.norms.period(r)),
            not_in_force: None,
            inapplicable: None,
            bill: self.norms.bill_of(origin.span),
        };
        let n = self.graph.add_node(Node::Rule(app));
        self.instances.insert(instance, n);
        (n, true)
    }

    /// The node of a rule that would have concluded `lit` but does not apply.
    pub fn attempt_node(&mut self, app: RuleApp, span: Span, lit: &Lit) -> (NodeIndex, bool) {
        let key = (span, lit.clone());
        if let Some(n) = self.attempts.get(&key) {
            return (*n, false);
        }
        let n = self.graph.add_node(Node::Rule(app));
        self.attempts.insert(key, n);
        (n, true)
    }

    /// The variable bindings of an instance, by name (for rebuilding its other conditions).
    pub fn instance_env(&self, instance: InstanceId) -> Env {
        let inst = &self.theory.instances[instance as usize];
        let names = self.theory.var_names(inst.rule);
        inst.bindings
            .iter()
            .map(|(v, value)| {
                (
                    names[v.0 as usize].clone(),
                    self.model.value(*value).clone(),
                )
            })
            .collect()
    }
}

/// A term under the bindings: its value, when it can be computed (the evaluator's
/// arithmetic, `eval::term`).
pub fn eval_term(term: &Term, env: &Env) -> Option<Value> {
    term::eval_term(term, &|name| env.get(name).cloned())
}

/// A term as written, with bound variables replaced by their values.
pub fn show_term(term: &Term, env: &Env) -> String {
    if let Some(v) = eval_term(term, env) {
        return v.to_string();
    }
    match term {
        // `·1`: an anonymous variable named for querying (see `whynot`).
        Term::Var(ident) if ident.name.starts_with('·') => "_".into(),
        Term::Var(ident) => ident.name.clone(),
        Term::Anonymous(_) => "_".into(),
        Term::Const(v, _) => v.to_string(),
        Term::Neg(a, _) => format!("-{}", show_term(a, env)),
        Term::Arith(a, op, b, _) => {
            format!(
                "{} {} {}",
                show_term(a, env),
                op.as_str(),
                show_term(b, env)
            )
        }
    }
}

/// A literal of the source under the bindings; unbound variables stay variables.
pub fn lit_under(literal: &Literal, env: &Env) -> Lit {
    Lit {
        pred: literal.atom.pred.name.clone(),
        negated: literal.negated,
        args: literal
            .atom
            .args
            .iter()
            .map(|t| match eval_term(t, env) {
                Some(v) => Arg::Value(v),
                None => Arg::Var(show_term(t, env)),
            })
            .collect(),
    }
}

/// The source literal with bound variables replaced by constants (for querying the model).
pub fn substitute(literal: &Literal, env: &Env) -> Literal {
    let mut out = literal.clone();
    for t in &mut out.atom.args {
        if let Some(v) = eval_term(t, env) {
            *t = Term::Const(v, t.span());
        }
    }
    out
}

/// A comparison or aggregate condition in words, under the bindings.
pub fn show_condition(item: &BodyItem, env: &Env) -> String {
    match item {
        BodyItem::Compare(a, op, b, _) => {
            format!(
                "{} {} {}",
                show_term(a, env),
                op.as_str(),
                show_term(b, env)
            )
        }
        BodyItem::Aggregate(agg) => {
            let targets: Vec<String> = agg.targets.iter().map(|t| show_term(t, env)).collect();
            let body: Vec<String> = agg
                .body
                .iter()
                .map(|i| match i {
                    BodyItem::Literal(l) => lit_under(l, env).to_string(),
                    BodyItem::Not(l, _) => format!("not {}", lit_under(l, env)),
                    other => show_condition(other, env),
                })
                .collect();
            let result = match env.get(&agg.result.name) {
                Some(v) => format!("{} ({})", agg.result.name, v),
                None => agg.result.name.clone(),
            };
            format!(
                "{result} = {} {{ {} : {} }}",
                agg.op.as_str(),
                targets.join(", "),
                body.join(", ")
            )
        }
        BodyItem::Literal(l) => lit_under(l, env).to_string(),
        BodyItem::Not(l, _) => format!("not {}", lit_under(l, env)),
    }
}
