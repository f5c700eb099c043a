//! What the source says about the norms an explanation cites: the AST rule behind each lowered
//! rule (its `@source`, its `not`, comparison and aggregate conditions, which the ground theory
//! does not keep), the `pred` templates, the `@principle` of each superiority pair, and which
//! rules are not in force on the evaluation date and why (as the driver selected the law, so
//! that why-not can name a rule only time kept out).

use std::collections::HashMap;

use crate::source::{SourceMap, Span};
use std::collections::HashSet;

use crate::syntax::ast::{
    Actor, Item, Lang, Module, ModuleKind, PredDecl, Rule, Scope, Term, TypeValues,
};
use crate::time::{ItemKind, NotInForce, Reason};
use crate::value::Value;

use super::graph::{Arg, Lit, Period};

pub struct Norms<'a> {
    pub sources: &'a SourceMap,
    /// Every rule and fact of the loaded modules, in load order.
    pub rules: Vec<&'a Rule>,
    by_span: HashMap<Span, &'a Rule>,
    preds: HashMap<(&'a str, bool, usize), &'a PredDecl>,
    /// `(stronger, weaker)` labels → the principle.
    principles: HashMap<(&'a str, &'a str), Option<&'static str>>,
    /// The `@source` of ground facts.
    fact_sources: HashMap<Lit, &'a str>,
    pub lang: Lang,
    /// The rules (by span) left out of the law on the evaluation date, with the reason.
    not_in_force: HashMap<Span, Reason>,
    /// How a `type` names a value that is not known, in the explanation's language.
    nouns: HashMap<&'a str, &'a str>,
    /// Predicates whose facts the law states about its own concepts: stated outside a case,
    /// every argument of a closed enumeration (`data_category(medical_file, special)`,
    /// `makes_unlawful(no_legal_basis)`). A case cannot make another one true.
    law_facts: HashSet<&'a str>,
    /// The bills among the modules that are in force on the date, by name.
    pub bills: Vec<String>,
    /// The file of each bill, with its name.
    bill_files: HashMap<crate::source::FileId, String>,
}

impl<'a> Norms<'a> {
    pub fn new(
        sources: &'a SourceMap,
        modules: &[&'a Module],
        not_in_force: &[NotInForce],
        lang: Lang,
    ) -> Norms<'a> {
        let mut norms = Norms {
            sources,
            rules: Vec::new(),
            by_span: HashMap::new(),
            preds: HashMap::new(),
            principles: HashMap::new(),
            fact_sources: HashMap::new(),
            lang,
            not_in_force: HashMap::new(),
            nouns: HashMap::new(),
            law_facts: HashSet::new(),
            bills: Vec::new(),
            bill_files: HashMap::new(),
        };
        let mut enumerations: HashSet<&str> = HashSet::new();
        norms.not_in_force = not_in_force
            .iter()
            .filter(|n| n.kind == ItemKind::Rule)
            .map(|n| (n.span, n.reason.clone()))
            .collect();
        for module in modules {
            // A bill applies unless the date keeps it out.
            if let (ModuleKind::Bill, Some(header)) = (module.kind(), &module.header) {
                let name = &header.name.name;
                norms.bill_files.insert(module.file, name.clone());
                let pending = not_in_force.iter().any(|n| {
                    matches!(&n.reason, Reason::BillNotYetEffective { bill, .. } if bill == name)
                });
                if !pending {
                    norms.bills.push(name.clone());
                }
            }
        }
        for (kind, item) in modules
            .iter()
            .flat_map(|m| m.items.iter().map(move |i| (m.kind(), i)))
        {
            match item {
                Item::Type(decl) => {
                    if decl.values != TypeValues::Entity {
                        enumerations.insert(decl.name.name.as_str());
                    }
                    if let Some((_, noun, _)) = decl.templates.iter().find(|(l, ..)| *l == lang) {
                        norms.nouns.insert(decl.name.name.as_str(), noun.as_str());
                    }
                }
                Item::Rule(rule) => {
                    if rule.is_fact() && kind != ModuleKind::Case {
                        norms.law_facts.insert(rule.head.atom.pred.name.as_str());
                    }
                    norms.rules.push(rule);
                    norms.by_span.insert(rule.span, rule);
                    if let (true, Some((source, _))) = (rule.is_fact(), &rule.attrs.source) {
                        let args: Option<Vec<Arg>> = rule
                            .head
                            .atom
                            .args
                            .iter()
                            .map(|t| match t {
                                Term::Const(v, _) => Some(Arg::Value(v.clone())),
                                _ => None,
                            })
                            .collect();
                        if let Some(args) = args {
                            let lit = Lit {
                                pred: rule.head.atom.pred.name.clone(),
                                negated: rule.head.negated,
                                args,
                            };
                            norms.fact_sources.insert(lit, source.as_str());
                        }
                    }
                }
                Item::Pred(decl) => {
                    norms
                        .preds
                        .entry((decl.name.name.as_str(), decl.negated, decl.params.len()))
                        .or_insert(decl);
                }
                Item::Superiority(pair) => {
                    norms.principles.insert(
                        (pair.stronger.name.as_str(), pair.weaker.name.as_str()),
                        pair.attrs.principle.map(|(p, _)| p.as_str()),
                    );
                }
                _ => {}
            }
        }
        let closed = |decl: &PredDecl| {
            !decl.param_types.is_empty()
                && decl.param_types.iter().all(|t| {
                    t.as_ref()
                        .is_some_and(|t| enumerations.contains(t.name.as_str()))
                })
        };
        let preds = &norms.preds;
        norms.law_facts.retain(|p| {
            preds
                .iter()
                .any(|((name, negated, _), decl)| name == p && !negated && closed(decl))
        });
        norms
    }

