//! The one place the CLI and the REPL read the calendar: "today" selects the law in force
//! when neither `--as-of` nor a case's `date` says which (docs/bills.md).
//!
//! Today is the local date, as the user's clock shows it (the time zone of `TZ`, else the
//! system's): just after midnight in Amsterdam or Brussels it is already the new day there,
//! while in UTC it is still yesterday.

use std::time::{SystemTime, UNIX_EPOCH};

use grondslag::value::Date;

/// Today's date where the user is.
pub fn today() -> Date {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    // `Date` counts days since 1970-01-01, like the clock.
    Date(((seconds + utc_offset(seconds)).div_euclid(86_400)) as i32)
}

/// The local time zone's offset from UTC at that instant, in seconds (0 where it cannot be
/// read: then today is the UTC date).
#[cfg(unix)]
fn utc_offset(seconds: i64) -> i64 {
    let time = seconds as libc::time_t;
    // SAFETY: `localtime_r` reads `time` and writes only into `local`, a plain struct that is
    // valid when zeroed; it is the thread-safe form (no shared static buffer).
    unsafe {
        let mut local: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&time, &mut local).is_null() {
            return 0;
        }
        local.tm_gmtoff
    }
}

#[cfg(not(unix))]
fn utc_offset(_seconds: i64) -> i64 {
    0
}

#[cfg(test)]
mod tests {
    #[test]
    fn today_is_after_this_code_was_written() {
        assert!(super::today() > grondslag::value::Date::parse("2026-01-01").unwrap());
    }
}
