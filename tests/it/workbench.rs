//! `grondslag serve`, the workbench: its safety over plain HTTP (policy headers, the folder
//! boundary, loopback), and its three pages driven in headless Chromium as a person would —
//! state the bundled Mechelen case through the forms and get the verdict the case file gets,
//! see a verdict change when a fact is added and a typo caught at its field, run a bundled
//! bill and open a flipped case, save a case file, browse the law. Screenshots of each page
//! go to `target/workbench-screenshots/`.
//!
//! The browser test skips, saying so, where no Chromium is installed; under CI (`CI` set) a
//! missing Chromium is a failure, since `.ci/run` installs it.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use grondslag::diff::Verdict;
use grondslag::driver::{self, Bills, Case, Dating, DiffRequest, Options};
use grondslag::load::{KnowledgeBase, DEFAULT_MAX_FILE_SIZE};
use grondslag::syntax::ast::Item;
use grondslag::value::{Date, Value};

use super::browser::{self, Browser};

/// The server on a port of its own, serving `folder`; stopped on drop.
struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`
    url: String,
    stderr: Option<std::process::ChildStderr>,
}

impl Server {
    fn start(folder: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_grondslag"))
            .arg("serve")
            .arg(folder)
            .args(["--port", "0"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("grondslag serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the server prints its URL");
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in `{line}`"))
            .trim_end_matches('/')
            .to_string();
        let stderr = child.stderr.take();
        Server { child, url, stderr }
    }

    fn address(&self) -> &str {
        self.url.trim_start_matches("http://")
    }

    /// One request; the status, the headers (lower-cased names) and the body.
    fn request(&self, method: &str, path: &str, body: &str) -> (u16, String, String) {
        self.request_as(self.address(), method, path, body)
    }

    /// One request naming `host` as its `Host`.
    fn request_as(
        &self,
        host: &str,
        method: &str,
        path: &str,
        body: &str,
    ) -> (u16, String, String) {
        let mut stream = TcpStream::connect(self.address()).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(120)))
            .unwrap();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, head.to_lowercase(), body.to_string())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A fresh folder under the target directory.
fn folder(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("workbench-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn serve_sends_a_strict_policy_and_only_its_own_assets() {
    let dir = folder("policy");
    let server = Server::start(&dir, &[]);
    for page in ["/case", "/bill", "/law", "/case?lang=fr"] {
        let (status, head, body) = server.request("GET", page, "");
        assert_eq!(status, 200, "{page}");
        assert!(
            head.contains(
                "content-security-policy: default-src 'none'; script-src 'self'; style-src 'self'"
            ),
            "{page}: {head}"
        );
        assert!(head.contains("x-content-type-options: nosniff"));
        // No inline script, nothing fetched from elsewhere.
        assert!(!body.contains("<script>"), "{page} has an inline script");
        assert_eq!(
            body.matches("<script").count(),
            body.matches("<script src=\"/assets/").count(),
            "{page}"
        );
        assert!(!body.contains("src=\"http"), "{page} loads from elsewhere");
        assert!(
            !body.contains("<link rel=\"stylesheet\" href=\"http"),
            "{page}"
        );
    }
    for asset in ["app.css", "common.js", "case.js", "bill.js"] {
        let (status, _, body) = server.request("GET", &format!("/assets/{asset}"), "");
        assert_eq!(status, 200, "{asset}");
        assert!(
            !body.contains("http://") && !body.contains("https://"),
            "{asset} names another host"
        );
    }
    assert_eq!(server.request("GET", "/assets/../Cargo.toml", "").0, 404);
    // A page elsewhere that points its own name at this address (DNS rebinding) gets nothing.
    let (status, _, body) = server.request_as(
        "evil.example",
        "GET",
        "/api/open?file=bundled:01_mechelen_samen.law",
        "",
    );
    assert_eq!(status, 403, "{body}");
    let port = server.address().rsplit(':').next().unwrap().to_string();
    assert_eq!(
        server
            .request_as(&format!("localhost:{port}"), "GET", "/case", "")
            .0,
        200
    );
}

#[test]
fn serve_reads_and_writes_only_inside_its_folder() {
    let dir = folder("boundary");
    let outside = dir.with_extension("outside.law");
    let _ = std::fs::remove_file(&outside);
    let server = Server::start(&dir, &[]);
    let save = |name: &str| {
        server
            .request(
                "POST",
                "/api/save",
                &serde_json::json!({ "name": name, "text": "p(a)." }).to_string(),
            )
            .0
    };
    let escape = format!("../{}", outside.file_name().unwrap().to_str().unwrap());
    for name in [
        escape.as_str(),
        outside.to_str().unwrap(),
        "x.txt",
        ".hidden.law",
        "a/../../x.law",
    ] {
        assert_eq!(save(name), 400, "{name} was accepted");
    }
    assert!(!outside.exists(), "a file was written outside the folder");
    assert_eq!(save("inside.law"), 200);
    let inside = || std::fs::read_to_string(dir.join("inside.law")).unwrap();
    assert_eq!(inside(), "p(a).");
    // An existing file is replaced only when the page says the user agreed.
    let again = serde_json::json!({ "name": "inside.law", "text": "q(b)." }).to_string();
    assert_eq!(server.request("POST", "/api/save", &again).0, 409);
    assert_eq!(inside(), "p(a).");
    let replace =
        serde_json::json!({ "name": "inside.law", "text": "q(b).", "replace": true }).to_string();
    assert_eq!(server.request("POST", "/api/save", &replace).0, 200);
    assert_eq!(inside(), "q(b).");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/etc/hostname", dir.join("link.law")).unwrap();
        assert_eq!(save("link.law"), 400, "a symbolic link was written through");
        let (status, _, _) = server.request("GET", "/api/open?file=folder:link.law", "");
        assert_eq!(status, 404, "a symbolic link was read");
    }
    for file in [
        "folder:../../etc/passwd",
        "folder:/etc/passwd",
        "bundled:../vocabulary.law",
    ] {
        let (status, _, body) = server.request("GET", &format!("/api/open?file={file}"), "");
        assert_eq!(status, 404, "{file}: {body}");
    }
    // A case text names no file to read.
    let text = "@input(\"/etc/passwd\")\npred secret(X).\n";
    let (status, _, body) = server.request(
        "POST",
        "/api/analyse",
        &serde_json::json!({ "text": text, "lang": "en" }).to_string(),
    );
    assert_eq!(status, 200);
    assert!(body.contains("does not read `@input` files"), "{body}");
    assert!(!body.contains("root:"), "{body}");
}

#[test]
fn serve_warns_when_it_listens_beyond_loopback() {
    let dir = folder("bind");
    let mut server = Server::start(&dir, &["--bind", "0.0.0.0"]);
    let mut stderr = BufReader::new(server.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert!(line.starts_with("warning: listening on 0.0.0.0:"), "{line}");
    assert!(line.contains("no login"), "{line}");
    let dir = folder("loopback");
    let mut server = Server::start(&dir, &[]);
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );
    let _ = server.child.kill();
    let mut rest = String::new();
    server
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut rest)
        .unwrap();
    assert!(!rest.contains("warning"), "{rest}");
}

#[test]
fn an_unknown_value_is_reported_with_the_value_meant() {
    let dir = folder("typo");
    let server = Server::start(&dir, &[]);
    let text = "case t \"T\" date 2024-01-15.\norg_type(a, municiplity).\n";
    let (_, _, body) = server.request(
        "POST",
        "/api/analyse",
        &serde_json::json!({ "text": text, "lang": "en" }).to_string(),
    );
    let analysis: serde_json::Value = serde_json::from_str(&body).unwrap();
    let problem = &analysis["diagnostics"][0];
    assert_eq!(problem["code"], "unknown_value");
    assert_eq!(problem["line"], 2);
    assert!(
        problem["hint"].as_str().unwrap().contains("municipality"),
        "{problem}"
    );
}

#[test]
fn the_case_page_shows_the_memo_explain_gives_in_each_language() {
    let dir = folder("memo");
    let server = Server::start(&dir, &[]);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("knowledge/cases/01_mechelen_samen.law")).unwrap();
    let mut linked = 0;
    for lang in ["nl", "en", "fr"] {
        let (_, _, body) = server.request(
            "POST",
            "/api/analyse",
            &serde_json::json!({ "text": text, "lang": lang }).to_string(),
        );
        let analysis: serde_json::Value = serde_json::from_str(&body).unwrap();
        // The summary `explain` gives, one block per processing in order (the golden memo).
        let golden = std::fs::read_to_string(
            root.join(format!("tests/golden/memo/01_mechelen_samen.{lang}.txt")),
        )
        .unwrap();
        let expected: Vec<String> = golden
            .split("\n\n")
            .filter(|block| !block.trim().is_empty())
            .map(|block| words(&block.replace('`', "")))
            .collect();
        let verdicts = analysis["verdicts"].as_array().unwrap();
        assert_eq!(verdicts.len(), expected.len(), "{lang}: {body}");
        for (verdict, expected) in verdicts.iter().zip(&expected) {
            let html = verdict["explanation"]["memo_html"].as_str().unwrap();
            let (memo, folded) = html
                .split_once("<details class=\"derivation\">")
                .expect("the full derivation folded under the memo");
            assert_eq!(&words(&unescape(&strip_tags(memo))), expected, "{lang}");
            assert!(folded.contains("<ul class=\"reasoning\">"), "{folded}");
            for link in html.match_indices("<a ").map(|(at, _)| &html[at..]) {
                let tag = &link[..link.find('>').unwrap()];
                assert!(tag.contains("rel=\"noopener noreferrer\""), "{tag}");
                assert!(tag.contains("href=\"https://"), "{tag}");
                linked += 1;
            }
            let svg = verdict["explanation"]["graph_svg"].as_str().unwrap();
            assert!(svg.starts_with("<svg"), "{svg}");
        }
    }
    assert!(linked > 0, "no citation links to its official text");
}

