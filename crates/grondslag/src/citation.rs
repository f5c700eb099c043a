//! The table of official sources kept with the knowledge base (`knowledge/sources.tsv`):
//! citation prefix → official identifier (BWB id, CELEX, ELI, ECLI, Kamerstuk, Staatsblad,
//! a web address), and whether it was verified. A citation in `@source` links to the
//! official text through it: the longest prefix that matches names the act; the article
//! is read from the citation. A citation without a verified entry is shown without a link.

use crate::syntax::ast::Lang;
use crate::value::Date;

/// How an identifier is resolved to an address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// A BWB id: wetten.overheid.nl, by Juriconnect reference to the article.
    Bwb,
    /// A CELEX number: EUR-Lex, in the reader's language, at the article.
    Celex,
    /// A Belgian ELI path (`wet/1867/06/08/1867060850`): Justel.
    Eli,
    /// An ECLI: rechtspraak.nl (Dutch) or Juportal (Belgian).
    Ecli,
    /// A Kamerstuk (`36295`, `kst-35447-4`): officielebekendmakingen.nl.
    Kamerstuk,
    /// A Staatsblad number (`Stb. 2024, 380`): officielebekendmakingen.nl.
    Staatsblad,
    /// A web address, as given.
    Url,
    /// An identifier that gives no address (a NUMAC without its ELI, say).
    Other,
}

/// One row of the table.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The citation prefix (`AVG`, `BW art. 7:`).
    pub prefix: String,
    /// How the identifier resolves.
    pub scheme: Scheme,
    /// The identifier (may be empty: not looked up).
    pub identifier: String,
    /// Whether the identifier was checked against a public source.
    pub verified: bool,
}

/// The table.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Citations {
    entries: Vec<Entry>,
}

/// A part of a citation (the text between `;`), with the address of the official text when
/// the table gives one.
#[derive(Clone, Debug, PartialEq)]
pub struct Part {
    /// The text of the part, as cited.
    pub text: String,
    /// The address, when a verified entry matches.
    pub url: Option<String>,
}

impl Citations {
    /// Read the table: tab-separated `prefix scheme identifier verified note`, `#` comments.
    /// Rows that do not read are skipped (the table is documentation: a bad row costs a link,
    /// never an explanation).
    pub fn parse(text: &str) -> Citations {
        let entries = text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|line| {
                let cells: Vec<&str> = line.split('\t').collect();
                let [prefix, scheme, identifier, verified, ..] = cells.as_slice() else {
                    return None;
                };
                let scheme = match *scheme {
                    "bwb" => Scheme::Bwb,
                    "celex" => Scheme::Celex,
                    "eli" => Scheme::Eli,
                    "ecli" => Scheme::Ecli,
                    "kamerstuk" => Scheme::Kamerstuk,
                    "staatsblad" => Scheme::Staatsblad,
                    "url" => Scheme::Url,
                    _ => Scheme::Other,
                };
                Some(Entry {
                    prefix: prefix.to_string(),
                    scheme,
                    identifier: identifier.trim().to_string(),
                    verified: verified.trim() == "yes",
                })
            })
            .collect();
        Citations { entries }
    }

    /// Whether the table is empty (no knowledge base, or none kept).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry for a citation: the longest prefix that matches.
    pub fn entry(&self, citation: &str) -> Option<&Entry> {
        self.entries
            .iter()
            .filter(|e| citation.starts_with(&e.prefix))
            .max_by_key(|e| e.prefix.len())
    }

    /// A citation cut at its `;` into parts, each with the address of its official text
    /// (in `lang`, as in force on `date` where the source keeps versions).
    pub fn parts(&self, citation: &str, lang: Lang, date: Option<Date>) -> Vec<Part> {
        citation
            .split("; ")
            .map(|text| Part {
                text: text.to_string(),
                url: self.url(text, lang, date),
            })
            .collect()
    }

    /// The address of one cited act (and article), when a verified entry matches.
    pub fn url(&self, citation: &str, lang: Lang, date: Option<Date>) -> Option<String> {
        let entry = self.entry(citation)?;
        if !entry.verified || entry.identifier.is_empty() {
            return None;
        }
        let id = &entry.identifier;
        let article = article(citation);
        Some(match entry.scheme {
            Scheme::Bwb => {
                let mut url = format!("https://wetten.overheid.nl/jci1.3:c:{id}");
                if let Some(article) = &article {
                    match article.split_once(':') {
                        Some((book, number)) => {
                            url.push_str(&format!("&boek={book}&artikel={number}"))
                        }
                        None => url.push_str(&format!("&artikel={article}")),
                    }
                }
                if let Some(date) = date {
                    url.push_str(&format!("&z={date}&g={date}"));
                }
                url
            }
            Scheme::Celex => {
                let code = match lang {
                    Lang::Nl => "NL",
                    Lang::En => "EN",
                    Lang::Fr => "FR",
                };
                let mut url = format!(
                    "https://eur-lex.europa.eu/legal-content/{code}/TXT/HTML/?uri=CELEX:{id}"
                );
                match (&article, recital(citation)) {
                    (Some(a), _) if a.bytes().all(|b| b.is_ascii_digit()) => {
                        url.push_str(&format!("#art_{a}"))
                    }
                    (None, Some(r)) => url.push_str(&format!("#rct_{r}")),
                    _ => {}
                }
                url
            }
            Scheme::Eli => {
                // The ELI names the kind of act in the reader's language.
                let path = match lang {
                    Lang::Fr => french_eli(id),
                    Lang::Nl | Lang::En => id.clone(),
                };
                format!("https://www.ejustice.just.fgov.be/eli/{path}/justel")
            }
            Scheme::Ecli if id.starts_with("ECLI:BE:") => {
                format!("https://juportal.be/content/{id}")
            }
            Scheme::Ecli => format!("https://uitspraken.rechtspraak.nl/details?id={id}"),
            Scheme::Kamerstuk if id.starts_with("kst-") => {
                format!("https://zoek.officielebekendmakingen.nl/{id}")
            }
            Scheme::Kamerstuk => format!("https://zoek.officielebekendmakingen.nl/dossier/{id}"),
            Scheme::Staatsblad => {
                let digits: Vec<&str> = id
                    .split(|c: char| !c.is_ascii_digit())
                    .filter(|s| !s.is_empty())
                    .collect();
                match digits.as_slice() {
                    [year, number] => {
                        format!("https://zoek.officielebekendmakingen.nl/stb-{year}-{number}")
                    }
                    _ => return None,
                }
            }
            Scheme::Url if id.starts_with("https://") || id.starts_with("http://") => id.clone(),
            Scheme::Url | Scheme::Other => return None,
        })
    }
}

