//! Loading: `.law` files and directories from disk, the embedded knowledge base, and the
//! TSV/CSV fact files that `@input` declarations name.
//!
//! The library's only I/O (the binary's `cli` and `repl` do the rest); everything it reads
//! ends up in a [`Workspace`]: the source texts, their parsed modules, and the diagnostics
//! met on the way (a missing file is a diagnostic, never a panic).
//!
//! Only regular files are read, and only up to [`Workspace::max_file_size`]: a FIFO would block
//! the command and `/dev/zero` would fill the memory, so each is refused with `not_a_file`
//! (checked before opening, and again on the opened file), and a file above the limit with
//! `file_too_large`. A directory walk enters each directory once, whatever symbolic links lead
//! to it, and leaves out what is not a regular file, with a `skipped_path` warning.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::citation::Citations;
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

    /// The knowledge base's date, as `grondslag --version` names it: the latest date its
    /// files state — a bound of a rule's or superiority pair's `@valid` period, or a case's
    /// `date`. Bills are drafts and do not count. `None` for a bare engine or a knowledge base
    /// that states no date.
    pub fn date(&self) -> Option<Date> {
        // Read as the user's files are (cases and bills included, the limits of `load_path`
        // kept), so that each module is there to be asked.
        let mut ws = Workspace::new();
        match self {
            KnowledgeBase::Nothing => {}
            KnowledgeBase::Bundled => {
                let mut files = Vec::new();
                collect_embedded(&KNOWLEDGE, &mut files);
                for (path, text) in files {
                    ws.load_text(path.display().to_string(), text);
                }
            }
            KnowledgeBase::Path(path) => ws.load_paths(std::slice::from_ref(path)),
        }
        ws.modules
            .iter()
            .filter_map(|m| latest_date(&m.module))
            .max()
    }
}

/// The latest date a module states: its case `date`, or a bound of an `@valid` period.
fn latest_date(module: &Module) -> Option<Date> {
    let header = module.header.as_ref();
    if header.is_some_and(|h| h.kind == ModuleKind::Bill) {
        return None;
    }
    let case_date = header.and_then(|h| h.date).map(|(date, _)| date);
    let bounds = module.items.iter().flat_map(|item| {
        let valid = match item {
            Item::Rule(rule) => rule.attrs.valid,
            Item::Superiority(pair) => pair.attrs.valid,
            _ => None,
        };
        valid.into_iter().flat_map(|v| [v.from, v.until]).flatten()
    });
    bounds.chain(case_date).max()
}

/// Where a module came from: the knowledge base, or the files the user named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The knowledge base.
    Knowledge,
    /// A file or directory the user named, or text typed in the REPL.
    User,
    /// A draft bill given with `--bill` (or `:bill`): applied on top of the law (docs/bills.md).
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

/// The table of official sources, in a knowledge base directory.
const SOURCES: &str = "sources.tsv";

/// The largest file read unless the front end says otherwise (`--max-file-size`): 256 MiB,
/// some five million facts, far above any statute or case file, and small enough that what a
/// mistaken path reads stays within the memory of a laptop.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 256 << 20;

/// Everything loaded for one invocation.
#[derive(Debug)]
pub struct Workspace {
    /// Every text loaded.
    pub sources: SourceMap,
    /// Every module parsed, in load order.
    pub modules: Vec<LoadedModule>,
    /// Facts read from `@input` files.
    pub inputs: Vec<InputFacts>,
    /// Problems met while loading and parsing (missing files, syntax errors).
    pub diagnostics: Vec<Diagnostic>,
    /// What the front end read from standard input, loaded where a path is [`STANDARD_INPUT`]
    /// (`-`). The library never reads standard input itself.
    pub standard_input: Option<String>,
    /// The table of official sources kept with the knowledge base (`sources.tsv`), which
    /// explanations link citations through.
    pub citations: Citations,
    /// Files larger than this many bytes are refused (`file_too_large`).
    pub max_file_size: u64,
    /// Every file on disk that was read (or refused), so that a front end never writes its
    /// output over one of them ([`Workspace::is_input`]).
    read: Vec<Identity>,
}

