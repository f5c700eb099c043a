//! Helpers the integration tests share: run the real binary from the repository root, read
//! what it printed.

use std::process::{Command, Output};

/// `grondslag ARGS` in the repository root.
pub fn grondslag(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_grondslag"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the grondslag binary runs")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
