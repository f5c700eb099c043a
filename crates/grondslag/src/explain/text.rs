//! The explanation as an indented memo in natural language: each literal through its `pred`
//! template, each rule with its label, citation and bindings, each defeat with its principle.
//! A node reached a second time is referred back to ("see above"), so the text stays as small
//! as the graph. Markdown and HTML reuse these lines.

use std::collections::HashSet;

use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use petgraph::Direction::{Incoming, Outgoing};

use crate::escape;
use crate::syntax::ast::Lang;

use super::graph::{Edge, Explanation, Kind, Node, Outcome, RuleApp};
use super::words::{self, say};

/// One line of the memo, at its depth of indentation.
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
    match (e.kind, e.lang) {
        (Kind::Why, Lang::Nl) => format!("Waarom geldt {}?", e.goal),
        (Kind::Why, Lang::En) => format!("Why does {} hold?", e.goal),
        (Kind::WhyNot, Lang::Nl) => format!("Waarom geldt {} niet?", e.goal),
        (Kind::WhyNot, Lang::En) => format!("Why does {} not hold?", e.goal),
    }
}

/// The verdict, in words: the goal, its status, its sentence — and the open norms it rests
/// on ("provided that …"), or that must be assessed before it can hold.
pub fn verdict(e: &Explanation) -> String {
    let node = &e.graph[e.root];
    let sentence = match node {
        Node::Literal {
            sentence: Some(s), ..
        } => format!(" — “{s}”"),
        _ => String::new(),
    };
    let mut out = format!("{}: {}{sentence}", e.goal, words::status(e.lang, e.status));
    if let Some(of) = &e.ledger.of {
        let assumed: Vec<String> = e.ledger.assumed.iter().map(|a| a.lit.to_string()).collect();
        let assumed = assumed.join(", ");
        out.push_str(&match (e.ledger.left_open, e.lang) {
            (false, Lang::Nl) => format!(" — {of} geldt mits {assumed}"),
            (false, Lang::En) => format!(" — {of} holds provided that {assumed}"),
            (true, Lang::Nl) => format!(" — onbepaald: {of} zou gelden mits {assumed}"),
            (true, Lang::En) => format!(" — undetermined: {of} would hold provided that {assumed}"),
        });
    }
    out
}

/// The ledger as lines: a heading, then per open norm the condition, its sentence, the norm,
/// what it is about and who must assess it. Empty when the verdict rests on no open norm.
pub fn ledger_lines(e: &Explanation) -> Vec<String> {
    let Some(of) = &e.ledger.of else {
        return Vec::new();
    };
    let say = |nl, en| say(e.lang, nl, en);
    let mut out = vec![if e.ledger.left_open {
        match e.lang {
            Lang::Nl => format!("Onbepaald tot deze open normen zijn beoordeeld (--open-norms open); dan zou {of} gelden:"),
            Lang::En => format!("Undetermined until these open norms are assessed (--open-norms open); then {of} would hold:"),
        }
    } else {
        match e.lang {
            Lang::Nl => format!("{of} geldt op voorwaarde dat (open normen, aangenomen omdat de casus ze niet beoordeelt):"),
            Lang::En => format!("{of} holds provided that (open norms, presumed because the case does not assess them):"),
        }
    }];
    for a in &e.ledger.assumed {
        let mut line = format!("- {}", a.lit);
        if let Some(sentence) = &a.sentence {
            line.push_str(&format!(": “{sentence}”"));
        }
        if let Some(source) = &a.source {
            line.push_str(&format!(" — {} {source}", say("norm:", "norm:")));
        }
        line.push_str(&format!(
            " — {} {} = {}",
            say("over", "about"),
            a.about.0,
            a.about.1
        ));
        if let Some(assessor) = &a.assessor {
            line.push_str(&format!(
                " — {} {assessor}",
                say("te beoordelen door", "to be assessed by")
            ));
        }
        out.push(line);
    }
    out.push(
        say(
            "Een feit in de casus (positief of met ~) vervangt een aanname.",
            "A fact stated in the case (positive or with ~) replaces an assumption.",
        )
        .to_string(),
    );
    out
}

/// The memo for a terminal: each line from the case shown on one line, control characters
/// visible ([`crate::escape::text_line`]).
pub fn render(e: &Explanation) -> String {
    let mut out = String::new();
    out.push_str(&escape::text_line(&question(e)));
    out.push('\n');
    for line in lines(e) {
        out.push_str(&line.margin());
        out.push_str(&escape::text_line(&line.text));
        out.push('\n');
    }
    for line in ledger_lines(e) {
        out.push_str(&escape::text_line(&line));
        out.push('\n');
    }
    out
}

/// The memo, line by line, from the goal down.
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

