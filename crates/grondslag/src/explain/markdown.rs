//! The explanation as a Markdown memo: the question, the verdict, the reasoning as a nested
//! list, the graph as a Mermaid block (rendered by GitHub, GitLab and most editors), the
//! sources and the facts. Case text is escaped outside code spans.

use std::fmt::Write as _;

use super::graph::Explanation;
use super::text::{ledger_lines, lines, question, verdict};
use super::words::say;
use crate::escape::{markdown as escape, markdown_code as code};

/// The explanation as a Markdown memo.
pub fn render(e: &Explanation) -> String {
    let lang = e.lang;
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", escape(&question(e)));
    let _ = writeln!(
        out,
        "**{}** {}\n",
        say(lang, "Oordeel:", "Verdict:"),
        inline(&verdict(e))
    );
    let _ = writeln!(out, "## {}\n", say(lang, "Redenering", "Reasoning"));
    for line in lines(e) {
        let _ = writeln!(out, "{}- {}", line.margin(), inline(&line.text));
    }
    let ledger = ledger_lines(e);
    if let Some((heading, rest)) = ledger.split_first() {
        let _ = writeln!(out, "\n## {}\n", say(lang, "Aannames", "Assumptions"));
        let _ = writeln!(out, "{}\n", inline(heading));
        for line in rest {
            match line.strip_prefix("- ") {
                Some(item) => {
                    let _ = writeln!(out, "- {}", inline(item));
                }
                None => {
                    let _ = writeln!(out, "\n{}", inline(line));
                }
            }
        }
    }
    let _ = writeln!(out, "\n## {}\n", say(lang, "Graaf", "Graph"));
    let _ = writeln!(out, "```mermaid\n{}```\n", super::mermaid::render(e));
    let _ = writeln!(out, "## {}\n", say(lang, "Bronnen", "Sources"));
    let sources = e.sources();
    if sources.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            say(lang, "_Geen bronnen vermeld._", "_No sources cited._")
        );
    }
    for (source, users) in sources {
        let users: Vec<String> = users.iter().map(|u| code(u)).collect();
        let _ = writeln!(out, "- {} — {}", escape(&source), users.join(", "));
    }
    let _ = writeln!(
        out,
        "\n## {}\n",
        say(lang, "Gebruikte feiten", "Facts used")
    );
    let facts = e.facts();
    if facts.is_empty() {
        let _ = writeln!(out, "{}", say(lang, "_Geen feiten._", "_No facts._"));
    }
    for fact in facts {
        let _ = writeln!(out, "- {}", code(&fact.to_string()));
    }
    out
}

/// A line of the memo: backtick spans stay code, the rest is escaped. With unbalanced
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
