//! The bill page: a draft bill (from FOLDER, bundled, or written on the page) with its own
//! diagnostics, run over the case folder on a date through the driver's `diff`, with progress
//! and a cancel button. The cases whose verdict changes come first, then those whose reasons
//! change; each change shows its memo before and after side by side, the bill's rules marked.
//! The report exports as `grondslag diff` writes it (HTML, Markdown, JSON).

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use grondslag::diff::{self, CaseDiff, Report, Verdict};
use grondslag::driver::{self, Dating, DiffRequest};
use grondslag::kb::KNOWLEDGE;
use grondslag::value::Date;

use super::case::{bundled, refuse_inputs};
use super::folder::Kind;
use super::i18n::UiLang;
use super::page::{esc, lang_of, page as frame};
use super::render;
use super::work::Flag;
use super::Shared;

/// The name a bill written on the page is checked under.
const BILL_FILE: &str = "bill.law";

#[derive(Default)]
pub struct Jobs {
    next: AtomicU64,
    jobs: Mutex<HashMap<u64, Arc<Job>>>,
}

/// One run of a bill over the cases.
pub struct Job {
    done: AtomicUsize,
    total: AtomicUsize,
    flag: Flag,
    outcome: Mutex<Option<Outcome>>,
}

enum Outcome {
    /// The bill or a case did not check: the problems.
    Refused(Vec<serde_json::Value>),
    Finished(Box<Finished>),
}

struct Finished {
    page: String,
    norms: Vec<String>,
    html: String,
    markdown: String,
    json: String,
}

impl Jobs {
    fn get(&self, id: u64) -> Option<Arc<Job>> {
        self.jobs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&id)
            .cloned()
    }

    fn add(&self, job: Arc<Job>) -> u64 {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let mut jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner());
        // Keep the last few reports for export; older ones go.
        if jobs.len() >= 16 {
            if let Some(oldest) = jobs.keys().min().copied() {
                jobs.remove(&oldest);
            }
        }
        jobs.insert(id, job);
        id
    }
}

#[derive(Deserialize)]
pub struct PageQuery {
    lang: Option<String>,
}

pub async fn page(State(state): State<Shared>, Query(q): Query<PageQuery>) -> Html<String> {
    let lang = lang_of(q.lang.as_deref(), UiLang::of(state.lang));
    let t = |key| esc(lang.t(key));
    let mut bills = String::new();
    let folder_bills: Vec<_> = state
        .folder
        .list()
        .into_iter()
        .filter(|e| e.kind == Kind::Bill)
        .collect();
    if !folder_bills.is_empty() {
        let _ = write!(bills, "<optgroup label=\"{}\">", t("folder_files"));
        for entry in folder_bills {
            let _ = write!(
                bills,
                "<option value=\"folder:{0}\">{0}</option>",
                esc(&entry.name)
            );
        }
        bills.push_str("</optgroup>");
    }
    let _ = write!(bills, "<optgroup label=\"{}\">", t("bundled_bills"));
    for name in bundled_bills() {
        let _ = write!(
            bills,
            "<option value=\"bundled:{0}\">{0}</option>",
            esc(&name)
        );
    }
    bills.push_str("</optgroup>");
    let date = state.as_of.map(|d| d.to_string()).unwrap_or_default();
    let body = format!(
        r#"<p class="intro">{intro}</p>
<div class="bill-grid">
<section class="bill-input">
  <label>{bill} <select id="bill-file"><option value="">{choose}</option>{bills}</select></label>
  <label class="block">{bill_text}<textarea id="bill-text" rows="14" spellcheck="false"></textarea></label>
  <div id="bill-problems" class="problems" aria-live="polite"></div>
  <div class="fields">
    <label>{effective} <input id="bill-date" type="date" value="{date}"></label>
    <label>{cases_from} <select id="bill-cases">
      <option value="both">{both}</option><option value="folder">{folder}</option><option value="bundled">{bundled}</option>
    </select></label>
  </div>
  <button id="run" type="button">{run}</button>
  <progress id="progress" max="1" value="0" hidden></progress>
  <button id="cancel" type="button" hidden>{cancel}</button>
  <span id="run-status" role="status"></span>
</section>
<section class="bill-output">
  <div class="toolbar" id="filters" hidden>
    <label><input type="checkbox" id="only-verdicts"> {only_verdicts}</label>
    <label>{norm} <select id="norm"><option value="">{all}</option></select></label>
    <span>{export}: <a id="export-html" href="">HTML</a> · <a id="export-md" href="">Markdown</a> · <a id="export-json" href="">JSON</a></span>
  </div>
  <div id="report"></div>
</section>
</div>"#,
        intro = t("bill_intro"),
        bill = t("bill"),
        choose = t("choose"),
        bill_text = t("bill_text"),
        effective = t("effective"),
        cases_from = t("cases_from"),
        both = t("folder_and_bundled"),
        folder = t("folder_only"),
        bundled = t("bundled_only"),
        run = t("run"),
        cancel = t("cancel"),
        only_verdicts = t("filter_verdict"),
        norm = t("filter_norm"),
        all = t("all"),
        export = t("export"),
        date = esc(&date),
    );
    frame(lang, "/bill", lang.t("bill"), &body, Some("bill.js"))
}

