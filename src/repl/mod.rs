//! The REPL (docs/repl.md): where legal researchers state the facts of a case, ask, and ask why.
//!
//! One concern per file:
//! - `mod.rs` — the read–evaluate–print loop: the line editor, the banner, the commands that
//!   act on the loop itself (`:help`, `:history`, `:quit`);
//! - `session.rs` — the session's state and what each input does to it;
//! - `listing.rs` — `:facts`, `:rules`, `:preds`; `bills.rs` — `:bill` and `:diff`;
//! - `commands.rs` — the one table of meta-commands (parsing, completion, `:help`);
//! - `input.rs` — whether input is a command, statements, a `goal?`, or continues;
//! - `helper.rs` — validation, completion, hints and highlighting for rustyline;
//! - `vocabulary.rs` — the names the session knows, for completion, hints and `:preds`;
//! - `history.rs` — the owner-only history file; `interrupt.rs` — Ctrl-C during evaluation,
//!   and the terminal setting that keeps lines typed meanwhile;
//! - `guard.rs` — each input isolated: a panic becomes an `internal_error`, the session stays.

mod bills;
mod commands;
mod guard;
mod helper;
mod history;
mod input;
mod interrupt;
mod listing;
mod session;
mod vocabulary;

use std::io::{BufRead, IsTerminal, Write};

use rustyline::config::{ColorMode, Config};
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::Editor;

use grondslag::escape;

use crate::cli::output::{self, Refused};
use crate::cli::{ReplStart, EXIT_FAILED, EXIT_USAGE};

use commands::Command;
use helper::LawHelper;
use history::Recorder;
use input::{classify, Input};
use session::Session;

const PROMPT: &str = "grondslag> ";
/// Shown for continuation lines if the editor cannot continue the statement itself (a
/// terminal it does not drive).
const CONTINUE: &str = "         | ";

/// Run a session over the loaded workspace until `:quit` or Ctrl-D; the exit code.
pub fn run(mut settings: ReplStart) -> i32 {
    let color = colour_wanted();
    let options = &mut settings.options;
    // Explanations rebuild derivations from the ground theory the evaluation keeps.
    options.provenance = true;
    let interrupt_problem = interrupt::install().err();
    options.limits.interrupt = Some(interrupt::flag());

    let mut out = String::new();
    let history = settings.history;
    let mut session = Session::new(settings, &mut out);
    let mut banner = format!("{}\n", session.banner());
    if let Some(problem) = interrupt_problem {
        banner.push_str(&format!(
            "note: Ctrl-C cannot stop an evaluation here ({problem}); `--timeout` still can.\n"
        ));
    }
    out.insert_str(0, &banner);
    flush(&mut out);

    let color_mode = if color {
        ColorMode::Enabled
    } else {
        ColorMode::Disabled
    };
    let config = Config::builder()
        .auto_add_history(false)
        .max_history_size(1000)
        .map(|b| b.color_mode(color_mode).build());
    let mut editor: Editor<LawHelper, DefaultHistory> = match config.and_then(Editor::with_config) {
        Ok(editor) => editor,
        Err(err) => {
            eprintln!("error: cannot start the line editor: {err}");
            return EXIT_USAGE;
        }
    };
    editor.set_helper(Some(LawHelper::new(session.vocabulary(), color)));

    // Only what a person types is history: a script piped in is not recorded.
    let interactive = std::io::stdin().is_terminal();
    // Lines typed while an evaluation runs survive a Ctrl-C that stops it (restored on leaving).
    let _keep_typed = interactive.then(interrupt::KeepTypedAhead::new);
    let mut recorder = Recorder::new(history && interactive);
    match recorder.past() {
        Ok(entries) => {
            for entry in entries {
                let _ = editor.add_history_entry(entry);
            }
        }
        Err(problem) => out.push_str(&format!("note: {problem}\n")),
    }
    flush(&mut out);

    // Input that is not a terminal (a pipe, a file) is read line by line without the editor,
    // which would drop an unfinished statement at the end of the input.
    let mut piped = (!interactive).then(|| std::io::stdin().lock().lines());
    let mut pending = String::new();
    loop {
        let prompt = if pending.is_empty() { PROMPT } else { CONTINUE };
        let read = match &mut piped {
            Some(lines) => match lines.next() {
                Some(Ok(line)) => Ok(line),
                Some(Err(err)) => Err(ReadlineError::Io(err)),
                None => Err(ReadlineError::Eof),
            },
            None => editor.readline(prompt),
        };
        let line = match read {
            Ok(line) => line,
            // Ctrl-C at the prompt abandons what was typed, as in a shell.
            Err(ReadlineError::Interrupted) => {
                pending.clear();
                continue;
            }
            Err(ReadlineError::Eof) => {
                if !pending.trim().is_empty() {
                    // The input ended inside a statement: say so, with the caret.
                    session.enter(&pending, &mut out);
                    flush(&mut out);
                }
                break;
            }
            Err(err) => {
                eprintln!("error: cannot read input: {err}");
                return EXIT_FAILED;
            }
        };
        if !pending.is_empty() {
            pending.push('\n');
        }
        pending.push_str(&line);
        let kind = classify(&pending);
        match kind {
            Input::Incomplete => continue,
            Input::Empty => {
                pending.clear();
                continue;
            }
            Input::Command | Input::Statements | Input::ShortQuery => {}
        }
        let entry = std::mem::take(&mut pending);
        // From here until the next prompt, Ctrl-C stops whatever this input evaluates.
        interrupt::reset();
        let _ = editor.add_history_entry(entry.as_str());
        if let Err(problem) = recorder.record(&entry) {
            out.push_str(&format!("note: {problem}\n"));
        }
        // The question before `:export` writes over a file: on the terminal only.
        let mut ask = |question: &str, out: &mut String| {
            if !interactive {
                return None;
            }
            flush(out);
            if let Some(helper) = editor.helper_mut() {
                helper.answering = true;
            }
            let answer = editor.readline(question);
            if let Some(helper) = editor.helper_mut() {
                helper.answering = false;
            }
            Some(answer.is_ok_and(|a| matches!(a.trim().to_lowercase().as_str(), "y" | "yes")))
        };
        // A fault in one input costs that input only (`guard`).
        let quit = guard::isolate(&mut session, &mut out, |session, out| {
            if kind == Input::Command {
                meta_command(&entry, session, &mut recorder, out, &mut ask)
            } else {
                session.enter(&entry, out);
                false
            }
        })
        .unwrap_or(false);
        flush(&mut out);
        if quit {
            break;
        }
        if let Some(helper) = editor.helper_mut() {
            helper.vocabulary = session.vocabulary();
        }
    }
    // A script of this session fails when any input was refused or any expectation was not
    // met, as `grondslag test` would.
    if session.failures > 0 {
        crate::cli::EXIT_FAILED
    } else {
        crate::cli::EXIT_OK
    }
}