/// Text as words, whatever its wrapping.
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// HTML without its tags; a space where a paragraph or list item begins or ends (a memo line
/// ends there), nothing for inline tags.
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let close = open + rest[open..].find('>').expect("a closed tag");
        let name = rest[open + 1..close].trim_start_matches('/');
        if ["p", "li", "ul", "div"]
            .iter()
            .any(|block| name.split([' ', '>']).next() == Some(block))
        {
            out.push(' ');
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The verdict on each processing of a case file, as `grondslag` judges it on its date.
fn verdicts_of(file: &Path) -> BTreeMap<String, &'static str> {
    let ws = driver::load(
        &KnowledgeBase::Bundled,
        &[file.to_path_buf()],
        &[],
        DEFAULT_MAX_FILE_SIZE,
    );
    let dating = Dating {
        as_of: None,
        today: Date::parse("2026-01-01").unwrap(),
    };
    let (date, _) = dating.together(&ws).unwrap();
    let checked = driver::check(&ws, Some(date));
    assert!(!checked.has_errors());
    let evaluation = checked
        .law(Some(date), Bills::Apply, &Options::default())
        .unwrap()
        .evaluate(Case::All)
        .unwrap();
    let model = evaluation.model();
    model
        .relations()
        .filter(|(name, _)| name == "processing")
        .flat_map(|(_, rows)| {
            rows.into_iter()
                .filter_map(|(args, _)| args.into_iter().next())
        })
        .map(|d| {
            let word = match Verdict::of(model, "lawful", std::slice::from_ref(&d)) {
                Verdict::Holds => "lawful",
                Verdict::Refuted => "unlawful",
                Verdict::Undetermined => "undetermined",
            };
            (d.to_string(), word)
        })
        .collect()
}

