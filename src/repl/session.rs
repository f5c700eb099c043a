//! The state of one REPL session — the knowledge base, the files loaded, the statements typed,
//! the evaluation options — and what each input does to it. Everything here writes its
//! output into a `String`, so the session can be driven without a terminal.
//!
//! A statement that would bring a new error into the session (a syntax error, an arity
//! mismatch, a duplicate label, ...) is refused whole: the session always stays as it was
//! before the bad input, and queries keep working.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::cli::{clock, output, print, ReplStart};
use grondslag::diagnostic::{render_all, Code, Diagnostic};
use grondslag::driver::{self, Bills, Case, Dating, Evaluation, Options, Style};
use grondslag::escape;
use grondslag::explain::{self, Ask, Detail, Format, Kind, View};
use grondslag::load::{KnowledgeBase, Origin, Workspace};
use grondslag::source::{FileId, SourceMap};
use grondslag::syntax::ast::{
    BodyItem, Expect, Item, Lang, Literal, ModuleKind, Query, Rule, RuleKind,
};
use grondslag::syntax::{parse_statement, split, StatementParse};
use grondslag::time::DateSource;
use grondslag::value::{Date, Value};

use super::commands::Command;
use super::input::{classify, short_query_goal, Input};
use super::interrupt;
use super::vocabulary::Vocabulary;

pub struct Session {
    kb: KnowledgeBase,
    /// Files and directories loaded: from the command line, then `:load`.
    paths: Vec<PathBuf>,
    /// Every statement typed and accepted, in order, so `:reload` can replay them.
    typed: Vec<Typed>,
    /// Draft bills added with `:bill`, for `:reload`.
    pub(super) bills: Vec<PathBuf>,
    pub(super) ws: Workspace,
    /// The options of every evaluation.
    pub(super) options: Options,
    /// The date given with `--as-of` or `:asof`, which wins over every other.
    as_of: Option<Date>,
    /// When nothing else says which law applies.
    pub(super) today: Date,
    pub(super) lang: Lang,
    /// The memo alone, or the memo and the full derivation (`:detail`).
    pub(super) detail: Detail,
    /// The evaluation of the session as it stands; `None` after a change.
    pub(super) model: Option<Evaluation>,
    /// The static errors of the session as it stands (normally none), so that an input is
    /// judged by the errors it adds.
    pub(super) errors: Vec<Diagnostic>,
    /// Inputs so far, to name each one's source (`<input 3>`) in diagnostics.
    inputs: usize,
    /// Inputs refused and expectations not met: a script of such a session fails (exit 1).
    pub(super) failures: usize,
}

/// What a session was, to go back to ([`Session::checkpoint`]).
pub(super) struct Checkpoint {
    modules: usize,
    inputs: usize,
    diagnostics: usize,
    paths: usize,
    bills: usize,
    typed: usize,
    as_of: Option<Date>,
    lang: Lang,
    errors: Vec<Diagnostic>,
}

/// A statement typed in the session.
struct Typed {
    text: String,
    fact: Option<GroundFact>,
}

/// A fact as data, to find it again for `:retract`.
#[derive(Clone, Debug, PartialEq)]
struct GroundFact {
    pred: String,
    negated: bool,
    args: Vec<Value>,
}

impl GroundFact {
    fn of(rule: &Rule) -> Option<GroundFact> {
        if !rule.is_fact() {
            return None;
        }
        let args = rule.head.atom.ground_args()?;
        Some(GroundFact {
            pred: rule.head.atom.pred.name.clone(),
            negated: rule.head.negated,
            args,
        })
    }
}

impl Session {
    /// A session over the workspace `start` loaded, on the law in force on its `as_of` (else
    /// the date the loaded files say); problems found in it go to `out`.
    pub fn new(start: ReplStart, out: &mut String) -> Session {
        let mut session = Session {
            kb: start.kb,
            paths: start.paths,
            typed: Vec::new(),
            bills: start.bills,
            ws: start.ws,
            options: start.options,
            as_of: start.as_of,
            today: clock::today(),
            lang: start.lang,
            detail: Detail::Full,
            model: None,
            errors: Vec::new(),
            inputs: 0,
            failures: 0,
        };
        session.errors = report_loaded(&session.ws, session.dating(), out);
        session
    }

