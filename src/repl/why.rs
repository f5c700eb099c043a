//! `:why`, `:whynot` and `:explain`, with what the engine can say today: the status of the
//! literal, and one step of the reasoning — for `why`, each rule or fact that concludes it
//! with the premises that hold; for `why not`, each rule that could conclude it with the first
//! premise that fails, or, when the rule applies, the rules that may beat it.
//!
//! The explanation graphs of SPEC §6 (issue 3, `crate::explain`) will replace the body of
//! [`explain`]: the derivation down to the facts, attacks and defeats, `@source` citations
//! and the `pred` templates in every step. Until then the output says what it leaves out.

use std::collections::{BTreeSet, HashMap};
use std::fmt::{self, Write as _};

use crate::load::Workspace;
use crate::model::{Answer, Model, Status};
use crate::syntax::ast::{
    Aggregate, BodyItem, CmpOp, Ident, Item, Lang, Literal, Query, Rule, RuleKind, Term,
};
use crate::value::{Date, Value};

use super::vocabulary::Vocabulary;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ask {
    Why,
    WhyNot,
    /// Whichever of the two applies.
    Either,
}

pub struct Context<'a> {
    pub ws: &'a Workspace,
    pub model: &'a Model,
    pub vocabulary: &'a Vocabulary,
    pub as_of: Option<Date>,
    pub lang: Lang,
}

/// At most this many ways a rule applies are shown.
const MAX_INSTANCES: usize = 3;

/// A ground literal asked about.
struct Goal {
    pred: String,
    negated: bool,
    args: Vec<Value>,
}

impl Goal {
    fn of(literal: &Literal) -> Option<Goal> {
        let args = literal
            .atom
            .args
            .iter()
            .map(|t| match t {
                Term::Const(v, _) => Some(v.clone()),
                _ => None,
            })
            .collect::<Option<_>>()?;
        Some(Goal {
            pred: literal.atom.pred.name.clone(),
            negated: literal.negated,
            args,
        })
    }

    fn complement(&self) -> Goal {
        Goal {
            negated: !self.negated,
            pred: self.pred.clone(),
            args: self.args.clone(),
        }
    }
}

impl fmt::Display for Goal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.negated { "~" } else { "" };
        if self.args.is_empty() {
            return write!(f, "{sign}{}", self.pred);
        }
        let args: Vec<String> = self.args.iter().map(Value::to_string).collect();
        write!(f, "{sign}{}({})", self.pred, args.join(", "))
    }
}

pub fn explain(cx: &Context, literal: &Literal, ask: Ask) -> String {
    let mut out = String::new();
    let Some(goal) = Goal::of(literal) else {
        return "give an atom without variables, such as `lawful(d1)`.\n".into();
    };
    let status = cx.model.status(&goal.pred, goal.negated, &goal.args);
    let holds = status.is_some_and(Status::is_provable);
    let _ = writeln!(out, "{goal}  {}", verdict(cx, &goal, status));
    if let Some(sentence) = sentence(cx, &goal) {
        let _ = writeln!(out, "  “{sentence}”");
    }
    let ask = match ask {
        Ask::Either if holds => Ask::Why,
        Ask::Either => Ask::WhyNot,
        ask => ask,
    };
    match (ask, holds) {
        (Ask::WhyNot, true) => {
            out.push_str("it holds; here is why:\n");
            why(cx, &goal, &mut out);
        }
        (_, true) => why(cx, &goal, &mut out),
        (Ask::Why, false) => {
            out.push_str("it does not hold; here is why not:\n");
            why_not(cx, &goal, &mut out);
        }
        (_, false) => why_not(cx, &goal, &mut out),
    }
    out.push_str(
        "(one step of the reasoning; the full derivation down to the facts, with the rules \
         defeated on the way, comes with the explanation graphs of issue 3)\n",
    );
    out
}

fn verdict(cx: &Context, goal: &Goal, status: Option<Status>) -> String {
    let complement = goal.complement();
    match status {
        Some(s) if s.is_provable() => s.as_str().to_string(),
        _ => match cx
            .model
            .status(&complement.pred, complement.negated, &complement.args)
        {
            Some(s) if s.is_provable() => {
                format!(
                    "refuted: its complement {complement} holds ({})",
                    s.as_str()
                )
            }
            _ => match status {
                Some(s) => s.as_str().to_string(),
                None => "does not hold: nothing concludes it".to_string(),
            },
        },
    }
}

