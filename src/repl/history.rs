//! The history file. Case facts are personal data, so the file lives in the user's own data
//! directory, is readable by the owner only, and is written only while history is on: each
//! entry is appended when it is entered, so turning history off stops the writing at once.
//!
//! grondslag uses the file only if it is its own: a regular file — opened without following
//! a symbolic link (`O_NOFOLLOW`), so a link planted there cannot send the writing, the `chmod`
//! or the trimming elsewhere — owned by the user, with no other hard link to it, and starting
//! with the [`HEADER`] line grondslag writes when it creates the file (or empty). Any other
//! file at that place is left as it is and history is off, with a note saying why.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

/// The first line of a history file grondslag made.
pub const HEADER: &str =
    "# grondslag REPL history: one entry per line, line breaks in an entry as \\n";

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
    let mut file = match open_own(path, OpenOptions::new().read(true).write(true)) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(err),
    };
    let mut text = String::new();
    file.read_to_string(&mut text)?;
    let mut entries: Vec<String> = text.lines().skip(1).map(decode).collect();
    if entries.len() > MAX_ENTRIES {
        entries.drain(..entries.len() - MAX_ENTRIES);
        file.set_len(0)?;
        file.rewind()?;
        let mut kept = format!("{HEADER}\n");
        for entry in &entries {
            kept.push_str(&encode(entry));
            kept.push('\n');
        }
        file.write_all(kept.as_bytes())?;
    }
    Ok(entries)
}

/// Append one entry, creating the directory (owner-only) and the file (mode 0600, with its
/// header) if needed.
pub fn append(path: &Path, entry: &str) -> io::Result<()> {
    let line = format!("{}\n", encode(entry));
    if let Some(dir) = path.parent() {
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir)?;
    }
    let mut create = OpenOptions::new();
    create.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut create, 0o600);
    match create.open(path) {
        Ok(mut file) => file.write_all(format!("{HEADER}\n{line}").as_bytes()),
        Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {
            let mut file = open_own(path, OpenOptions::new().read(true).append(true))?;
            if file.metadata()?.len() == 0 {
                file.write_all(format!("{HEADER}\n").as_bytes())?;
            }
            file.write_all(line.as_bytes())
        }
        Err(err) => Err(err),
    }
}

/// Delete the file; a file that is not there is already deleted. A link is deleted, not
/// what it points to.
pub fn clear(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(err) if err.kind() != io::ErrorKind::NotFound => Err(err),
        _ => Ok(()),
    }
}

/// Open the history file if it is grondslag's own (the module's rules), made owner-only.
fn open_own(path: &Path, options: &mut OpenOptions) -> io::Result<File> {
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        options,
        nix::libc::O_NOFOLLOW | nix::libc::O_NONBLOCK,
    );
    let mut file = options.open(path).map_err(|err| {
        if path
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink())
        {
            not_own("it is a symbolic link")
        } else {
            err
        }
    })?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(not_own("it is not a regular file"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if metadata.uid() != nix::unistd::Uid::effective().as_raw() {
            return Err(not_own("it belongs to another user"));
        }
        if metadata.nlink() != 1 {
            return Err(not_own("another name (a hard link) leads to it too"));
        }
    }
    let mut first = vec![0; HEADER.len()];
    let read = file.read(&mut first)?;
    if read > 0 && (read < HEADER.len() || first != HEADER.as_bytes()) {
        return Err(not_own("it does not start with grondslag's header line"));
    }
    file.rewind()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if metadata.permissions().mode() & 0o777 != 0o600 {
            file.set_permissions(fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(file)
}

fn not_own(why: &str) -> io::Error {
    io::Error::other(format!(
        "{why}, so it is not grondslag's own history file and is left as it is (move it away to keep a history)"
    ))
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

    /// A file of the user's beside the history file `history`, that the history must never
    /// touch, and its mode.
    #[cfg(unix)]
    fn precious(history: &Path, lines: usize) -> (PathBuf, String) {
        use std::os::unix::fs::PermissionsExt;
        let path = history.with_file_name("precious.txt");
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        let text: String = (0..lines).map(|i| format!("line {i}\n")).collect();
        fs::write(&path, &text).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        (path, text)
    }

    #[cfg(unix)]
    fn untouched(path: &Path, text: &str) {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(fs::read_to_string(path).unwrap(), text);
        let mode = fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644, "the mode of {}", path.display());
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_in_its_place_is_not_followed() {
        let (_dir, path) = temp("symlink");
        let _ = clear(&path);
        let (target, text) = precious(&path, MAX_ENTRIES + 500);
        std::os::unix::fs::symlink(&target, &path).unwrap();
        let err = read(&path).unwrap_err().to_string();
        assert!(err.contains("symbolic link"), "{err}");
        let err = append(&path, "secret_holder(huisarts_jansen).").unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        untouched(&target, &text);
        // `:history clear` removes the link, not the file.
        clear(&path).unwrap();
        untouched(&target, &text);
    }

    #[cfg(unix)]
    #[test]
    fn a_file_grondslag_did_not_make_is_left_alone() {
        let (_dir, path) = temp("foreign");
        let _ = clear(&path);
        // Another name of a file of the user's: a hard link.
        let (target, text) = precious(&path, MAX_ENTRIES + 500);
        fs::hard_link(&target, &path).unwrap();
        let err = read(&path).unwrap_err().to_string();
        assert!(err.contains("hard link"), "{err}");
        assert!(append(&path, "p(a).").is_err());
        untouched(&target, &text);
        // A file of its own name, but without the header: not grondslag's.
        clear(&path).unwrap();
        fs::copy(&target, &path).unwrap();
        let err = read(&path).unwrap_err().to_string();
        assert!(err.contains("header"), "{err}");
        assert!(append(&path, "p(a).").is_err());
        untouched(&path, &text);
        clear(&path).unwrap();
    }

    #[test]
    fn a_file_it_made_starts_with_the_header() {
        let (_dir, path) = temp("header");
        let _ = clear(&path);
        append(&path, "p(a).").unwrap();
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            format!("{HEADER}\np(a).\n")
        );
        // An empty file (made by `touch`) is taken, and gets the header.
        clear(&path).unwrap();
        fs::write(&path, "").unwrap();
        append(&path, "p(b).").unwrap();
        assert_eq!(read(&path).unwrap(), vec!["p(b).".to_string()]);
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
