//! Every JSON document the command line writes carries its `schema` (name and version) and
//! follows the JSON Schema of that name in docs/, checked here in Rust: a validator of the
//! part of JSON Schema (2020-12) the schemas use. A keyword it does not know fails the test,
//! so a schema cannot say more than is checked.

use std::path::PathBuf;

use serde_json::{Map, Value};

use crate::common::{grondslag, stdout, TempDir};

fn docs() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs")
}

/// The schema docs/NAME.schema.json.
pub fn schema(name: &str) -> Value {
    let path = docs().join(format!("{name}.schema.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

/// Where `document` breaks `schema` (empty when it follows it).
pub fn violations(schema: &Value, document: &Value) -> Vec<String> {
    let mut found = Vec::new();
    check(schema, schema, document, "$", &mut found);
    found
}

/// Panics with every violation, naming the document.
pub fn assert_follows(name: &str, document: &Value) {
    let schema = schema(name);
    assert_eq!(
        document["schema"], schema["$id"],
        "the document does not name its schema: {document}"
    );
    let found = violations(&schema, document);
    assert!(
        found.is_empty(),
        "not as docs/{name}.schema.json says:\n{}\n{document:#}",
        found.join("\n")
    );
}

fn check(root: &Value, schema: &Value, value: &Value, at: &str, found: &mut Vec<String>) {
    let Some(keywords) = schema.as_object() else {
        panic!("a schema is an object, at {at}: {schema}");
    };
    for (keyword, rule) in keywords {
        match keyword.as_str() {
            "$schema" | "$id" | "title" | "description" | "$defs" => {}
            "$ref" => {
                let target = resolve(root, rule.as_str().expect("$ref is a string"));
                check(root, target, value, at, found);
            }
            "type" => {
                let types: Vec<&str> = match rule {
                    Value::String(t) => vec![t.as_str()],
                    Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                    _ => panic!("type at {at}"),
                };
                if !types.iter().any(|t| has_type(value, t)) {
                    found.push(format!("{at}: {value} is not of type {types:?}"));
                }
            }
            "enum" => {
                if !rule.as_array().expect("enum is a list").contains(value) {
                    found.push(format!("{at}: {value} is not one of {rule}"));
                }
            }
            "const" => {
                if rule != value {
                    found.push(format!("{at}: {value} is not {rule}"));
                }
            }
            "format" => {
                assert_eq!(rule, "date", "the only format checked is `date`");
                if let Some(text) = value.as_str() {
                    if !is_date(text) {
                        found.push(format!("{at}: `{text}` is not a date (YYYY-MM-DD)"));
                    }
                }
            }
            "minimum" => {
                if let (Some(n), Some(min)) = (value.as_f64(), rule.as_f64()) {
                    if n < min {
                        found.push(format!("{at}: {n} is below {min}"));
                    }
                }
            }
            "minItems" | "maxItems" => {
                if let (Some(items), Some(bound)) = (value.as_array(), rule.as_u64()) {
                    let n = items.len() as u64;
                    if (keyword == "minItems" && n < bound) || (keyword == "maxItems" && n > bound)
                    {
                        found.push(format!("{at}: {n} items, {keyword} {bound}"));
                    }
                }
            }
            "required" => {
                if let Some(object) = value.as_object() {
                    for key in rule.as_array().expect("required is a list") {
                        let key = key.as_str().expect("a required key is a string");
                        if !object.contains_key(key) {
                            found.push(format!("{at}: `{key}` is missing"));
                        }
                    }
                }
            }
            "properties" => {
                if let Some(object) = value.as_object() {
                    for (key, sub) in rule.as_object().expect("properties is an object") {
                        if let Some(v) = object.get(key) {
                            check(root, sub, v, &format!("{at}.{key}"), found);
                        }
                    }
                }
            }
            "additionalProperties" => {
                if let Some(object) = value.as_object() {
                    let declared = keywords.get("properties").and_then(Value::as_object);
                    let extra = object
                        .iter()
                        .filter(|(k, _)| !declared.is_some_and(|d| d.contains_key(*k)));
                    for (key, v) in extra {
                        match rule {
                            Value::Bool(false) => {
                                found.push(format!("{at}: `{key}` is not a property it may have"))
                            }
                            Value::Bool(true) => {}
                            sub => check(root, sub, v, &format!("{at}.{key}"), found),
                        }
                    }
                }
            }
            "items" => {
                if let Some(items) = value.as_array() {
                    for (i, item) in items.iter().enumerate() {
                        check(root, rule, item, &format!("{at}[{i}]"), found);
                    }
                }
            }
            "oneOf" | "anyOf" => {
                let matching = rule
                    .as_array()
                    .expect("a list of schemas")
                    .iter()
                    .filter(|sub| {
                        let mut inner = Vec::new();
                        check(root, sub, value, at, &mut inner);
                        inner.is_empty()
                    })
                    .count();
                let ok = if keyword == "oneOf" {
                    matching == 1
                } else {
                    matching >= 1
                };
                if !ok {
                    found.push(format!("{at}: {value} matches {matching} of {keyword}"));
                }
            }
            other => {
                panic!("the schema uses `{other}` (at {at}), which this validator does not check")
            }
        }
    }
}

fn resolve<'a>(root: &'a Value, reference: &str) -> &'a Value {
    let pointer = reference
        .strip_prefix('#')
        .unwrap_or_else(|| panic!("only references inside the schema: {reference}"));
    root.pointer(pointer)
        .unwrap_or_else(|| panic!("{reference} names nothing"))
}

fn has_type(value: &Value, t: &str) -> bool {
    match t {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        _ => panic!("unknown type {t}"),
    }
}

fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    let number = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<u32>().ok())?
    };
    matches!(
        (number(y, 4), number(m, 2), number(d, 2)),
        (Some(_), Some(1..=12), Some(1..=31))
    )
}