/// The literal in words, from its `pred` template.
fn sentence(cx: &Context, goal: &Goal) -> Option<String> {
    let decl = cx
        .ws
        .modules
        .iter()
        .flat_map(|m| m.module.items.iter())
        .find_map(|item| match item {
            Item::Pred(d)
                if d.name.name == goal.pred
                    && d.negated == goal.negated
                    && d.params.len() == goal.args.len() =>
            {
                Some(d)
            }
            _ => None,
        })?;
    let text = pick_template(&decl.templates, cx.lang)?;
    let mut sentence = text.to_string();
    for (param, value) in decl.params.iter().zip(&goal.args) {
        let raw = match value {
            Value::Text(t) => t.to_string(),
            other => other.to_string(),
        };
        sentence = sentence.replace(&format!("{{{}}}", param.name), &raw);
    }
    Some(sentence)
}

fn pick_template(templates: &[(Lang, String, crate::source::Span)], lang: Lang) -> Option<&str> {
    templates
        .iter()
        .find(|(l, ..)| *l == lang)
        .or_else(|| templates.first())
        .map(|(_, text, _)| text.as_str())
}

/// The `pred` template of a predicate in the session's language, unrendered (for `:preds`).
pub fn template(
    ws: &Workspace,
    pred: &str,
    negated: bool,
    arity: usize,
    lang: Lang,
) -> Option<String> {
    ws.modules
        .iter()
        .flat_map(|m| m.module.items.iter())
        .find_map(|item| match item {
            Item::Pred(d)
                if d.name.name == pred && d.negated == negated && d.params.len() == arity =>
            {
                pick_template(&d.templates, lang).map(str::to_string)
            }
            _ => None,
        })
}

/// The rules (and facts) whose head has the goal's predicate, sign and arity.
fn candidates<'a>(cx: &Context<'a>, goal: &Goal) -> Vec<&'a Rule> {
    cx.ws
        .all_modules()
        .into_iter()
        .flat_map(|m| m.items.iter())
        .filter_map(|item| match item {
            Item::Rule(r)
                if r.head.atom.pred.name == goal.pred
                    && r.head.negated == goal.negated
                    && r.head.atom.args.len() == goal.args.len() =>
            {
                Some(r)
            }
            _ => None,
        })
        .collect()
}

fn in_force(cx: &Context, rule: &Rule) -> bool {
    match (rule.attrs.valid, cx.as_of) {
        (Some(valid), Some(date)) => valid.covers(date),
        _ => true,
    }
}

fn why(cx: &Context, goal: &Goal, out: &mut String) {
    let mut found = false;
    for rule in candidates(cx, goal) {
        if rule.kind == RuleKind::Defeater || !in_force(cx, rule) {
            continue;
        }
        let Some(bound) = bind_head(rule, goal) else {
            continue;
        };
        if rule.body.is_empty() {
            found = true;
            let kind = if rule.kind == RuleKind::Defeasible {
                "presumed (`default`)"
            } else {
                "stated as a fact"
            };
            let _ = writeln!(out, "  {kind} — {}", cx.ws.sources.location(rule.span));
            continue;
        }
        let answers = cx.model.answer(&bound.query(rule, bound.body.len()));
        let answers: Vec<&Answer> = answers.iter().filter(|a| a.status.is_provable()).collect();
        if answers.is_empty() {
            continue;
        }
        found = true;
        let _ = writeln!(out, "  {}", describe_rule(cx, rule));
        for answer in answers.iter().take(MAX_INSTANCES) {
            let bindings: HashMap<&str, &Value> = answer
                .bindings
                .iter()
                .map(|(n, v)| (n.as_str(), v))
                .collect();
            if !bindings.is_empty() {
                let list: Vec<String> = answer
                    .bindings
                    .iter()
                    .map(|(n, v)| format!("{n} = {v}"))
                    .collect();
                let _ = writeln!(out, "    with {}:", list.join(", "));
            }
            for item in &bound.body {
                let _ = writeln!(out, "      {}", premise_line(cx, item, &bindings));
            }
        }
        if answers.len() > MAX_INSTANCES {
            let _ = writeln!(out, "    (and {} more ways)", answers.len() - MAX_INSTANCES);
        }
    }
    for input in &cx.ws.inputs {
        if input.pred == goal.pred && !goal.negated && input.rows.contains(&goal.args) {
            found = true;
            let _ = writeln!(
                out,
                "  stated in the fact file of {}",
                cx.ws.sources.location(input.span)
            );
        }
    }
    if !found {
        out.push_str("  (no rule in force was found applying to it)\n");
    }
}

