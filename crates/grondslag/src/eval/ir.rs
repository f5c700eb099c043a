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

/// A relation's number in its program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RelId(pub u32);

/// A variable's number in its rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VarId(pub u32);

/// A relation: `p/2` and `~p/2` are two relations.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Relation {
    /// The predicate.
    pub name: String,
    /// `~p` rather than `p`.
    pub negated: bool,
    /// The number of arguments.
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
    /// A variable.
    Var(VarId),
    /// An interned constant.
    Const(ValueId),
}

/// An integer expression (head arguments, comparisons).
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A variable.
    Var(VarId),
    /// An interned constant.
    Const(ValueId),
    /// `a op b`.
    Arith(Box<Expr>, ArithOp, Box<Expr>),
    /// `-a`.
    Neg(Box<Expr>),
}

impl Expr {
    /// Push its variables to `out`.
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
    /// The relation.
    pub rel: RelId,
    /// The arguments, one per column.
    pub args: Vec<Arg>,
}

impl Atom {
    /// Its variables, in argument order (repeats included).
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
    /// A positive condition.
    Atom(Atom),
    /// Negation as failure. Variables of the atom that occur nowhere else in the rule are
    /// local to it: "there is no value for them such that the atom holds".
    Not(Atom),
    /// `a op b` (an equality with an unbound side binds it).
    Compare(Expr, CmpOp, Expr),
    /// `N = op { targets : body }`.
    Aggregate(Aggregate),
}

/// `result = op { targets : body }`, grouped by the body variables that also occur outside it.
#[derive(Clone, Debug, PartialEq)]
pub struct Aggregate {
    /// The variable the aggregate's value binds.
    pub result: VarId,
    /// `count`, `sum`, `min` or `max`.
    pub op: AggOp,
    /// What is counted or summed.
    pub targets: Vec<Expr>,
    /// The conditions inside the braces.
    pub body: Vec<Goal>,
}

/// Where a rule came from, for diagnostics and explanations.
#[derive(Clone, Debug, PartialEq)]
pub struct Origin {
    /// The rule in its source.
    pub span: Span,
    /// Its label, if it has one.
    pub label: Option<String>,
    /// Strict, defeasible or defeater.
    pub kind: RuleKind,
}

/// A lowered rule: `head(head_args) :- body`.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// The relation it concludes.
    pub head: RelId,
    /// The head's arguments, as expressions over the rule's variables.
    pub head_args: Vec<Expr>,
    /// The conditions, in source order (the planner orders them).
    pub body: Vec<Goal>,
    /// Names of the variables, indexed by `VarId` (fresh ones for `_` and for expressions in
    /// body atoms).
    pub var_names: Vec<String>,
    /// Where each variable first occurs (`None` for variables the lowering made up).
    pub var_spans: Vec<Option<Span>>,
    /// The AST rule it came from.
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
    /// Every relation, by [`RelId`].
    pub relations: Vec<Relation>,
    /// The rules (facts excluded).
    pub rules: Vec<Rule>,
    /// The facts, as tuples.
    pub facts: Vec<(RelId, Tuple)>,
    /// Every value the program mentions (and those evaluation makes).
    pub interner: Interner,
    /// `relations` by name, kept by [`Program::relation`]. A grounded theory has a relation
    /// per rule: searching the list each time was quadratic.
    relation_index: RelationIndex,
}

/// The relations of each name (at most a few: `p` and `~p`, rarely other arities), for
/// `relations[..covered]`; code may also push to or replace `relations` directly, and the
/// index catches up on the next [`Program::relation`].
#[derive(Clone, Debug, Default)]
struct RelationIndex {
    by_name: FxHashMap<String, SmallVec<[RelId; 2]>>,
    covered: usize,
}

impl Program {
    /// A program without rules or facts over these relations and values.
    pub fn over(relations: Vec<Relation>, interner: Interner) -> Program {
        Program {
            relations,
            interner,
            ..Program::default()
        }
    }

    /// A program with the same relations and values (its interner shared, see
    /// [`Interner::freeze`]), without rules or facts.
    pub fn without_facts(&self) -> Program {
        Program {
            relations: self.relations.clone(),
            rules: Vec::new(),
            facts: Vec::new(),
            interner: self.interner.clone(),
            relation_index: self.relation_index.clone(),
        }
    }

    /// The id of a relation, added if new.
    pub fn relation(&mut self, name: &str, negated: bool, arity: usize) -> RelId {
        if self.relation_index.covered > self.relations.len() {
            self.relation_index = RelationIndex::default();
        }
        for i in self.relation_index.covered..self.relations.len() {
            self.relation_index
                .by_name
                .entry(self.relations[i].name.clone())
                .or_default()
                .push(RelId(i as u32));
        }
        self.relation_index.covered = self.relations.len();
        if let Some(id) = self.find_relation(name, negated, arity) {
            return id;
        }
        let id = RelId(self.relations.len() as u32);
        self.relations.push(Relation {
            name: name.to_string(),
            negated,
            arity,
        });
        self.relation_index
            .by_name
            .entry(name.to_string())
            .or_default()
            .push(id);
        self.relation_index.covered += 1;
        id
    }

    /// The first relation with this name, sign and arity.
    pub fn find_relation(&self, name: &str, negated: bool, arity: usize) -> Option<RelId> {
        let matches = |r: &Relation| r.name == name && r.negated == negated && r.arity == arity;
        if self.relation_index.covered == self.relations.len() {
            return self
                .relation_index
                .by_name
                .get(name)?
                .iter()
                .copied()
                .find(|id| matches(self.rel(*id)));
        }
        self.relations
            .iter()
            .position(matches)
            .map(|i| RelId(i as u32))
    }

    /// The relation with this id.
    pub fn rel(&self, id: RelId) -> &Relation {
        &self.relations[id.0 as usize]
    }
}

/// Point `not` atoms and everything inside aggregates (when `inside`) at a shadow relation
/// `+∂#name` that will hold only the provable literals: under defeasible reasoning, `not p`
/// and aggregates read only what is provable, while positive conditions may match literals
/// that are not (the defeasible layer grounds, the model answers queries, both this way).
/// Each `(relation, shadow)` pair made is pushed to `shadows`.
pub fn read_provable_only(
    goal: &mut Goal,
    inside: bool,
    gp: &mut Program,
    shadows: &mut Vec<(RelId, RelId)>,
) {
    let mut shadow = |atom: &mut Atom, gp: &mut Program| {
        let r = gp.rel(atom.rel).clone();
        let name = format!("+∂#{}", r.display_name());
        let s = gp.relation(&name, false, r.arity);
        shadows.push((atom.rel, s));
        atom.rel = s;
    };
    match goal {
        Goal::Atom(a) if inside => shadow(a, gp),
        Goal::Not(a) => shadow(a, gp),
        Goal::Aggregate(agg) => {
            for g in &mut agg.body {
                read_provable_only(g, true, gp, shadows);
            }
        }
        _ => {}
    }
}
