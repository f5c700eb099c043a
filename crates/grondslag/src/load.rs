//! Loading: `.law` files and directories from disk, the embedded knowledge base, and the
//! TSV/CSV fact files that `@input` declarations name.
//!
//! The library's only I/O (the binary's `cli` and `repl` do the rest); everything it reads
//! ends up in a [`Workspace`]: the source texts, their parsed modules, and the diagnostics
//! met on the way (a missing file is a diagnostic, never a panic).

use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};
use crate::eval::InputFacts;
use crate::kb::KNOWLEDGE;
use crate::source::{FileId, SourceMap};
use crate::syntax::ast::{Item, Module, ModuleKind};
use crate::syntax::parse;
use crate::value::{Date, Value};

/// Which knowledge base to load under the user's files (`--kb`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KnowledgeBase {
    /// The one embedded in the binary at build time.
    Bundled,
    /// `--kb none`: a bare engine.
    Nothing,
    /// `--kb PATH`: a file or a directory on disk.
    Path(PathBuf),
}

impl KnowledgeBase {
    /// The knowledge base `--kb` names: `bundled`, `none`, or a path.
    pub fn from_arg(arg: &str) -> KnowledgeBase {
        match arg {
            "none" => KnowledgeBase::Nothing,
            "bundled" | "default" => KnowledgeBase::Bundled,
            path => KnowledgeBase::Path(PathBuf::from(path)),
        }
    }
}

/// Where a module came from: the knowledge base, or the files the user named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The knowledge base.
    Knowledge,
    /// A file or directory the user named, or text typed in the REPL.
    User,
    /// A draft bill given with `--bill` (or `:bill`): applied on top of the law (SPEC §4).
    Bill,
}

/// Where the `@input` files of a module are looked up.
#[derive(Clone, Debug)]
enum Home {
    /// A directory on disk.
    Disk(PathBuf),
    /// A directory inside the embedded knowledge base.
    Embedded(PathBuf),
    /// Text typed in the REPL or given on the command line: relative to the working directory.
    Nowhere,
}

/// Everything loaded for one invocation.
#[derive(Debug, Default)]
pub struct Workspace {
    /// Every text loaded.
    pub sources: SourceMap,
    /// Every module parsed, in load order.
    pub modules: Vec<LoadedModule>,
    /// Facts read from `@input` files.
    pub inputs: Vec<InputFacts>,
    /// Problems met while loading and parsing (missing files, syntax errors).
    pub diagnostics: Vec<Diagnostic>,
}

/// A parsed module and where it came from.
#[derive(Debug)]
pub struct LoadedModule {
    /// The module.
    pub module: Module,
    /// Where it came from.
    pub origin: Origin,
}

impl Workspace {
    /// Nothing loaded.
    pub fn new() -> Workspace {
        Workspace::default()
    }

    /// Load the knowledge base proper: every file that is neither a case nor a bill.
    pub fn load_knowledge(&mut self, kb: &KnowledgeBase) {
        match kb {
            KnowledgeBase::Nothing => {}
            KnowledgeBase::Bundled => {
                let mut files = Vec::new();
                collect_embedded(&KNOWLEDGE, &mut files);
                files.sort_by(|a, b| a.0.cmp(&b.0));
                for (path, text) in files {
                    let home = Home::Embedded(path.parent().unwrap_or(Path::new("")).into());
                    let name = format!("<bundled>/knowledge/{}", path.display());
                    self.add_text(name, text, Origin::Knowledge, home, true);
                }
            }
            KnowledgeBase::Path(path) => self.load_path(path, Origin::Knowledge, true),
        }
    }

    /// Load the files and directories the user named (all `.law` files below a directory,
    /// sorted by path).
    pub fn load_paths(&mut self, paths: &[PathBuf]) {
        for path in paths {
            self.load_path(path, Origin::User, false);
        }
    }

    /// Load the draft bills given with `--bill`: each file is applied from its effective date
    /// (`crate::time`), never evaluated as a case or a part of the knowledge base.
    pub fn load_bills(&mut self, paths: &[PathBuf]) {
        for path in paths {
            self.load_path(path, Origin::Bill, false);
        }
    }