fn why_not(cx: &Context, goal: &Goal, out: &mut String) {
    let complement = goal.complement();
    let complement_holds = cx
        .model
        .status(&complement.pred, complement.negated, &complement.args)
        .is_some_and(Status::is_provable);
    let rules: Vec<&Rule> = candidates(cx, goal)
        .into_iter()
        .filter(|r| r.kind != RuleKind::Defeater && !r.body.is_empty())
        .collect();
    let presumed = candidates(cx, goal)
        .into_iter()
        .any(|r| r.kind == RuleKind::Defeasible && r.body.is_empty());
    if rules.is_empty() && !presumed {
        let arity = goal.args.len();
        let known = cx
            .vocabulary
            .predicates
            .contains_key(&(goal.pred.clone(), arity));
        let _ = writeln!(
            out,
            "  no rule concludes {}{}/{arity} and no fact states it.",
            if goal.negated { "~" } else { "" },
            goal.pred
        );
        if !known {
            if let Some(near) = nearest_predicate(cx.vocabulary, &goal.pred) {
                let _ = writeln!(out, "  did you mean `{near}`?");
            }
        }
    }
    for rule in rules {
        let _ = writeln!(out, "  {}", describe_rule(cx, rule));
        if !in_force(cx, rule) {
            let _ = writeln!(
                out,
                "    is not in force on {}",
                cx.as_of.map(|d| d.to_string()).unwrap_or_default()
            );
            continue;
        }
        let Some(bound) = bind_head(rule, goal) else {
            let _ = writeln!(out, "    concludes other values than these");
            continue;
        };
        match first_failure(cx, rule, &bound) {
            Some(failure) => {
                let _ = writeln!(out, "    does not apply: {failure}");
            }
            None => {
                let _ = writeln!(
                    out,
                    "    applies, but its conclusion does not stand: it is beaten or blocked"
                );
                for line in rivals(cx, rule, &complement) {
                    let _ = writeln!(out, "      {line}");
                }
            }
        }
    }
    if complement_holds {
        let _ = writeln!(
            out,
            "  its complement {complement} holds; `:why {complement}` shows why."
        );
    }
}

/// What may beat an applicable rule: stronger rules by superiority, and rules for the
/// complement that apply.
fn rivals(cx: &Context, rule: &Rule, complement: &Goal) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(label) = &rule.label {
        for item in cx.ws.all_modules().into_iter().flat_map(|m| m.items.iter()) {
            if let Item::Superiority(s) = item {
                if s.weaker.name == label.name {
                    let why = s
                        .attrs
                        .principle
                        .map(|(p, _)| format!(" ({})", p.as_str()))
                        .unwrap_or_default();
                    lines.push(format!(
                        "`{} > {}`{why} — {}",
                        s.stronger.name,
                        label.name,
                        cx.ws.sources.location(s.span)
                    ));
                }
            }
        }
    }
    for other in candidates(cx, complement) {
        if !in_force(cx, other) {
            continue;
        }
        let Some(bound) = bind_head(other, complement) else {
            continue;
        };
        let applies = other.body.is_empty()
            || !cx
                .model
                .answer(&bound.query(other, bound.body.len()))
                .is_empty();
        if applies {
            lines.push(format!("against it: {}", describe_rule(cx, other)));
        }
    }
    lines
}

/// `rule secrecy (default) — WGBO art. 7:457 BW — file:line:col`.
fn describe_rule(cx: &Context, rule: &Rule) -> String {
    let name = match &rule.label {
        Some(label) => format!("rule `{}`", label.name),
        None => "an unlabelled rule".to_string(),
    };
    let kind = match rule.kind {
        RuleKind::Strict => "",
        RuleKind::Defeasible => " (default)",
        RuleKind::Defeater => " (defeater)",
    };
    let source = rule
        .attrs
        .source
        .as_ref()
        .map(|(s, _)| format!(" — {s}"))
        .unwrap_or_default();
    format!(
        "{name}{kind}{source} — {}",
        cx.ws.sources.location(rule.span)
    )
}

