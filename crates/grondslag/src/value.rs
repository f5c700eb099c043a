//! Constant values and their interning.
//!
//! A symbol is a string that needs no quotes (docs/language.md): `mechelen` and `"mechelen"` are the
//! same [`Value::Text`]. The engine works on [`ValueId`]s — small integers — so that tuples
//! are cheap to sort and compare; the [`Interner`] maps them back.

use rustc_hash::FxHashMap;
use std::fmt;
use std::sync::Arc;

/// A calendar date, stored as days since 1970-01-01 so that dates order chronologically.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub i32);

impl Date {
    /// A valid Gregorian date, or `None` (e.g. 2021-02-30).
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date(days_from_civil(year, month, day)))
    }

    /// Parse `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.splitn(3, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        Date::from_ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// Year, month and day.
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.0)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

// Howard Hinnant's days-from-civil algorithm (public domain arithmetic).
fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = (y - era * 400) as u32;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe as i32 - 719468
}

fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = (z - era * 146097) as u32;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe as i32 + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A constant. Values of different kinds never compare equal; for sorting, integers come
/// before dates, dates before text.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Value {
    /// An integer.
    Int(i64),
    /// A date.
    Date(Date),
    /// Text: a symbol (`d1`) or a string (`"Gemeente A"`), which are the same value when
    /// they spell the same.
    Text(Arc<str>),
}

/// The kind of a value, for type checks and messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// Integers.
    Int,
    /// Dates.
    Date,
    /// Symbols and strings.
    Text,
}

impl Kind {
    /// In words: `a number`, `a date`, `text`.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Int => "a number",
            Kind::Date => "a date",
            Kind::Text => "a name or text",
        }
    }
}

impl Value {
    /// A text value.
    pub fn text(s: &str) -> Value {
        Value::Text(Arc::from(s))
    }

    /// Its kind.
    pub fn kind(&self) -> Kind {
        match self {
            Value::Int(_) => Kind::Int,
            Value::Date(_) => Kind::Date,
            Value::Text(_) => Kind::Text,
        }
    }

    /// True when the text can be written without quotes: `[a-z][A-Za-z0-9_]*`.
    pub fn is_symbol_text(s: &str) -> bool {
        let mut chars = s.chars();
        matches!(chars.next(), Some('a'..='z'))
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !matches!(
                s,
                "not" | "default" | "defeater" | "expect" | "pred" | "repeal"
            )
    }
}

/// Writes the value the way the rule language reads it back: symbols bare, other text quoted
/// with escapes, integers and dates as literals.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Int(i) => write!(f, "{i}"),
            Value::Date(d) => write!(f, "{d}"),
            Value::Text(s) if Value::is_symbol_text(s) => f.write_str(s),
            Value::Text(s) => {
                f.write_str("\"")?;
                for c in s.chars() {
                    match c {
                        '"' => f.write_str("\\\"")?,
                        '\\' => f.write_str("\\\\")?,
                        '\n' => f.write_str("\\n")?,
                        '\t' => f.write_str("\\t")?,
                        c => write!(f, "{c}")?,
                    }
                }
                f.write_str("\"")
            }
        }
    }
}

/// A value interned in an [`Interner`]: equal ids mean equal values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ValueId(pub u32);

/// Maps values to small ids and back. Ids say nothing about the order of the values; use
/// [`Interner::get`] to compare.
///
/// An interner may stand on a frozen one ([`Interner::freeze`]): the values of a law prepared
/// once are stored once, shared by every case evaluated on it, and each case's interner
/// holds only the values the case adds (numbered after the shared ones).
#[derive(Clone, Debug, Default)]
pub struct Interner {
    /// The shared values below this interner's own (ids `0..base.len()`).
    base: Option<Arc<Interner>>,
    /// This interner's own values, numbered from `base.len()`.
    values: Vec<Value>,
    ids: FxHashMap<Value, ValueId>,
}

impl Interner {
    /// No values yet.
    pub fn new() -> Interner {
        Interner::default()
    }

    /// An interner whose values so far are frozen and shared (cheap to clone): each clone
    /// adds its own values on top.
    pub fn freeze(self) -> Interner {
        if self.values.is_empty() {
            return self;
        }
        Interner {
            base: Some(Arc::new(self)),
            ..Interner::default()
        }
    }

    fn base_len(&self) -> usize {
        self.base.as_ref().map_or(0, |b| b.len())
    }

    /// The id of a value, interned if new.
    pub fn intern(&mut self, value: Value) -> ValueId {
        if let Some(id) = self.base.as_ref().and_then(|b| b.lookup(&value)) {
            return id;
        }
        let next = self.len();
        // One hash per value, found or new.
        match self.ids.entry(value) {
            std::collections::hash_map::Entry::Occupied(found) => *found.get(),
            std::collections::hash_map::Entry::Vacant(slot) => {
                let id = ValueId(next as u32);
                self.values.push(slot.key().clone());
                slot.insert(id);
                id
            }
        }
    }

    /// The id of a value, if it was interned.
    pub fn lookup(&self, value: &Value) -> Option<ValueId> {
        self.base
            .as_ref()
            .and_then(|b| b.lookup(value))
            .or_else(|| self.ids.get(value).copied())
    }

    /// The value of an id.
    pub fn get(&self, id: ValueId) -> &Value {
        let i = id.0 as usize;
        match &self.base {
            Some(base) if i < base.len() => base.get(id),
            _ => &self.values[i - self.base_len()],
        }
    }

    /// How many values.
    pub fn len(&self) -> usize {
        self.base_len() + self.values.len()
    }

    /// No values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_order_chronologically() {
        let a = Date::parse("2018-05-25").unwrap();
        let b = Date::parse("2025-03-01").unwrap();
        assert!(a < b);
        assert_eq!(a.to_string(), "2018-05-25");
        assert_eq!(Date::parse("2024-02-29").unwrap().to_string(), "2024-02-29");
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("2021-13-01").is_none());
        assert_eq!(Date::parse("1970-01-01"), Some(Date(0)));
    }

    #[test]
    fn symbols_and_quoted_text_are_one_value_and_print_back() {
        assert_eq!(Value::text("mechelen").to_string(), "mechelen");
        assert_eq!(
            Value::text("Gemeente Mechelen").to_string(),
            "\"Gemeente Mechelen\""
        );
        assert_eq!(Value::text("1").to_string(), "\"1\"");
        assert_eq!(Value::text("a\"b").to_string(), "\"a\\\"b\"");
        let mut i = Interner::new();
        assert_eq!(i.intern(Value::text("x")), i.intern(Value::text("x")));
        assert_ne!(i.intern(Value::Int(1)), i.intern(Value::text("1")));
    }

    #[test]
    fn an_interner_on_a_frozen_one_shares_its_values_and_numbers_on() {
        let mut base = Interner::new();
        let a = base.intern(Value::text("a"));
        let base = base.freeze();
        let (mut one, mut two) = (base.clone(), base.clone());
        assert_eq!(one.intern(Value::text("a")), a);
        let b = one.intern(Value::text("b"));
        assert_eq!(b, ValueId(1));
        assert_eq!(two.intern(Value::Int(7)), ValueId(1));
        assert_eq!(one.get(b), &Value::text("b"));
        assert_eq!(two.get(ValueId(1)), &Value::Int(7));
        assert_eq!(one.lookup(&Value::text("a")), Some(a));
        assert_eq!(two.lookup(&Value::text("b")), None);
        assert_eq!((one.len(), base.len()), (2, 1));
    }
}
