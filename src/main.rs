//! The `grondslag` binary: the command line and the REPL, thin front ends over the library.

mod cli;
mod memory;
mod repl;
mod serve;

/// Counts the heap, so that evaluation can keep to its memory budget (`--max-memory`).
#[global_allocator]
static HEAP: grondslag::heap::Counting = grondslag::heap::Counting;

fn main() {
    // Explanations walk a derivation recursively, one frame per step: the command runs on a
    // large stack (`memory::stack`).
    let big_stack = std::thread::Builder::new()
        .name("grondslag".into())
        .stack_size(memory::stack())
        .spawn(command);
    let code = match big_stack {
        // A panic has printed its message; 101 is Rust's exit code for it.
        Ok(command) => command.join().unwrap_or(101),
        // No room for that stack (a tight limit on address space): run here, as before.
        Err(_) => command(),
    };
    std::process::exit(code);
}

/// The command the arguments name, or the REPL; its exit code.
fn command() -> i32 {
    let code = match cli::main() {
        cli::Outcome::Done(code) => code,
        cli::Outcome::Repl(start) => repl::run(*start),
        cli::Outcome::Serve(start) => serve::run(*start),
    };
    cli::finish(code)
}