/// A rule with its head bound to the goal: the body with the head's variables replaced by the
/// goal's values, and conditions for head arguments that are computed (`N + 1`).
struct Bound {
    body: Vec<BodyItem>,
    head_conditions: Vec<BodyItem>,
}

impl Bound {
    /// The query of the first `n` premises (all of them: with the head conditions too).
    fn query(&self, rule: &Rule, n: usize) -> Query {
        let mut body: Vec<BodyItem> = self.body[..n].to_vec();
        if n == self.body.len() {
            body.extend(self.head_conditions.iter().cloned());
        }
        Query {
            body,
            span: rule.span,
        }
    }
}

fn bind_head(rule: &Rule, goal: &Goal) -> Option<Bound> {
    let mut map: HashMap<String, Value> = HashMap::new();
    let mut head_conditions = Vec::new();
    for (arg, value) in rule.head.atom.args.iter().zip(&goal.args) {
        match arg {
            Term::Const(c, _) if c != value => return None,
            Term::Const(..) | Term::Anonymous(_) => {}
            Term::Var(v) => match map.get(&v.name) {
                Some(known) if known != value => return None,
                _ => {
                    map.insert(v.name.clone(), value.clone());
                }
            },
            computed => head_conditions.push(BodyItem::Compare(
                computed.clone(),
                CmpOp::Eq,
                Term::Const(value.clone(), computed.span()),
                computed.span(),
            )),
        }
    }
    let mut body: Vec<BodyItem> = rule
        .body
        .iter()
        .map(|b| substitute_item(b, &map, &mut head_conditions))
        .collect();
    let head_conditions = head_conditions
        .into_iter()
        .map(|c| substitute_item(&c, &map, &mut Vec::new()))
        .collect();
    body = order_premises(&body);
    Some(Bound {
        body,
        head_conditions,
    })
}

fn substitute_term(term: &Term, map: &HashMap<String, Value>) -> Term {
    match term {
        Term::Var(v) => match map.get(&v.name) {
            Some(value) => Term::Const(value.clone(), v.span),
            None => term.clone(),
        },
        Term::Arith(a, op, b, s) => Term::Arith(
            Box::new(substitute_term(a, map)),
            *op,
            Box::new(substitute_term(b, map)),
            *s,
        ),
        Term::Neg(a, s) => Term::Neg(Box::new(substitute_term(a, map)), *s),
        Term::Const(..) | Term::Anonymous(_) => term.clone(),
    }
}

fn substitute_literal(literal: &Literal, map: &HashMap<String, Value>) -> Literal {
    let mut literal = literal.clone();
    literal.atom.args = literal
        .atom
        .args
        .iter()
        .map(|t| substitute_term(t, map))
        .collect();
    literal
}

/// Replace bound variables in a premise. An aggregate whose result the head fixes gets a fresh
/// result variable and a condition equating it with the value.
fn substitute_item(
    item: &BodyItem,
    map: &HashMap<String, Value>,
    conditions: &mut Vec<BodyItem>,
) -> BodyItem {
    match item {
        BodyItem::Literal(l) => BodyItem::Literal(substitute_literal(l, map)),
        BodyItem::Not(l, s) => BodyItem::Not(substitute_literal(l, map), *s),
        BodyItem::Compare(a, op, b, s) => {
            BodyItem::Compare(substitute_term(a, map), *op, substitute_term(b, map), *s)
        }
        BodyItem::Aggregate(agg) => {
            let mut agg: Aggregate = agg.clone();
            agg.targets = agg
                .targets
                .iter()
                .map(|t| substitute_term(t, map))
                .collect();
            agg.body = agg
                .body
                .iter()
                .map(|b| substitute_item(b, map, conditions))
                .collect();
            if let Some(value) = map.get(&agg.result.name) {
                let fresh = Ident {
                    name: format!("_{}_result", agg.result.name),
                    span: agg.result.span,
                };
                conditions.push(BodyItem::Compare(
                    Term::Var(fresh.clone()),
                    CmpOp::Eq,
                    Term::Const(value.clone(), agg.span),
                    agg.span,
                ));
                agg.result = fresh;
            }
            BodyItem::Aggregate(agg)
        }
    }
}

