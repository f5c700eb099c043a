//! Inert output: one escaping function per target format, used wherever that format embeds
//! text from the files (values, names, titles, sources, sentences, source lines).
//!
//! A case file may hold anything in a string: terminal escapes (ESC, OSC 52 writes the
//! clipboard), a NUL, bidi overrides that reorder what is shown, Markdown and HTML, Mermaid
//! directives, spreadsheet formulas. After these functions such text is only ever shown, never
//! obeyed: characters that act rather than show are written as `\u{1b}`, and each format's
//! syntax is escaped its own way.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Characters that change how text is shown rather than being shown: C0 and C1 controls,
/// DEL, the bidi controls (U+061C, U+200E/F, U+202A–E, U+2066–9) and the Unicode line and
/// paragraph separators.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// `\u{1b}`: a hidden character made visible.
fn visible(c: char, out: &mut String) {
    let _ = write!(out, "\\u{{{:x}}}", c as u32);
}

/// Rewrite the characters `special` picks out (writing their replacement itself), copying
/// the rest; no copy when there is nothing to rewrite.
fn rewrite(text: &str, special: impl Fn(char, &mut String) -> bool) -> Cow<'_, str> {
    let mut scratch = String::new();
    let Some(first) = text.char_indices().find_map(|(i, c)| {
        scratch.clear();
        special(c, &mut scratch).then_some(i)
    }) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        if !special(c, &mut out) {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text for a terminal, several lines: hidden characters visible, except line breaks and
/// tabs.
pub fn text(text: &str) -> Cow<'_, str> {
    rewrite(text, |c, out| match c {
        '\n' | '\t' => false,
        c if is_hidden(c) => {
            visible(c, out);
            true
        }
        _ => false,
    })
}

/// Text for one line of terminal output (a title, a table cell, a source line): line
/// breaks and tabs as `\n`, `\r`, `\t`, other hidden characters visible.
pub fn text_line(text: &str) -> Cow<'_, str> {
    rewrite(text, |c, out| {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_hidden(c) => visible(c, out),
            _ => return false,
        }
        true
    })
}

/// Text inside a Markdown paragraph, heading, list item or table cell: punctuation with a
/// meaning escaped with a backslash, `<`, `>` and `&` as entities (so no HTML reaches the
/// renderer), line breaks as spaces (a line break could start a block), hidden characters
/// visible.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '!' | '{' | '}' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c if is_hidden(c) => visible(c, &mut out),
            c => out.push(c),
        }
    }
    out
}

/// A Markdown code span that holds any text: fenced by more backticks than it contains, on
/// one line, hidden characters visible.
pub fn markdown_code(text: &str) -> String {
    let text = text_line(text);
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// A link destination in Markdown (`[text](url)`): the characters that would end it or be
/// read as markup (space, parentheses, angle and square brackets, quotes, backslash,
/// backtick, hidden characters) percent-encoded.
pub fn markdown_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' | '(' | ')' | '<' | '>' | '\\' | '`' | '"' | '\'' | '[' | ']' => {
                let _ = write!(out, "%{:02X}", c as u32);
            }
            c if is_hidden(c) => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    let _ = write!(out, "%{b:02X}");
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Lines inside a fenced Markdown code block: no line can close the fence (a run of three
/// backticks becomes `'''`), hidden characters visible.
pub fn markdown_block(text: &str) -> String {
    self::text(text).replace("```", "'''")
}

/// Text inside a quoted Mermaid label. Mermaid reads `"`, `<`, `>`, `#` and `&` as syntax,
/// and `%%` anywhere as a comment or a directive (`%%{init: …}%%`, even inside a label); a
/// backtick could end the Markdown block around the chart. All are written as Mermaid's
/// entity codes, line breaks as spaces, hidden characters visible.
pub fn mermaid(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '#' | '%' | '{' | '}' | '`' => {
                let _ = write!(out, "#{};", c as u32);
            }
            '\n' | '\r' => out.push(' '),
            c if is_hidden(c) => visible(c, &mut out),
            c => out.push(c),
        }
    }
    out
}

/// A Graphviz DOT quoted string: `"` and `\` escaped, line breaks as `\n`, hidden characters
/// (a NUL makes the file unreadable to Graphviz) visible.
pub fn dot(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if is_hidden(c) => {
                // The backslash of `\u{..}` itself escaped for DOT.
                out.push('\\');
                visible(c, &mut out);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text in HTML or SVG content and attribute values: `&`, `<`, `>`, `"`, `'` as entities,
/// hidden characters visible (line breaks and tabs are white space there).
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            c if is_hidden(c) => visible(c, &mut out),
            c => out.push(c),
        }
    }
    out
}

/// A CSV cell. Text a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a
/// tab or a carriage return) gets a leading `'`, which spreadsheets show as text; a plain
/// number (`-5`) stays a number. Quoted when it holds a separator, a quote or a line break.
pub fn csv(text: &str) -> String {
    let number = text.strip_prefix('-').unwrap_or(text);
    let number = !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit());
    let formula = text.starts_with(['=', '+', '-', '@', '\t', '\r']) && !number;
    let cell = if formula {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    };
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.into_owned()
    }
}