    /// The one-line banner: version, what is loaded, how to get help.
    pub fn banner(&self) -> String {
        let kb = match &self.kb {
            KnowledgeBase::Nothing => "no knowledge base".to_string(),
            KnowledgeBase::Bundled => {
                let n = self.count_modules(Origin::Knowledge);
                if n == 0 {
                    "the bundled knowledge base (empty in this build)".to_string()
                } else {
                    format!("the bundled knowledge base ({n} files)")
                }
            }
            KnowledgeBase::Path(p) => format!("knowledge base {}", p.display()),
        };
        let files = match self.count_modules(Origin::User) {
            0 => String::new(),
            1 => ", 1 file".to_string(),
            n => format!(", {n} files"),
        };
        let files = match self.count_modules(Origin::Bill) {
            0 => files,
            1 => format!("{files}, 1 draft bill"),
            n => format!("{files}, {n} draft bills"),
        };
        format!(
            "grondslag {} — {kb}{files}. :help for help, Ctrl-D to leave.",
            env!("CARGO_PKG_VERSION")
        )
    }

    pub(super) fn count_modules(&self, origin: Origin) -> usize {
        self.ws
            .modules
            .iter()
            .filter(|m| m.origin == origin)
            .count()
    }

    pub fn vocabulary(&self) -> Vocabulary {
        Vocabulary::of(&self.ws)
    }

    /// Statements, a `?- goal.`, or a `goal?`.
    pub fn enter(&mut self, text: &str, out: &mut String) {
        self.inputs += 1;
        let name = format!("<input {}>", self.inputs);
        if classify(text) == Input::ShortQuery {
            let goal = short_query_goal(text);
            if !text[..goal.start].trim().is_empty()
                && !self.statements(&name, &text[..goal.start], out)
            {
                return;
            }
            // The goal keeps its place in what was typed, so carets land under it.
            let source = format!("{}{}", blank(&text[..goal.start]), &text[goal.clone()]);
            match driver::parse_query(&mut self.ws.sources, &name, &source) {
                Ok(query) => self.ask(&query, None, out),
                Err(diagnostics) => self.refuse(out, &diagnostics, None),
            }
        } else {
            self.statements(&name, text, out);
        }
    }

    /// Add the facts and rules of `text`, then answer its queries and expectations. False
    /// when the input was refused.
    fn statements(&mut self, name: &str, text: &str, out: &mut String) -> bool {
        let mut scratch = SourceMap::new();
        let file = scratch.add(name, text);
        let items = match parse_statement(&scratch, file) {
            StatementParse::Complete(items) => items,
            StatementParse::Incomplete => {
                let d = Diagnostic::new(Code::Syntax, "this statement is not finished")
                    .hint("end every fact and rule with `.`; close strings and `/* */` comments");
                render(out, &[d], &scratch);
                self.failures += 1;
                return false;
            }
            StatementParse::Invalid(diagnostics) => {
                render(out, &diagnostics, &scratch);
                self.failures += 1;
                return false;
            }
        };
        let (chunks, _) = split(text);
        if let Some(repeal) = items.iter().find(|i| matches!(i, Item::Repeal(_))) {
            let d = Diagnostic::new(Code::InvalidAttribute, "`repeal` belongs in a draft bill")
                .at(repeal.span())
                .hint("write the bill in a file with a `bill` header and add it with `:bill FILE`");
            render(out, &[d], &scratch);
            self.failures += 1;
            return false;
        }
        // Facts, rules, superiority and declarations join the session; queries and
        // expectations are answered. Answered statements are blanked out of the text that
        // joins the session, so positions in it are still those typed.
        let mut kept = text.to_string();
        let mut added = Vec::new();
        let mut asked = Vec::new();
        for (chunk, item) in chunks.iter().zip(items) {
            let chunk_text = &text[chunk.start..chunk.end];
            match item {
                Item::Query(_) | Item::Expect(_) => {
                    kept.replace_range(chunk.start..chunk.end, &blank(chunk_text));
                    asked.push((chunk_text.trim().to_string(), item));
                }
                item => added.push((chunk_text.trim().to_string(), item)),
            }
        }
        if !added.is_empty() && !self.add(name, kept, added, out) {
            return false;
        }
        // They were read in `scratch`: their problems are shown there.
        for (chunk_text, item) in asked {
            match item {
                Item::Query(query) => self.ask(&query, Some(&scratch), out),
                Item::Expect(expect) => self.expect(&chunk_text, &expect, Some(&scratch), out),
                _ => {}
            }
        }
        true
    }

