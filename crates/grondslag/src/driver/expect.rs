//! What `expect` means (docs/bills.md), decided in one place: whether an expectation is met in an
//! evaluation ([`Evaluation::judge`]), and `grondslag test`: every expectation of every case,
//! each case evaluated on its own over the shared modules on its own date ([`test`]).

use crate::diagnostic::Diagnostic;
use crate::explain::{self, Ask, Explanation, Problem};
use crate::load::{Origin, Workspace};
use crate::model::Model;
use crate::open_norm::Assumption;
use crate::source::FileId;
use crate::syntax::ast::{
    BodyItem, CmpOp, Expect, ExpectKind, Item, Lang, Literal, Module, ModuleKind, Query, RuleKind,
    Term,
};
use crate::test_results::{self, ExpectationResult, ProgramResult, TestResults};
use crate::time::DateSource;
use crate::value::Date;

use super::check::Checked;
use super::dates::Dating;
use super::law::{Bills, Case, Evaluation, Style};
use super::prepared::Preparation;
use super::Options;

/// What an evaluation says about an expected literal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Found {
    /// It is provable.
    Holds,
    /// Its complement is provable.
    Refuted,
    /// Neither it nor its complement is provable.
    Undecided,
}

/// Why `expect ... via LABEL` is not met, though the literal came out as expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Via {
    /// The reasoning behind the literal does not use the rule; these are the labels it uses.
    /// The reasoning behind the literal does not use the rule; `used`: the labels it uses.
    NotOnThePath {
        /// The labels the reasoning uses.
        used: Vec<String>,
    },
    /// The rule does not conclude the literal.
    DoesNotConclude,
}

/// The verdict on one expectation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Judgement {
    /// What the evaluation says about the literal.
    pub found: Found,
    /// Whether `found` is what the expectation asks (`expect`, `expect not`,
    /// `expect undecided`); with `assuming`, whether the literal holds under exactly those
    /// presumed open norms.
    pub as_expected: bool,
    /// When the literal came out as expected but `via LABEL` did not: why.
    pub via: Option<(String, Via)>,
    /// The presumed open norms the literal (or, when refuted, its complement) rests on: its
    /// ledger.
    pub assumptions: Vec<Assumption>,
    /// The open norms were left open (`--open-norms open`) and the literal would hold under
    /// `assumptions`.
    pub pending: bool,
    /// The `assuming` list of the expectation, as written (empty without one).
    pub expected_assumptions: Vec<String>,
}

impl Found {
    /// Its name in JSON: `holds`, `refuted`, `undecided`.
    pub fn as_str(self) -> &'static str {
        match self {
            Found::Holds => "holds",
            Found::Refuted => "refuted",
            Found::Undecided => "undecided",
        }
    }
}

impl Judgement {
    /// The expectation is met.
    pub fn passed(&self) -> bool {
        self.as_expected && self.via.is_none()
    }

