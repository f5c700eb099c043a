//! The vocabulary of everything loaded: the declared types, the type of each argument of each
//! declared predicate, and which predicates are declared, concluded or read. The checks of
//! facts, queries and expectations (`known`, `values`, `expectations`, `negatives`) consult it.
//!
//! `type_declarations` reports the problems of the declarations themselves: `unknown_type`
//! (a `pred` argument of an undeclared type, `+=` on an undeclared enumeration) and
//! `duplicate_type`.

use rustc_hash::{FxHashMap, FxHashSet};

use super::names::nearest;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::{BodyItem, Item, Module, ModuleKind, TypeValues, PRIMITIVE_TYPES};
use crate::value::Kind;

/// What values an argument takes.
#[derive(Clone, Debug, PartialEq)]
pub enum Type<'a> {
    /// Any name or text: an entity the case names (`organisation`, `processing`).
    Entity,
    /// Exactly these names (`purpose`, `data_kind`), in declaration order.
    Enumeration(Vec<&'a str>),
    /// `date`, `integer`, `text`.
    Primitive(Kind),
}

/// A declared type with its name.
#[derive(Clone, Copy, Debug)]
pub struct Typed<'v, 'a> {
    /// The type's name (`purpose`, `date`).
    pub name: &'a str,
    /// What values it takes.
    pub ty: &'v Type<'a>,
}

/// What the modules loaded together declare and define, for the checks of what a file states
/// and asks.
#[derive(Default)]
pub struct Vocabulary<'a> {
    types: FxHashMap<&'a str, (Type<'a>, Span)>,
    /// Per declared predicate, the type name of each argument (`None`: any value), from the
    /// first declaration that gives types.
    signatures: FxHashMap<&'a str, Vec<Option<&'a str>>>,
    /// Predicates with a `pred` declaration.
    declared: FxHashSet<&'a str>,
    /// Predicates some rule concludes, or facts of a module that defines (see [`defines`]).
    concluded: FxHashSet<&'a str>,
    /// Predicates stated as facts in a case (or another module that does not define).
    stated: FxHashSet<&'a str>,
    /// Predicates some rule body reads.
    read: FxHashSet<&'a str>,
    /// `~p` read by some rule body (positively or under `not`).
    read_negated: FxHashSet<&'a str>,
    /// `p` concluded by a rule with a body, or a defeasible rule (what a stated `~p` can meet).
    derived: FxHashSet<&'a str>,
    suggestions: std::cell::OnceCell<Vec<&'a str>>,
    problems: Vec<Diagnostic>,
}

