//! The results of `grondslag test` as owned, plain data ([`TestResults`], read from the
//! driver's `TestReport` by `TestReport::results`), and their three forms: the text report,
//! JSON (`docs/test.schema.json`) and JUnit XML for CI systems.
//!
//! Owned and (de)serialisable, so that results written apart (one part of the cases per
//! machine) can be read back and joined before they are rendered.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::escape;

/// The `schema` of the JSON form: its name and version.
pub const SCHEMA: &str = "grondslag-test/1";

/// Everything `grondslag test` found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TestResults {
    /// [`SCHEMA`].
    pub schema: String,
    /// Expectations met.
    pub passed: usize,
    /// Expectations not met, and those of programs that could not be evaluated.
    pub failed: usize,
    /// The diagnostics of the check of everything loaded (as `check --format json` gives
    /// them). An error among them means nothing was evaluated.
    pub diagnostics: Vec<serde_json::Value>,
    /// Each program evaluated: a case over the shared files, or the shared files alone.
    pub programs: Vec<ProgramResult>,
}

/// One program: a case file over the shared files, or the shared files' own expectations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgramResult {
    /// The case file; `None` for the expectations of the shared files.
    pub file: Option<String>,
    /// The case's name (its header), if it has one.
    pub case: Option<String>,
    /// The case's title, if it has one.
    pub title: Option<String>,
    /// The date whose law was applied (`YYYY-MM-DD`).
    pub date: String,
    /// Why that date: `as_of`, `case`, `bill` or `today`.
    pub date_source: String,
    /// Whether it could be evaluated; when not, its `expects` count as failed.
    pub evaluated: bool,
    /// How many `expect` statements it answers.
    pub expects: usize,
    /// Each expectation with its verdict (empty when it could not be evaluated).
    pub expectations: Vec<ExpectationResult>,
    /// The diagnostics of its evaluation: warnings, or why it could not be evaluated.
    pub diagnostics: Vec<serde_json::Value>,
}

/// One `expect` statement and its verdict.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExpectationResult {
    /// The statement as written.
    pub statement: String,
    /// Where it is written.
    pub file: String,
    /// Its line, from 1.
    pub line: usize,
    /// Its column, from 1.
    pub column: usize,
    /// Whether it is met.
    pub passed: bool,
    /// What the evaluation says of the literal: `holds`, `refuted` or `undecided`.
    pub found: String,
    /// Why it is not met, in words.
    pub complaint: Option<String>,
    /// For one not met: why the literal holds or does not, as the indented text memo.
    pub explanation: Option<String>,
}

impl TestResults {
    /// Whether some program could not be evaluated.
    pub fn broken(&self) -> bool {
        self.programs.iter().any(|p| !p.evaluated)
    }

    /// The text report: a `FAIL` paragraph per expectation not met, with its explanation,
    /// and the last line `N passed, M failed`. Diagnostics are not part of it (the command
    /// line prints them on standard error).
    pub fn text(&self) -> String {
        let mut out = String::new();
        for expectation in self.programs.iter().flat_map(|p| &p.expectations) {
            let Some(why) = &expectation.complaint else {
                continue;
            };
            let _ = writeln!(
                out,
                "FAIL {}: {}\n     {}",
                escape::text_line(&expectation.place()),
                escape::text(&expectation.statement),
                escape::text(why)
            );
            for line in expectation.explanation.as_deref().unwrap_or("").lines() {
                let _ = writeln!(out, "       {}", escape::text_line(line));
            }
        }
        let _ = writeln!(out, "{} passed, {} failed", self.passed, self.failed);
        out
    }

    /// The JSON form (`docs/test.schema.json`).
    pub fn json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }

    /// JUnit XML, as CI systems read it: a test suite per program, a test case per
    /// `expect`, a `<failure>` with the complaint and the explanation for one not met, and an
    /// `<error>` test case for a program that could not be evaluated.
    pub fn junit(&self) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let tests: usize = self.programs.iter().map(ProgramResult::tests).sum();
        let errors = self.programs.iter().filter(|p| !p.evaluated).count();
        let failures = self.failed - self.broken_expects();
        let _ = writeln!(
            out,
            "<testsuites name=\"grondslag test\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">"
        );
        for program in &self.programs {
            program.junit(&mut out);
        }
        if !self.diagnostics.is_empty() {
            let _ = writeln!(
                out,
                "  <system-err>{}</system-err>",
                xml(&diagnostic_lines(&self.diagnostics))
            );
        }
        out.push_str("</testsuites>\n");
        out
    }

    fn broken_expects(&self) -> usize {
        self.programs
            .iter()
            .filter(|p| !p.evaluated)
            .map(|p| p.expects)
            .sum()
    }
}

impl ProgramResult {
    /// Its name in reports: the case file, or `shared files`.
    pub fn name(&self) -> &str {
        self.file.as_deref().unwrap_or("shared files")
    }

    /// Test cases in JUnit: one per expectation, or one error when not evaluated.
    fn tests(&self) -> usize {
        if self.evaluated {
            self.expectations.len()
        } else {
            1
        }
    }