    /// Add text that did not come from a file (the REPL, `-q`). Returns its file id.
    pub fn load_text(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        self.add_text(name.into(), text.into(), Origin::User, Home::Nowhere, false)
    }

    /// Add a draft bill given as text (the workbench's bill page), as `load_bills` adds a
    /// bill file.
    pub fn load_bill_text(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        self.add_text(name.into(), text.into(), Origin::Bill, Home::Nowhere, false)
    }

    fn load_path(&mut self, path: &Path, origin: Origin, knowledge_only: bool) {
        let mut files = Vec::new();
        if path.is_dir() {
            if let Err(err) = collect_law_files(path, &mut files) {
                self.diagnostics.push(io_error(path, &err.to_string()));
                return;
            }
            files.sort();
        } else {
            files.push(path.to_path_buf());
        }
        for file in files {
            match std::fs::read_to_string(&file) {
                Ok(text) => {
                    let home = Home::Disk(file.parent().unwrap_or(Path::new(".")).into());
                    let name = file.display().to_string();
                    self.add_text(name, text, origin, home, knowledge_only);
                }
                Err(err) => self.diagnostics.push(io_error(&file, &err.to_string())),
            }
        }
    }

    fn add_text(
        &mut self,
        name: String,
        text: String,
        origin: Origin,
        home: Home,
        knowledge_only: bool,
    ) -> FileId {
        // A file identical to one of the knowledge base (`check knowledge/` in the repository,
        // with the bundled copy loaded too) is that file: loading it twice would only report
        // every label as a duplicate.
        if origin != Origin::Knowledge {
            if let Some(same) = self.modules.iter().find(|m| {
                m.origin == Origin::Knowledge && self.sources.get(m.module.file).text == text
            }) {
                return same.module.file;
            }
        }
        let file = self.sources.add(name, text);
        let (module, diagnostics) = parse(&self.sources, file);
        self.diagnostics.extend(diagnostics);
        // The knowledge base proper excludes its case files and bills (SPEC §7).
        if knowledge_only && module.kind() != ModuleKind::Module {
            return file;
        }
        self.read_inputs(&module, &home);
        self.modules.push(LoadedModule { module, origin });
        file
    }

    /// Read the fact files named by `@input("...")` on the module's `pred` declarations.
    fn read_inputs(&mut self, module: &Module, home: &Home) {
        for item in &module.items {
            let Item::Pred(decl) = item else { continue };
            let Some((name, span)) = &decl.attrs.input else {
                continue;
            };
            let text = match home {
                Home::Disk(dir) => {
                    std::fs::read_to_string(dir.join(name)).map_err(|e| e.to_string())
                }
                Home::Nowhere => std::fs::read_to_string(name).map_err(|e| e.to_string()),
                Home::Embedded(dir) => KNOWLEDGE
                    .get_file(dir.join(name))
                    .and_then(|f| f.contents_utf8())
                    .map(str::to_string)
                    .ok_or_else(|| "not found in the bundled knowledge base".to_string()),
            };
            let text = match text {
                Ok(text) => text,
                Err(err) => {
                    self.diagnostics.push(
                        Diagnostic::new(Code::Io, format!("cannot read fact file `{name}`: {err}"))
                            .at(*span)
                            .hint("the path is relative to the file that declares the predicate"),
                    );
                    continue;
                }
            };
            let separator = if name.ends_with(".csv") { ',' } else { '\t' };
            let arity = decl.params.len();
            let mut rows = Vec::new();
            for (number, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let row: Vec<Value> = line.split(separator).map(parse_cell).collect();
                if row.len() != arity {
                    self.diagnostics.push(
                        Diagnostic::new(
                            Code::ArityMismatch,
                            format!(
                                "line {} of `{name}` has {} columns, but `{}` takes {arity} arguments",
                                number + 1,
                                row.len(),
                                decl.name.name
                            ),
                        )
                        .at(*span)
                        .hint("columns are separated by tabs (`.tsv`) or commas (`.csv`)"),
                    );
                    break;
                }
                rows.push(row);
            }
            self.inputs.push(InputFacts {
                pred: decl.name.name.clone(),
                span: *span,
                rows,
            });
        }
    }

