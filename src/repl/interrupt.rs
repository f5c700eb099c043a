//! Ctrl-C during an evaluation. While the line editor reads, the terminal is in raw mode and
//! Ctrl-C is a key it handles itself (it abandons the line). While the session evaluates, the
//! terminal sends SIGINT; the handler only raises a flag, which the evaluator checks where it
//! checks its clock (`eval::limits`), and the evaluation stops with "interrupted".

use std::sync::atomic::{AtomicBool, Ordering};

use grondslag::driver::Interrupt;

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// The flag for `Limits::interrupt`.
pub fn flag() -> Interrupt {
    Interrupt(&INTERRUPTED)
}

/// Clear the flag: the loop does so as each input starts, so a Ctrl-C at any moment of its
/// processing stops its evaluations.
pub fn reset() {
    INTERRUPTED.store(false, Ordering::Relaxed);
}

pub fn is_set() -> bool {
    INTERRUPTED.load(Ordering::Relaxed)
}

/// Route SIGINT to the flag for the rest of the process. An error leaves the default
/// behaviour (Ctrl-C ends the program), which is worse but safe.
#[cfg(unix)]
pub fn install() -> Result<(), String> {
    use nix::sys::signal::{sigaction, SaFlags, SigAction, SigHandler, SigSet, Signal};

    extern "C" fn on_sigint(_: nix::libc::c_int) {
        // Only an atomic store: async-signal-safe.
        INTERRUPTED.store(true, Ordering::Relaxed);
    }
    let action = SigAction::new(
        SigHandler::Handler(on_sigint),
        SaFlags::SA_RESTART,
        SigSet::empty(),
    );
    // SAFETY: the handler does nothing but store to an atomic, which is async-signal-safe,
    // and it replaces the default disposition only.
    unsafe { sigaction(Signal::SIGINT, &action) }
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[cfg(not(unix))]
pub fn install() -> Result<(), String> {
    Err("interrupting an evaluation with Ctrl-C needs a Unix terminal".into())
}
