//! The grammar, construct by construct, and the parser's error positions and wording.

use grondslag::diagnostic::{Code, Diagnostic};
use grondslag::source::SourceMap;
use grondslag::syntax::ast::*;
use grondslag::syntax::{parse, parse_query, parse_statement, StatementParse};
use grondslag::value::{Date, Value};

fn parse_text(text: &str) -> (Module, Vec<Diagnostic>, SourceMap) {
    let mut sources = SourceMap::new();
    let file = sources.add("t.law", text);
    let (module, diagnostics) = parse(&sources, file);
    (module, diagnostics, sources)
}

fn parse_ok(text: &str) -> Module {
    let (module, diagnostics, sources) = parse_text(text);
    assert!(
        diagnostics.is_empty(),
        "unexpected diagnostics for {text:?}:\n{}",
        grondslag::diagnostic::render_all(&diagnostics, &sources)
    );
    module
}

fn only_rule(text: &str) -> Rule {
    match parse_ok(text).items.as_slice() {
        [Item::Rule(r)] => r.clone(),
        other => panic!("expected one rule, got {other:?}"),
    }
}

/// The first error: (line, column, message).
fn first_error(text: &str) -> (usize, usize, String) {
    let (_, diagnostics, sources) = parse_text(text);
    let d = diagnostics
        .first()
        .unwrap_or_else(|| panic!("no error for {text:?}"));
    let span = d.primary.as_ref().expect("a place").span;
    let (line, col) = sources.get(span.file).line_col(span.start as usize);
    (line, col, d.message.clone())
}

fn text(s: &str) -> Value {
    Value::text(s)
}

fn consts(atom: &Atom) -> Vec<Value> {
    atom.args
        .iter()
        .map(|t| match t {
            Term::Const(v, _) => v.clone(),
            other => panic!("not a constant: {other:?}"),
        })
        .collect()
}

#[test]
fn facts_hold_symbols_strings_integers_and_dates() {
    let r = only_rule("p(mechelen, \"Gemeente Mechelen\", -3, 2018-05-25, \"1\", \"a\\\"b\").");
    assert!(r.is_fact());
    assert_eq!(
        consts(&r.head.atom),
        vec![
            text("mechelen"),
            text("Gemeente Mechelen"),
            Value::Int(-3),
            Value::Date(Date::parse("2018-05-25").unwrap()),
            text("1"),
            text("a\"b"),
        ]
    );
    // A symbol is a string that needs no quotes.
    assert_eq!(
        consts(&only_rule("p(\"mechelen\").").head.atom),
        vec![text("mechelen")]
    );
}

#[test]
fn zero_arity_atoms() {
    assert_eq!(only_rule("ok.").head.atom.args.len(), 0);
    assert_eq!(only_rule("ok().").head.atom.args.len(), 0);
    assert_eq!(only_rule("Ok() :- Ok().").head.atom.pred.name, "Ok");
}

#[test]
fn rules_with_labels_kinds_and_bodies() {
    let r = only_rule("r1: default lawful(D) :- disclosure(D), not secret(D), X < 3, ~bad(D).");
    assert_eq!(r.label.as_ref().unwrap().name, "r1");
    assert_eq!(r.kind, RuleKind::Defeasible);
    assert_eq!(r.body.len(), 4);
    assert!(matches!(&r.body[1], BodyItem::Not(l, _) if l.atom.pred.name == "secret"));
    assert!(matches!(&r.body[2], BodyItem::Compare(_, CmpOp::Lt, _, _)));
    assert!(matches!(&r.body[3], BodyItem::Literal(l) if l.negated));
    let d = only_rule("d: defeater ~lawful(D) :- secret(D).");
    assert_eq!(d.kind, RuleKind::Defeater);
    assert!(d.head.negated);
    let p = only_rule("default presumed(x).");
    assert_eq!(p.kind, RuleKind::Defeasible);
    assert!(p.body.is_empty());
}

#[test]
fn arithmetic_has_precedence_and_parentheses() {
    let r = only_rule("a(X, Y, X + Y * 2, (X + Y) mod 3) :- r(X, Y).");
    match &r.head.atom.args[2] {
        Term::Arith(_, ArithOp::Add, right, _) => {
            assert!(matches!(**right, Term::Arith(_, ArithOp::Mul, _, _)))
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        &r.head.atom.args[3],
        Term::Arith(_, ArithOp::Mod, _, _)
    ));
    let r = only_rule("n(X - 1) :- n(X), X > 0.");
    assert!(matches!(
        &r.head.atom.args[0],
        Term::Arith(_, ArithOp::Sub, _, _)
    ));
}

