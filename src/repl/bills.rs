//! `:bill` and `:diff`: draft bills in a session, and the conclusions they change.

use std::fmt::Write as _;
use std::path::Path;

use grondslag::bill::Amendments;
use grondslag::diagnostic::Diagnostic;
use grondslag::diff::Scope;
use grondslag::driver::{self, Case, Comparison};
use grondslag::syntax::ast::ModuleKind;

use super::session::{render, Session};

impl Session {
    /// `:bill FILE`: the session's conclusions follow the law with the bill from now on.
    pub(super) fn bill(&mut self, path: &Path, out: &mut String) {
        let before = (
            self.ws.modules.len(),
            self.ws.inputs.len(),
            self.ws.diagnostics.len(),
        );
        self.ws.load_bills(&[path.to_path_buf()]);
        let loaded = self.ws.modules.len() - before.0;
        let not_bill = self.ws.modules[before.0..]
            .iter()
            .find(|m| m.module.kind() != ModuleKind::Bill)
            .map(|m| self.ws.sources.get(m.module.file).name.clone());
        if let Some(name) = not_bill {
            self.rollback(before);
            let _ = writeln!(out, "{name} is not a draft bill: a bill starts with `bill name \"Title\" effective DATE.`; `:load` adds other files. Nothing was added.");
            return;
        }
        let mut problems: Vec<Diagnostic> = self.ws.diagnostics[before.2..].to_vec();
        let diagnostics = self.static_diagnostics();
        let found: Vec<Diagnostic> = diagnostics
            .iter()
            .filter(|d| d.is_error() && !self.errors.contains(d) && !problems.contains(d))
            .cloned()
            .collect();
        problems.extend(found);
        render(out, &problems, &self.ws.sources);
        if problems.iter().any(Diagnostic::is_error) || loaded == 0 {
            self.rollback(before);
            let _ = writeln!(out, "nothing was added.");
            return;
        }
        self.errors = diagnostics
            .into_iter()
            .filter(Diagnostic::is_error)
            .collect();
        self.bills.push(path.to_path_buf());
        self.model = None;
        let added: Vec<&grondslag::syntax::ast::Module> = self.ws.modules[before.0..]
            .iter()
            .map(|m| &m.module)
            .collect();
        let amendments = Amendments::of(&added);
        for bill in &amendments.bills {
            let _ = writeln!(
                out,
                "added bill `{}`{}, effective {}.",
                bill.name,
                bill.title
                    .as_ref()
                    .map(|t| format!(" ({t})"))
                    .unwrap_or_default(),
                bill.effective
            );
        }
        let mut text = String::new();
        self.as_of(None, &mut text);
        if let (Ok((date, _)), Some(latest)) = (self.date(), amendments.all_in_force()) {
            if date < latest {
                let _ = writeln!(
                    text,
                    "note: on {date} the bill is not in force yet; `:asof none` evaluates on {latest}."
                );
            }
        }
        let _ = writeln!(out, "{text}`:diff` shows the conclusions it changes.");
    }

    /// `:diff`: the conclusions that differ with and without the bills added, on the session's
    /// date.
    pub(super) fn diff(&mut self, out: &mut String) {
        if self.ws.bill_modules().is_empty() {
            let _ = writeln!(
                out,
                "no bills added: `:bill FILE` adds one, then `:diff` shows what it changes."
            );
            return;
        }
        let date = match self.date() {
            Ok((date, _)) => date,
            Err(problem) => {
                let _ = writeln!(out, "{problem}");
                return;
            }
        };
        // The session's own evaluation first: its problems are said as for any question.
        if self.model(out).is_none() {
            return;
        }
        let checked = driver::check(&self.ws, Some(date));
        let changes = Comparison::new(&checked, date, &self.options, Scope::Verdicts)
            .and_then(|comparison| comparison.compare(Case::All, None));
        let changes = match changes {
            Ok((_, changes)) => changes,
            Err(diagnostics) => {
                render(out, &diagnostics, &self.ws.sources);
                return;
            }
        };
        if changes.is_empty() {
            let _ = writeln!(
                out,
                "on {date} the bills change no conclusion of this session."
            );
            return;
        }
        let _ = writeln!(out, "on {date}, with the bills:");
        for change in &changes {
            let _ = writeln!(
                out,
                "  {}: {} → {}",
                change.conclusion,
                change.before.verdict.as_str(),
                change.after.verdict.as_str()
            );
            if !change.introduced.is_empty() {
                let _ = writeln!(
                    out,
                    "    because of the bill's {}",
                    quoted(&change.introduced)
                );
            }
            if !change.repealed.is_empty() {
                let _ = writeln!(out, "    repealed: {}", quoted(&change.repealed));
            }
            for (stronger, weaker) in &change.priorities {
                let _ = writeln!(out, "    the bill puts `{stronger}` above `{weaker}`");
            }
        }
        let _ = writeln!(
            out,
            "({} change{}; `:why` and `:whynot` explain each side)",
            changes.len(),
            if changes.len() == 1 { "" } else { "s" }
        );
    }
}

/// "`a`, `b`".
fn quoted(labels: &[String]) -> String {
    labels
        .iter()
        .map(|l| format!("`{l}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
