//! The explanation in words: first the memo ([`super::summary`]), then the full derivation
//! as an indented list — each literal through its `pred` template, each rule with its label,
//! citation and bindings, each defeat with its principle, each rule that cannot apply to the
//! case on one line with the reason. A node reached a second time is referred back to ("see
//! above"), so the text stays as small as the graph. Markdown and HTML reuse these lines.

use std::collections::HashSet;

use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use petgraph::Direction::{Incoming, Outgoing};

use crate::escape;
use crate::syntax::ast::{Lang, Scope};

use super::graph::{Detail, Edge, Explanation, Inapplicable, Kind, Node, Outcome, RuleApp};
use super::summary::{memo_lines, wrap_with_margin};
use super::words::{self, say};

/// One line of the derivation, at its depth of indentation.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// How deep it is indented.
    pub depth: usize,
    /// What it says.
    pub text: String,
}

/// The deepest level shown by indentation alone.
const DEEPEST_INDENT: usize = 20;

impl Line {
    /// The line's indentation: two spaces a level, up to twenty levels; a deeper line keeps
    /// that margin and states its level (`[34] `). Indenting without limit would make the memo
    /// of a derivation thousands of steps deep grow with the square of its depth.
    pub fn margin(&self) -> String {
        let levels = self.depth.min(DEEPEST_INDENT);
        let mut margin = "  ".repeat(levels);
        if self.depth > DEEPEST_INDENT {
            margin.push_str(&format!("[{}] ", self.depth));
        }
        margin
    }
}

/// The question, in words.
pub fn question(e: &Explanation) -> String {
    words::question(e.lang, e.kind == Kind::Why, &e.goal.to_string())
}

/// The heading of the full derivation.
pub fn derivation_heading(lang: Lang) -> &'static str {
    say(
        lang,
        "Volledige redenering",
        "Full derivation",
        "Raisonnement complet",
    )
}

/// The verdict, in words: the goal, its status, its sentence.
pub fn verdict(e: &Explanation) -> String {
    let node = &e.graph[e.root];
    let sentence = match node {
        Node::Literal {
            sentence: Some(s), ..
        } => format!(" — “{s}”"),
        _ => String::new(),
    };
    format!("{}: {}{sentence}", e.goal, words::status(e.lang, e.status))
}

/// The explanation for a terminal: the memo, wrapped at 100 characters, then (unless only
/// the summary is asked for) the full derivation. Each line from the case is shown on one
/// line, control characters visible ([`crate::escape::text_line`]).
pub fn render(e: &Explanation) -> String {
    let full = e.view.detail == Detail::Full;
    let mut out = String::new();
    for line in memo_lines(e, e.view.detail == Detail::Full) {
        for wrapped in wrap_with_margin(&line.plain(), line.indent) {
            out.push_str(&escape::text_line(&wrapped));
            out.push('\n');
        }
    }
    if !full {
        return out;
    }
    out.push('\n');
    out.push_str(derivation_heading(e.lang));
    out.push_str(": ");
    out.push_str(&escape::text_line(&question(e)));
    out.push('\n');
    for line in lines(e) {
        out.push_str(&line.margin());
        out.push_str(&escape::text_line(&line.text));
        out.push('\n');
    }
    out
}

/// The derivation, line by line, from the goal down.
pub fn lines(e: &Explanation) -> Vec<Line> {
    let mut walk = Walk {
        e,
        lang: e.lang,
        seen: HashSet::new(),
        out: Vec::new(),
    };
    walk.node(e.root, 0, "");
    walk.out
}

struct Walk<'e> {
    e: &'e Explanation,
    lang: Lang,
    seen: HashSet<NodeIndex>,
    out: Vec<Line>,
}

