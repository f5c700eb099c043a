//! A fault of grondslag in one input must not cost the session. Each input runs under
//! `catch_unwind`: a panic becomes an `internal_error` message in the session's output, the
//! session goes back to what it was before the input (`Session::restore`), and the next
//! prompt comes as usual. The panic hook says nothing on stderr for a panic caught here; its
//! message and place go into the `internal_error` instead.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe, PanicHookInfo};
use std::sync::Once;

use grondslag::diagnostic::{Code, Diagnostic};

use super::session::Session;

thread_local! {
    /// Whether an input is running under [`isolate`] on this thread.
    static GUARDED: Cell<bool> = const { Cell::new(false) };
    /// The message of the panic caught there, with its place.
    static CAUGHT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Run one input on the session. `None` when it panicked: then the session is as it was
/// before, and `out` holds, instead of what the input had written, the `internal_error`.
pub fn isolate<T>(
    session: &mut Session,
    out: &mut String,
    input: impl FnOnce(&mut Session, &mut String) -> T,
) -> Option<T> {
    install_hook();
    let checkpoint = session.checkpoint();
    let written = out.len();
    GUARDED.with(|g| g.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(|| input(session, out)));
    GUARDED.with(|g| g.set(false));
    match result {
        Ok(value) => Some(value),
        Err(payload) => {
            session.restore(checkpoint);
            // A script of the session fails, as for any input that was refused.
            session.failures += 1;
            // What the input said before it failed ("added 1 fact.") is no longer true.
            out.truncate(written);
            let message = CAUGHT
                .with(|c| c.borrow_mut().take())
                .unwrap_or_else(|| payload_text(payload.as_ref()));
            let diagnostic = Diagnostic::new(
                Code::Internal,
                format!("grondslag failed on this input: {message}"),
            )
            .hint("the session is as it was before this input; please report this input as a bug of grondslag");
            out.push_str(&diagnostic.render(&session.ws.sources));
            None
        }
    }
}

/// Once per process: a panic on a thread inside [`isolate`] is recorded, not printed; any
/// other panic goes to the hook that was there before (Rust's, which prints it).
fn install_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if GUARDED.with(Cell::get) {
                CAUGHT.with(|c| *c.borrow_mut() = Some(describe(info)));
            } else {
                previous(info);
            }
        }));
    });
}

/// `index out of bounds: ... (src/cli/print.rs:42:17)`.
fn describe(info: &PanicHookInfo) -> String {
    let message = payload_text(info.payload());
    match info.location() {
        Some(place) => format!(
            "{message} ({}:{}:{})",
            place.file(),
            place.line(),
            place.column()
        ),
        None => message,
    }
}

fn payload_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        text.to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::ReplStart;
    use crate::repl::commands;
    use grondslag::driver::Options;
    use grondslag::load::{KnowledgeBase, Workspace};
    use grondslag::syntax::ast::Lang;

    fn session() -> Session {
        let start = ReplStart {
            ws: Workspace::new(),
            kb: KnowledgeBase::Nothing,
            paths: Vec::new(),
            bills: Vec::new(),
            options: Options::default(),
            as_of: None,
            lang: Lang::En,
            history: false,
        };
        Session::new(start, &mut String::new())
    }

    fn said(session: &mut Session, line: &str) -> String {
        let mut out = String::new();
        match commands::parse(line) {
            Ok(command) => session.command(command, &mut out),
            Err(_) => session.enter(line, &mut out),
        }
        out
    }

    #[test]
    fn a_panic_part_way_leaves_the_session_as_it_was_and_says_so() {
        let mut s = session();
        // Removed when the test ends.
        let dir = tempfile::Builder::new()
            .prefix("grondslag-guard-")
            .tempdir()
            .unwrap();
        let file = dir.path().join("more.law");
        std::fs::write(&file, "q(c). r(X) :- q(X).\n").unwrap();
        assert_eq!(said(&mut s, "q(a)."), "added 1 fact.\n");
        assert!(said(&mut s, "q(X)?").contains("(1 answer)"));

        // An input that changes everything it can, then fails.
        let mut out = String::from("before\n");
        let load = format!(":load {}", file.display());
        let result = isolate(&mut s, &mut out, |s, out| {
            s.enter("q(b). p(X) :- q(X).", out);
            for line in [load.as_str(), ":asof 2001-01-01", ":lang nl", "p(X)?"] {
                match commands::parse(line) {
                    Ok(command) => s.command(command, out),
                    Err(_) => s.enter(line, out),
                }
            }
            assert!(out.contains("added 1 fact and 1 rule."), "{out}");
            panic!("a fault of grondslag");
        });
        assert!(result.is_none());
        // A script of the session fails.
        assert_eq!(s.failures, 1);
        // What the input had said is gone: it is not true any more.
        assert!(
            out.starts_with("before\nerror[internal_error]: grondslag failed on this input: a fault of grondslag (src/repl/guard.rs:"),
            "{out}"
        );
        assert!(!out.contains("added"), "{out}");
        assert!(
            out.contains("the session is as it was before this input"),
            "{out}"
        );

        // The session is the one before: one fact, no rule, no file, no date, English.
        assert_eq!(
            said(&mut s, "q(X)?"),
            "X  status\na  definitely\n(1 answer)\n"
        );
        let rule_gone = said(&mut s, "p(X)?");
        assert!(rule_gone.contains("unknown predicate `p`"), "{rule_gone}");
        assert!(rule_gone.ends_with("(0 answers)\n"), "{rule_gone}");
        assert!(
            said(&mut s, ":asof").contains("today"),
            "the date came back"
        );
        assert_eq!(said(&mut s, ":lang"), "explanations in English (en).\n");
        assert!(said(&mut s, ":reload").contains("0 paths, 0 bills, 1 statement typed"));
        // And it goes on.
        assert_eq!(said(&mut s, "q(d)."), "added 1 fact.\n");
        assert!(said(&mut s, "q(X)?").contains("(2 answers)"));
    }

    #[test]
    fn an_input_that_does_not_panic_gives_its_value() {
        let mut s = session();
        let mut out = String::new();
        assert_eq!(
            isolate(&mut s, &mut out, |s, out| {
                s.enter("q(a).", out);
                7
            }),
            Some(7)
        );
        assert_eq!(out, "added 1 fact.\n");
    }
}
