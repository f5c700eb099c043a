#!/usr/bin/env python3
"""Defeasible workloads (issue 7 point 6): growth of grondslag's time with the size of the
ground theory, each result checked against conclusions this script derives on its own from
the workload's structure.

    python3 bench/defeasible.py                       # N = 1,000, 10,000, 100,000; 5 runs each
    python3 bench/defeasible.py --sizes 1000,10000 --runs 3 --only chain
    python3 bench/defeasible.py --baseline /tmp/old/release/grondslag   # an earlier build beside this one

Workloads (fixed seeds):
  chain    p(0) => p(1) => ... => p(N), every step its own labelled rule, attacked by a weaker
           rule for ~p(i) (N steps: 2N rules, N superiority pairs), as in the SPINdle chain.
  nixon    N individuals; the even ones are Nixon diamonds (quaker and republican, two
           unprioritised rules for pacifist / ~pacifist), the odd ones quakers only; downstream
           `active` / `~active` rules show ambiguity blocking.
  secrecy  professional secrecy over N confidences: the secrecy rule, three exceptions that
           beat it (consent, legal duty, conflict of duties), a defeater (consent of a
           dependent patient) that only the legal duty beats, a downstream defeasible rule and
           a strict rule with negation as failure over the defeasible conclusion.
  strata   a chain of N predicates, each its own stratum: p0(c) for three constants, then
           `r_i: default p_i(X) :- p_(i-1)(X).` (grounding per stratum must cost the stratum,
           not the whole program).
  loops    N self-supporting loops in one stratum, each settled only once the one before it
           is: x(i) :- x(i) or b(i); b(i) beats ~b(i) only while x(i-1) may hold (the case
           where deciding unfounded loops stratum-wide, pass after pass, is quadratic).

Timed command: `grondslag --kb none model --format json FILE` (output to a file), the same run
whose output is checked. One more, untimed run with `--stats` gives the size of the ground
theory (literals + rule instances + ground superiority pairs), against which growth is judged,
and where the time goes by phase. Output under bench/out/defeasible/.
"""

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys

BENCH = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, BENCH)
import run as harness  # noqa: E402  (the measuring helper and the build step)

OUT = os.path.join(harness.OUT, "defeasible")


def chain(n):
    lines = ["p(0)."]
    for i in range(1, n + 1):
        lines.append(f"s{i}: default p({i}) :- p({i - 1}).")
        lines.append(f"a{i}: default ~p({i}) :- p({i - 1}).")
        lines.append(f"s{i} > a{i}.")
    expected = {
        "defeasibly": {"p": {(i,) for i in range(n + 1)}, "~p": set()},
        "definitely": {"p": {(0,)}},
    }
    return "\n".join(lines) + "\n", expected


def nixon(n):
    lines = [
        "q: default pacifist(X) :- quaker(X).",
        "r: default ~pacifist(X) :- republican(X).",
        "d1: default active(X) :- person(X).",
        "d2: default ~active(X) :- pacifist(X).",
    ]
    diamonds = {(i,) for i in range(0, n, 2)}
    quakers_only = {(i,) for i in range(1, n, 2)}
    for i in range(n):
        lines.append(f"person({i}). quaker({i}).")
        if i % 2 == 0:
            lines.append(f"republican({i}).")
    expected = {
        # Diamonds: neither pacifist nor ~pacifist; so d2 does not apply and active holds.
        # Quakers only: pacifist holds; d1 and d2 then conflict unprioritised: neither.
        "defeasibly": {
            "pacifist": quakers_only,
            "~pacifist": set(),
            "active": diamonds,
            "~active": set(),
        },
        "undecided": {
            "pacifist": diamonds,
            "~pacifist": diamonds,
            "active": quakers_only,
            "~active": quakers_only,
        },
    }
    return "\n".join(lines) + "\n", expected