/// Why a rule cannot apply to the case, in words: "(rechtsgebied) w valt onder het recht
/// van nl".
pub fn inapplicable(lang: Lang, why: &Inapplicable) -> String {
    match why {
        Inapplicable::Scope {
            scope,
            premise,
            instead,
            sentence,
        } => {
            let kind = match scope {
                Scope::Jurisdiction => say(lang, "rechtsgebied", "jurisdiction", "juridiction"),
                Scope::Actor => say(lang, "soort actor", "kind of actor", "type d'acteur"),
            };
            let what = match (instead, sentence) {
                (Some(_), Some(s)) => s.clone(),
                (Some(l), None) => l.to_string(),
                (None, Some(s)) => words::not_the_case(lang, s),
                (None, None) => words::not_the_case(lang, &premise.to_string()),
            };
            format!("({kind}) {what}")
        }
        Inapplicable::Fixed {
            lit,
            holds,
            sentence,
        } => {
            let s = sentence.clone().unwrap_or_else(|| lit.to_string());
            if *holds {
                // A fact in the way: a `not` it fails, or an opposite it cannot overcome.
                let by = say(lang, "uitgesloten door", "ruled out by", "exclu par");
                format!("{by} {lit}: “{s}”")
            } else {
                words::not_the_case(lang, &s)
            }
        }
        Inapplicable::Condition(text) => format!(
            "{} {text}",
            say(
                lang,
                "voorwaarde faalt:",
                "condition fails:",
                "condition non remplie :"
            )
        ),
    }
}

