//! Why a literal does not hold. Two kinds of reasons, grouped by the rule that would have
//! concluded it (the way a lawyer walks through the grounds one by one):
//! - a rule that applied but lost: the rule for the complement that beat it, with the
//!   `@principle` of the superiority pair, or the unresolved conflict;
//! - a rule that does not apply: its premises tried one by one against the model under the
//!   bindings the goal and earlier premises give; the ones that fail are reported (and
//!   followed, to the depth asked), and the rules are ranked by how few premises fail.

use petgraph::graph::NodeIndex;

use crate::defeasible::theory::InstanceId;
use crate::eval::term;
use crate::model::Answer;
use crate::syntax::ast::{BodyItem, CmpOp, Literal, Query, Rule, RuleKind, Term};
use crate::time::Reason;

use super::build::{eval_term, lit_under, show_condition, substitute, Builder, Env};
use super::graph::{Arg, Edge, Inapplicable, Lit, Node, Outcome, RuleApp};
use super::reach::Blocker;

/// At most this many alternative bindings are followed through a rule body.
const MAX_BINDINGS: usize = 64;

/// Why one premise of a rule fails under the bindings.
pub(super) enum Failure {
    /// No provable literal matches.
    Missing(Lit),
    /// `not q` fails: this literal holds.
    Blocked(Lit),
    /// A comparison or aggregate is false.
    Condition(String),
}

/// One rule that would have concluded the literal, tried premise by premise.
pub(super) struct Attempt<'r> {
    pub rule: &'r Rule,
    /// Why the rule is not in force on the evaluation date, if it is not.
    pub not_in_force: Option<Reason>,
    /// The bindings all surviving alternatives agree on.
    env: Env,
    held: Vec<Lit>,
    pub failed: Vec<Failure>,
}

impl<'a> Builder<'a> {
    /// Why `lit` (ground, or with open variables) does not hold, following failing premises
    /// `depth` levels down. Returns its node.
    pub fn why_not(&mut self, lit: &Lit, depth: usize) -> NodeIndex {
        let node = self.literal_node(lit);
        if depth == 0 {
            self.kept_out_by_time(lit, node);
            return node;
        }
        if self.expanded.get(&node).is_some_and(|d| *d >= depth) {
            return node;
        }
        self.expanded.insert(node, depth);
        if let Some(id) = self.id_of(lit) {
            if self.provable(id) {
                return self.why(id);
            }
            let applied: Vec<InstanceId> = self.theory.concluded_by[id as usize]
                .iter()
                .copied()
                .filter(|i| self.applicable(*i) && !self.is_defeater(*i))
                .collect();
            for instance in &applied {
                self.lost(*instance, lit, node);
            }
            // Refuted: the complement holds, and its reasons are the first answer.
            if let Some(c) = self.id_of(&lit.complement()) {
                if self.provable(c) {
                    let complement = self.why(c);
                    self.edge(complement, node, Edge::Attacks);
                }
            }
        }
        let mut attempts = self.attempts(lit);
        let no_instance = self
            .id_of(lit)
            .is_none_or(|id| self.theory.concluded_by[id as usize].is_empty());
        if attempts.is_empty() && no_instance {
            if let Node::Literal { no_rule, .. } = &mut self.graph[node] {
                *no_rule = true;
            }
        }
        // Near misses first; the source order among equals.
        attempts.sort_by_key(Attempt::obstacles);
        for attempt in attempts {
            self.add_attempt(attempt, lit, (node, Edge::Supports), depth);
        }
        node
    }

    /// Beyond the depth asked, one reason is still worth its line: a rule whose premises all
    /// hold and that only the date kept out (a `@valid` period, a bill not yet effective, a
    /// repeal). It takes no search below it.
    fn kept_out_by_time(&mut self, lit: &Lit, node: NodeIndex) {
        if self.id_of(lit).is_some_and(|id| {
            self.provable(id) || !self.theory.concluded_by[id as usize].is_empty()
        }) {
            return;
        }
        let attempts: Vec<Attempt> = self
            .attempts(lit)
            .into_iter()
            .filter(|a| a.not_in_force.is_some() && a.failed.is_empty())
            .collect();
        for attempt in attempts {
            self.add_attempt(attempt, lit, (node, Edge::Supports), 1);
        }
    }

