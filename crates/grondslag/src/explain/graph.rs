//! The explanation as data: a petgraph graph of literals, rule applications, absent literals
//! and conditions, with edges that say how they bear on each other (docs/explanations.md). Every export
//! renders this one structure.
//!
//! Edge directions, which every renderer relies on:
//! - `Supports`: premise → rule application, and rule application → its conclusion (also for
//!   a rule that would have concluded it but did not apply, drawn dashed);
//! - `BlockedByNot`: a literal that holds → the rule whose `not` condition it falsifies;
//! - `Attacks`: a rule for the complement (or the definite complement itself) → the literal;
//! - `DefeatedBy`: the weaker rule → the rule that beat it, with the `@principle`;
//! - `Discarded`: a rule → the premise that fails, so the rule does not apply.

use std::fmt;

use petgraph::graph::{DiGraph, NodeIndex};

use crate::model::Status;
use crate::syntax::ast::RuleKind;
use crate::time::Reason;
use crate::value::{Date, Value};

/// An argument of a literal in an explanation: a value, or a variable left open (why-not of a
/// premise whose variables no earlier premise could bind).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Arg {
    /// A value.
    Value(Value),
    /// A variable left open, by name.
    Var(String),
}

/// A literal as the explanation shows it: `~p(a, X)`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lit {
    /// The predicate.
    pub pred: String,
    /// `~p` rather than `p`.
    pub negated: bool,
    /// The arguments.
    pub args: Vec<Arg>,
}

impl Lit {
    /// The ground literal `pred(args)` (`~pred(args)` when `negated`).
    pub fn ground(pred: &str, negated: bool, args: &[Value]) -> Lit {
        Lit {
            pred: pred.to_string(),
            negated,
            args: args.iter().cloned().map(Arg::Value).collect(),
        }
    }

    /// The values, when no argument is a variable.
    pub fn values(&self) -> Option<Vec<Value>> {
        self.args
            .iter()
            .map(|a| match a {
                Arg::Value(v) => Some(v.clone()),
                Arg::Var(_) => None,
            })
            .collect()
    }

    /// Its first argument that is a variable (a value not known), if any.
    pub fn first_var(&self) -> Option<&str> {
        self.args.iter().find_map(|a| match a {
            Arg::Var(v) => Some(v.as_str()),
            Arg::Value(_) => None,
        })
    }

    /// The literal with the other sign.
    pub fn complement(&self) -> Lit {
        Lit {
            negated: !self.negated,
            ..self.clone()
        }
    }
}

impl fmt::Display for Lit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.negated { "~" } else { "" };
        if self.args.is_empty() {
            return write!(f, "{sign}{}", self.pred);
        }
        let args: Vec<String> = self
            .args
            .iter()
            .map(|a| match a {
                Arg::Value(v) => v.to_string(),
                Arg::Var(name) => name.clone(),
            })
            .collect();
        write!(f, "{sign}{}({})", self.pred, args.join(", "))
    }
}

/// What became of a rule application in this explanation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    /// It applied and its conclusion holds through it.
    Applied,
    /// It applied, but a stronger rule beat it (or a definite complement stood against it).
    Beaten,
    /// It applied, and the conflict with the other side stayed unresolved.
    Open,
    /// A premise fails: it does not apply.
    Discarded,
    /// It is not part of the law on the evaluation date (`@valid`, a bill not yet effective,
    /// a repeal); its premises are still tried, so a rule that only time kept out shows as
    /// the nearest miss it is.
    NotInForce,
}

impl Outcome {
    /// Its name in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Applied => "applied",
            Outcome::Beaten => "beaten",
            Outcome::Open => "open",
            Outcome::Discarded => "discarded",
            Outcome::NotInForce => "not_in_force",
        }
    }
}

/// The period a version of a norm is in force (`@valid`), both bounds inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    /// The first day, if bounded.
    pub from: Option<Date>,
    /// The last day, if bounded.
    pub until: Option<Date>,
}

/// A rule application: the rule, where it is written, its citation, how its variables were
/// bound, and what it concludes.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleApp {
    /// The rule's label, if it has one.
    pub label: Option<String>,
    /// Strict, defeasible or defeater.
    pub kind: RuleKind,
    /// The `@source` citation.
    pub source: Option<String>,
    /// `file:line:col` of the rule.
    pub location: String,
    /// The variables bound (named ones only), in the rule's order.
    pub bindings: Vec<(String, Value)>,
    /// Its conclusion under those bindings.
    pub head: Lit,
    /// The conclusion in words, from the `pred` template.
    pub sentence: Option<String>,
    /// Whether it applied, was beaten, left the question open, or did not apply.
    pub outcome: Outcome,
    /// For a rule that does not apply: how many premises fail (fewer: a nearer miss).
    pub missing: Option<usize>,
    /// The version of the norm: its `@valid` period, when it has one.
    pub valid: Option<Period>,
    /// Why it is not in force on the evaluation date (with `Outcome::NotInForce`).
    pub not_in_force: Option<Reason>,
    /// Why it cannot apply to this case at all (a premise no one can bring about: the
    /// jurisdiction, the kind of actor, a fact of the law); shown as one line.
    pub inapplicable: Option<Box<Inapplicable>>,
    /// The draft bill it comes from, if any (highlighted in drawings).
    pub bill: Option<String>,
}