impl Walk<'_> {
    fn say(&self, nl: &'static str, en: &'static str) -> &'static str {
        say(self.lang, nl, en)
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
            text.push_str(self.say(" (zie hierboven)", " (see above)"));
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
                    text.push_str(self.say(" — feit", " — fact"));
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
                    ));
                }
                text
            }
            Node::Rule(app) => self.rule_line(app),
            Node::Absent { lit, sentence } => {
                let mut text = format!(
                    "{} {lit}",
                    self.say("niet aantoonbaar (not):", "not provable (not):")
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
                        self.say("voorwaarde vervuld:", "condition holds:")
                    )
                } else {
                    format!(
                        "{} {text}",
                        self.say("voorwaarde faalt:", "condition fails:")
                    )
                }
            }
        }
    }

    fn rule_line(&self, app: &RuleApp) -> String {
        let kind = if crate::defeasible::is_presumption(app.label.as_deref()) {
            self.say(
                "vermoeden (open norm, door de casus niet beoordeeld)",
                "presumption (an open norm the case does not assess)",
            )
        } else {
            words::kind(self.lang, app.kind)
        };
        let mut text = format!("{kind} `{}`", app.name());
        if let Some(source) = &app.source {
            text.push_str(&format!(" [{source}]"));
        }
        // The version of the norm (its `@valid` period), unless it is out of force anyway.
        if let (Some(period), None) = (app.valid, &app.not_in_force) {
            if let Some(words) = words::period(self.lang, period) {
                text.push_str(&format!(" ({words})"));
            }
        }
        if !app.bindings.is_empty() {
            let bound: Vec<String> = app
                .bindings
                .iter()
                .map(|(name, value)| format!("{name} = {value}"))
                .collect();
            text.push_str(&format!(
                " {} {}",
                self.say("met", "with"),
                bound.join(", ")
            ));
        }
        let state = match app.outcome {
            Outcome::Applied => "",
            Outcome::Beaten => self.say(
                " — is van toepassing, maar moet wijken",
                " — applies, but is beaten",
            ),
            Outcome::Open => self.say(
                " — is van toepassing; het conflict blijft onbeslist",
                " — applies; the conflict stays unresolved",
            ),
            Outcome::Discarded | Outcome::NotInForce => "",
        };
        text.push_str(state);
        if let Some(reason) = &app.not_in_force {
            let missing = app.missing.unwrap_or(0);
            let why = words::not_in_force(self.lang, reason, self.e.date);
            text.push_str(&match self.lang {
                Lang::Nl if missing == 0 => {
                    format!(" — niet van toepassing: {why}; de voorwaarden zijn wel vervuld")
                }
                Lang::Nl if missing == 1 => {
                    format!(" — niet van toepassing: {why}; bovendien faalt 1 voorwaarde")
                }
                Lang::Nl => {
                    format!(" — niet van toepassing: {why}; bovendien falen {missing} voorwaarden")
                }
                Lang::En if missing == 0 => {
                    format!(" — does not apply: {why}; its conditions do hold")
                }
                Lang::En if missing == 1 => {
                    format!(" — does not apply: {why}; also 1 condition fails")
                }
                Lang::En => {
                    format!(" — does not apply: {why}; also {missing} conditions fail")
                }
            });
        } else if app.outcome == Outcome::Discarded {
            let missing = app.missing.unwrap_or(0);
            text.push_str(&match self.lang {
                Lang::Nl if missing == 1 => " — niet van toepassing: 1 voorwaarde faalt".into(),
                Lang::Nl => format!(" — niet van toepassing: {missing} voorwaarden falen"),
                Lang::En if missing == 1 => " — does not apply: 1 condition fails".into(),
                Lang::En => format!(" — does not apply: {missing} conditions fail"),
            });
        }
        text
    }

    /// Edges of one kind into or out of `n`, the other ends sorted so that applied rules come
    /// first and, among rules that do not apply, near misses first.
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
                app.obstacles(),
                other.index(),
            ),
            Node::Literal { .. } => (1, Outcome::Applied, 0, other.index()),
            _ => (2, Outcome::Applied, 0, other.index()),
        });
        ends
    }

    fn literal_children(&mut self, n: NodeIndex, depth: usize) {
        // For a refuted literal the complement that holds is the first answer.
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
                Node::Rule(app) if app.outcome == Outcome::Applied => self.say("volgens ", "by "),
                _ => self.say("grond: ", "ground: "),
            };
            self.node(rule, depth, prefix);
        }
        if !refuted {
            self.attacks(n, depth);
        }
    }

    fn attacks(&mut self, n: NodeIndex, depth: usize) {
        let mut ends = self.ends(n, Incoming, "attacks");
        // A complement that holds outright comes before the rules that argue for it.
        ends.sort_by_key(|(other, _)| !matches!(self.e.graph[*other], Node::Literal { .. }));
        for (other, _) in ends {
            let prefix = match &self.e.graph[other] {
                Node::Rule(app) if !app.applies() => {
                    self.say("tegengestelde regel: ", "opposing rule: ")
                }
                Node::Rule(_) => self.say("bestreden door ", "contested by "),
                _ => self.say("daartegenover: ", "against it: "),
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
                );
                self.push(depth, format!("{says} “{sentence}”"));
            } else if app.outcome != Outcome::Applied && !self.concludes_its_parent(n, &app) {
                // Said only where it adds something: the literal above it reads the same.
                let says = self.say("zou concluderen:", "would conclude:");
                self.push(depth, format!("{says} “{sentence}”"));
            }
        }
        let premises = self.ends(n, Incoming, "supports");
        if app.applies() {
            if !premises.is_empty() {
                self.push(depth, self.say("omdat:", "because:").to_string());
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
                format!("{} {}", self.say("vervuld:", "holds:"), held.join("; ")),
            );
        }
        for (p, _) in self.ends(n, Outgoing, "discarded") {
            let prefix = match &self.e.graph[p] {
                Node::Condition { .. } => "",
                _ => self.say("ontbreekt: ", "missing: "),
            };
            self.node(p, depth, prefix);
        }
        for (p, _) in self.ends(n, Incoming, "blocked_by_not") {
            self.node(
                p,
                depth,
                self.say("uitgesloten (not), want: ", "ruled out (not), since: "),
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
                format!("{} {name}{why}", self.say("wijkt voor", "yields to")),
            );
        }
    }
}

