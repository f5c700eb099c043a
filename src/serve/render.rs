//! How the workbench shows an explanation: the one place that turns the library's explanation
//! into HTML fragments for the pages. The memo comes as the library's lines of segments
//! (words, citations, rule labels), rendered here as escaped HTML with each citation linked
//! to its official text; the full derivation is folded under it; the decisive path is drawn
//! by the library's SVG renderer.

use std::fmt::Write as _;

use grondslag::explain::summary::Seg;
use grondslag::explain::text::{self, derivation_heading, Line};
use grondslag::explain::{html, svg, Explanation, Verdict};

use super::page::esc;

/// The pieces of one explanation on a page.
#[derive(serde::Serialize)]
pub struct Memo {
    /// The memo — the verdict, the decisive reasons, what would change it — then the full
    /// derivation and the sources behind a fold: HTML.
    pub memo_html: String,
    /// The decisive path drawn as SVG (every label escaped by the library's renderer).
    pub graph_svg: String,
}

/// `highlight`: rule labels to mark where the memo or the derivation names them (a bill's
/// new rules).
pub fn memo(e: &Explanation, highlight: &[String]) -> Memo {
    let mut html = memo_html(e, highlight);
    let _ = write!(
        html,
        "<details class=\"derivation\"><summary>{}</summary>",
        esc(derivation_heading(e.lang))
    );
    html.push_str(&derivation(&text::lines(e), highlight));
    let sources = e.sources();
    if !sources.is_empty() {
        html.push_str("<ul class=\"sources\">");
        for (source, users) in sources {
            let users: Vec<String> = users
                .iter()
                .map(|u| format!("<code>{}</code>", esc(u)))
                .collect();
            let _ = write!(html, "<li>{} — {}</li>", cite(e, &source), users.join(", "));
        }
        html.push_str("</ul>");
    }
    html.push_str("</details>");
    Memo {
        memo_html: html,
        graph_svg: svg::render(e),
    }
}

/// The memo's summary: the verdict as a banner, headings as paragraphs, reasons and remedies
/// as lists with their details nested.
fn memo_html(e: &Explanation, highlight: &[String]) -> String {
    let class = match e.memo.verdict {
        Verdict::Holds => "holds",
        Verdict::Fails => "fails",
        Verdict::Undetermined => "open",
    };
    let mut out = String::from("<div class=\"memo-lines\">");
    out.push_str(&html::memo_lists(
        e,
        false,
        &format!("memo-verdict {class}"),
        "",
        |line| segs(e, line, highlight),
    ));
    out.push_str("</div>");
    out
}

/// A memo line's segments: words escaped, citations linked, labels as code (marked when
/// highlighted), the verdict strong.
fn segs(e: &Explanation, segs: &[Seg], highlight: &[String]) -> String {
    segs.iter()
        .map(|s| match s {
            Seg::Text(t) => esc(t),
            Seg::Strong(t) => format!("<strong>{}</strong>", esc(t)),
            Seg::Code(c) if highlight.contains(c) => {
                format!("<mark class=\"bill-rule\"><code>{}</code></mark>", esc(c))
            }
            Seg::Code(c) => format!("<code>{}</code>", esc(c)),
            Seg::Cite(c) => cite(e, c),
        })
        .collect()
}

/// A citation, each part linked to its official text where the table of sources has it; the
/// link opens apart from the workbench and tells the official site nothing of it.
fn cite(e: &Explanation, citation: &str) -> String {
    e.links
        .parts(citation, e.lang, e.date)
        .iter()
        .map(|part| match &part.url {
            Some(url) => format!(
                "<a href=\"{}\" target=\"_blank\" rel=\"noopener noreferrer\">{}</a>",
                esc(url),
                esc(&part.text)
            ),
            None => esc(&part.text),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The full derivation as nested lists, the lines naming a highlighted rule marked.
fn derivation(lines: &[Line], highlight: &[String]) -> String {
    let mut html = String::from("<ul class=\"reasoning\">");
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
    html
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