impl Walk<'_> {
    fn say(&self, nl: &'static str, en: &'static str, fr: &'static str) -> &'static str {
        say(self.lang, nl, en, fr)
    }

    fn push(&mut self, depth: usize, text: String) {
        self.out.push(Line { depth, text });
    }

    /// Whether the rule would conclude exactly the literal it is listed under.
    fn concludes_its_parent(&self, n: NodeIndex, app: &RuleApp) -> bool {
        self.e
            .graph
            .edges_directed(n, Outgoing)
            .any(|e| match &self.e.graph[e.target()] {
                Node::Literal { lit, .. } => *lit == app.head,
                _ => false,
            })
    }

    /// Print a node; the second time only its first line, with a reference back.
    fn node(&mut self, n: NodeIndex, depth: usize, prefix: &str) {
        let first = self.seen.insert(n);
        let mut text = format!("{prefix}{}", self.describe(n));
        if !first && self.has_children(n) {
            text.push_str(self.say(" (zie hierboven)", " (see above)", " (voir ci-dessus)"));
        }
        self.push(depth, text);
        if !first {
            return;
        }
        match &self.e.graph[n] {
            Node::Literal { .. } => self.literal_children(n, depth + 1),
            Node::Rule(app) => self.rule_children(n, app.clone(), depth + 1),
            Node::Absent { .. } | Node::Condition { .. } => {}
        }
    }

    fn has_children(&self, n: NodeIndex) -> bool {
        self.e.graph.edges_directed(n, Incoming).next().is_some()
            || self
                .e
                .graph
                .edges_directed(n, Outgoing)
                .any(|e| matches!(e.weight(), Edge::Discarded | Edge::DefeatedBy { .. }))
    }

    /// One line for a node, without its reasons.
    fn describe(&self, n: NodeIndex) -> String {
        match &self.e.graph[n] {
            Node::Literal {
                lit,
                status,
                fact,
                source,
                sentence,
                no_rule,
            } => {
                let mut text = lit.to_string();
                if *fact {
                    text.push_str(self.say(" — feit", " — fact", " — fait"));
                    if let Some(source) = source {
                        text.push_str(&format!(" [{source}]"));
                    }
                } else {
                    text.push_str(&format!(" — {}", words::status(self.lang, *status)));
                }
                if let Some(s) = sentence {
                    text.push_str(&format!(": “{s}”"));
                }
                if *no_rule {
                    text.push_str(self.say(
                        " — geen regel leidt dit af en de casus vermeldt het niet",
                        " — no rule derives it and the case does not state it",
                        " — aucune règle ne le déduit et le cas ne l'énonce pas",
                    ));
                }
                text
            }
            Node::Rule(app) => self.rule_line(app),
            Node::Absent { lit, sentence } => {
                let mut text = format!(
                    "{} {lit}",
                    self.say("niet vastgesteld:", "not established:", "non établi :")
                );
                if let Some(s) = sentence {
                    text.push_str(&format!(": “{s}”"));
                }
                text
            }
            Node::Condition { text, holds } => {
                if *holds {
                    format!(
                        "{} {text}",
                        self.say(
                            "voorwaarde vervuld:",
                            "condition holds:",
                            "condition remplie :"
                        )
                    )
                } else {
                    format!(
                        "{} {text}",
                        self.say(
                            "voorwaarde faalt:",
                            "condition fails:",
                            "condition non remplie :"
                        )
                    )
                }
            }
        }
    }

    fn rule_line(&self, app: &RuleApp) -> String {
        let mut text = format!("{} `{}`", words::kind(self.lang, app.kind), app.name());
        if let Some(source) = &app.source {
            text.push_str(&format!(" [{source}]"));
        }
        if let Some(bill) = &app.bill {
            text.push_str(&format!(
                " ({} `{bill}`)",
                self.say("wetsvoorstel", "bill", "proposition")
            ));
        }
        // The version of the norm (its `@valid` period), unless it is out of force anyway.
        if let (Some(period), None) = (app.valid, &app.not_in_force) {
            if let Some(words) = words::period(self.lang, period) {
                text.push_str(&format!(" ({words})"));
            }
        }
        if !app.bindings.is_empty() && app.inapplicable.is_none() {
            let bound: Vec<String> = app
                .bindings
                .iter()
                .map(|(name, value)| format!("{name} = {value}"))
                .collect();
            text.push_str(&format!(
                " {} {}",
                self.say("met", "with", "avec"),
                bound.join(", ")
            ));
        }
        let state = match app.outcome {
            Outcome::Applied => "",
            Outcome::Beaten => self.say(
                " — is van toepassing, maar moet wijken",
                " — applies, but is overridden",
                " — s'applique, mais doit céder",
            ),
            Outcome::Open => self.say(
                " — is van toepassing; het conflict blijft onbeslist",
                " — applies; the conflict stays unresolved",
                " — s'applique ; le conflit reste indécis",
            ),
            Outcome::Discarded | Outcome::NotInForce => "",
        };
        text.push_str(state);
        let not_applicable = self.say(
            " — niet van toepassing: ",
            " — does not apply: ",
            " — ne s'applique pas : ",
        );
        if let Some(reason) = &app.not_in_force {
            let missing = app.missing.unwrap_or(0);
            let why = words::not_in_force(self.lang, reason, self.e.date);
            text.push_str(&format!(
                "{not_applicable}{why}; {}",
                words::besides_time(self.lang, missing)
            ));
        } else if let Some(why) = &app.inapplicable {
            text.push_str(&format!("{not_applicable}{}", inapplicable(self.lang, why)));
        } else if app.outcome == Outcome::Discarded {
            let missing = app.missing.unwrap_or(0);
            text.push_str(&format!(
                "{not_applicable}{}",
                words::conditions_fail(self.lang, missing)
            ));
        }
        text
    }

    /// Edges of one kind into or out of `n`, the other ends sorted so that applied rules come
    /// first and, among rules that do not apply, near misses first, those that cannot apply
    /// to the case last.
    fn ends(&self, n: NodeIndex, dir: petgraph::Direction, kind: &str) -> Vec<(NodeIndex, Edge)> {
        let mut ends: Vec<(NodeIndex, Edge)> = self
            .e
            .graph
            .edges_directed(n, dir)
            .filter(|e| e.weight().as_str() == kind)
            .map(|e| {
                let other = if dir == Incoming {
                    e.source()
                } else {
                    e.target()
                };
                (other, e.weight().clone())
            })
            .collect();
        ends.sort_by_key(|(other, _)| match &self.e.graph[*other] {
            // Rules that do not apply, in or out of force, are ranked together: a rule that
            // only the date kept out is as near a miss as one with one premise missing.
            Node::Rule(app) => (
                0,
                app.outcome.min(Outcome::Discarded),
                app.inapplicable.is_some(),
                app.obstacles(),
                other.index(),
            ),
            Node::Literal { .. } => (1, Outcome::Applied, false, 0, other.index()),
            _ => (2, Outcome::Applied, false, 0, other.index()),
        });
        ends
    }

    fn literal_children(&mut self, n: NodeIndex, depth: usize) {
        // For a literal whose opposite holds, that opposite is the first answer.
        let refuted = matches!(
            self.e.graph[n],
            Node::Literal {
                status: Some(crate::model::Status::Refuted),
                ..
            }
        );
        if refuted {
            self.attacks(n, depth);
        }
        for (rule, _) in self.ends(n, Incoming, "supports") {
            let prefix = match &self.e.graph[rule] {
                Node::Rule(app) if app.outcome == Outcome::Applied => {
                    self.say("volgens ", "by ", "selon ")
                }
                _ => self.say(
                    "mogelijke grond: ",
                    "possible ground: ",
                    "fondement possible : ",
                ),
            };
            self.node(rule, depth, prefix);
        }
        if !refuted {
            self.attacks(n, depth);
        }
    }

    fn attacks(&mut self, n: NodeIndex, depth: usize) {
        let mut ends = self.ends(n, Incoming, "attacks");
        // An opposite that holds outright comes before the rules that argue for it.
        ends.sort_by_key(|(other, _)| !matches!(self.e.graph[*other], Node::Literal { .. }));
        for (other, _) in ends {
            let prefix = match &self.e.graph[other] {
                Node::Rule(app) if !app.applies() => self.say(
                    "mogelijke uitzondering: ",
                    "possible exception: ",
                    "exception possible : ",
                ),
                Node::Rule(_) => self.say("bestreden door ", "contested by ", "contesté par "),
                _ => self.say("daartegenover: ", "against it: ", "à l'inverse : "),
            };
            self.node(other, depth, prefix);
        }
    }

    fn rule_children(&mut self, n: NodeIndex, app: RuleApp, depth: usize) {
        if let Some(sentence) = &app.sentence {
            if app.kind == crate::syntax::ast::RuleKind::Defeater {
                // A defeater concludes nothing: it can only block the other side.
                let says = self.say(
                    "pleit voor (blokkeert alleen):",
                    "argues for (can only block):",
                    "plaide pour (ne peut que bloquer) :",
                );
                self.push(depth, format!("{says} “{sentence}”"));
            } else if app.outcome != Outcome::Applied
                && app.inapplicable.is_none()
                && !self.concludes_its_parent(n, &app)
            {
                // Said only where it adds something: the literal above it reads the same.
                let says = self.say("zou concluderen:", "would conclude:", "conclurait :");
                self.push(depth, format!("{says} “{sentence}”"));
            }
        }
        let premises = self.ends(n, Incoming, "supports");
        if app.applies() {
            if !premises.is_empty() {
                self.push(
                    depth,
                    self.say("omdat:", "because:", "parce que :").to_string(),
                );
            }
            for (p, _) in premises {
                self.node(p, depth + 1, "");
            }
        } else if !premises.is_empty() {
            // What held for a rule that does not apply is context, not the point: one line.
            let held: Vec<String> = premises
                .iter()
                .map(|(p, _)| match &self.e.graph[*p] {
                    Node::Literal { lit, .. } | Node::Absent { lit, .. } => lit.to_string(),
                    Node::Condition { text, .. } => text.clone(),
                    Node::Rule(r) => r.name(),
                })
                .collect();
            self.push(
                depth,
                format!(
                    "{} {}",
                    self.say("vervuld:", "met:", "remplies :"),
                    held.join("; ")
                ),
            );
        }
        for (p, _) in self.ends(n, Outgoing, "discarded") {
            let prefix = match &self.e.graph[p] {
                Node::Condition { .. } => "",
                _ => self.say("ontbreekt: ", "missing: ", "manque : "),
            };
            self.node(p, depth, prefix);
        }
        for (p, _) in self.ends(n, Incoming, "blocked_by_not") {
            self.node(
                p,
                depth,
                self.say(
                    "uitgesloten (not), want: ",
                    "ruled out (not), since: ",
                    "exclu (not), car : ",
                ),
            );
        }
        for (winner, edge) in self.ends(n, Outgoing, "defeated_by") {
            let why = match edge {
                Edge::DefeatedBy { principle: Some(p) } => {
                    format!(" ({})", words::principle(self.lang, &p))
                }
                _ => String::new(),
            };
            let name = match &self.e.graph[winner] {
                Node::Rule(w) => {
                    let mut name = format!("`{}`", w.name());
                    if let Some(source) = &w.source {
                        name.push_str(&format!(" [{source}]"));
                    }
                    name
                }
                _ => String::new(),
            };
            self.push(
                depth,
                format!(
                    "{} {name}{why}",
                    self.say("wijkt voor", "yields to", "cède devant")
                ),
            );
        }
    }
}

