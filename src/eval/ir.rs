//! The lowered program the evaluators run: relations numbered, values interned, variables
//! numbered per rule, every rule keeping the origin (span, label, kind) it was lowered from.
//!
//! The IR is plain data so that other layers can build programs in code: the defeasible layer
//! grounds its rules by evaluating IR programs it writes itself.

use rustc_hash::FxHashMap;

use smallvec::SmallVec;

use crate::source::Span;
use crate::syntax::ast::{AggOp, ArithOp, CmpOp, RuleKind};
use crate::value::{Interner, ValueId};

/// A ground tuple: interned values, inline up to four columns.
pub type Tuple = SmallVec<[ValueId; 4]>;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RelId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VarId(pub u32);

/// A relation: `p/2` and `~p/2` are two relations.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Relation {
    pub name: String,
    pub negated: bool,
    pub arity: usize,
}

impl Relation {
    /// `p` or `~p`: the name used in the model's JSON sections.
    pub fn display_name(&self) -> String {
        if self.negated {
            format!("~{}", self.name)
        } else {
            self.name.clone()
        }
    }
}

/// An argument of a body atom.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arg {
    Var(VarId),
    Const(ValueId),
}

/// An integer expression (head arguments, comparisons).
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Var(VarId),
    Const(ValueId),
    Arith(Box<Expr>, ArithOp, Box<Expr>),
    Neg(Box<Expr>),
}

impl Expr {
    pub fn vars(&self, out: &mut Vec<VarId>) {
        match self {
            Expr::Var(v) => out.push(*v),
            Expr::Const(_) => {}
            Expr::Arith(a, _, b) => {
                a.vars(out);
                b.vars(out);
            }
            Expr::Neg(a) => a.vars(out),
        }
    }
}

/// `rel(args)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Atom {
    pub rel: RelId,
    pub args: Vec<Arg>,
}

impl Atom {
    pub fn vars(&self) -> impl Iterator<Item = VarId> + '_ {
        self.args.iter().filter_map(|a| match a {
            Arg::Var(v) => Some(*v),
            Arg::Const(_) => None,
        })
    }
}

/// One condition of a rule body.
#[derive(Clone, Debug, PartialEq)]
pub enum Goal {
    Atom(Atom),
    /// Negation as failure. Variables of the atom that occur nowhere else in the rule are
    /// local to it: "there is no value for them such that the atom holds".
    Not(Atom),
    Compare(Expr, CmpOp, Expr),
    Aggregate(Aggregate),
}

/// `result = op { targets : body }`, grouped by the body variables that also occur outside it.
#[derive(Clone, Debug, PartialEq)]
pub struct Aggregate {
    pub result: VarId,
    pub op: AggOp,
    pub targets: Vec<Expr>,
    pub body: Vec<Goal>,
}

/// Where a rule came from, for diagnostics and explanations.
#[derive(Clone, Debug, PartialEq)]
pub struct Origin {
    pub span: Span,
    pub label: Option<String>,
    pub kind: RuleKind,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub head: RelId,
    pub head_args: Vec<Expr>,
    pub body: Vec<Goal>,
    /// Names of the variables, indexed by `VarId` (fresh ones for `_` and for expressions in
    /// body atoms).
    pub var_names: Vec<String>,
    /// Where each variable first occurs (`None` for variables the lowering made up).
    pub var_spans: Vec<Option<Span>>,
    pub origin: Origin,
}

impl Rule {
    /// The variables a binding of the body fixes: those of the head, the positive atoms, the
    /// comparisons and the aggregate results — all but those local to a `not` or an aggregate.
    pub fn bound_variables(&self) -> Vec<VarId> {
        let mut vars = Vec::new();
        for e in &self.head_args {
            e.vars(&mut vars);
        }
        for goal in &self.body {
            match goal {
                Goal::Atom(a) => vars.extend(a.vars()),
                Goal::Compare(a, _, b) => {
                    a.vars(&mut vars);
                    b.vars(&mut vars);
                }
                Goal::Aggregate(agg) => vars.push(agg.result),
                Goal::Not(_) => {}
            }
        }
        vars.sort();
        vars.dedup();
        vars
    }
}

/// A whole program: relations, rules, and the facts (rules without body) kept apart so that
/// loading them costs no rule evaluation.
#[derive(Clone, Debug, Default)]
pub struct Program {
    pub relations: Vec<Relation>,
    pub rules: Vec<Rule>,
    pub facts: Vec<(RelId, Tuple)>,
    pub interner: Interner,
    /// `relations` by (name, negated, arity), kept by [`Program::relation`]; used while it
    /// covers every relation (code may also push to or replace `relations` directly). A
    /// grounded theory has a relation per rule: searching the list each time was quadratic.
    pub relation_ids: FxHashMap<(String, bool, usize), RelId>,
}

impl Program {
    /// The id of a relation, added if new.
    pub fn relation(&mut self, name: &str, negated: bool, arity: usize) -> RelId {
        if self.relation_ids.len() != self.relations.len() {
            self.relation_ids.clear();
            for (i, r) in self.relations.iter().enumerate() {
                self.relation_ids
                    .entry((r.name.clone(), r.negated, r.arity))
                    .or_insert(RelId(i as u32));
            }
        }
        if self.relation_ids.len() == self.relations.len() {
            if let Some(id) = self.relation_ids.get(&(name.to_string(), negated, arity)) {
                return *id;
            }
        } else if let Some(id) = self.find_relation(name, negated, arity) {
            // Duplicate entries in `relations`: the index cannot cover them; search.
            return id;
        }
        self.relations.push(Relation {
            name: name.to_string(),
            negated,
            arity,
        });
        let id = RelId(self.relations.len() as u32 - 1);
        self.relation_ids
            .insert((name.to_string(), negated, arity), id);
        id
    }

    pub fn find_relation(&self, name: &str, negated: bool, arity: usize) -> Option<RelId> {
        if !self.relation_ids.is_empty() && self.relation_ids.len() == self.relations.len() {
            return self
                .relation_ids
                .get(&(name.to_string(), negated, arity))
                .copied();
        }
        self.relations
            .iter()
            .position(|r| r.name == name && r.negated == negated && r.arity == arity)
            .map(|i| RelId(i as u32))
    }

    pub fn rel(&self, id: RelId) -> &Relation {
        &self.relations[id.0 as usize]
    }
}
