//! Writing a report or an explanation to a file (`explain -o`, `diff -o`, the REPL's
//! `:export`). A file that was read as input — a knowledge-base file, a case, a bill, an
//! `@input` fact file — is never written over, whatever is asked; any other file that exists
//! only when asked to (`--force`, or yes to the REPL's question).

use std::fs::OpenOptions;
use std::io::{ErrorKind, Write};
use std::path::Path;

use grondslag::escape;
use grondslag::load::Workspace;

/// Why a file was not written.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// It was read as input.
    Input(String),
    /// It exists, and overwriting was not asked for.
    Exists(String),
    /// The file system said no.
    Io(String),
}

impl Refused {
    /// The message, for the REPL (which asks before overwriting).
    pub fn message(&self) -> &str {
        match self {
            Refused::Input(message) | Refused::Exists(message) | Refused::Io(message) => message,
        }
    }

    /// The message on the command line, which names `--force`.
    pub fn on_command_line(self) -> String {
        match self {
            Refused::Exists(message) => format!("{message}; give `--force` to write over it"),
            other => other.message().to_string(),
        }
    }
}

/// Whether `path` may be written: not an input, and not an existing file unless `overwrite`.
/// Checked before the work that makes the output, so that a refusal comes at once; [`write`]
/// checks again.
pub fn check(path: &Path, ws: &Workspace, overwrite: bool) -> Result<(), Refused> {
    if ws.is_input(path) {
        return Err(input(path));
    }
    // A link, even a broken one, counts as there: writing would follow it.
    if !overwrite && path.symlink_metadata().is_ok() {
        return Err(exists(path));
    }
    Ok(())
}

/// Write `bytes` to `path`, as [`check`] allows. Without `overwrite` the file is created only
/// if nothing is there (`O_EXCL`), so nothing appears in its place between check and write.
pub fn write(path: &Path, bytes: &[u8], ws: &Workspace, overwrite: bool) -> Result<(), Refused> {
    check(path, ws, overwrite)?;
    let mut options = OpenOptions::new();
    options.write(true);
    if overwrite {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let mut file = options.open(path).map_err(|err| match err.kind() {
        ErrorKind::AlreadyExists => exists(path),
        _ => io(path, &err),
    })?;
    file.write_all(bytes).map_err(|err| io(path, &err))
}

fn shown(path: &Path) -> String {
    escape::text_line(&path.display().to_string()).into_owned()
}

fn input(path: &Path) -> Refused {
    Refused::Input(format!(
        "`{}` was read as input; it is not written over: choose another file",
        shown(path)
    ))
}

fn exists(path: &Path) -> Refused {
    Refused::Exists(format!("`{}` exists", shown(path)))
}

fn io(path: &Path, err: &std::io::Error) -> Refused {
    Refused::Io(format!("cannot write `{}`: {err}", shown(path)))
}