#[test]
fn parenthesised_comparisons_and_upper_case_predicates() {
    let r = only_rule("Fib(N, X + Y) :- Fib(N - 1, X), Fib(N - 2, Y), (N <= 25).");
    assert_eq!(r.body.len(), 3);
    assert!(matches!(&r.body[2], BodyItem::Compare(_, CmpOp::Le, _, _)));
}

#[test]
fn aggregates() {
    let r = only_rule("n(C) :- C = count { X, Y : p(X, Y), not q(Y) }.");
    match &r.body[0] {
        BodyItem::Aggregate(a) => {
            assert_eq!(a.op, AggOp::Count);
            assert_eq!(a.targets.len(), 2);
            assert_eq!(a.body.len(), 2);
            assert_eq!(a.result.name, "C");
        }
        other => panic!("{other:?}"),
    }
    let r = only_rule("t(S) :- S = sum { A : amount(_, A) }.");
    assert!(matches!(&r.body[0], BodyItem::Aggregate(a) if a.op == AggOp::Sum));
}

#[test]
fn superiority_queries_expects_preds_repeal() {
    let m = parse_ok(
        "@principle(lex_specialis)\nr2 > r1.\n?- lawful(D).\nexpect lawful(d1).\nexpect ~lawful(d2).\n\
         expect not lawful(d3).\nexpect undecided lawful(d4).\nexpect lawful(d1) via avg_6_1_e.\n\
         pred lawful(D) \"verstrekking {D} is rechtmatig\" en \"disclosure {D} is lawful\".\n\
         repeal old_rule.\n",
    );
    let items = &m.items;
    assert!(matches!(&items[0], Item::Superiority(s)
        if s.stronger.name == "r2" && s.attrs.principle.map(|p| p.0) == Some(Principle::LexSpecialis)));
    assert!(matches!(&items[1], Item::Query(q) if q.body.len() == 1));
    let kinds: Vec<(ExpectKind, bool)> = items[2..7]
        .iter()
        .map(|i| match i {
            Item::Expect(e) => (e.kind, e.literal.negated),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            (ExpectKind::Holds, false),
            (ExpectKind::Holds, true),
            (ExpectKind::NotProvable, false),
            (ExpectKind::Undecided, false),
            (ExpectKind::Holds, false),
        ]
    );
    assert!(matches!(&items[6], Item::Expect(e) if e.via.as_ref().unwrap().name == "avg_6_1_e"));
    match &items[7] {
        Item::Pred(p) => {
            assert_eq!(p.params.len(), 1);
            assert_eq!(p.templates[0].0, Lang::Nl);
            assert_eq!(p.templates[1].1, "disclosure {D} is lawful");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(&items[8], Item::Repeal(r) if r.label.name == "old_rule"));
}

#[test]
fn types_and_typed_arguments() {
    let m = parse_ok(
        "type organisation.\n@note(\"the purposes\")\ntype purpose = care\n  | youth_care.\n\
         type purpose += research.\npred purpose(D, P: purpose) \"{D} dient {P}\".\ntype(1).",
    );
    let items = &m.items;
    assert!(
        matches!(&items[0], Item::Type(t) if t.name.name == "organisation" && t.values == TypeValues::Entity)
    );
    match &items[1] {
        Item::Type(t) => {
            let TypeValues::Enumeration(values) = &t.values else {
                panic!("{t:?}")
            };
            let names: Vec<&str> = values.iter().map(|v| v.name.as_str()).collect();
            assert_eq!(names, ["care", "youth_care"]);
            assert_eq!(t.attrs.notes.len(), 1);
        }
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(&items[2], Item::Type(t) if matches!(&t.values, TypeValues::Extension(v) if v[0].name == "research"))
    );
    match &items[3] {
        Item::Pred(p) => {
            assert_eq!(p.params.len(), 2);
            assert_eq!(p.param_types[0], None);
            assert_eq!(p.param_types[1].as_ref().unwrap().name, "purpose");
        }
        other => panic!("{other:?}"),
    }
    // `type(1).` is still a fact.
    assert!(matches!(&items[4], Item::Rule(r) if r.head.atom.pred.name == "type"));
    // Mistakes are syntax errors in words.
    let (_, _, message) = first_error("type purpose = care |.");
    assert!(message.contains("a value"), "{message}");
    let (_, _, message) = first_error("pred p(X: ).");
    assert!(message.contains("a type name"), "{message}");
}

#[test]
fn headers_and_attributes() {
    let m = parse_ok("case samen \"Project SAMEN\" date 2020-03-01.\np(a).");
    let h = m.header.unwrap();
    assert_eq!(h.kind, ModuleKind::Case);
    assert_eq!(h.title.as_deref(), Some("Project SAMEN"));
    assert_eq!(h.date.unwrap().0, Date::parse("2020-03-01").unwrap());
    let m = parse_ok("bill wgs \"Wet\" effective 2027-01-01.");
    assert_eq!(m.kind(), ModuleKind::Bill);
    let r = only_rule(
        "@source(\"AVG art. 6 lid 1 sub e\")\n@valid(from: 2018-05-25)\n@note(\"a\")\n@note(\"b\")\nr: p(X) :- q(X).",
    );
    assert_eq!(r.attrs.source.as_ref().unwrap().0, "AVG art. 6 lid 1 sub e");
    let valid = r.attrs.valid.unwrap();
    assert_eq!(valid.from, Date::parse("2018-05-25"));
    assert_eq!(valid.until, None);
    assert_eq!(r.attrs.notes.len(), 2);
}

#[test]
fn comments_of_both_kinds() {
    let m = parse_ok("% line comment.\np(a). /* block. comment */ q(b). % trailing");
    assert_eq!(m.items.len(), 2);
}

#[test]
fn keywords_are_still_usable_as_predicate_names() {
    parse_ok("module(x).\ncase(y).\nnotify(z).\ndefaulted(a).");
}

#[test]
fn errors_name_what_was_expected_in_words() {
    let (line, col, msg) = first_error("p(a).\nq(X) :- r(X,).");
    assert_eq!((line, col), (2, 13));
    assert_eq!(msg, "expected a variable or a constant, found `)`");

    let (line, col, msg) = first_error("p(a)\nq(b).");
    assert_eq!((line, col), (2, 1));
    assert_eq!(
        msg,
        "expected `.` at the end of the statement or `:-`, found `q`"
    );

    let (line, col, msg) = first_error("p(a).\nq(b)");
    assert_eq!((line, col), (2, 4));
    assert_eq!(msg, "this statement does not end with `.`");

    let (_, _, msg) = first_error("p(\"open.");
    assert_eq!(msg, "this string is never closed");

    let (line, col, msg) = first_error("p(2021-02-30).");
    assert_eq!((line, col), (1, 3));
    assert_eq!(msg, "`2021-02-30` is not a date in the calendar");
}

#[test]
fn every_bad_statement_is_reported() {
    let (module, diagnostics, _) = parse_text("p(.\nq(a).\nr(X) :- .\ns(b).\n@bogus(1) t(c).");
    assert_eq!(module.items.len(), 2);
    let codes: Vec<Code> = diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        vec![Code::Syntax, Code::Syntax, Code::InvalidAttribute]
    );
}