/// Why a rule cannot apply to the case, whatever a party or legislator did.
#[derive(Clone, Debug, PartialEq)]
pub enum Inapplicable {
    /// A premise about who or where fails (`@scope`): the premise, and what the case states
    /// instead.
    Scope {
        /// Jurisdiction or kind of actor.
        scope: crate::syntax::ast::Scope,
        /// The premise that fails.
        premise: Lit,
        /// The fact the case states instead (same predicate, same party), if any.
        instead: Option<Lit>,
        /// `instead` (or else the premise) in words.
        sentence: Option<String>,
    },
    /// A premise fixed by the law or by the case: a fact that holds and cannot be undone, or
    /// one that only the law could state.
    Fixed {
        /// The literal.
        lit: Lit,
        /// Whether it holds (a fact in the way) or not (a fact the law does not state).
        holds: bool,
        /// It in words.
        sentence: Option<String>,
    },
    /// A comparison that is false under the case's values.
    Condition(String),
}

impl RuleApp {
    /// Whether it applied (and won, lost or stayed open), as opposed to not applying.
    pub fn applies(&self) -> bool {
        matches!(
            self.outcome,
            Outcome::Applied | Outcome::Beaten | Outcome::Open
        )
    }

    /// How far it is from applying: the premises that fail, plus one when it is not in force.
    /// Near misses have few.
    pub fn obstacles(&self) -> usize {
        self.missing.unwrap_or(0) + usize::from(self.not_in_force.is_some())
    }

    /// `label` or, for an unlabelled rule, its place in the source.
    pub fn name(&self) -> String {
        match &self.label {
            Some(label) => label.clone(),
            None => {
                // `eu/avg.law:9` rather than `<bundled>/knowledge/eu/avg.law:9:1`.
                let place = self
                    .location
                    .strip_prefix("<bundled>/knowledge/")
                    .unwrap_or(&self.location);
                let place = place.rsplit_once(':').map_or(place, |(p, _)| p);
                place.to_string()
            }
        }
    }
}

/// A node of an explanation graph.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// A literal with its status (`None`: the program never considered it).
    Literal {
        /// The literal.
        lit: Lit,
        /// Its status (`None`: the program never considered it).
        status: Option<Status>,
        /// It is a fact.
        fact: bool,
        /// The `@source` of the fact, when it has one.
        source: Option<String>,
        /// The literal in words, from its `pred` template.
        sentence: Option<String>,
        /// A why-not looked and found no rule in force that could conclude it: only a fact
        /// can establish it.
        no_rule: bool,
    },
    /// A rule application, or a rule that would have applied.
    Rule(RuleApp),
    /// Negation as failure: the literal is not provable (a `not` condition that held).
    Absent {
        /// The literal that is not provable.
        lit: Lit,
        /// The literal in words, from its `pred` template.
        sentence: Option<String>,
    },
    /// A comparison or aggregate condition under the bindings, and whether it held.
    Condition {
        /// The condition under the bindings.
        text: String,
        /// Whether it held.
        holds: bool,
    },
}

/// How two nodes of an explanation relate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edge {
    /// A premise supports the rule, or a rule its conclusion.
    Supports,
    /// A literal that holds blocks a `not` condition.
    BlockedByNot,
    /// A rule attacks the conclusion of another.
    Attacks,
    /// With the `@principle` of the superiority pair, when it has one.
    DefeatedBy {
        /// The principle of the superiority pair, when it has one.
        principle: Option<String>,
    },
    /// A rule does not apply because of this failing premise or condition.
    Discarded,
}

impl Edge {
    /// The stable name used in JSON and as edge label.
    pub fn as_str(&self) -> &'static str {
        match self {
            Edge::Supports => "supports",
            Edge::BlockedByNot => "blocked_by_not",
            Edge::Attacks => "attacks",
            Edge::DefeatedBy { .. } => "defeated_by",
            Edge::Discarded => "discarded",
        }
    }
}

/// Whether the explanation says why a literal holds or why it does not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Why it holds.
    Why,
    /// Why it does not hold.
    WhyNot,
}

impl Kind {
    /// Its name in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Why => "why",
            Kind::WhyNot => "why_not",
        }
    }
}

