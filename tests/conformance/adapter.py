"""Runs datalog-conformance cases against the grondslag binary, through its CLI.

Each case is rendered as a `.law` file (SPEC §2) and evaluated with
`grondslag --kb none model --format json`; the JSON sections come back as the suite's model.
Nothing here knows any case by name: the translation is by dialect (which engine the case was
harvested from) and the error vocabulary is translated by one table (see docs/conformance.md).
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

_TOKEN = re.compile(
    r'"(?:[^"\\]|\\.)*"'  # string
    r"|[A-Za-z_][A-Za-z0-9_]*"  # identifier
    r"|:-|!=|<=|>=|\s+|."  # operators, space, anything else
)


def render_rule(rule: str, dialect: str) -> str:
    """One rule in grondslag syntax. In lower-case-variable dialects, identifiers in term
    position (not followed by `(`, not keywords) become variables `V_name`."""
    rule = rule.strip()
    if rule.endswith("."):
        rule = rule[:-1]
    if dialect not in LOWER_CASE_VARIABLE_DIALECTS:
        return rule + "."
    tokens = _TOKEN.findall(rule)
    out = []
    for i, tok in enumerate(tokens):
        following = next((t for t in tokens[i + 1 :] if not t.isspace()), "")
        is_ident = re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", tok) is not None
        if is_ident and following != "(" and tok not in ("not", "mod", "count", "sum", "min", "max") and tok != "_":
            if tok[0].islower():
                tok = "V_" + tok
        out.append(tok)
    return "".join(out) + "."


def render_value(value: object) -> str:
    if isinstance(value, bool):
        return '"true"' if value else '"false"'
    if isinstance(value, int):
        return str(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{text}"'


def render_atom(pred: str, row: tuple) -> str:
    if not row:
        return f"{pred}()" if pred[0].isupper() else pred
    return f"{pred}({', '.join(render_value(v) for v in row)})"


def dialect_of(source: str) -> str:
    return source.split("/", 1)[0]


def render_program(program, source: str) -> str:
    lines = []
    for pred, rows in program.facts.items():
        for row in rows:
            lines.append(render_atom(pred, tuple(row)) + ".")
    dialect = dialect_of(source)
    for rule in program.rules:
        lines.append(render_rule(rule, dialect))
    return "\n".join(lines) + "\n"


def _literal(text: str) -> str:
    return text.strip().removesuffix(".")


def render_theory(theory) -> str:
    lines = []
    for pred, rows in theory.facts.items():
        for row in rows:
            lines.append(render_atom(pred, tuple(row)) + ".")
    for kind, rules in (("", theory.strict_rules), ("default ", theory.defeasible_rules), ("defeater ", theory.defeaters)):
        for rule in rules:
            body = ", ".join(_literal(b) for b in rule.body)
            head = _literal(rule.head)
            text = f"{rule.id}: {kind}{head}"
            lines.append(text + (f" :- {body}." if body else "."))
    for stronger, weaker in theory.superiority:
        lines.append(f"{stronger} > {weaker}.")
    return "\n".join(lines) + "\n"


def _tuples(rows) -> set:
    return {tuple(row) for row in rows}


def run_model(text: str, policy: str | None = None) -> dict:
    """Evaluate `.law` text; the model's JSON sections, or a GrondslagError."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "case.law"
        path.write_text(text, encoding="utf-8")
        args = [str(BINARY), "--kb", "none"]
        if policy:
            args += ["--policy", policy]
        done = subprocess.run(args + ["model", "--format", "json", str(path)], capture_output=True, text=True, timeout=120)
        if done.returncode == 0:
            return json.loads(done.stdout)
        checked = subprocess.run(args + ["check", "--format", "json", str(path)], capture_output=True, text=True, timeout=120)
        try:
            report = json.loads(checked.stdout)
            errors = [d for d in report["diagnostics"] if d["severity"] == "error"]
        except (json.JSONDecodeError, KeyError):
            errors = []
        code = errors[0]["code"] if errors else "evaluation_failed"
        raise GrondslagError(code, done.stderr.strip() or checked.stdout.strip())


class Evaluator:
    """The suite's DatalogEvaluator and DefeasibleEvaluator, in one."""

    # Set by the runner before each case: the case's `source` decides the rule dialect.
    source = "manual"

    def evaluate(self, program_or_theory, policy=None):
        if policy is None:
            sections = run_model(render_program(program_or_theory, self.source))
            return {pred: _tuples(rows) for pred, rows in sections["definitely"].items()}
        sections = run_model(render_theory(program_or_theory), policy=policy.value)
        return {name: {pred: _tuples(rows) for pred, rows in preds.items()} for name, preds in sections.items()}
