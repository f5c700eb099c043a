//! The inputs: small programs written from the grammar's parts, and files of the corpus
//! mutated (bytes deleted, repeated, flipped; tokens inserted; pieces of two files spliced).
//! Both reach into the corners that hurt before: runaway recursion, cross products, deep
//! nesting, hostile strings (terminal escapes, NUL, bidi, Markdown, Mermaid directives,
//! spreadsheet formulas), very long cells, impossible dates, overflowing numbers.

use crate::rng::Rng;

/// Strings a case file may hold that an output format must not obey.
const HOSTILE: &[&str] = &[
    "\"\u{1b}]52;c;cm0gLXJm\u{7}\"",
    "\"a\u{0}b\"",
    "\"\u{202e}evil\u{202c}\"",
    "\"\u{1b}[2J\u{9b}31m\"",
    "\"<img src=x onerror=alert(1)>\"",
    "\"%%{init: {\\\"theme\\\": \\\"dark\\\"}}%%\"",
    "\"```\\n# heading\"",
    "\"=HYPERLINK(\\\"http://x\\\")\"",
    "\"+1+2\"",
    "\"-2+3\"",
    "\"@SUM(A1)\"",
    "\"line\\nbreak\\ttab\"",
    "\"quote \\\" back \\\\ slash\"",
    "\"é ë — “”\"",
];

const SYMBOLS: &[&str] = &["a", "b", "c", "d1", "d2", "gemeente", "huisarts", "x_y"];
const INTEGERS: &[&str] = &["0", "1", "2", "3", "42", "-1", "9223372036854775807"];
const DATES: &[&str] = &["2018-05-25", "2024-02-29", "2030-01-01", "2020-01-01"];
const PREDICATES: &[&str] = &["p", "q", "r", "s", "lawful", "basis", "edge", "path"];

/// Tokens the mutator inserts: the grammar's punctuation and keywords, and troublemakers.
const TOKENS: &[&str] = &[
    ":-",
    ".",
    ",",
    "(",
    ")",
    "not ",
    "~",
    "default ",
    "defeater ",
    " > ",
    "X",
    "Y",
    "_",
    "\"",
    "%",
    "/*",
    "*/",
    "@source(\"x\")",
    "@valid(from: 2020-01-01)",
    "@principle(exception)",
    "pred ",
    "expect ",
    "expect not ",
    "?- ",
    "count {",
    "sum {",
    "min {",
    "}",
    ":",
    "=",
    "!=",
    "<",
    "+",
    "*",
    "/",
    " mod ",
    "0",
    "-1",
    "9223372036854775807",
    "2021-02-30",
    "via ",
    "case c \"t\" date 2024-01-01.\n",
    "bill b \"t\" effective 2030-01-01.\n",
    "repeal r1.",
    "\n",
    "\\",
    "\u{1b}",
    "\u{0}",
    "\u{202e}",
    "é",
    "((((((((((",
    "))))))))))",
    "r1: ",
    "en ",
];

/// The kind of value a column holds: the generator keeps to it (mostly), so that most
/// programs pass the type check and get evaluated.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Symbol,
    Int,
    Text,
    Date,
}

/// The variables of each kind: a variable always stands in columns of its own kind.
fn variables(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Symbol => &["A", "B", "C"],
        Kind::Int => &["I", "J"],
        Kind::Text => &["S"],
        Kind::Date => &["T"],
    }
}

fn kind_of(var: &str) -> Kind {
    match var {
        "I" | "J" | "K" => Kind::Int,
        "S" => Kind::Text,
        "T" => Kind::Date,
        _ => Kind::Symbol,
    }
}

struct Pred {
    name: &'static str,
    columns: Vec<Kind>,
}