    /// Why it is not met, in words; `None` when it is.
    pub fn complaint(&self) -> Option<String> {
        let assumed = || {
            let shown: Vec<String> = self.assumptions.iter().map(|a| a.to_string()).collect();
            shown.join(", ")
        };
        let mut found = match self.found {
            Found::Holds => "it holds".to_string(),
            Found::Refuted => "its complement holds (refuted)".to_string(),
            Found::Undecided => "it is not provable, nor is its complement (undecided)".to_string(),
        };
        if self.pending {
            found.push_str(&format!(
                "; it would hold assuming {}, open norms left open (--open-norms open)",
                assumed()
            ));
        } else if !self.assumptions.is_empty() {
            found.push_str(&format!(", provided that {}", assumed()));
        }
        if !self.as_expected {
            if !self.expected_assumptions.is_empty() {
                let expected = self.expected_assumptions.join(", ");
                let rests = if self.assumptions.is_empty() {
                    "on no open norm".to_string()
                } else {
                    format!("on {}", assumed())
                };
                return Some(match self.found {
                    Found::Holds => {
                        format!("it holds, but rests {rests}, not on exactly {expected}")
                    }
                    _ if self.pending => {
                        format!("it would hold, but rests {rests}, not on exactly {expected}")
                    }
                    _ => format!("expected it to hold assuming {expected}: {found}"),
                });
            }
            return Some(format!("expected otherwise: {found}"));
        }
        let (label, via) = self.via.as_ref()?;
        Some(match via {
            Via::NotOnThePath { used } => {
                let used = if used.is_empty() {
                    "no labelled rule".to_string()
                } else {
                    used.iter()
                        .map(|l| format!("`{l}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                format!("{found}, but its reasoning does not use rule `{label}`; it uses {used}")
            }
            Via::DoesNotConclude => {
                format!("{found}, but not through rule `{label}`: that rule does not conclude it")
            }
        })
    }
}

impl Evaluation {
    /// Whether `expect` is met in this evaluation of `ws`.
    pub fn judge(&self, ws: &Workspace, expect: &Expect) -> Judgement {
        let model = self.model();
        let literal = &expect.literal;
        let holds = provable(model, literal);
        let complement_holds = provable(model, &complement(literal));
        let found = if holds {
            Found::Holds
        } else if complement_holds {
            Found::Refuted
        } else {
            Found::Undecided
        };
        // The ledger of what came out: the literal's when it holds (or would, under the
        // presumptions left open), else its complement's.
        let pending = self.pending(literal);
        let complement_pending = self.pending(&complement(literal));
        let assumptions = if holds || pending {
            self.assumptions(literal)
        } else if complement_holds || complement_pending {
            self.assumptions(&complement(literal))
        } else {
            Vec::new()
        };
        let as_expected = match expect.kind {
            _ if !expect.assuming.is_empty() => {
                // Judged under the presumptions, whether they were assumed or left open.
                let mut expected: Vec<String> = expect.assuming.iter().map(written).collect();
                expected.sort();
                let mut rests_on: Vec<String> = assumptions.iter().map(|a| a.to_string()).collect();
                rests_on.sort();
                (holds || pending) && expected == rests_on
            }
            ExpectKind::Holds => holds,
            ExpectKind::NotProvable => !holds,
            ExpectKind::Undecided => !holds && !complement_holds,
        };
        let via = match &expect.via {
            Some(label) if as_expected => {
                via_problem(model, &self.modules(ws), literal, &label.name)
                    .map(|problem| (label.name.clone(), problem))
            }
            _ => None,
        };
        Judgement {
            found,
            as_expected,
            via,
            assumptions,
            pending: pending || (!holds && complement_pending),
            expected_assumptions: expect.assuming.iter().map(written).collect(),
        }
    }
}

/// A ground literal as the ledger writes it: `~less_intrusive_means(d1)`.
fn written(literal: &Literal) -> String {
    let sign = if literal.negated { "~" } else { "" };
    let args: Vec<String> = literal
        .atom
        .args
        .iter()
        .map(|t| match t {
            Term::Const(v, _) => v.to_string(),
            Term::Var(v) => v.name.clone(),
            _ => "_".to_string(),
        })
        .collect();
    format!("{sign}{}({})", literal.atom.pred.name, args.join(", "))
}

/// Whether the reasoning behind `literal` goes through the rule labelled `label`.
fn via_problem(model: &Model, modules: &[&Module], literal: &Literal, label: &str) -> Option<Via> {
    match reasoning_labels(model, literal) {
        Some(path) if path.iter().any(|l| l == label) => None,
        Some(used) => Some(Via::NotOnThePath { used }),
        None if concluded_by(model, modules, literal, label) => None,
        None => Some(Via::DoesNotConclude),
    }
}

/// The rules on the literal's reasoning path, when it is ground and the model keeps the
/// ground theory.
fn reasoning_labels(model: &Model, literal: &Literal) -> Option<Vec<String>> {
    let args = literal.atom.ground_args()?;
    model.reasoning_labels(&literal.atom.pred.name, literal.negated, &args)
}

fn provable(model: &Model, literal: &Literal) -> bool {
    let query = Query {
        body: vec![BodyItem::Literal(literal.clone())],
        span: literal.span,
    };
    model.answer(&query).iter().any(|a| a.status.is_provable())
}

fn complement(literal: &Literal) -> Literal {
    Literal {
        negated: !literal.negated,
        ..literal.clone()
    }
}

/// True when a rule labelled `label` applies with `literal` as its conclusion: its head has
/// the literal's predicate and sign, and its body holds with the head bound to the literal's
/// arguments.
fn concluded_by(model: &Model, modules: &[&Module], literal: &Literal, label: &str) -> bool {
    let rules = modules
        .iter()
        .flat_map(|m| m.items.iter())
        .filter_map(|i| match i {
            Item::Rule(r) if r.label.as_ref().is_some_and(|l| l.name == label) => Some(r),
            _ => None,
        });
    for rule in rules {
        if rule.kind == RuleKind::Defeater
            || rule.head.negated != literal.negated
            || rule.head.atom.pred.name != literal.atom.pred.name
            || rule.head.atom.args.len() != literal.atom.args.len()
        {
            continue;
        }
        if rule.body.is_empty() {
            // A fact or presumption: it concludes exactly its own head.
            let same = rule
                .head
                .atom
                .args
                .iter()
                .zip(&literal.atom.args)
                .all(|(a, b)| match (a, b) {
                    (Term::Const(x, _), Term::Const(y, _)) => x == y,
                    _ => true,
                });
            if same {
                return true;
            }
            continue;
        }
        let mut body = rule.body.clone();
        for (head_arg, goal_arg) in rule.head.atom.args.iter().zip(&literal.atom.args) {
            body.push(BodyItem::Compare(
                head_arg.clone(),
                CmpOp::Eq,
                goal_arg.clone(),
                literal.span,
            ));
        }
        let query = Query {
            body,
            span: rule.span,
        };
        if model.answer(&query).iter().any(|a| a.status.is_provable()) {
            return true;
        }
    }
    false
}

/// One expectation and its verdict.
#[derive(Debug)]
pub struct Expectation<'w> {
    /// The `expect` statement.
    pub expect: &'w Expect,
    /// Its verdict.
    pub judgement: Judgement,
    /// For an expectation not met: why the literal holds or does not (two levels of why-not:
    /// enough to see what is missing without the whole knowledge base).
    pub explanation: Option<Result<Explanation, Problem>>,
}

impl Expectation<'_> {
    /// The expectation as owned data.
    fn result(&self, ws: &Workspace) -> ExpectationResult {
        let span = self.expect.span;
        let file = ws.sources.get(span.file);
        let (line, column) = file.line_col(span.start as usize);
        ExpectationResult {
            statement: ws.sources.snippet(span).to_string(),
            file: file.name.clone(),
            line,
            column,
            passed: self.judgement.passed(),
            found: self.judgement.found.as_str().to_string(),
            complaint: self.judgement.complaint(),
            explanation: self
                .explanation
                .as_ref()
                .map(|explanation| match explanation {
                    Ok(explanation) => explain::render(explanation, explain::Format::Text),
                    Err(problem) => format!("({problem})\n"),
                }),
        }
    }
}

/// One program `test` evaluated: a case over the shared modules, or the shared modules alone.
#[derive(Debug)]
pub struct Program<'w> {
    /// The case file; `None` for the shared modules' own expectations.
    pub case: Option<FileId>,
    /// The date it was evaluated on, and why that one.
    pub date: (Date, DateSource),
    /// How many `expect` statements it answers.
    pub expects: usize,
    /// The verdicts, with the model's warnings; or why it could not be evaluated.
    pub outcome: Result<(Vec<Expectation<'w>>, Vec<Diagnostic>), Vec<Diagnostic>>,
}

/// What `grondslag test` found.
#[derive(Debug)]
pub struct TestReport<'w> {
    /// Each program evaluated, in order.
    pub programs: Vec<Program<'w>>,
}

