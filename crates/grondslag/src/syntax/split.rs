//! Cutting a file into statements before parsing them one by one.
//!
//! A statement ends at a `.` outside strings and comments. Parsing each statement on its own
//! lets the parser report an error in every bad statement of a file, not only the first, and
//! lets the REPL tell a complete statement from one that continues on the next line.

/// One statement's text: `start..end` in the file, `end` just after the final `.`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chunk {
    /// Its first byte.
    pub start: usize,
    /// The byte after its final `.`.
    pub end: usize,
}

/// Why the text after the last complete statement is not a statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unfinished {
    /// Text without its final `.`; starts at the offset.
    NoFinalDot(usize),
    /// A string opened at the offset and never closed.
    OpenString(usize),
    /// A `/*` comment opened at the offset and never closed.
    OpenComment(usize),
}

/// Split `text` into complete statements, and report what is left over, if anything.
pub fn split(text: &str) -> (Vec<Chunk>, Option<Unfinished>) {
    let bytes = text.as_bytes();
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match comment_end(bytes, i) {
            Some(Some(end)) => {
                i = end;
                continue;
            }
            Some(None) => return (chunks, Some(Unfinished::OpenComment(i))),
            None => {}
        }
        match bytes[i] {
            b'"' => {
                let open = i;
                i += 1;
                loop {
                    match bytes.get(i) {
                        None => return (chunks, Some(Unfinished::OpenString(open))),
                        Some(b'\\') => i += 2,
                        Some(b'"') => break,
                        Some(_) => i += 1,
                    }
                }
            }
            b'.' => {
                chunks.push(Chunk { start, end: i + 1 });
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    let rest = if has_content(&bytes[start..]) {
        let offset = start + (text[start..].len() - text[start..].trim_start().len());
        Some(Unfinished::NoFinalDot(offset))
    } else {
        None
    };
    (chunks, rest)
}

/// Whether the text after the last statement holds anything but whitespace and comments. (Asked
/// once, at the end, rather than tracked over every byte of the file; its strings and comments
/// are closed, or `split` would have returned already.)
fn has_content(rest: &[u8]) -> bool {
    let mut i = 0;
    while i < rest.len() {
        if let Some(end) = comment_end(rest, i) {
            i = end.unwrap_or(rest.len());
        } else if rest[i].is_ascii_whitespace() {
            i += 1;
        } else {
            return true;
        }
    }
    false
}

/// When a comment starts at `i`: where it ends (a `%` comment at its newline, a `/* */` one
/// just after `*/`), or `Some(None)` for a `/*` never closed. `None` when no comment starts
/// there.
fn comment_end(bytes: &[u8], i: usize) -> Option<Option<usize>> {
    match bytes[i] {
        b'%' => Some(Some(
            bytes[i..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |n| i + n),
        )),
        b'/' if bytes.get(i + 1) == Some(&b'*') => Some(
            bytes[i + 2..]
                .windows(2)
                .position(|w| w == b"*/")
                .map(|at| i + 2 + at + 2),
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dots_inside_strings_and_comments_do_not_end_statements() {
        let text = "@source(\"art. 6\") p(a). % a comment. here\n/* b. */ q(\"x.y\").";
        let (chunks, rest) = split(text);
        assert_eq!(chunks.len(), 2);
        assert_eq!(
            &text[chunks[0].start..chunks[0].end],
            "@source(\"art. 6\") p(a)."
        );
        assert_eq!(rest, None);
    }

    #[test]
    fn leftovers_are_classified() {
        assert_eq!(split("p(a). q(b)").1, Some(Unfinished::NoFinalDot(6)));
        assert_eq!(split("p(\"a").1, Some(Unfinished::OpenString(2)));
        assert_eq!(split("p(a). /* x").1, Some(Unfinished::OpenComment(6)));
        assert_eq!(split("p(a).  % only a comment").1, None);
        assert_eq!(split("p(a). /* x. */ \n").1, None);
        assert_eq!(split("p(a). /* x. */ q").1, Some(Unfinished::NoFinalDot(6)));
        assert_eq!(split("p(a). \"x.\"").1, Some(Unfinished::NoFinalDot(6)));
        assert_eq!(split("p(a). / ").1, Some(Unfinished::NoFinalDot(6)));
    }
}
