//! The memo in lines: what every format shows first. Each line is a sequence of segments —
//! plain words, a citation (which Markdown and HTML link to the official text), a rule label
//! — so each format renders the same memo its own way. The summary of a bundled case fits
//! in [`MAX_LINES`] lines of at most [`WIDTH`] characters: when the reasons would take more,
//! the least telling lines go first (what would have averted a ground, the facts, remedies
//! beyond the first), and what is left out is counted, pointing to the full derivation.

use crate::syntax::ast::Lang;

use super::graph::Explanation;
use super::memo::{Alternative, Memo, Norm, Reason, ReasonKind, Statement, Verdict};
use super::reach::Class;
use super::words::say;

/// The summary's width, in characters.
pub const WIDTH: usize = 100;
/// The summary's height, in lines (of at most [`WIDTH`] characters).
pub const MAX_LINES: usize = 15;

/// A piece of a memo line.
#[derive(Clone, Debug, PartialEq)]
pub enum Seg {
    /// Words.
    Text(String),
    /// A citation (`AVG art. 6 lid 1`): linked to the official text where the table of
    /// sources has it.
    Cite(String),
    /// A rule label or literal, shown as code.
    Code(String),
    /// The verdict word, emphasised.
    Strong(String),
}

/// A line of the memo, at its level of indentation.
#[derive(Clone, Debug, PartialEq)]
pub struct MemoLine {
    /// 0: a heading or the verdict; 1: a reason; 2: its details.
    pub indent: usize,
    /// What it says.
    pub segs: Vec<Seg>,
}

impl MemoLine {
    fn new(indent: usize, segs: Vec<Seg>) -> MemoLine {
        MemoLine { indent, segs }
    }

    /// The line as plain text (citations as cited, labels in backticks).
    pub fn plain(&self) -> String {
        self.segs
            .iter()
            .map(|s| match s {
                Seg::Text(t) | Seg::Cite(t) | Seg::Strong(t) => t.clone(),
                Seg::Code(c) => format!("`{c}`"),
            })
            .collect()
    }

    /// How many lines of [`WIDTH`] it takes, wrapped with its margin.
    fn height(&self) -> usize {
        wrap_with_margin(&self.plain(), self.indent).len()
    }
}

/// The margin of a memo line: two spaces a level; continuation lines two more.
pub fn margin(indent: usize) -> String {
    "  ".repeat(indent)
}

