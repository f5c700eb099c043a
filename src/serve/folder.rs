//! FOLDER, the one place the workbench reads and writes: names are relative paths of plain
//! components ending in `.law`, resolved and canonicalised under the folder's canonical root,
//! and only regular files are read or replaced (a symbolic link is neither followed nor
//! overwritten).

use std::path::{Component, Path, PathBuf};

use grondslag::source::SourceMap;
use grondslag::syntax::ast::ModuleKind;

/// How deep the listing looks into subfolders.
const MAX_DEPTH: usize = 4;

pub struct Folder {
    root: PathBuf,
    /// `--max-file-size`: larger files are not opened.
    max_file: u64,
}

/// What [`Folder::write`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Write {
    Written,
    /// The file exists and was not to be replaced.
    Exists,
}

/// A `.law` file of the folder.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Entry {
    /// Relative to the folder, with `/`.
    pub name: String,
    pub kind: Kind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Case,
    Bill,
    Module,
}

impl Folder {
    pub fn open(path: &Path, max_file: u64) -> Result<Folder, String> {
        let root = path
            .canonicalize()
            .map_err(|e| format!("cannot open the folder `{}`: {e}", path.display()))?;
        if !root.is_dir() {
            return Err(format!("`{}` is not a folder", path.display()));
        }
        Ok(Folder { root, max_file })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Every `.law` file, sorted by name, with what its header says it is.
    pub fn list(&self) -> Vec<Entry> {
        let mut found = Vec::new();
        self.walk(&self.root, 0, &mut found);
        found.sort_by(|a, b| a.name.cmp(&b.name));
        found
    }

    fn walk(&self, dir: &Path, depth: usize, found: &mut Vec<Entry>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if name.starts_with('.') {
                continue;
            }
            // `file_type` does not follow symbolic links: they are skipped.
            let Ok(file_type) = entry.file_type() else {
                continue;
            };
            let path = entry.path();
            if file_type.is_dir() && depth < MAX_DEPTH && name != "target" {
                self.walk(&path, depth + 1, found);
            } else if file_type.is_file() && name.ends_with(".law") {
                let Ok(relative) = path.strip_prefix(&self.root) else {
                    continue;
                };
                let relative: Vec<&str> = relative
                    .components()
                    .filter_map(|c| c.as_os_str().to_str())
                    .collect();
                let name = relative.join("/");
                if let Ok(text) = self.read(&name) {
                    found.push(Entry {
                        name,
                        kind: kind_of(&text),
                    });
                }
            }
        }
    }

    /// The text of a `.law` file in the folder.
    pub fn read(&self, name: &str) -> Result<String, String> {
        let path = self.existing(name)?;
        let meta = std::fs::metadata(&path).map_err(|e| format!("`{name}`: {e}"))?;
        if meta.len() > self.max_file {
            return Err(format!(
                "`{name}` is larger than {} bytes (`--max-file-size`)",
                self.max_file
            ));
        }
        std::fs::read_to_string(&path).map_err(|e| format!("cannot read `{name}`: {e}"))
    }

    /// Write `text` to a `.law` file in the folder: a new file, or (with `replace`) in place of
    /// a regular file. Without `replace` an existing file is left as it is: [`Write::Exists`].
    pub fn write(&self, name: &str, text: &str, replace: bool) -> Result<Write, String> {
        let relative = plain(name)?;
        let parent = self
            .root
            .join(relative.parent().unwrap_or(Path::new("")))
            .canonicalize()
            .map_err(|_| {
                format!("`{name}`: its folder does not exist in the workbench's folder")
            })?;
        if !parent.starts_with(&self.root) {
            return Err(format!("`{name}` is outside the workbench's folder"));
        }
        let path = parent.join(relative.file_name().unwrap_or_default());
        if let Ok(meta) = std::fs::symlink_metadata(&path) {
            if !meta.file_type().is_file() {
                return Err(format!("`{name}` exists and is not a regular file"));
            }
            if !replace {
                return Ok(Write::Exists);
            }
        }
        std::fs::write(&path, text).map_err(|e| format!("cannot write `{name}`: {e}"))?;
        Ok(Write::Written)
    }

    /// The canonical path of an existing regular `.law` file inside the folder.
    fn existing(&self, name: &str) -> Result<PathBuf, String> {
        let relative = plain(name)?;
        let joined = self.root.join(relative);
        let meta = std::fs::symlink_metadata(&joined)
            .map_err(|_| format!("no file `{name}` in the folder"))?;
        if !meta.file_type().is_file() {
            return Err(format!("`{name}` is not a regular file"));
        }
        let path = joined
            .canonicalize()
            .map_err(|_| format!("no file `{name}` in the folder"))?;
        if !path.starts_with(&self.root) {
            return Err(format!("`{name}` is outside the workbench's folder"));
        }
        Ok(path)
    }
}

