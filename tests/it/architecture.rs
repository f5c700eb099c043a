//! The shape of the code, read from the code itself.
//!
//! - The module dependency graph of the library (`crates/grondslag`) and of the binary
//!   (`src/`): every path a module names (`use crate::eval::ir`, `crate::model::Model`,
//!   `super::super::time`, `grondslag::driver` from the binary) is an edge from its top-level
//!   module to the top-level module it reaches. The graph must have no cycle, and
//!   docs/architecture.md carries it between two markers: the test fails when the doc is stale
//!   (`UPDATE_ARCHITECTURE=1 cargo test --test it architecture::` rewrites it).
//! - The library is pure: no printing, no process exit, no terminal, no wall clock; files are
//!   read only by its loader (`load.rs`).
//!
//! Code under `#[cfg(test)]` is left out: tests may reach anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const DOC: &str = "docs/architecture.md";
const BEGIN: &str = "<!-- module-edges:begin -->";
const END: &str = "<!-- module-edges:end -->";

/// One crate of the workspace, as the test reads it.
struct Crate {
    /// How the other crate names it (`grondslag`), and how its modules are prefixed in the
    /// doc (`grondslag-cli` modules are named `bin::cli`).
    label: &'static str,
    src: &'static str,
    /// The root file (`lib.rs`, `main.rs`).
    root: &'static str,
}

const LIBRARY: Crate = Crate {
    label: "",
    src: "crates/grondslag/src",
    root: "lib.rs",
};
const BINARY: Crate = Crate {
    label: "bin::",
    src: "src",
    root: "main.rs",
};

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).expect("a source directory") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The module path of a file: `eval/dataflow/linear.rs` → `["eval", "dataflow", "linear"]`;
/// `eval/mod.rs` → `["eval"]`; the root file → `[]`.
fn module_path(krate: &Crate, file: &Path) -> Vec<String> {
    let relative = file
        .strip_prefix(repository().join(krate.src))
        .expect("a file of the crate");
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().expect("a file name");
    if last != "mod.rs" && last != krate.root {
        parts.push(last.trim_end_matches(".rs").to_string());
    }
    parts
}

/// The text of a Rust file with comments, string and character literals blanked out and
/// every `#[cfg(test)]` item removed, so that only code the build ships remains.
fn code_only(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        if rest.starts_with("//") {
            let end = rest.find('\n').map_or(text.len(), |n| i + n);
            i = end;
        } else if rest.starts_with("/*") {
            // Block comments nest in Rust.
            let mut depth = 0;
            let mut j = i;
            while j < bytes.len() {
                if text[j..].starts_with("/*") {
                    depth += 1;
                    j += 2;
                } else if text[j..].starts_with("*/") {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            out.push(' ');
            i = j;
        } else if let Some(len) = raw_string(rest) {
            out.push_str("\"\"");
            i += len;
        } else if rest.starts_with('"') {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] != b'"' {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            out.push_str("\"\"");
            i = j + 1;
        } else if let Some(len) = char_literal(rest) {
            out.push_str("' '");
            i += len;
        } else {
            let c = rest.chars().next().expect("not at the end");
            out.push(c);
            i += c.len_utf8();
        }
    }
    without_test_items(&out)
}

/// `r"..."`, `r#"..."#`, `br"..."`: its length in bytes.
fn raw_string(text: &str) -> Option<usize> {
    let after_b = text.strip_prefix('b').unwrap_or(text);
    let after_r = after_b.strip_prefix('r')?;
    let hashes = after_r.len() - after_r.trim_start_matches('#').len();
    let body = after_r[hashes..].strip_prefix('"')?;
    let close = format!("\"{}", "#".repeat(hashes));
    let end = body.find(&close)?;
    Some(text.len() - body.len() + end + close.len())
}

/// `'a'`, `'\n'`, `'\''`, `'\u{1F600}'` (not a lifetime such as `'a`): its length in bytes.
fn char_literal(text: &str) -> Option<usize> {
    let rest = text.strip_prefix('\'')?;
    if let Some(escaped) = rest.strip_prefix('\\') {
        let close = escaped.get(1..)?.find('\'')?;
        return Some(3 + close + 1);
    }
    let c = rest.chars().next()?;
    rest[c.len_utf8()..]
        .starts_with('\'')
        .then_some(2 + c.len_utf8())
}

/// The text with each item that follows `#[cfg(test)]` removed (up to its closing brace or
/// semicolon).
fn without_test_items(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let mut depth = 0usize;
        let mut end = after.len();
        for (i, c) in after.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                ';' if depth == 0 => {
                    end = i + 1;
                    break;
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Ident(String),
    Path,
    Open,
    Close,
    Comma,
    Other,
}

fn tokens(code: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = code.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_alphabetic() || c == '_' {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if d.is_alphanumeric() || d == '_' {
                    end = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            out.push(Token::Ident(code[i..end].to_string()));
        } else if c == ':' && chars.peek().is_some_and(|(_, d)| *d == ':') {
            chars.next();
            out.push(Token::Path);
        } else if c == '{' {
            out.push(Token::Open);
        } else if c == '}' {
            out.push(Token::Close);
        } else if c == ',' {
            out.push(Token::Comma);
        } else if !c.is_whitespace() {
            out.push(Token::Other);
        }
    }
    out
}

/// A module path a file names: in this crate, or (`library`) in the library, named from the
/// binary.
#[derive(Clone, Debug, PartialEq)]
struct Named {
    library: bool,
    path: Vec<String>,
}

/// Every module path a file's code names, absolute within its crate: each path starting at
/// `crate`, `self`, `super` (or the library's name, from the binary), with every prefix of it
/// and each branch of a `{...}` group.
fn named_modules(tokens: &[Token], module: &[String], library_name: Option<&str>) -> Vec<Named> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        // A path starts at an identifier that is not itself preceded by `::`.
        let starts = matches!(tokens[i], Token::Ident(_))
            && (i == 0 || tokens[i - 1] != Token::Path)
            && tokens.get(i + 1) == Some(&Token::Path);
        let Token::Ident(first) = &tokens[i] else {
            i += 1;
            continue;
        };
        if !starts {
            i += 1;
            continue;
        }
        let (library, mut prefix) = match first.as_str() {
            "crate" => (false, Vec::new()),
            "self" => (false, module.to_vec()),
            "super" => (false, module[..module.len().saturating_sub(1)].to_vec()),
            name if Some(name) == library_name => (true, Vec::new()),
            _ => {
                i += 1;
                continue;
            }
        };
        i += 2;
        // Further `super::` segments climb on.
        while tokens.get(i) == Some(&Token::Ident("super".into()))
            && tokens.get(i + 1) == Some(&Token::Path)
        {
            prefix.pop();
            i += 2;
        }
        i = branches(tokens, i, &prefix, library, &mut out);
    }
    out
}