/// What a person types into a field for a value.
fn typed(value: &Value) -> String {
    match value {
        Value::Text(text) => text.to_string(),
        other => other.to_string(),
    }
}

/// The verdicts the case page shows.
fn shown_verdicts(browser: &mut Browser) -> BTreeMap<String, String> {
    let shown = browser.eval(
        "[...document.querySelectorAll('#verdicts article.verdict')].map(a => [a.dataset.processing, a.dataset.verdict])",
    );
    shown
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| {
            (
                pair[0].as_str().unwrap().to_string(),
                pair[1].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Choose a kind of fact, fill in its fields, press Add.
fn add_fact(browser: &mut Browser, pred: &str, args: &[String]) {
    let script = format!(
        "(() => {{ const s = document.getElementById('pred'); s.value = {pred}; s.dispatchEvent(new Event('change'));
           {args}.forEach((v, i) => {{ const f = document.getElementById('arg-' + i); f.value = v; f.dispatchEvent(new Event('input')); }});
           document.getElementById('add').click(); return true; }})()",
        pred = serde_json::to_string(pred).unwrap(),
        args = serde_json::to_string(args).unwrap(),
    );
    browser.eval(&script);
}

fn field_problems(browser: &mut Browser) -> String {
    browser
        .eval("[...document.querySelectorAll('.field-problem')].map(n => n.textContent).join(' ')")
        .as_str()
        .unwrap_or("")
        .trim()
        .to_string()
}

