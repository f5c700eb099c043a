//! `grondslag test`: check every `expect` statement (the driver's `test` judges them) and
//! print the ones not met, each with why.

use std::io::Write;

use grondslag::driver;
use grondslag::escape;
use grondslag::explain::{self, Format};

use super::{Session, EXIT_FAILED, EXIT_OK};

pub(super) fn run(session: &Session) -> i32 {
    let ws = &session.ws;
    let checked = session.checked(session.dating.as_of);
    session.report(checked.diagnostics());
    let report = driver::test(&checked, &session.dating, &session.options, session.lang);
    let mut out = std::io::stdout().lock();
    for program in &report.programs {
        let expectations = match &program.outcome {
            Ok((expectations, warnings)) => {
                session.report(warnings);
                expectations
            }
            Err(diagnostics) => {
                session.report(diagnostics);
                continue;
            }
        };
        for expectation in expectations {
            let Some(why) = expectation.judgement.complaint() else {
                continue;
            };
            // What comes from the files (the path, the statement, the values in `why`) is
            // shown, never obeyed by the terminal; the explanation is escaped as it is made.
            let span = expectation.expect.span;
            let place = ws.sources.location(span);
            let text = ws.sources.snippet(span);
            let _ = writeln!(
                out,
                "FAIL {}: {}\n     {}",
                escape::text_line(&place),
                escape::text(text),
                escape::text(&why)
            );
            let explanation = match &expectation.explanation {
                Some(Ok(explanation)) => explain::render(explanation, Format::Text),
                Some(Err(problem)) => format!("({})\n", escape::text(&problem.to_string())),
                None => String::new(),
            };
            for line in explanation.lines() {
                let _ = writeln!(out, "       {line}");
            }
        }
    }
    let (passed, failed) = (report.passed(), report.failed());
    let _ = writeln!(out, "{passed} passed, {failed} failed");
    if failed > 0 || report.broken() {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}
