"""Run the datalog-conformance suite against grondslag and summarise per tag.

    python tests/conformance/run.py [--tags basic,recursion,negation,errors,defeasible] [--jobs 2] [-k NAME] [-v]

Each case is one `grondslag` process; `--jobs` of them run at a time (default 2, or
$CONFORMANCE_JOBS). Exits non-zero when a case fails that is not listed, with its reason, in
tests/conformance/divergences.txt (each entry is argued in docs/conformance.md).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

# The suite reads its YAML with `yaml.safe_load`, the pure-Python parser; libyaml's parser
# builds the same data four times faster, and discovery is a large part of the run.
if getattr(yaml, "__with_libyaml__", False):
    yaml.safe_load = lambda stream: yaml.load(stream, Loader=yaml.CSafeLoader)

from datalog_conformance import discover_yaml_tests  # noqa: E402
from datalog_conformance.runner import YamlTestRunner  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from adapter import Evaluator, asserted_predicates  # noqa: E402

HERE = Path(__file__).resolve().parent


def divergences() -> dict[str, str]:
    listed = {}
    for line in (HERE / "divergences.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, reason = line.partition(" ")
            listed[name] = reason.strip()
    return listed


def run_case(case) -> tuple[str | None, float]:
    """Why the case failed (None when it passes), and how long it took."""
    started = time.monotonic()
    try:
        YamlTestRunner(Evaluator(case.source, asserted_predicates(case))).run_test_case(case)
    except Exception as exc:  # noqa: BLE001 - every failure is reported
        return str(exc) or type(exc).__name__, time.monotonic() - started
    return None, time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tags", default="basic,recursion,negation,errors,defeasible")
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("CONFORMANCE_JOBS", "2")))
    parser.add_argument("-k", "--match", default="", help="only cases whose name contains this")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    wanted = {t.strip() for t in args.tags.split(",") if t.strip()}
    known = divergences()
    passed, failed, diverged, skipped = Counter(), Counter(), Counter(), Counter()
    selected = []
    for _, case in discover_yaml_tests():
        tags = wanted & set(case.tags)
        if not tags or args.match not in case.name:
            continue
        # A case counts once, under the first of its wanted tags.
        tag = sorted(tags)[0]
        if case.skip:
            skipped[tag] += 1
            continue
        selected.append((tag, case))
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        outcomes = list(pool.map(lambda tc: run_case(tc[1]), selected))
    unexpected = []
    for (tag, case), (failure, _) in zip(selected, outcomes):
        if failure is None:
            if case.name in known:
                print(f"NOTE {case.name} is listed as divergent but passes: remove it from divergences.txt")
            passed[tag] += 1
        elif case.name in known:
            diverged[tag] += 1
            if args.verbose:
                print(f"DIVERGES {case.name}: {known[case.name]}")
        else:
            failed[tag] += 1
            unexpected.append(case.name)
            print(f"FAIL {case.name} [{case.source}]: {failure[:600]}")
    if args.verbose:
        slowest = sorted(zip(outcomes, selected), key=lambda o: -o[0][1])[:5]
        print("slowest: " + ", ".join(f"{case.name} {seconds:.1f}s" for (_, seconds), (_, case) in slowest))
    for tag in sorted(wanted):
        print(f"{tag}: {passed[tag]} passed, {failed[tag]} failed, {diverged[tag]} divergent (documented), {skipped[tag]} skipped")
    total_passed, total_failed = sum(passed.values()), sum(failed.values())
    print(
        f"conformance: {total_passed} passed, {total_failed} failed, {sum(diverged.values())} documented divergences"
        f" ({len(selected)} cases in {time.monotonic() - started:.1f}s, {args.jobs} jobs)"
    )
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
