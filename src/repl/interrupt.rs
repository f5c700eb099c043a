//! Ctrl-C during an evaluation. While the line editor reads, the terminal is in raw mode and
//! Ctrl-C is a key it handles itself (it abandons the line). While the session evaluates, the
//! terminal sends SIGINT; the handler only raises a flag, which the evaluator checks where it
//! checks its clock (`eval::limits`), and the evaluation stops with "interrupted".
//!
//! A terminal that sends SIGINT also throws away what was typed and not yet read, unless its
//! `NOFLSH` flag is set: [`KeepTypedAhead`] sets it for the session, so lines typed during
//! an evaluation are read at the next prompt, Ctrl-C or not.

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

/// `NOFLSH` on the terminal while the REPL runs; the terminal's own settings back on drop.
pub struct KeepTypedAhead {
    #[cfg(unix)]
    saved: Option<nix::sys::termios::Termios>,
}

impl KeepTypedAhead {
    #[cfg(unix)]
    pub fn new() -> KeepTypedAhead {
        use nix::sys::termios::{tcgetattr, tcsetattr, LocalFlags, SetArg};
        let stdin = std::io::stdin();
        let saved = tcgetattr(&stdin).ok();
        if let Some(saved) = &saved {
            let mut keep = saved.clone();
            keep.local_flags.insert(LocalFlags::NOFLSH);
            // Without it the session works as before, only a Ctrl-C loses what was typed.
            let _ = tcsetattr(&stdin, SetArg::TCSADRAIN, &keep);
        }
        KeepTypedAhead { saved }
    }

    #[cfg(not(unix))]
    pub fn new() -> KeepTypedAhead {
        KeepTypedAhead {}
    }
}

impl Drop for KeepTypedAhead {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(saved) = &self.saved {
            let _ = nix::sys::termios::tcsetattr(
                std::io::stdin(),
                nix::sys::termios::SetArg::TCSADRAIN,
                saved,
            );
        }
    }
}