/// The program of `results` whose file ends with `name`.
fn programs_of<'a>(results: &'a Value, name: &str) -> &'a Value {
    results["programs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["file"].as_str().is_some_and(|f| f.ends_with(name)))
        .unwrap_or_else(|| panic!("no program of {name}: {results}"))
}

/// The JSON a command printed.
fn json_of(args: &[&str]) -> Value {
    let out = grondslag(args);
    serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| {
        panic!(
            "grondslag {args:?} printed no JSON ({e}):\n{}\n{}",
            stdout(&out),
            crate::common::stderr(&out)
        )
    })
}

#[test]
fn the_validator_finds_what_breaks_a_schema() {
    let schema = schema("query");
    let good = serde_json::json!({
        "schema": "grondslag-query/1", "diagnostics": [], "query": "p(X)", "variables": ["X"],
        "answers": [{"bindings": {"X": 1}, "status": "definitely"}]
    });
    assert!(
        violations(&schema, &good).is_empty(),
        "{:?}",
        violations(&schema, &good)
    );
    let broken = |edit: &dyn Fn(&mut Map<String, Value>)| {
        let mut document = good.clone();
        edit(document.as_object_mut().unwrap());
        violations(&schema, &document)
    };
    assert_eq!(broken(&|d| drop(d.remove("answers"))).len(), 1);
    assert_eq!(
        broken(&|d| drop(d.insert("extra".into(), 1.into()))).len(),
        1
    );
    assert_eq!(
        broken(&|d| drop(d.insert("schema".into(), "grondslag-query/2".into()))).len(),
        1
    );
    assert_eq!(
        broken(&|d| drop(d.insert("variables".into(), serde_json::json!([1])))).len(),
        1
    );
    assert_eq!(
        broken(&|d| drop(d.insert(
            "answers".into(),
            serde_json::json!([{"bindings": {"X": true}, "status": "definitely"}])
        )))
        .len(),
        1,
        "a binding is a number or a string (oneOf)"
    );
    assert_eq!(
        broken(&|d| drop(d.insert(
            "answers".into(),
            serde_json::json!([{"bindings": {}, "status": "maybe"}])
        )))
        .len(),
        1
    );
    let diagnostic = |line: Value| {
        serde_json::json!({"schema": "grondslag-diagnostics/1", "errors": 1, "warnings": 0,
            "diagnostics": [{"code": "syntax", "severity": "error", "message": "m", "hint": null,
                             "related": [], "file": "f.law", "line": line, "column": 1}]})
    };
    let diagnostics = self::schema("diagnostics");
    assert!(violations(&diagnostics, &diagnostic(1.into())).is_empty());
    assert_eq!(
        violations(&diagnostics, &diagnostic(0.into())).len(),
        1,
        "minimum"
    );
    let test = self::schema("test");
    let program = |date: &str| {
        serde_json::json!({"schema": "grondslag-test/1", "passed": 0, "failed": 0, "diagnostics": [],
            "programs": [{"file": null, "case": null, "title": null, "date": date,
                          "date_source": "today", "evaluated": true, "expects": 0,
                          "expectations": [], "diagnostics": []}]})
    };
    assert!(violations(&test, &program("2024-02-29")).is_empty());
    assert_eq!(
        violations(&test, &program("2024-13-01")).len(),
        1,
        "format: date"
    );
}

#[test]
fn every_schema_describes_diagnostics_alike() {
    let diagnostic = schema("diagnostics")["$defs"]["diagnostic"].clone();
    let mut names = Vec::new();
    for entry in std::fs::read_dir(docs()).unwrap() {
        let path = entry.unwrap().path();
        let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".schema.json"))
        else {
            continue;
        };
        let schema = schema(name);
        assert_eq!(schema["$id"], format!("grondslag-{name}/1"), "{name}");
        assert_eq!(
            schema["$defs"]["diagnostic"], diagnostic,
            "docs/{name}.schema.json describes a diagnostic otherwise than docs/diagnostics.schema.json"
        );
        names.push(name.to_string());
    }
    names.sort();
    assert_eq!(
        names,
        [
            "diagnostics",
            "diff",
            "explanation",
            "model",
            "query",
            "run",
            "test"
        ],
        "a schema without a test below, or a test without its schema"
    );
}

