//! Open norms (docs/defeasible.md, "Open norms"): conditions such as necessity, subsidiarity or
//! a minimal breach, which no fact implies and only a person can assess. The vocabulary marks
//! each with `@open_norm(assessor: ...)` on the `pred` declaration of the literal that is
//! presumed (`pred p(..)` or `pred ~p(..)`).
//!
//! ```text
//! @open_norm pred ──▶ Catalogue ──▶ presume::presumptions: a `default` rule per use of an open
//!                                   norm, added to the law before lowering
//!                         │
//!                         └──▶ Assumption: what a conclusion's ledger lists
//!                              (defeasible::ledger computes it from the ground theory)
//! ```

mod presume;

use std::collections::HashMap;

use crate::source::Span;
use crate::syntax::ast::{Item, Module};
use crate::value::Value;

pub use presume::presumptions;

/// Whether open norms are assumed or left open (`--open-norms`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// An open norm that no fact settles is presumed where a rule needs it: a conclusion that
    /// rests on it holds, "provided that" it does.
    #[default]
    Assume,
    /// Nothing is presumed: a conclusion that would rest on an open norm is undetermined, and
    /// its ledger lists what must be assessed.
    Open,
}

impl Mode {
    /// The names `--open-norms` takes.
    pub const NAMES: [&'static str; 2] = ["assume", "open"];

    /// `assume` or `open`.
    pub fn parse(name: &str) -> Option<Mode> {
        match name {
            "assume" => Some(Mode::Assume),
            "open" => Some(Mode::Open),
            _ => None,
        }
    }

    /// Its name.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Assume => "assume",
            Mode::Open => "open",
        }
    }
}

/// One open norm: the literal presumed, and what a ledger says of it.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenNorm {
    /// The predicate.
    pub pred: String,
    /// The presumed literal is `~pred(..)`.
    pub negated: bool,
    /// Its number of arguments.
    pub arity: usize,
    /// The argument it is about (by position) and its name.
    pub about: (usize, String),
    /// Who must assess it.
    pub assessor: Option<String>,
    /// The norm: the `@source` of the declaration.
    pub source: Option<String>,
    /// The `pred` declaration.
    pub span: Span,
}

impl OpenNorm {
    /// The label of the presumptions made for it: `assumed:necessary` or
    /// `assumed:~less_intrusive_means`. No label a file can write has a colon.
    pub fn label(&self) -> String {
        let sign = if self.negated { "~" } else { "" };
        format!("{}{sign}{}", crate::defeasible::PRESUMPTION, self.pred)
    }
}

/// The open norms declared in some modules, by predicate.
#[derive(Clone, Debug, Default)]
pub struct Catalogue {
    norms: Vec<OpenNorm>,
    by_pred: HashMap<(String, usize), usize>,
}

impl Catalogue {
    /// The open norms the `pred` declarations of `modules` mark (the first declaration of a
    /// predicate and arity counts).
    pub fn of(modules: &[&Module]) -> Catalogue {
        let mut catalogue = Catalogue::default();
        for decl in modules
            .iter()
            .flat_map(|m| m.items.iter())
            .filter_map(|i| match i {
                Item::Pred(decl) => Some(decl),
                _ => None,
            })
        {
            let Some(mark) = &decl.attrs.open_norm else {
                continue;
            };
            let key = (decl.name.name.clone(), decl.params.len());
            if catalogue.by_pred.contains_key(&key) {
                continue;
            }
            let about = match &mark.about {
                Some(name) => decl.params.iter().position(|p| p.name == name.name),
                None => Some(0),
            };
            let Some(about) = about.filter(|a| *a < decl.params.len()) else {
                continue;
            };
            catalogue.by_pred.insert(key, catalogue.norms.len());
            catalogue.norms.push(OpenNorm {
                pred: decl.name.name.clone(),
                negated: decl.negated,
                arity: decl.params.len(),
                about: (about, decl.params[about].name.clone()),
                assessor: mark.assessor.clone(),
                source: decl.attrs.source.as_ref().map(|(s, _)| s.clone()),
                span: decl.span,
            });
        }
        catalogue
    }

    /// No open norm is declared.
    pub fn is_empty(&self) -> bool {
        self.norms.is_empty()
    }

    /// Every open norm, in declaration order.
    pub fn norms(&self) -> &[OpenNorm] {
        &self.norms
    }

    /// The open norm of a predicate, whichever sign is presumed.
    pub fn of_pred(&self, pred: &str, arity: usize) -> Option<&OpenNorm> {
        self.by_pred
            .get(&(pred.to_string(), arity))
            .map(|i| &self.norms[*i])
    }

    /// The open norm whose presumed literal is `pred(..)` (or `~pred(..)` with `negated`).
    pub fn presumed(&self, pred: &str, negated: bool, arity: usize) -> Option<&OpenNorm> {
        self.of_pred(pred, arity).filter(|n| n.negated == negated)
    }

    /// The assumption that the ground literal `pred(args)` (with its sign) is, when it is the
    /// presumed literal of an open norm.
    pub fn assumption(&self, pred: &str, negated: bool, args: &[Value]) -> Option<Assumption> {
        let norm = self.presumed(pred, negated, args.len())?;
        Some(Assumption {
            pred: pred.to_string(),
            negated,
            args: args.to_vec(),
            source: norm.source.clone(),
            about: (norm.about.1.clone(), args[norm.about.0].clone()),
            assessor: norm.assessor.clone(),
        })
    }
}

/// One entry of a ledger: a condition a conclusion rests on that no fact settles, presumed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Assumption {
    /// The predicate of the presumed condition.
    pub pred: String,
    /// The condition is `~pred(..)`.
    pub negated: bool,
    /// Its arguments.
    pub args: Vec<Value>,
    /// The norm it comes from: the `@source` of its declaration.
    pub source: Option<String>,
    /// What it is about: the argument's name in the declaration, and its value.
    pub about: (String, Value),
    /// Who must assess it.
    pub assessor: Option<String>,
}

impl std::fmt::Display for Assumption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.negated { "~" } else { "" };
        let args: Vec<String> = self.args.iter().map(Value::to_string).collect();
        write!(f, "{sign}{}({})", self.pred, args.join(", "))
    }
}