/// A node as a few short lines, for the drawn graph (DOT, Mermaid, SVG).
pub fn caption(node: &Node, lang: Lang) -> Vec<String> {
    caption_wrapped(node, lang, 30)
}

/// A node's caption with its longer lines wrapped at `width` characters: the literal, its
/// status in a word or two, its sentence; for a rule, its label, citation and outcome.
pub fn caption_wrapped(node: &Node, lang: Lang, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    match node {
        Node::Literal {
            lit,
            status,
            fact,
            sentence,
            ..
        } => {
            lines.extend(wrap(&lit.to_string(), width));
            if *fact {
                lines.push(say(lang, "feit", "fact", "fait").to_string());
            } else {
                lines.push(words::status_short(lang, *status).to_string());
            }
            if let Some(s) = sentence {
                lines.extend(wrap(&format!("“{s}”"), width));
            }
        }
        Node::Rule(app) => {
            lines.push(app.name());
            if let Some(source) = &app.source {
                lines.extend(wrap(&format!("[{source}]"), width));
            }
            if let Some(bill) = &app.bill {
                lines.push(format!(
                    "{} {bill}",
                    say(lang, "wetsvoorstel", "bill", "proposition")
                ));
            }
            if let (Some(period), None) = (app.valid, &app.not_in_force) {
                lines.extend(words::period(lang, period).map(|p| format!("({p})")));
            }
            let outcome = match app.outcome {
                Outcome::Applied => None,
                Outcome::Beaten => Some(say(lang, "moet wijken", "overridden", "doit céder")),
                Outcome::Open => Some(say(
                    lang,
                    "onbeslist conflict",
                    "unresolved conflict",
                    "conflit indécis",
                )),
                Outcome::Discarded => Some(say(
                    lang,
                    "niet van toepassing",
                    "does not apply",
                    "ne s'applique pas",
                )),
                Outcome::NotInForce => Some(say(
                    lang,
                    "niet van kracht",
                    "not in force",
                    "pas en vigueur",
                )),
            };
            lines.extend(outcome.map(str::to_string));
            if let Some(reason) = &app.not_in_force {
                lines.extend(wrap(&words::not_in_force_short(lang, reason), width));
            }
            if let Some(why) = &app.inapplicable {
                lines.extend(wrap(&inapplicable(lang, why), width));
            }
        }
        Node::Absent { lit, .. } => {
            lines.push(format!("not {lit}"));
            lines.push(say(lang, "niet vastgesteld", "not established", "non établi").to_string());
        }
        Node::Condition { text, holds } => {
            lines.push(text.clone());
            lines.push(if *holds {
                say(lang, "vervuld", "holds", "remplie").to_string()
            } else {
                say(lang, "faalt", "fails", "non remplie").to_string()
            });
        }
    }
    lines
}

