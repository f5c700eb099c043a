//! The typed vocabulary catches typos (issue: no silent wrong answers).
//!
//! The mutation test makes every one-character typo — insert, delete, substitute, swap — of
//! every predicate and every enumeration value used in the bundled cases, and requires that
//! each one that yields an undeclared name is reported by `check`. It runs in-process: the
//! knowledge base is parsed once, and the mutants of one case are checked together, each as
//! a statement of its own on a line of its own.

use std::collections::BTreeSet;
use std::io::Write;

use crate::common::{grondslag, law_file, stderr, stdout, LawFile};

use grondslag::check::check;
use grondslag::check::vocabulary::{Type, Vocabulary};
use grondslag::diagnostic::{Code, Diagnostic};
use grondslag::load::{KnowledgeBase, Workspace};
use grondslag::syntax::ast::{Item, Literal, Module, Term};
use grondslag::value::Value;

/// The characters a name is made of.
const ALPHABET: &str = "abcdefghijklmnopqrstuvwxyz0123456789_";

/// Every one-character typo of `name` that is still a lower-case name (others are syntax
/// errors or variables, which the parser and the checks of variables meet).
fn typos(name: &str) -> BTreeSet<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out = BTreeSet::new();
    let with = |v: Vec<char>| v.into_iter().collect::<String>();
    for i in 0..=chars.len() {
        for c in ALPHABET.chars() {
            let mut v = chars.clone();
            v.insert(i, c);
            out.insert(with(v));
        }
    }
    for i in 0..chars.len() {
        let mut v = chars.clone();
        v.remove(i);
        out.insert(with(v));
        for c in ALPHABET.chars() {
            let mut v = chars.clone();
            v[i] = c;
            out.insert(with(v));
        }
        if i + 1 < chars.len() {
            let mut v = chars.clone();
            v.swap(i, i + 1);
            out.insert(with(v));
        }
    }
    out.remove(name);
    out.retain(|t| {
        t.starts_with(|c: char| c.is_ascii_lowercase()) && t.chars().all(|c| ALPHABET.contains(c))
    });
    out
}

/// A name in a case statement that a typo may hit, as a byte range of the file.
struct Target {
    start: usize,
    end: usize,
    what: What,
}

/// What the name is: its typos are undeclared names unless they are declared in that role.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
enum What {
    Predicate,
    /// A value of argument `index` of `pred`, an enumeration.
    Value {
        pred: String,
        index: usize,
    },
}

impl What {
    fn declared(&self, v: &Vocabulary, name: &str) -> bool {
        match self {
            What::Predicate => v.may_state(name),
            What::Value { pred, index } => match v.argument(pred, *index).map(|t| t.ty) {
                Some(Type::Enumeration(values)) => values.contains(&name),
                _ => true,
            },
        }
    }
}

/// The predicate and the enumeration values of a literal.
fn targets(v: &Vocabulary, literal: &Literal, out: &mut Vec<Target>) {
    let pred = &literal.atom.pred;
    out.push(Target {
        start: pred.span.start as usize,
        end: pred.span.end as usize,
        what: What::Predicate,
    });
    for (index, arg) in literal.atom.args.iter().enumerate() {
        let Term::Const(Value::Text(_), span) = arg else {
            continue;
        };
        if let Some(Type::Enumeration(_)) = v.argument(&pred.name, index).map(|t| t.ty) {
            out.push(Target {
                start: span.start as usize,
                end: span.end as usize,
                what: What::Value {
                    pred: pred.name.clone(),
                    index,
                },
            });
        }
    }
}

#[derive(Default, Debug)]
struct Count {
    generated: usize,
    undeclared: usize,
    reported: usize,
}

/// The modules of the bundled knowledge base, parsed once.
fn knowledge_base() -> Workspace {
    let mut ws = Workspace::new();
    ws.load_knowledge(&KnowledgeBase::Bundled);
    assert!(ws.diagnostics.is_empty(), "{:?}", ws.diagnostics);
    ws
}