def secrecy(n):
    rng = random.Random(7)
    lines = [
        '@source("Sw. art. 458: the professional keeps the secret")',
        "secrecy: default ~may_disclose(C) :- confided(C).",
        "consent: default may_disclose(C) :- confided(C), consent(C).",
        "duty: default may_disclose(C) :- confided(C), legal_duty(C).",
        "conflict: default may_disclose(C) :- confided(C), conflict_of_duties(C).",
        "consent > secrecy.",
        "duty > secrecy.",
        "conflict > secrecy.",
        "dependent: defeater ~may_disclose(C) :- consent(C), dependent(C).",
        "duty > dependent.",
        "report: default reported(C) :- may_disclose(C).",
        "kept(C) :- confided(C), not may_disclose(C).",
    ]
    may, may_not, kept = set(), set(), set()
    for i in range(n):
        c = f"c{i}"
        consent = rng.random() < 0.3
        duty = rng.random() < 0.1
        conflict = rng.random() < 0.05
        dependent = consent and rng.random() < 0.5
        facts = [f"confided({c})."]
        facts += [f"consent({c})."] if consent else []
        facts += [f"legal_duty({c})."] if duty else []
        facts += [f"conflict_of_duties({c})."] if conflict else []
        facts += [f"dependent({c})."] if dependent else []
        lines.append(" ".join(facts))
        # Secrecy is beaten by any applicable exception; the defeater only by the duty.
        if (consent or duty or conflict) and (not dependent or duty):
            may.add((c,))
        if not (consent or duty or conflict):
            may_not.add((c,))
        if (c,) not in may:
            kept.add((c,))
    # `kept` comes from a strict rule, but its body reads a defeasible conclusion through
    # `not`: the conclusion is defeasible (+∂), not definite.
    expected = {
        "defeasibly": {"may_disclose": may, "~may_disclose": may_not, "reported": may, "kept": kept},
        "definitely": {"kept": set()},
    }
    return "\n".join(lines) + "\n", expected


def loops(n):
    lines = ["l0: default x(0) :- x(0)."]
    for i in range(1, n + 1):
        lines.append(f"l{i}: default x({i}) :- x({i}). m{i}: default x({i}) :- b({i}).")
        lines.append(f"ra{i}: default b({i}). rb{i}: default ~b({i}). rc{i}: default b({i}) :- x({i - 1}).")
        lines.append(f"rb{i} > ra{i}. rc{i} > rb{i}.")
    # x(0) has no support but itself: unfounded, so rc1 is discarded, ~b(1) wins, x(1) has no
    # support but itself, and so on down the chain.
    xs = {(i,) for i in range(n + 1)}
    bs = {(i,) for i in range(1, n + 1)}
    expected = {
        "defeasibly": {"~b": bs, "b": set(), "x": set()},
        "not_defeasibly": {"b": bs, "x": xs},
        "undecided": {"x": xs},
    }
    return "\n".join(lines) + "\n", expected


def strata(n):
    consts = ["a", "b", "c"]
    lines = [" ".join(f"p0({c})." for c in consts)]
    lines += [f"r{i}: default p{i}(X) :- p{i - 1}(X)." for i in range(1, n)]
    every = {(c,) for c in consts}
    expected = {
        "defeasibly": {f"p{i}": every for i in range(n)},
        "definitely": {"p0": every} | {f"p{i}": set() for i in range(1, n)},
    }
    return "\n".join(lines) + "\n", expected


WORKLOADS = {"chain": chain, "nixon": nixon, "secrecy": secrecy, "strata": strata, "loops": loops}


def check(model, expected):
    """Differences between the model's sections and the expected sets (empty: all agree)."""
    problems = []
    for section, preds in expected.items():
        for pred, tuples in preds.items():
            got = {tuple(t) for t in model.get(section, {}).get(pred, [])}
            if got != tuples:
                missing, extra = tuples - got, got - tuples
                problems.append(
                    f"{section} {pred}: {len(got)} found, {len(tuples)} expected "
                    f"(missing e.g. {sorted(missing)[:3]}, unexpected e.g. {sorted(extra)[:3]})"
                )
    return problems