    /// The modules of the knowledge base and the user's non-case, non-bill files: what every
    /// evaluation shares.
    pub fn shared_modules(&self) -> Vec<&Module> {
        self.modules
            .iter()
            .filter(|m| m.origin != Origin::Bill && m.module.kind() == ModuleKind::Module)
            .map(|m| &m.module)
            .collect()
    }

    /// The case files the user named, each evaluated on its own over the shared modules.
    pub fn case_modules(&self) -> Vec<&Module> {
        self.modules
            .iter()
            .filter(|m| m.origin != Origin::Bill && m.module.kind() == ModuleKind::Case)
            .map(|m| &m.module)
            .collect()
    }

    /// Every module the user named (not the knowledge base).
    pub fn user_modules(&self) -> Vec<&Module> {
        self.modules
            .iter()
            .filter(|m| m.origin == Origin::User)
            .map(|m| &m.module)
            .collect()
    }

    /// Every loaded module except bills.
    pub fn all_modules(&self) -> Vec<&Module> {
        self.modules
            .iter()
            .filter(|m| m.origin != Origin::Bill && m.module.kind() != ModuleKind::Bill)
            .map(|m| &m.module)
            .collect()
    }

    /// The files given as draft bills (`--bill`), whatever they turned out to contain.
    pub fn bill_modules(&self) -> Vec<&Module> {
        self.modules
            .iter()
            .filter(|m| m.origin == Origin::Bill)
            .map(|m| &m.module)
            .collect()
    }

    /// Whether loading found an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// A cell of a fact file: unquoted digits are integers, `YYYY-MM-DD` is a date, anything else
/// is text (surrounding double quotes removed).
pub fn parse_cell(cell: &str) -> Value {
    let cell = cell.trim_end_matches('\r');
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(n) = cell.parse::<i64>() {
            return Value::Int(n);
        }
    }
    if cell.len() == 10 && cell.as_bytes()[4] == b'-' && cell.as_bytes()[7] == b'-' {
        if let Some(date) = Date::parse(cell) {
            return Value::Date(date);
        }
    }
    let unquoted = cell
        .strip_prefix('"')
        .and_then(|c| c.strip_suffix('"'))
        .unwrap_or(cell);
    Value::text(unquoted)
}

fn collect_law_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_law_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "law") {
            out.push(path);
        }
    }
    Ok(())
}

fn collect_embedded(dir: &'static include_dir::Dir<'static>, out: &mut Vec<(PathBuf, String)>) {
    for file in dir.files() {
        if file.path().extension().is_some_and(|e| e == "law") {
            if let Some(text) = file.contents_utf8() {
                out.push((file.path().to_path_buf(), text.to_string()));
            }
        }
    }
    for sub in dir.dirs() {
        collect_embedded(sub, out);
    }
}

fn io_error(path: &Path, err: &str) -> Diagnostic {
    Diagnostic::new(Code::Io, format!("cannot read `{}`: {err}", path.display()))
        .for_path(path.display().to_string())
        .hint("check the path; directories are searched for `.law` files")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_keep_their_kind() {
        assert_eq!(parse_cell("42"), Value::Int(42));
        assert_eq!(parse_cell("-7"), Value::Int(-7));
        assert_eq!(
            parse_cell("2021-06-01"),
            Value::Date(Date::parse("2021-06-01").unwrap())
        );
        assert_eq!(parse_cell("mechelen"), Value::text("mechelen"));
        assert_eq!(
            parse_cell("\"Gemeente Mechelen\""),
            Value::text("Gemeente Mechelen")
        );
        assert_eq!(
            parse_cell("99999999999999999999"),
            Value::text("99999999999999999999")
        );
    }

    #[test]
    fn a_missing_path_is_a_diagnostic() {
        let mut ws = Workspace::new();
        ws.load_paths(&[PathBuf::from("/nonexistent/grondslag/case.law")]);
        assert_eq!(ws.diagnostics.len(), 1);
        assert_eq!(ws.diagnostics[0].code, Code::Io);
    }
}