/// A node as a few short lines, for the drawn graph (DOT, Mermaid, SVG).
pub fn caption(node: &Node, lang: Lang) -> Vec<String> {
    caption_wrapped(node, lang, 40)
}

/// A node's caption with its longer lines wrapped at `width` characters.
pub fn caption_wrapped(node: &Node, lang: Lang, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    match node {
        Node::Literal {
            lit,
            status,
            fact,
            source,
            sentence,
            ..
        } => {
            lines.push(lit.to_string());
            if *fact {
                lines.push(say(lang, "feit", "fact").to_string());
            } else {
                lines.push(words::status(lang, *status).to_string());
            }
            if let Some(source) = source {
                lines.push(format!("[{source}]"));
            }
            if let Some(s) = sentence {
                lines.extend(wrap(&format!("“{s}”"), width));
            }
        }
        Node::Rule(app) => {
            lines.push(format!("{} {}", words::kind(lang, app.kind), app.name()));
            if let Some(source) = &app.source {
                lines.extend(wrap(&format!("[{source}]"), width));
            }
            if let (Some(period), None) = (app.valid, &app.not_in_force) {
                lines.extend(words::period(lang, period).map(|p| format!("({p})")));
            }
            if !app.bindings.is_empty() {
                let bound: Vec<String> = app
                    .bindings
                    .iter()
                    .map(|(n, v)| format!("{n} = {v}"))
                    .collect();
                lines.extend(wrap(&bound.join(", "), width));
            }
            let outcome = match app.outcome {
                Outcome::Applied => None,
                Outcome::Beaten => Some(say(lang, "moet wijken", "beaten")),
                Outcome::Open => Some(say(lang, "onbeslist conflict", "unresolved conflict")),
                Outcome::Discarded => Some(say(lang, "niet van toepassing", "does not apply")),
                Outcome::NotInForce => Some(say(lang, "niet van kracht", "not in force")),
            };
            lines.extend(outcome.map(str::to_string));
            if let Some(reason) = &app.not_in_force {
                lines.extend(wrap(&words::not_in_force_short(lang, reason), width));
            }
        }
        Node::Absent { lit, .. } => {
            lines.push(format!("not {lit}"));
            lines.push(say(lang, "niet aantoonbaar", "not provable").to_string());
        }
        Node::Condition { text, holds } => {
            lines.push(text.clone());
            lines.push(if *holds {
                say(lang, "vervuld", "holds").to_string()
            } else {
                say(lang, "faalt", "fails").to_string()
            });
        }
    }
    lines
}

/// An edge's label in the drawn graph.
pub fn edge_label(edge: &Edge, lang: Lang) -> String {
    match edge {
        Edge::Supports => say(lang, "steunt", "supports").into(),
        Edge::BlockedByNot => say(lang, "sluit uit (not)", "blocked by not").into(),
        Edge::Attacks => say(lang, "bestrijdt", "attacks").into(),
        Edge::DefeatedBy { principle } => {
            let base = say(lang, "wijkt voor", "defeated by");
            match principle {
                Some(p) => format!("{base} ({p})"),
                None => base.into(),
            }
        }
        Edge::Discarded => say(lang, "faalt op", "discarded: premise fails").into(),
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
