//! A diff report as text, JSON, Markdown or HTML. Text and Markdown read as a briefing:
//! per case, what the bill changes, with the rules that decide it before and after; HTML is
//! the same, self-contained (no network, no script), with everything from the files escaped.

use std::fmt::Write as _;

use crate::escape::{self, html as esc};
use crate::model::value_json;
use crate::syntax::ast::Lang;
use crate::time::DateSource;
use crate::value::Value;

use super::{CaseDiff, Catalogue, Change, ChangeKind, Reasoning, Report, Verdict, VerdictRow};

/// The fixed words of a report, in the chosen language.
struct Words {
    bill: &'static str,
    effective: &'static str,
    evaluated: &'static str,
    source: [&'static str; 4],
    cases: [&'static str; 2],
    change: &'static str,
    changes_column: &'static str,
    no_change: &'static str,
    failed: &'static str,
    verdicts: &'static str,
    before: &'static str,
    after: &'static str,
    made_by: &'static str,
    repeals: &'static str,
    priority: &'static str,
    no_rule: &'static str,
    no_label: &'static str,
    kinds: [&'static str; 4],
    assuming: &'static str,
    lawful: [&'static str; 3],
    verdict: [&'static str; 3],
    new_in: &'static str,
    repealed_by: &'static str,
    case: &'static str,
    processing: &'static str,
    unchanged_cases: &'static str,
    explanation: &'static str,
    graph: &'static str,
    unexplained: &'static str,
}

const EN: Words = Words {
    bill: "Draft bill",
    effective: "effective",
    evaluated: "Every case is evaluated as of",
    source: [
        "(given with --as-of)",
        "(the case dates)",
        "(the bills' effective date: all are in force)",
        "(today)",
    ],
    cases: ["case", "cases"],
    change: "changed",
    changes_column: "changes",
    no_change: "unchanged",
    failed: "could not be evaluated",
    verdicts: "Verdicts",
    before: "before",
    after: "after",
    made_by: "what makes the difference",
    repeals: "repealed by the bill",
    priority: "priority set by the bill",
    no_rule: "not concluded: no rule in force for it or its opposite applies",
    no_label: "no labelled rule on its reasoning path",
    kinds: ["appears", "disappears", "changes verdict", "changes assumptions"],
    assuming: "provided that",
    lawful: ["lawful", "unlawful", "undetermined"],
    verdict: ["holds", "does not hold", "undetermined"],
    new_in: "new in bill",
    repealed_by: "repealed by bill",
    case: "case",
    processing: "processing",
    unchanged_cases: "Cases without change",
    explanation: "the explanation in words",
    graph: "explanation graph",
    unexplained: "The last {n} changes are shown with their rules but without explanation graphs (a report draws about 200); diff fewer cases to see theirs.",
};

const NL: Words = Words {
    bill: "Wetsontwerp",
    effective: "inwerkingtreding",
    evaluated: "Elke casus is beoordeeld naar het recht van",
    source: [
        "(opgegeven met --as-of)",
        "(de datum van de casussen)",
        "(de inwerkingtreding van de ontwerpen: alle gelden)",
        "(vandaag)",
    ],
    cases: ["casus", "casussen"],
    change: "veranderd",
    changes_column: "wijzigingen",
    no_change: "ongewijzigd",
    failed: "kon niet worden beoordeeld",
    verdicts: "Oordelen",
    before: "voor",
    after: "na",
    made_by: "wat het verschil maakt",
    repeals: "ingetrokken door het ontwerp",
    priority: "voorrang uit het ontwerp",
    no_rule: "niet afgeleid: geen geldende regel ervoor of ertegen is van toepassing",
    no_label: "geen gelabelde regel in de redenering",
    kinds: ["verschijnt", "verdwijnt", "verandert van oordeel", "verandert van aannames"],
    assuming: "mits",
    lawful: ["rechtmatig", "onrechtmatig", "onbepaald"],
    verdict: ["geldt", "geldt niet", "onbepaald"],
    new_in: "nieuw in ontwerp",
    repealed_by: "ingetrokken door ontwerp",
    case: "casus",
    processing: "verwerking",
    unchanged_cases: "Casussen zonder verandering",
    explanation: "de uitleg in woorden",
    graph: "uitleggraaf",
    unexplained: "De laatste {n} wijzigingen staan er met hun regels maar zonder uitleggraaf (een rapport tekent er ongeveer 200); vergelijk minder casussen om die te zien.",
};

const FR: Words = Words {
    bill: "Proposition de loi",
    effective: "entrée en vigueur",
    evaluated: "Chaque cas est apprécié selon le droit en vigueur le",
    source: [
        "(indiqué par --as-of)",
        "(la date des cas)",
        "(l'entrée en vigueur des propositions : toutes s'appliquent)",
        "(aujourd'hui)",
    ],
    cases: ["cas", "cas"],
    change: "modifié",
    changes_column: "modifications",
    no_change: "inchangé",
    failed: "n'a pas pu être apprécié",
    verdicts: "Appréciations",
    before: "avant",
    after: "après",
    made_by: "ce qui fait la différence",
    repeals: "abrogé par la proposition",
    priority: "priorité fixée par la proposition",
    no_rule: "non établi : aucune règle en vigueur ne s'applique pour ou contre",
    no_label: "aucune règle nommée dans le raisonnement",
    kinds: [
        "apparaît",
        "disparaît",
        "change d'appréciation",
        "change d'hypothèses",
    ],
    assuming: "à condition que",
    lawful: ["licite", "illicite", "indéterminé"],
    verdict: ["admis", "non admis", "indéterminé"],
    new_in: "nouveau dans la proposition",
    repealed_by: "abrogé par la proposition",
    case: "cas",
    processing: "traitement",
    unchanged_cases: "Cas sans modification",
    explanation: "l'explication en mots",
    graph: "graphe de l'explication",
    unexplained: "Les {n} dernières modifications figurent avec leurs règles mais sans graphe d'explication (un rapport en dessine environ 200) ; comparez moins de cas pour les voir.",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
        Lang::Fr => &FR,
    }
}

fn index(verdict: Verdict) -> usize {
    match verdict {
        Verdict::Holds => 0,
        Verdict::Refuted => 1,
        Verdict::Undetermined => 2,
    }
}

fn kind_index(kind: ChangeKind) -> usize {
    match kind {
        ChangeKind::Appears => 0,
        ChangeKind::Disappears => 1,
        ChangeKind::ChangesVerdict => 2,
        ChangeKind::ChangesAssumptions => 3,
    }
}

fn source_index(source: DateSource) -> usize {
    match source {
        DateSource::AsOf => 0,
        DateSource::Case => 1,
        DateSource::Bill => 2,
        DateSource::Today => 3,
    }
}

/// Everything rendering needs beside the report.
pub struct Style<'a> {
    /// Where the rules' citations and sentences come from.
    pub catalogue: &'a Catalogue,
    /// The language of the report.
    pub lang: Lang,
}

impl Style<'_> {
    fn words(&self) -> &'static Words {
        words(self.lang)
    }

    /// "lawful" for `lawful/1`, otherwise "holds"/"refuted"/"undetermined".
    fn verdict(&self, pred: &str, verdict: Verdict) -> &'static str {
        let w = self.words();
        if pred == "lawful" {
            w.lawful[index(verdict)]
        } else {
            w.verdict[index(verdict)]
        }
    }

