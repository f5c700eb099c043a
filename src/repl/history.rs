//! The history file. Case facts are personal data, so the file lives in the user's own data
//! directory, is readable by the owner only, and is written only while history is on: each
//! entry is appended when it is entered, so turning history off stops the writing at once.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Entries kept when the file is read; older ones are dropped from it.
const MAX_ENTRIES: usize = 1000;

/// `$XDG_DATA_HOME/grondslag/history`, else `~/.local/share/grondslag/history`; `None` when
/// neither place is known.
pub fn default_path() -> Option<PathBuf> {
    let data = match std::env::var_os("XDG_DATA_HOME") {
        // The XDG spec: a relative path is invalid and must be ignored.
        Some(dir) if Path::new(&dir).is_absolute() => PathBuf::from(dir),
        _ => PathBuf::from(std::env::var_os("HOME")?).join(".local/share"),
    };
    Some(data.join("grondslag").join("history"))
}

/// Whether, and where, entered lines are written down.
pub struct Recorder {
    path: Option<PathBuf>,
    on: bool,
}

impl Recorder {
    /// History at the default place, unless `--no-history` said otherwise.
    pub fn new(on: bool) -> Recorder {
        Recorder {
            path: default_path(),
            on,
        }
    }

    /// The entries to offer for recall; none when history is off.
    pub fn past(&mut self) -> Result<Vec<String>, String> {
        match (&self.path, self.on) {
            (Some(path), true) => read(path).map_err(|e| self.fail(&e)),
            _ => Ok(Vec::new()),
        }
    }

    /// Write one entry down, if history is on.
    pub fn record(&mut self, entry: &str) -> Result<(), String> {
        match (&self.path, self.on) {
            (Some(path), true) => append(path, entry).map_err(|e| self.fail(&e)),
            _ => Ok(()),
        }
    }

    /// A failure turns history off, so that it is reported once.
    fn fail(&mut self, err: &io::Error) -> String {
        self.on = false;
        let place = self
            .path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        format!("history is off: cannot use {place}: {err}")
    }

    /// `:history [on|off|clear]`: the answer to show.
    pub fn switch(&mut self, how: Option<&str>) -> String {
        let place = match &self.path {
            Some(path) => path.display().to_string(),
            None => return "history is off: neither XDG_DATA_HOME nor HOME is set, so there is no place for it.".into(),
        };
        match how {
            None => {}
            Some("on") => self.on = true,
            Some("off") => self.on = false,
            Some("clear") => {
                if let Some(path) = &self.path {
                    if let Err(err) = clear(path) {
                        return format!("cannot delete {place}: {err}");
                    }
                }
                return format!(
                    "deleted {place}; history is {}.",
                    if self.on { "on" } else { "off" }
                );
            }
            Some(other) => return format!("`:history` takes on, off or clear, not `{other}`."),
        }
        if self.on {
            format!("history is on: each entry is added to {place} (readable by you only).")
        } else {
            format!("history is off: nothing you type is written down ({place} is left as it is; `:history clear` deletes it).")
        }
    }
}

/// Read the entries of a history file (oldest first); a missing file has none. A file that
/// has grown past the limit is cut back to its newest entries.
pub fn read(path: &Path) -> io::Result<Vec<String>> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(err),
    };
    restrict(path)?;
    let mut entries: Vec<String> = text.lines().map(decode).collect();
    if entries.len() > MAX_ENTRIES {
        entries.drain(..entries.len() - MAX_ENTRIES);
        let mut file = create(path, true)?;
        for entry in &entries {
            writeln!(file, "{}", encode(entry))?;
        }
    }
    Ok(entries)
}

/// Append one entry, creating the directory (owner-only) and the file (mode 0600) if needed.
pub fn append(path: &Path, entry: &str) -> io::Result<()> {
    let mut file = create(path, false)?;
    writeln!(file, "{}", encode(entry))
}

/// Delete the file; a file that is not there is already deleted.
pub fn clear(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(err) if err.kind() != io::ErrorKind::NotFound => Err(err),
        _ => Ok(()),
    }
}

fn create(path: &Path, truncate: bool) -> io::Result<fs::File> {
    if let Some(dir) = path.parent() {
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir)?;
    }
    let mut options = OpenOptions::new();
    options.create(true);
    if truncate {
        options.write(true).truncate(true);
    } else {
        options.append(true);
    }
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path)?;
    restrict(path)?;
    Ok(file)
}

/// Owner-only permissions, also for a file made earlier by something else.
fn restrict(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(path)?.permissions().mode() & 0o777;
        if mode != 0o600 {
            fs::set_permissions(path, fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(())
}

/// One entry per line: a multi-line statement keeps its line breaks as `\n`.
fn encode(entry: &str) -> String {
    entry.replace('\\', "\\\\").replace('\n', "\\n")
}

fn decode(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match (c, chars.clone().next()) {
            ('\\', Some('n')) => {
                out.push('\n');
                chars.next();
            }
            ('\\', Some('\\')) => {
                out.push('\\');
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A history file in a temporary directory, removed with the directory when the test
    /// ends (keep the directory alive).
    fn temp(name: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::Builder::new()
            .prefix(&format!("grondslag-history-{name}-"))
            .tempdir()
            .unwrap();
        let path = dir.path().join("grondslag").join("history");
        (dir, path)
    }

    #[test]
    fn entries_survive_a_round_trip_with_line_breaks_and_backslashes() {
        let (_dir, path) = temp("round-trip");
        let _ = clear(&path);
        append(&path, "p(a).").unwrap();
        append(&path, "r(X) :-\n  q(X, \"a\\\\b\").").unwrap();
        assert_eq!(
            read(&path).unwrap(),
            vec![
                "p(a).".to_string(),
                "r(X) :-\n  q(X, \"a\\\\b\").".to_string()
            ]
        );
        clear(&path).unwrap();
        assert!(read(&path).unwrap().is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn the_file_is_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let (_dir, path) = temp("mode");
        let _ = clear(&path);
        append(&path, "secret_holder(huisarts_jansen).").unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        // A file someone made world-readable is restricted when it is read.
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        read(&path).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        clear(&path).unwrap();
    }

    #[test]
    fn a_long_history_is_cut_to_its_newest_entries() {
        let (_dir, path) = temp("long");
        let _ = clear(&path);
        for i in 0..MAX_ENTRIES + 5 {
            append(&path, &format!("p({i}).")).unwrap();
        }
        let entries = read(&path).unwrap();
        assert_eq!(entries.len(), MAX_ENTRIES);
        assert_eq!(entries[0], "p(5).");
        assert_eq!(read(&path).unwrap().len(), MAX_ENTRIES);
        clear(&path).unwrap();
    }
}
