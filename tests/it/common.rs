//! Helpers the integration tests share: run the real binary from the repository root, read
//! what it printed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `grondslag ARGS` in the repository root.
pub fn grondslag(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_grondslag"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the grondslag binary runs")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A temporary directory for one test, removed when the test ends (also when it fails).
pub struct TempDir(tempfile::TempDir);

impl std::ops::Deref for TempDir {
    type Target = std::path::Path;

    fn deref(&self) -> &std::path::Path {
        self.0.path()
    }
}

impl TempDir {
    /// A fresh directory, its name starting with `grondslag-NAME-`.
    pub fn new(name: &str) -> TempDir {
        let dir = tempfile::Builder::new()
            .prefix(&format!("grondslag-{name}-"))
            .tempdir()
            .expect("a temporary directory");
        TempDir(dir)
    }

    pub fn path(&self) -> &std::path::Path {
        self.0.path()
    }

    /// Write `text` to the file `name` in the directory; its path.
    pub fn write(&self, name: &str, text: &str) -> String {
        let path = self.0.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("the file's directory");
        }
        std::fs::write(&path, text).expect("the file is written");
        path.display().to_string()
    }
}

/// A directory holding `files` (name, text), removed when the test ends.
pub fn dir_with(name: &str, files: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new(name);
    for (file, text) in files {
        dir.write(file, text);
    }
    dir
}

/// A `.law` file in a temporary directory of its own; both are removed when it is dropped.
pub struct LawFile {
    path: PathBuf,
    _dir: TempDir,
}

impl std::ops::Deref for LawFile {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.path
    }
}

impl AsRef<Path> for LawFile {
    fn as_ref(&self) -> &Path {
        &self.path
    }
}

/// The file `NAME.law` holding `text`, in a fresh temporary directory.
pub fn law_file(name: &str, text: &str) -> LawFile {
    let dir = TempDir::new(name);
    let path = PathBuf::from(dir.write(&format!("{name}.law"), text));
    LawFile { path, _dir: dir }
}