fn term_vars(term: &Term, out: &mut BTreeSet<String>) {
    match term {
        Term::Var(v) => {
            out.insert(v.name.clone());
        }
        Term::Arith(a, _, b, _) => {
            term_vars(a, out);
            term_vars(b, out);
        }
        Term::Neg(a, _) => term_vars(a, out),
        Term::Const(..) | Term::Anonymous(_) => {}
    }
}

fn item_vars(item: &BodyItem) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    match item {
        BodyItem::Literal(l) | BodyItem::Not(l, _) => {
            l.atom.args.iter().for_each(|t| term_vars(t, &mut out))
        }
        BodyItem::Compare(a, _, b, _) => {
            term_vars(a, &mut out);
            term_vars(b, &mut out);
        }
        BodyItem::Aggregate(agg) => {
            out.insert(agg.result.name.clone());
            agg.targets.iter().for_each(|t| term_vars(t, &mut out));
            agg.body.iter().for_each(|b| out.extend(item_vars(b)));
        }
    }
    out
}

/// The premises in an order in which each can be tested on its own prefix: positive literals
/// as written, and every other premise as soon as the variables it shares are bound.
fn order_premises(body: &[BodyItem]) -> Vec<BodyItem> {
    let vars: Vec<BTreeSet<String>> = body.iter().map(item_vars).collect();
    // The variables a premise needs bound: for `not` and aggregates only those it shares
    // with the rest of the rule (the others are local to it); a comparison needs all.
    let needs: Vec<BTreeSet<String>> = body
        .iter()
        .enumerate()
        .map(|(i, item)| match item {
            BodyItem::Literal(_) => BTreeSet::new(),
            BodyItem::Compare(..) => vars[i].clone(),
            BodyItem::Not(..) | BodyItem::Aggregate(_) => {
                let elsewhere: BTreeSet<String> = vars
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .flat_map(|(_, v)| v.iter().cloned())
                    .collect();
                let mut shared: BTreeSet<String> =
                    vars[i].intersection(&elsewhere).cloned().collect();
                if let BodyItem::Aggregate(agg) = item {
                    shared.remove(&agg.result.name);
                }
                shared
            }
        })
        .collect();
    let mut bound: BTreeSet<String> = BTreeSet::new();
    let mut placed = vec![false; body.len()];
    let mut order = Vec::new();
    let flush =
        |bound: &mut BTreeSet<String>, placed: &mut Vec<bool>, order: &mut Vec<BodyItem>| loop {
            let ready = (0..body.len()).find(|&i| {
                !placed[i] && !matches!(body[i], BodyItem::Literal(_)) && needs[i].is_subset(bound)
            });
            let Some(i) = ready else { break };
            placed[i] = true;
            if let BodyItem::Aggregate(agg) = &body[i] {
                bound.insert(agg.result.name.clone());
            }
            order.push(body[i].clone());
        };
    flush(&mut bound, &mut placed, &mut order);
    for (i, item) in body.iter().enumerate() {
        if let BodyItem::Literal(_) = item {
            placed[i] = true;
            bound.extend(vars[i].iter().cloned());
            order.push(item.clone());
            flush(&mut bound, &mut placed, &mut order);
        }
    }
    order.extend(
        (0..body.len())
            .filter(|&i| !placed[i])
            .map(|i| body[i].clone()),
    );
    order
}

