//! The law prepared once for many cases gives what evaluating each case from scratch gives
//! (`--strategy scratch`: the whole program selected, lowered, stratified and evaluated for
//! the case alone), byte for byte, in every report: `test` (with the explanations of the
//! expectations not met), `diff` in each format, with `--all` and with explanations. On the
//! bundled cases and on a generated corpus (the shape of `bench/diff_scale.py`'s).

use crate::common::{grondslag, stderr, stdout, TempDir};

const BILLS: [&str; 2] = [
    "knowledge/bills/wams.law",
    "knowledge/bills/vlaams_casusoverleg.law",
];

/// A small random number generator (xorshift), so the corpus is the same on every run.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// `k` different items.
    pub fn sample<'a>(&mut self, items: &[&'a str], k: usize) -> Vec<&'a str> {
        let mut pool = items.to_vec();
        (0..k.min(pool.len()))
            .map(|_| pool.remove(self.below(pool.len())))
            .collect()
    }
}

const NL_ORGS: [(&str, &str); 8] = [
    ("municipality", "gemeente"),
    ("neighbourhood_team", "wijkteam"),
    ("youth_care_provider", "jeugdhulp"),
    ("medical_provider", "huisarts"),
    ("housing_corporation", "corporatie"),
    ("veilig_thuis", "veilig_thuis"),
    ("police", "politie"),
    ("zvh", "zvh"),
];
const BE_ORGS: [(&str, &str); 5] = [
    ("municipality", "stad"),
    ("ocmw", "ocmw"),
    ("welfare_centre", "caw"),
    ("youth_care_provider", "jeugdzorg"),
    ("employment_agency", "vdab"),
];
const PURPOSES: [&str; 8] = [
    "multi_problem_approach",
    "care",
    "care_assessment",
    "youth_care",
    "integrity_protection",
    "public_order",
    "fraud_control",
    "debt_early_warning",
];
const DATA: [&str; 9] = [
    "identity",
    "ordinary",
    "contact_details",
    "health",
    "confided",
    "criminal",
    "bsn",
    "arrears",
    "parenting_information",
];

/// One generated case file: a disclosure between Dutch organisations, or a Flemish case
/// consultation; some with expectations (met or not, so that explanations are written).
pub fn generated_case(rng: &mut Rng, i: usize) -> String {
    let date = format!(
        "20{}-{:02}-{:02}",
        22 + rng.below(5),
        1 + rng.below(12),
        1 + rng.below(28)
    );
    let mut lines = vec![format!("case gen_{i} \"Generated case {i}\" date {date}.")];
    let d = format!("d{i}");
    if rng.chance(40) {
        let k = 2 + rng.below(3);
        let mut pool: Vec<(&str, &str)> = BE_ORGS.to_vec();
        let members: Vec<(&str, &str)> =
            (0..k).map(|_| pool.remove(rng.below(pool.len()))).collect();
        let c = format!("overleg_{i}");
        lines.push(format!("consultation({c})."));
        let purpose = rng.pick(&["crime_prevention", "integrity_protection"]);
        lines.push(format!("consultation_purpose({c}, {purpose})."));
        let mut names = Vec::new();
        for (t, n) in members {
            let o = format!("{n}_{i}");
            lines.push(format!(
                "org_type({o}, {t}).  jurisdiction({o}, flanders).  participant({c}, {o})."
            ));
            names.push(o);
        }
        if rng.chance(50) {
            lines.push(format!(
                "consultation_instrument({c}, protocol_{i}).  instrument(protocol_{i}, protocol)."
            ));
        }
        if rng.chance(60) {
            lines.push(format!("bound_to_secrecy({c})."));
        }
        if rng.chance(70) {
            lines.push(format!("partnership_type({c}, risk_youth_consultation)."));
        }
        lines.push(format!(
            "org_type(politie_{i}, police).  jurisdiction(politie_{i}, be_federal).  participant({c}, politie_{i})."
        ));
        lines.push(format!(
            "disclosure({d}, {}, politie_{i}, jongere_{i}).",
            names[0]
        ));
        let frequency = rng.pick(&["structural", "ad_hoc"]);
        lines.push(format!(
            "in_consultation({d}, {c}).  channel({d}, case_consultation).  frequency({d}, {frequency})."
        ));
        let purpose = rng.pick(&["crime_prevention", "integrity_protection"]);
        let necessity = rng.pick(&["a", "b"]);
        lines.push(format!(
            "purpose({d}, {purpose}).  necessity({d}, {necessity})."
        ));
        let k = 1 + rng.below(2);
        for kind in rng.sample(&["identity", "confided", "ordinary", "health"], k) {
            lines.push(format!("data({d}, {kind})."));
        }
    } else {
        let mut pool: Vec<(&str, &str)> = NL_ORGS.to_vec();
        let (t1, n1) = pool.remove(rng.below(pool.len()));
        let (t2, n2) = pool.remove(rng.below(pool.len()));
        let (a, b) = (format!("{n1}_{i}"), format!("{n2}_{i}"));
        lines.push(format!("org_type({a}, {t1}).  jurisdiction({a}, nl)."));
        lines.push(format!("org_type({b}, {t2}).  jurisdiction({b}, nl)."));
        lines.push(format!("disclosure({d}, {a}, {b}, persoon_{i})."));
        lines.push(format!("purpose({d}, {}).", rng.pick(&PURPOSES)));
        lines.push(format!("necessity({d}, {}).", rng.pick(&["a", "b", "c"])));
        let k = 1 + rng.below(3);
        for kind in rng.sample(&DATA, k) {
            lines.push(format!("data({d}, {kind})."));
        }
        if rng.chance(30) {
            lines.push(format!("consent({d})."));
            let k = 1 + rng.below(4);
            for q in rng.sample(&["specific", "informed", "unambiguous", "explicit"], k) {
                lines.push(format!("consent_is({d}, {q})."));
            }
        }
        if rng.chance(20) {
            lines.push(format!("less_intrusive_means({d})."));
        }
        if rng.chance(50) {
            lines.push(format!("informed({d})."));
        }
    }
    if rng.chance(25) {
        let expect = rng.pick(&["expect", "expect not", "expect undecided"]);
        let literal = rng.pick(&["lawful", "~lawful"]);
        lines.push(format!("{expect} {literal}({d})."));
    }
    lines.join("\n") + "\n"
}