#[test]
fn queries_from_the_command_line() {
    for input in [
        "lawful(D)",
        "?- lawful(D).",
        "lawful(D), not secret(D)",
        "lawful(D)?",
    ] {
        let mut sources = SourceMap::new();
        let file = sources.add("<query>", input);
        assert!(parse_query(&sources, file).is_ok(), "{input}");
    }
    let mut sources = SourceMap::new();
    let file = sources.add("<query>", "lawful(");
    assert!(parse_query(&sources, file).is_err());
}

#[test]
fn the_repl_knows_when_a_statement_continues() {
    let state = |input: &str| {
        let mut sources = SourceMap::new();
        let file = sources.add("<repl>", input);
        parse_statement(&sources, file)
    };
    assert!(matches!(state("p(a)"), StatementParse::Incomplete));
    assert!(matches!(
        state("p(a) :-\n  q(a"),
        StatementParse::Incomplete
    ));
    assert!(matches!(state("p(\"a."), StatementParse::Incomplete));
    assert!(matches!(state("p(a). q(b)."), StatementParse::Complete(items) if items.len() == 2));
    assert!(matches!(state("p(a,)."), StatementParse::Invalid(_)));
}

/// A tiny deterministic generator, so the robustness corpus is the same on every run.
struct XorShift(u64);
impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// The robustness corpus: a few hundred malformed inputs of four sorts.
fn malformed_corpus() -> Vec<(String, String)> {
    let realistic = [
        include_str!("../../examples/secrecy.law"),
        include_str!("../../examples/graph.law"),
        include_str!("../../knowledge/eu/avg.law"),
        include_str!("../../knowledge/cases/01_mechelen_samen.law"),
    ];
    let mut corpus: Vec<(String, String)> = Vec::new();
    let mut rng = XorShift(0x9e3779b97f4a7c15);
    // 1. Truncated files: prefixes of realistic files (on character boundaries).
    for (f, text) in realistic.iter().enumerate() {
        let step = (text.len() / 60).max(7);
        for (i, _) in text.char_indices().step_by(step) {
            corpus.push((format!("file {f} cut at {i}"), text[..i].to_string()));
        }
    }
    // 2. Mutated files: a few bytes deleted, duplicated or replaced by a language token. Most
    //    still parse, so these reach the checks and the evaluator.
    let tokens = [
        "p",
        "(",
        ")",
        "X",
        ",",
        ".",
        ":-",
        "not",
        "~",
        "\"",
        "/*",
        "%",
        "=",
        "count",
        "{",
        "}",
        ":",
        "@source",
        "default",
        "defeater",
        "2021-13-45",
        "-",
        "99999999999999999999",
        ">",
        "?-",
        "expect",
        "\n",
        " ",
        "_",
        "+",
        "*",
        "/",
        "mod",
        "0",
        "Y",
        "r1 > r1.",
        "sum",
        "min",
        "max",
        "via",
        "@valid(from: 2030-01-01)",
        "pred",
        "repeal",
    ];
    for n in 0..240 {
        let text = realistic[n % realistic.len()];
        let mut bytes = text.as_bytes().to_vec();
        for _ in 0..1 + rng.next() % 3 {
            let at = (rng.next() % bytes.len() as u64) as usize;
            let len = (1 + rng.next() % 6) as usize;
            let end = (at + len).min(bytes.len());
            match rng.next() % 3 {
                0 => {
                    bytes.drain(at..end);
                }
                1 => {
                    let piece = bytes[at..end].to_vec();
                    bytes.splice(at..at, piece);
                }
                _ => {
                    let token = tokens[(rng.next() % tokens.len() as u64) as usize];
                    bytes.splice(at..end, token.bytes());
                }
            }
        }
        let mutated = String::from_utf8_lossy(&bytes).into_owned();
        corpus.push((
            format!("mutation {n} of file {}", n % realistic.len()),
            mutated,
        ));
    }
    // 3. Random bytes, and random splices of language tokens.
    for n in 0..120 {
        let len = (rng.next() % 60) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| (rng.next() % 256) as u8).collect();
        corpus.push((
            format!("random bytes {n}"),
            String::from_utf8_lossy(&bytes).into_owned(),
        ));
        let spliced: String = (0..len)
            .map(|_| tokens[(rng.next() % tokens.len() as u64) as usize])
            .collect();
        corpus.push((format!("random tokens {n}"), spliced));
    }
    // 4. Deep nesting and very long constructs.
    let deep = [
        format!("p({}a{}).", "(".repeat(10_000), ")".repeat(10_000)),
        format!("p(X) :- q(X), X = {}1.", "-".repeat(10_000)),
        format!("p(X) :- q(X), X = {}1.", "1 + ".repeat(20_000)),
        format!(
            "p(X) :- q(X), X = {}1{}.",
            "(1 + ".repeat(5_000),
            ")".repeat(5_000)
        ),
        format!("q(1). p(X + {}) :- q(X).", "1 + ".repeat(5_000) + "1"),
        format!("p(X) :- q(X), {}r(X).", "not ".repeat(5_000)),
        format!(
            "p(N) :- N = count {{ X : {} }}.",
            "q(X), ".repeat(1_000) + "q(X)"
        ),
        format!("p(N) :- {}.", "N = count { X : ".repeat(2_000)),
        format!("{}p(a).", "~".repeat(10_000)),
        format!("/* {} */ p(a).", "/* ".repeat(10_000)),
        format!("p(\"{}\").", "\\".repeat(50_000)),
        format!("p({}).", "a, ".repeat(50_000) + "a"),
        format!("p(a) :- {}.", "q(a), ".repeat(2_000) + "q(a)"),
        "p(a) :- q(a".repeat(5_000),
        format!("{}q(1).", "@source(\"x\") ".repeat(5_000)),
    ];
    for (n, text) in deep.into_iter().enumerate() {
        corpus.push((format!("deep nesting {n}"), text));
    }
    corpus
}