impl<'a> Vocabulary<'a> {
    /// The vocabulary of `modules`, loaded together.
    pub fn of(modules: &[&'a Module]) -> Vocabulary<'a> {
        let mut v = Vocabulary::default();
        let items = || modules.iter().flat_map(|m| m.items.iter());
        for item in items() {
            match item {
                Item::Pred(p) => {
                    v.declared.insert(&p.name.name);
                }
                Item::Type(t) => v.declare_type(t),
                _ => {}
            }
        }
        for item in items() {
            if let Item::Type(t) = item {
                v.extend_type(t);
            }
        }
        let has_declarations = !v.declared.is_empty();
        for module in modules {
            let defines = defines(module, has_declarations);
            for item in &module.items {
                match item {
                    Item::Pred(p) => v.sign(p),
                    Item::Rule(r) => {
                        let name = r.head.atom.pred.name.as_str();
                        if !r.is_fact() {
                            v.concluded.insert(name);
                            if !r.head.negated {
                                v.derived.insert(name);
                            }
                        } else if defines {
                            v.concluded.insert(name);
                        } else {
                            v.stated.insert(name);
                        }
                        v.read_body(&r.body);
                    }
                    _ => {}
                }
            }
        }
        v
    }

    fn declare_type(&mut self, t: &'a crate::syntax::ast::TypeDecl) {
        let name = t.name.name.as_str();
        let ty = match &t.values {
            TypeValues::Entity => Type::Entity,
            TypeValues::Enumeration(values) => {
                Type::Enumeration(values.iter().map(|v| v.name.as_str()).collect())
            }
            TypeValues::Extension(_) => return,
        };
        if PRIMITIVE_TYPES.contains(&name) {
            self.problems.push(
                Diagnostic::new(
                    Code::DuplicateType,
                    format!("`{name}` is a built-in type and cannot be declared again"),
                )
                .at(t.name.span)
                .hint("choose another name"),
            );
            return;
        }
        match self.types.get(name) {
            Some((_, first)) => self.problems.push(
                Diagnostic::new(Code::DuplicateType, format!("the type `{name}` is declared twice"))
                    .at(t.name.span)
                    .also(*first, "first declared here")
                    .hint(format!(
                        "declare it once; to add values to an enumeration, write `type {name} += value.`"
                    )),
            ),
            None => {
                self.types.insert(name, (ty, t.name.span));
            }
        }
    }

    /// `type t += a | b.`: more values for an enumeration.
    fn extend_type(&mut self, t: &'a crate::syntax::ast::TypeDecl) {
        let TypeValues::Extension(values) = &t.values else {
            return;
        };
        let name = t.name.name.as_str();
        match self.types.get_mut(name) {
            Some((Type::Enumeration(known), _)) => {
                known.extend(values.iter().map(|v| v.name.as_str()))
            }
            Some(_) => self.problems.push(
                Diagnostic::new(
                    Code::UnknownType,
                    format!("`{name}` is not an enumeration, so it takes no more values"),
                )
                .at(t.name.span)
                .hint("only a type declared with `= a | b` lists its values"),
            ),
            None => {
                let d = self.unknown_type(name, t.name.span);
                self.problems.push(d);
            }
        }
    }

    /// Record the argument types of a declaration, checking that each names a type.
    fn sign(&mut self, p: &'a crate::syntax::ast::PredDecl) {
        if p.param_types.iter().all(Option::is_none) {
            return;
        }
        let mut signature = Vec::with_capacity(p.param_types.len());
        for ty in &p.param_types {
            signature.push(match ty {
                Some(t) if self.resolve(&t.name).is_none() => {
                    let d = self.unknown_type(&t.name, t.span);
                    self.problems.push(d);
                    None
                }
                Some(t) => Some(t.name.as_str()),
                None => None,
            });
        }
        self.signatures
            .entry(p.name.name.as_str())
            .or_insert(signature);
    }

    fn unknown_type(&self, name: &str, span: Span) -> Diagnostic {
        let mut known: Vec<&str> = self.types.keys().copied().collect();
        known.extend(PRIMITIVE_TYPES);
        let d =
            Diagnostic::new(Code::UnknownType, format!("no type `{name}` is declared")).at(span);
        match nearest(name, &known) {
            Some(near) => d.hint(format!("did you mean `{near}`?")),
            None => d.hint(format!(
                "declare it: `type {name}.` for any name, `type {name} = a | b.` for a closed list; or use `date`, `integer`, `text`"
            )),
        }
    }

    fn read_body(&mut self, body: &'a [BodyItem]) {
        for item in body {
            match item {
                BodyItem::Literal(l) | BodyItem::Not(l, _) => {
                    let name = l.atom.pred.name.as_str();
                    self.read.insert(name);
                    if l.negated {
                        self.read_negated.insert(name);
                    }
                }
                BodyItem::Aggregate(a) => self.read_body(&a.body),
                BodyItem::Compare(..) => {}
            }
        }
    }

    /// The type called `name`, built-in or declared.
    fn resolve(&self, name: &str) -> Option<&Type<'a>> {
        const DATE: Type = Type::Primitive(Kind::Date);
        const INTEGER: Type = Type::Primitive(Kind::Int);
        const TEXT: Type = Type::Primitive(Kind::Text);
        match name {
            "date" => Some(&DATE),
            "integer" => Some(&INTEGER),
            "text" => Some(&TEXT),
            _ => self.types.get(name).map(|(t, _)| t),
        }
    }

    /// The type of argument `index` of `pred`, when declared.
    pub fn argument(&self, pred: &str, index: usize) -> Option<Typed<'_, 'a>> {
        let name = (*self.signatures.get(pred)?.get(index)?)?;
        Some(Typed {
            name,
            ty: self.resolve(name)?,
        })
    }

    /// Whether any `pred` declaration gives argument types.
    pub fn has_types(&self) -> bool {
        !self.signatures.is_empty()
    }

    /// Whether any `pred` declaration is loaded: then an unknown predicate is an error.
    pub fn has_declarations(&self) -> bool {
        !self.declared.is_empty()
    }

    /// Whether `pred` may be stated as a fact in a case: declared, concluded by a rule (or by
    /// the facts of a module that defines), or read by a rule.
    pub fn may_state(&self, pred: &str) -> bool {
        self.declared.contains(pred) || self.concluded.contains(pred) || self.read.contains(pred)
    }

    /// Whether `pred` may be asked about: as [`Self::may_state`], or stated in a case.
    pub fn may_ask(&self, pred: &str) -> bool {
        self.may_state(pred) || self.stated.contains(pred)
    }

    /// Whether a stated `~pred(...)` can mean something: a rule reads `~pred`, or a rule
    /// concludes `pred` (which the stated negative then meets).
    pub fn negation_matters(&self, pred: &str) -> bool {
        self.read_negated.contains(pred) || self.derived.contains(pred)
    }

    /// The names to suggest instead of an unknown predicate (gathered once, when first asked).
    pub fn predicates(&self) -> &[&'a str] {
        self.suggestions.get_or_init(|| {
            let mut all: Vec<&str> = self
                .declared
                .iter()
                .chain(&self.concluded)
                .chain(&self.read)
                .copied()
                .collect();
            all.sort_unstable();
            all.dedup();
            all
        })
    }

    /// The enumerations, for completion: each type name with its values.
    pub fn enumerations(&self) -> impl Iterator<Item = (&'a str, &[&'a str])> + '_ {
        self.types.iter().filter_map(|(name, (ty, _))| match ty {
            Type::Enumeration(values) => Some((*name, values.as_slice())),
            _ => None,
        })
    }

    /// The declared argument types of `pred`.
    pub fn signature(&self, pred: &str) -> Option<&[Option<&'a str>]> {
        self.signatures.get(pred).map(Vec::as_slice)
    }

    /// The problems of the declarations themselves.
    pub fn take_problems(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.problems)
    }
}

