//! How the workbench shows an explanation: the one place that turns the library's explanation
//! into HTML fragments for the pages. The memo (the reasoning in words, its sources) and the
//! decisive-path graph come from the library's renderers; when the library gives the memo as
//! data of its own, this module is what changes.

use std::fmt::Write as _;

use grondslag::explain::{svg, text, Explanation};

use super::page::esc;

/// The pieces of one explanation on a page.
#[derive(serde::Serialize)]
pub struct Memo {
    /// The verdict in a sentence.
    pub verdict: String,
    /// The reasoning as nested lists, then the sources: HTML.
    pub memo_html: String,
    /// The decisive path drawn as SVG (every label escaped by the library's renderer).
    pub graph_svg: String,
}

/// `highlight`: rule labels to mark where the reasoning names them (a bill's new rules).
pub fn memo(explanation: &Explanation, highlight: &[String]) -> Memo {
    let mut html = String::from("<ul class=\"reasoning\">");
    let lines = text::lines(explanation);
    let mut depth = 0usize;
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            if line.depth > depth {
                for _ in depth..line.depth {
                    html.push_str("<ul>");
                }
            } else {
                html.push_str("</li>");
                for _ in line.depth..depth {
                    html.push_str("</ul></li>");
                }
            }
        }
        depth = line.depth;
        let marked = highlight.iter().any(|label| mentions(&line.text, label));
        if marked {
            let _ = write!(
                html,
                "<li class=\"bill-rule\"><mark>{}</mark>",
                esc(&line.text)
            );
        } else {
            let _ = write!(html, "<li>{}", esc(&line.text));
        }
    }
    if !lines.is_empty() {
        html.push_str("</li>");
        for _ in 0..depth {
            html.push_str("</ul></li>");
        }
    }
    html.push_str("</ul>");
    let sources = explanation.sources();
    if !sources.is_empty() {
        html.push_str("<ul class=\"sources\">");
        for (source, users) in sources {
            let users: Vec<String> = users
                .iter()
                .map(|u| format!("<code>{}</code>", esc(u)))
                .collect();
            let _ = write!(html, "<li>{} — {}</li>", esc(&source), users.join(", "));
        }
        html.push_str("</ul>");
    }
    Memo {
        verdict: text::verdict(explanation),
        memo_html: html,
        graph_svg: svg::render(explanation),
    }
}

/// Whether `text` names the rule `label` as a word of its own.
fn mentions(text: &str, label: &str) -> bool {
    text.match_indices(label).any(|(at, _)| {
        let word = |c: char| c.is_alphanumeric() || c == '_';
        let before = text[..at].chars().next_back().is_none_or(|c| !word(c));
        let after = text[at + label.len()..]
            .chars()
            .next()
            .is_none_or(|c| !word(c));
        before && after
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_label_is_found_as_a_word_only() {
        assert!(super::mentions("rule vl_taak applies", "vl_taak"));
        assert!(!super::mentions("rule vl_taak_2 applies", "vl_taak"));
    }
}
