//! What the command line says about itself: `--version` (with the knowledge base's date),
//! shell completions and the manual page, all made from the one definition of the arguments
//! (`args.rs`).

use std::io::Write;

use clap::CommandFactory;

use grondslag::load::KnowledgeBase;

use super::args::Cli;
use super::{EXIT_FAILED, EXIT_OK};

/// `grondslag --version`: the version and the bundled knowledge base's date, the latest date
/// its files state (`KnowledgeBase::date`; docs/cli.md).
pub fn version() -> String {
    let version = env!("CARGO_PKG_VERSION");
    match KnowledgeBase::Bundled.date() {
        Some(date) => format!("{version} (knowledge base of {date})"),
        None => version.to_string(),
    }
}

/// `grondslag completions SHELL`: the completion script on standard output.
pub fn completions(shell: clap_complete::Shell) -> i32 {
    let mut command = Cli::command();
    // Written whole, then printed: a closed pipe (`| head`) is no error.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "grondslag", &mut script);
    let _ = std::io::stdout().write_all(&script);
    EXIT_OK
}

/// `grondslag man`: the manual page, in roff, on standard output (also in the repository as
/// docs/grondslag.1, kept current by a test).
pub fn man() -> i32 {
    let mut page = Vec::new();
    match clap_mangen::Man::new(Cli::command()).render(&mut page) {
        Ok(()) => {
            let _ = std::io::stdout().write_all(&page);
            EXIT_OK
        }
        Err(err) => {
            eprintln!("error: cannot write the manual page: {err}");
            EXIT_FAILED
        }
    }
}