    fn junit(&self, out: &mut String) {
        let failures = self.expectations.iter().filter(|e| !e.passed).count();
        let errors = usize::from(!self.evaluated);
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\">",
            xml(self.name()),
            self.tests()
        );
        let _ = writeln!(out, "    <properties>");
        let mut properties = vec![("date", self.date.as_str())];
        properties.push(("date_source", &self.date_source));
        if let Some(case) = &self.case {
            properties.push(("case", case));
        }
        if let Some(title) = &self.title {
            properties.push(("title", title));
        }
        for (name, value) in properties {
            let _ = writeln!(
                out,
                "      <property name=\"{name}\" value=\"{}\"/>",
                xml(value)
            );
        }
        let _ = writeln!(out, "    </properties>");
        let classname = xml(self.case.as_deref().unwrap_or(self.name()));
        if !self.evaluated {
            let _ = writeln!(
                out,
                "    <testcase classname=\"{classname}\" name=\"evaluation\">\n      <error message=\"not evaluated: {} expectations not judged\">{}</error>\n    </testcase>",
                self.expects,
                xml(&diagnostic_lines(&self.diagnostics))
            );
        }
        for e in &self.expectations {
            let _ = write!(
                out,
                "    <testcase classname=\"{classname}\" name=\"{}\" file=\"{}\" line=\"{}\"",
                xml(&e.statement),
                xml(&e.file),
                e.line
            );
            match &e.complaint {
                None => out.push_str("/>\n"),
                Some(why) => {
                    let _ = writeln!(
                        out,
                        ">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
                        xml(why),
                        xml(&e.found),
                        xml(e.explanation.as_deref().unwrap_or(""))
                    );
                }
            }
        }
        if self.evaluated && !self.diagnostics.is_empty() {
            let _ = writeln!(
                out,
                "    <system-err>{}</system-err>",
                xml(&diagnostic_lines(&self.diagnostics))
            );
        }
        out.push_str("  </testsuite>\n");
    }
}

impl ExpectationResult {
    /// `file:line:column`.
    pub fn place(&self) -> String {
        format!("{}:{}:{}", self.file, self.line, self.column)
    }
}

/// Diagnostics in JSON form as one line each: `file:line:column: severity[code]: message`.
fn diagnostic_lines(diagnostics: &[serde_json::Value]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let text = |key: &str| d[key].as_str().unwrap_or("").to_string();
        let mut place = text("file");
        for key in ["line", "column"] {
            if let Some(n) = d[key].as_u64() {
                let _ = write!(place, ":{n}");
            }
        }
        let _ = writeln!(
            out,
            "{place}: {}[{}]: {}",
            text("severity"),
            text("code"),
            text("message")
        );
    }
    out
}

/// Text in XML content or an attribute value.
fn xml(text: &str) -> String {
    escape::html(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results() -> TestResults {
        let expectation = |passed: bool| ExpectationResult {
            statement: "expect lawful(d1).".into(),
            file: "case<1>.law".into(),
            line: 3,
            column: 1,
            passed,
            found: if passed { "holds" } else { "refuted" }.into(),
            complaint: (!passed).then(|| "expected otherwise: \"refuted\" & more".into()),
            explanation: (!passed).then(|| "why\n  because\n".into()),
        };
        TestResults {
            schema: SCHEMA.into(),
            passed: 1,
            failed: 3,
            diagnostics: Vec::new(),
            programs: vec![
                ProgramResult {
                    file: Some("case<1>.law".into()),
                    case: Some("one".into()),
                    title: Some("A & B".into()),
                    date: "2024-01-01".into(),
                    date_source: "case".into(),
                    evaluated: true,
                    expects: 2,
                    expectations: vec![expectation(true), expectation(false)],
                    diagnostics: Vec::new(),
                },
                ProgramResult {
                    file: Some("two.law".into()),
                    case: None,
                    title: None,
                    date: "2024-01-01".into(),
                    date_source: "today".into(),
                    evaluated: false,
                    expects: 2,
                    expectations: Vec::new(),
                    diagnostics: vec![serde_json::json!({"file": "two.law", "line": 1,
                        "column": 2, "severity": "error", "code": "resource_limit",
                        "message": "stopped"})],
                },
            ],
        }
    }

    #[test]
    fn text_lists_failures_then_the_counts() {
        let text = results().text();
        assert!(text.starts_with("FAIL case<1>.law:3:1: expect lawful(d1).\n     expected"));
        assert!(text.contains("\n       why\n         because\n"));
        assert!(text.ends_with("1 passed, 3 failed\n"));
    }

    #[test]
    fn junit_counts_and_escapes() {
        let xml = results().junit();
        assert!(xml.contains(
            "<testsuites name=\"grondslag test\" tests=\"3\" failures=\"1\" errors=\"1\">"
        ));
        assert!(xml.contains(
            "<testsuite name=\"case&lt;1&gt;.law\" tests=\"2\" failures=\"1\" errors=\"0\">"
        ));
        assert!(xml.contains("<property name=\"title\" value=\"A &amp; B\"/>"));
        assert!(xml.contains("message=\"expected otherwise: &quot;refuted&quot; &amp; more\""));
        assert!(xml.contains("two.law:1:2: error[resource_limit]: stopped"));
        assert_eq!(xml.matches("<testcase ").count(), 3);
    }

    #[test]
    fn json_reads_back_as_it_was_written() {
        let results = results();
        let back: TestResults = serde_json::from_value(results.json()).unwrap();
        assert_eq!(back, results);
        assert_eq!(results.json()["schema"], SCHEMA);
    }
}
