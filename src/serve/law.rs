//! The law page: the knowledge base by statute and article. Each norm (a labelled rule) with
//! its source and a link to the official text where `knowledge/sources.tsv` knows it, its
//! exceptions and what beats what (the superiority pairs), its `@note`, its period in force.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use axum::extract::{Query, State};
use axum::response::Html;
use serde::Deserialize;

use grondslag::kb::KNOWLEDGE;
use grondslag::load::Origin;
use grondslag::syntax::ast::{Item, ModuleKind, Rule, RuleKind};

use super::i18n::UiLang;
use super::page::{esc, lang_of, page as frame};
use super::Shared;

#[derive(Deserialize)]
pub struct PageQuery {
    lang: Option<String>,
}

/// One norm, with what the page shows of it.
struct Norm<'a> {
    label: &'a str,
    rule: &'a Rule,
    text: &'a str,
    module: String,
}

pub async fn page(State(state): State<Shared>, Query(q): Query<PageQuery>) -> Html<String> {
    let lang = lang_of(q.lang.as_deref(), UiLang::of(state.lang));
    let body = super::work::blocking({
        let state = state.clone();
        move || render(&state, lang)
    })
    .await
    .unwrap_or_else(|message| esc(&message));
    frame(lang, "/law", lang.t("law"), &body, None)
}

fn render(state: &super::State, lang: UiLang) -> String {
    let t = |key| esc(lang.t(key));
    let ws = state.knowledge();
    let links = Links::bundled();
    let mut norms = Vec::new();
    // Who beats whom: label → (stronger labels, weaker labels).
    let mut beats: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut yields: HashMap<&str, Vec<&str>> = HashMap::new();
    for loaded in ws.modules.iter().filter(|m| m.origin == Origin::Knowledge) {
        let module = &loaded.module;
        if module.kind() != ModuleKind::Module {
            continue;
        }
        let module_name = module
            .header
            .as_ref()
            .map(|h| h.title.clone().unwrap_or_else(|| h.name.name.clone()))
            .unwrap_or_else(|| ws.sources.get(module.file).name.clone());
        for item in &module.items {
            match item {
                Item::Rule(rule) => {
                    if let Some(label) = &rule.label {
                        norms.push(Norm {
                            label: &label.name,
                            rule,
                            text: ws.sources.snippet(rule.span),
                            module: module_name.clone(),
                        });
                    }
                }
                Item::Superiority(pair) => {
                    beats
                        .entry(&pair.stronger.name)
                        .or_default()
                        .push(&pair.weaker.name);
                    yields
                        .entry(&pair.weaker.name)
                        .or_default()
                        .push(&pair.stronger.name);
                }
                _ => {}
            }
        }
    }
    // Statute → article → norms, in the order the sources sort.
    // Articles in their numeric order (art. 2 before art. 10).
    let mut statutes: BTreeMap<String, BTreeMap<(u32, String), Vec<&Norm>>> = BTreeMap::new();
    for norm in &norms {
        let source = norm
            .rule
            .attrs
            .source
            .as_ref()
            .map(|(s, _)| s.as_str())
            .unwrap_or("");
        let (statute, article) = statute_and_article(source);
        let statute = if statute.is_empty() {
            lang.t("no_source").to_string()
        } else {
            statute
        };
        let number = article
            .trim_start_matches("art. ")
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap_or(u32::MAX);
        statutes
            .entry(statute)
            .or_default()
            .entry((number, article))
            .or_default()
            .push(norm);
    }
    let mut out = format!(
        "<p class=\"intro\">{}</p>\n<nav class=\"toc\"><ul>",
        t("law_intro")
    );
    for (i, (statute, articles)) in statutes.iter().enumerate() {
        let count: usize = articles.values().map(Vec::len).sum();
        let _ = write!(
            out,
            "<li><a href=\"#s{i}\">{}</a> <span class=\"muted\">({count} {})</span></li>",
            esc(statute),
            if count == 1 { t("norm") } else { t("norms") }
        );
    }
    out.push_str("</ul></nav>\n");
    for (i, (statute, articles)) in statutes.iter().enumerate() {
        let _ = write!(
            out,
            "<section class=\"statute\" id=\"s{i}\"><h2>{}</h2>",
            esc(statute)
        );
        for ((_, article), norms) in articles {
            if !article.is_empty() {
                let _ = write!(out, "<h3>{}</h3>", esc(article));
            }
            for norm in norms {
                norm_html(&mut out, norm, &beats, &yields, &links, lang);
            }
        }
        out.push_str("</section>\n");
    }
    out
}