/// A memo line wrapped at [`WIDTH`], with its margin (continuations indented two more).
pub fn wrap_with_margin(text: &str, indent: usize) -> Vec<String> {
    let first = margin(indent);
    let rest = margin(indent + 1);
    let mut out = Vec::new();
    let mut line = first.clone();
    let mut empty = true;
    for word in text.split(' ') {
        let len = line.chars().count();
        if !empty && len + 1 + word.chars().count() > WIDTH {
            out.push(std::mem::replace(&mut line, rest.clone()));
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push(line);
    out
}

/// The verdict's word.
pub fn verdict_word(lang: Lang, verdict: Verdict, lawful: bool) -> &'static str {
    match (verdict, lawful) {
        (Verdict::Holds, true) => say(lang, "Rechtmatig", "Lawful", "Licite"),
        (Verdict::Fails, true) => say(lang, "Onrechtmatig", "Unlawful", "Illicite"),
        (Verdict::Holds, false) => say(lang, "Geldt", "Holds", "Admis"),
        (Verdict::Fails, false) => say(lang, "Geldt niet", "Does not hold", "Non admis"),
        (Verdict::Undetermined, _) => say(lang, "Onbepaald", "Undetermined", "Indéterminé"),
    }
}

/// Whether the memo is about lawfulness (`lawful(...)`): its verdict reads lawful, unlawful
/// or undetermined.
pub fn about_lawfulness(memo: &Memo) -> bool {
    memo.goal.lit.pred == "lawful" && !memo.goal.lit.negated
}

fn sentence(s: &Statement) -> String {
    s.sentence.clone().unwrap_or_else(|| s.lit.to_string())
}

/// The norm: its citation, then its label.
fn norm_segs(norm: &Norm) -> Vec<Seg> {
    let mut segs = Vec::new();
    if let Some(source) = &norm.source {
        segs.push(Seg::Cite(source.clone()));
    }
    if let Some(label) = &norm.label {
        if !segs.is_empty() {
            segs.push(Seg::Text(" ".into()));
        }
        segs.push(Seg::Text("(".into()));
        segs.push(Seg::Code(label.clone()));
        segs.push(Seg::Text(")".into()));
    }
    segs
}

/// The norm that carries a reason: the most specific of its chain.
fn carrying(reason: &Reason) -> Option<&Norm> {
    reason
        .norms
        .iter()
        .rev()
        .find(|n| n.label.is_some())
        .or(reason.norms.last())
}

/// A list of statements as one run of text: "a; b; c".
fn joined(statements: &[Statement]) -> String {
    statements
        .iter()
        .map(sentence)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Who would have to act, in words.
fn class_word(lang: Lang, class: Class) -> &'static str {
    match class {
        Class::Party => say(lang, "partijen", "the parties", "les parties"),
        Class::Legislator => say(lang, "wetgever", "legislator", "législateur"),
        Class::Circumstance => say(lang, "feiten", "facts", "faits"),
    }
}

/// The memo's opening: the verdict and the law applied.
fn opening(e: &Explanation) -> Vec<MemoLine> {
    let memo = &e.memo;
    let lang = e.lang;
    let lawful = about_lawfulness(memo);
    let word = verdict_word(lang, memo.verdict, lawful);
    let what = match memo.verdict {
        Verdict::Holds => sentence(&memo.goal),
        Verdict::Fails => memo.opposite.as_ref().map_or_else(
            || super::words::not_the_case(lang, &sentence(&memo.goal)),
            sentence,
        ),
        Verdict::Undetermined => match lang {
            Lang::Nl => format!("de feiten beslissen niet of {}", sentence(&memo.goal)),
            Lang::En => format!("the facts do not decide whether {}", sentence(&memo.goal)),
            Lang::Fr => format!(
                "les faits ne permettent pas de dire si {}",
                sentence(&memo.goal)
            ),
        },
    };
    let mut lines = vec![MemoLine::new(
        0,
        vec![
            Seg::Strong(word.to_string()),
            Seg::Text(format!(": {what}.")),
        ],
    )];
    let law = match (memo.date, lang) {
        (Some(d), Lang::Nl) => format!("Naar het recht dat gold op {d}"),
        (Some(d), Lang::En) => format!("Under the law in force on {d}"),
        (Some(d), Lang::Fr) => format!("Selon le droit en vigueur le {d}"),
        (None, _) => say(
            lang,
            "Naar het recht zonder datum (elke geldigheidsperiode genegeerd)",
            "Under the law without a date (every period of validity ignored)",
            "Selon le droit sans date (toute période de validité ignorée)",
        )
        .to_string(),
    };
    let mut segs = vec![Seg::Text(law)];
    if !memo.bills.is_empty() {
        // The bill names as code.
        segs.push(Seg::Text(
            say(
                lang,
                ", met wetsvoorstel ",
                ", with the bill ",
                ", avec la proposition ",
            )
            .into(),
        ));
        for (i, b) in memo.bills.iter().enumerate() {
            if i > 0 {
                segs.push(Seg::Text(", ".into()));
            }
            segs.push(Seg::Code(b.clone()));
        }
    }
    segs.push(Seg::Text(".".into()));
    lines.push(MemoLine::new(0, segs));
    lines
}

/// The ledger of assumptions: what the verdict rests on as assessed (open norms).
fn ledger(e: &Explanation) -> Vec<MemoLine> {
    let memo = &e.memo;
    if memo.assumptions.is_empty() {
        return Vec::new();
    }
    let lang = e.lang;
    let mut lines = vec![MemoLine::new(
        0,
        vec![Seg::Text(
            say(
                lang,
                "Op voorwaarde dat:",
                "Provided that:",
                "À condition que :",
            )
            .into(),
        )],
    )];
    for a in &memo.assumptions {
        let mut segs = vec![Seg::Text(sentence(&a.statement))];
        if let Some(norm) = &a.norm {
            segs.push(Seg::Text(" — ".into()));
            segs.extend(norm_segs(norm));
        }
        lines.push(MemoLine::new(1, segs));
    }
    lines
}

/// One reason: its first line, and the lines under it (facts, what averted it, ...).
struct ReasonLines {
    head: MemoLine,
    lifted: Option<MemoLine>,
    facts: Option<MemoLine>,
    detail: Vec<MemoLine>,
    averted: Option<MemoLine>,
}

fn reason_lines(e: &Explanation, number: usize, reason: &Reason) -> ReasonLines {
    let lang = e.lang;
    let mut segs = vec![Seg::Text(format!("{number}. "))];
    match reason.kind {
        ReasonKind::Against | ReasonKind::Open => {
            segs.push(Seg::Text(sentence(&reason.statement)));
        }
        ReasonKind::Layer => {
            // The layer, and what decided it when that says more.
            let shown = reason.decided_by.as_ref().unwrap_or(&reason.statement);
            segs.push(Seg::Text(sentence(shown)));
        }
    }
    if reason.kind == ReasonKind::Open {
        segs.push(Seg::Text(
            say(
                lang,
                " — niet vastgesteld",
                " — not established",
                " — non établi",
            )
            .into(),
        ));
    }
    if let Some(norm) = carrying(reason) {
        let cited = norm_segs(norm);
        if !cited.is_empty() {
            segs.push(Seg::Text(" — ".into()));
            segs.extend(cited);
        }
    }
    let head = MemoLine::new(1, segs);
    let mut detail = Vec::new();
    let mut lifted_line = None;
    if let Some(lifted) = &reason.lifted {
        let mut segs = vec![Seg::Text(
            say(lang, "uitzondering op ", "an exception to ", "exception à ").into(),
        )];
        segs.extend(norm_segs(&lifted.duty));
        lifted_line = Some(MemoLine::new(2, segs));
    }
    if !reason.absent.is_empty() && reason.kind == ReasonKind::Layer {
        let what = reason
            .absent
            .iter()
            .map(|s| super::words::not_the_case(lang, &sentence(s)))
            .collect::<Vec<_>>()
            .join("; ");
        detail.push(MemoLine::new(
            2,
            vec![Seg::Text(format!(
                "{}{what}",
                say(lang, "want ", "since ", "car ")
            ))],
        ));
    }
    if !reason.absent.is_empty() && reason.kind == ReasonKind::Open {
        detail.push(MemoLine::new(
            2,
            vec![Seg::Text(format!(
                "{}{}",
                say(lang, "ontbreekt: ", "missing: ", "manque : "),
                joined(&reason.absent)
            ))],
        ));
    }
    let facts = (!reason.facts.is_empty()).then(|| {
        MemoLine::new(
            2,
            vec![Seg::Text(format!(
                "{}{}",
                say(lang, "feiten: ", "facts: ", "faits : "),
                joined(&reason.facts)
            ))],
        )
    });
    let averted = reason.averted_by.as_ref().map(|a| {
        let mut segs = vec![Seg::Text(
            say(
                lang,
                "was afgewend als: ",
                "would have been averted if: ",
                "aurait été évité si : ",
            )
            .into(),
        )];
        segs.extend(alternative_segs(a));
        MemoLine::new(2, segs)
    });
    ReasonLines {
        head,
        lifted: lifted_line,
        facts,
        detail,
        averted,
    }
}

/// A set of conditions: each in words, then the norm asking for the first.
fn alternative_segs(a: &Alternative) -> Vec<Seg> {
    let mut segs = vec![Seg::Text(
        a.conditions
            .iter()
            .map(|c| sentence(&c.statement))
            .collect::<Vec<_>>()
            .join("; "),
    )];
    let mut norms: Vec<&Norm> = Vec::new();
    for c in &a.conditions {
        if let Some(n) = &c.norm {
            if !norms.contains(&n) {
                norms.push(n);
            }
        }
    }
    if let Some(norm) = norms.first() {
        segs.push(Seg::Text(" — ".into()));
        segs.extend(norm_segs(norm));
    }
    segs
}

fn remedy_line(e: &Explanation, number: usize, a: &Alternative) -> MemoLine {
    let mut segs = vec![Seg::Text(format!(
        "{number}. ({}) ",
        class_word(e.lang, a.class())
    ))];
    segs.extend(alternative_segs(a));
    MemoLine::new(1, segs)
}

/// How much of the memo to keep.
#[derive(Clone, Copy)]
struct Keep {
    averted: bool,
    lifted: bool,
    facts: bool,
    details: bool,
    remedies: usize,
    reasons: usize,
}

/// The memo's lines. `full`: everything; otherwise the summary, within [`MAX_LINES`] lines
/// of [`WIDTH`] characters.
pub fn memo_lines(e: &Explanation, full: bool) -> Vec<MemoLine> {
    let all = Keep {
        averted: true,
        lifted: true,
        facts: true,
        details: true,
        remedies: usize::MAX,
        reasons: usize::MAX,
    };
    if full {
        return build(e, all);
    }
    // Least telling first: averting conditions, remedies beyond the second, the facts,
    // the details, remedies beyond the first, the exceptions that lifted a duty, then
    // reasons from the last.
    let mut keep = Keep { remedies: 3, ..all };
    let steps: [fn(&mut Keep); 7] = [
        |k| k.averted = false,
        |k| k.remedies = 2,
        |k| k.facts = false,
        |k| k.details = false,
        |k| k.remedies = 1,
        |k| k.lifted = false,
        |k| k.reasons = k.reasons.saturating_sub(1),
    ];
    let mut lines = build(e, keep);
    let height = |lines: &[MemoLine]| lines.iter().map(MemoLine::height).sum::<usize>();
    let mut step = 0;
    while height(&lines) > MAX_LINES {
        if step < steps.len() - 1 {
            steps[step](&mut keep);
            step += 1;
        } else {
            if keep.reasons == usize::MAX {
                keep.reasons = e.memo.reasons.len();
            }
            if keep.reasons == 0 {
                break;
            }
            steps[steps.len() - 1](&mut keep);
        }
        lines = build(e, keep);
    }
    lines
}

fn build(e: &Explanation, keep: Keep) -> Vec<MemoLine> {
    let memo = &e.memo;
    let lang = e.lang;
    let mut lines = opening(e);
    lines.extend(ledger(e));
    if !memo.reasons.is_empty() {
        let heading = match (memo.verdict, about_lawfulness(memo)) {
            (Verdict::Fails, true) => say(
                lang,
                "Beslissend (gronden van onrechtmatigheid):",
                "Decisive (grounds of unlawfulness):",
                "Déterminant (causes d'illicéité) :",
            ),
            (Verdict::Fails, false) => say(
                lang,
                "Beslissend (gronden voor het tegendeel):",
                "Decisive (grounds for the opposite):",
                "Déterminant (fondements du contraire) :",
            ),
            (Verdict::Holds, _) => say(
                lang,
                "Beslissend (elke voorwaarde met de norm die haar draagt):",
                "Decisive (each condition with the norm that carries it):",
                "Déterminant (chaque condition avec la norme qui la porte) :",
            ),
            (Verdict::Undetermined, _) => say(lang, "Open:", "Open:", "En suspens :"),
        };
        lines.push(MemoLine::new(0, vec![Seg::Text(heading.into())]));
        let shown = memo.reasons.len().min(keep.reasons);
        for (i, reason) in memo.reasons.iter().take(shown).enumerate() {
            let r = reason_lines(e, i + 1, reason);
            lines.push(r.head);
            if keep.lifted {
                lines.extend(r.lifted);
            }
            if keep.details {
                lines.extend(r.detail);
            }
            if keep.facts {
                lines.extend(r.facts);
            }
            if keep.averted {
                lines.extend(r.averted);
            }
        }
        if shown < memo.reasons.len() {
            lines.push(MemoLine::new(
                1,
                vec![Seg::Text(more(lang, memo.reasons.len() - shown))],
            ));
        }
    }
    if let (Some(remedies), false) = (&memo.remedies, memo.verdict == Verdict::Holds) {
        let heading = match about_lawfulness(memo) {
            true => say(
                lang,
                "Wat het rechtmatig zou maken:",
                "What would make it lawful:",
                "Ce qui le rendrait licite :",
            ),
            false => say(
                lang,
                "Wat het zou doen gelden:",
                "What would make it hold:",
                "Ce qui le rendrait admis :",
            ),
        };
        lines.push(MemoLine::new(0, vec![Seg::Text(heading.into())]));
        if remedies.is_empty() {
            lines.push(MemoLine::new(
                1,
                vec![Seg::Text(
                    say(
                        lang,
                        "niets dat een partij of de wetgever volgens de gecodeerde normen kan doen",
                        "nothing a party or the legislator can do under the encoded norms",
                        "rien qu'une partie ou le législateur puisse faire selon les normes encodées",
                    )
                    .into(),
                )],
            ));
        }
        let shown = remedies.len().min(keep.remedies);
        for (i, remedy) in remedies.iter().take(shown).enumerate() {
            lines.push(remedy_line(e, i + 1, remedy));
        }
        if shown < remedies.len() {
            lines.push(MemoLine::new(
                1,
                vec![Seg::Text(more(lang, remedies.len() - shown))],
            ));
        }
    }
    lines
}

/// "… and 2 more (see the full memo)".
fn more(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Nl => format!("… en nog {n} (zie het volledige memo)"),
        Lang::En => format!("… and {n} more (see the full memo)"),
        Lang::Fr => format!("… et {n} de plus (voir la note complète)"),
    }
}