/// In a root file, the paths that start at one of its child modules (`cli::main()`).
fn child_paths(tokens: &[Token], children: &BTreeSet<String>) -> Vec<Named> {
    tokens
        .windows(2)
        .enumerate()
        .filter_map(|(i, pair)| match pair {
            [Token::Ident(name), Token::Path]
                if children.contains(name) && (i == 0 || tokens[i - 1] != Token::Path) =>
            {
                Some(Named {
                    library: false,
                    path: vec![name.clone()],
                })
            }
            _ => None,
        })
        .collect()
}

/// Read the path (or `{...}` group of paths) at `i` below `prefix`, recording every module
/// path it names; return where it ends.
fn branches(
    tokens: &[Token],
    i: usize,
    prefix: &[String],
    library: bool,
    out: &mut Vec<Named>,
) -> usize {
    match tokens.get(i) {
        Some(Token::Ident(name)) => {
            let mut path = prefix.to_vec();
            if name != "self" {
                path.push(name.clone());
            }
            out.push(Named {
                library,
                path: path.clone(),
            });
            if tokens.get(i + 1) == Some(&Token::Path) {
                branches(tokens, i + 2, &path, library, out)
            } else {
                i + 1
            }
        }
        Some(Token::Open) => {
            let mut i = i + 1;
            while let Some(token) = tokens.get(i) {
                match token {
                    Token::Close => return i + 1,
                    Token::Ident(_) | Token::Open => i = branches(tokens, i, prefix, library, out),
                    _ => i += 1,
                }
            }
            i
        }
        _ => i,
    }
}