    /// Let the statements join the session unless they bring new errors.
    fn add(
        &mut self,
        name: &str,
        text: String,
        added: Vec<(String, Item)>,
        out: &mut String,
    ) -> bool {
        let before = (
            self.ws.modules.len(),
            self.ws.inputs.len(),
            self.ws.diagnostics.len(),
        );
        let file = self.ws.load_text(name, text);
        let diagnostics = self.static_diagnostics();
        let new_errors: Vec<Diagnostic> = diagnostics
            .iter()
            .filter(|d| d.is_error() && !self.errors.contains(d))
            .cloned()
            .collect();
        if !new_errors.is_empty() {
            render(out, &new_errors, &self.ws.sources);
            let _ = writeln!(out, "nothing was added.");
            self.rollback(before);
            self.failures += 1;
            return false;
        }
        let warnings: Vec<Diagnostic> = diagnostics
            .iter()
            .filter(|d| !d.is_error() && in_file(d, file))
            .cloned()
            .collect();
        render(out, &warnings, &self.ws.sources);
        self.errors = diagnostics
            .into_iter()
            .filter(Diagnostic::is_error)
            .collect();
        self.model = None;
        let _ = writeln!(
            out,
            "added {}.",
            describe(added.iter().map(|(_, item)| item))
        );
        for (text, item) in added {
            let fact = match &item {
                Item::Rule(rule) => GroundFact::of(rule),
                _ => None,
            };
            self.typed.push(Typed { text, fact });
        }
        true
    }

    pub(super) fn rollback(&mut self, (modules, inputs, diagnostics): (usize, usize, usize)) {
        self.ws.modules.truncate(modules);
        self.ws.inputs.truncate(inputs);
        self.ws.diagnostics.truncate(diagnostics);
    }

    /// What decides the session's date.
    fn dating(&self) -> Dating {
        Dating {
            as_of: self.as_of,
            today: self.today,
        }
    }

    /// The date whose law applies: `--as-of`/`:asof`, else the date on which the bills added
    /// are all in force, else the date the loaded case files share, else today.
    pub(super) fn date(&self) -> Result<(Date, DateSource), String> {
        self.dating().session(&self.ws)
    }

    /// The session's static problems, checked on its date.
    pub(super) fn static_diagnostics(&self) -> Vec<Diagnostic> {
        static_diagnostics(&self.ws, self.dating())
    }

