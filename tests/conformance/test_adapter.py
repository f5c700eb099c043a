"""Tests of the conformance adapter's rendering, without the binary.

    python tests/conformance/test_adapter.py      (or pytest; `tests/conformance/run` runs it first)

Each test is a translation rule of docs/conformance.md, shown on a made-up case.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))
import adapter  # noqa: E402


def theory(**parts):
    empty = dict(facts={}, strict_rules=[], defeasible_rules=[], defeaters=[], superiority=[])
    return SimpleNamespace(**{**empty, **parts})


def rule(id, head, *body):
    return SimpleNamespace(id=id, head=head, body=list(body))


def test_lower_case_variables_of_souffle_rules_become_variables():
    text = adapter.render_rule("live(x,v) :- not def(x,v), out(x,v), x != \"a\".", "souffle")
    assert text == 'live(V_x,V_v) :- not def(V_x,V_v), out(V_x,V_v), V_x != "a".'
    # Other dialects keep lower-case words as symbols.
    assert adapter.render_rule("p(a) :- q(a).", "nemo") == "p(a) :- q(a)."


def test_theory_literals_follow_the_dialect_of_the_case_too():
    # A strict-only theory harvested from Soufflé writes its variables in lower case as well:
    # rendered as symbols, `live_vars_in(x,v) :- use(x,v)` concluded nothing.
    t = theory(strict_rules=[rule("r1", "live(x,v)", "use(x,v)"), rule("r2", "A(a, b, a+b)", "R(a,b)")])
    text = adapter.render_theory(t, "souffle", adapter.Names())
    assert "r1: live(V_x,V_v) :- use(V_x,V_v)." in text
    assert "r2: A(V_a, V_b, V_a+V_b) :- R(V_a,V_b)." in text


def test_a_bare_name_in_literal_position_is_a_zero_arity_atom():
    t = theory(facts={"L1": [()], "~p": [()]}, defeasible_rules=[rule("r1", "L2", "L1", "not ~q")])
    text = adapter.render_theory(t, "spindle-racket", adapter.Names())
    assert text.splitlines() == ["L1().", "~p.", "r1: default L2() :- L1(), not ~q."]


def test_names_that_are_not_identifiers_are_renamed_and_restored():
    names = adapter.Names()
    t = theory(facts={"b:bird": [()]}, defeasible_rules=[rule("r1", "soars", "b:bird")])
    text = adapter.render_theory(t, "spindle-racket", names)
    assert text.splitlines() == ["b_bird_.", "r1: default soars :- b_bird_."]
    assert names.restore("b_bird_") == "b:bird" and names.restore("~b_bird_") == "~b:bird"
    assert names.restore("soars") == "soars"


def test_values_keep_their_kind():
    assert adapter.render_value(3) == "3"
    assert adapter.render_value("3") == '"3"'
    assert adapter.render_value('say "hi"\n') == '"say \\"hi\\"\\n"'


def test_the_first_error_names_the_failure_and_warnings_never_do():
    document = {
        "schema": "grondslag-diagnostics/1",
        "diagnostics": [
            {"code": "undefined_predicate", "severity": "warning", "message": "`q` is never defined", "file": "case.law", "line": 1},
            {"code": "unsafe_variable", "severity": "error", "message": "variable `X` is never bound", "file": "case.law", "line": 2},
        ],
    }
    error = adapter.first_error(document)
    assert error.code == "unsafe_variable" and "case.law:2" in str(error)
    assert adapter.first_error({"diagnostics": [document["diagnostics"][0]]}).code == "evaluation_failed"
    assert adapter.Code("unsafe_variable") == "SafetyViolationError"


def test_only_asserted_predicates_are_read_back():
    program_case = SimpleNamespace(theory=None, expect={"p": [], "q": [(1,)]}, expect_per_policy=None)
    assert adapter.asserted_predicates(program_case) == {"p", "q"}
    theory_case = SimpleNamespace(
        theory=object(),
        expect=None,
        expect_per_policy={"blocking": {"defeasibly": {"p": []}}, "propagating": {"undecided": {"~q": []}}},
    )
    assert adapter.asserted_predicates(theory_case) == {"p", "~q"}


if __name__ == "__main__":
    tests = [f for name, f in sorted(globals().items()) if name.startswith("test_")]
    for test in tests:
        test()
    print(f"adapter: {len(tests)} tests passed")