/// A yes-or-no question to the user; `None` when there is no one to ask (input that is not
/// a terminal).
type Ask<'a> = dyn FnMut(&str, &mut String) -> Option<bool> + 'a;

/// A `:command`: those of the loop itself here, the rest to the session. True for `:quit`.
fn meta_command(
    line: &str,
    session: &mut Session,
    recorder: &mut Recorder,
    out: &mut String,
    ask: &mut Ask,
) -> bool {
    let text = match commands::parse(line) {
        Ok(Command::Quit) => return true,
        Ok(Command::Help(None)) => commands::help(),
        Ok(Command::Help(Some(name))) => match commands::help_for(&name) {
            Ok(text) => text,
            Err(message) => format!("{message}\n"),
        },
        Ok(Command::History(how)) => format!("{}\n", recorder.switch(how.as_deref())),
        Ok(Command::Export {
            format, file, atom, ..
        }) => {
            // Writing over a file that exists needs a yes; over an input, nothing helps (the
            // session says so when it writes).
            let overwrite = match output::check(&file, &session.ws, false) {
                Err(Refused::Exists(message)) => {
                    match ask(&format!("{message}; write over it? [y/N] "), out) {
                        Some(true) => true,
                        Some(false) => {
                            out.push_str("not written.\n");
                            return false;
                        }
                        None => {
                            out.push_str(&format!("{message}; not written: the REPL asks before writing over a file, and only on a terminal (remove it first, or choose another name).\n"));
                            return false;
                        }
                    }
                }
                _ => false,
            };
            session.command(
                Command::Export {
                    format,
                    file,
                    atom,
                    overwrite,
                },
                out,
            );
            return false;
        }
        Ok(command) => {
            session.command(command, out);
            return false;
        }
        Err(message) => format!("{message}\n"),
    };
    out.push_str(&text);
    false
}

/// Write what the session said. Everything the REPL prints passes here, through
/// `escape::text`: the echo of a fact, a goal, a file name or an error shows a control or
/// bidi character from the input as `\u{1b}`, never sends it to the terminal.
fn flush(out: &mut String) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(escape::text(out).as_bytes());
    let _ = stdout.flush();
    out.clear();
}

/// Colour only on a terminal, and never when `NO_COLOR` is set (no-color.org) or the
/// terminal says it cannot.
fn colour_wanted() -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
    !no_color && !dumb && std::io::stdout().is_terminal()
}