    /// For a defeasible conclusion: the rules for its complement that do not apply (the
    /// exceptions that might have beaten it), each with its failing premises.
    pub fn counter_rules(&mut self, lit: &Lit, node: NodeIndex) {
        let Some(id) = self.id_of(lit) else { return };
        if self.theory.conclusion(id).definite {
            return;
        }
        let complement = lit.complement();
        let mut attempts = self.attempts(&complement);
        attempts.sort_by_key(Attempt::obstacles);
        for attempt in attempts {
            self.add_attempt(attempt, &complement, (node, Edge::Attacks), 1);
        }
    }

    /// A rule that applied for `lit` but lost: the applicable rules on the other side, and
    /// which of them beat it.
    fn lost(&mut self, instance: InstanceId, lit: &Lit, node: NodeIndex) {
        let complement = self.id_of(&lit.complement());
        let attackers: Vec<InstanceId> = complement
            .map(|c| {
                self.theory.concluded_by[c as usize]
                    .iter()
                    .copied()
                    .filter(|s| self.applicable(*s))
                    .collect()
            })
            .unwrap_or_default();
        let beaten_by: Vec<InstanceId> = attackers
            .iter()
            .copied()
            .filter(|s| self.theory.beats(*s, instance))
            .collect();
        let complement_definite = complement.is_some_and(|c| self.theory.conclusion(c).definite);
        let outcome = if beaten_by.is_empty() && !complement_definite {
            Outcome::Open
        } else {
            Outcome::Beaten
        };
        let loser = self.why_instance(instance, outcome);
        self.edge(loser, node, Edge::Supports);
        let complement_holds = complement.is_some_and(|c| self.provable(c));
        for s in attackers {
            let beats = beaten_by.contains(&s);
            let own_outcome = if complement_holds && !self.is_defeater(s) {
                Outcome::Applied
            } else if self.theory.beats(instance, s) {
                Outcome::Beaten
            } else {
                Outcome::Open
            };
            let attacker = self.why_instance(s, own_outcome);
            self.edge(attacker, node, Edge::Attacks);
            if beats {
                let principle = self.principle_between(s, instance);
                self.edge(loser, attacker, Edge::DefeatedBy { principle });
            } else if self.theory.beats(instance, s) {
                let principle = self.principle_between(instance, s);
                self.edge(attacker, loser, Edge::DefeatedBy { principle });
            }
        }
    }

