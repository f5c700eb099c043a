//! `grondslag test`: check every `expect` statement (the driver's `test` judges them) and
//! print the results: the ones not met, each with why (text), or all of them as JSON or JUnit
//! XML for CI systems.

use std::io::Write;

use grondslag::driver;

use super::args::TestFormat;
use super::{Session, EXIT_FAILED, EXIT_OK};

pub(super) fn run(session: &Session, format: TestFormat) -> i32 {
    let checked = session.checked(session.dating.as_of);
    let report = driver::test(&checked, &session.dating, &session.options, session.lang);
    let results = report.results(&checked);
    if format == TestFormat::Text {
        // The diagnostics on standard error, where the commands print them.
        session.report(checked.diagnostics());
        for program in &report.programs {
            match &program.outcome {
                Ok((_, warnings)) => session.report(warnings),
                Err(diagnostics) => session.report(diagnostics),
            };
        }
    }
    let rendered = match format {
        TestFormat::Text => results.text(),
        // Inert, as every JSON document of the command line (`escape::Inert`).
        TestFormat::Json => format!("{}\n", grondslag::escape::json(&results)),
        TestFormat::Junit => results.junit(),
    };
    let _ = std::io::stdout().lock().write_all(rendered.as_bytes());
    if results.failed > 0 || results.broken() {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}
