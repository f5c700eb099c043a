//! A self-contained HTML report: the question, the verdict, the reasoning in words, the
//! graph as inline SVG, the cited sources and the facts used. No scripts, no external
//! resources (a Content-Security-Policy forbids any request), every piece of case text
//! escaped.

use std::fmt::Write as _;

use crate::syntax::ast::Lang;

use super::graph::Explanation;
use super::svg;
use super::text::{ledger_lines, lines, question, verdict, Line};
use super::words::say;
use crate::escape::html as escape;

const STYLE: &str = "
body { font-family: Georgia, 'Times New Roman', serif; max-width: 70rem; margin: 2rem auto; padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .3rem; }
h2 { font-size: 1.2rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; margin-top: 2rem; }
.verdict { font-size: 1.1rem; padding: .6rem .9rem; border-left: 5px solid #999; background: #f6f6f6; }
.verdict.holds { border-color: #2e7d32; background: #eef7ef; }
.verdict.fails { border-color: #c62828; background: #fbeeee; }
ul.reasoning, ul.reasoning ul { list-style: none; padding-left: 1.4rem; margin: 0; }
ul.reasoning > li { padding-left: 0; }
ul.reasoning li { margin: .15rem 0; }
ul.reasoning li::before { content: '▸ '; color: #888; }
code { font-family: Menlo, Consolas, monospace; font-size: .9em; background: #f1f1f1; padding: 0 .2em; }
.graph { overflow-x: auto; border: 1px solid #ddd; padding: .5rem; background: #fff; }
.graph svg { display: block; margin: 0 auto; max-width: 100%; height: auto; }
.full-size { margin-right: .3rem; }
.full-size-label { font-size: .85rem; color: #555; }
#full-size:checked ~ .graph svg { max-width: none; }
footer { margin-top: 2rem; font-size: .8rem; color: #777; }
@media print { .graph { overflow: visible; border: none; } .graph svg { max-width: 100%; height: auto; } }
";

/// The explanation as a standalone HTML page, with the graph drawn in SVG.
pub fn render(e: &Explanation) -> String {
    let lang = e.lang;
    let mut out = String::new();
    let _ = writeln!(out, "<!DOCTYPE html>");
    let _ = writeln!(
        out,
        "<html lang=\"{}\">",
        match lang {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    );
    out.push_str("<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
    let _ = writeln!(out, "<title>{}</title>", escape(&question(e)));
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>");
    let _ = writeln!(out, "<h1>{}</h1>", escape(&question(e)));
    let _ = writeln!(
        out,
        "<p class=\"verdict {}\"><strong>{}</strong> {}</p>",
        if e.holds() { "holds" } else { "fails" },
        say(lang, "Oordeel:", "Verdict:"),
        inline(&verdict(e))
    );
    let _ = writeln!(out, "<h2>{}</h2>", say(lang, "Redenering", "Reasoning"));
    out.push_str(&nested_list(&lines(e)));
    let ledger = ledger_lines(e);
    if let Some((heading, rest)) = ledger.split_first() {
        let _ = writeln!(out, "<h2>{}</h2>", say(lang, "Aannames", "Assumptions"));
        let _ = writeln!(
            out,
            "<p>{}</p>\n<ul class=\"assumptions\">",
            inline(heading)
        );
        for line in rest {
            match line.strip_prefix("- ") {
                Some(item) => {
                    let _ = writeln!(out, "<li>{}</li>", inline(item));
                }
                None => {
                    let _ = writeln!(out, "</ul>\n<p>{}</p>", inline(line));
                }
            }
        }
    }
    let _ = writeln!(out, "<h2>{}</h2>", say(lang, "Graaf", "Graph"));
    // Scaled to the page; the checkbox (no script needed) shows it at its natural size.
    let _ = writeln!(
        out,
        "<input type=\"checkbox\" id=\"full-size\" class=\"full-size\"><label for=\"full-size\" class=\"full-size-label\">{}</label>",
        say(lang, "op ware grootte tonen", "show at full size")
    );
    let _ = writeln!(out, "<div class=\"graph\">\n{}</div>", svg::render(e));
    let _ = writeln!(out, "<h2>{}</h2>", say(lang, "Bronnen", "Sources"));
    let sources = e.sources();
    if sources.is_empty() {
        let _ = writeln!(
            out,
            "<p>{}</p>",
            say(lang, "Geen bronnen vermeld.", "No sources cited.")
        );
    } else {
        out.push_str("<ul class=\"sources\">\n");
        for (source, users) in sources {
            let users: Vec<String> = users
                .iter()
                .map(|u| format!("<code>{}</code>", escape(u)))
                .collect();
            let _ = writeln!(out, "<li>{} — {}</li>", escape(&source), users.join(", "));
        }
        out.push_str("</ul>\n");
    }
    let _ = writeln!(
        out,
        "<h2>{}</h2>",
        say(lang, "Gebruikte feiten", "Facts used")
    );
    let facts = e.facts();
    if facts.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", say(lang, "Geen feiten.", "No facts."));
    } else {
        out.push_str("<ul class=\"facts\">\n");
        for fact in facts {
            let _ = writeln!(out, "<li><code>{}</code></li>", escape(&fact.to_string()));
        }
        out.push_str("</ul>\n");
    }
    let _ = writeln!(
        out,
        "<footer>grondslag {} — {}</footer>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION"),
        say(
            lang,
            "uitleg afgeleid uit de regels en feiten hierboven",
            "explanation derived from the rules and facts above"
        )
    );
    out
}

/// The memo lines as nested lists.
fn nested_list(lines: &[Line]) -> String {
    let mut out = String::from("<ul class=\"reasoning\">\n");
    let mut open = 0usize; // lists opened below the top one
    let mut first = true;
    for line in lines {
        let depth = line.depth;
        if first {
            first = false;
        } else if depth > open {
            for _ in open..depth {
                out.push_str("\n<ul>");
            }
        } else {
            out.push_str("</li>\n");
            for _ in depth..open {
                out.push_str("</ul></li>\n");
            }
        }
        open = depth;
        let _ = write!(out, "<li>{}", inline(&line.text));
    }
    if !first {
        out.push_str("</li>\n");
        for _ in 0..open {
            out.push_str("</ul></li>\n");
        }
    }
    out.push_str("</ul>\n");
    out
}

/// A memo line: escaped, with backtick spans as `<code>`.
fn inline(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return escape(text);
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{}</code>", escape(part))
            } else {
                escape(part)
            }
        })
        .collect()
}