/// Load, check, and (when there are no errors) evaluate through the driver, as `grondslag
/// run` does: the diagnostics, and whether evaluation was reached.
fn whole_pipeline(text: &str) -> (Vec<Diagnostic>, SourceMap, bool) {
    use grondslag::driver::{self, Bills, Case, Limits, Options};
    let mut ws = grondslag::load::Workspace::new();
    ws.load_text("t.law", text);
    let options = Options {
        limits: Limits {
            max_facts: Some(20_000),
            timeout: Some(std::time::Duration::from_secs(5)),
            ..Default::default()
        },
        ..Default::default()
    };
    let checked = driver::check(&ws, None);
    let mut diagnostics = checked.diagnostics().to_vec();
    let reached = match checked.law(None, Bills::Apply, &options) {
        Err(_) => false,
        Ok(law) => {
            if let Err(found) = law.evaluate(Case::All) {
                diagnostics.extend(found);
            }
            true
        }
    };
    (diagnostics, ws.sources.clone(), reached)
}

#[test]
fn malformed_input_gives_diagnostics_never_a_panic() {
    let corpus = malformed_corpus();
    assert!(corpus.len() > 500, "{} inputs", corpus.len());
    let (mut with_errors, mut evaluated) = (0, 0);
    for (what, input) in &corpus {
        let outcome = std::panic::catch_unwind(|| whole_pipeline(input));
        let Ok((diagnostics, sources, reached)) = outcome else {
            panic!("{what} panics; the input:\n{input}");
        };
        for d in &diagnostics {
            let rendered = d.render(&sources);
            assert!(rendered.contains(d.code.as_str()), "{what}: {rendered}");
            if let Some(label) = &d.primary {
                assert!(
                    label.span.end as usize <= input.len() && label.span.start <= label.span.end,
                    "{what}: span out of range in {rendered}"
                );
            } else {
                assert!(
                    d.code == Code::ResourceLimit,
                    "{what}: a diagnostic without a place: {rendered}"
                );
            }
        }
        with_errors += diagnostics.iter().any(Diagnostic::is_error) as usize;
        evaluated += reached as usize;
    }
    // The corpus exercises all three stages: most inputs are rejected, and a good share of
    // the mutated files still parse and check, and so are evaluated.
    assert!(
        with_errors > corpus.len() / 2,
        "{with_errors} of {} rejected",
        corpus.len()
    );
    assert!(
        evaluated > 50,
        "only {evaluated} of {} evaluated",
        corpus.len()
    );
}

