//! Evaluations off the async threads, each with a stop flag: bounded by the CLI's limits
//! (`--timeout`, `--max-memory`, `--max-facts`, in the options), and interrupted when the page
//! asks (a newer edit supersedes the analysis of an older one, a bill run has a cancel button).
//!
//! The evaluator reads its interrupt through a `&'static` flag (a signal handler sets the
//! REPL's); flags are leaked once and kept in a pool, so a long session does not grow.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use grondslag::driver::{Interrupt, Options};

/// A stop flag, back in the pool when dropped.
pub struct Flag(&'static AtomicBool);

static POOL: Mutex<Vec<&'static AtomicBool>> = Mutex::new(Vec::new());

impl Flag {
    pub fn new() -> Flag {
        let reused = POOL.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let flag = reused.unwrap_or_else(|| Box::leak(Box::new(AtomicBool::new(false))));
        flag.store(false, Ordering::Relaxed);
        Flag(flag)
    }

    pub fn stop(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn stopped(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// `options` with this flag as their interrupt.
    pub fn options(&self, options: &Options) -> Options {
        let mut options = options.clone();
        options.limits.interrupt = Some(Interrupt(self.0));
        options
    }

    fn handle(&self) -> &'static AtomicBool {
        self.0
    }
}

impl Drop for Flag {
    fn drop(&mut self) {
        // Whoever still holds the handle (a superseded analysis's registry entry) sees it set.
        self.0.store(true, Ordering::Relaxed);
        let mut pool = POOL.lock().unwrap_or_else(|e| e.into_inner());
        if pool.len() < 64 {
            pool.push(self.0);
        }
    }
}

/// The analysis running for each open page: a new one stops the one before it.
#[derive(Default)]
pub struct Running {
    pages: Mutex<HashMap<String, &'static AtomicBool>>,
}

impl Running {
    /// Register `flag` as `page`'s analysis, stopping the one before it.
    pub fn start(&self, page: &str, flag: &Flag) {
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        if pages.len() > 1024 {
            pages.clear();
        }
        if let Some(old) = pages.insert(page.to_string(), flag.handle()) {
            if !std::ptr::eq(old, flag.handle()) {
                old.store(true, Ordering::Relaxed);
            }
        }
    }

    /// Stop `page`'s analysis, if one runs.
    pub fn stop(&self, page: &str) {
        let pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(flag) = pages.get(page) {
            flag.store(true, Ordering::Relaxed);
        }
    }

    /// `page`'s analysis is over: forget it unless a newer one took its place.
    pub fn finish(&self, page: &str, flag: &Flag) {
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        if pages
            .get(page)
            .is_some_and(|f| std::ptr::eq(*f, flag.handle()))
        {
            pages.remove(page);
        }
    }
}

/// Run `work` on a blocking thread (with the runtime's large stack).
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, String> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| format!("the evaluation failed: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newer_analysis_stops_the_older_one() {
        let running = Running::default();
        let first = Flag::new();
        running.start("page", &first);
        let second = Flag::new();
        running.start("page", &second);
        assert!(first.stopped());
        assert!(!second.stopped());
        running.stop("page");
        assert!(second.stopped());
    }
}