/// A program written from the grammar's parts: declarations, facts, labelled rules of the
/// three kinds, superiority, queries, expectations, a case header. Predicates are ordered:
/// `not` and aggregates read only earlier ones, so most programs are stratified; one rule in
/// eight is written without these cares.
pub fn program(rng: &mut Rng) -> String {
    let mut out = String::new();
    if rng.one_in(4) {
        out.push_str(&format!(
            "case c {} date {}.\n",
            text_constant(rng),
            rng.pick(DATES)
        ));
    }
    let preds: Vec<Pred> = (0..1 + rng.below(4))
        .map(|i| Pred {
            name: PREDICATES[i],
            columns: (0..rng.below(4))
                .map(|_| {
                    *rng.pick(&[
                        Kind::Symbol,
                        Kind::Symbol,
                        Kind::Int,
                        Kind::Text,
                        Kind::Date,
                    ])
                })
                .collect(),
        })
        .collect();
    for pred in &preds {
        if rng.one_in(3) {
            let vars: Vec<String> = (0..pred.columns.len()).map(|i| format!("V{i}")).collect();
            let holes: Vec<String> = vars.iter().map(|v| format!("{{{v}}}")).collect();
            out.push_str(&format!(
                "pred {}({}) \"{} {}\" en \"{} {}\".\n",
                pred.name,
                vars.join(", "),
                holes.join(" "),
                pred.name,
                pred.name,
                holes.join(", ")
            ));
        }
    }
    for _ in 0..rng.below(12) {
        let pred = rng.pick(&preds);
        let args: Vec<String> = pred.columns.iter().map(|k| constant(rng, *k)).collect();
        out.push_str(&format!("{}.\n", literal_text(pred.name, &args)));
    }
    let rules = 1 + rng.below(6);
    for n in 0..rules {
        if rng.one_in(4) {
            out.push_str("@source(\"Art. 1 <b>\")\n");
        }
        if rng.one_in(8) {
            out.push_str(&format!("@valid(from: {})\n", rng.pick(DATES)));
        }
        let kind = *rng.pick(&["", "", "default ", "default ", "defeater "]);
        let negated = if rng.one_in(3) { "~" } else { "" };
        let head = rng.below(preds.len());
        out.push_str(&format!(
            "r{n}: {kind}{negated}{}.\n",
            rule(rng, &preds, head)
        ));
    }
    if rules > 1 && rng.one_in(2) {
        // Later rules over earlier ones; one pair in ten anywhere (a cycle, a self-pair).
        let (a, b) = (rng.below(rules), rng.below(rules));
        let (a, b) = if rng.one_in(10) {
            (a, b)
        } else {
            (a.max(b), a.min(b))
        };
        if a != b || rng.one_in(10) {
            out.push_str(&format!("r{a} > r{b}.\n"));
        }
    }
    for _ in 0..rng.below(3) {
        let pred = rng.pick(&preds);
        let args: Vec<String> = pred
            .columns
            .iter()
            .map(|k| {
                if rng.one_in(3) {
                    constant(rng, *k)
                } else {
                    rng.pick(variables(*k)).to_string()
                }
            })
            .collect();
        out.push_str(&format!("?- {}.\n", literal_text(pred.name, &args)));
    }
    if rng.one_in(3) {
        let pred = rng.pick(&preds);
        let args: Vec<String> = pred.columns.iter().map(|k| constant(rng, *k)).collect();
        let kind = *rng.pick(&["", "not ", "undecided "]);
        out.push_str(&format!(
            "expect {kind}{}.\n",
            literal_text(pred.name, &args)
        ));
    }
    out
}

fn literal_text(name: &str, args: &[String]) -> String {
    if args.is_empty() {
        name.to_string()
    } else {
        format!("{name}({})", args.join(", "))
    }
}

