//! `grondslag explain [PATHS...] GOAL`: why the goal holds, or why it does not, in one of the
//! export formats, to standard output or a file.

use std::path::PathBuf;

use grondslag::driver::{self, Style};
use grondslag::explain::{self, Ask, Detail, Drawn, Format, View};
use grondslag::syntax::ast::BodyItem;

use super::args::{DetailArg, ExplainFormat, GraphArg};
use super::output;
use super::{Session, EXIT_OK, EXIT_USAGE};

pub(super) struct Request<'a> {
    /// Paths, then the goal.
    pub args: &'a [String],
    pub format: ExplainFormat,
    pub output: Option<PathBuf>,
    /// `--force`: write over an existing output file (never an input).
    pub force: bool,
    pub depth: Option<usize>,
    pub detail: DetailArg,
    pub graph: GraphArg,
}

pub(super) fn run(mut session: Session, request: &Request) -> Result<i32, String> {
    let Some((goal_text, paths)) = request.args.split_last() else {
        return Err(
            "give the goal to explain, e.g. `grondslag explain case.law 'lawful(d1)'`".into(),
        );
    };
    if goal_text.ends_with(".law") || std::path::Path::new(goal_text).is_dir() {
        return Err(format!(
            "`{goal_text}` is a file, not a goal: the goal comes last, e.g. `grondslag explain {goal_text} 'lawful(d1)'`"
        ));
    }
    let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    session.ws.load_paths(&paths);
    if let Some(path) = &request.output {
        output::check(path, &session.ws, request.force)
            .map_err(output::Refused::on_command_line)?;
    }
    let date = session.shared_date()?;
    // Explanations read the ground theory: keep it for strict programs too.
    session.options.provenance = true;

    // The goal is read as its own source, so its errors point into it.
    let mut sources = session.ws.sources.clone();
    let goal = goal_text.trim().trim_end_matches('.');
    let query = match driver::parse_query(&mut sources, "<goal>", goal) {
        Ok(query) => query,
        Err(diagnostics) => {
            session.report_in(&diagnostics, &sources);
            return Ok(session.failed());
        }
    };
    let literal = match query.body.as_slice() {
        [BodyItem::Literal(literal)] => literal.clone(),
        _ => {
            return Err(format!(
                "`{goal_text}` is not one literal; explain a literal such as `lawful(d1)` or `~lawful(d1)`"
            ))
        }
    };
    let problems = driver::check_goal(&session.ws, &query.body);
    if session.report_in(&problems, &sources) {
        return Ok(session.failed());
    }
    let Some(evaluation) = session.evaluate(date, &session.options) else {
        return Ok(session.failed());
    };
    let style = Style {
        depth: request.depth,
        view: View {
            detail: match request.detail {
                DetailArg::Summary => Detail::Summary,
                DetailArg::Full => Detail::Full,
            },
            graph: match request.graph {
                GraphArg::Decisive => Drawn::Decisive,
                GraphArg::Full => Drawn::Full,
            },
        },
        ..Style::new(session.lang)
    };
    let explanation = match evaluation.explain(&session.ws, &literal, Ask::Either, style) {
        Ok(explanation) => explanation,
        Err(problem) => {
            eprintln!("error: {problem}");
            return Ok(EXIT_USAGE);
        }
    };
    let format = match request.format {
        ExplainFormat::Text => Format::Text,
        ExplainFormat::Json => Format::Json,
        ExplainFormat::Dot => Format::Dot,
        ExplainFormat::Mermaid => Format::Mermaid,
        ExplainFormat::Md => Format::Markdown,
        ExplainFormat::Html => Format::Html,
    };
    // The JSON document carries the diagnostics reported on the way, as every command's does.
    let diagnostics = session.diagnostics_json();
    let write = |out: &mut dyn std::io::Write| match format {
        Format::Json => {
            explain::json::write_with_diagnostics(&explanation, Some(&diagnostics), out)
        }
        _ => explain::write(&explanation, format, out),
    };
    match &request.output {
        Some(path) => {
            let mut rendered = Vec::new();
            let _ = write(&mut rendered);
            output::write(path, &rendered, &session.ws, request.force)
                .map_err(output::Refused::on_command_line)?;
        }
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let _ = write(&mut out);
        }
    }
    Ok(EXIT_OK)
}