    /// Every rule that could conclude `lit` and has no applicable instance for it, tried
    /// premise by premise; a rule not in force on the evaluation date comes with the reason.
    pub(super) fn attempts(&mut self, lit: &Lit) -> Vec<Attempt<'a>> {
        let norms = self.norms;
        let mut out = Vec::new();
        for rule in norms.rules.iter().copied() {
            if rule.is_fact()
                || rule.kind == RuleKind::Defeater
                || rule.head.negated != lit.negated
                || rule.head.atom.pred.name != lit.pred
                || rule.head.atom.args.len() != lit.args.len()
            {
                continue;
            }
            let Some(env) = unify_head(rule, lit) else {
                continue;
            };
            let not_in_force = norms.not_in_force(rule).cloned();
            if not_in_force.is_none() && self.applies_to(rule, lit) {
                continue;
            }
            let mut attempt = self.try_premises(rule, env);
            attempt.not_in_force = not_in_force;
            out.push(attempt);
        }
        out
    }

    /// Whether an applicable instance of `rule` concludes `lit` (then `lost` explains it).
    fn applies_to(&mut self, rule: &Rule, lit: &Lit) -> bool {
        let Some(id) = self.id_of(lit) else {
            return false;
        };
        self.theory.concluded_by[id as usize].iter().any(|i| {
            let inst = &self.theory.instances[*i as usize];
            self.theory.origin(inst.rule).span == rule.span && self.applicable(*i)
        })
    }

    fn try_premises<'r>(&self, rule: &'r Rule, head_env: Env) -> Attempt<'r> {
        let mut envs = vec![head_env];
        let mut held = Vec::new();
        let mut failed = Vec::new();
        for item in &rule.body {
            match item {
                BodyItem::Literal(literal) => {
                    // `_` gets a name no rule can write, so its value comes back in answers.
                    let literal = &name_anonymous(literal);
                    let mut next = Vec::new();
                    for env in &envs {
                        for answer in self.provable_answers(&substitute(literal, env)) {
                            if next.len() < MAX_BINDINGS {
                                next.push(extend(env, &answer));
                            }
                        }
                    }
                    if next.is_empty() {
                        failed.push(Failure::Missing(lit_under(literal, &common(&envs))));
                    } else {
                        held.push(lit_under(literal, &common(&next)));
                        envs = next;
                    }
                }
                BodyItem::Not(literal, _) => {
                    let mut blocker = None;
                    let pass: Vec<Env> = envs
                        .iter()
                        .filter(|env| {
                            let query = substitute(literal, env);
                            match self.provable_answers(&query).first() {
                                Some(answer) => {
                                    blocker.get_or_insert_with(|| {
                                        lit_under(&query, &extend(env, answer))
                                    });
                                    false
                                }
                                None => true,
                            }
                        })
                        .cloned()
                        .collect();
                    if pass.is_empty() {
                        failed.push(Failure::Blocked(
                            blocker.unwrap_or_else(|| lit_under(literal, &common(&envs))),
                        ));
                    } else {
                        envs = pass;
                    }
                }
                BodyItem::Compare(a, op, b, _) => {
                    let mut judged = false;
                    let mut pass = Vec::new();
                    for env in &envs {
                        match compare_under(a, *op, b, env) {
                            Judged::Holds(env) => {
                                judged = true;
                                pass.push(env);
                            }
                            Judged::Fails => judged = true,
                            Judged::Unknown => pass.push(env.clone()),
                        }
                    }
                    if !judged {
                        continue;
                    }
                    if pass.is_empty() {
                        failed.push(Failure::Condition(show_condition(item, &common(&envs))));
                    } else {
                        envs = pass;
                    }
                }
                BodyItem::Aggregate(agg) => {
                    let mut next = Vec::new();
                    for env in &envs {
                        let query = Query {
                            body: vec![substitute_item(item, env)],
                            span: agg.span,
                        };
                        for answer in self.model.answer(&query) {
                            if next.len() < MAX_BINDINGS {
                                next.push(extend(env, &answer));
                            }
                        }
                    }
                    if next.is_empty() {
                        failed.push(Failure::Condition(show_condition(item, &common(&envs))));
                    } else {
                        envs = next;
                    }
                }
            }
        }
        Attempt {
            rule,
            not_in_force: None,
            env: common(&envs),
            held,
            failed,
        }
    }

    /// The answers to one literal that are defeasibly provable.
    fn provable_answers(&self, literal: &Literal) -> Vec<Answer> {
        let query = Query {
            body: vec![BodyItem::Literal(literal.clone())],
            span: literal.span,
        };
        self.model
            .answer(&query)
            .into_iter()
            .filter(|a| a.status.is_provable())
            .collect()
    }

    /// The rule node of an attempt, linked to `target` (the literal it would conclude, or the
    /// literal it would attack), with the premises that held and those that fail.
    fn add_attempt(
        &mut self,
        attempt: Attempt,
        lit: &Lit,
        (target, link): (NodeIndex, Edge),
        depth: usize,
    ) {
        let rule = attempt.rule;
        let head = lit_under(&rule.head, &attempt.env);
        let inapplicable = match attempt.not_in_force {
            None => self.inapplicable(&attempt).map(Box::new),
            Some(_) => None,
        };
        let app = RuleApp {
            label: rule.label.as_ref().map(|l| l.name.clone()),
            kind: rule.kind,
            source: rule.attrs.source.as_ref().map(|(s, _)| s.clone()),
            location: self.norms.location(rule.span),
            bindings: ordered_bindings(rule, &attempt.env),
            sentence: self.norms.sentence(&head),
            head,
            outcome: if attempt.not_in_force.is_some() {
                Outcome::NotInForce
            } else {
                Outcome::Discarded
            },
            missing: Some(attempt.failed.len()),
            valid: self.norms.period(rule),
            not_in_force: attempt.not_in_force,
            inapplicable,
            bill: self.norms.bill_of(rule.span),
        };
        let one_line = app.inapplicable.is_some();
        let (rnode, new) = self.attempt_node(app, rule.span, lit);
        self.edge(rnode, target, link);
        // A rule that cannot apply to this case is one line: the reason says it all.
        if !new || one_line {
            return;
        }
        // The premises that hold are named, not derived: what is missing is the point here.
        // Those that hold for some values only (variables not fixed) say little.
        for premise in attempt.held.iter().filter(|p| p.values().is_some()) {
            let p = self.literal_node(premise);
            self.edge(p, rnode, Edge::Supports);
        }
        for failure in attempt.failed {
            match failure {
                Failure::Missing(premise) => {
                    let p = self.why_not(&premise, depth - 1);
                    self.edge(rnode, p, Edge::Discarded);
                }
                Failure::Blocked(holding) => {
                    let p = match self.id_of(&holding) {
                        Some(id) if depth > 1 => self.why(id),
                        _ => self.literal_node(&holding),
                    };
                    self.edge(p, rnode, Edge::BlockedByNot);
                }
                Failure::Condition(text) => {
                    let c = self.condition_node(text, false);
                    self.edge(rnode, c, Edge::Discarded);
                }
            }
        }
    }
}