impl TestReport<'_> {
    /// Expectations met.
    pub fn passed(&self) -> usize {
        self.expectations().filter(|e| e.judgement.passed()).count()
    }

    /// Expectations not met, and those of programs that could not be evaluated.
    pub fn failed(&self) -> usize {
        self.programs
            .iter()
            .map(|p| match &p.outcome {
                Ok((expectations, _)) => expectations
                    .iter()
                    .filter(|e| !e.judgement.passed())
                    .count(),
                Err(_) => p.expects,
            })
            .sum()
    }

    /// Whether a program could not be evaluated.
    pub fn broken(&self) -> bool {
        self.programs.iter().any(|p| p.outcome.is_err())
    }

    /// The report as owned data, to render as text, JSON or JUnit (`crate::test_results`):
    /// `checked` is the check the report was made from, whose diagnostics it carries.
    pub fn results(&self, checked: &Checked<'_>) -> TestResults {
        let ws = checked.workspace();
        let json = |diagnostics: &[Diagnostic]| -> Vec<serde_json::Value> {
            diagnostics.iter().map(|d| d.to_json(&ws.sources)).collect()
        };
        let programs = self
            .programs
            .iter()
            .map(|program| {
                let header = program.case.and_then(|file| {
                    ws.modules
                        .iter()
                        .find(|m| m.module.file == file)
                        .and_then(|m| m.module.header.as_ref())
                });
                let (expectations, diagnostics) = match &program.outcome {
                    Ok((expectations, warnings)) => (
                        expectations.iter().map(|e| e.result(ws)).collect(),
                        json(warnings),
                    ),
                    Err(diagnostics) => (Vec::new(), json(diagnostics)),
                };
                ProgramResult {
                    file: program.case.map(|file| ws.sources.get(file).name.clone()),
                    case: header.map(|h| h.name.name.clone()),
                    title: header.and_then(|h| h.title.clone()),
                    date: program.date.0.to_string(),
                    date_source: program.date.1.as_str().to_string(),
                    evaluated: program.outcome.is_ok(),
                    expects: program.expects,
                    expectations,
                    diagnostics,
                }
            })
            .collect();
        TestResults {
            schema: test_results::SCHEMA.to_string(),
            passed: self.passed(),
            failed: self.failed(),
            diagnostics: json(checked.diagnostics()),
            programs,
        }
    }

    fn expectations(&self) -> impl Iterator<Item = &Expectation<'_>> {
        self.programs
            .iter()
            .filter_map(|p| p.outcome.as_ref().ok())
            .flat_map(|(expectations, _)| expectations.iter())
    }
}