impl Default for Workspace {
    fn default() -> Workspace {
        Workspace {
            sources: SourceMap::default(),
            modules: Vec::new(),
            inputs: Vec::new(),
            diagnostics: Vec::new(),
            standard_input: None,
            citations: Citations::default(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            read: Vec::new(),
        }
    }
}

/// The path that stands for standard input: `grondslag check -`.
pub const STANDARD_INPUT: &str = "-";

/// The name standard input goes by in diagnostics.
pub const STANDARD_INPUT_NAME: &str = "<stdin>";

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
                if let Some(table) = KNOWLEDGE.get_file(SOURCES).and_then(|f| f.contents_utf8()) {
                    self.citations = Citations::parse(table);
                }
                let mut files = Vec::new();
                collect_embedded(&KNOWLEDGE, &mut files);
                files.sort_by(|a, b| a.0.cmp(&b.0));
                for (path, text) in files {
                    let home = Home::Embedded(path.parent().unwrap_or(Path::new("")).into());
                    let name = format!("<bundled>/knowledge/{}", path.display());
                    self.add_text(name, text, Origin::Knowledge, home, true);
                }
            }
            KnowledgeBase::Path(path) => {
                // A table kept with a knowledge base directory, read like any file (a regular
                // file within the size limit); one that cannot be read gives explanations
                // without links.
                let table = path.join(SOURCES);
                if table.is_file() {
                    if let Ok(text) = self.read(&table) {
                        self.citations = Citations::parse(&text);
                    }
                }
                self.load_path(path, Origin::Knowledge, true)
            }
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
        if path == Path::new(STANDARD_INPUT) {
            match self.standard_input.clone() {
                // The front end reads at most one byte over the limit, so it can be told.
                Some(text) if text.len() as u64 > self.max_file_size => {
                    let name = Path::new(STANDARD_INPUT_NAME);
                    let refusal = Refusal::TooLarge(self.max_file_size).diagnostic(name, "");
                    self.diagnostics
                        .push(refusal.for_path(STANDARD_INPUT_NAME.to_string()));
                }
                Some(text) => {
                    let home = Home::Nowhere;
                    self.add_text(
                        STANDARD_INPUT_NAME.into(),
                        text,
                        origin,
                        home,
                        knowledge_only,
                    );
                }
                None => self
                    .diagnostics
                    .push(io_error(path, "standard input was not read")),
            }
            return;
        }
        let mut files = Vec::new();
        if path.is_dir() {
            if let Err(err) = self.walk(path, &mut files) {
                self.diagnostics.push(io_error(path, &err.to_string()));
                return;
            }
            files.sort();
        } else {
            files.push(path.to_path_buf());
        }
        for file in files {
            match self.read(&file) {
                Ok(text) => {
                    let home = Home::Disk(file.parent().unwrap_or(Path::new(".")).into());
                    let name = file.display().to_string();
                    self.add_text(name, text, origin, home, knowledge_only);
                }
                Err(refusal) => {
                    let diagnostic = refusal.diagnostic(&file, "");
                    self.diagnostics
                        .push(diagnostic.for_path(file.display().to_string()));
                }
            }
        }
    }

    /// Whether `path` names a file this workspace read (or refused to read): the same file,
    /// however it is named (a symbolic link, `./case.law`, a hard link).
    pub fn is_input(&self, path: &Path) -> bool {
        std::fs::metadata(path).is_ok_and(|m| self.read.contains(&Identity::of(path, &m)))
    }

    /// The text of a file, if it is a regular file within the size limit.
    fn read(&mut self, path: &Path) -> Result<String, Refusal> {
        // The type is checked before opening: opening a device can act (a tape rewinds), and
        // opening a FIFO waits for a writer.
        let metadata = std::fs::metadata(path).map_err(Refusal::Io)?;
        self.read.push(Identity::of(path, &metadata));
        regular(&metadata, self.max_file_size)?;
        let mut file = open_without_waiting(path).map_err(Refusal::Io)?;
        // Again on what was opened, in case the path changed in between.
        regular(&file.metadata().map_err(Refusal::Io)?, self.max_file_size)?;
        let mut text = String::new();
        // A file that grows while it is read stops at the limit too.
        (&mut file)
            .take(self.max_file_size + 1)
            .read_to_string(&mut text)
            .map_err(Refusal::Io)?;
        if text.len() as u64 > self.max_file_size {
            return Err(Refusal::TooLarge(self.max_file_size));
        }
        Ok(text)
    }

    /// Every `.law` file below `dir`. Each directory is entered once, however many symbolic
    /// links lead to it (a link back up the tree would be walked forever, a link beside it
    /// would load its cases twice); what is not a regular file or a directory is left out.
    /// Both with a `skipped_path` warning.
    fn walk(&mut self, dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
        // What was entered or read, by identity, and the path it was first found at.
        let mut entered = HashMap::new();
        entered.insert(
            Identity::of(dir, &std::fs::metadata(dir)?),
            dir.to_path_buf(),
        );
        let mut files: HashMap<Identity, PathBuf> = HashMap::new();
        let mut to_enter = vec![dir.to_path_buf()];
        while let Some(dir) = to_enter.pop() {
            let mut entries = std::fs::read_dir(&dir)?
                .map(|entry| entry.map(|e| e.path()))
                .collect::<std::io::Result<Vec<PathBuf>>>()?;
            // In path order, so which of two links to a directory is kept does not depend on
            // the order the file system lists them in.
            entries.sort();
            let mut below = Vec::new();
            for path in entries {
                let is_law = path.extension().is_some_and(|e| e == "law");
                // Following links: what the entry leads to decides. A broken link to a
                // `.law` file is read, and reported, like a missing file.
                let Ok(metadata) = std::fs::metadata(&path) else {
                    if is_law {
                        out.push(path);
                    }
                    continue;
                };
                let identity = Identity::of(&path, &metadata);
                if metadata.is_dir() {
                    match entered.get(&identity) {
                        Some(first) => self.diagnostics.push(skipped(
                            &path,
                            format!(
                                "`{}` leads to `{}`, which is searched already",
                                path.display(),
                                first.display()
                            ),
                            "a symbolic link to a directory above it or beside it; each directory is read once",
                        )),
                        None => {
                            entered.insert(identity, path.clone());
                            below.push(path);
                        }
                    }
                } else if is_law {
                    if !metadata.is_file() {
                        self.diagnostics.push(skipped(
                            &path,
                            format!("`{}` is {}, not a file", path.display(), kind(&metadata)),
                            "only regular `.law` files are read",
                        ));
                    } else if let Some(first) = files.get(&identity) {
                        self.diagnostics.push(skipped(
                            &path,
                            format!(
                                "`{}` is the file `{}`, which is read already",
                                path.display(),
                                first.display()
                            ),
                            "a symbolic or hard link to another file of the directory; each file is read once",
                        ));
                    } else {
                        files.insert(identity, path.clone());
                        out.push(path);
                    }
                }
            }
            to_enter.extend(below.into_iter().rev());
        }
        Ok(())
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
        // The knowledge base proper excludes its case files and bills (docs/knowledge.md).
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
                Home::Disk(dir) => self.read(&dir.join(name)),
                Home::Nowhere => self.read(Path::new(name)),
                Home::Embedded(dir) => KNOWLEDGE
                    .get_file(dir.join(name))
                    .and_then(|f| f.contents_utf8())
                    .map(str::to_string)
                    .ok_or(Refusal::NotBundled),
            };
            let text = match text {
                Ok(text) => text,
                Err(refusal) => {
                    let diagnostic = refusal.diagnostic(Path::new(name), "fact file ");
                    self.diagnostics.push(diagnostic.at(*span));
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

/// Why a file was not read.
#[derive(Debug)]
enum Refusal {
    Io(std::io::Error),
    /// A FIFO, a device, a socket, or a directory where a file is needed: what it is.
    NotAFile(&'static str),
    /// Larger than the limit, in bytes.
    TooLarge(u64),
    /// An `@input` of the bundled knowledge base that it does not hold.
    NotBundled,
}

impl Refusal {
    /// The diagnostic, without a place (the caller adds the path or the `@input`); `what` is
    /// `"fact file "` for an `@input` file.
    fn diagnostic(&self, path: &Path, what: &str) -> Diagnostic {
        let shown = path.display();
        match self {
            Refusal::Io(err) => {
                Diagnostic::new(Code::Io, format!("cannot read {what}`{shown}`: {err}")).hint(
                    if what.is_empty() {
                        "check the path; directories are searched for `.law` files"
                    } else {
                        "the path is relative to the file that declares the predicate"
                    },
                )
            }
            Refusal::NotAFile(kind) => Diagnostic::new(
                Code::NotAFile,
                format!("{what}`{shown}` is {kind}, not a file"),
            )
            .hint(if *kind == "a directory" {
                "name a file here; directories are searched for `.law` files only where paths are given"
            } else {
                "only regular files are read (a FIFO or a device could block or never end): save the text to a file and give that"
            }),
            Refusal::TooLarge(limit) => Diagnostic::new(
                Code::FileTooLarge,
                format!("{what}`{shown}` is larger than {}, the most a file may hold", size(*limit)),
            )
            .hint("split it into several files (a directory is read whole), or raise the limit with `--max-file-size`"),
            Refusal::NotBundled => Diagnostic::new(
                Code::Io,
                format!("cannot read fact file `{shown}`: not found in the bundled knowledge base"),
            ),
        }
    }
}

/// Refuse what is not a regular file or is above the limit.
fn regular(metadata: &std::fs::Metadata, limit: u64) -> Result<(), Refusal> {
    if !metadata.is_file() {
        return Err(Refusal::NotAFile(kind(metadata)));
    }
    if metadata.len() > limit {
        return Err(Refusal::TooLarge(limit));
    }
    Ok(())
}

/// What a path that is not a regular file is, in words.
fn kind(metadata: &std::fs::Metadata) -> &'static str {
    if metadata.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = metadata.file_type();
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

/// `256 MiB`, `1.5 KiB`, `12 bytes`.
fn size(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (unit, name) in UNITS {
        if bytes >= unit {
            let value = bytes as f64 / unit as f64;
            return if bytes.is_multiple_of(unit) {
                format!("{} {name}", bytes / unit)
            } else {
                format!("{value:.1} {name}")
            };
        }
    }
    format!("{bytes} bytes")
}

/// Open for reading without ever waiting: with `O_NONBLOCK` a FIFO that took the place of a
/// regular file after it was checked opens at once (and is refused when checked again).
fn open_without_waiting(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut options,
        libc::O_NONBLOCK | libc::O_NOCTTY,
    );
    options.open(path)
}

/// Which file a path names, however it is named: device and inode on Unix, the canonical
/// path elsewhere.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Identity {
    #[cfg(unix)]
    Inode(u64, u64),
    #[cfg_attr(unix, allow(dead_code))]
    Path(PathBuf),
}

impl Identity {
    fn of(path: &Path, metadata: &std::fs::Metadata) -> Identity {
        #[cfg(unix)]
        {
            let _ = path;
            use std::os::unix::fs::MetadataExt;
            Identity::Inode(metadata.dev(), metadata.ino())
        }
        #[cfg(not(unix))]
        {
            let _ = metadata;
            Identity::Path(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
        }
    }
}

/// A walk left `path` out.
fn skipped(path: &Path, message: String, hint: &str) -> Diagnostic {
    Diagnostic::new(Code::SkippedPath, message)
        .for_path(path.display().to_string())
        .hint(hint)
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