/// Check `text` as one more file over the knowledge base; the diagnostics in it, with lines.
fn check_file(ws: &mut Workspace, name: &str, text: String) -> Vec<(usize, Diagnostic)> {
    let before = ws.modules.len();
    let file = ws.load_text(name, text);
    let modules: Vec<&Module> = ws.all_modules();
    let found = check(&ws.sources, &modules);
    let mut out = ws
        .diagnostics
        .iter()
        .chain(&found)
        .filter(|d| d.primary.as_ref().is_some_and(|p| p.span.file == file))
        .map(|d| {
            let start = d.primary.as_ref().expect("placed").span.start as usize;
            (ws.sources.get(file).line_col(start).0, d.clone())
        })
        .collect::<Vec<_>>();
    out.sort_by_key(|(line, _)| *line);
    ws.modules.truncate(before);
    ws.diagnostics.clear();
    out
}

#[test]
fn every_one_character_typo_in_the_bundled_cases_is_reported() {
    let mut ws = knowledge_base();
    let cases = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/knowledge/cases"))
        .expect("cases")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "law"))
        .collect::<BTreeSet<_>>();
    assert!(cases.len() > 20);
    let mut count = Count::default();
    let mut missed = Vec::new();
    // Each name is mutated where it is first met in each role: as a predicate stated or asked,
    // as a value of one argument of one predicate.
    let mut met = BTreeSet::new();
    for path in &cases {
        let text = std::fs::read_to_string(path).expect("readable");
        let name = path.display().to_string();
        // The case as it is: none of the new checks' errors.
        let clean = check_file(&mut ws, &name, text.clone());
        assert!(
            clean.iter().all(|(_, d)| !d.is_error()),
            "{name}: {:#?}",
            clean
        );
        let file = ws.load_text(&name, text.clone());
        let statements = {
            let modules = ws.all_modules();
            let vocabulary = Vocabulary::of(&modules);
            let case = modules.last().expect("the case");
            assert_eq!(case.file, file);
            let mut statements = Vec::new();
            for item in &case.items {
                let mut found = Vec::new();
                match item {
                    Item::Rule(r) if r.is_fact() => targets(&vocabulary, &r.head, &mut found),
                    Item::Expect(e) => targets(&vocabulary, &e.literal, &mut found),
                    _ => continue,
                }
                let span = item.span();
                let statement = (span.start as usize, span.end as usize);
                let asked = matches!(item, Item::Expect(_));
                for t in found {
                    let original = &text[t.start..t.end];
                    if !met.insert((original.to_string(), asked, t.what.clone())) {
                        continue;
                    }
                    for typo in typos(original) {
                        count.generated += 1;
                        if t.what.declared(&vocabulary, &typo) {
                            continue;
                        }
                        count.undeclared += 1;
                        let mutant = format!(
                            "{}{typo}{}.",
                            &text[statement.0..t.start],
                            &text[t.end..statement.1]
                        );
                        statements.push((mutant, asked));
                    }
                }
            }
            statements
        };
        ws.modules.truncate(ws.modules.len() - 1);
        // Facts and expectations apart: a mutant fact must not make a mutant question known.
        for asked in [false, true] {
            let batch: Vec<&String> = statements
                .iter()
                .filter(|(_, a)| *a == asked)
                .map(|(m, _)| m)
                .collect();
            if batch.is_empty() {
                continue;
            }
            let header_lines = text.lines().count();
            let mut mutated = text.clone();
            if !mutated.ends_with('\n') {
                mutated.push('\n');
            }
            for m in &batch {
                mutated.push_str(&m.replace('\n', " "));
                mutated.push('\n');
            }
            let found = check_file(&mut ws, &name, mutated);
            for (i, m) in batch.iter().enumerate() {
                let line = header_lines + 1 + i;
                let reported = found.iter().any(|(l, d)| {
                    *l == line
                        && d.is_error()
                        && matches!(d.code, Code::UnknownPredicate | Code::UnknownValue)
                });
                if reported {
                    count.reported += 1;
                } else {
                    missed.push(format!("{name}: {m}"));
                }
            }
        }
    }
    eprintln!(
        "typo mutants of {} names in their roles: {count:?}",
        met.len()
    );
    assert!(count.undeclared > 1000, "{count:?}");
    assert!(
        missed.is_empty(),
        "{} of {} undeclared typos not reported, e.g. {:#?}",
        missed.len(),
        count.undeclared,
        &missed[..missed.len().min(20)]
    );
}