fn bundled_bills() -> Vec<String> {
    let mut names: Vec<String> = KNOWLEDGE
        .get_dir("bills")
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

#[derive(Deserialize)]
pub struct BillRequest {
    /// `folder:NAME` or `bundled:NAME`; empty: the text.
    #[serde(default)]
    file: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    cases: String,
    lang: Option<String>,
}

impl BillRequest {
    /// The bill's name and text.
    fn bill(&self, state: &super::State) -> Result<(String, String), String> {
        match self.file.split_once(':') {
            Some(("folder", name)) => Ok((name.to_string(), state.folder.read(name)?)),
            Some(("bundled", name)) => bundled("bills", name)
                .map(|text| (format!("knowledge/bills/{name}"), text))
                .ok_or_else(|| format!("no bundled bill `{name}`")),
            _ if !self.text.trim().is_empty() => Ok((BILL_FILE.to_string(), self.text.clone())),
            _ => Err("choose a bill, or write one".to_string()),
        }
    }
}

/// The bill's text with the knowledge base, checked: the problems in the bill.
pub async fn check(State(state): State<Shared>, Json(request): Json<BillRequest>) -> Response {
    let worker = state.clone();
    let result = super::work::blocking(move || {
        let (name, text) = request.bill(&worker)?;
        if let Some(refused) = refuse_inputs(&text) {
            let mut sources = grondslag::source::SourceMap::new();
            sources.add(name, text);
            return Ok::<_, String>((vec![refused.to_json(&sources)], String::new(), None));
        }
        let mut ws = worker.knowledge();
        let file = ws.load_bill_text(name, text.clone());
        let checked = driver::check(&ws, None);
        let problems = checked
            .diagnostics()
            .iter()
            .filter(|d| d.primary.as_ref().is_none_or(|p| p.span.file == file))
            .map(|d| d.to_json(&ws.sources))
            .collect();
        // The bill's effective date: the page's date until the user picks another.
        let effective = ws
            .bill_modules()
            .first()
            .and_then(|m| m.header.as_ref()?.date)
            .map(|(date, _)| date.to_string());
        Ok((problems, text, effective))
    })
    .await;
    match result {
        Ok(Ok((problems, text, effective))) => Json(
            serde_json::json!({ "diagnostics": problems, "text": text, "effective": effective }),
        )
        .into_response(),
        Ok(Err(message)) | Err(message) => (
            StatusCode::BAD_REQUEST,
            Json(serde_json::json!({ "error": message })),
        )
            .into_response(),
    }
}

/// Start a run; the page polls [`status`].
pub async fn run(State(state): State<Shared>, Json(request): Json<BillRequest>) -> Response {
    let job = Arc::new(Job {
        done: AtomicUsize::new(0),
        total: AtomicUsize::new(0),
        flag: Flag::new(),
        outcome: Mutex::new(None),
    });
    let id = state.bills.add(job.clone());
    let worker = state.clone();
    let spawned = std::thread::Builder::new()
        .name("grondslag-bill".into())
        .stack_size(crate::memory::stack())
        .spawn(move || {
            let outcome = compare(&worker, &request, &job);
            *job.outcome.lock().unwrap_or_else(|e| e.into_inner()) = Some(outcome);
        });
    match spawned {
        Ok(_) => Json(serde_json::json!({ "job": id })).into_response(),
        Err(err) => (StatusCode::INTERNAL_SERVER_ERROR, err.to_string()).into_response(),
    }
}

fn refused(message: String) -> Outcome {
    Outcome::Refused(vec![
        serde_json::json!({ "severity": "error", "code": "workbench", "message": message }),
    ])
}

/// Load the knowledge base, the bill and the cases, and compare.
fn compare(state: &super::State, request: &BillRequest, job: &Job) -> Outcome {
    let lang = lang_of(request.lang.as_deref(), UiLang::of(state.lang));
    let (bill_name, bill_text) = match request.bill(state) {
        Ok(bill) => bill,
        Err(message) => return refused(message),
    };
    let mut texts = vec![(bill_name.clone(), bill_text)];
    let which = request.cases.as_str();
    if which != "bundled" {
        for entry in state
            .folder
            .list()
            .into_iter()
            .filter(|e| e.kind == Kind::Case)
        {
            match state.folder.read(&entry.name) {
                Ok(text) => texts.push((entry.name, text)),
                Err(message) => return refused(message),
            }
        }
    }
    if which != "folder" {
        if let Some(dir) = KNOWLEDGE.get_dir("cases") {
            let mut files: Vec<_> = dir.files().collect();
            files.sort_by_key(|f| f.path());
            for file in files {
                if let Some(text) = file.contents_utf8() {
                    texts.push((
                        format!("knowledge/{}", file.path().display()),
                        text.to_string(),
                    ));
                }
            }
        }
    }
    for (name, text) in &texts {
        if let Some(problem) = refuse_inputs(text) {
            let mut sources = grondslag::source::SourceMap::new();
            sources.add(name.clone(), text.clone());
            return Outcome::Refused(vec![problem.to_json(&sources)]);
        }
    }
    let mut ws = state.knowledge();
    let mut texts = texts.into_iter();
    if let Some((name, text)) = texts.next() {
        ws.load_bill_text(name, text);
    }
    for (name, text) in texts {
        ws.load_text(name, text);
    }
    if ws.case_modules().is_empty() {
        return refused(
            "no case files to compare: save a case in the folder, or include the bundled cases"
                .into(),
        );
    }
    let as_of = Date::parse(request.date.trim()).or(state.as_of);
    let dating = Dating {
        as_of,
        today: crate::cli::clock::today(),
    };
    let checked = driver::check(&ws, as_of);
    if checked.has_errors() {
        let problems = checked
            .diagnostics()
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.to_json(&ws.sources))
            .collect();
        return Outcome::Refused(problems);
    }
    let diff_request = DiffRequest {
        date: dating.bills(&ws),
        all: false,
        explain: Some(lang.lang()),
        jobs: std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
    };
    let options = job.flag.options(&state.options);
    let diffed = driver::diff(&checked, &diff_request, &options, &mut |done, total| {
        job.done.store(done, Ordering::Relaxed);
        job.total.store(total, Ordering::Relaxed);
    });
    if job.flag.stopped() {
        return refused("cancelled".into());
    }
    let (report, catalogue) = match diffed {
        Ok(done) => done,
        Err(problems) => {
            return Outcome::Refused(problems.iter().map(|d| d.to_json(&ws.sources)).collect())
        }
    };
    let style = diff::render::Style {
        catalogue: &catalogue,
        lang: lang.lang(),
    };
    let (page, norms) = report_page(&report, lang);
    Outcome::Finished(Box::new(Finished {
        page,
        norms,
        html: diff::render::html(&report, &style),
        markdown: diff::render::markdown(&report, &style),
        json: format!("{}\n", diff::render::json(&report, &style)),
    }))
}