/// An edge's label in the drawn graph: only where it says something the line's colour and
/// direction do not (an attack, a `not` that blocks, a defeat with its principle). A
/// premise supporting a rule, or a premise that fails, is drawn unlabelled.
pub fn edge_label(edge: &Edge, lang: Lang) -> Option<String> {
    match edge {
        Edge::Supports | Edge::Discarded => None,
        Edge::BlockedByNot => Some(say(lang, "sluit uit", "rules out", "exclut").into()),
        Edge::Attacks => Some(say(lang, "bestrijdt", "attacks", "conteste").into()),
        Edge::DefeatedBy { principle } => {
            let base = say(lang, "wijkt voor", "yields to", "cède devant");
            Some(match principle {
                Some(p) => format!("{base} ({})", words::principle_short(lang, p)),
                None => base.into(),
            })
        }
    }
}

/// Break text into lines of at most `width` characters, at spaces where possible.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::Line;

    fn margin(depth: usize) -> String {
        Line {
            depth,
            text: String::new(),
        }
        .margin()
    }

    #[test]
    fn deep_lines_keep_a_bounded_margin_and_state_their_level() {
        assert_eq!(margin(0), "");
        assert_eq!(margin(3), "      ");
        assert_eq!(margin(20), " ".repeat(40));
        assert_eq!(margin(21), format!("{}[21] ", " ".repeat(40)));
        assert_eq!(margin(15_000), format!("{}[15000] ", " ".repeat(40)));
    }
}