/// The first premise (in testing order) that no instance satisfies, in words.
fn first_failure(cx: &Context, rule: &Rule, bound: &Bound) -> Option<String> {
    let mut before: Vec<Answer> = vec![Answer {
        bindings: Vec::new(),
        status: Status::Definitely,
    }];
    for n in 1..=bound.body.len() {
        let answers = cx.model.answer(&bound.query(rule, n));
        if answers.is_empty() {
            let premise = &bound.body[n - 1];
            // With one way to satisfy the premises before it, show the premise filled in.
            let bindings: HashMap<&str, &Value> = match before.as_slice() {
                [one] => one.bindings.iter().map(|(k, v)| (k.as_str(), v)).collect(),
                _ => HashMap::new(),
            };
            let text = render_item(premise, &bindings);
            let reason = match premise {
                BodyItem::Literal(_) => "is not established",
                BodyItem::Not(..) => "fails: what it excludes holds",
                BodyItem::Compare(..) => "is false",
                BodyItem::Aggregate(_) => "does not hold",
            };
            let context = if n > 1 && before.len() > 1 {
                format!(
                    " (for none of the {} ways the premises before it hold)",
                    before.len()
                )
            } else {
                String::new()
            };
            return Some(format!("`{text}` {reason}{context}"));
        }
        before = answers;
    }
    if bound.body.is_empty()
        || cx
            .model
            .answer(&bound.query(rule, bound.body.len()))
            .is_empty()
    {
        return Some("its conclusion's computed arguments do not match".to_string());
    }
    None
}

/// A premise of an instance, with its status when it is a ground literal.
fn premise_line(cx: &Context, item: &BodyItem, bindings: &HashMap<&str, &Value>) -> String {
    let text = render_item(item, bindings);
    let status = match item {
        BodyItem::Literal(l) => {
            let values: Option<Vec<Value>> = l
                .atom
                .args
                .iter()
                .map(|t| term_value(t, bindings))
                .collect();
            values
                .and_then(|v| cx.model.status(&l.atom.pred.name, l.negated, &v))
                .map(|s| s.as_str().to_string())
                .unwrap_or_default()
        }
        BodyItem::Not(..) => "not provable".to_string(),
        BodyItem::Compare(..) | BodyItem::Aggregate(_) => "true".to_string(),
    };
    format!("{text:<44} {status}")
}

fn term_value(term: &Term, bindings: &HashMap<&str, &Value>) -> Option<Value> {
    match term {
        Term::Const(v, _) => Some(v.clone()),
        Term::Var(v) => bindings.get(v.name.as_str()).map(|v| (*v).clone()),
        _ => None,
    }
}

fn render_term(term: &Term, bindings: &HashMap<&str, &Value>) -> String {
    match term {
        Term::Const(v, _) => v.to_string(),
        Term::Var(v) => bindings
            .get(v.name.as_str())
            .map_or_else(|| v.name.clone(), |v| v.to_string()),
        Term::Anonymous(_) => "_".to_string(),
        Term::Arith(a, op, b, _) => format!(
            "{} {} {}",
            render_term(a, bindings),
            op.as_str(),
            render_term(b, bindings)
        ),
        Term::Neg(a, _) => format!("-{}", render_term(a, bindings)),
    }
}

fn render_literal(literal: &Literal, bindings: &HashMap<&str, &Value>) -> String {
    let sign = if literal.negated { "~" } else { "" };
    if literal.atom.args.is_empty() {
        return format!("{sign}{}", literal.atom.pred.name);
    }
    let args: Vec<String> = literal
        .atom
        .args
        .iter()
        .map(|t| render_term(t, bindings))
        .collect();
    format!("{sign}{}({})", literal.atom.pred.name, args.join(", "))
}

fn render_item(item: &BodyItem, bindings: &HashMap<&str, &Value>) -> String {
    match item {
        BodyItem::Literal(l) => render_literal(l, bindings),
        BodyItem::Not(l, _) => format!("not {}", render_literal(l, bindings)),
        BodyItem::Compare(a, op, b, _) => format!(
            "{} {} {}",
            render_term(a, bindings),
            op.as_str(),
            render_term(b, bindings)
        ),
        BodyItem::Aggregate(agg) => {
            let targets: Vec<String> = agg
                .targets
                .iter()
                .map(|t| render_term(t, bindings))
                .collect();
            let body: Vec<String> = agg.body.iter().map(|b| render_item(b, bindings)).collect();
            format!(
                "{} = {} {{ {} : {} }}",
                agg.result.name,
                agg.op.as_str(),
                targets.join(", "),
                body.join(", ")
            )
        }
    }
}

fn nearest_predicate<'a>(vocabulary: &'a Vocabulary, name: &str) -> Option<&'a str> {
    vocabulary
        .predicates
        .keys()
        .map(|(n, _)| (strsim::levenshtein(n, name), n.as_str()))
        .filter(|(d, n)| *d <= 2.max(name.len() / 4) && *n != name)
        .min()
        .map(|(_, n)| n)
}