/// `name` as a relative path of plain components ending in `.law`: no root, no `..`, no
/// hidden component, no backslash.
fn plain(name: &str) -> Result<&Path, String> {
    let path = Path::new(name);
    let plain = !name.is_empty()
        && !name.contains('\\')
        && name.len() <= 255
        && path.components().all(|c| match c {
            Component::Normal(part) => part.to_str().is_some_and(|p| !p.starts_with('.')),
            _ => false,
        });
    if !plain {
        return Err(format!(
            "`{name}` is not a file name in the workbench's folder: give a relative name such as `cases/my_case.law`"
        ));
    }
    if path.extension().and_then(|e| e.to_str()) != Some("law") {
        return Err(format!(
            "`{name}`: the workbench reads and writes `.law` files only"
        ));
    }
    Ok(path)
}

/// What a file's header says it is.
pub fn kind_of(text: &str) -> Kind {
    let mut sources = SourceMap::new();
    let file = sources.add("file.law", text);
    let (module, _) = grondslag::syntax::parse(&sources, file);
    match module.kind() {
        ModuleKind::Case => Kind::Case,
        ModuleKind::Bill => Kind::Bill,
        ModuleKind::Module => Kind::Module,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder() -> (tempdir::Dir, Folder) {
        let dir = tempdir::Dir::new();
        let folder = Folder::open(dir.path(), 1 << 20).unwrap();
        (dir, folder)
    }

    /// A folder under the system's temporary directory, removed on drop.
    mod tempdir {
        use std::path::{Path, PathBuf};
        pub struct Dir(PathBuf);
        impl Dir {
            pub fn new() -> Dir {
                use std::sync::atomic::{AtomicUsize, Ordering};
                static N: AtomicUsize = AtomicUsize::new(0);
                let path = std::env::temp_dir().join(format!(
                    "grondslag-serve-{}-{}",
                    std::process::id(),
                    N.fetch_add(1, Ordering::Relaxed)
                ));
                std::fs::create_dir_all(&path).unwrap();
                Dir(path)
            }
            pub fn path(&self) -> &Path {
                &self.0
            }
        }
        impl Drop for Dir {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
    }

    #[test]
    fn names_outside_the_folder_are_refused() {
        let (_dir, folder) = folder();
        for name in [
            "../x.law",
            "/etc/passwd.law",
            "a/../../x.law",
            ".hidden.law",
            "a/.git/x.law",
            "x.txt",
            "",
            "a\\..\\x.law",
        ] {
            assert!(folder.write(name, "x", true).is_err(), "{name} was written");
            assert!(folder.read(name).is_err(), "{name} was read");
        }
    }

    #[test]
    fn a_case_is_written_read_back_and_listed() {
        let (dir, folder) = folder();
        std::fs::create_dir(dir.path().join("cases")).unwrap();
        let case = "case c \"C\" date 2024-01-01.\n";
        assert_eq!(folder.write("cases/c.law", case, false), Ok(Write::Written));
        // Not replaced unless asked.
        assert_eq!(folder.write("cases/c.law", "x", false), Ok(Write::Exists));
        assert_eq!(
            folder.read("cases/c.law").unwrap(),
            "case c \"C\" date 2024-01-01.\n"
        );
        let listed = folder.list();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].name, "cases/c.law");
        assert_eq!(listed[0].kind, Kind::Case);
        // A missing subfolder is not created.
        assert!(folder.write("nowhere/c.law", "x", true).is_err());
        assert_eq!(folder.write("cases/c.law", "p.", true), Ok(Write::Written));
        assert_eq!(folder.read("cases/c.law").unwrap(), "p.");
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_are_neither_followed_nor_replaced() {
        let (dir, folder) = folder();
        let target = dir.path().join("real.law");
        std::fs::write(&target, "x.").unwrap();
        std::os::unix::fs::symlink(&target, dir.path().join("link.law")).unwrap();
        std::os::unix::fs::symlink("/etc", dir.path().join("etc")).unwrap();
        assert!(folder.read("link.law").is_err());
        assert!(folder.write("link.law", "y.", true).is_err());
        assert!(folder.write("etc/x.law", "y.", true).is_err());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "x.");
        assert_eq!(folder.list().len(), 1);
    }
}