    /// What the session is now, to go back to if an input fails part way
    /// ([`Session::restore`]).
    pub(super) fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            modules: self.ws.modules.len(),
            inputs: self.ws.inputs.len(),
            diagnostics: self.ws.diagnostics.len(),
            paths: self.paths.len(),
            bills: self.bills.len(),
            typed: self.typed.len(),
            as_of: self.as_of,
            lang: self.lang,
            errors: self.errors.clone(),
        }
    }

    /// Back to the checkpoint. Every input changes the session by appending (undone here by
    /// cutting back), by setting a date or a language (set back), or by one replacement at
    /// its very end, after everything that could fail (`:reload`, `:retract`); the model is
    /// a cache of the evaluation, dropped here and made again when asked for.
    pub(super) fn restore(&mut self, checkpoint: Checkpoint) {
        self.rollback((
            checkpoint.modules,
            checkpoint.inputs,
            checkpoint.diagnostics,
        ));
        self.paths.truncate(checkpoint.paths);
        self.bills.truncate(checkpoint.bills);
        self.typed.truncate(checkpoint.typed);
        self.as_of = checkpoint.as_of;
        self.lang = checkpoint.lang;
        self.errors = checkpoint.errors;
        self.model = None;
    }

    /// The evaluation of the session, made when something changed. Problems go to `out`;
    /// `None` when there is no model (errors, or an interrupted evaluation).
    pub(super) fn model(&mut self, out: &mut String) -> Option<&Evaluation> {
        if self.model.is_none() {
            let date = match self.date() {
                Ok((date, _)) => date,
                Err(problem) => {
                    let _ = writeln!(out, "{problem}");
                    return None;
                }
            };
            let checked = driver::check(&self.ws, Some(date));
            let evaluated = checked
                .law(Some(date), Bills::Apply, &self.options)
                .and_then(|law| law.evaluate(Case::All));
            match evaluated {
                Ok(evaluation) => {
                    render(out, evaluation.warnings(), &self.ws.sources);
                    self.model = Some(evaluation);
                }
                Err(diagnostics) => {
                    if interrupt::is_set() {
                        // A new line first: the terminal has echoed `^C` where the cursor was.
                        let _ = writeln!(out, "\ninterrupted; the session is as it was.");
                    } else {
                        let errors: Vec<Diagnostic> = diagnostics
                            .into_iter()
                            .filter(Diagnostic::is_error)
                            .collect();
                        render(out, &errors, &self.ws.sources);
                        let _ = writeln!(
                            out,
                            "no answer: the session cannot be evaluated until this is fixed."
                        );
                    }
                    return None;
                }
            }
        }
        self.model.as_ref()
    }

    /// Answer a query; `read_in`: the sources it was read in, when not the session's.
    fn ask(&mut self, query: &Query, read_in: Option<&SourceMap>, out: &mut String) {
        // A question about an unknown predicate or value is refused, as a syntax error is:
        // its answer would be "no" whatever the law says.
        if !self.checked(&driver::check_goal(&self.ws, &query.body), read_in, out) {
            return;
        }
        let Some(evaluation) = self.model(out) else {
            return;
        };
        match evaluation.try_answer(query) {
            Ok(answers) => out.push_str(&print::answers_table(query, &answers)),
            Err(stop) => render(out, &[*stop], &self.ws.sources),
        }
    }

    fn expect(
        &mut self,
        text: &str,
        expect: &Expect,
        read_in: Option<&SourceMap>,
        out: &mut String,
    ) {
        if !self.checked(&driver::check_expectation(&self.ws, expect), read_in, out) {
            return;
        }
        if self.model(out).is_none() {
            return;
        }
        let evaluation = self.model.as_ref().expect("evaluated above");
        let _ = match evaluation.judge(&self.ws, expect).complaint() {
            None => writeln!(out, "as expected: {text}"),
            Some(why) => {
                self.failures += 1;
                writeln!(out, "NOT as expected: {text}\n  {why}")
            }
        };
    }

    /// Show what the checks of a question found; false (the question refused) on an error.
    fn checked(
        &mut self,
        found: &[Diagnostic],
        read_in: Option<&SourceMap>,
        out: &mut String,
    ) -> bool {
        if found.iter().any(Diagnostic::is_error) {
            self.refuse(out, found, read_in);
            return false;
        }
        render(out, found, read_in.unwrap_or(&self.ws.sources));
        true
    }

    /// Refuse an input: say why; the session stays as it was.
    fn refuse(&mut self, out: &mut String, why: &[Diagnostic], read_in: Option<&SourceMap>) {
        render(out, why, read_in.unwrap_or(&self.ws.sources));
        self.failures += 1;
    }

    /// A meta-command that acts on the session (`:quit`, `:help` and `:history` belong to the
    /// loop).
    pub fn command(&mut self, command: Command, out: &mut String) {
        match command {
            Command::Why(atom) => self.explain(&atom, Ask::Why, None, out),
            Command::WhyNot(atom) => self.explain(&atom, Ask::WhyNot, None, out),
            Command::Explain(atom) => self.explain(&atom, Ask::Either, None, out),
            Command::Load(path) => self.load(&path, out),
            Command::Reload => self.reload(out),
            Command::Retract(fact) => self.retract(&fact, out),
            Command::Facts(pred) => self.facts(pred.as_deref(), out),
            Command::Rules(pred) => self.rules(pred.as_deref(), out),
            Command::Preds => self.preds(out),
            Command::Bill(path) => self.bill(&path, out),
            Command::Diff => self.diff(out),
            Command::AsOf(date) => self.as_of(date.as_deref(), out),
            Command::Lang(lang) => self.set_lang(lang.as_deref(), out),
            Command::Detail(detail) => self.set_detail(detail.as_deref(), out),
            Command::Export {
                format,
                file,
                atom,
                overwrite,
            } => match Format::parse(&format) {
                Some(format) => {
                    self.explain(&atom, Ask::Either, Some((format, &file, overwrite)), out)
                }
                None => {
                    let _ = writeln!(out, "`{format}` is not an export format.");
                }
            },
            Command::Help(_) | Command::History(_) | Command::Quit => {}
        }
    }

    /// Parse `text` as one literal, e.g. `lawful(d1)` or `~lawful(d2)`.
    fn literal(&mut self, text: &str, out: &mut String) -> Option<Literal> {
        self.inputs += 1;
        let name = format!("<input {}>", self.inputs);
        let goal = text.trim().trim_end_matches('.');
        let query = match driver::parse_query(&mut self.ws.sources, &name, goal) {
            Ok(query) => query,
            Err(diagnostics) => {
                self.refuse(out, &diagnostics, None);
                return None;
            }
        };
        if !self.checked(&driver::check_goal(&self.ws, &query.body), None, out) {
            return None;
        }
        match query.body.as_slice() {
            [BodyItem::Literal(literal)] => Some(literal.clone()),
            _ => {
                let _ = writeln!(
                    out,
                    "give one literal, such as `lawful(d1)` or `~lawful(d2)`."
                );
                None
            }
        }
    }

    /// `:why`, `:whynot`, `:explain`, and `:export` when `export` says where to.
    fn explain(
        &mut self,
        text: &str,
        ask: Ask,
        export: Option<(Format, &Path, bool)>,
        out: &mut String,
    ) {
        let Some(literal) = self.literal(text, out) else {
            return;
        };
        if self.model(out).is_none() {
            return;
        }
        let evaluation = self.model.as_ref().expect("evaluated above");
        let style = Style {
            view: View {
                detail: self.detail,
                ..View::default()
            },
            ..Style::new(self.lang)
        };
        let explanation = match evaluation.explain(&self.ws, &literal, ask, style) {
            Ok(explanation) => explanation,
            Err(problem) => {
                let _ = writeln!(out, "{problem}");
                return;
            }
        };
        // The facts decide which explanation there is (its title says which), whatever was
        // asked: a `:why` of what does not hold is its why-not.
        match export {
            None => out.push_str(&explain::render(&explanation, Format::Text)),
            Some((format, path, overwrite)) => {
                let rendered = explain::render(&explanation, format);
                let what = match explanation.kind {
                    Kind::Why => "why it holds",
                    Kind::WhyNot => "why it does not hold",
                };
                let _ = match output::write(path, rendered.as_bytes(), &self.ws, overwrite) {
                    Ok(()) => writeln!(
                        out,
                        "wrote {what} to {} ({} bytes).",
                        escape::text_line(&path.display().to_string()),
                        rendered.len()
                    ),
                    Err(refused) => {
                        self.failures += 1;
                        writeln!(out, "{}; not written.", refused.message())
                    }
                };
            }
        }
    }

    /// `:load PATH`: refused whole when it brings errors.
    fn load(&mut self, path: &Path, out: &mut String) {
        let before = (
            self.ws.modules.len(),
            self.ws.inputs.len(),
            self.ws.diagnostics.len(),
        );
        self.ws.load_paths(&[path.to_path_buf()]);
        let mut problems: Vec<Diagnostic> = self.ws.diagnostics[before.2..].to_vec();
        let diagnostics = self.static_diagnostics();
        let found: Vec<Diagnostic> = diagnostics
            .iter()
            .filter(|d| !self.errors.contains(d) && !problems.contains(d))
            .filter(|d| {
                d.is_error()
                    || d.primary
                        .as_ref()
                        .is_some_and(|l| self.is_new_file(l.span.file, before.0))
            })
            .cloned()
            .collect();
        problems.extend(found);
        let bills = self.ws.modules[before.0..]
            .iter()
            .filter(|m| m.module.kind() == ModuleKind::Bill)
            .count();
        render(out, &problems, &self.ws.sources);
        if problems.iter().any(Diagnostic::is_error) {
            self.rollback(before);
            let _ = writeln!(out, "nothing was loaded.");
            return;
        }
        let loaded = self.ws.modules.len() - before.0;
        if loaded == 0 {
            self.rollback(before);
            let _ = writeln!(
                out,
                "no `.law` files in {}; nothing was loaded.",
                path.display()
            );
            return;
        }
        self.errors = diagnostics
            .into_iter()
            .filter(Diagnostic::is_error)
            .collect();
        self.paths.push(path.to_path_buf());
        self.model = None;
        let items = self.ws.modules[before.0..]
            .iter()
            .flat_map(|m| m.module.items.iter());
        let _ = writeln!(
            out,
            "loaded {} file{}: {}.",
            loaded,
            if loaded == 1 { "" } else { "s" },
            describe(items)
        );
        if bills > 0 {
            let _ = writeln!(out, "note: draft bills are not applied yet (issue 5); the bill files were read but change nothing.");
        }
    }

    fn is_new_file(&self, file: FileId, first_new_module: usize) -> bool {
        self.ws.modules[first_new_module..]
            .iter()
            .any(|m| m.module.file == file)
    }

    /// `:reload`: read the knowledge base and the files again, then replay what was typed.
    fn reload(&mut self, out: &mut String) {
        let mut ws = driver::load(&self.kb, &self.paths, &self.bills, self.ws.max_file_size);
        if !self.typed.is_empty() {
            let text: Vec<&str> = self.typed.iter().map(|t| t.text.as_str()).collect();
            ws.load_text("<typed in this session>", text.join("\n"));
        }
        // Checked before it takes the old workspace's place, so that the session changes in
        // one step at the end.
        let mut report = String::new();
        let errors = report_loaded(&ws, self.dating(), &mut report);
        self.ws = ws;
        self.errors = errors;
        self.model = None;
        out.push_str(&report);
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let _ = writeln!(
            out,
            "reloaded: {}, {}, {}.",
            plural(self.paths.len(), "path", "paths"),
            plural(self.bills.len(), "bill", "bills"),
            plural(self.typed.len(), "statement typed", "statements typed"),
        );
    }

    /// `:retract FACT`: take back a stated fact, typed or from a loaded file.
    fn retract(&mut self, text: &str, out: &mut String) {
        let text = text.trim();
        let text = if text.ends_with('.') {
            text.to_string()
        } else {
            format!("{text}.")
        };
        let mut scratch = SourceMap::new();
        let file = scratch.add("<retract>", text.as_str());
        let fact = match parse_statement(&scratch, file) {
            StatementParse::Complete(items) => match items.as_slice() {
                [Item::Rule(rule)] => GroundFact::of(rule),
                _ => None,
            },
            StatementParse::Invalid(diagnostics) => {
                render(out, &diagnostics, &scratch);
                return;
            }
            StatementParse::Incomplete => None,
        };
        let Some(fact) = fact else {
            let _ = writeln!(
                out,
                "`:retract` takes one fact without variables, such as `:retract consent(d1).`"
            );
            return;
        };
        let matches = |item: &Item| matches!(item, Item::Rule(r) if GroundFact::of(r).as_ref() == Some(&fact));
        // First what would go, then (the same test again, which has just run) the removal:
        // the session changes only once nothing is left to fail.
        let (mut removed, mut from_files, mut in_knowledge) = (Vec::new(), 0, false);
        for loaded in &self.ws.modules {
            if loaded.origin == Origin::Knowledge {
                in_knowledge |= loaded.module.items.iter().any(matches);
                continue;
            }
            for item in loaded.module.items.iter().filter(|i| matches(i)) {
                removed.push(self.ws.sources.location(item.span()));
                // Typed input has a `<...>` name; anything else is a file on disk.
                if !self.ws.sources.get(item.span().file).name.starts_with('<') {
                    from_files += 1;
                }
            }
        }
        for loaded in &mut self.ws.modules {
            if loaded.origin != Origin::Knowledge {
                loaded.module.items.retain(|i| !matches(i));
            }
        }
        self.typed.retain(|t| t.fact.as_ref() != Some(&fact));
        if removed.is_empty() {
            let _ = if in_knowledge {
                writeln!(
                    out,
                    "`{text}` is stated by the knowledge base; a session cannot retract it."
                )
            } else {
                writeln!(
                    out,
                    "`{text}` is not a stated fact; `:facts {}` lists those of its predicate.",
                    fact.pred
                )
            };
            return;
        }
        self.model = None;
        let _ = writeln!(out, "retracted `{text}` ({}).", removed.join(", "));
        if from_files > 0 {
            let _ = writeln!(
                out,
                "note: it comes back on `:reload`, which reads the files again."
            );
        }
    }

    pub(super) fn as_of(&mut self, date: Option<&str>, out: &mut String) {
        match date {
            None => {}
            Some("none") => self.as_of = None,
            Some(text) => match Date::parse(text) {
                Some(date) => self.as_of = Some(date),
                None => {
                    let _ = writeln!(out, "`{text}` is not a date; write YYYY-MM-DD (or `none`).");
                    return;
                }
            },
        }
        if date.is_some() {
            self.model = None;
            self.errors = self
                .static_diagnostics()
                .into_iter()
                .filter(Diagnostic::is_error)
                .collect();
        }
        let _ = match self.date() {
            Ok((date, DateSource::AsOf)) => writeln!(out, "the law in force on {date} applies (`:asof none` lets the case or the bills decide)."),
            Ok((date, DateSource::Bill)) => writeln!(out, "the law in force on {date} applies: the date by which the bills added are in force."),
            Ok((date, DateSource::Case)) => writeln!(out, "the law in force on {date} applies: the date of the case loaded."),
            Ok((date, DateSource::Today)) => writeln!(out, "the law in force today, {date}, applies."),
            Err(problem) => writeln!(out, "{problem}"),
        };
    }

    fn set_detail(&mut self, detail: Option<&str>, out: &mut String) {
        match detail {
            None => {}
            Some("summary") => self.detail = Detail::Summary,
            Some("full") => self.detail = Detail::Full,
            Some(other) => {
                let _ = writeln!(
                    out,
                    "`{other}` is not a detail; choose `summary` or `full`."
                );
                return;
            }
        }
        let _ = writeln!(
            out,
            "explanations: {}.",
            match self.detail {
                Detail::Summary => "the memo alone (summary)",
                Detail::Full => "the memo, then the full derivation (full)",
            }
        );
    }

    fn set_lang(&mut self, lang: Option<&str>, out: &mut String) {
        match lang {
            None => {}
            Some(code) if Lang::parse(code).is_some() => {
                self.lang = Lang::parse(code).expect("checked");
            }
            Some(other) => {
                let _ = writeln!(
                    out,
                    "`{other}` is not a language of explanations; choose `nl`, `en` or `fr`."
                );
                return;
            }
        }
        let _ = writeln!(
            out,
            "explanations in {}.",
            match self.lang {
                Lang::Nl => "Dutch (nl)",
                Lang::En => "English (en)",
                Lang::Fr => "French (fr)",
            }
        );
    }
}

