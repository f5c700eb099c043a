//! What the source says about the norms an explanation cites: the AST rule behind each lowered
//! rule (its `@source`, its `not`, comparison and aggregate conditions, which the ground theory
//! does not keep), the `pred` templates, the `@principle` of each superiority pair, and which
//! rules are not in force on the evaluation date and why (as the driver selected the law, so
//! that why-not can name a rule only time kept out).

use std::collections::HashMap;

use crate::source::{SourceMap, Span};
use crate::syntax::ast::{Item, Lang, Module, PredDecl, Rule, Term};
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
        };
        norms.not_in_force = not_in_force
            .iter()
            .filter(|n| n.kind == ItemKind::Rule)
            .map(|n| (n.span, n.reason.clone()))
            .collect();
        for item in modules.iter().flat_map(|m| m.items.iter()) {
            match item {
                Item::Rule(rule) => {
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
        norms
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
            return Some(match self.lang {
                Lang::Nl => format!("het is niet zo dat {positive}"),
                Lang::En => format!("it is not the case that {positive}"),
            });
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
        for (param, arg) in decl.params.iter().zip(&lit.args) {
            let text = match arg {
                Arg::Value(Value::Text(t)) => t.to_string(),
                Arg::Value(v) => v.to_string(),
                Arg::Var(name) => name.clone(),
            };
            out = out.replace(&format!("{{{}}}", param.name), &text);
        }
        Some(out)
    }

    pub fn location(&self, span: Span) -> String {
        self.sources.location(span)
    }
}
