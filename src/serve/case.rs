//! The case page: a case stated through forms generated from the typed vocabulary, the `.law`
//! text beside them; each edit is analysed — checked, evaluated, each processing's verdict
//! explained — through the driver, as `grondslag test` and `explain` do.

use std::fmt::Write as _;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use grondslag::diagnostic::Diagnostic;
use grondslag::diff::Verdict;
use grondslag::driver::{self, Bills, Case, Dating, Style};
use grondslag::explain::{Ask, Detail, Drawn, View};
use grondslag::kb::KNOWLEDGE;
use grondslag::load::Workspace;
use grondslag::source::{SourceMap, Span};
use grondslag::syntax::ast::{Atom, Ident, Item, Literal, Module, Term};
use grondslag::value::Value;

use super::folder::Write;
use super::i18n::UiLang;
use super::page::{esc, lang_of, page as frame};
use super::render::{self, Memo};
use super::work::{self, Flag};
use super::Shared;

/// The name the case text is checked under, as its diagnostics cite it.
const CASE_FILE: &str = "case.law";

#[derive(Deserialize)]
pub struct PageQuery {
    lang: Option<String>,
}

pub async fn page(State(state): State<Shared>, Query(q): Query<PageQuery>) -> Html<String> {
    let lang = lang_of(q.lang.as_deref(), UiLang::of(state.lang));
    let t = |key| esc(lang.t(key));
    // The facts a case states first; then what the law also concludes (a case may state
    // it, e.g. a task the law presumes).
    let mut options = format!("<option value=\"\">{}</option>", t("choose"));
    for (concluded, group) in [(false, "facts_group"), (true, "concluded_group")] {
        let _ = write!(options, "<optgroup label=\"{}\">", t(group));
        for pred in state.form.preds.iter().filter(|p| p.concluded == concluded) {
            let _ = write!(
                options,
                "<option value=\"{}\">{}</option>",
                esc(&pred.name),
                esc(&pred.label(lang.lang()))
            );
        }
        options.push_str("</optgroup>");
    }
    let mut files = String::new();
    let folder_cases: Vec<_> = state
        .folder
        .list()
        .into_iter()
        .filter(|e| e.kind == super::folder::Kind::Case)
        .collect();
    if !folder_cases.is_empty() {
        let _ = write!(files, "<optgroup label=\"{}\">", t("folder_files"));
        for entry in folder_cases {
            let _ = write!(
                files,
                "<option value=\"folder:{0}\">{0}</option>",
                esc(&entry.name)
            );
        }
        files.push_str("</optgroup>");
    }
    let _ = write!(files, "<optgroup label=\"{}\">", t("bundled_cases"));
    for name in bundled_cases() {
        let _ = write!(
            files,
            "<option value=\"bundled:{0}\">{0}</option>",
            esc(&name)
        );
    }
    files.push_str("</optgroup>");
    let body = format!(
        r#"<p class="intro">{intro}</p>
<div class="toolbar">
  <label>{open} <select id="open-file"><option value="">{new_case}</option>{files}</select></label>
  <label>{save} <input id="save-name" placeholder="cases/my_case.law" size="24"></label>
  <button id="save" type="button">{save_button}</button>
  <span id="save-status" role="status"></span>
</div>
<div class="case-grid">
<section class="forms" aria-labelledby="h-case">
  <h2 id="h-case">{case_header}</h2>
  <div class="fields">
    <label>{name} <input id="case-name" name="case-name" placeholder="my_case"></label>
    <label>{title} <input id="case-title" name="case-title"></label>
    <label>{date} <input id="case-date" name="case-date" type="date"></label>
  </div>
  <h2>{add_fact}</h2>
  <label>{statement} <select id="pred">{options}</select></label>
  <p id="pred-sentence" class="sentence"></p>
  <div id="args" class="fields"></div>
  <button id="add" type="button">{add}</button>
  <h2>{facts}</h2>
  <ul id="facts" class="facts"></ul>
</section>
<section class="source" aria-labelledby="h-text">
  <h2 id="h-text">{text}</h2>
  <textarea id="law" spellcheck="false" rows="30" aria-label="{text}"></textarea>
  <div id="problems" class="problems" aria-live="polite"></div>
</section>
<section class="outcome" aria-labelledby="h-verdict">
  <h2 id="h-verdict">{verdict} <span id="busy" hidden>{working} <button id="cancel" type="button">{cancel}</button></span></h2>
  <div id="verdicts"><p class="muted">{no_processing}</p></div>
</section>
</div>"#,
        intro = t("case_intro"),
        open = t("open"),
        new_case = t("new_case"),
        save = t("save"),
        save_button = t("save"),
        case_header = t("case_header"),
        name = t("name"),
        title = t("case_title"),
        date = t("date"),
        add_fact = t("add_fact"),
        statement = t("statement"),
        add = t("add"),
        facts = t("facts"),
        text = t("text"),
        verdict = t("verdict"),
        working = t("working"),
        cancel = t("cancel"),
        no_processing = t("no_processing"),
    );
    frame(lang, "/case", lang.t("case"), &body, Some("case.js"))
}