    /// The bill a rule comes from, if it comes from one.
    pub fn bill_of(&self, span: Span) -> Option<String> {
        self.bill_files.get(&span.file).cloned()
    }

    /// What a `@scope` predicate delimits, if it is one.
    pub fn scope(&self, pred: &str) -> Option<Scope> {
        self.decls_of(pred)
            .find_map(|d| d.attrs.scope.map(|(s, _)| s))
    }

    /// Who can bring about a literal of `pred` (`@actionable`), if anyone.
    pub fn actionable(&self, pred: &str) -> Option<Actor> {
        self.decls_of(pred)
            .find_map(|d| d.attrs.actionable.map(|(a, _)| a))
    }

    /// Whether only the law states facts of `pred` (a case states none).
    pub fn law_fact(&self, pred: &str) -> bool {
        self.law_facts.contains(pred)
    }

    fn decls_of<'s>(&'s self, pred: &'s str) -> impl Iterator<Item = &'a PredDecl> + 's {
        self.preds
            .iter()
            .filter(move |((name, negated, _), _)| *name == pred && !negated)
            .map(|(_, decl)| *decl)
    }

    /// Whether the rule labelled `stronger` beats the one labelled `weaker` (a superiority
    /// pair).
    pub fn beats(&self, stronger: &str, weaker: &str) -> bool {
        self.principles.contains_key(&(stronger, weaker))
    }

    /// The AST rule a lowered rule came from.
    pub fn rule_at(&self, span: Span) -> Option<&'a Rule> {
        self.by_span.get(&span).copied()
    }

    /// Why the rule is not in force on the evaluation date (docs/bills.md), if it is not.
    pub fn not_in_force(&self, rule: &Rule) -> Option<&Reason> {
        self.not_in_force.get(&rule.span)
    }

    /// The version of a rule: its `@valid` period.
    pub fn period(&self, rule: &Rule) -> Option<Period> {
        rule.attrs.valid.map(|v| Period {
            from: v.from,
            until: v.until,
        })
    }

    pub fn principle(&self, stronger: &str, weaker: &str) -> Option<&'static str> {
        self.principles.get(&(stronger, weaker)).copied().flatten()
    }

    pub fn fact_source(&self, lit: &Lit) -> Option<String> {
        self.fact_sources.get(lit).map(|s| s.to_string())
    }

    /// The literal in words, from its `pred` template in the explanation's language; for
    /// `~p` without a template of its own, the negation of `p`'s. `None` without a template.
    pub fn sentence(&self, lit: &Lit) -> Option<String> {
        let arity = lit.args.len();
        if let Some(decl) = self.preds.get(&(lit.pred.as_str(), lit.negated, arity)) {
            return self.fill(decl, lit);
        }
        if lit.negated {
            let decl = self.preds.get(&(lit.pred.as_str(), false, arity))?;
            let positive = self.fill(decl, lit)?;
            return Some(super::words::not_the_case(self.lang, &positive));
        }
        None
    }

    fn fill(&self, decl: &PredDecl, lit: &Lit) -> Option<String> {
        let template = decl
            .templates
            .iter()
            .find(|(l, ..)| *l == self.lang)
            .or_else(|| decl.templates.first())
            .map(|(_, text, _)| text.as_str())?;
        let mut out = template.to_string();
        for ((param, ty), arg) in decl.params.iter().zip(&decl.param_types).zip(&lit.args) {
            let text = match arg {
                Arg::Value(Value::Text(t)) => t.to_string(),
                Arg::Value(v) => v.to_string(),
                // A value not known: named by its type ("een regeling"), else as
                // "something": a sentence never shows a variable's name.
                Arg::Var(_) => ty
                    .as_ref()
                    .and_then(|t| self.nouns.get(t.name.as_str()))
                    .map_or_else(
                        || super::words::something(self.lang).to_string(),
                        |noun| noun.to_string(),
                    ),
            };
            out = out.replace(&format!("{{{}}}", param.name), &text);
        }
        Some(out)
    }

    pub fn location(&self, span: Span) -> String {
        self.sources.location(span)
    }
}