def ground_theory(cmd):
    """One run with `--stats`: the ground theory's size (literals + rule instances + ground
    superiority pairs) and the phase times it reports."""
    err = subprocess.run(cmd[:1] + ["--stats"] + cmd[1:], capture_output=True, text=True).stderr
    sizes = re.search(r"(\d+) literals(?:, (\d+) rule instances, (\d+) ground superiority pairs)?", err)
    size = sum(int(g) for g in sizes.groups() if g) if sizes else 0
    phases = re.search(r"stats: (.*); total", err)
    return size, phases.group(1) if phases else ""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--only", help="comma-separated: " + ", ".join(WORKLOADS))
    parser.add_argument("--no-setup", action="store_true", help="do not build grondslag")
    parser.add_argument(
        "--baseline",
        metavar="BINARY",
        help="another grondslag build (e.g. an earlier commit), timed beside this one run by run, "
        "its conclusions checked too; tables for both and their ratio follow",
    )
    args = parser.parse_args()
    if not args.no_setup:
        harness.ensure_grondslag()
    os.makedirs(OUT, exist_ok=True)
    names = args.only.split(",") if args.only else list(WORKLOADS)
    sizes = [int(s) for s in args.sizes.split(",")]
    builds = [("grondslag", harness.GRONDSLAG)]
    if args.baseline:
        builds.append(("grondslag-before", os.path.abspath(args.baseline)))
    rows, failures = [], []
    for name in names:
        print(f"\n== {name}", flush=True)
        previous = {}
        for n in sizes:
            text, expected = WORKLOADS[name](n)
            path = os.path.join(OUT, f"{name}_{n}.law")
            with open(path, "w") as f:
                f.write(text)
            cmds = {label: [binary, "--kb", "none", "model", "--format", "json", path] for label, binary in builds}
            walls = {label: [] for label, _ in builds}
            cpus = {label: [] for label, _ in builds}
            peaks = {label: [] for label, _ in builds}
            problems = {label: None for label, _ in builds}
            failed = set()
            # The builds take turns, run by run, so that both see the same machine.
            for _ in range(args.runs):
                for label, _ in builds:
                    if label in failed:
                        continue
                    m = harness.measure(cmds[label])
                    if m.code != 0:
                        failures.append(f"{label} {name} N={n}: exit {m.code}: {m.stderr.strip()[:500]}")
                        failed.add(label)
                        continue
                    walls[label].append(m.wall)
                    cpus[label].append(m.cpu)
                    peaks[label].append(m.peak_mib)
                    if problems[label] is None:
                        problems[label] = check(json.loads(m.stdout), expected)
                        failures.extend(f"{label} {name} N={n}: {p}" for p in problems[label])
            for label, _ in builds:
                if not walls[label]:
                    continue
                wall, cpu = statistics.median(walls[label]), statistics.median(cpus[label])
                size, phases = ground_theory(cmds[label])
                before = previous.get(label)
                growth = (
                    f"{cpu / before[1]:5.1f}x cpu for {size / before[0]:.1f}x ground theory"
                    if before and before[0]
                    else ""
                )
                previous[label] = (size, cpu)
                ok = not problems[label]
                rows.append((label, name, n, size, wall, cpu, max(peaks[label]), ok))
                print(
                    f"   {label:16} N={n:>7}  ground theory {size:>8}  wall {wall:7.3f} s  cpu {cpu:7.3f} s  "
                    f"peak {max(peaks[label]):7.1f} MiB  {'conclusions ok' if ok else 'CONCLUSIONS DIFFER'}"
                    f"  {growth}\n   {'':26}  {phases}",
                    flush=True,
                )
    print(f"\nMedian of {args.runs} runs; machine: {harness.machine()}")
    for label, _ in builds:
        print(f"\n{label}:\n")
        print("| workload | N | ground theory | wall s | cpu s | cpu µs per element | peak MiB | conclusions |")
        print("|---|---:|---:|---:|---:|---:|---:|---|")
        for build, name, n, size, wall, cpu, peak, ok in rows:
            if build != label:
                continue
            per = f"{cpu / size * 1e6:.2f}" if size else "-"
            print(
                f"| {name} | {n} | {size} | {wall:.3f} | {cpu:.3f} | {per} | {peak:.1f} | "
                f"{'ok' if ok else 'DIFFER'} |"
            )
    if args.baseline:
        before = {(name, n): (wall, cpu) for build, name, n, _, wall, cpu, _, _ in rows if build == "grondslag-before"}
        print("\nthis build against the baseline (above 1: this build is slower):\n")
        print("| workload | N | wall s before | wall s now | × (wall) | cpu s before | cpu s now | × (cpu) |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for build, name, n, _, wall, cpu, _, _ in rows:
            if build != "grondslag" or (name, n) not in before:
                continue
            bw, bc = before[(name, n)]
            print(
                f"| {name} | {n} | {bw:.3f} | {wall:.3f} | {wall / bw:.2f} | {bc:.3f} | {cpu:.3f} | {cpu / bc:.2f} |"
            )
    if failures:
        print("\nFAILURES:", *failures, sep="\n  ")
        sys.exit(1)


if __name__ == "__main__":
    main()