/// `head :- body` for the predicate `preds[head]`: positive conditions on it and the
/// predicates before it (recursion, cross products), then `not`, comparisons, arithmetic and
/// aggregates over what they bound and over earlier predicates; the head's variables are
/// bound by the body, or arithmetic over them (which may derive without end).
fn rule(rng: &mut Rng, preds: &[Pred], head: usize) -> String {
    let free = rng.one_in(8);
    let reach = if free { preds.len() } else { head + 1 };
    let lower = if free { preds.len() } else { head };
    let mut bound: Vec<&'static str> = Vec::new();
    let mut body = Vec::new();
    for _ in 0..1 + rng.below(3) {
        let pred = &preds[rng.below(reach)];
        let args: Vec<String> = pred
            .columns
            .iter()
            .map(|k| {
                if rng.one_in(4) {
                    constant(rng, *k)
                } else {
                    let v = *rng.pick(variables(*k));
                    bound.push(v);
                    v.to_string()
                }
            })
            .collect();
        let negated = if rng.one_in(5) { "~" } else { "" };
        body.push(format!("{negated}{}", literal_text(pred.name, &args)));
    }
    let of_kind = |bound: &[&'static str], kind: Kind| -> Vec<&'static str> {
        bound
            .iter()
            .copied()
            .filter(|v| kind_of(v) == kind)
            .collect()
    };
    for _ in 0..rng.below(3) {
        let kind = *rng.pick(&[Kind::Symbol, Kind::Int, Kind::Date]);
        let vars = of_kind(&bound, kind);
        let item = match (rng.below(5), vars.first()) {
            (0, _) if lower > 0 => {
                let pred = &preds[rng.below(lower)];
                let args: Vec<String> = pred
                    .columns
                    .iter()
                    .map(|k| match of_kind(&bound, *k).first() {
                        Some(v) if !rng.one_in(3) => v.to_string(),
                        _ => "_".to_string(),
                    })
                    .collect();
                format!("not {}", literal_text(pred.name, &args))
            }
            (1, Some(v)) => format!("{v} < {}", constant(rng, kind)),
            (2, Some(v)) => format!("{v} != {}", rng.pick(&vars)),
            (3, Some(v)) if kind == Kind::Int && !bound.contains(&"K") => {
                bound.push("K");
                format!("K = {v} + 1")
            }
            (4, _) if lower > 0 && !bound.contains(&"K") => {
                let pred = &preds[rng.below(lower)];
                let Some(first) = pred.columns.first() else {
                    continue;
                };
                let op = if *first == Kind::Int {
                    *rng.pick(&["count", "sum", "min", "max"])
                } else {
                    "count"
                };
                let inner: Vec<String> = std::iter::once("W".to_string())
                    .chain(pred.columns[1..].iter().map(|_| "_".to_string()))
                    .collect();
                bound.push("K");
                format!("K = {op} {{ W : {} }}", literal_text(pred.name, &inner))
            }
            _ => continue,
        };
        body.push(item);
    }
    let pred = &preds[head];
    let head_args: Vec<String> = pred
        .columns
        .iter()
        .map(|k| {
            let vars = of_kind(&bound, *k);
            if free && rng.one_in(4) {
                return "X".to_string(); // bound by nothing: unsafe_variable
            }
            if vars.is_empty() || rng.one_in(8) {
                return constant(rng, *k);
            }
            match rng.below(8) {
                0 if *k == Kind::Int => format!("{} + 1", rng.pick(&vars)),
                1 if *k == Kind::Int => format!("{} * 2", rng.pick(&vars)),
                _ => rng.pick(&vars).to_string(),
            }
        })
        .collect();
    format!(
        "{} :- {}",
        literal_text(pred.name, &head_args),
        body.join(", ")
    )
}

/// A constant of the kind (one in twenty of another kind, which the type check may catch).
fn constant(rng: &mut Rng, kind: Kind) -> String {
    let kind = if rng.one_in(20) {
        *rng.pick(&[Kind::Symbol, Kind::Int, Kind::Text, Kind::Date])
    } else {
        kind
    };
    match kind {
        Kind::Symbol => rng.pick(SYMBOLS).to_string(),
        Kind::Int => rng.pick(INTEGERS).to_string(),
        Kind::Date if rng.one_in(50) => "2021-02-30".to_string(),
        Kind::Date => rng.pick(DATES).to_string(),
        Kind::Text => text_constant(rng),
    }
}

fn text_constant(rng: &mut Rng) -> String {
    if rng.one_in(400) {
        // Wider than any width a format string accepts.
        return format!("\"{}\"", "w".repeat(65_536 + rng.below(10)));
    }
    rng.pick(HOSTILE).to_string()
}

/// A corpus file, mutated a few times.
pub fn mutate(rng: &mut Rng, corpus: &[String]) -> String {
    let mut text: Vec<u8> = rng.pick(corpus).as_bytes().to_vec();
    // Large files are cut to a window of whole lines, so that an input stays quick to
    // evaluate.
    if text.len() > 4096 && rng.one_in(2) {
        let line_start = |at: usize| {
            text[..at]
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |i| i + 1)
        };
        let start = line_start(rng.below(text.len() - 2048));
        let end = line_start(start + 2048);
        text = text[start..end.max(start)].to_vec();
    }
    let mutations = if rng.one_in(3) { 1 + rng.below(8) } else { 1 };
    for _ in 0..mutations {
        let at = rng.below(text.len() + 1);
        match rng.below(7) {
            0 if !text.is_empty() => {
                let at = at.min(text.len() - 1);
                let end = (at + 1 + rng.below(32)).min(text.len());
                text.drain(at..end);
            }
            1 if !text.is_empty() => {
                let at = at.min(text.len() - 1);
                let len = 1 + rng.below(64.min(text.len() - at));
                let piece = text[at..at + len].to_vec();
                let most = if rng.one_in(20) { 200 } else { 3 };
                let times = 1 + rng.below(most);
                for _ in 0..times {
                    text.splice(at..at, piece.iter().copied());
                }
            }
            2 if !text.is_empty() => {
                let at = at.min(text.len() - 1);
                text[at] = b' ' + rng.below(95) as u8;
            }
            3 => {
                let other = rng.pick(corpus).as_bytes();
                if !other.is_empty() {
                    let from = rng.below(other.len());
                    let len = 1 + rng.below(256.min(other.len() - from));
                    text.splice(at..at, other[from..from + len].iter().copied());
                }
            }
            4 => {
                let piece = program(rng);
                text.splice(at..at, piece.bytes());
            }
            _ => {
                let token = rng.pick(TOKENS);
                text.splice(at..at, token.bytes());
            }
        }
    }
    // Mutations work on bytes; the input is text, as a loaded file is.
    String::from_utf8_lossy(&text).into_owned()
}
