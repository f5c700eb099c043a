/// The stack the command runs on. Explanations walk a derivation recursively, one frame per
/// step, and a chain of a hundred thousand steps needs far more than the main thread's
/// 8 MiB; only the pages a run touches are committed.
const STACK: usize = 1 << 30;

fn main() {
    let code = std::thread::Builder::new()
        .name("grondslag".into())
        .stack_size(STACK)
        .spawn(grondslag::cli::main)
        .map(|command| command.join().unwrap_or(101))
        .unwrap_or_else(|err| {
            eprintln!("error: cannot start: {err}");
            101
        });
    std::process::exit(code);
}
