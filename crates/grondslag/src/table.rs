//! Text tables for the terminal: the answers of a query, the REPL's listings.

use crate::escape;

/// Rows as left-aligned columns two spaces apart, one line each. A cell is shown on one
/// line with its control characters visible ([`escape::text_line`]); a cell of any width
/// pads its column (there is no width a format string would refuse).
pub fn aligned<R: AsRef<[String]>>(rows: &[R]) -> String {
    let shown: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            r.as_ref()
                .iter()
                .map(|cell| escape::text_line(cell).into_owned())
                .collect()
        })
        .collect();
    let columns = shown.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; columns];
    for row in &shown {
        for (c, cell) in row.iter().enumerate() {
            widths[c] = widths[c].max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in &shown {
        let start = out.len();
        for (c, cell) in row.iter().enumerate() {
            if c > 0 {
                out.push_str("  ");
            }
            out.push_str(cell);
            let pad = widths[c] - cell.chars().count();
            out.extend(std::iter::repeat_n(' ', pad));
        }
        let end = out[start..].trim_end_matches(' ').len();
        out.truncate(start + end);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn columns_align_on_the_widest_cell() {
        let table = aligned(&[row(&["X", "status"]), row(&["d1", "definitely"])]);
        assert_eq!(table, "X   status\nd1  definitely\n");
    }

    #[test]
    fn a_cell_wider_than_any_format_width_is_printed_whole() {
        // `format!("{cell:w$}")` panics from a width of 65,536 on.
        let wide = "a".repeat(70_000);
        let table = aligned(&[row(&["X", "status"]), row(&[&wide, "definitely"])]);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines[0].len(), 70_000 + 2 + "status".len());
        assert!(lines[1].starts_with(&wide) && lines[1].ends_with("  definitely"));
    }

    #[test]
    fn cells_show_control_characters_and_stay_on_their_line() {
        let table = aligned(&[row(&["a\u{1b}[2Jb\nc\u{202e}", "x"])]);
        assert_eq!(table, "a\\u{1b}[2Jb\\nc\\u{202e}  x\n");
    }
}