/// `n` generated cases in a fresh directory, removed when it is dropped.
pub fn corpus(name: &str, n: usize, seed: u64) -> TempDir {
    let dir = TempDir::new(name);
    let mut rng = Rng::new(seed);
    for i in 0..n {
        let path = dir.join(format!("case_{i:05}.law"));
        std::fs::write(path, generated_case(&mut rng, i)).expect("a case file");
    }
    dir
}

/// What a command prints, and its exit code.
fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = grondslag(args);
    (out.status.code(), stdout(&out), stderr(&out))
}

/// The command gives the same output, byte for byte, on the prepared law and from scratch.
fn same_from_scratch(args: &[&str]) {
    let prepared = run(args);
    let scratch = run(&[&["--strategy", "scratch"], args].concat());
    assert!(
        !prepared.1.is_empty(),
        "{args:?} printed nothing:\n{}",
        prepared.2
    );
    if prepared != scratch {
        let line = prepared
            .1
            .lines()
            .zip(scratch.1.lines())
            .position(|(a, b)| a != b);
        panic!(
            "{args:?}: the prepared law and evaluation from scratch differ (exit {:?} / {:?}), first at line {line:?}:\nprepared: {:?}\nscratch:  {:?}",
            prepared.0,
            scratch.0,
            line.and_then(|l| prepared.1.lines().nth(l)),
            line.and_then(|l| scratch.1.lines().nth(l)),
        );
    }
}

fn diff_args<'a>(format: &'a str, paths: &[&'a str], more: &[&'a str]) -> Vec<&'a str> {
    let mut args = Vec::new();
    for bill in BILLS {
        args.extend(["--bill", bill]);
    }
    args.extend(["diff", "--format", format]);
    args.extend(more);
    args.extend(paths);
    args
}

#[test]
fn the_bundled_cases_come_out_the_same_prepared_and_from_scratch() {
    same_from_scratch(&["test", "knowledge/cases"]);
    // On a date before some of the law the cases rely on, expectations fail, and each is
    // explained.
    let (_, early, _) = run(&["--as-of", "2019-01-01", "test", "knowledge/cases"]);
    assert!(early.contains("FAIL"), "{early}");
    same_from_scratch(&["--as-of", "2019-01-01", "test", "knowledge/cases"]);
    same_from_scratch(&[
        "--lang",
        "en",
        "--as-of",
        "2019-01-01",
        "test",
        "knowledge/cases",
    ]);
    for format in ["text", "json", "md"] {
        same_from_scratch(&diff_args(format, &["knowledge/cases"], &[]));
    }
    same_from_scratch(&diff_args("json", &["knowledge/cases"], &["--all"]));
    same_from_scratch(&diff_args("html", &["knowledge/cases"], &[]));
}

#[test]
fn a_generated_corpus_comes_out_the_same_prepared_and_from_scratch() {
    let dir = corpus("prepared", 240, 5);
    let path = dir.display().to_string();
    same_from_scratch(&["test", &path]);
    same_from_scratch(&diff_args("json", &[&path], &["--all"]));
    same_from_scratch(&diff_args("text", &[&path], &[]));
    same_from_scratch(&diff_args("html", &[&path], &[]));
}

#[test]
fn a_case_with_rules_of_its_own_is_evaluated_with_them() {
    // A case that brings a rule (and a superiority pair) cannot be added as facts to the law
    // prepared for the others: it is evaluated from scratch, and still judged correctly.
    let dir = TempDir::new("own-rules");
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).expect("written");
    write(
        "law.law",
        "base: default ok(X) :- item(X).\nblock: default ~ok(X) :- item(X), bad(X).\nblock > base.\n",
    );
    write(
        "facts.law",
        "case facts \"Facts\" date 2025-01-01.\nitem(a). bad(a). item(b).\nexpect ~ok(a).\nexpect ok(b).\n",
    );
    write(
        "rules.law",
        "case rules \"Rules\" date 2025-01-01.\nitem(c). bad(c). excused(c).\nexcuse: default ok(X) :- excused(X).\nexcuse > block.\nexpect ok(c).\n",
    );
    write(
        "negated.law",
        "case negated \"A strong negation the law never concludes\" date 2025-01-01.\nitem(d). ~item(e).\nexpect ok(d).\nexpect undecided ok(e).\n",
    );
    let law = dir.join("law.law").display().to_string();
    let cases: Vec<String> = ["facts.law", "rules.law", "negated.law"]
        .iter()
        .map(|n| dir.join(n).display().to_string())
        .collect();
    let mut args = vec!["--kb", &law, "test"];
    args.extend(cases.iter().map(String::as_str));
    let (code, out, err) = run(&args);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.ends_with("5 passed, 0 failed\n"), "{out}");
}