fn verdict_word(lang: UiLang, pred: &str, verdict: Verdict) -> String {
    if pred == "lawful" {
        lang.t(match verdict {
            Verdict::Holds => "lawful",
            Verdict::Refuted => "unlawful",
            Verdict::Undetermined => "undetermined",
        })
        .to_string()
    } else {
        verdict.as_str().to_string()
    }
}

fn verdict_changed(case: &CaseDiff) -> bool {
    case.verdicts.iter().any(|row| row.before != row.after)
}

/// The report as the page shows it, and every norm of the bills it cites (for the filter).
fn report_page(report: &Report, lang: UiLang) -> (String, Vec<String>) {
    let t = |key| esc(lang.t(key));
    let mut out = String::new();
    let mut norms = BTreeSet::new();
    let (changed, rest): (Vec<&CaseDiff>, Vec<&CaseDiff>) =
        report.cases.iter().partition(|c| verdict_changed(c));
    let (reasons, unchanged): (Vec<&CaseDiff>, Vec<&CaseDiff>) = rest
        .into_iter()
        .partition(|c| c.changed() || c.error.is_some());
    let _ = write!(
        out,
        "<p class=\"summary\" id=\"summary\"><span class=\"count changed\">{}: {}</span> · <span class=\"count reasons\">{}: {}</span> · <span class=\"count unchanged\">{}: {}</span> — {}</p>",
        t("verdict_changes"),
        changed.len(),
        t("reasons_change"),
        reasons.len(),
        t("unchanged"),
        unchanged.len(),
        esc(&report.date.to_string()),
    );
    for (heading, cases) in [("verdict_changes", &changed), ("reasons_change", &reasons)] {
        if cases.is_empty() {
            continue;
        }
        let _ = write!(out, "<h2>{}</h2>", t(heading));
        for case in cases.iter() {
            let case_norms: BTreeSet<&str> = case
                .changes
                .iter()
                .flat_map(|c| c.introduced.iter().chain(&c.repealed))
                .map(String::as_str)
                .collect();
            norms.extend(case_norms.iter().map(|n| n.to_string()));
            let rows: Vec<String> = case
                .verdicts
                .iter()
                .filter(|row| row.before != row.after)
                .map(|row| {
                    let processing: Vec<String> =
                        row.processing.iter().map(|v| v.to_string()).collect();
                    format!(
                        "{}: {} → {}",
                        processing.join(", "),
                        verdict_word(lang, "lawful", row.before),
                        verdict_word(lang, "lawful", row.after)
                    )
                })
                .collect();
            let _ = write!(
                out,
                "<details class=\"case\" data-verdict-changed=\"{}\" data-norms=\" {} \"><summary><strong>{}</strong> {} <span class=\"rows\">{}</span></summary>",
                u8::from(verdict_changed(case)),
                esc(&case_norms.iter().copied().collect::<Vec<_>>().join(" ")),
                esc(&case.name),
                esc(case.title.as_deref().unwrap_or("")),
                esc(&rows.join("; ")),
            );
            if let Some(error) = &case.error {
                let _ = write!(out, "<pre class=\"problem\">{}</pre>", esc(error));
            }
            for change in &case.changes {
                let _ = write!(
                    out,
                    "<div class=\"change\"><h3>{} — {} → {}</h3>",
                    esc(&change.conclusion.to_string()),
                    esc(&verdict_word(
                        lang,
                        &change.conclusion.pred,
                        change.before.verdict
                    )),
                    esc(&verdict_word(
                        lang,
                        &change.conclusion.pred,
                        change.after.verdict
                    )),
                );
                if !change.introduced.is_empty() {
                    let _ = write!(
                        out,
                        "<p class=\"norms\">{}: {}</p>",
                        t("bill"),
                        esc(&change.introduced.join(", "))
                    );
                }
                out.push_str("<div class=\"sides\">");
                for (key, side, marked) in [
                    ("before", &change.before, &change.repealed),
                    ("after", &change.after, &change.introduced),
                ] {
                    let _ = write!(
                        out,
                        "<div class=\"side {key}\"><h4>{}: {}</h4>",
                        t(key),
                        esc(&verdict_word(lang, &change.conclusion.pred, side.verdict))
                    );
                    match &side.reasoning.explanation {
                        Some(explanation) => {
                            let memo = render::memo(explanation, marked);
                            let _ = write!(
                                out,
                                "{}<div class=\"graph\">{}</div>",
                                memo.memo_html, memo.graph_svg
                            );
                        }
                        None => {
                            let _ = write!(out, "<p>{}</p>", esc(&side.reasoning.rules.join(", ")));
                        }
                    }
                    out.push_str("</div>");
                }
                out.push_str("</div></div>");
            }
            out.push_str("</details>");
        }
    }
    if !unchanged.is_empty() {
        let names: Vec<String> = unchanged.iter().map(|c| esc(&c.name)).collect();
        let _ = write!(
            out,
            "<h2>{}</h2><p class=\"unchanged\">{}</p>",
            t("unchanged"),
            names.join(", ")
        );
    }
    (out, norms.into_iter().collect())
}

