//! Why a literal holds: the instance that established it, its premises down to the facts,
//! the `not` conditions that held (absent literals) and its other conditions; for a defeasible
//! conclusion, every applicable rule for the complement with the rule that beat it.

use petgraph::graph::NodeIndex;

use crate::defeasible::theory::{InstanceId, LitId};
use crate::syntax::ast::{BodyItem, RuleKind};

use super::build::{lit_under, show_condition, Builder};
use super::graph::{Edge, Lit, Outcome};

impl Builder<'_> {
    /// The derivation of a provable literal, down to the facts. Returns its node.
    pub fn why(&mut self, id: LitId) -> NodeIndex {
        let lit = self.lit_of(id);
        let node = self.literal_node(&lit);
        if self.expanded.contains_key(&node) {
            return node;
        }
        self.expanded.insert(node, usize::MAX);
        let conclusion = self.theory.conclusion(id);
        if self.theory.fact[id as usize] {
            return node;
        }
        if let Some(by) = conclusion.by {
            let rule = self.why_instance(by, Outcome::Applied);
            self.edge(rule, node, Edge::Supports);
        }
        if !conclusion.definite {
            // A defeasible conclusion: every rule that applied for it is one of its grounds
            // (a lawyer wants each violation, not the first one found). A definite one keeps
            // the single derivation that established it, so long chains stay linear.
            let others: Vec<InstanceId> = self.theory.concluded_by[id as usize]
                .iter()
                .copied()
                .filter(|i| {
                    Some(*i) != conclusion.by && !self.is_defeater(*i) && self.applicable(*i)
                })
                .collect();
            for other in others {
                let rule = self.why_instance(other, Outcome::Applied);
                self.edge(rule, node, Edge::Supports);
            }
            self.attackers(&lit, node);
        }
        node
    }

    /// A rule instance and everything its body rests on.
    pub fn why_instance(&mut self, instance: InstanceId, outcome: Outcome) -> NodeIndex {
        let (node, new) = self.instance_node(instance, outcome);
        if !new {
            return node;
        }
        if crate::defeasible::is_presumption(self.theory.label(instance)) {
            // A presumption rests on nothing: its conditions only say where the question
            // arises, and the ledger lists it.
            return node;
        }
        let body = self.theory.instances[instance as usize].body.clone();
        for premise in body {
            let p = if self.provable(premise) {
                self.why(premise)
            } else {
                let lit = self.lit_of(premise);
                self.literal_node(&lit)
            };
            self.edge(p, node, Edge::Supports);
        }
        self.other_conditions(instance, node);
        node
    }

    /// The conditions the ground theory does not keep (`not`, comparisons, aggregates), rebuilt
    /// from the source rule with the instance's bindings; they held when it was grounded.
    fn other_conditions(&mut self, instance: InstanceId, node: NodeIndex) {
        let origin = self
            .theory
            .origin(self.theory.instances[instance as usize].rule);
        let Some(rule) = self.norms.rule_at(origin.span) else {
            return;
        };
        let env = self.instance_env(instance);
        for item in &rule.body {
            let n = match item {
                BodyItem::Literal(_) => continue,
                BodyItem::Not(literal, _) => {
                    let lit = lit_under(literal, &env);
                    self.absent_node(&lit)
                }
                other => self.condition_node(show_condition(other, &env), true),
            };
            self.edge(n, node, Edge::Supports);
        }
    }

    /// The rules for the complement of a defeasible conclusion: those that applied, each with
    /// the rule that beat it and the principle; a definite complement cannot occur here.
    pub fn attackers(&mut self, lit: &Lit, node: NodeIndex) {
        let Some(complement) = self.id_of(&lit.complement()) else {
            return;
        };
        let Some(own) = self.id_of(lit) else { return };
        let attackers = self.theory.concluded_by[complement as usize].clone();
        for s in attackers {
            if !self.applicable(s) {
                continue;
            }
            let winners: Vec<InstanceId> = self
                .theory
                .stronger_than(s)
                .iter()
                .copied()
                .filter(|t| self.theory.instances[*t as usize].head == own && self.applicable(*t))
                .collect();
            let outcome = if winners.is_empty() {
                Outcome::Open
            } else {
                Outcome::Beaten
            };
            let attacker = self.why_instance(s, outcome);
            self.edge(attacker, node, Edge::Attacks);
            for t in winners {
                let winner = self.why_instance(t, Outcome::Applied);
                self.edge(winner, node, Edge::Supports);
                let principle = self.principle_between(t, s);
                self.edge(attacker, winner, Edge::DefeatedBy { principle });
            }
        }
    }

    /// The `@principle` of the superiority pair `stronger > weaker`.
    pub fn principle_between(&self, stronger: InstanceId, weaker: InstanceId) -> Option<String> {
        let label = |i: InstanceId| self.theory.label(i);
        self.norms
            .principle(label(stronger)?, label(weaker)?)
            .map(str::to_string)
    }

    /// Whether the instance is a defeater (it blocks, never proves).
    pub fn is_defeater(&self, instance: InstanceId) -> bool {
        self.theory.instances[instance as usize].kind == RuleKind::Defeater
    }
}