/// A small case on the bundled knowledge base, with `extra` statements after its facts.
fn case(name: &str, extra: &str) -> LawFile {
    law_file(
        name,
        &format!(
            "case {name} \"Test\" date 2024-05-01.\n\
             org_type(gemeente_x, municipality).  jurisdiction(gemeente_x, nl).\n\
             org_type(politie_p, police).  jurisdiction(politie_p, nl).\n\
             disclosure(d1, gemeente_x, politie_p, persoon_q).\n\
             {extra}\n"
        ),
    )
}

/// `check` on `path`: its exit code and what it printed.
fn check_file_cli(path: &std::path::Path) -> (Option<i32>, String) {
    let out = grondslag(&["check", path.to_str().unwrap()]);
    (out.status.code(), stdout(&out) + &stderr(&out))
}

#[test]
fn a_fact_of_an_unknown_predicate_is_an_error_with_did_you_mean() {
    // Was: accepted, the verdict unchanged, `check` said "0 errors, 0 warnings".
    let path = case(
        "purpse",
        "purpse(d1, care).\ndislcosure(d2, gemeente_x, politie_p, persoon_q).",
    );
    let (code, text) = check_file_cli(&path);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("error[unknown_predicate]"), "{text}");
    assert!(text.contains("did you mean `purpose`?"), "{text}");
    assert!(text.contains("did you mean `disclosure`?"), "{text}");
    assert!(text.contains("purpse.law:5:1"), "{text}");
    // `test` reports it too, instead of a long explanation of a failed expectation.
    let path = case(
        "dislcosure",
        "dislcosure(d2, gemeente_x, politie_p, persoon_q).\nexpect lawful(d2).",
    );
    let out = grondslag(&["test", path.to_str().unwrap()]);
    let text = stdout(&out) + &stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("error[unknown_predicate]"), "{text}");
}

#[test]
fn a_value_outside_its_enumeration_is_an_error_with_did_you_mean() {
    let (code, text) = check_file_cli(&case("helth", "data(d1, helth).  purpose(d1, care)."));
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("error[unknown_value]"), "{text}");
    assert!(text.contains("did you mean `health`?"), "{text}");
}

#[test]
fn a_value_of_the_wrong_kind_is_an_argument_type_error() {
    let (code, text) = check_file_cli(&case(
        "kind",
        "org_type(2024-01-01, police).  age(persoon_q, old).",
    ));
    assert_eq!(code, Some(1), "{text}");
    assert_eq!(text.matches("error[argument_type]").count(), 2, "{text}");
    assert!(
        text.contains("is of the type `organisation` (a name), but this is a date"),
        "{text}"
    );
    assert!(
        text.contains("is a number, but this is a name or text"),
        "{text}"
    );
}

#[test]
fn an_expectation_about_nothing_in_its_case_fails() {
    // Was: `expect not lawful(d9).` and `expect undecided lawful(d9).` passed.
    let path = case(
        "vacuous",
        "data(d1, health).\nexpect not lawful(d9).\nexpect undecided lawful(d9).",
    );
    let out = grondslag(&["test", path.to_str().unwrap()]);
    let text = stdout(&out) + &stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert_eq!(
        text.matches("error[vacuous_expectation]").count(),
        2,
        "{text}"
    );
    assert!(!text.contains("2 passed"), "{text}");
}

#[test]
fn a_stated_negative_no_rule_reads_is_a_warning() {
    let path = case(
        "negative",
        "~consent(d1).  ~informed(d1).  ~legal_task(gemeente_x, public_order, gemeentewet).",
    );
    let (code, text) = check_file_cli(&path);
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(
        text.matches("warning[unread_negation]").count(),
        1,
        "{text}"
    );
    assert!(text.contains("`~consent`"), "{text}");
}

