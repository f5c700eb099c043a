//! What a line of input is: a meta-command, statements, a `goal?` query, or the start of a
//! statement that continues on the next line. The line editor's validator and the session
//! loop ask the same question here, so they never disagree.

use grondslag::syntax::{split, Unfinished};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    /// Only whitespace and comments.
    Empty,
    /// `:name args` — complete at the end of its line.
    Command,
    /// `goal?`: a query in the short form; the text before the `?` is the goal.
    ShortQuery,
    /// One or more statements, each ending in `.` (facts, rules, `?- goal.`, `expect`, ...).
    Statements,
    /// A statement without its final `.`, or with an open string or comment.
    Incomplete,
}

pub fn classify(text: &str) -> Input {
    let trimmed = text.trim_start();
    if trimmed.starts_with(':') {
        return Input::Command;
    }
    let (chunks, rest) = split(text);
    match rest {
        None if chunks.is_empty() => Input::Empty,
        None => Input::Statements,
        Some(Unfinished::NoFinalDot(start)) => {
            // `lawful(D)?` — only when the `?` ends the input, outside strings and comments
            // (`split` has seen those close); statements may come before it.
            if text[start..].trim_end().ends_with('?') {
                Input::ShortQuery
            } else {
                Input::Incomplete
            }
        }
        Some(Unfinished::OpenString(_) | Unfinished::OpenComment(_)) => Input::Incomplete,
    }
}

/// Where the goal of a `goal?` input lies: after the complete statements that may precede
/// it, up to (not including) the final `?`.
pub fn short_query_goal(text: &str) -> std::ops::Range<usize> {
    let start = match split(text).1 {
        Some(Unfinished::NoFinalDot(start)) => start,
        _ => 0,
    };
    let end = text.trim_end().len().saturating_sub(1).max(start);
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_is_classified_as_the_parser_sees_it() {
        assert_eq!(classify(""), Input::Empty);
        assert_eq!(classify("  % just a note"), Input::Empty);
        assert_eq!(classify(":why lawful(d1)"), Input::Command);
        assert_eq!(classify("  :q"), Input::Command);
        assert_eq!(classify("lawful(D)?"), Input::ShortQuery);
        assert_eq!(classify("lawful(D) ?  "), Input::ShortQuery);
        assert_eq!(classify("p(a)."), Input::Statements);
        assert_eq!(classify("?- p(X)."), Input::Statements);
        assert_eq!(classify("p(X) :-\n  q(X)"), Input::Incomplete);
        assert_eq!(classify("p(\"what?"), Input::Incomplete);
        assert_eq!(classify("/* what? */"), Input::Empty);
        assert_eq!(classify("/* open"), Input::Incomplete);
        // A `?` inside a string does not end a query.
        assert_eq!(classify("p(\"why?\")"), Input::Incomplete);
        assert_eq!(classify("p(\"why?\")?"), Input::ShortQuery);
        // Statements may come before it.
        assert_eq!(classify("p(a). q(X)?"), Input::ShortQuery);
    }

    #[test]
    fn the_goal_of_a_short_query_keeps_its_positions() {
        let goal = |t: &'static str| &t[short_query_goal(t)];
        assert_eq!(goal("lawful(D)?"), "lawful(D)");
        assert_eq!(goal("  lawful(D) ? \n"), "lawful(D) ");
        assert_eq!(goal("p(a). q(X)?"), "q(X)");
    }
}