/// `grondslag test`: every case file is evaluated on its own over the shared modules
/// (docs/bills.md), on its own date (or `--as-of`), and its `expect` statements judged; the expectations
/// in the shared modules are judged against the shared modules alone. `lang` is the language
/// of the explanations of the expectations not met. When the check found errors nothing is
/// evaluated: every program fails, with no diagnostics of its own (the check has them).
pub fn test<'w>(
    checked: &Checked<'w>,
    dating: &Dating,
    options: &Options,
    lang: Lang,
) -> TestReport<'w> {
    let ws = checked.workspace();
    let cases = ws.case_modules();
    // The programs to evaluate, each with the modules whose `expect`s it answers and the case
    // that dates it.
    let mut programs: Vec<(Case, Vec<&Module>, Option<&Module>)> = Vec::new();
    let shared_user: Vec<&Module> = ws
        .modules
        .iter()
        .filter(|m| m.origin == Origin::User && m.module.kind() == ModuleKind::Module)
        .map(|m| &m.module)
        .collect();
    if cases.is_empty() || shared_user.iter().any(|m| count_expects(m) > 0) {
        programs.push((Case::Shared, shared_user, None));
    }
    for case in &cases {
        programs.push((Case::One(case), vec![case], Some(case)));
    }
    // A failing expectation is explained from the ground theory.
    let options = Options {
        provenance: true,
        ..options.clone()
    };
    let style = Style {
        depth: Some(2),
        ..Style::new(lang)
    };
    let mut report = TestReport {
        programs: Vec::new(),
    };
    // The shared law prepared once per period of dates with the same law in force.
    let preparation = Preparation::new();
    for (case, expecting, dated_by) in programs {
        let date = dating.case(dated_by);
        let expects = expecting.iter().map(|m| count_expects(m)).sum();
        let law = checked
            .law(Some(date.0), Bills::Apply, &options)
            .map(|law| law.sharing(&preparation));
        let Ok(law) = law else {
            report.programs.push(Program {
                case: dated_by.map(|m| m.file),
                date,
                expects,
                outcome: Err(Vec::new()),
            });
            continue;
        };
        let outcome = law.evaluate(case).map(|evaluation| {
            let judged = expecting
                .iter()
                .flat_map(|m| m.items.iter())
                .filter_map(|item| match item {
                    Item::Expect(expect) => Some(expect),
                    _ => None,
                })
                .map(|expect| {
                    let judgement = evaluation.judge(ws, expect);
                    let explanation = (!judgement.passed())
                        .then(|| evaluation.explain(ws, &expect.literal, Ask::Either, style));
                    Expectation {
                        expect,
                        judgement,
                        explanation,
                    }
                })
                .collect();
            let mut warnings = evaluation.warnings().to_vec();
            if dated_by.is_none() {
                // The shared files' own expectations: a file of facts without a header is
                // a case without its date.
                warnings.extend(super::dates::undated(ws, date));
            }
            (judged, warnings)
        });
        report.programs.push(Program {
            case: dated_by.map(|m| m.file),
            date,
            expects,
            outcome,
        });
    }
    report
}

fn count_expects(module: &Module) -> usize {
    module
        .items
        .iter()
        .filter(|i| matches!(i, Item::Expect(_)))
        .count()
}