/// JSON text of `value`, on one line, inert in a terminal ([`Inert`]).
pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let mut out = Vec::new();
    json_to_writer(&mut out, value, false).expect("writing to memory succeeds");
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// Write `value` as JSON, inert in a terminal ([`Inert`]); `pretty` indents it.
pub fn json_to_writer<W: std::io::Write, T: serde::Serialize + ?Sized>(
    writer: W,
    value: &T,
    pretty: bool,
) -> serde_json::Result<()> {
    if pretty {
        let formatter = Inert(serde_json::ser::PrettyFormatter::new());
        value.serialize(&mut serde_json::Serializer::with_formatter(
            writer, formatter,
        ))
    } else {
        let formatter = Inert(serde_json::ser::CompactFormatter);
        value.serialize(&mut serde_json::Serializer::with_formatter(
            writer, formatter,
        ))
    }
}

/// A JSON formatter whose strings hold no character that acts on a terminal. JSON requires
/// only the C0 controls escaped (serde_json does that); this also writes DEL, the C1 controls
/// (U+009B is a CSI on many terminals), the bidi controls and U+2028/9 as `\u009b`. The same
/// JSON to a parser, but inert when a person prints it.
pub struct Inert<F>(pub F);

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for Inert<F> {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_hidden(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                // Every hidden character is in the Basic Multilingual Plane: four digits.
                write!(writer, "\\u{:04x}", c as u32)?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    // The layout is the wrapped formatter's (pretty or compact).
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn end_object_key<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_key(w)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_escape_what_acts_on_a_terminal_and_stay_json() {
        let attack = "a\u{1b}]52;c;x\u{7}b\u{9b}31mc\u{202e}d\u{7f}e\u{2028}f é";
        let value = serde_json::json!({"text": attack, "list": [attack]});
        let compact = json(&value);
        assert!(!compact.chars().any(is_hidden), "{compact}");
        assert!(
            compact.contains(r"\u009b31mc\u202ed\u007fe\u2028f é"),
            "{compact}"
        );
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&compact).unwrap(),
            value
        );
        let mut pretty = Vec::new();
        json_to_writer(&mut pretty, &value, true).unwrap();
        let pretty = String::from_utf8(pretty).unwrap();
        // Line breaks and indentation are the pretty layout's own.
        assert!(
            !pretty.chars().any(|c| c != '\n' && is_hidden(c)),
            "{pretty}"
        );
        assert!(pretty.contains("\n  \"list\": [\n"), "{pretty}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&pretty).unwrap(),
            value
        );
    }

    #[test]
    fn terminal_text_shows_escapes_nul_and_bidi_controls() {
        let attack = "a\u{1b}]52;c;cm0gLXJm\u{7}b\u{0}c\u{202e}d\u{9b}e";
        assert_eq!(
            text(attack),
            "a\\u{1b}]52;c;cm0gLXJm\\u{7}b\\u{0}c\\u{202e}d\\u{9b}e"
        );
        assert_eq!(text("two\nlines\tand é"), "two\nlines\tand é");
        assert_eq!(text_line("two\nlines\tand é"), "two\\nlines\\tand é");
        assert!(matches!(text("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn markdown_keeps_html_and_blocks_out() {
        let title = "<img src=x onerror=alert(1)>\n# heading\r```";
        let md = markdown(title);
        assert!(!md.contains('<') && !md.contains('\n') && !md.contains('\r'));
        assert!(!md.contains("```"));
        assert_eq!(markdown_code("a`b\nc"), "``a`b\\nc``");
        assert_eq!(markdown_block("x\n```\ny\u{1b}"), "x\n'''\ny\\u{1b}");
    }

    #[test]
    fn markdown_link_destinations_cannot_be_broken_out_of() {
        assert_eq!(
            markdown_url("https://x.nl/a b)(<c>\u{1b}"),
            "https://x.nl/a%20b%29%28%3Cc%3E%1B"
        );
    }

    #[test]
    fn mermaid_labels_carry_no_directive() {
        let label = mermaid("%%{init: {\"theme\": \"dark\"}}%% `x` <b>");
        assert!(!label.contains('%') && !label.contains('{') && !label.contains('`'));
        assert!(!label.contains('<') && !label.contains('"'));
    }

    #[test]
    fn dot_strings_hold_no_raw_control_character() {
        assert_eq!(dot("a\u{0}b\"c\\"), "\"a\\\\u{0}b\\\"c\\\\\"");
        assert!(!dot("\u{1b}[31m").chars().any(|c| c.is_control()));
    }

    #[test]
    fn csv_neutralises_formulas_but_not_numbers() {
        assert_eq!(csv("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv("+1+2"), "'+1+2");
        assert_eq!(csv("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv("-2+3"), "'-2+3");
        assert_eq!(csv("\tx"), "'\tx");
        assert_eq!(csv("-5"), "-5");
        assert_eq!(csv("a,b"), "\"a,b\"");
        assert_eq!(csv("plain"), "plain");
    }
}