#[test]
fn out_of_range_command_line_values_are_usage_errors() {
    // Was: a panic (exit 101) for nan, inf, 1e20 and -1, and in the evaluator for 1e19.
    for value in ["nan", "inf", "1e20", "-1", "1e19", "0", "soon"] {
        let out = grondslag(&[
            &format!("--timeout={value}"),
            "--kb",
            "none",
            "check",
            "examples/graph.law",
        ]);
        assert_eq!(out.status.code(), Some(2), "{value}: {}", stderr(&out));
        assert!(stderr(&out).contains("--timeout"), "{}", stderr(&out));
    }
    let out = grondslag(&[
        "--timeout",
        "2.5",
        "--kb",
        "none",
        "check",
        "examples/graph.law",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Was: `--format csv` accepted, and text printed.
    for command in ["check", "run", "model"] {
        let out = grondslag(&[
            "--kb",
            "none",
            command,
            "--format",
            "csv",
            "examples/graph.law",
        ]);
        assert_eq!(out.status.code(), Some(2), "{command}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("use `text` or `json`"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn a_query_or_explanation_of_an_unknown_predicate_is_an_error() {
    // Was: `query -q 'lawfull(D)'` printed 0 answers and exited 0.
    let path = case("ask", "data(d1, health).");
    for args in [
        vec!["query", "-q", "lawfull(D)", path.to_str().unwrap()],
        vec!["explain", path.to_str().unwrap(), "lawfull(d1)"],
        vec!["query", "-q", "data(D, helth)", path.to_str().unwrap()],
    ] {
        let out = grondslag(&args);
        let text = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {text}");
        assert!(
            text.contains("did you mean `lawful`?") || text.contains("did you mean `health`?"),
            "{text}"
        );
        assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    }
}

/// The REPL reading `script` on standard input over `path`: its exit code and output.
fn repl_script(path: &std::path::Path, script: &str) -> (Option<i32>, String) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_grondslag"))
        .args(["--no-history", "repl", path.to_str().unwrap()])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the REPL starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.code(), stdout(&out) + &stderr(&out))
}

#[test]
fn the_repl_refuses_unknown_names_and_a_failing_script_exits_1() {
    // Was: "added 1 fact." for `purpse(d1, care).`, "no" for `lawfull(d1)?`, and exit 0 after
    // a failed expectation.
    let path = case("repl", "");
    let (code, text) = repl_script(
        &path,
        "purpse(d1, care).\nlawfull(d1)?\n:why lawfull(d1)\n:facts purpse\n",
    );
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("did you mean `purpose`?"), "{text}");
    assert_eq!(text.matches("did you mean `lawful`?").count(), 2, "{text}");
    assert!(text.contains("nothing was added."), "{text}");
    assert!(!text.contains("added 1 fact"), "{text}");
    let (code, text) = repl_script(&path, "data(d1, health).\nexpect lawful(d1).\n");
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("NOT as expected"), "{text}");
    let (code, text) = repl_script(&path, "data(d1, health).\nexpect not lawful(d1).\n");
    assert_eq!(code, Some(0), "{text}");
}

#[test]
fn a_case_without_header_is_judged_on_a_date_it_names() {
    // Was: judged under today's law without a word (the 2024 ZVH case then came out lawful
    // under a law from 2025).
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/knowledge/cases/09_zvh_wgs.law"
    ))
    .unwrap();
    let headerless: String = text
        .lines()
        .filter(|l| !l.starts_with("case "))
        .map(|l| format!("{l}\n"))
        .collect();
    let path = law_file("headerless", &headerless);
    let out = grondslag(&["--as-of", "2026-01-01", "test", path.to_str().unwrap()]);
    assert!(!stderr(&out).contains("no_case_date"), "{}", stderr(&out));
    for command in ["test", "check"] {
        let out = grondslag(&[command, path.to_str().unwrap()]);
        let text = stdout(&out) + &stderr(&out);
        assert!(text.contains("warning[no_case_date]"), "{command}: {text}");
        assert!(text.contains("(today)"), "{text}");
    }
    let (_, text) = repl_script(&path, ":quit\n");
    assert!(text.contains("warning[no_case_date]"), "repl: {text}");
}

#[test]
fn an_overflow_is_an_error_never_a_missing_answer() {
    // Was: no answer and no diagnostic.
    let sum = law_file(
        "sum",
        "v(a, 9223372036854775807). v(b, 1).\ntotal(S) :- S = sum { X, K : v(K, X) }.\n?- total(S).\n",
    );
    let product = law_file(
        "product",
        "big(9223372036854775807).\ndefault twice(Y) :- big(X), Y = X * 2.\n?- twice(Y).\n",
    );
    for path in [&sum, &product] {
        let out = grondslag(&["--kb", "none", "run", path.to_str().unwrap()]);
        let text = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{text}");
        assert!(text.contains("error[overflow]"), "{text}");
        assert!(text.contains(":2:1"), "{text}");
    }
    // Division by zero still just has no value.
    let zero = law_file("zero", "n(1).\nq(Y) :- n(X), Y = X / 0.\n?- q(Y).\n");
    let out = grondslag(&["--kb", "none", "run", zero.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
