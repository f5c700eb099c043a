//! The ground defeasible theory: every literal the program considered, every rule instance
//! whose body could be supported, and the conclusions the decision procedure reached. It is
//! kept in the model, so that `via` checks and explanations can walk the reasoning without a
//! second run.

use std::cell::OnceCell;
use std::collections::hash_map::Entry;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use smallvec::SmallVec;

use crate::eval::ir::{Origin, RelId, Rule, Tuple, VarId};
use crate::syntax::ast::RuleKind;
use crate::value::ValueId;

/// Index of a ground literal in [`GroundTheory::literals`].
pub type LitId = u32;
/// Index of a rule instance in the theory's instances.
pub type InstanceId = u32;

/// One instance of a rule with its variables bound: `head :- body`. Conditions that are not
/// literals of the theory (comparisons, `not`, aggregates) held when it was grounded.
#[derive(Clone, Debug)]
pub struct Instance {
    /// The lowered rule it instantiates (index into the theory's rules).
    pub rule: usize,
    /// Strict, defeasible or defeater, as the rule.
    pub kind: RuleKind,
    /// The literal it concludes.
    pub head: LitId,
    /// Its positive conditions, as literals of the theory.
    pub body: Vec<LitId>,
    /// Its `not` and aggregate conditions read only relations defined by strict rules and
    /// facts, so they are as firm as facts. Otherwise even a strict instance concludes
    /// defeasibly, not definitely.
    pub firm_conditions: bool,
    /// The values of the rule's variables (those its body binds; not the ones local to a
    /// `not` or an aggregate), for explanations: `(variable, value)`.
    pub bindings: Vec<(VarId, ValueId)>,
}

/// What the decision procedure concluded about one literal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Conclusion {
    /// +Δ: from facts and strict rules alone.
    pub definite: bool,
    /// +∂ (includes +Δ).
    pub provable: bool,
    /// +Σ: some chain of rules supports it, ignoring attacks they do not lose to (used by
    /// ambiguity propagation; equal to `provable` under blocking).
    pub supported: bool,
    /// The instance that established it (`None` for a fact, or when not provable).
    pub by: Option<InstanceId>,
}

/// The ground defeasible theory of a program: every literal considered, the rule instances
/// that conclude them, superiority between instances, and the conclusion on each literal.
#[derive(Clone, Debug, Default)]
pub struct GroundTheory {
    /// Every literal, by id: its relation and tuple.
    pub literals: Vec<(RelId, Tuple)>,
    /// Per relation, its literals by tuple.
    index: Vec<FxHashMap<Tuple, LitId>>,
    /// The complement of each literal, once both are in the theory.
    complement: Vec<Option<LitId>>,
    /// The conclusion on each literal, by id.
    pub conclusions: Vec<Conclusion>,
    /// Whether the literal was given as a fact.
    pub fact: Vec<bool>,
    /// Every rule instance, by id.
    pub instances: Vec<Instance>,
    /// Instances concluding each literal (most literals have one or two: no allocation
    /// for up to four).
    pub concluded_by: Vec<SmallVec<[InstanceId; 4]>>,
    /// Ground superiority: `(stronger, weaker)` instance pairs with complementary heads.
    pub superiority: Vec<(InstanceId, InstanceId)>,
    /// The stronger instances of each weaker one, for questions asked after the evaluation
    /// (explanations): made the first time one is asked, when the theory is complete. A
    /// search of `superiority` per question was quadratic in a long chain.
    stronger: OnceCell<FxHashMap<InstanceId, SmallVec<[InstanceId; 2]>>>,
    /// The lowered rules the instances instantiate: where each came from (label, span,
    /// kind) and its variable names.
    rules: Arc<Vec<Rule>>,
}

impl GroundTheory {
    /// An empty theory over the given lowered rules.
    pub fn new(rules: &Arc<Vec<Rule>>) -> GroundTheory {
        GroundTheory {
            rules: Arc::clone(rules),
            ..GroundTheory::default()
        }
    }

    /// Keep the lowered rules, for where each came from (the evaluation is done with them).
    pub fn keep_rules(&mut self, rules: Arc<Vec<Rule>>) {
        self.rules = rules;
    }

    /// Where lowered rule `rule` came from.
    pub fn origin(&self, rule: usize) -> &Origin {
        &self.rules[rule].origin
    }

    /// The names of lowered rule `rule`'s variables, indexed by `VarId`.
    pub fn var_names(&self, rule: usize) -> &[String] {
        &self.rules[rule].var_names
    }

    /// The id of a literal, added (undecided, not a fact) if new.
    pub fn literal(&mut self, rel: RelId, tuple: Tuple) -> LitId {
        let r = rel.0 as usize;
        if r >= self.index.len() {
            self.index.resize_with(r + 1, FxHashMap::default);
        }
        let id = self.literals.len() as LitId;
        match self.index[r].entry(tuple) {
            Entry::Occupied(known) => return *known.get(),
            Entry::Vacant(new) => {
                self.literals.push((rel, new.key().clone()));
                new.insert(id);
            }
        }
        self.conclusions.push(Conclusion::default());
        self.fact.push(false);
        self.concluded_by.push(SmallVec::new());
        self.complement.push(None);
        id
    }

    /// The id of a literal, if the theory has it.
    pub fn find(&self, rel: RelId, tuple: &Tuple) -> Option<LitId> {
        self.index.get(rel.0 as usize)?.get(tuple).copied()
    }

    /// Record that two literals are complementary (`p(a)` and `~p(a)`).
    pub fn link_complements(&mut self, a: LitId, b: LitId) {
        self.complement[a as usize] = Some(b);
        self.complement[b as usize] = Some(a);
    }

    /// The complement of a literal, when its relation's complement exists in the program.
    pub fn complement_of(&self, lit: LitId) -> Option<LitId> {
        self.complement[lit as usize]
    }

    /// Add an instance; its id.
    pub fn add_instance(&mut self, instance: Instance) -> InstanceId {
        let id = self.instances.len() as InstanceId;
        self.concluded_by[instance.head as usize].push(id);
        self.instances.push(instance);
        id
    }

    /// The instances that beat `weaker` (`t` with `t > weaker`). Ask only once the theory is
    /// complete: the answer is kept.
    pub fn stronger_than(&self, weaker: InstanceId) -> &[InstanceId] {
        let index = self.stronger.get_or_init(|| {
            let mut index: FxHashMap<InstanceId, SmallVec<[InstanceId; 2]>> = FxHashMap::default();
            for &(t, s) in &self.superiority {
                index.entry(s).or_default().push(t);
            }
            index
        });
        index.get(&weaker).map_or(&[], |t| t.as_slice())
    }

    /// Whether `stronger > weaker` holds between the two instances.
    pub fn beats(&self, stronger: InstanceId, weaker: InstanceId) -> bool {
        self.stronger_than(weaker).contains(&stronger)
    }

    /// What was concluded about a literal.
    pub fn conclusion(&self, lit: LitId) -> Conclusion {
        self.conclusions[lit as usize]
    }

    /// The label of the rule an instance instantiates, if it has one.
    pub fn label(&self, instance: InstanceId) -> Option<&str> {
        self.origin(self.instances[instance as usize].rule)
            .label
            .as_deref()
    }
}