/// The static problems of `ws`, checked on its date (without one when no one date applies:
/// the checks must run anyway).
fn static_diagnostics(ws: &Workspace, dating: Dating) -> Vec<Diagnostic> {
    let date = dating.session(ws).ok().map(|(date, _)| date);
    driver::check(ws, date).diagnostics().to_vec()
}

/// Show the problems of what is loaded: the user's files in full, the knowledge base's errors
/// in full and its warnings as a count. The errors, which the session keeps.
fn report_loaded(ws: &Workspace, dating: Dating, out: &mut String) -> Vec<Diagnostic> {
    let mut diagnostics = static_diagnostics(ws, dating);
    // A file loaded without a `case` header is judged on the session's date: say which.
    if let Ok(date) = dating.session(ws) {
        diagnostics.extend(driver::undated(ws, date));
    }
    let knowledge_files: Vec<FileId> = ws
        .modules
        .iter()
        .filter(|m| m.origin == Origin::Knowledge)
        .map(|m| m.module.file)
        .collect();
    let in_knowledge = |d: &Diagnostic| {
        d.primary
            .as_ref()
            .is_some_and(|l| knowledge_files.contains(&l.span.file))
    };
    let shown: Vec<Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.is_error() || !in_knowledge(d))
        .cloned()
        .collect();
    render(out, &shown, &ws.sources);
    let hidden = diagnostics.len() - shown.len();
    if hidden > 0 {
        let _ = writeln!(
            out,
            "(the knowledge base has {hidden} warning{}; `grondslag check` lists them)",
            if hidden == 1 { "" } else { "s" }
        );
    }
    let errors: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    if !errors.is_empty() {
        let _ = writeln!(
            out,
            "the session has errors: queries wait until they are fixed (then `:reload`)."
        );
    }
    errors
}