fn norm_html(
    out: &mut String,
    norm: &Norm,
    beats: &HashMap<&str, Vec<&str>>,
    yields: &HashMap<&str, Vec<&str>>,
    links: &Links,
    lang: UiLang,
) {
    let t = |key| esc(lang.t(key));
    let kind = match norm.rule.kind {
        RuleKind::Strict => "strict",
        RuleKind::Defeasible => "default",
        RuleKind::Defeater => "defeater",
    };
    let _ = write!(
        out,
        "<article class=\"norm\" id=\"n-{label}\"><h4><code>{label}</code> <span class=\"kind\">{kind}</span> <span class=\"module\">{module}</span></h4>",
        label = esc(norm.label),
        module = esc(&norm.module),
    );
    if let Some((source, _)) = &norm.rule.attrs.source {
        match links.link(source) {
            Some(url) => {
                let _ = write!(out, "<p class=\"source\">{}: <a href=\"{}\" rel=\"noreferrer noopener\" target=\"_blank\">{}</a></p>", t("source"), esc(&url), esc(source));
            }
            None => {
                let _ = write!(
                    out,
                    "<p class=\"source\">{}: {}</p>",
                    t("source"),
                    esc(source)
                );
            }
        }
    }
    let period = match norm.rule.attrs.valid.as_ref() {
        None => lang.t("always").to_string(),
        Some(valid) => {
            let mut words = Vec::new();
            if let Some(from) = valid.from {
                words.push(format!("{} {from}", lang.t("from")));
            }
            if let Some(until) = valid.until {
                words.push(format!("{} {until}", lang.t("until")));
            }
            words.join(" ")
        }
    };
    let _ = write!(
        out,
        "<p class=\"period\">{}: {}</p>",
        t("in_force"),
        esc(&period)
    );
    for (key, pairs) in [("beats", beats), ("yields", yields)] {
        if let Some(others) = pairs.get(norm.label) {
            let links: Vec<String> = others
                .iter()
                .map(|o| format!("<a href=\"#n-{0}\"><code>{0}</code></a>", esc(o)))
                .collect();
            let _ = write!(
                out,
                "<p class=\"priority {key}\">{}: {}</p>",
                t(key),
                links.join(", ")
            );
        }
    }
    for (note, _) in &norm.rule.attrs.notes {
        let _ = write!(out, "<p class=\"note\">{}</p>", esc(note));
    }
    let _ = write!(
        out,
        "<pre class=\"rule\">{}</pre></article>",
        esc(norm.text)
    );
}

/// `AVG art. 6 lid 1 sub e; ...` → (`AVG`, `art. 6`); a source without an article is a
/// statute of its own.
fn statute_and_article(source: &str) -> (String, String) {
    let first = source.split(';').next().unwrap_or("").trim();
    match first.find(" art. ") {
        Some(at) => {
            let statute = first[..at].trim().to_string();
            let rest = &first[at + 1..];
            let article: String = rest
                .split_whitespace()
                .take(2)
                .collect::<Vec<_>>()
                .join(" ")
                .trim_end_matches([',', '.', ')'])
                .to_string();
            (statute, article)
        }
        None => (first.to_string(), String::new()),
    }
}

/// Citation prefixes mapped to official texts (`knowledge/sources.tsv`).
struct Links {
    /// `(prefix, url)`, longest first.
    prefixes: Vec<(String, String)>,
}

impl Links {
    fn bundled() -> Links {
        let text = KNOWLEDGE
            .get_file("sources.tsv")
            .and_then(|f| f.contents_utf8())
            .unwrap_or("");
        let mut prefixes: Vec<(String, String)> = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|line| {
                let mut cells = line.split('\t');
                let (prefix, scheme, id) = (cells.next()?, cells.next()?, cells.next()?);
                let url = match scheme {
                    _ if id.is_empty() => return None,
                    "bwb" => format!("https://wetten.overheid.nl/{id}"),
                    "celex" => format!("https://eur-lex.europa.eu/legal-content/NL/TXT/?uri=CELEX:{id}"),
                    "numac" => format!("https://www.ejustice.just.fgov.be/cgi_loi/change_lg.pl?language=nl&la=N&cn={id}&table_name=wet"),
                    "kamerstuk" if id.starts_with("kst-") => format!("https://zoek.officielebekendmakingen.nl/{id}"),
                    "kamerstuk" => format!("https://zoek.officielebekendmakingen.nl/dossier/{id}"),
                    "url" if id.starts_with("https://") => id.to_string(),
                    _ => return None,
                };
                Some((prefix.to_string(), url))
            })
            .collect();
        prefixes.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
        Links { prefixes }
    }

    fn link(&self, source: &str) -> Option<String> {
        self.prefixes
            .iter()
            .find(|(prefix, _)| source.starts_with(prefix.as_str()))
            .map(|(_, url)| url.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_group_by_statute_and_article() {
        assert_eq!(
            statute_and_article("AVG art. 6 lid 1 sub e, lid 3"),
            ("AVG".into(), "art. 6".into())
        );
        assert_eq!(
            statute_and_article("Sw. art. 458ter; Gw. art. 22"),
            ("Sw.".into(), "art. 458ter".into())
        );
        assert_eq!(
            statute_and_article("Jeugdwet"),
            ("Jeugdwet".into(), String::new())
        );
    }

    #[test]
    fn bundled_sources_link_to_official_texts() {
        let links = Links::bundled();
        assert_eq!(
            links.link("AVG art. 6 lid 1").as_deref(),
            Some("https://eur-lex.europa.eu/legal-content/NL/TXT/?uri=CELEX:32016R0679")
        );
        assert!(links.link("Wgs art. 3").is_none());
    }
}
