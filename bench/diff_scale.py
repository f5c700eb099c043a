#!/usr/bin/env python3
"""`grondslag diff` at scale: generate N case files, run the diff with both bundled bills over
them, and report the wall time and cases per second for each N.

The cases are drawn from a fixed seed in the case vocabulary (docs/vocabulary.md): Dutch
municipalities, care providers and partnerships exchanging data for the purposes the bills
touch (multi-problem approach, crime prevention in Flemish case consultations) and others, with
varying data kinds, necessity, consent and safeguards — so that some verdicts flip and most do
not, as in a real corpus. Standard library only.

    python3 bench/diff_scale.py                      # N = 100, 1000, 10000
    python3 bench/diff_scale.py --sizes 500 --jobs 2 --binary target/release/grondslag
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
BILLS = ["knowledge/bills/wams.law", "knowledge/bills/vlaams_casusoverleg.law"]

NL_ORGS = [
    ("municipality", "gemeente"), ("neighbourhood_team", "wijkteam"),
    ("youth_care_provider", "jeugdhulp"), ("medical_provider", "huisarts"),
    ("housing_corporation", "corporatie"), ("veilig_thuis", "veilig_thuis"),
    ("police", "politie"), ("zvh", "zvh"),
]
BE_ORGS = [
    ("municipality", "stad"), ("ocmw", "ocmw"), ("welfare_centre", "caw"),
    ("youth_care_provider", "jeugdzorg"), ("employment_agency", "vdab"),
]
PURPOSES = [
    "multi_problem_approach", "care", "care_assessment", "youth_care", "crime_prevention",
    "integrity_protection", "public_order", "fraud_control", "debt_early_warning",
]
DATA = ["identity", "ordinary", "contact_details", "health", "confided", "criminal", "bsn",
        "arrears", "parenting_information"]


def dutch_case(rng, i):
    """A disclosure between two Dutch organisations."""
    (t1, n1), (t2, n2) = rng.sample(NL_ORGS, 2)
    a, b = f"{n1}_{i}", f"{n2}_{i}"
    lines = [
        f"org_type({a}, {t1}).  jurisdiction({a}, nl).",
        f"org_type({b}, {t2}).  jurisdiction({b}, nl).",
        f"disclosure(d{i}, {a}, {b}, persoon_{i}).",
        f"purpose(d{i}, {rng.choice(PURPOSES[:4] + PURPOSES[6:])}).",
        f"necessity(d{i}, {rng.choice('abc')}).",
    ]
    for kind in rng.sample(DATA, rng.randint(1, 3)):
        lines.append(f"data(d{i}, {kind}).")
    if rng.random() < 0.3:
        lines.append(f"consent(d{i}).")
        for q in rng.sample(["specific", "informed", "unambiguous", "explicit"], rng.randint(1, 4)):
            lines.append(f"consent_is(d{i}, {q}).")
    if rng.random() < 0.2:
        lines.append(f"less_intrusive_means(d{i}).")
    if rng.random() < 0.5:
        lines.append(f"informed(d{i}).")
    return lines


def flemish_case(rng, i):
    """A case consultation of Flemish partners, as in scenario 1."""
    members = rng.sample(BE_ORGS, rng.randint(2, 4))
    c = f"overleg_{i}"
    lines = [f"consultation({c}).", f"consultation_purpose({c}, {rng.choice(['crime_prevention', 'integrity_protection'])})."]
    names = []
    for t, n in members:
        o = f"{n}_{i}"
        names.append(o)
        lines.append(f"org_type({o}, {t}).  jurisdiction({o}, flanders).  participant({c}, {o}).")
    if rng.random() < 0.5:
        lines.append(f"consultation_instrument({c}, protocol_{i}).  instrument(protocol_{i}, protocol).")
    if rng.random() < 0.6:
        lines.append(f"bound_to_secrecy({c}).")
    if rng.random() < 0.7:
        # The kind of consultation the draft decree organises (project SAMEN's).
        lines.append(f"partnership_type({c}, risk_youth_consultation).")
    lines.append(f"org_type(politie_{i}, police).  jurisdiction(politie_{i}, be_federal).  participant({c}, politie_{i}).")
    d = f"d{i}"
    lines += [
        f"disclosure({d}, {names[0]}, politie_{i}, jongere_{i}).",
        f"in_consultation({d}, {c}).  channel({d}, case_consultation).  frequency({d}, {rng.choice(['structural', 'ad_hoc'])}).",
        f"purpose({d}, {rng.choice(['crime_prevention', 'integrity_protection'])}).  necessity({d}, {rng.choice('ab')}).",
    ]
    for kind in rng.sample(["identity", "confided", "ordinary", "health"], rng.randint(1, 2)):
        lines.append(f"data({d}, {kind}).")
    return lines


def generate(n, directory, seed=5):
    rng = random.Random(seed)
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    for i in range(n):
        flemish = rng.random() < 0.4
        body = flemish_case(rng, i) if flemish else dutch_case(rng, i)
        date = f"20{rng.randint(22, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        header = f'case gen_{i} "Generated case {i}" date {date}.'
        with open(os.path.join(directory, f"case_{i:05d}.law"), "w") as f:
            f.write(header + "\n" + "\n".join(body) + "\n")


def run(binary, directory, jobs):
    args = [binary]
    for bill in BILLS:
        args += ["--bill", bill]
    args += ["diff", "--format", "json", directory]
    if jobs:
        args += ["--jobs", str(jobs)]
    start = time.perf_counter()
    out = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if out.returncode != 0:
        sys.exit(f"diff failed ({out.returncode}):\n{out.stderr[-3000:]}")
    report = json.loads(out.stdout)
    return elapsed, report["summary"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--binary", default=os.path.join(ROOT, "target", "release", "grondslag"))
    parser.add_argument("--jobs", type=int, default=0, help="--jobs for diff (default: one per core)")
    parser.add_argument("--out", default=os.path.join(BENCH, "out", "diff_scale"))
    args = parser.parse_args()
    if not os.path.exists(args.binary):
        sys.exit(f"no binary at {args.binary}: cargo build --release first")
    print(f"{'cases':>7} {'seconds':>9} {'cases/s':>9} {'changed':>8} {'failed':>7}")
    for n in [int(s) for s in args.sizes.split(",")]:
        directory = os.path.join(args.out, f"n{n}")
        generate(n, directory)
        elapsed, summary = run(args.binary, directory, args.jobs)
        print(f"{n:>7} {elapsed:>9.2f} {n / elapsed:>9.1f} {summary['changed']:>8} {summary['failed']:>7}", flush=True)


if __name__ == "__main__":
    main()
