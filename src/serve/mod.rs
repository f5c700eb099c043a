//! `grondslag serve [FOLDER]`: the workbench, a local web server for policy makers
//! (docs/workbench.md). Three pages — a case stated through forms generated from the typed
//! vocabulary, a draft bill run over the case folder, the law by statute and article — over
//! the library's driver, like every other front end.
//!
//! Safe by construction: it listens on loopback unless `--bind` says otherwise (and then
//! warns); it reads and writes only inside FOLDER (`folder`); every value from a file is
//! escaped (`page`); a strict Content-Security-Policy forbids inline script and any request
//! elsewhere; the assets are embedded in the binary; each evaluation is bounded by the CLI's
//! limits and is interrupted when its request is abandoned (`work`).

mod bill;
mod case;
mod folder;
mod i18n;
mod law;
mod page;
mod render;
mod vocab;
mod work;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;

use grondslag::driver::Options;
use grondslag::load::KnowledgeBase;
use grondslag::syntax::ast::Lang;
use grondslag::value::Date;

use crate::cli::{ServeStart as Start, EXIT_FAILED, EXIT_OK, EXIT_USAGE};

/// An evaluation the workbench starts runs at most this long unless `--timeout` says
/// otherwise: a page waits for it.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// What every request handler shares; read-only.
pub struct State {
    pub folder: folder::Folder,
    pub kb: KnowledgeBase,
    /// `--max-file-size`.
    pub max_file_size: u64,
    pub options: Options,
    pub as_of: Option<Date>,
    pub lang: Lang,
    /// The case page's forms, from the knowledge base's vocabulary.
    pub form: vocab::Form,
    /// The case analysis running for each open page.
    pub running: work::Running,
    /// The bill runs.
    pub bills: bill::Jobs,
}

pub type Shared = Arc<State>;

impl State {
    /// The knowledge base, loaded afresh for one request (the library's loader, as every
    /// command loads it).
    pub fn knowledge(&self) -> grondslag::load::Workspace {
        grondslag::driver::load(&self.kb, &[], &[], self.max_file_size)
    }
}

/// Run the server until Ctrl-C; the exit code.
pub fn run(start: Start) -> i32 {
    let folder = match folder::Folder::open(&start.folder, start.max_file_size) {
        Ok(folder) => folder,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_USAGE;
        }
    };
    let mut options = start.options;
    if options.limits.timeout.is_none() {
        options.limits.timeout = Some(DEFAULT_TIMEOUT);
    }
    let form = vocab::Form::of(&grondslag::driver::load(
        &start.kb,
        &[],
        &[],
        start.max_file_size,
    ));
    let state = Arc::new(State {
        folder,
        form,
        running: work::Running::default(),
        kb: start.kb,
        max_file_size: start.max_file_size,
        options,
        as_of: start.as_of,
        lang: start.lang,
        bills: bill::Jobs::default(),
    });
    // Explanations recurse along a derivation: the evaluations run on large stacks, as the
    // command line's do.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(crate::memory::stack())
        .build();
    let runtime = match runtime {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the server: {err}");
            return EXIT_FAILED;
        }
    };
    runtime.block_on(serve(state, start.address))
}

async fn serve(state: Shared, address: SocketAddr) -> i32 {
    let listener = match tokio::net::TcpListener::bind(address).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("error: cannot listen on {address}: {err}");
            return EXIT_FAILED;
        }
    };
    let bound = listener.local_addr().unwrap_or(address);
    if !bound.ip().is_loopback() {
        eprintln!(
            "warning: listening on {bound}, not on loopback: anyone who can reach this machine can read and write the case files in {} — there is no login",
            state.folder.root().display()
        );
    }
    println!(
        "grondslag workbench: http://{bound}/  (folder {}; Ctrl-C stops)",
        state.folder.root().display()
    );
    // On loopback, a request must name this server as its host: a web page elsewhere that
    // points a name of its own at 127.0.0.1 (DNS rebinding) gets nothing.
    let hosts = bound.ip().is_loopback().then(|| {
        let port = bound.port();
        vec![
            bound.to_string(),
            format!("localhost:{port}"),
            format!("127.0.0.1:{port}"),
            format!("[::1]:{port}"),
        ]
    });
    let app = router(state, hosts);
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
    {
        Ok(()) => EXIT_OK,
        Err(err) => {
            eprintln!("error: {err}");
            EXIT_FAILED
        }
    }
}

/// Every page, API and asset; `hosts`: the only `Host` headers answered, if restricted.
pub fn router(state: Shared, hosts: Option<Vec<String>>) -> Router {
    Router::new()
        .route("/", get(|| async { Redirect::to("/case") }))
        .route("/case", get(case::page))
        .route("/api/vocabulary", get(case::vocabulary))
        .route("/api/analyse", post(case::analyse))
        .route("/api/open", get(case::open))
        .route("/api/save", post(case::save))
        .route("/bill", get(bill::page))
        .route("/api/bill/check", post(bill::check))
        .route("/api/bill/run", post(bill::run))
        .route("/api/bill/job/{id}", get(bill::status))
        .route("/api/bill/job/{id}/cancel", post(bill::cancel))
        .route("/bill/export/{id}/{format}", get(bill::export))
        .route("/law", get(law::page))
        .route("/assets/{name}", get(asset))
        .fallback(|| async { (StatusCode::NOT_FOUND, "not found") })
        .layer(axum::middleware::map_response(secure))
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(hosts),
            only_this_host,
        ))
        .with_state(state)
}

/// Refuse a request for another host, or a write from a page of another origin.
async fn only_this_host(
    axum::extract::State(hosts): axum::extract::State<Arc<Option<Vec<String>>>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if let Some(hosts) = hosts.as_ref() {
        let header = |name| {
            request
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let host_ok = header(header::HOST).is_some_and(|h| hosts.contains(&h));
        let origin_ok = header(header::ORIGIN)
            .is_none_or(|origin| hosts.iter().any(|h| origin == format!("http://{h}")));
        if !host_ok || !origin_ok {
            return (StatusCode::FORBIDDEN, "not this server's host").into_response();
        }
    }
    next.run(request).await
}

/// The headers every response carries: nothing but this server's own files may load, no
/// inline script or style, no framing, no sniffing, no referrer.
async fn secure(mut response: Response) -> Response {
    let headers = response.headers_mut();
    // A response may carry a stricter policy of its own (the exported report).
    headers.entry(header::CONTENT_SECURITY_POLICY).or_insert(
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The embedded assets: one stylesheet and the plain scripts of the pages.
const ASSETS: [(&str, &str, &str); 4] = [
    (
        "app.css",
        "text/css; charset=utf-8",
        include_str!("assets/app.css"),
    ),
    (
        "common.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/common.js"),
    ),
    (
        "case.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/case.js"),
    ),
    (
        "bill.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/bill.js"),
    ),
];

async fn asset(axum::extract::Path(name): axum::extract::Path<String>) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, mime, body)) => ([(header::CONTENT_TYPE, *mime)], *body).into_response(),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}
