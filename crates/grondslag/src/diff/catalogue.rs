//! What a diff report says about the rules and predicates it names: each labelled rule's
//! `@source` citation, place and bill, and each predicate's natural-language template.
//! Built once from everything loaded (knowledge base, bills, cases).

use std::collections::HashMap;

use crate::bill::Amendments;
use crate::source::SourceMap;
use crate::syntax::ast::{Item, Lang, Module};
use crate::value::Value;

/// A labelled rule, as a report cites it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleInfo {
    /// `@source("...")`, the citation of the norm.
    pub source: Option<String>,
    /// `file:line:col` of the rule.
    pub place: String,
    /// The bill that introduces the rule, if a bill does.
    pub bill: Option<String>,
}

/// A `pred` declaration's templates.
#[derive(Clone, Debug)]
struct Template {
    params: Vec<String>,
    texts: Vec<(Lang, String)>,
}

/// The labelled rules of the law and the bills, with what reports cite of them.
#[derive(Clone, Debug, Default)]
pub struct Catalogue {
    rules: HashMap<String, RuleInfo>,
    /// `(name, negated, arity)` → template.
    templates: HashMap<(String, bool, usize), Template>,
    /// Bill superiority pairs: `(stronger, weaker, bill)`.
    pub bill_priorities: Vec<(String, String, String)>,
}

impl Catalogue {
    /// The catalogue of `modules` (the law and the bills), the bills' rules marked.
    pub fn new(sources: &SourceMap, modules: &[&Module], amendments: &Amendments) -> Catalogue {
        let mut catalogue = Catalogue::default();
        for module in modules {
            let bill = amendments.bill_of_file(module.file).map(|b| b.name.clone());
            for item in &module.items {
                match item {
                    Item::Rule(rule) => {
                        let Some(label) = &rule.label else { continue };
                        catalogue.rules.insert(
                            label.name.clone(),
                            RuleInfo {
                                source: rule.attrs.source.as_ref().map(|(s, _)| s.clone()),
                                place: sources.location(rule.span),
                                bill: bill.clone(),
                            },
                        );
                    }
                    Item::Superiority(pair) => {
                        if let Some(bill) = &bill {
                            catalogue.bill_priorities.push((
                                pair.stronger.name.clone(),
                                pair.weaker.name.clone(),
                                bill.clone(),
                            ));
                        }
                    }
                    Item::Pred(decl) => {
                        catalogue.templates.insert(
                            (decl.name.name.clone(), decl.negated, decl.params.len()),
                            Template {
                                params: decl.params.iter().map(|p| p.name.clone()).collect(),
                                texts: decl
                                    .templates
                                    .iter()
                                    .map(|(lang, text, _)| (*lang, text.clone()))
                                    .collect(),
                            },
                        );
                    }
                    _ => {}
                }
            }
        }
        catalogue
    }

    /// What is known of the rule with this label.
    pub fn rule(&self, label: &str) -> Option<&RuleInfo> {
        self.rules.get(label)
    }

    /// The literal in words from its `pred` template in `lang` (the other language when that
    /// one is missing); `None` without a template.
    pub fn sentence(
        &self,
        pred: &str,
        negated: bool,
        args: &[Value],
        lang: Lang,
    ) -> Option<String> {
        let template = self
            .templates
            .get(&(pred.to_string(), negated, args.len()))?;
        let text = template
            .texts
            .iter()
            .find(|(l, _)| *l == lang)
            .or_else(|| template.texts.first())
            .map(|(_, t)| t)?;
        let mut out = text.clone();
        for (param, value) in template.params.iter().zip(args) {
            out = out.replace(&format!("{{{param}}}"), &value.to_string());
        }
        Some(out)
    }
}