/// A complete explanation: the question, the verdict and the graph, rooted at the literal
/// asked about.
#[derive(Clone, Debug)]
pub struct Explanation {
    /// The literal asked about.
    pub goal: Lit,
    /// Why or why not.
    pub kind: Kind,
    /// The goal's status (`None`: never considered).
    pub status: Option<Status>,
    /// The graph: literals, rules and conditions, and how they relate.
    pub graph: DiGraph<Node, Edge>,
    /// The goal's node.
    pub root: NodeIndex,
    /// The language of the sentences.
    pub lang: crate::syntax::ast::Lang,
    /// The date whose law was applied (`None`: no date selected, only repeals apply).
    pub date: Option<Date>,
    /// The open norms the verdict rests on, presumed because no fact settles them.
    pub ledger: Ledger,
    /// The memo: the verdict in words, the decisive reasons, what would make it hold.
    pub memo: super::memo::Memo,
    /// The decisive path (the graph drawn by default) and its root.
    pub decisive: (DiGraph<Node, Edge>, NodeIndex),
    /// What the exports show.
    pub view: View,
    /// The table of official sources the citations link to.
    pub links: crate::citation::Citations,
}

/// The open norms a conclusion rests on: what it holds "provided that", or — when they were
/// left open (`--open-norms open`) — what must be assessed before it can hold.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ledger {
    /// The conclusion they are for: the goal, or its complement when that is what rests on
    /// them. `None` when the verdict rests on no open norm.
    pub of: Option<Lit>,
    /// The assumptions, sorted.
    pub assumed: Vec<Assumed>,
    /// The open norms were left open: `of` is undetermined until they are assessed.
    pub left_open: bool,
}

/// One entry of a ledger: a presumed open norm, with what a reader needs to assess it.
#[derive(Clone, Debug, PartialEq)]
pub struct Assumed {
    /// The condition presumed (`~less_intrusive_means(d1)`).
    pub lit: Lit,
    /// The condition in words, from its `pred` template.
    pub sentence: Option<String>,
    /// The norm: the `@source` of the open norm's declaration.
    pub source: Option<String>,
    /// What it is about: the argument's name and its value.
    pub about: (String, Value),
    /// Who must assess it.
    pub assessor: Option<String>,
}

/// How much of the memo a text export shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Detail {
    /// The memo alone.
    Summary,
    /// The memo, then the full derivation.
    #[default]
    Full,
}

/// Which graph the drawn exports (DOT, Mermaid, the HTML's SVG) show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Drawn {
    /// The decisive path (at most 25 nodes for the bundled cases).
    #[default]
    Decisive,
    /// Every node of the explanation.
    Full,
}

/// What an explanation's exports show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct View {
    /// Summary or full memo.
    pub detail: Detail,
    /// The decisive path or the full graph.
    pub graph: Drawn,
}

impl Explanation {
    /// The assumptions the goal itself rests on (or, left open, would): empty when the ledger
    /// is its complement's.
    pub fn provided_that(&self) -> &[Assumed] {
        match &self.ledger.of {
            Some(of) if *of == self.goal => &self.ledger.assumed,
            _ => &[],
        }
    }

    /// The graph the drawn exports show, with its root: the decisive path, or the full graph.
    pub fn drawn(&self) -> (&DiGraph<Node, Edge>, NodeIndex) {
        match self.view.graph {
            Drawn::Decisive => (&self.decisive.0, self.decisive.1),
            Drawn::Full => (&self.graph, self.root),
        }
    }

    /// Whether the goal holds (+∂).
    pub fn holds(&self) -> bool {
        self.status.is_some_and(Status::is_provable)
    }

    /// Every citation used, with the rule labels (or fact) that carry it, sorted.
    pub fn sources(&self) -> Vec<(String, Vec<String>)> {
        let mut found: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for node in self.graph.node_weights() {
            match node {
                Node::Rule(app) => {
                    if let Some(source) = &app.source {
                        found.entry(source.clone()).or_default().push(app.name());
                    }
                }
                Node::Literal {
                    lit,
                    source: Some(source),
                    ..
                } => found
                    .entry(source.clone())
                    .or_default()
                    .push(lit.to_string()),
                _ => {}
            }
        }
        found
            .into_iter()
            .map(|(source, mut users)| {
                users.sort();
                users.dedup();
                (source, users)
            })
            .collect()
    }

    /// The facts of the case the explanation rests on, sorted.
    pub fn facts(&self) -> Vec<&Lit> {
        let mut facts: Vec<&Lit> = self
            .graph
            .node_weights()
            .filter_map(|n| match n {
                Node::Literal {
                    lit, fact: true, ..
                } => Some(lit),
                _ => None,
            })
            .collect();
        facts.sort();
        facts.dedup();
        facts
    }
}
