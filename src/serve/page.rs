//! The frame of every page: the navigation, the language switch, the stylesheet and the page's
//! own script, all from this server. Every piece of text from a file or a request goes through
//! [`esc`].

use axum::response::Html;

use super::i18n::UiLang;

/// Text as HTML content or an attribute value.
pub fn esc(text: &str) -> String {
    grondslag::escape::html(text)
}

/// The language a page asked for (`?lang=`), else the server's.
pub fn lang_of(asked: Option<&str>, default: UiLang) -> UiLang {
    asked.and_then(UiLang::parse).unwrap_or(default)
}

/// A whole page. `path` is the page's own path, for the language links; `script` the name of
/// its script under `/assets/`, if any.
pub fn page(
    lang: UiLang,
    path: &str,
    heading: &str,
    body: &str,
    script: Option<&str>,
) -> Html<String> {
    let nav: String = [("/case", "case"), ("/bill", "bill"), ("/law", "law")]
        .iter()
        .map(|(href, key)| {
            let current = if *href == path {
                " aria-current=\"page\""
            } else {
                ""
            };
            format!(
                "<a href=\"{href}?lang={}\"{current}>{}</a>",
                lang.code(),
                esc(lang.t(key))
            )
        })
        .collect();
    let langs: String = UiLang::ALL
        .iter()
        .map(|l| {
            let current = if *l == lang {
                " aria-current=\"true\""
            } else {
                ""
            };
            format!(
                "<a href=\"{path}?lang={code}\" hreflang=\"{code}\"{current}>{code}</a>",
                code = l.code()
            )
        })
        .collect();
    let scripts = match script {
        Some(name) => format!(
            "<script src=\"/assets/common.js\" defer></script><script src=\"/assets/{name}\" defer></script>"
        ),
        None => String::new(),
    };
    Html(format!(
        "<!DOCTYPE html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{heading} — grondslag</title>\n<link rel=\"stylesheet\" href=\"/assets/app.css\">\n{scripts}\n</head>\n<body data-lang=\"{code}\">\n<header class=\"top\"><span class=\"brand\">grondslag · {workbench}</span><nav>{nav}</nav><span class=\"langs\">{langs}</span></header>\n<main>\n<h1>{heading}</h1>\n{body}\n</main>\n</body>\n</html>\n",
        code = lang.code(),
        heading = esc(heading),
        workbench = esc(lang.t("title")),
    ))
}