fn set_field(browser: &mut Browser, id: &str, value: &str) {
    browser.eval(&format!(
        "(() => {{ const f = document.getElementById('{id}'); f.value = {}; f.dispatchEvent(new Event('change')); return true; }})()",
        serde_json::to_string(value).unwrap()
    ));
}

fn idle(browser: &mut Browser) {
    browser.wait_for(
        "document.getElementById('busy').hidden",
        "the analysis to finish",
    );
}

#[test]
fn workbench_in_a_browser() {
    let Some(chromium) = browser::find() else {
        if std::env::var_os("CI").is_some() {
            panic!("no Chromium under CI: .ci/run installs it (apt-get install chromium)");
        }
        eprintln!("SKIPPED workbench_in_a_browser: no Chromium found (install Debian's `chromium`, or set CHROMIUM=/path/to/chromium)");
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("../workbench-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let dir = folder("browser");
    let server = Server::start(&dir, &["--lang", "en"]);
    let mut browser = Browser::start(&chromium, folder("chromium-profile"));
    let url = server.url.clone();

    // 1. The Mechelen case, stated through the forms by someone who never saw its file.
    let mechelen = root.join("knowledge/cases/01_mechelen_samen.law");
    let expected = verdicts_of(&mechelen);
    assert!(
        !expected.is_empty(),
        "the Mechelen case judges no processing"
    );
    let mut sources = grondslag::source::SourceMap::new();
    let file = sources.add("mechelen.law", std::fs::read_to_string(&mechelen).unwrap());
    let (module, problems) = grondslag::syntax::parse(&sources, file);
    assert!(problems.is_empty());
    browser.goto(&format!("{url}/case?lang=en"));
    idle(&mut browser);
    let header = module.header.as_ref().unwrap();
    set_field(&mut browser, "case-name", &header.name.name);
    idle(&mut browser);
    set_field(
        &mut browser,
        "case-title",
        header.title.as_deref().unwrap_or(""),
    );
    idle(&mut browser);
    set_field(
        &mut browser,
        "case-date",
        &header.date.unwrap().0.to_string(),
    );
    idle(&mut browser);
    let mut stated = 0;
    for item in &module.items {
        let Item::Rule(rule) = item else { continue };
        if !rule.body.is_empty() {
            continue;
        }
        let args: Vec<String> = rule
            .head
            .atom
            .ground_args()
            .unwrap()
            .iter()
            .map(typed)
            .collect();
        add_fact(&mut browser, &rule.head.atom.pred.name, &args);
        stated += 1;
        browser.wait_for(
            &format!("document.querySelectorAll('#facts li').length === {stated} || [...document.querySelectorAll('.field-problem')].some(n => n.textContent)"),
            "the fact to be added",
        );
        let problems = field_problems(&mut browser);
        assert!(
            problems.is_empty(),
            "{}: {problems}",
            rule.head.atom.pred.name
        );
    }
    idle(&mut browser);
    let shown = shown_verdicts(&mut browser);
    let expected_shown: BTreeMap<String, String> = expected
        .iter()
        .map(|(k, v)| (k.clone(), v.to_string()))
        .collect();
    assert_eq!(
        shown, expected_shown,
        "the forms give another verdict than the case file"
    );
    let text = browser.eval("document.getElementById('law').value");
    assert!(
        text.as_str()
            .unwrap()
            .starts_with("case mechelen_samen \"Mechelen, project SAMEN"),
        "{text}"
    );
    // Each verdict with its memo, opening with the verdict, the derivation folded under it.
    let memos = browser.eval("[...document.querySelectorAll('#verdicts article.verdict')].every(a => a.querySelector('.memo-verdict strong') && a.querySelector('details.derivation:not([open])'))");
    assert_eq!(memos, true, "a verdict without its memo");
    browser.screenshot(&shots.join("case-mechelen.png"));

    // 2. A typo is caught at its field; adding the missing purpose changes the verdict.
    browser.goto(&format!("{url}/case?lang=en"));
    browser.eval("(() => { const s = document.getElementById('open-file'); s.value = 'bundled:21_missing_purpose.law'; s.dispatchEvent(new Event('change')); return true; })()");
    browser.wait_for(
        "document.querySelectorAll('#verdicts article.verdict').length === 2",
        "the verdicts of the opened case",
    );
    idle(&mut browser);
    let before = shown_verdicts(&mut browser);
    assert_eq!(
        before.get("d1").map(String::as_str),
        Some("undetermined"),
        "{before:?}"
    );
    add_fact(&mut browser, "purpose", &["d1".into(), "car".into()]);
    browser.wait_for(
        "document.getElementById('msg-1').textContent !== ''",
        "the typo to be reported at its field",
    );
    let message = browser.eval("document.getElementById('msg-1').textContent");
    assert!(
        message.as_str().unwrap().contains("`care`"),
        "no did-you-mean at the field: {message}"
    );
    assert_eq!(
        browser.eval("document.getElementById('arg-1').getAttribute('aria-invalid')"),
        "true"
    );
    browser.screenshot(&shots.join("case-typo.png"));
    add_fact(&mut browser, "purpose", &["d1".into(), "care".into()]);
    browser.wait_for("document.querySelector('#verdicts article[data-processing=\"d1\"]')?.dataset.verdict === 'lawful'", "the verdict on d1 to change");
    assert!(browser
        .eval("document.getElementById('law').value")
        .as_str()
        .unwrap()
        .contains("purpose(d1, care)."));
    browser.screenshot(&shots.join("case-verdict-changed.png"));

    // 3. Save the case in the folder; a name outside it is refused.
    browser.eval("(() => { document.getElementById('save-name').value = 'missing_purpose_fixed.law'; document.getElementById('save').click(); return true; })()");
    browser.wait_for(
        "document.getElementById('save-status').className === 'ok'",
        "the case to be saved",
    );
    let saved = std::fs::read_to_string(dir.join("missing_purpose_fixed.law")).unwrap();
    assert_eq!(
        saved,
        browser
            .eval("document.getElementById('law').value")
            .as_str()
            .unwrap()
    );
    assert_eq!(
        verdicts_of(&dir.join("missing_purpose_fixed.law")).get("d1"),
        Some(&"lawful")
    );
    browser.eval("(() => { document.getElementById('save-name').value = '../escaped.law'; document.getElementById('save').click(); return true; })()");
    browser.wait_for(
        "document.getElementById('save-status').className === 'error'",
        "the name outside the folder to be refused",
    );
    assert!(!dir.parent().unwrap().join("escaped.law").exists());
    // The refusal is a 400, which the browser logs: expected here, and only here.
    browser.errors.retain(|e| !e.contains("status of 400"));

    // 4. A bundled bill over the bundled cases: the cases it flips are those `diff` finds.
    let bill = "vlaams_casusoverleg.law";
    let ws = driver::load(
        &KnowledgeBase::Bundled,
        &[root.join("knowledge/cases")],
        &[root.join("knowledge/bills").join(bill)],
        DEFAULT_MAX_FILE_SIZE,
    );
    let checked = driver::check(&ws, None);
    let dating = Dating {
        as_of: None,
        today: Date::parse("2026-01-01").unwrap(),
    };
    let request = DiffRequest {
        date: dating.bills(&ws),
        all: false,
        explain: None,
        jobs: 1,
    };
    let (report, _) =
        driver::diff(&checked, &request, &Options::default(), &mut |_, _| {}).unwrap();
    let flipped: Vec<String> = report
        .cases
        .iter()
        .filter(|c| c.verdicts.iter().any(|r| r.before != r.after))
        .map(|c| c.name.clone())
        .collect();
    assert!(!flipped.is_empty(), "the bill flips no bundled case");
    browser.goto(&format!("{url}/bill?lang=en"));
    browser.eval(&format!("(() => {{ const s = document.getElementById('bill-file'); s.value = 'bundled:{bill}'; s.dispatchEvent(new Event('change')); document.getElementById('bill-cases').value = 'bundled'; return true; }})()"));
    browser.wait_for("document.getElementById('bill-text').value.startsWith('%') || document.getElementById('bill-text').value.includes('bill ')", "the bill's text");
    // Nothing to filter or export before a report.
    assert_eq!(
        browser.eval("document.getElementById('filters').getClientRects().length"),
        0
    );
    browser.wait_for(
        "document.getElementById('bill-date').value !== ''",
        "the bill's effective date",
    );
    browser.eval("(() => { document.getElementById('run').click(); return true; })()");
    browser.wait_for("document.body.dataset.reportReady", "the report");
    let shown = browser.eval("[...document.querySelectorAll('#report details.case[data-verdict-changed=\"1\"] summary strong')].map(s => s.textContent)");
    let shown: Vec<String> = shown
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect();
    assert_eq!(shown, flipped);
    browser.screenshot(&shots.join("bill-summary.png"));
    browser.eval("(() => { const d = document.querySelector('#report details.case[data-verdict-changed=\"1\"]'); d.open = true; document.querySelector('#report details.case[open] .side.after mark').scrollIntoView({ block: 'center' }); return true; })()");
    let marked = browser
        .eval("document.querySelectorAll('#report details.case[open] .side.after mark').length");
    assert!(
        marked.as_u64().unwrap() > 0,
        "the bill's rules are not marked in the memo after"
    );
    let before_after =
        browser.eval("document.querySelectorAll('#report details.case[open] .sides .side').length");
    assert!(before_after.as_u64().unwrap() >= 2);
    browser.eval("(() => { const c = document.getElementById('only-verdicts'); c.checked = true; c.dispatchEvent(new Event('change')); return true; })()");
    let hidden_wrongly = browser.eval("[...document.querySelectorAll('#report details.case')].filter(d => !d.hidden && d.dataset.verdictChanged !== '1').length");
    assert_eq!(hidden_wrongly, 0);
    let exported = browser.eval("fetch(document.getElementById('export-json').href).then(r => r.json()).then(j => j.cases.length)");
    assert_eq!(exported.as_u64().unwrap() as usize, report.cases.len());
    browser.screenshot(&shots.join("bill-case.png"));

    // 5. The law by statute and article.
    browser.goto(&format!("{url}/law?lang=en"));
    let norms = browser.eval("document.querySelectorAll('article.norm').length");
    assert!(norms.as_u64().unwrap() > 50, "{norms}");
    let exception =
        browser.eval("document.querySelector('#n-p1_unlawful .priority.beats a')?.textContent");
    assert_eq!(exception, "p1_lawful");
    let link =
        browser.eval("document.querySelector('#n-avg_6_1_e .source a')?.getAttribute('href')");
    assert!(
        link.as_str().unwrap_or("").contains("CELEX:32016R0679"),
        "{link}"
    );
    browser.screenshot(&shots.join("law.png"));

    // 6. French pages.
    browser.goto(&format!("{url}/case?lang=fr"));
    assert_eq!(
        browser.eval("document.querySelector('h1').textContent"),
        "Cas"
    );
    assert_eq!(browser.eval("document.documentElement.lang"), "fr");

    assert!(
        browser.errors.is_empty(),
        "the pages logged errors: {:#?}",
        browser.errors
    );
}

/// A program that derives without end.
const ENDLESS: &str = "n(0).\nn(Y) :- n(X), Y = X + 1.\n";

#[test]
fn a_long_evaluation_is_bounded_by_the_limits_and_cancellable() {
    let dir = folder("limits");
    // `--timeout` bounds each evaluation the workbench runs.
    let server = Server::start(&dir, &["--kb", "none", "--timeout", "1"]);
    let body = serde_json::json!({ "text": ENDLESS, "lang": "en", "page": "p" }).to_string();
    let (_, _, analysis) = server.request("POST", "/api/analyse", &body);
    assert!(
        analysis.contains("resource_limit") && analysis.contains("stopped after 1"),
        "{analysis}"
    );
    drop(server);

    // The page's Cancel stops it long before its limit.
    let server = std::sync::Arc::new(Server::start(&dir, &["--kb", "none", "--timeout", "120"]));
    let started = std::time::Instant::now();
    let running = {
        let server = server.clone();
        std::thread::spawn(move || server.request("POST", "/api/analyse", &body).2)
    };
    std::thread::sleep(Duration::from_millis(1500));
    let cancel = serde_json::json!({ "text": "", "page": "p", "cancel": true }).to_string();
    assert_eq!(server.request("POST", "/api/analyse", &cancel).0, 200);
    let analysis = running.join().unwrap();
    assert!(analysis.contains("evaluation interrupted"), "{analysis}");
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "the cancel did not stop it"
    );
}
