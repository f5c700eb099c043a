"""Runs datalog-conformance cases against the grondslag binary, through its CLI.

Each case is rendered as a `.law` file (docs/language.md) and evaluated with one process,
`grondslag --kb none model --format json`; the JSON sections come back as the suite's model,
or the first `error[code]` of the rendered diagnostics becomes the raised error. Nothing here
knows any case by name: the translation is by dialect (which engine the case was harvested
from) and by position (a theory's head and body strings are one literal each); the error
vocabulary is translated by one table (see docs/conformance.md).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("GRONDSLAG_BIN", REPO / "target" / "debug" / "grondslag"))

# Our stable codes, and the names other engines (and so the suite) give the same error.
ERROR_ALIASES = {
    "unsafe_variable": {"unsafe_variable", "unbound_variable", "safety_violations", "SafetyViolationError"},
    "cyclic_negation": {"cyclic_negation", "unstratifiable", "StratificationError"},
    "arity_mismatch": {"arity_mismatch", "ArityMismatchError"},
}


class Code(str):
    """One of our diagnostic codes; equal to every name the alias table gives it."""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, str):
            return NotImplemented
        return other in ERROR_ALIASES.get(str(self), {str(self)})

    def __hash__(self) -> int:
        return str.__hash__(self)


class GrondslagError(Exception):
    """The program was rejected; `code` is the first error's stable code."""

    def __init__(self, code: str, rendered: str) -> None:
        super().__init__(rendered)
        self.code = Code(code)


# Engines whose rules write variables in lower case (an identifier in term position is a
# variable there; constants are quoted or numeric).
LOWER_CASE_VARIABLE_DIALECTS = ("souffle", "crepe")

# Words that stand in term position without being variables.
_KEYWORDS = ("not", "mod", "count", "sum", "min", "max", "_")

_TOKEN = re.compile(
    r'"(?:[^"\\]|\\.)*"'  # string
    r"|[A-Za-z_][A-Za-z0-9_]*"  # identifier
    r"|:-|!=|<=|>=|\s+|."  # operators, space, anything else
)
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# One literal of a theory: `not`, strong negation `~`, the predicate name (any characters up
# to a parenthesis: SPINdle writes `b:bird` for an imported name), optional arguments.
_THEORY_LITERAL = re.compile(r"(not\s+)?(~\s*)?([^\s(~]+)\s*(?:\((.*)\))?", re.S)


def dialect_of(source: str) -> str:
    return source.split("/", 1)[0]


class Names:
    """Predicate names of one case as grondslag identifiers. A name that is not an identifier
    (`b:bird`) gets an identifier of its own; `original` maps it back for the model."""

    def __init__(self) -> None:
        self.original: dict[str, str] = {}
        self._given: dict[str, str] = {}

    def ident(self, name: str) -> str:
        if _IDENT.fullmatch(name):
            return name
        if name not in self._given:
            base = re.sub(r"[^A-Za-z0-9_]", "_", name)
            if not re.match(r"[A-Za-z_]", base):
                base = "p_" + base
            candidate, n = base + "_", 0
            while candidate in self.original:
                n += 1
                candidate = f"{base}_{n}"
            self._given[name] = candidate
            self.original[candidate] = name
        return self._given[name]

    def restore(self, rendered: str) -> str:
        negated = rendered.startswith("~")
        name = rendered[1:] if negated else rendered
        name = self.original.get(name, name)
        return "~" + name if negated else name


def render_terms(text: str, dialect: str) -> str:
    """Rule text with the dialect's variables made grondslag variables: in lower-case-variable
    dialects, identifiers in term position (not followed by `(`, not keywords) become `V_name`."""
    if dialect not in LOWER_CASE_VARIABLE_DIALECTS:
        return text
    tokens = _TOKEN.findall(text)
    out = []
    for i, tok in enumerate(tokens):
        following = next((t for t in tokens[i + 1 :] if not t.isspace()), "")
        if _IDENT.fullmatch(tok) and following != "(" and tok not in _KEYWORDS and tok[0].islower():
            tok = "V_" + tok
        out.append(tok)
    return "".join(out)


def render_rule(rule: str, dialect: str) -> str:
    """One rule of a program in grondslag syntax."""
    return render_terms(_literal(rule), dialect) + "."