/// The bundled case files' names.
fn bundled_cases() -> Vec<String> {
    let mut names: Vec<String> = KNOWLEDGE
        .get_dir("cases")
        .map(|dir| {
            dir.files()
                .filter_map(|f| f.path().file_name()?.to_str().map(str::to_string))
                .filter(|n| n.ends_with(".law"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// The text of a bundled case or bill (`cases/NAME`, `bills/NAME`).
pub fn bundled(dir: &str, name: &str) -> Option<String> {
    if name.contains('/') || !name.ends_with(".law") {
        return None;
    }
    KNOWLEDGE
        .get_file(format!("{dir}/{name}"))
        .and_then(|f| f.contents_utf8())
        .map(str::to_string)
}

/// The words of the page's script, and the vocabulary's forms.
pub async fn vocabulary(State(state): State<Shared>, Query(q): Query<PageQuery>) -> Response {
    let lang = lang_of(q.lang.as_deref(), UiLang::of(state.lang));
    let words: serde_json::Map<String, serde_json::Value> = [
        "remove",
        "replace",
        "lawful",
        "unlawful",
        "undetermined",
        "memo",
        "graph",
        "problems",
        "saved",
        "did_you_mean",
        "no_processing",
        "choose",
    ]
    .into_iter()
    .map(|k| (k.to_string(), lang.t(k).into()))
    .collect();
    Json(serde_json::json!({
        "form": &state.form,
        "lang": lang.code(),
        "words": words,
    }))
    .into_response()
}

#[derive(Deserialize)]
pub struct OpenQuery {
    file: String,
}

/// A case file's text: `folder:NAME` from FOLDER, `bundled:NAME` from the bundled cases.
pub async fn open(State(state): State<Shared>, Query(q): Query<OpenQuery>) -> Response {
    let text = match q.file.split_once(':') {
        Some(("folder", name)) => state.folder.read(name),
        Some(("bundled", name)) => {
            bundled("cases", name).ok_or_else(|| format!("no bundled case `{name}`"))
        }
        _ => Err(format!("`{}` names no case file", q.file)),
    };
    match text {
        Ok(text) => Json(serde_json::json!({ "text": text })).into_response(),
        Err(message) => (
            StatusCode::NOT_FOUND,
            Json(serde_json::json!({ "error": message })),
        )
            .into_response(),
    }
}

#[derive(Deserialize)]
pub struct SaveRequest {
    name: String,
    text: String,
    /// Replace the file if it exists (the page asked the user first).
    #[serde(default)]
    replace: bool,
}

/// Save the case text as a `.law` file in FOLDER; an existing file only when asked to
/// (409 Conflict otherwise, and the page asks).
pub async fn save(State(state): State<Shared>, Json(request): Json<SaveRequest>) -> Response {
    match state
        .folder
        .write(&request.name, &request.text, request.replace)
    {
        Ok(Write::Written) => Json(serde_json::json!({ "saved": request.name })).into_response(),
        Ok(Write::Exists) => (
            StatusCode::CONFLICT,
            Json(serde_json::json!({ "exists": request.name })),
        )
            .into_response(),
        Err(message) => (
            StatusCode::BAD_REQUEST,
            Json(serde_json::json!({ "error": message })),
        )
            .into_response(),
    }
}

#[derive(Deserialize)]
pub struct AnalyseRequest {
    text: String,
    lang: Option<String>,
    /// The page asking: its newer request stops its older one.
    page: Option<String>,
    /// Only stop the page's running analysis.
    #[serde(default)]
    cancel: bool,
}

/// What the page shows of a case text.
#[derive(Serialize, Default)]
pub struct Analysis {
    pub header: Option<HeaderInfo>,
    pub facts: Vec<FactInfo>,
    pub diagnostics: Vec<serde_json::Value>,
    pub verdicts: Vec<VerdictInfo>,
    /// The date whose law applied.
    pub date: Option<String>,
}

#[derive(Serialize)]
pub struct HeaderInfo {
    pub name: String,
    pub title: Option<String>,
    pub date: Option<String>,
}

#[derive(Serialize)]
pub struct FactInfo {
    pub pred: String,
    pub negated: bool,
    pub args: Vec<String>,
    pub line: usize,
    pub start: usize,
    pub end: usize,
}

#[derive(Serialize)]
pub struct VerdictInfo {
    pub processing: String,
    /// `lawful`, `unlawful` or `undetermined`.
    pub verdict: &'static str,
    pub explanation: Option<Memo>,
}

pub async fn analyse(State(state): State<Shared>, Json(request): Json<AnalyseRequest>) -> Response {
    let page = request.page.clone().unwrap_or_default();
    if request.cancel {
        state.running.stop(&page);
        return Json(serde_json::json!({ "cancelled": true })).into_response();
    }
    let lang = lang_of(request.lang.as_deref(), UiLang::of(state.lang));
    let flag = Flag::new();
    state.running.start(&page, &flag);
    let worker = state.clone();
    let result = work::blocking(move || {
        let analysis = analyse_text(&worker, &request.text, lang, &flag);
        worker.running.finish(&page, &flag);
        analysis
    })
    .await;
    match result {
        Ok(analysis) => Json(analysis).into_response(),
        Err(message) => (StatusCode::INTERNAL_SERVER_ERROR, message).into_response(),
    }
}

/// Check and evaluate `text` as a case over the knowledge base, and explain each verdict.
pub fn analyse_text(state: &super::State, text: &str, lang: UiLang, flag: &Flag) -> Analysis {
    let mut analysis = Analysis::default();
    if let Some(refused) = refuse_inputs(text) {
        let mut sources = SourceMap::new();
        sources.add(CASE_FILE, text);
        analysis.diagnostics = vec![refused.to_json(&sources)];
        return analysis;
    }
    let mut ws = state.knowledge();
    let file = ws.load_text(CASE_FILE, text);
    let Some(case) = ws
        .modules
        .iter()
        .map(|m| &m.module)
        .find(|m| m.file == file)
    else {
        return analysis;
    };
    analysis.header = header_info(case);
    analysis.facts = facts(case, &ws, text);
    let dating = Dating {
        as_of: None,
        today: crate::cli::clock::today(),
    };
    let date = match dating.together(&ws) {
        Ok((date, _)) => date,
        Err(message) => {
            analysis.diagnostics.push(
                serde_json::json!({ "severity": "error", "code": "date", "message": message }),
            );
            return analysis;
        }
    };
    analysis.date = Some(date.to_string());
    let checked = driver::check(&ws, Some(date));
    let shown =
        |d: &&Diagnostic| d.primary.as_ref().is_none_or(|p| p.span.file == file) || d.is_error();
    analysis.diagnostics = checked
        .diagnostics()
        .iter()
        .filter(shown)
        .map(|d| d.to_json(&ws.sources))
        .collect();
    if checked.has_errors() {
        return analysis;
    }
    let mut options = flag.options(&state.options);
    options.provenance = true;
    let evaluated = checked
        .law(Some(date), Bills::Apply, &options)
        .and_then(|law| law.evaluate(Case::All));
    let evaluation = match evaluated {
        Ok(evaluation) => evaluation,
        Err(found) => {
            analysis
                .diagnostics
                .extend(found.iter().map(|d| d.to_json(&ws.sources)));
            return analysis;
        }
    };
    // The memo's summary and the decisive path; the page folds the full derivation.
    let style = Style {
        view: View {
            detail: Detail::Summary,
            graph: Drawn::Decisive,
        },
        ..Style::new(lang.lang())
    };
    for processing in processings(evaluation.model()) {
        if flag.stopped() {
            break;
        }
        let verdict = Verdict::of(
            evaluation.model(),
            "lawful",
            std::slice::from_ref(&processing),
        );
        // `lawful(D)` whatever the verdict: the memo says lawful, unlawful or undetermined,
        // as `grondslag explain` does.
        let goal = goal("lawful", &processing, file);
        let explanation = evaluation
            .explain(&ws, &goal, Ask::Either, style)
            .ok()
            .map(|e| render::memo(&e, &[]));
        analysis.verdicts.push(VerdictInfo {
            processing: processing.to_string(),
            verdict: match verdict {
                Verdict::Holds => "lawful",
                Verdict::Refuted => "unlawful",
                Verdict::Undetermined => "undetermined",
            },
            explanation,
        });
    }
    analysis
}

/// A case text may not name files to read (`@input`): the workbench reads only FOLDER's
/// case files and bills, and a text typed on the page has no folder.
pub fn refuse_inputs(text: &str) -> Option<Diagnostic> {
    let mut sources = SourceMap::new();
    let file = sources.add(CASE_FILE, text);
    let (module, _) = grondslag::syntax::parse(&sources, file);
    module.items.iter().find_map(|item| match item {
        Item::Pred(decl) => decl.attrs.input.as_ref().map(|(_, span)| {
            Diagnostic::new(
                grondslag::diagnostic::Code::Io,
                "the workbench does not read `@input` files",
            )
            .at(*span)
            .hint("state the facts in the text, or run `grondslag` on the command line")
        }),
        _ => None,
    })
}

/// The processings judged (`processing(D, ...)`), sorted.
fn processings(model: &grondslag::model::Model) -> Vec<Value> {
    let mut found: Vec<Value> = model
        .relations()
        .filter(|(name, _)| name == "processing" || name == "lawful" || name == "~lawful")
        .flat_map(|(_, rows)| {
            rows.into_iter()
                .filter_map(|(args, _)| args.into_iter().next())
        })
        .collect();
    found.sort();
    found.dedup();
    found
}

/// The ground literal `pred(value)`, as if written in the case file.
fn goal(pred: &str, value: &Value, file: grondslag::source::FileId) -> Literal {
    let span = Span::new(file, 0, 0);
    Literal {
        negated: false,
        atom: Atom {
            pred: Ident {
                name: pred.to_string(),
                span,
            },
            args: vec![Term::Const(value.clone(), span)],
            span,
        },
        span,
    }
}

/// UTF-16 offset of byte `at` of `text`: where the page's script finds it.
fn utf16(text: &str, at: usize) -> usize {
    text.get(..at).map_or(0, |s| s.encode_utf16().count())
}

fn header_info(case: &Module) -> Option<HeaderInfo> {
    let header = case.header.as_ref()?;
    Some(HeaderInfo {
        name: header.name.name.clone(),
        title: header.title.clone(),
        date: header.date.map(|(d, _)| d.to_string()),
    })
}

/// The facts the case states, in order, with where each is written.
fn facts(case: &Module, ws: &Workspace, text: &str) -> Vec<FactInfo> {
    let source = ws.sources.get(case.file);
    case.items
        .iter()
        .filter_map(|item| match item {
            Item::Rule(rule) if rule.body.is_empty() => Some(rule),
            _ => None,
        })
        .filter_map(|rule| {
            let args = rule.head.atom.ground_args()?;
            Some(FactInfo {
                pred: rule.head.atom.pred.name.clone(),
                negated: rule.head.negated,
                args: args.iter().map(Value::to_string).collect(),
                line: source.line_col(rule.span.start as usize).0,
                start: utf16(text, rule.span.start as usize),
                end: utf16(text, rule.span.end as usize),
            })
        })
        .collect()
}