/// Render diagnostics followed by nothing else; nothing when there are none.
pub(super) fn render(out: &mut String, diagnostics: &[Diagnostic], sources: &SourceMap) {
    if !diagnostics.is_empty() {
        out.push_str(&render_all(diagnostics, sources));
    }
}

fn in_file(d: &Diagnostic, file: FileId) -> bool {
    d.primary.as_ref().is_some_and(|l| l.span.file == file)
}

/// The same text with everything but line breaks turned into spaces.
fn blank(text: &str) -> String {
    text.chars()
        .map(|c| if c == '\n' { '\n' } else { ' ' })
        .collect()
}

/// "2 facts, 1 default rule and 1 superiority pair".
pub(super) fn describe<'a>(items: impl Iterator<Item = &'a Item>) -> String {
    let mut counts = [0usize; 7];
    for item in items {
        let i = match item {
            Item::Rule(r) if r.is_fact() => 0,
            Item::Rule(r) if r.kind == RuleKind::Strict => 1,
            Item::Rule(r) if r.kind == RuleKind::Defeasible => 2,
            Item::Rule(_) => 3,
            Item::Superiority(_) => 4,
            Item::Pred(_) | Item::Type(_) => 5,
            Item::Query(_) | Item::Expect(_) | Item::Repeal(_) => 6,
        };
        counts[i] += 1;
    }
    let names = [
        ("fact", "facts"),
        ("rule", "rules"),
        ("default rule", "default rules"),
        ("defeater", "defeaters"),
        ("superiority pair", "superiority pairs"),
        ("declaration", "declarations"),
        ("other statement", "other statements"),
    ];
    let parts: Vec<String> = counts
        .iter()
        .zip(names)
        .filter(|(n, _)| **n > 0)
        .map(|(n, (one, many))| format!("{n} {}", if *n == 1 { one } else { many }))
        .collect();
    match parts.as_slice() {
        [] => "nothing".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A session on a bare engine (no knowledge base), and what its start printed.
    fn session() -> Session {
        let mut out = String::new();
        let start = ReplStart {
            ws: Workspace::new(),
            kb: KnowledgeBase::Nothing,
            paths: Vec::new(),
            bills: Vec::new(),
            options: Options::default(),
            as_of: None,
            lang: Lang::En,
            history: false,
        };
        let session = Session::new(start, &mut out);
        assert_eq!(out, "");
        session
    }

    fn enter(session: &mut Session, text: &str) -> String {
        let mut out = String::new();
        session.enter(text, &mut out);
        out
    }

    fn command(session: &mut Session, line: &str) -> String {
        let mut out = String::new();
        session.command(super::super::commands::parse(line).unwrap(), &mut out);
        out
    }

    #[test]
    fn a_refused_statement_leaves_the_session_as_it_was() {
        let mut s = session();
        assert_eq!(
            enter(&mut s, "r1: p(X) :- q(X).  q(a)."),
            "added 1 fact and 1 rule.\n"
        );
        // A duplicate label: refused whole, the fact beside it too.
        let out = enter(&mut s, "q(b). r1: p(X) :- q(X), X != a.");
        assert!(out.contains("error[duplicate_label]"), "{out}");
        assert!(out.ends_with("nothing was added.\n"), "{out}");
        assert_eq!(
            enter(&mut s, "p(X)?"),
            "X  status\na  definitely\n(1 answer)\n"
        );
    }

    #[test]
    fn statements_and_a_short_query_on_one_line() {
        let mut s = session();
        let out = enter(&mut s, "q(a). q(b). q(X)?");
        assert_eq!(
            out,
            "added 2 facts.\nX  status\na  definitely\nb  definitely\n(2 answers)\n"
        );
        // The caret of an error in the goal lands where it was typed.
        let out = enter(&mut s, "q(c). q(X,)?");
        assert!(out.contains("<input 2>:1:11"), "{out}");
    }

    #[test]
    fn expectations_are_checked_at_once() {
        let mut s = session();
        enter(&mut s, "q(a). r(b).");
        assert_eq!(enter(&mut s, "expect q(a)."), "as expected: expect q(a).\n");
        let out = enter(&mut s, "expect q(b).");
        assert!(out.starts_with("NOT as expected: expect q(b).\n"), "{out}");
        // About nothing the session states: refused, as a typo would be.
        let out = enter(&mut s, "expect q(c).");
        assert!(out.starts_with("error[vacuous_expectation]"), "{out}");
        assert_eq!(s.failures, 2);
    }

    #[test]
    fn retracted_facts_stay_retracted_on_reload() {
        let mut s = session();
        enter(&mut s, "q(a). q(b).");
        assert!(command(&mut s, ":retract q(a)").starts_with("retracted `q(a).`"));
        assert!(command(&mut s, ":retract q(a).").contains("is not a stated fact"));
        assert!(command(&mut s, ":retract q(X).").contains("takes one fact without variables"));
        let out = command(&mut s, ":reload");
        assert!(out.contains("1 statement typed"), "{out}");
        assert_eq!(
            enter(&mut s, "q(X)?"),
            "X  status\nb  definitely\n(1 answer)\n"
        );
    }

    #[test]
    fn the_date_decides_which_rules_apply() {
        let mut s = session();
        enter(
            &mut s,
            "@valid(from: 2020-01-01) new_rule: p(X) :- q(X).  q(a).",
        );
        assert!(command(&mut s, ":asof 2019-06-01").contains("the law in force on 2019-06-01"));
        assert_eq!(enter(&mut s, "p(a)?"), "no\n");
        command(&mut s, ":asof none");
        assert_eq!(enter(&mut s, "p(a)?"), "yes (definitely)\n");
        assert!(command(&mut s, ":asof 2020-02-30").contains("is not a date"));
    }

    #[test]
    fn repeal_and_headers_belong_in_files() {
        let mut s = session();
        assert!(enter(&mut s, "repeal r1.").contains("`repeal` belongs in a draft bill"));
        assert!(enter(&mut s, "case c \"C\" date 2020-01-01.").contains("not in the REPL"));
        assert!(command(&mut s, ":diff").starts_with("no bills added"));
    }
}
