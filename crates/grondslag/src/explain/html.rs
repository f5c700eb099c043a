//! A self-contained HTML memo: the verdict, the decisive reasons and what would make it hold
//! first; the full derivation behind a fold; the graph as inline SVG; the cited sources,
//! each linked to its official text where the table of sources has it; the facts used. No
//! scripts, no external resources (a Content-Security-Policy forbids any request; links are
//! followed only when the reader clicks them), every piece of case text escaped.

use std::fmt::Write as _;

use super::graph::{Detail, Explanation};
use super::summary::{memo_lines, Seg};
use super::svg;
use super::text::{assumptions_heading, derivation_heading, ledger_lines, lines, question, Line};
use super::words::say;
use crate::escape::html as escape;

const STYLE: &str = "
body { font-family: Georgia, 'Times New Roman', serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.5rem; margin-bottom: .3rem; }
h2 { font-size: 1.15rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; margin-top: 1.8rem; }
.memo { border: 1px solid #ddd; background: #fcfcfc; padding: .4rem 1.1rem .8rem; }
.memo p { margin: .6rem 0 .2rem; }
.memo ul { margin: .1rem 0; padding-left: 1.3rem; list-style: none; }
.memo li { margin: .2rem 0; }
.memo ul ul { list-style: none; padding-left: .9rem; color: #444; font-size: .95em; }
.verdict { font-size: 1.15rem; padding: .5rem .8rem; border-left: 5px solid #999; background: #f6f6f6; }
.verdict.holds { border-color: #2e7d32; background: #eef7ef; }
.verdict.fails { border-color: #c62828; background: #fbeeee; }
.verdict.open { border-color: #b26a00; background: #fff4e5; }
details { margin-top: 1.2rem; }
summary { cursor: pointer; font-size: 1.15rem; font-weight: bold; }
ul.reasoning, ul.reasoning ul { list-style: none; padding-left: 1.4rem; margin: 0; }
ul.reasoning > li { padding-left: 0; }
ul.reasoning li { margin: .15rem 0; }
ul.reasoning li::before { content: '▸ '; color: #888; }
code { font-family: Menlo, Consolas, monospace; font-size: .88em; background: #f1f1f1; padding: 0 .2em; }
a { color: #1a4f8b; }
.graph { overflow-x: auto; border: 1px solid #ddd; padding: .5rem; background: #fff; }
.graph svg { display: block; margin: 0 auto; max-width: 100%; height: auto; }
.full-size { margin-right: .3rem; }
.full-size-label { font-size: .85rem; color: #555; }
#full-size:checked ~ .graph svg { max-width: none; }
footer { margin-top: 2rem; font-size: .8rem; color: #777; }
@media print { .graph { overflow: visible; border: none; } .graph svg { max-width: 100%; height: auto; } details > *:not(summary) { display: block; } }
";

/// The explanation as a standalone HTML page, with the graph drawn in SVG.
pub fn render(e: &Explanation) -> String {
    let lang = e.lang;
    let mut out = String::new();
    let _ = writeln!(out, "<!DOCTYPE html>");
    let _ = writeln!(out, "<html lang=\"{}\">", lang.code());
    out.push_str("<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
    out.push_str("<meta name=\"referrer\" content=\"no-referrer\">\n");
    let _ = writeln!(out, "<title>{}</title>", escape(&question(e)));
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>");
    let _ = writeln!(out, "<h1>{}</h1>", escape(&question(e)));
    out.push_str(&memo(e));
    let ledger = ledger_lines(e);
    let ledger = match e.view.detail {
        Detail::Full => ledger.as_slice(),
        Detail::Summary => &[],
    };
    if let Some((heading, rest)) = ledger.split_first() {
        let _ = writeln!(out, "<h2>{}</h2>", assumptions_heading(lang));
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
    if e.view.detail == Detail::Full {
        // The full derivation, folded: the memo above is what a reader reads first.
        let _ = writeln!(
            out,
            "<details>\n<summary>{}</summary>",
            escape(derivation_heading(lang))
        );
        out.push_str(&nested_list(&lines(e)));
        out.push_str("</details>\n");
    }
    let _ = writeln!(out, "<h2>{}</h2>", say(lang, "Graaf", "Graph", "Graphe"));
    // Scaled to the page; the checkbox (no script needed) shows it at its natural size.
    let _ = writeln!(
        out,
        "<input type=\"checkbox\" id=\"full-size\" class=\"full-size\"><label for=\"full-size\" class=\"full-size-label\">{}</label>",
        say(
            lang,
            "op ware grootte tonen",
            "show at full size",
            "afficher en taille réelle"
        )
    );
    let _ = writeln!(out, "<div class=\"graph\">\n{}</div>", svg::render(e));
    let _ = writeln!(
        out,
        "<h2>{}</h2>",
        say(lang, "Bronnen", "Sources", "Sources")
    );
    let sources = e.sources();
    if sources.is_empty() {
        let _ = writeln!(
            out,
            "<p>{}</p>",
            say(
                lang,
                "Geen bronnen vermeld.",
                "No sources cited.",
                "Aucune source citée."
            )
        );
    } else {
        out.push_str("<ul class=\"sources\">\n");
        for (source, users) in sources {
            let users: Vec<String> = users
                .iter()
                .map(|u| format!("<code>{}</code>", escape(u)))
                .collect();
            let _ = writeln!(out, "<li>{} — {}</li>", cite(e, &source), users.join(", "));
        }
        out.push_str("</ul>\n");
    }
    let _ = writeln!(
        out,
        "<h2>{}</h2>",
        say(lang, "Gebruikte feiten", "Facts used", "Faits utilisés")
    );
    let facts = e.facts();
    if facts.is_empty() {
        let _ = writeln!(
            out,
            "<p>{}</p>",
            say(lang, "Geen feiten.", "No facts.", "Aucun fait.")
        );
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
            "explanation derived from the rules and facts above",
            "explication déduite des règles et des faits ci-dessus"
        )
    );
    out
}

/// The memo: the verdict as a banner, the headings as paragraphs, reasons and remedies as
/// lists with their details nested.
fn memo(e: &Explanation) -> String {
    let mut out = String::from("<section class=\"memo\">\n");
    let class = match e.memo.verdict {
        super::memo::Verdict::Holds => "holds",
        super::memo::Verdict::Fails => "fails",
        super::memo::Verdict::Undetermined => "open",
    };
    out.push_str(&memo_lists(
        e,
        e.view.detail == Detail::Full,
        &format!("verdict {class}"),
        "\n",
        |line| segs(e, line),
    ));
    out.push_str("</section>\n");
    out
}

/// The memo's lines as HTML: the first line a banner of class `verdict_class`, the other
/// headings paragraphs, the indented lines nested lists. `segs` renders a line's segments;
/// `newline` follows each tag that closes a block. The workbench shows its memos with it too.
pub fn memo_lists(
    e: &Explanation,
    full: bool,
    verdict_class: &str,
    newline: &str,
    segs: impl Fn(&[Seg]) -> String,
) -> String {
    let mut out = String::new();
    let mut open = 0usize; // lists open
    for (i, line) in memo_lines(e, full).iter().enumerate() {
        let text = segs(&line.segs);
        let depth = line.indent;
        while open > depth {
            let _ = write!(out, "</li></ul>{newline}");
            open -= 1;
        }
        if depth == 0 {
            if i == 0 {
                let _ = write!(out, "<p class=\"{verdict_class}\">{text}</p>{newline}");
            } else {
                let _ = write!(out, "<p>{text}</p>{newline}");
            }
            continue;
        }
        if open == depth {
            let _ = write!(out, "</li>{newline}");
        }
        while open < depth {
            let _ = write!(out, "<ul>{newline}");
            open += 1;
        }
        let _ = write!(out, "<li>{text}");
    }
    for _ in 0..open {
        let _ = write!(out, "</li></ul>{newline}");
    }
    out
}

/// A memo line's segments in HTML: citations linked, labels as code, the verdict strong.
fn segs(e: &Explanation, segs: &[Seg]) -> String {
    segs.iter()
        .map(|s| match s {
            Seg::Text(t) => escape(t),
            Seg::Strong(t) => format!("<strong>{}</strong>", escape(t)),
            Seg::Code(c) => format!("<code>{}</code>", escape(c)),
            Seg::Cite(c) => cite(e, c),
        })
        .collect()
}

/// A citation, each part linked to its official text where the table of sources has it.
fn cite(e: &Explanation, citation: &str) -> String {
    e.links
        .parts(citation, e.lang, e.date)
        .iter()
        .map(|part| match &part.url {
            Some(url) => format!(
                "<a href=\"{}\" rel=\"noreferrer noopener\">{}</a>",
                escape(url),
                escape(&part.text)
            ),
            None => escape(&part.text),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The derivation lines as nested lists.
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

/// A derivation line: escaped, with backtick spans as `<code>`.
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