/// The dependency edges between top-level modules: `from → {to}`. Library modules are named
/// as they are (`eval`), the binary's with a prefix (`bin::cli`); an edge from the binary to
/// the library names the library module.
fn edges() -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for krate in [&LIBRARY, &BINARY] {
        let library_name = (krate.label == BINARY.label).then_some("grondslag");
        // The top-level modules this crate declares (a path to anything else is external).
        let top: BTreeSet<String> = rust_files(&repository().join(krate.src))
            .iter()
            .filter_map(|f| module_path(krate, f).first().cloned())
            .collect();
        let library_top: BTreeSet<String> = rust_files(&repository().join(LIBRARY.src))
            .iter()
            .filter_map(|f| module_path(&LIBRARY, f).first().cloned())
            .collect();
        for file in rust_files(&repository().join(krate.src)) {
            let module = module_path(krate, &file);
            // The binary's root file is `main`; the library's declares modules and names none.
            let from = match module.first() {
                Some(from) => from.clone(),
                None if krate.label == BINARY.label => "main".to_string(),
                None => continue,
            };
            let from = format!("{}{from}", krate.label);
            let text = std::fs::read_to_string(&file).expect("a readable source file");
            let code = code_only(&text);
            let entry = graph.entry(from.clone()).or_default();
            let mut named = named_modules(&tokens(&code), &module, library_name);
            if module.is_empty() {
                // In a root file, `cli::main()` names the child module `cli`.
                named.extend(child_paths(&tokens(&code), &top));
            }
            for named in named {
                let Some(to) = named.path.first() else {
                    continue;
                };
                if named.library {
                    if library_top.contains(to) {
                        entry.insert(to.clone());
                    }
                } else if top.contains(to) {
                    let to = format!("{}{to}", krate.label);
                    if to != from {
                        entry.insert(to);
                    }
                }
            }
        }
    }
    graph
}

/// The cycles of the graph: its strongly connected components of more than one module.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    // Two modules are on a cycle when each reaches the other.
    let reach = |from: &str| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_string()];
        while let Some(m) = todo.pop() {
            for next in graph.get(&m).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&String, BTreeSet<String>> =
        graph.keys().map(|m| (m, reach(m))).collect();
    let mut done = BTreeSet::new();
    let mut out = Vec::new();
    for m in graph.keys() {
        if done.contains(m) {
            continue;
        }
        let component: Vec<String> = graph
            .keys()
            .filter(|n| *n == m || (reaches[m].contains(*n) && reaches[n].contains(m)))
            .cloned()
            .collect();
        done.extend(component.iter().cloned());
        if component.len() > 1 {
            out.push(component);
        }
    }
    out
}

/// The edge list as docs/architecture.md shows it.
fn edge_table(graph: &BTreeMap<String, BTreeSet<String>>) -> String {
    let mut out = String::from("| module | depends on |\n|---|---|\n");
    for (from, to) in graph {
        let to: Vec<String> = to.iter().map(|t| format!("`{t}`")).collect();
        let to = if to.is_empty() {
            "—".to_string()
        } else {
            to.join(", ")
        };
        out.push_str(&format!("| `{from}` | {to} |\n"));
    }
    out
}

#[test]
fn the_module_graph_has_no_cycle() {
    let graph = edges();
    let found = cycles(&graph);
    assert!(
        found.is_empty(),
        "modules that depend on each other (each reaches the others): {found:?}\n{}",
        edge_table(&graph)
    );
}

#[test]
fn the_documented_module_graph_is_current() {
    let path = repository().join(DOC);
    let doc = std::fs::read_to_string(&path).expect("docs/architecture.md");
    let (Some(begin), Some(end)) = (doc.find(BEGIN), doc.find(END)) else {
        panic!("{DOC} has no `{BEGIN}` … `{END}` section");
    };
    let current = format!("{BEGIN}\n{}{END}", edge_table(&edges()));
    let written = &doc[begin..end + END.len()];
    if written == current {
        return;
    }
    if std::env::var_os("UPDATE_ARCHITECTURE").is_some() {
        let updated = format!("{}{current}{}", &doc[..begin], &doc[end + END.len()..]);
        std::fs::write(&path, updated).expect("docs/architecture.md is writable");
        return;
    }
    panic!(
        "the module graph in {DOC} is stale; run `UPDATE_ARCHITECTURE=1 cargo test --test it architecture::`.\nIt is now:\n{current}"
    );
}

/// Things only the binary may do, and where the library may do them anyway.
const IMPURE: &[(&str, &[&str])] = &[
    ("println!", &[]),
    ("print!", &[]),
    ("eprintln!", &[]),
    ("eprint!", &[]),
    ("dbg!", &[]),
    ("process::exit", &[]),
    ("stdin", &[]),
    ("stdout", &[]),
    ("stderr", &[]),
    ("IsTerminal", &[]),
    ("SystemTime", &[]),
    ("std::fs", &["load.rs"]),
    ("File::", &["load.rs"]),
    ("read_dir", &["load.rs"]),
    ("libc::", &["load.rs"]),
    ("env::var", &[]),
];

#[test]
fn the_library_never_prints_exits_or_reads_outside_its_loader() {
    let mut found = Vec::new();
    let src = repository().join(LIBRARY.src);
    for file in rust_files(&src) {
        let text = std::fs::read_to_string(&file).expect("a readable source file");
        let code = code_only(&text);
        let relative = file
            .strip_prefix(&src)
            .expect("below src")
            .to_string_lossy();
        for (what, allowed) in IMPURE {
            if names(&code, what) && !allowed.contains(&relative.as_ref()) {
                found.push(format!("{relative}: {what}"));
            }
        }
    }
    assert!(found.is_empty(), "impure code in the library: {found:?}");
}