#[test]
fn calculations_too_deep_for_the_later_stages_are_refused_at_their_place() {
    let long = format!("p(X) :- q(X), X = {}1.", "1 + ".repeat(300));
    let (line, col, message) = first_error(&long);
    assert_eq!((line, col), (1, 19));
    assert_eq!(message, "this calculation has more than 256 steps");
    // Within the bound, a long calculation is fine.
    parse_ok(&format!("p(X) :- q(X), X = {}1.", "1 + ".repeat(200)));
}

#[test]
fn attributes_stand_only_where_they_mean_something() {
    let code_and_message = |text: &str| {
        let (_, diagnostics, _) = parse_text(text);
        let d = diagnostics
            .first()
            .unwrap_or_else(|| panic!("no error for {text:?}"));
        (d.code, d.message.clone())
    };
    assert_eq!(
        code_and_message("@principle(lex_specialis)\nr1: p(a)."),
        (
            Code::InvalidAttribute,
            "`@principle` has no meaning on a rule".into()
        )
    );
    assert_eq!(
        code_and_message("@input(\"e.tsv\") r2 > r1."),
        (
            Code::InvalidAttribute,
            "`@input` has no meaning on a superiority pair".into()
        )
    );
    assert_eq!(
        code_and_message("@valid(from: 2020-01-01, until: 2019-12-31) p(a)."),
        (
            Code::InvalidAttribute,
            "this period ends before it begins".into()
        )
    );
    assert_eq!(
        code_and_message("@note(\"x\") module m."),
        (
            Code::InvalidAttribute,
            "a header takes no attributes".into()
        )
    );
    parse_ok("@principle(lex_specialis) r2 > r1.\n@input(\"e.tsv\") pred e(A, B).\n@valid(from: 2020-01-01, until: 2020-01-01) p(a).");
}

/// Every example of the language reference parses (the rendered diagnostics aside).
#[test]
fn the_examples_of_the_language_reference_parse() {
    let reference = include_str!("../../docs/language.md");
    let mut examples = 0;
    for (i, block) in reference.split("```").enumerate() {
        // Odd pieces are inside a fence; skip the rendered diagnostics.
        if i % 2 == 0 || block.trim_start().starts_with("error[") {
            continue;
        }
        let (_, diagnostics, sources) = parse_text(block);
        assert!(
            diagnostics.is_empty(),
            "an example of docs/language.md does not parse:\n{block}\n{}",
            grondslag::diagnostic::render_all(&diagnostics, &sources)
        );
        examples += 1;
    }
    assert!(examples >= 10, "{examples} examples");
}
