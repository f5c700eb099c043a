//! What the session knows by name: predicates with their arity (and the argument names a
//! `pred` declaration gives them), the symbols that occur in the loaded text, the values of
//! the declared enumerations, and rule labels.
//! Completion, hints and `:preds` read it.

use std::collections::{BTreeMap, BTreeSet};

use grondslag::load::Workspace;
use grondslag::syntax::ast::{BodyItem, Item, Lang, Literal, Term, TypeValues};
use grondslag::value::Value;

#[derive(Clone, Debug, Default)]
pub struct Vocabulary {
    /// `(name, arity)` → what is known about the predicate.
    pub predicates: BTreeMap<(String, usize), Predicate>,
    pub symbols: BTreeSet<String>,
    pub labels: BTreeSet<String>,
    /// Each declared enumeration (`type purpose = care | ...`) with its values.
    pub enumerations: BTreeMap<String, Vec<String>>,
}

#[derive(Clone, Debug, Default)]
pub struct Predicate {
    /// Argument names from a `pred` declaration.
    pub params: Option<Vec<String>>,
    /// The declared type of each argument (`O: organisation`), where given.
    pub types: Vec<Option<String>>,
    /// Its `pred` templates (Dutch, English), unrendered.
    pub templates: Vec<(Lang, String)>,
    /// Facts stated (in `.law` text and `@input` files).
    pub facts: usize,
    /// Rules (strict, defeasible, defeaters) concluding it or its strong negation.
    pub rules: usize,
}

impl Vocabulary {
    pub fn of(ws: &Workspace) -> Vocabulary {
        let mut v = Vocabulary::default();
        for loaded in &ws.modules {
            for item in &loaded.module.items {
                v.item(item);
            }
        }
        for input in &ws.inputs {
            let arity = input.rows.first().map_or(0, Vec::len);
            v.predicate(&input.pred, arity).facts += input.rows.len();
            for row in &input.rows {
                row.iter().for_each(|value| v.value(value));
            }
        }
        v
    }

    fn predicate(&mut self, name: &str, arity: usize) -> &mut Predicate {
        self.predicates
            .entry((name.to_string(), arity))
            .or_default()
    }

    fn item(&mut self, item: &Item) {
        match item {
            Item::Rule(rule) => {
                if let Some(label) = &rule.label {
                    self.labels.insert(label.name.clone());
                }
                let is_fact = rule.is_fact();
                let head = self.literal(&rule.head);
                if is_fact {
                    head.facts += 1;
                } else {
                    head.rules += 1;
                }
                rule.body.iter().for_each(|b| self.body_item(b));
            }
            Item::Pred(decl) => {
                let params = decl.params.iter().map(|p| p.name.clone()).collect();
                let predicate = self.predicate(&decl.name.name, decl.params.len());
                predicate.params = Some(params);
                if decl.param_types.iter().any(Option::is_some) {
                    predicate.types = decl
                        .param_types
                        .iter()
                        .map(|t| t.as_ref().map(|t| t.name.clone()))
                        .collect();
                }
                // The templates of `p`, not of `~p`, describe the predicate.
                if !decl.negated {
                    predicate.templates = decl
                        .templates
                        .iter()
                        .map(|(lang, text, _)| (*lang, text.clone()))
                        .collect();
                }
            }
            Item::Query(query) => query.body.iter().for_each(|b| self.body_item(b)),
            Item::Expect(expect) => {
                self.literal(&expect.literal);
            }
            Item::Type(decl) => match &decl.values {
                TypeValues::Enumeration(values) | TypeValues::Extension(values) => self
                    .enumerations
                    .entry(decl.name.name.clone())
                    .or_default()
                    .extend(values.iter().map(|v| v.name.clone())),
                TypeValues::Entity => {}
            },
            Item::Superiority(_) | Item::Repeal(_) => {}
        }
    }

    fn literal(&mut self, literal: &Literal) -> &mut Predicate {
        literal.atom.args.iter().for_each(|t| self.term(t));
        self.predicate(&literal.atom.pred.name, literal.atom.args.len())
    }

    fn body_item(&mut self, item: &BodyItem) {
        match item {
            BodyItem::Literal(l) | BodyItem::Not(l, _) => {
                self.literal(l);
            }
            BodyItem::Compare(a, _, b, _) => {
                self.term(a);
                self.term(b);
            }
            BodyItem::Aggregate(agg) => agg.body.iter().for_each(|b| self.body_item(b)),
        }
    }

    fn term(&mut self, term: &Term) {
        match term {
            Term::Const(value, _) => self.value(value),
            Term::Arith(a, _, b, _) => {
                self.term(a);
                self.term(b);
            }
            Term::Neg(a, _) => self.term(a),
            Term::Var(_) | Term::Anonymous(_) => {}
        }
    }

    fn value(&mut self, value: &Value) {
        if let Value::Text(text) = value {
            if Value::is_symbol_text(text) {
                self.symbols.insert(text.to_string());
            }
        }
    }

    /// The predicate's `pred` template in `lang`, else in the other language.
    pub fn template(&self, name: &str, arity: usize, lang: Lang) -> Option<String> {
        let templates = &self.predicates.get(&(name.to_string(), arity))?.templates;
        templates
            .iter()
            .find(|(l, _)| *l == lang)
            .or_else(|| templates.first())
            .map(|(_, text)| text.clone())
    }

    /// The values of argument `index` of `name`, when its declared type is an enumeration.
    pub fn values_of(&self, name: &str, index: usize) -> Option<&[String]> {
        let (_, predicate) = self
            .predicates
            .range((name.to_string(), 0)..)
            .take_while(|((n, _), _)| n == name)
            .find(|(_, p)| !p.types.is_empty())?;
        let ty = predicate.types.get(index)?.as_ref()?;
        self.enumerations.get(ty).map(Vec::as_slice)
    }

    /// `name(A: type, B)` with the declared argument names and types, else `name(_, _)`.
    pub fn signature(&self, name: &str, arity: usize) -> String {
        if arity == 0 {
            return name.to_string();
        }
        let predicate = self.predicates.get(&(name.to_string(), arity));
        let params = predicate
            .and_then(|p| p.params.clone())
            .unwrap_or_else(|| vec!["_".to_string(); arity]);
        let types = predicate.map_or(&[][..], |p| p.types.as_slice());
        let params: Vec<String> = params
            .into_iter()
            .enumerate()
            .map(|(i, param)| match types.get(i) {
                Some(Some(ty)) => format!("{param}: {ty}"),
                _ => param,
            })
            .collect();
        format!("{name}({})", params.join(", "))
    }
}