/// Whether the facts of `module` define their predicates. The facts of a knowledge-base module
/// (a file with a `module` header, or a bill) do; the facts of a case, a file without header or
/// a REPL input state a case in the loaded vocabulary and must use its predicates. Without any
/// `pred` declaration (a plain Datalog program) every file but a case defines.
pub fn defines(module: &Module, has_declarations: bool) -> bool {
    match module.kind() {
        ModuleKind::Case => false,
        ModuleKind::Bill => true,
        ModuleKind::Module => module.header.is_some() || !has_declarations,
    }
}

#[cfg(test)]
mod tests {
    use crate::check::check;
    use crate::diagnostic::{Diagnostic, Severity};
    use crate::source::SourceMap;
    use crate::syntax::parse;

    /// The codes and severities `check` gives for files loaded together.
    fn found(files: &[&str]) -> Vec<(String, Severity, String)> {
        let mut sources = SourceMap::new();
        let modules: Vec<_> = files
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let file = sources.add(format!("f{i}.law"), *text);
                let (module, syntax) = parse(&sources, file);
                assert!(syntax.is_empty(), "{syntax:?}");
                module
            })
            .collect();
        let refs: Vec<_> = modules.iter().collect();
        check(&sources, &refs)
            .into_iter()
            .map(|d: Diagnostic| {
                (
                    d.code.as_str().to_string(),
                    d.severity,
                    d.hint.unwrap_or_default(),
                )
            })
            .collect()
    }

    const LAW: &str = "module law \"Law\".\n\
        type organisation.\n\
        type purpose = care | youth_care.\n\
        pred purpose(D, P: purpose).\n\
        pred org(O: organisation).\n\
        pred age(S, Y: integer).\n\
        lawful(D) :- purpose(D, care), org(D).\n";

    #[test]
    fn a_case_states_facts_in_the_vocabulary() {
        let case = "case c \"C\" date 2024-01-01.\npurpose(d1, care). org(d1). age(p, 3).\nexpect lawful(d1).";
        assert_eq!(found(&[LAW, case]), vec![]);
        let typo =
            "case c \"C\" date 2024-01-01.\npurpse(d1, care). purpose(d1, kare). org(2024-01-01).";
        assert_eq!(
            found(&[LAW, typo]),
            vec![
                (
                    "unknown_predicate".into(),
                    Severity::Error,
                    "did you mean `purpose`?".into()
                ),
                (
                    "unknown_value".into(),
                    Severity::Error,
                    "did you mean `care`?".into()
                ),
                (
                    "argument_type".into(),
                    Severity::Error,
                    "dates are written YYYY-MM-DD; a name is written without dashes".into()
                ),
            ]
        );
    }

    #[test]
    fn a_variable_where_two_types_share_no_value_never_holds() {
        let rules = "p(D) :- purpose(D, P), age(D, P).\n\
                     q(D) :- purpose(D, P), org(P).\n\
                     ?- age(S, Y), purpose(S, Y).\n\
                     r(N) :- N = count { P : purpose(D, P) }, age(D, N).";
        let codes: Vec<String> = found(&[LAW, rules])
            .into_iter()
            .map(|(c, _, _)| c)
            .collect();
        // `q`: an organisation is any name, so a purpose may be one; `r`: `P` is the
        // aggregate's own.
        assert_eq!(codes, ["argument_type", "argument_type"]);
    }

    #[test]
    fn an_enumeration_may_be_extended_but_not_declared_twice() {
        let case =
            "case c \"C\" date 2024-01-01.\ntype purpose += research.\npurpose(d1, research).";
        assert_eq!(found(&[LAW, case]), vec![]);
        let twice = "type purpose = research.";
        assert_eq!(found(&[LAW, twice])[0].0, "duplicate_type");
        let unknown = "type purpos += research.\npred p(X: purpos).";
        let problems = found(&[LAW, unknown]);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems
            .iter()
            .all(|(c, _, h)| c == "unknown_type" && h == "did you mean `purpose`?"));
        assert_eq!(
            found(&[LAW, "type organisation += x."])[0].0,
            "unknown_type"
        );
        assert_eq!(found(&["type date."])[0].0, "duplicate_type");
    }

    #[test]
    fn without_declarations_an_unknown_predicate_is_a_warning() {
        // A plain program: the facts of a file without header define their predicates.
        assert_eq!(
            found(&["edge(1, 2). path(X, Y) :- edge(X, Y). ?- path(1, Y)."]),
            vec![]
        );
        let asked = found(&["edge(1, 2). ?- egde(1, Y)."]);
        assert_eq!(
            asked,
            vec![(
                "unknown_predicate".into(),
                Severity::Warning,
                "did you mean `edge`?".into()
            )]
        );
        // A case's facts must be used by something even there.
        let case = found(&["case c \"C\" date 2024-01-01.\nedge(1, 2)."]);
        assert_eq!(case[0].0, "unknown_predicate");
        assert_eq!(case[0].1, Severity::Warning);
    }

    #[test]
    fn a_file_without_header_is_a_case_once_a_vocabulary_is_loaded() {
        let problems = found(&[LAW, "purpse(d1, care)."]);
        assert_eq!(problems[0].0, "unknown_predicate");
        assert_eq!(problems[0].1, Severity::Error);
    }

    #[test]
    fn expectations_must_be_about_the_case() {
        let case = "case c \"C\" date 2024-01-01.\npurpose(d1, care).\n\
                    expect lawful(d1). expect not lawful(d9). expect undecided lawful(d9).\n\
                    expect ~lawful(d9). expect lawfull(d1).";
        let codes: Vec<String> = found(&[LAW, case]).into_iter().map(|(c, _, _)| c).collect();
        assert_eq!(
            codes,
            [
                "vacuous_expectation",
                "vacuous_expectation",
                "vacuous_expectation",
                "unknown_predicate"
            ]
        );
        // In the knowledge base itself, an expectation is about the facts of the law.
        let law = "module m \"M\".\nkind(a). expect kind(a). expect kind(b).";
        let codes: Vec<String> = found(&[law]).into_iter().map(|(c, _, _)| c).collect();
        assert_eq!(codes, ["vacuous_expectation"]);
        // Facts read from files are not seen by the check: nothing is called vacuous then.
        let input = "@input(\"e.tsv\") pred e(A, B).\nexpect e(a, b).";
        assert_eq!(found(&[input]), vec![]);
    }

    #[test]
    fn a_stated_negative_matters_only_where_a_rule_meets_it() {
        let law = "module m \"M\".\npred informed(D). pred consent(D). pred task(D).\n\
                   bad(D) :- ~informed(D), consent(D).\ndefault task(D) :- consent(D).";
        let case =
            "case c \"C\" date 2024-01-01.\n~informed(d1). ~task(d1). ~consent(d1). consent(d1).";
        let problems = found(&[law, case]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].0, "unread_negation");
        assert_eq!(problems[0].1, Severity::Warning);
    }
}
