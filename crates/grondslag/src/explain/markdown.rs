//! The explanation as a Markdown memo: the memo first (verdict, reasons, what would make it
//! hold), then the full derivation as a nested list, the graph as a Mermaid block (rendered
//! by GitHub, GitLab and most editors), the sources — each linked to its official text where
//! the table of sources has it — and the facts. Case text is escaped outside code spans.

use std::fmt::Write as _;

use super::graph::{Detail, Explanation};
use super::summary::{memo_lines, Seg};
use super::text::{derivation_heading, lines, question};
use super::words::say;
use crate::escape::{markdown as escape, markdown_code as code, markdown_url};

/// The explanation as a Markdown memo.
pub fn render(e: &Explanation) -> String {
    let lang = e.lang;
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", escape(&question(e)));
    for line in memo_lines(e, e.view.detail == Detail::Full) {
        let text = segs(e, &line.segs);
        match line.indent {
            0 => {
                let _ = writeln!(out, "\n{text}\n");
            }
            n => {
                let _ = writeln!(out, "{}- {text}", "  ".repeat(n - 1));
            }
        }
    }
    if e.view.detail == Detail::Full {
        let _ = writeln!(out, "\n## {}\n", derivation_heading(lang));
        for line in lines(e) {
            let _ = writeln!(out, "{}- {}", line.margin(), inline(&line.text));
        }
    }
    let _ = writeln!(out, "\n## {}\n", say(lang, "Graaf", "Graph", "Graphe"));
    let _ = writeln!(out, "```mermaid\n{}```\n", super::mermaid::render(e));
    let _ = writeln!(out, "## {}\n", say(lang, "Bronnen", "Sources", "Sources"));
    let sources = e.sources();
    if sources.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            say(
                lang,
                "_Geen bronnen vermeld._",
                "_No sources cited._",
                "_Aucune source citée._"
            )
        );
    }
    for (source, users) in sources {
        let users: Vec<String> = users.iter().map(|u| code(u)).collect();
        let _ = writeln!(out, "- {} — {}", cite(e, &source), users.join(", "));
    }
    let _ = writeln!(
        out,
        "\n## {}\n",
        say(lang, "Gebruikte feiten", "Facts used", "Faits utilisés")
    );
    let facts = e.facts();
    if facts.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            say(lang, "_Geen feiten._", "_No facts._", "_Aucun fait._")
        );
    }
    for fact in facts {
        let _ = writeln!(out, "- {}", code(&fact.to_string()));
    }
    out
}

/// A memo line's segments in Markdown: citations linked, labels as code, the verdict bold.
fn segs(e: &Explanation, segs: &[Seg]) -> String {
    segs.iter()
        .map(|s| match s {
            Seg::Text(t) => escape(t),
            Seg::Strong(t) => format!("**{}**", escape(t)),
            Seg::Code(c) => code(c),
            Seg::Cite(c) => cite(e, c),
        })
        .collect()
}

/// A citation, each part linked to its official text where the table of sources has it.
pub(super) fn cite(e: &Explanation, citation: &str) -> String {
    e.links
        .parts(citation, e.lang, e.date)
        .iter()
        .map(|part| match &part.url {
            Some(url) => format!("[{}]({})", escape(&part.text), markdown_url(url)),
            None => escape(&part.text),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A line of the derivation: backtick spans stay code, the rest is escaped. With unbalanced
/// backticks (from case text) everything is escaped.
fn inline(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return escape(text);
    }
    parts
        .iter()
        .enumerate()
        .map(
            |(i, part)| {
                if i % 2 == 1 {
                    code(part)
                } else {
                    escape(part)
                }
            },
        )
        .collect()
}