/// Whether `code` names `what` (not as the tail of a longer name: `SourceFile::` is not
/// `File::`).
fn names(code: &str, what: &str) -> bool {
    code.match_indices(what).any(|(at, _)| {
        !code[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

#[test]
fn the_reader_sees_through_comments_strings_and_tests() {
    let code = code_only(
        "use crate::a; // crate::b\nlet s = \"crate::c\"; let r = r#\"crate::d\"#;\n\
         /* crate::e /* nested */ crate::f */ let c = '{';\n#[cfg(test)]\nmod tests { use crate::g; }\n\
         fn x<'a>(y: &'a str) { super::h::i(); }",
    );
    let named = named_modules(&tokens(&code), &["m".into(), "n".into()], None);
    let firsts: Vec<Vec<String>> = named.into_iter().map(|n| n.path).collect();
    assert!(firsts.contains(&vec!["a".to_string()]), "{firsts:?}");
    assert!(firsts
        .iter()
        .any(|p| p.starts_with(&["m".into(), "h".into()])));
    for hidden in ["b", "c", "d", "e", "f", "g"] {
        assert!(
            !firsts
                .iter()
                .any(|p| p.first().is_some_and(|f| f == hidden)),
            "`{hidden}` should be hidden: {firsts:?}"
        );
    }
    let grouped = named_modules(&tokens("use crate::{x::{y, z}, w};"), &["m".into()], None);
    let firsts: BTreeSet<String> = grouped
        .into_iter()
        .filter_map(|n| n.path.first().cloned())
        .collect();
    assert_eq!(firsts, BTreeSet::from(["x".into(), "w".into()]));
}

#[test]
fn a_cycle_is_found() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("eval", &["model"][..]),
        ("model", &["defeasible"]),
        ("defeasible", &["eval", "graph"]),
        ("graph", &[]),
        ("driver", &["eval"]),
    ]
    .into_iter()
    .map(|(m, to)| (m.to_string(), to.iter().map(|t| t.to_string()).collect()))
    .collect();
    assert_eq!(
        cycles(&graph),
        vec![vec![
            "defeasible".to_string(),
            "eval".into(),
            "model".into()
        ]]
    );
}

#[test]
fn the_code_map_names_every_file() {
    let doc = std::fs::read_to_string(repository().join(DOC)).expect("docs/architecture.md");
    let mut missing = Vec::new();
    for krate in [&LIBRARY, &BINARY] {
        for file in rust_files(&repository().join(krate.src)) {
            let relative = file
                .strip_prefix(repository())
                .expect("below the repository")
                .to_string_lossy()
                .into_owned();
            if !doc.contains(&format!("`{relative}`")) {
                missing.push(relative);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{DOC}'s code map does not name these files (as `path`): {missing:?}"
    );
}

/// Calls that run a stage, and the only library files that may make them: the driver runs
/// the stages in order (and the stage's own module, e.g. to recurse). The binary calls none.
const STAGES: &[(&str, &[&str])] = &[
    (
        "in_force(",
        &[
            "driver/check.rs",
            "driver/law.rs",
            "driver/prepared.rs",
            "driver/whatif.rs",
            "time/mod.rs",
        ],
    ),
    (
        "eval::prepare(",
        &[
            "driver/check.rs",
            "driver/law.rs",
            "driver/evaluate.rs",
            "driver/whatif.rs",
        ],
    ),
    ("defeasible::evaluate(", &["driver/evaluate.rs"]),
    ("check::check(", &["driver/check.rs"]),
    ("bill::check(", &["driver/check.rs"]),
    ("diff::compare", &["driver/diff.rs"]),
    ("explain::explain(", &["driver/law.rs", "diff/reasoning.rs"]),
];

#[test]
fn the_stages_run_only_in_the_driver() {
    let mut found = Vec::new();
    for krate in [&LIBRARY, &BINARY] {
        let src = repository().join(krate.src);
        for file in rust_files(&src) {
            let code = code_only(&std::fs::read_to_string(&file).expect("a source file"));
            let relative = file
                .strip_prefix(&src)
                .expect("below src")
                .to_string_lossy();
            for (call, allowed) in STAGES {
                let here = krate.label.is_empty() && allowed.contains(&relative.as_ref());
                if !here && names(&code, call) {
                    found.push(format!("{}{relative}: {call}", krate.label));
                }
            }
        }
    }
    assert!(found.is_empty(), "stages run outside the driver: {found:?}");
}