/// The article a citation names first: `AVG art. 6 lid 1` → `6`, `BW art. 7:457` → `7:457`,
/// `Sw. art. 458bis` → `458bis`, `Wmo 2015 art. 5.2.6` → `5.2.6`.
fn article(citation: &str) -> Option<String> {
    let at = citation.find("art. ")? + "art. ".len();
    let token: String = citation[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == ':' || *c == '.')
        .collect();
    let token = token.trim_end_matches('.');
    (!token.is_empty() && token.starts_with(|c: char| c.is_ascii_digit()))
        .then(|| token.to_string())
}

/// The recital a citation names when it names no article: `AVG overweging 43` → `43`.
fn recital(citation: &str) -> Option<String> {
    let at = citation.find("overweging ")? + "overweging ".len();
    let digits: String = citation[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (!digits.is_empty()).then_some(digits)
}

/// A Dutch ELI path in French: `wet` → `loi`, `decreet` → `decret`, `ordonnantie` →
/// `ordonnance`, `besluit` → `arrete`.
fn french_eli(path: &str) -> String {
    let (kind, rest) = path.split_once('/').unwrap_or((path, ""));
    let kind = match kind {
        "wet" => "loi",
        "decreet" => "decret",
        "ordonnantie" => "ordonnance",
        "besluit" => "arrete",
        other => other,
    };
    format!("{kind}/{rest}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = "# comment\n\
        AVG\tcelex\t32016R0679\tyes\tnote\n\
        BW art. 7:\tbwb\tBWBR0005290\tyes\tnote\n\
        Wmo 2015\tbwb\tBWBR0035362\tyes\tnote\n\
        Sw. art.\teli\twet/1867/06/08/1867060850\tyes\tnote\n\
        Wgs\tbwb\t\tno\tnot found\n\
        AP-lijst\tbwb\tBWBR0042812\tno\tone source only\n\
        Kamerstukken II 2019/20, 35447, nr. 4\tkamerstuk\tkst-35447-4\tyes\tnote\n";

    #[test]
    fn citations_link_to_the_article_in_the_official_text() {
        let t = Citations::parse(TABLE);
        let date = Date::parse("2021-09-01");
        assert_eq!(
            t.url("BW art. 7:457 lid 1", Lang::Nl, date).as_deref(),
            Some("https://wetten.overheid.nl/jci1.3:c:BWBR0005290&boek=7&artikel=457&z=2021-09-01&g=2021-09-01")
        );
        assert_eq!(
            t.url("Wmo 2015 art. 5.2.6", Lang::Nl, None).as_deref(),
            Some("https://wetten.overheid.nl/jci1.3:c:BWBR0035362&artikel=5.2.6")
        );
        assert_eq!(
            t.url("AVG art. 9 lid 2 sub c", Lang::Fr, date).as_deref(),
            Some("https://eur-lex.europa.eu/legal-content/FR/TXT/HTML/?uri=CELEX:32016R0679#art_9")
        );
        assert_eq!(
            t.url("AVG overweging 43", Lang::En, None).as_deref(),
            Some(
                "https://eur-lex.europa.eu/legal-content/EN/TXT/HTML/?uri=CELEX:32016R0679#rct_43"
            )
        );
        assert_eq!(
            t.url("Sw. art. 458ter", Lang::Fr, None).as_deref(),
            Some("https://www.ejustice.just.fgov.be/eli/loi/1867/06/08/1867060850/justel")
        );
        assert_eq!(
            t.url("Kamerstukken II 2019/20, 35447, nr. 4", Lang::Nl, None)
                .as_deref(),
            Some("https://zoek.officielebekendmakingen.nl/kst-35447-4")
        );
    }

    #[test]
    fn no_link_without_a_verified_entry() {
        let t = Citations::parse(TABLE);
        assert_eq!(t.url("Wgs art. 3a", Lang::Nl, None), None);
        assert_eq!(t.url("AP-lijst DPIA", Lang::Nl, None), None);
        assert_eq!(t.url("KNMG, Het beroepsgeheim", Lang::Nl, None), None);
        let parts = t.parts("AVG art. 6 lid 1; Wgs art. 3a", Lang::Nl, None);
        assert_eq!(parts.len(), 2);
        assert!(parts[0].url.is_some() && parts[1].url.is_none());
    }
}
