//! The forms of the case page, generated from the typed vocabulary: each predicate a case may
//! state (the `pred` declarations of the knowledge base's `vocabulary` module) with its
//! sentence in each language and the type of each argument; each type with what it takes —
//! any name (an entity kind such as `organisation`), one of a list (an enumeration such as
//! `purpose`), a date, an integer or a text.

use std::collections::BTreeMap;

use grondslag::load::{Origin, Workspace};
use grondslag::syntax::ast::{Item, Lang, TypeValues, PRIMITIVE_TYPES};

/// What the forms are made of; sent to the page as JSON.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Form {
    pub types: BTreeMap<String, TypeForm>,
    pub preds: Vec<PredForm>,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct TypeForm {
    /// `entity`, `enumeration`, `date`, `integer` or `text`.
    pub kind: &'static str,
    /// An enumeration's values, in declaration order.
    pub values: Vec<String>,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct PredForm {
    pub name: String,
    pub args: Vec<ArgForm>,
    /// The sentence, `{Param}` where an argument goes.
    pub nl: Option<String>,
    pub en: Option<String>,
    pub fr: Option<String>,
    pub source: Option<String>,
    /// Some rule of the knowledge base concludes it (`lawful`, `basis`, and presumptions
    /// such as `legal_task`): a case may still state it, but it is rarely what one means.
    pub concluded: bool,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct ArgForm {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: Option<String>,
}

impl PredForm {
    /// The sentence in `lang` with a gap for each argument, for a list of choices.
    pub fn label(&self, lang: Lang) -> String {
        let template = match lang {
            Lang::Nl => self.nl.as_ref().or(self.en.as_ref()),
            Lang::En => self.en.as_ref().or(self.nl.as_ref()),
            Lang::Fr => self.fr.as_ref().or(self.en.as_ref()).or(self.nl.as_ref()),
        };
        let Some(template) = template else {
            return self.name.clone();
        };
        let mut out = String::new();
        let mut rest = template.as_str();
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            match rest[open..].find('}') {
                Some(close) => {
                    out.push('…');
                    rest = &rest[open + close + 1..];
                }
                None => {
                    rest = &rest[open..];
                    break;
                }
            }
        }
        out.push_str(rest);
        format!("{} — {}", self.name, out)
    }
}

impl Form {
    /// The forms of what the knowledge base in `ws` declares.
    pub fn of(ws: &Workspace) -> Form {
        let mut form = Form::default();
        for name in PRIMITIVE_TYPES {
            form.types.insert(
                name.to_string(),
                TypeForm {
                    kind: name,
                    values: Vec::new(),
                },
            );
        }
        let knowledge = || ws.modules.iter().filter(|m| m.origin == Origin::Knowledge);
        for loaded in knowledge() {
            for item in &loaded.module.items {
                let Item::Type(decl) = item else { continue };
                let entry = form
                    .types
                    .entry(decl.name.name.clone())
                    .or_insert(TypeForm {
                        kind: "entity",
                        values: Vec::new(),
                    });
                match &decl.values {
                    TypeValues::Entity => {}
                    TypeValues::Enumeration(values) | TypeValues::Extension(values) => {
                        entry.kind = "enumeration";
                        entry.values.extend(values.iter().map(|v| v.name.clone()));
                    }
                }
            }
        }
        // The public case vocabulary, where the knowledge base has one; else every typed
        // declaration.
        let is_vocabulary = |m: &&grondslag::load::LoadedModule| {
            m.module
                .header
                .as_ref()
                .is_some_and(|h| h.name.name == "vocabulary")
        };
        let has_vocabulary = knowledge().any(|m| is_vocabulary(&m));
        let concluded: std::collections::HashSet<&str> = knowledge()
            .flat_map(|m| m.module.items.iter())
            .filter_map(|item| match item {
                Item::Rule(rule) if !rule.body.is_empty() => {
                    Some(rule.head.atom.pred.name.as_str())
                }
                _ => None,
            })
            .collect();
        for loaded in knowledge().filter(|m| !has_vocabulary || is_vocabulary(m)) {
            for item in &loaded.module.items {
                let Item::Pred(decl) = item else { continue };
                if decl.negated || decl.attrs.input.is_some() || decl.params.is_empty() {
                    continue;
                }
                if !has_vocabulary && decl.param_types.iter().all(Option::is_none) {
                    continue;
                }
                if form.preds.iter().any(|p| p.name == decl.name.name) {
                    continue;
                }
                let template = |lang| {
                    decl.templates
                        .iter()
                        .find(|(l, _, _)| *l == lang)
                        .map(|(_, t, _)| t.clone())
                };
                form.preds.push(PredForm {
                    name: decl.name.name.clone(),
                    args: decl
                        .params
                        .iter()
                        .zip(&decl.param_types)
                        .map(|(param, ty)| ArgForm {
                            name: param.name.clone(),
                            ty: ty.as_ref().map(|t| t.name.clone()),
                        })
                        .collect(),
                    nl: template(Lang::Nl),
                    en: template(Lang::En),
                    fr: template(Lang::Fr),
                    source: decl.attrs.source.as_ref().map(|(s, _)| s.clone()),
                    concluded: concluded.contains(decl.name.name.as_str()),
                });
            }
        }
        form
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use grondslag::driver;
    use grondslag::load::KnowledgeBase;

    #[test]
    fn the_bundled_vocabulary_gives_typed_forms() {
        let ws = driver::load(
            &KnowledgeBase::Bundled,
            &[],
            &[],
            grondslag::load::DEFAULT_MAX_FILE_SIZE,
        );
        let form = Form::of(&ws);
        let org_type = form
            .preds
            .iter()
            .find(|p| p.name == "org_type")
            .expect("org_type");
        assert_eq!(org_type.args.len(), 2);
        assert_eq!(org_type.args[1].ty.as_deref(), Some("organisation_type"));
        let types = &form.types["organisation_type"];
        assert_eq!(types.kind, "enumeration");
        assert!(types.values.iter().any(|v| v == "municipality"));
        assert_eq!(form.types["organisation"].kind, "entity");
        // Conclusions of the knowledge base are marked as such.
        let concluded = |name: &str| {
            form.preds
                .iter()
                .find(|p| p.name == name)
                .unwrap()
                .concluded
        };
        assert!(concluded("lawful") && concluded("legal_task"));
        assert!(!concluded("org_type") && !concluded("disclosure"));
        assert!(org_type.label(Lang::En).contains("organisation of type"));
    }
}