def render_value(value: object) -> str:
    if isinstance(value, bool):
        return '"true"' if value else '"false"'
    if isinstance(value, int):
        return str(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{text}"'


def zero_arity(pred: str) -> str:
    """docs/language.md: a zero-arity atom is `p` or `p()`, and `P()` when its name starts upper-case."""
    return f"{pred}()" if pred.lstrip("~")[:1].isupper() else pred


def render_atom(pred: str, row: tuple, names: Names) -> str:
    negated = pred.startswith("~")
    name = ("~" if negated else "") + names.ident(pred.removeprefix("~"))
    if not row:
        return zero_arity(name)
    return f"{name}({', '.join(render_value(v) for v in row)})"


def render_theory_literal(text: str, dialect: str, names: Names) -> str:
    """One head or body string of a theory; each is exactly one literal, so a bare name is a
    zero-arity atom whatever its case (SPINdle writes propositions as `L1`)."""
    text = _literal(text)
    m = _THEORY_LITERAL.fullmatch(text)
    if m is None:  # a comparison or something else that is not an atom: terms only
        return render_terms(text, dialect)
    neg, strong, pred, args = m.groups()
    name = ("~" if strong else "") + names.ident(pred)
    atom = zero_arity(name) if args is None else f"{name}({render_terms(args, dialect)})"
    return ("not " if neg else "") + atom


def render_facts(facts, names: Names) -> list[str]:
    return [render_atom(pred, tuple(row), names) + "." for pred, rows in facts.items() for row in rows]


def render_program(program, source: str, names: Names) -> str:
    dialect = dialect_of(source)
    lines = render_facts(program.facts, names)
    lines += [render_rule(rule, dialect) for rule in program.rules]
    return "\n".join(lines) + "\n"


def _literal(text: str) -> str:
    return text.strip().removesuffix(".").strip()


def render_theory(theory, source: str, names: Names) -> str:
    dialect = dialect_of(source)
    lines = render_facts(theory.facts, names)
    for kind, rules in (("", theory.strict_rules), ("default ", theory.defeasible_rules), ("defeater ", theory.defeaters)):
        for rule in rules:
            head = render_theory_literal(rule.head, dialect, names)
            body = ", ".join(render_theory_literal(b, dialect, names) for b in rule.body)
            text = f"{rule.id}: {kind}{head}"
            lines.append(text + (f" :- {body}." if body else "."))
    for stronger, weaker in theory.superiority:
        lines.append(f"{stronger} > {weaker}.")
    return "\n".join(lines) + "\n"


# The model's sections in `model --format json` (beside its `schema` and `diagnostics`).
SECTIONS = ("definitely", "defeasibly", "not_defeasibly", "undecided")

def run_model(text: str, policy: str | None = None) -> dict:
    """Evaluate `.law` text in one process; the model's JSON sections, or a GrondslagError
    carrying the first error's code (warnings never fail a run)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "case.law"
        path.write_text(text, encoding="utf-8")
        args = [str(BINARY), "--kb", "none"]
        if policy:
            args += ["--policy", policy]
        done = subprocess.run(args + ["model", "--format", "json", str(path)], capture_output=True, text=True, timeout=120)
    try:
        document = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise GrondslagError("evaluation_failed", done.stderr.strip() or f"exit status {done.returncode}") from None
    if done.returncode == 0:
        return {section: document[section] for section in SECTIONS}
    raise first_error(document)


def first_error(document: dict) -> GrondslagError:
    """The first error of a diagnostics document (`grondslag-diagnostics/1`, what a command
    with `--format json` prints when its input has errors), as a GrondslagError."""
    for diagnostic in document.get("diagnostics", []):
        if diagnostic.get("severity") == "error":
            place = f"{diagnostic.get('file', '?')}:{diagnostic.get('line', '?')}"
            return GrondslagError(diagnostic["code"], f"{place}: {diagnostic.get('message', '')}")
    return GrondslagError("evaluation_failed", json.dumps(document))


class Evaluator:
    """The suite's DatalogEvaluator and DefeasibleEvaluator, in one, for cases harvested from
    `source` (which decides the rule dialect). When `asserted` names the predicates the case
    asserts, only those are read back (the suite compares no others; some Soufflé cases derive
    a million tuples elsewhere)."""

    def __init__(self, source: str = "manual", asserted: set[str] | None = None) -> None:
        self.source = source
        self.asserted = asserted

    def _relations(self, preds: dict, names: Names) -> dict:
        restored = ((names.restore(pred), rows) for pred, rows in preds.items())
        return {pred: _tuples(rows) for pred, rows in restored if self.asserted is None or pred in self.asserted}

    def evaluate(self, program_or_theory, policy=None):
        names = Names()
        if policy is None:
            sections = run_model(render_program(program_or_theory, self.source, names))
            return self._relations(sections["definitely"], names)
        sections = run_model(render_theory(program_or_theory, self.source, names), policy=policy.value)
        return {section: self._relations(preds, names) for section, preds in sections.items()}


def asserted_predicates(case) -> set[str]:
    """The predicates a case's expectations mention (for programs: predicate → rows; for
    theories: section → predicate → rows, possibly per policy)."""
    expectations = [case.expect] if case.expect else []
    expectations += list((case.expect_per_policy or {}).values())
    found: set[str] = set()
    for expectation in expectations:
        for key, value in expectation.items():
            if case.theory is not None and isinstance(value, dict):
                found.update(value.keys())
            else:
                found.add(key)
    return found


def _tuples(rows) -> set:
    return {tuple(row) for row in rows}