#[test]
fn check_json_follows_its_schema_with_and_without_errors() {
    let clean = json_of(&[
        "--kb",
        "none",
        "check",
        "examples/graph.law",
        "--format",
        "json",
    ]);
    assert_follows("diagnostics", &clean);
    let mistakes = json_of(&[
        "--kb",
        "none",
        "check",
        "examples/mistakes.law",
        "--format",
        "json",
    ]);
    assert_follows("diagnostics", &mistakes);
    assert!(mistakes["errors"].as_u64().unwrap() > 0);
}

#[test]
fn run_query_and_model_json_follow_their_schemas() {
    assert_follows(
        "run",
        &json_of(&[
            "--kb",
            "none",
            "run",
            "examples/graph.law",
            "--format",
            "json",
        ]),
    );
    assert_follows(
        "query",
        &json_of(&[
            "--kb",
            "none",
            "query",
            "-q",
            "reach(X)",
            "examples/graph.law",
            "--format",
            "json",
        ]),
    );
    let model = json_of(&[
        "--kb",
        "none",
        "model",
        "examples/secrecy.law",
        "--format",
        "json",
    ]);
    assert_follows("model", &model);
    assert!(!model["defeasibly"].as_object().unwrap().is_empty());
}

#[test]
fn test_json_follows_its_schema_with_failures_and_broken_cases() {
    let dir = TempDir::new("schema-test");
    let failing = dir.write(
        "failing.law",
        "case failing \"Fails\" date 2024-01-01.\np(a).\nq(X) :- p(X).\nexpect q(a).\nexpect not q(a).\n",
    );
    let broken = dir.write(
        "broken.law",
        "case broken \"Runs away\" date 2024-01-01.\nn(0).\nn(Y) :- n(X), Y = X + 1.\nexpect n(0).\n",
    );
    let out = grondslag(&[
        "--kb",
        "none",
        "--max-facts",
        "1000",
        "test",
        &failing,
        &broken,
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let results: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_follows("test", &results);
    assert_eq!(
        (results["passed"].as_u64(), results["failed"].as_u64()),
        (Some(1), Some(2))
    );
    let failing = programs_of(&results, "failing.law");
    assert_eq!(failing["expectations"][1]["found"], "holds");
    assert!(failing["expectations"][1]["explanation"]
        .as_str()
        .unwrap()
        .contains("q(a)"));
    let programs = results["programs"].as_array().unwrap();
    assert!(programs
        .iter()
        .any(|p| p["evaluated"] == false && p["diagnostics"][0]["code"] == "resource_limit"));
    let bundled = json_of(&["test", "knowledge/cases", "--format", "json"]);
    assert_follows("test", &bundled);
    assert_eq!(bundled["failed"], 0);
}

#[test]
fn diff_json_follows_its_schema() {
    let report = json_of(&[
        "diff",
        "--bill",
        "knowledge/bills/vlaams_casusoverleg.law",
        "knowledge/cases",
        "--format",
        "json",
    ]);
    assert_follows("diff", &report);
    assert!(report["summary"]["changed"].as_u64().unwrap() > 0);
}

#[test]
fn explain_json_follows_its_schema_with_its_diagnostics() {
    let explanation = json_of(&[
        "explain",
        "knowledge/cases/06_gp_medical_file.law",
        "lawful(d6)",
        "--format",
        "json",
    ]);
    assert_follows("explanation", &explanation);
    assert!(explanation["diagnostics"].is_array());
}

#[test]
fn a_failing_command_prints_the_diagnostics_document_in_place_of_its_result() {
    for args in [
        &[
            "--kb",
            "none",
            "query",
            "-q",
            "reach(X",
            "examples/graph.law",
            "--format",
            "json",
        ][..],
        &[
            "--kb",
            "none",
            "run",
            "examples/mistakes.law",
            "--format",
            "json",
        ],
        &[
            "--kb",
            "none",
            "model",
            "examples/mistakes.law",
            "--format",
            "json",
        ],
        &[
            "--kb",
            "none",
            "explain",
            "examples/mistakes.law",
            "p(a)",
            "--format",
            "json",
        ],
    ] {
        let out = grondslag(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(
            crate::common::stderr(&out),
            "",
            "{args:?}: text beside the JSON"
        );
        let document: Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_follows("diagnostics", &document);
        assert!(document["errors"].as_u64().unwrap() > 0, "{args:?}");
    }
}
