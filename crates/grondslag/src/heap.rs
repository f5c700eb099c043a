//! The heap gauge: how many bytes the process holds, counted by an allocator the program
//! installs. The evaluation budget (`eval::limits`) reads it inside joins and grounding, so
//! that a rule deriving without bound stops with `resource_limit` while the system still
//! grants memory, instead of the process being aborted or killed.
//!
//! A program opts in with
//!
//! ```ignore
//! #[global_allocator]
//! static HEAP: grondslag::heap::Counting = grondslag::heap::Counting;
//! ```
//!
//! Without it the gauge reads nothing, and only `--max-facts` and `--timeout` bound an
//! evaluation.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicIsize, Ordering};

/// Bytes allocated and not yet freed (with the allocator's own overhead), over all threads, up
/// to each thread's unflushed change.
static HELD: AtomicIsize = AtomicIsize::new(0);

/// A thread's change to `HELD` not yet added to it: flushed once it passes `FLUSH` either way,
/// so that most allocations touch no shared cache line (`diff` evaluates cases on every core).
const FLUSH: isize = 256 * 1024;

thread_local! {
    static PENDING: Cell<isize> = const { Cell::new(0) };
}

/// What an allocation of `size` bytes costs the process: malloc rounds to 16 bytes with a word
/// of its own, 32 at least (a tuple of five values asks for 20 bytes and takes 32).
fn footprint(size: usize) -> isize {
    ((size + 8).next_multiple_of(16).max(32)) as isize
}

fn count(change: isize) {
    // `try_with`: a thread being torn down still frees memory.
    let flushed = PENDING.try_with(|pending| {
        let now = pending.get() + change;
        if now.abs() >= FLUSH {
            HELD.fetch_add(now, Ordering::Relaxed);
            pending.set(0);
        } else {
            pending.set(now);
        }
    });
    if flushed.is_err() {
        HELD.fetch_add(change, Ordering::Relaxed);
    }
}

/// The system allocator, counting the bytes it hands out.
pub struct Counting;

// SAFETY: every call is passed on to the system allocator unchanged; only sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            count(footprint(layout.size()));
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if !p.is_null() {
            count(footprint(layout.size()));
        }
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        System.dealloc(p, layout);
        count(-footprint(layout.size()));
    }

    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let q = System.realloc(p, layout, new_size);
        if !q.is_null() {
            count(footprint(new_size) - footprint(layout.size()));
        }
        q
    }
}

/// The bytes the process holds on its heap (to within a quarter MiB per thread); `None` when
/// no [`Counting`] allocator is installed.
pub fn held() -> Option<u64> {
    match HELD.load(Ordering::Relaxed) {
        n if n > 0 => Some(n as u64),
        _ => None,
    }
}

/// A size for people: `512 MiB`, `1.5 GiB`.
pub fn size_text(bytes: u64) -> String {
    const MIB: f64 = (1u64 << 20) as f64;
    let mib = bytes as f64 / MIB;
    if mib >= 1024.0 {
        format!("{:.1} GiB", mib / 1024.0)
    } else {
        format!("{} MiB", mib.round() as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_mib_or_gib() {
        assert_eq!(size_text(512 << 20), "512 MiB");
        assert_eq!(size_text(3 << 29), "1.5 GiB");
    }
}