    /// The conclusion in words (its `pred` template), else as written.
    fn sentence(&self, change: &Change) -> String {
        let c = &change.conclusion;
        self.catalogue
            .sentence(&c.pred, false, &c.args, self.lang)
            .unwrap_or_else(|| c.to_string())
    }

    /// `label (source; new in bill b)`.
    fn cite(&self, label: &str, report: &Report) -> String {
        let w = self.words();
        let mut notes = Vec::new();
        if let Some(info) = self.catalogue.rule(label) {
            if let Some(source) = &info.source {
                notes.push(source.clone());
            }
            if let Some(bill) = &info.bill {
                notes.push(format!("{} {bill}", w.new_in));
            }
        }
        if let Some(repeal) = repeal_in_force(label, report) {
            notes.push(format!("{} {repeal}", w.repealed_by));
        }
        if notes.is_empty() {
            label.to_string()
        } else {
            format!("{label} ({})", notes.join("; "))
        }
    }

    fn reasoning(&self, reasoning: &Reasoning, report: &Report) -> String {
        let w = self.words();
        let rules = if reasoning.rules.is_empty() {
            if reasoning.derived {
                w.no_label.to_string()
            } else {
                w.no_rule.to_string()
            }
        } else {
            reasoning
                .rules
                .iter()
                .map(|l| self.cite(l, report))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if reasoning.assuming.is_empty() {
            return rules;
        }
        format!("{rules}; {} {}", w.assuming, reasoning.assuming.join(", "))
    }

    /// What in the bill made the difference, in words; `None` when the reasoning names nothing
    /// of the bill (the change comes through facts the bill adds, or unlabelled rules).
    fn cause(&self, change: &Change) -> Option<String> {
        let w = self.words();
        let mut parts: Vec<String> = change.introduced.clone();
        parts.extend(
            change
                .repealed
                .iter()
                .map(|l| format!("{l} ({})", w.repeals)),
        );
        parts.extend(
            change
                .priorities
                .iter()
                .map(|(s, x)| format!("{s} > {x} ({})", w.priority)),
        );
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

/// The bill that repeals `label` by the report's date, if any.
fn repeal_in_force(label: &str, report: &Report) -> Option<String> {
    report
        .repeals
        .iter()
        .find(|r| r.label == label)
        .map(|r| r.bill.clone())
}

/// How many of the case's changes concern this processing (their conclusion starts with it).
fn changes_for(case: &CaseDiff, row: &VerdictRow) -> usize {
    case.changes
        .iter()
        .filter(|c| c.conclusion.args.starts_with(&row.processing))
        .count()
}

fn processing(row: &VerdictRow) -> String {
    row.processing
        .iter()
        .map(Value::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The case's name and title, on one line whatever the title holds.
fn case_heading(case: &CaseDiff) -> String {
    match &case.title {
        Some(title) => format!("{} — {}", case.name, escape::text_line(title)),
        None => case.name.clone(),
    }
}

// ---------------------------------------------------------------------------------------
// Text

/// The report as plain text.
pub fn text(report: &Report, style: &Style) -> String {
    let w = style.words();
    let mut out = String::new();
    header_lines(report, style, &mut out, "");
    for case in report
        .cases
        .iter()
        .filter(|c| c.changed() || c.error.is_some())
    {
        let _ = writeln!(
            out,
            "\n{} {}  [{}]",
            w.case,
            case_heading(case),
            escape::text_line(&case.file)
        );
        if let Some(error) = &case.error {
            let _ = writeln!(out, "  {}:", w.failed);
            for line in error.lines() {
                let _ = writeln!(out, "    {line}");
            }
            continue;
        }
        if !case.verdicts.is_empty() {
            let rows: Vec<String> = case
                .verdicts
                .iter()
                .map(|r| {
                    format!(
                        "{} {} → {}",
                        processing(r),
                        style.verdict("lawful", r.before),
                        style.verdict("lawful", r.after)
                    )
                })
                .collect();
            let _ = writeln!(out, "  {}: {}", w.verdicts, rows.join("; "));
        }
        for (n, change) in case.changes.iter().enumerate() {
            let pred = &change.conclusion.pred;
            let _ = writeln!(
                out,
                "  {}. {} — {}: {} → {}",
                n + 1,
                style.sentence(change),
                w.kinds[kind_index(change.kind)],
                style.verdict(pred, change.before.verdict),
                style.verdict(pred, change.after.verdict),
            );
            let _ = writeln!(out, "     [{}]", change.conclusion);
            if let Some(cause) = style.cause(change) {
                let _ = writeln!(out, "     {}: {cause}", w.made_by);
            }
            for (name, side) in [(w.before, &change.before), (w.after, &change.after)] {
                let _ = writeln!(
                    out,
                    "     {name}: {} — {}",
                    style.verdict(pred, side.verdict),
                    style.reasoning(&side.reasoning, report)
                );
                if let Some(explanation) = &side.reasoning.explanation {
                    for line in crate::explain::text::render(explanation).lines() {
                        let _ = writeln!(out, "         {line}");
                    }
                }
            }
        }
    }
    let unchanged: Vec<&CaseDiff> = report
        .cases
        .iter()
        .filter(|c| !c.changed() && c.error.is_none())
        .collect();
    if !unchanged.is_empty() {
        let names: Vec<&str> = unchanged.iter().map(|c| c.name.as_str()).collect();
        let _ = writeln!(out, "\n{}: {}", w.unchanged_cases, names.join(", "));
    }
    // Whatever the files held reaches the terminal shown, not obeyed.
    escape::text(&out).into_owned()
}

fn header_lines(report: &Report, style: &Style, out: &mut String, prefix: &str) {
    let w = style.words();
    for (bill, file) in report.bills.iter().zip(&report.bill_files) {
        let title = bill
            .title
            .as_deref()
            .map(|t| format!(" — {}", escape::text_line(t)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{prefix}{} {}{title} ({} {}; {})",
            w.bill,
            bill.name,
            w.effective,
            bill.effective,
            escape::text_line(file)
        );
    }
    let _ = writeln!(
        out,
        "{} {} {}.",
        w.evaluated,
        report.date,
        w.source[source_index(report.date_source)]
    );
    if report.unexplained > 0 {
        let _ = writeln!(
            out,
            "{prefix}{}",
            w.unexplained
                .replace("{n}", &report.unexplained.to_string())
        );
    }
    let _ = writeln!(
        out,
        "{} {}: {} {}, {} {}{}.",
        report.cases.len(),
        w.cases[usize::from(report.cases.len() != 1)],
        report.changed_cases(),
        w.change,
        report.cases.len() - report.changed_cases() - report.failed_cases(),
        w.no_change,
        if report.failed_cases() > 0 {
            format!(", {} {}", report.failed_cases(), w.failed)
        } else {
            String::new()
        }
    );
}

// ---------------------------------------------------------------------------------------
// JSON

/// The `schema` of the JSON report (`docs/diff.schema.json`): its name and version.
pub const JSON_SCHEMA: &str = "grondslag-diff/1";

/// The report as JSON.
pub fn json(report: &Report, style: &Style) -> serde_json::Value {
    let rule = |label: &String| {
        let info = style.catalogue.rule(label);
        serde_json::json!({
            "label": label,
            "source": info.and_then(|i| i.source.clone()),
            "place": info.map(|i| i.place.clone()),
            "bill": info.and_then(|i| i.bill.clone()),
        })
    };
    let side = |verdict: Verdict, reasoning: &Reasoning| {
        let mut side = serde_json::json!({
            "verdict": verdict.as_str(),
            "derived": reasoning.derived,
            "rules": reasoning.rules.iter().map(rule).collect::<Vec<_>>(),
        });
        if !reasoning.assuming.is_empty() {
            side["assuming"] = reasoning.assuming.clone().into();
        }
        if let Some(explanation) = &reasoning.explanation {
            side["explanation"] = crate::explain::json::to_json(explanation);
        }
        side
    };
    let cases: Vec<serde_json::Value> = report
        .cases
        .iter()
        .map(|case| {
            serde_json::json!({
                "name": case.name,
                "title": case.title,
                "file": case.file,
                "date": case.date.map(|d| d.to_string()),
                "changed": case.changed(),
                "error": case.error,
                "verdicts": case.verdicts.iter().map(|r| serde_json::json!({
                    "processing": r.processing.iter().map(value_json).collect::<Vec<_>>(),
                    "before": style_free_verdict(r.before),
                    "after": style_free_verdict(r.after),
                })).collect::<Vec<_>>(),
                "changes": case.changes.iter().map(|c| serde_json::json!({
                    "conclusion": c.conclusion.to_string(),
                    "predicate": c.conclusion.pred,
                    "arguments": c.conclusion.args.iter().map(value_json).collect::<Vec<_>>(),
                    "text": style.sentence(c),
                    "change": c.kind.as_str(),
                    "before": side(c.before.verdict, &c.before.reasoning),
                    "after": side(c.after.verdict, &c.after.reasoning),
                    "introduced": c.introduced,
                    "repealed": c.repealed,
                    "priorities": c.priorities.iter().map(|(s, w)| serde_json::json!([s, w])).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    serde_json::json!({
        "schema": JSON_SCHEMA,
        "bills": report.bills.iter().zip(&report.bill_files).map(|(b, file)| serde_json::json!({
            "name": b.name,
            "title": b.title,
            "effective": b.effective.to_string(),
            "file": file,
        })).collect::<Vec<_>>(),
        "as_of": report.date.to_string(),
        "as_of_source": report.date_source.as_str(),
        "compared": if report.all { "all" } else { "verdicts" },
        "summary": {
            "cases": report.cases.len(),
            "changed": report.changed_cases(),
            "unchanged": report.cases.len() - report.changed_cases() - report.failed_cases(),
            "failed": report.failed_cases(),
        },
        "cases": cases,
    })
}

/// `lawful/1` verdicts in the words of docs/language.md.
fn style_free_verdict(verdict: Verdict) -> &'static str {
    EN.lawful[index(verdict)]
}

// ---------------------------------------------------------------------------------------
// Markdown

/// The report as Markdown.
pub fn markdown(report: &Report, style: &Style) -> String {
    let w = style.words();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}: {}\n",
        w.bill,
        escape::markdown(&bill_names(report))
    );
    let mut header = String::new();
    header_lines(report, style, &mut header, "- ");
    for line in header.lines() {
        let line = if line.starts_with("- ") {
            line.to_string()
        } else {
            format!("- {line}")
        };
        let _ = writeln!(out, "{}", escape::markdown(&line));
    }
    let _ = writeln!(
        out,
        "\n| {} | {} | {} | {} | {} |\n|---|---|---|---|---|",
        w.case, w.processing, w.before, w.after, w.changes_column
    );
    for case in &report.cases {
        let count = case.changes.len();
        if case.verdicts.is_empty() {
            let _ = writeln!(out, "| {} | | | | {count} |", escape::markdown(&case.name));
        }
        for row in &case.verdicts {
            let mark = if row.before != row.after { "**" } else { "" };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {mark}{}{mark} | {} |",
                escape::markdown(&case.name),
                escape::markdown(&processing(row)),
                style.verdict("lawful", row.before),
                style.verdict("lawful", row.after),
                changes_for(case, row),
            );
        }
    }
    for case in report
        .cases
        .iter()
        .filter(|c| c.changed() || c.error.is_some())
    {
        let _ = writeln!(
            out,
            "\n## {} {}\n\n{}\n",
            w.case,
            escape::markdown(&case_heading(case)),
            escape::markdown_code(&case.file)
        );
        if let Some(error) = &case.error {
            let _ = writeln!(
                out,
                "{}:\n\n```text\n{}\n```",
                w.failed,
                escape::markdown_block(error)
            );
            continue;
        }
        for change in &case.changes {
            let pred = &change.conclusion.pred;
            let _ = writeln!(
                out,
                "### {} — {}: {} → {}\n",
                escape::markdown(&style.sentence(change)),
                w.kinds[kind_index(change.kind)],
                style.verdict(pred, change.before.verdict),
                style.verdict(pred, change.after.verdict)
            );
            let _ = writeln!(
                out,
                "{}\n",
                escape::markdown_code(&change.conclusion.to_string())
            );
            if let Some(cause) = style.cause(change) {
                let _ = writeln!(out, "- *{}*: {}", w.made_by, escape::markdown(&cause));
            }
            for (name, side) in [(w.before, &change.before), (w.after, &change.after)] {
                let _ = writeln!(
                    out,
                    "- *{name}* ({}): {}",
                    style.verdict(pred, side.verdict),
                    escape::markdown(&style.reasoning(&side.reasoning, report))
                );
                if let Some(explanation) = &side.reasoning.explanation {
                    let text = escape::markdown_block(&crate::explain::text::render(explanation));
                    let _ = writeln!(out, "\n  ```text");
                    for line in text.lines() {
                        let _ = writeln!(out, "  {line}");
                    }
                    let _ = writeln!(out, "  ```\n");
                }
            }
        }
    }
    out
}

fn bill_names(report: &Report) -> String {
    report
        .bills
        .iter()
        .map(|b| b.title.clone().unwrap_or_else(|| b.name.clone()))
        .collect::<Vec<_>>()
        .join("; ")
}

// ---------------------------------------------------------------------------------------
// HTML

/// The report as a standalone HTML page.
pub fn html(report: &Report, style: &Style) -> String {
    let w = style.words();
    let lang = style.lang.code();
    let mut out = String::new();
    let title = format!("{}: {}", w.bill, bill_names(report));
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        esc(&title),
        esc(&title)
    );
    let mut header = String::new();
    header_lines(report, style, &mut header, "");
    let _ = writeln!(out, "<ul class=\"meta\">");
    for line in header.lines() {
        let _ = writeln!(out, "<li>{}</li>", esc(line));
    }
    let _ = writeln!(out, "</ul>");
    let _ = writeln!(
        out,
        "<table class=\"summary\">\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th></th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        esc(w.case),
        esc(w.processing),
        esc(w.before),
        esc(w.after),
        esc(w.changes_column)
    );
    for (i, case) in report.cases.iter().enumerate() {
        let link = if case.changed() || case.error.is_some() {
            format!("<a href=\"#case-{i}\">{}</a>", esc(&case.name))
        } else {
            esc(&case.name)
        };
        let count = if case.error.is_some() {
            format!("<span class=\"failed\">{}</span>", esc(w.failed))
        } else {
            case.changes.len().to_string()
        };
        if case.verdicts.is_empty() {
            let _ = writeln!(
                out,
                "<tr><td>{link}</td><td></td><td></td><td></td><td></td><td>{count}</td></tr>"
            );
        }
        for row in &case.verdicts {
            let class = if row.before != row.after {
                " class=\"flip\""
            } else {
                ""
            };
            let count = if case.error.is_some() {
                count.clone()
            } else {
                changes_for(case, row).to_string()
            };
            let _ = writeln!(
                out,
                "<tr{class}><td>{link}</td><td>{}</td><td>{}</td><td>→</td><td>{}</td><td>{count}</td></tr>",
                esc(&processing(row)),
                verdict_badge(style, "lawful", row.before),
                verdict_badge(style, "lawful", row.after),
            );
        }
    }
    let _ = writeln!(out, "</tbody>\n</table>");
    for (i, case) in report.cases.iter().enumerate() {
        if !case.changed() && case.error.is_none() {
            continue;
        }
        let _ = writeln!(
            out,
            "<section id=\"case-{i}\">\n<h2>{} {}</h2>\n<p class=\"file\">{}</p>",
            esc(w.case),
            esc(&case_heading(case)),
            esc(&case.file)
        );
        if let Some(error) = &case.error {
            let _ = writeln!(
                out,
                "<p>{}:</p>\n<pre>{}</pre>\n</section>",
                esc(w.failed),
                esc(error)
            );
            continue;
        }
        for change in &case.changes {
            let pred = &change.conclusion.pred;
            let _ = writeln!(
                out,
                "<article class=\"change\">\n<h3>{} <span class=\"kind\">{}</span></h3>\n<p><code>{}</code>: {} → {}</p>",
                esc(&style.sentence(change)),
                esc(w.kinds[kind_index(change.kind)]),
                esc(&change.conclusion.to_string()),
                verdict_badge(style, pred, change.before.verdict),
                verdict_badge(style, pred, change.after.verdict),
            );
            if let Some(cause) = style.cause(change) {
                let _ = writeln!(
                    out,
                    "<p class=\"cause\">{}: {}</p>",
                    esc(w.made_by),
                    esc(&cause)
                );
            }
            let _ = writeln!(out, "<div class=\"sides\">");
            for (name, side) in [(w.before, &change.before), (w.after, &change.after)] {
                let _ = writeln!(
                    out,
                    "<div class=\"side\"><h4>{} — {}</h4>",
                    esc(name),
                    verdict_badge(style, pred, side.verdict)
                );
                if side.reasoning.rules.is_empty() {
                    let _ = writeln!(
                        out,
                        "<p>{}</p>",
                        esc(&style.reasoning(&side.reasoning, report))
                    );
                } else {
                    let _ = writeln!(out, "<ul>");
                    for label in &side.reasoning.rules {
                        let class = if change.introduced.contains(label)
                            || change.repealed.contains(label)
                        {
                            " class=\"bill\""
                        } else {
                            ""
                        };
                        let _ =
                            writeln!(out, "<li{class}>{}</li>", esc(&style.cite(label, report)));
                    }
                    let _ = writeln!(out, "</ul>");
                }
                if let Some(explanation) = &side.reasoning.explanation {
                    let _ = writeln!(
                        out,
                        "<details><summary>{}</summary><pre>{}</pre></details>",
                        esc(w.explanation),
                        esc(&crate::explain::text::render(explanation))
                    );
                }
                let _ = writeln!(out, "</div>");
            }
            let _ = writeln!(out, "</div>");
            // The graphs are wide: each gets the full width, scrolling sideways.
            for (name, side) in [(w.before, &change.before), (w.after, &change.after)] {
                if let Some(explanation) = &side.reasoning.explanation {
                    let _ = writeln!(
                        out,
                        "<details class=\"graph\" open><summary>{} — {}</summary><div class=\"scroll\">{}</div></details>",
                        esc(w.graph),
                        esc(name),
                        crate::explain::svg::render(explanation)
                    );
                }
            }
            let _ = writeln!(out, "</article>");
        }
        let _ = writeln!(out, "</section>");
    }
    let _ = writeln!(out, "</body>\n</html>");
    out
}

fn verdict_badge(style: &Style, pred: &str, verdict: Verdict) -> String {
    format!(
        "<span class=\"v {}\">{}</span>",
        verdict.as_str(),
        esc(style.verdict(pred, verdict))
    )
}

const CSS: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1d2125;line-height:1.45}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2.5rem;border-bottom:1px solid #ccd}h3{font-size:1rem;margin:0 0 .3rem}h4{font-size:.9rem;margin:.2rem 0}
ul.meta{list-style:none;padding:0;color:#444}
table.summary{border-collapse:collapse;width:100%}table.summary th,table.summary td{border-bottom:1px solid #e2e4e8;padding:.3rem .5rem;text-align:left}
tr.flip td{background:#fff8e1}
.v{display:inline-block;padding:0 .45rem;border-radius:.6rem;font-size:.85rem;background:#eceff1}
.v.holds{background:#dff3e4;color:#14532d}.v.refuted{background:#fde2e1;color:#7f1d1d}.v.undetermined{background:#eceff1;color:#37474f}
article.change{border:1px solid #e2e4e8;border-radius:.4rem;padding:.8rem 1rem;margin:1rem 0}
.kind{font-weight:normal;color:#555;font-size:.85rem}
.cause{background:#eef4ff;padding:.3rem .5rem;border-radius:.3rem}
.sides{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:1rem}
.graph{margin:.6rem 0}.graph summary{font-size:.9rem;color:#444;cursor:pointer}
.scroll{overflow-x:auto;border:1px solid #e2e4e8;background:#fff;margin-top:.3rem}.scroll svg{max-width:none}
details pre{white-space:pre-wrap;font-size:.8rem}.side ul{margin:.2rem 0;padding-left:1.2rem}
li.bill{font-weight:600}
.file{color:#666;font-family:ui-monospace,monospace;font-size:.85rem}.failed{color:#7f1d1d}
code,pre{font-family:ui-monospace,monospace;font-size:.85rem}
";