impl Builder<'_> {
    /// Why a rule that does not apply cannot apply to this case at all: the first failing
    /// premise that no party or legislator could bring about, when it is about who or where
    /// (`@scope`), a fact fixed by the law or the case, or a false comparison.
    fn inapplicable(&mut self, attempt: &Attempt) -> Option<Inapplicable> {
        for failure in &attempt.failed {
            let need = match failure {
                Failure::Missing(premise) => self.need(premise),
                Failure::Blocked(holding) => self.defeat(holding),
                Failure::Condition(text) => return Some(Inapplicable::Condition(text.clone())),
            };
            if !need.is_impossible() {
                continue;
            }
            match need.blocker {
                Some(Blocker::Scope(scope, premise, instead)) => {
                    let sentence = self.norms.sentence(instead.as_ref().unwrap_or(&premise));
                    return Some(Inapplicable::Scope {
                        scope,
                        premise,
                        instead,
                        sentence,
                    });
                }
                Some(Blocker::Fixed(lit)) => {
                    let holds = self.holds(&lit);
                    let sentence = self.norms.sentence(&lit);
                    return Some(Inapplicable::Fixed {
                        lit,
                        holds,
                        sentence,
                    });
                }
                Some(Blocker::Condition(text)) => return Some(Inapplicable::Condition(text)),
                Some(Blocker::Time(_) | Blocker::Unknown) | None => {}
            }
        }
        None
    }
}

impl Attempt<'_> {
    /// How far the rule is from applying: failing premises, and the date if it is not in
    /// force.
    fn obstacles(&self) -> usize {
        self.failed.len() + usize::from(self.not_in_force.is_some())
    }
}

/// The bindings that matching the rule's head against the literal gives; `None` when a
/// constant or a repeated variable of the head cannot match.
fn unify_head(rule: &Rule, lit: &Lit) -> Option<Env> {
    let mut env = Env::new();
    for (term, arg) in rule.head.atom.args.iter().zip(&lit.args) {
        let Arg::Value(value) = arg else { continue };
        match term {
            Term::Var(ident) => {
                if let Some(old) = env.insert(ident.name.clone(), value.clone()) {
                    if &old != value {
                        return None;
                    }
                }
            }
            Term::Const(c, _) if c != value => return None,
            _ => {}
        }
    }
    Some(env)
}

fn extend(env: &Env, answer: &Answer) -> Env {
    let mut out = env.clone();
    for (name, value) in &answer.bindings {
        out.insert(name.clone(), value.clone());
    }
    out
}

