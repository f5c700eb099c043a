//! `:facts`, `:rules` and `:preds`: what the session holds, as written.

use std::fmt::Write as _;

use grondslag::load::Origin;
use grondslag::source::{FileId, SourceMap};
use grondslag::syntax::ast::Item;

use super::session::Session;

impl Session {
    /// `:facts [PRED]`.
    pub(super) fn facts(&self, pred: Option<&str>, out: &mut String) {
        let mut count = 0;
        for loaded in &self.ws.modules {
            if loaded.origin == Origin::Knowledge && pred.is_none() {
                continue;
            }
            for item in &loaded.module.items {
                let Item::Rule(rule) = item else { continue };
                if !rule.is_fact() || pred.is_some_and(|p| p != rule.head.atom.pred.name) {
                    continue;
                }
                count += 1;
                let from = self.origin_note(loaded.origin, rule.span.file);
                let _ = writeln!(out, "{}{from}", statement_text(&self.ws.sources, rule.span));
            }
        }
        for input in &self.ws.inputs {
            if pred.is_none_or(|p| p == input.pred) {
                count += input.rows.len();
                let _ = writeln!(
                    out,
                    "% {} rows of `{}` from {}",
                    input.rows.len(),
                    input.pred,
                    self.ws.sources.location(input.span)
                );
            }
        }
        let _ = match (count, pred) {
            (0, Some(p)) => writeln!(out, "no facts of `{p}` are stated."),
            (0, None) => writeln!(out, "no facts stated yet (the knowledge base's own are not listed; `:facts PRED` shows them)."),
            (n, _) => writeln!(out, "({n} fact{})", if n == 1 { "" } else { "s" }),
        };
    }

    /// ` % <bundled>/...` after a line that did not come from the session itself.
    fn origin_note(&self, origin: Origin, file: FileId) -> String {
        let name = &self.ws.sources.get(file).name;
        if origin == Origin::User && name.starts_with('<') {
            String::new()
        } else {
            format!("   % {name}")
        }
    }

    /// `:rules [PRED]`.
    pub(super) fn rules(&self, pred: Option<&str>, out: &mut String) {
        let mut shown = 0;
        let mut in_knowledge = 0;
        for loaded in &self.ws.modules {
            for item in &loaded.module.items {
                let span = match item {
                    Item::Rule(rule) if !rule.is_fact() => {
                        if pred.is_some_and(|p| p != rule.head.atom.pred.name) {
                            continue;
                        }
                        rule.span
                    }
                    Item::Superiority(s) if pred.is_none() => s.span,
                    _ => continue,
                };
                if loaded.origin == Origin::Knowledge && pred.is_none() {
                    in_knowledge += 1;
                    continue;
                }
                shown += 1;
                let _ = writeln!(
                    out,
                    "{}   % {}",
                    statement_text(&self.ws.sources, span),
                    self.ws.sources.location(span)
                );
            }
        }
        if shown == 0 {
            let _ = match pred {
                Some(p) => writeln!(out, "no rule concludes `{p}`."),
                None => writeln!(out, "no rules added in this session."),
            };
        }
        if in_knowledge > 0 {
            let _ = writeln!(out, "(and {in_knowledge} in the knowledge base; `:rules PRED` shows those of one predicate)");
        }
    }

    /// `:preds`: a table of every predicate.
    pub(super) fn preds(&self, out: &mut String) {
        let vocabulary = self.vocabulary();
        let mut rows = vec![[
            "predicate".to_string(),
            "facts".into(),
            "rules".into(),
            "meaning".into(),
        ]];
        for ((name, arity), p) in &vocabulary.predicates {
            let meaning = vocabulary
                .template(name, *arity, self.lang)
                .unwrap_or_default();
            rows.push([
                vocabulary.signature(name, *arity),
                p.facts.to_string(),
                p.rules.to_string(),
                meaning,
            ]);
        }
        if rows.len() == 1 {
            let _ = writeln!(out, "no predicates yet.");
            return;
        }
        out.push_str(&crate::cli::print::aligned(&rows));
    }
}

/// A statement as written, with its final `.` (which its span leaves out).
fn statement_text(sources: &SourceMap, span: grondslag::source::Span) -> String {
    let text = sources.snippet(span).trim();
    if text.ends_with('.') {
        text.to_string()
    } else {
        format!("{text}.")
    }
}
