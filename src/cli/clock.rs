//! The one place the CLI and the REPL read the calendar: "today" selects the law in force
//! when neither `--as-of` nor a case's `date` says which (SPEC §4).

use std::time::{SystemTime, UNIX_EPOCH};

use grondslag::value::Date;

/// Today's date in UTC.
pub fn today() -> Date {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    // `Date` counts days since 1970-01-01, like the clock.
    Date((seconds / 86_400) as i32)
}

#[cfg(test)]
mod tests {
    #[test]
    fn today_is_after_this_code_was_written() {
        assert!(super::today() > grondslag::value::Date::parse("2026-01-01").unwrap());
    }
}