/// The bindings every alternative agrees on.
fn common(envs: &[Env]) -> Env {
    let Some((first, rest)) = envs.split_first() else {
        return Env::new();
    };
    first
        .iter()
        .filter(|(name, value)| rest.iter().all(|e| e.get(*name) == Some(*value)))
        .map(|(n, v)| (n.clone(), v.clone()))
        .collect()
}

enum Judged {
    Holds(Env),
    Fails,
    /// A variable in it is not bound yet.
    Unknown,
}

fn compare_under(a: &Term, op: CmpOp, b: &Term, env: &Env) -> Judged {
    match (eval_term(a, env), eval_term(b, env)) {
        (Some(x), Some(y)) if term::compare(op, &x, &y) => Judged::Holds(env.clone()),
        (Some(_), Some(_)) => Judged::Fails,
        // `X = expr` binds X.
        (None, Some(y)) if op == CmpOp::Eq => bind(a, y, env),
        (Some(x), None) if op == CmpOp::Eq => bind(b, x, env),
        _ => Judged::Unknown,
    }
}

fn bind(term: &Term, value: crate::value::Value, env: &Env) -> Judged {
    match term {
        Term::Var(ident) => {
            let mut out = env.clone();
            out.insert(ident.name.clone(), value);
            Judged::Holds(out)
        }
        _ => Judged::Unknown,
    }
}

/// The literal with each `_` turned into a variable of its own, named after where it stands
/// (`·812`), so that the `_`s of different literals of one rule never share a value.
fn name_anonymous(literal: &Literal) -> Literal {
    let mut out = literal.clone();
    for t in out.atom.args.iter_mut() {
        if let Term::Anonymous(span) = t {
            *t = Term::Var(crate::syntax::ast::Ident {
                name: format!("·{}", span.start),
                span: *span,
            });
        }
    }
    out
}

/// A body item with bound variables replaced by constants.
fn substitute_item(item: &BodyItem, env: &Env) -> BodyItem {
    let term = |t: &Term| match eval_term(t, env) {
        Some(v) => Term::Const(v, t.span()),
        None => t.clone(),
    };
    match item {
        BodyItem::Literal(l) => BodyItem::Literal(substitute(l, env)),
        BodyItem::Not(l, s) => BodyItem::Not(substitute(l, env), *s),
        BodyItem::Compare(a, op, b, s) => BodyItem::Compare(term(a), *op, term(b), *s),
        BodyItem::Aggregate(agg) => {
            let mut agg = agg.clone();
            agg.body = agg.body.iter().map(|i| substitute_item(i, env)).collect();
            agg.targets = agg.targets.iter().map(term).collect();
            BodyItem::Aggregate(agg)
        }
    }
}

/// The named variables of the rule that are bound, in the order they first occur.
fn ordered_bindings(rule: &Rule, env: &Env) -> Vec<(String, crate::value::Value)> {
    let mut names: Vec<String> = Vec::new();
    for t in &rule.head.atom.args {
        collect_vars(t, &mut names);
    }
    for item in &rule.body {
        match item {
            BodyItem::Literal(l) | BodyItem::Not(l, _) => {
                for t in &l.atom.args {
                    collect_vars(t, &mut names);
                }
            }
            BodyItem::Compare(a, _, b, _) => {
                collect_vars(a, &mut names);
                collect_vars(b, &mut names);
            }
            BodyItem::Aggregate(agg) => names.push(agg.result.name.clone()),
        }
    }
    let mut seen = std::collections::HashSet::new();
    names
        .into_iter()
        .filter(|n| !n.starts_with('_') && seen.insert(n.clone()))
        .filter_map(|n| env.get(&n).map(|v| (n.clone(), v.clone())))
        .collect()
}

fn collect_vars(term: &Term, out: &mut Vec<String>) {
    match term {
        Term::Var(ident) => out.push(ident.name.clone()),
        Term::Arith(a, _, b, _) => {
            collect_vars(a, out);
            collect_vars(b, out);
        }
        Term::Neg(a, _) => collect_vars(a, out),
        _ => {}
    }
}