pub async fn status(State(state): State<Shared>, Path(id): Path<u64>) -> Response {
    let Some(job) = state.bills.get(id) else {
        return (
            StatusCode::NOT_FOUND,
            Json(serde_json::json!({ "error": "no such run" })),
        )
            .into_response();
    };
    let outcome = job.outcome.lock().unwrap_or_else(|e| e.into_inner());
    let mut body = serde_json::json!({
        "done": job.done.load(Ordering::Relaxed),
        "total": job.total.load(Ordering::Relaxed),
        "finished": outcome.is_some(),
    });
    match outcome.as_ref() {
        Some(Outcome::Refused(problems)) => body["diagnostics"] = problems.clone().into(),
        Some(Outcome::Finished(done)) => {
            body["html"] = done.page.clone().into();
            body["norms"] = done.norms.clone().into();
        }
        None => {}
    }
    Json(body).into_response()
}

pub async fn cancel(State(state): State<Shared>, Path(id): Path<u64>) -> Response {
    match state.bills.get(id) {
        Some(job) => {
            job.flag.stop();
            Json(serde_json::json!({ "cancelled": id })).into_response()
        }
        None => (StatusCode::NOT_FOUND, "no such run").into_response(),
    }
}

/// The finished report as `grondslag diff --format html|md|json` writes it, as a download.
pub async fn export(
    State(state): State<Shared>,
    Path((id, format)): Path<(u64, String)>,
) -> Response {
    let Some(job) = state.bills.get(id) else {
        return (StatusCode::NOT_FOUND, "no such run").into_response();
    };
    let outcome = job.outcome.lock().unwrap_or_else(|e| e.into_inner());
    let Some(Outcome::Finished(done)) = outcome.as_ref() else {
        return (StatusCode::NOT_FOUND, "the run has no report").into_response();
    };
    let (body, mime, extension) = match format.as_str() {
        "html" => (&done.html, "text/html; charset=utf-8", "html"),
        "md" => (&done.markdown, "text/markdown; charset=utf-8", "md"),
        "json" => (&done.json, "application/json", "json"),
        _ => return (StatusCode::NOT_FOUND, "formats: html, md, json").into_response(),
    };
    let mut response = (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(mime)),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&format!("attachment; filename=\"diff-report.{extension}\""))
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
        ],
        body.clone(),
    )
        .into_response();
    // The HTML report styles itself inline and runs no script: the policy it carries itself.
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
    );
    response
}
