#!/usr/bin/env python3
"""Side-by-side benchmark: grondslag against clingo (grounding only) and SWI-Prolog (tabling).

Generates every workload from a fixed seed under bench/out/, runs each engine on it several
times, checks that all engines report the tuple counts the generator computed on its own, and
prints the median wall time, the peak memory and the ratio to grondslag. Standard library only.

    python3 bench/run.py                      # everything, 5 runs each
    python3 bench/run.py --runs 3 --only tc_chain,load_edges
    python3 bench/run.py --engines grondslag  # just our engine (no peers installed)
    python3 bench/run.py --baseline /tmp/old/release/grondslag   # also an earlier build, side by side

See bench/README.md for the workloads and the latest results.
"""

import argparse
import datetime
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import deque

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
OUT = os.path.join(BENCH, "out")
VENV = os.path.join(BENCH, ".venv")
GRONDSLAG = os.path.join(ROOT, "target", "release", "grondslag")


# ---------------------------------------------------------------------------------------------
# Workloads. Each generator writes its facts once as TSV (grondslag, SWI-Prolog) and as clingo
# facts, returns the programs for each engine, and the expected counts computed here in Python
# from the graph itself — never taken from an engine's answer.
# ---------------------------------------------------------------------------------------------


class Workload:
    def __init__(self, name, title, facts, counted, expected):
        self.name = name
        self.title = title
        self.facts = facts  # {predicate: [(a, b), ...]}
        self.counted = counted  # [(predicate, arity)] whose sizes every engine reports
        self.expected = expected  # {predicate: count}
        self.rules = {}  # engine -> rule text (without facts)


def random_edges(rng, nodes, edges):
    """`edges` distinct directed edges between distinct nodes of 0..nodes-1."""
    seen = set()
    while len(seen) < edges:
        a, b = rng.randrange(nodes), rng.randrange(nodes)
        if a != b:
            seen.add((a, b))
    return sorted(seen)


def count_paths(nodes, edges):
    """Number of pairs (x, y) with a non-empty path from x to y: a BFS from every node."""
    succ = [[] for _ in range(nodes)]
    for a, b in edges:
        succ[a].append(b)
    total = 0
    for start in range(nodes):
        seen = set()
        todo = deque(succ[start])
        seen.update(succ[start])
        while todo:
            for n in succ[todo.popleft()]:
                if n not in seen:
                    seen.add(n)
                    todo.append(n)
        total += len(seen)
    return total


TC_GRONDSLAG = """@input("edge.tsv")
pred edge(X, Y).
path(X, Y) :- edge(X, Y).
path(X, Z) :- path(X, Y), edge(Y, Z).
"""
TC_CLINGO = """path(X, Y) :- edge(X, Y).
path(X, Z) :- path(X, Y), edge(Y, Z).
"""
TC_SWI = """:- table path/2.
path(X, Y) :- edge(X, Y).
path(X, Z) :- path(X, Y), edge(Y, Z).
"""


def tc_chain():
    n = 2000
    edges = [(i, i + 1) for i in range(n - 1)]
    w = Workload(
        "tc_chain",
        f"transitive closure, chain of {n} nodes",
        {"edge": edges},
        [("path", 2)],
        {"path": n * (n - 1) // 2},
    )
    w.rules = {"grondslag": TC_GRONDSLAG, "clingo": TC_CLINGO, "swipl": TC_SWI}
    return w


def tc_random():
    rng = random.Random(2)
    n, m = 2000, 4000
    edges = random_edges(rng, n, m)
    w = Workload(
        "tc_random",
        f"transitive closure, random graph ({n} nodes, {m} edges, seed 2)",
        {"edge": edges},
        [("path", 2)],
        {"path": count_paths(n, edges)},
    )
    w.rules = {"grondslag": TC_GRONDSLAG, "clingo": TC_CLINGO, "swipl": TC_SWI}
    return w


def same_generation():
    rng = random.Random(3)
    n = 5000
    # A random recursive tree: node i > 0 hangs under a uniformly chosen earlier node.
    parent = [None] + [rng.randrange(i) for i in range(1, n)]
    par = [(i, parent[i]) for i in range(1, n)]
    # sg(X, Y) holds exactly for distinct nodes at the same depth below the root.
    depth = [0] * n
    for i in range(1, n):
        depth[i] = depth[parent[i]] + 1
    per_depth = {}
    for d in depth[1:]:
        per_depth[d] = per_depth.get(d, 0) + 1
    expected = sum(k * (k - 1) for k in per_depth.values())
    w = Workload(
        "same_generation",
        f"same generation, random tree of {n} nodes (seed 3)",
        {"par": par},
        [("sg", 2)],
        {"sg": expected},
    )
    w.rules = {
        "grondslag": """@input("par.tsv")
pred par(Child, Parent).
sg(X, Y) :- par(X, P), par(Y, P), X != Y.
sg(X, Y) :- par(X, A), sg(A, B), par(Y, B).
""",
        "clingo": """sg(X, Y) :- par(X, P), par(Y, P), X != Y.
sg(X, Y) :- par(X, A), sg(A, B), par(Y, B).
""",
        "swipl": """:- table sg/2.
sg(X, Y) :- par(X, P), par(Y, P), X \\== Y.
sg(X, Y) :- par(X, A), sg(A, B), par(Y, B).
""",
    }
    return w


def big_graph():
    rng = random.Random(4)
    n, m = 200_000, 400_000
    return n, random_edges(rng, n, m)


def reach_negation():
    n, edges = big_graph()
    sources = list(range(0, n, 20_000))  # ten sources
    succ = [[] for _ in range(n)]
    for a, b in edges:
        succ[a].append(b)
    seen = set(sources)
    todo = deque(sources)
    while todo:
        for b in succ[todo.popleft()]:
            if b not in seen:
                seen.add(b)
                todo.append(b)
    present = {a for a, _ in edges} | {b for _, b in edges}
    w = Workload(
        "reach_negation",
        f"reachability with stratified negation, random graph ({n} nodes, {len(edges)} edges, seed 4)",
        {"edge": edges, "source": [(s,) for s in sources]},
        [("reach", 1), ("unreached", 1)],
        {"reach": len(seen), "unreached": len(present - seen)},
    )
    w.rules = {
        "grondslag": """@input("edge.tsv")
pred edge(X, Y).
@input("source.tsv")
pred source(X).
node(X) :- edge(X, _).
node(Y) :- edge(_, Y).
reach(X) :- source(X).
reach(Y) :- reach(X), edge(X, Y).
unreached(X) :- node(X), not reach(X).
""",
        "clingo": """node(X) :- edge(X, _).
node(Y) :- edge(_, Y).
reach(X) :- source(X).
reach(Y) :- reach(X), edge(X, Y).
unreached(X) :- node(X), not reach(X).
""",
        "swipl": """:- table reach/1 as subsumptive.
:- table node/1.
node(X) :- edge(X, _).
node(Y) :- edge(_, Y).
reach(X) :- source(X).
reach(Y) :- reach(X), edge(X, Y).
% reach/1 is counted first, so `\\+ reach(X)` reads its complete subsumptive table.
unreached(X) :- node(X), \\+ reach(X).
""",
    }
    return w


def load_edges():
    _, edges = big_graph()
    w = Workload(
        "load_edges",
        f"loading {len(edges)} edges from a file (the graph of reach_negation)",
        {"edge": edges},
        [("edge", 2)],
        {"edge": len(edges)},
    )
    w.rules = {
        "grondslag": """@input("edge.tsv")
pred edge(X, Y).
""",
        "clingo": "",
        "swipl": "",
    }
    return w


WORKLOADS = {
    "tc_chain": tc_chain,
    "tc_random": tc_random,
    "same_generation": same_generation,
    "reach_negation": reach_negation,
    "load_edges": load_edges,
}


# ---------------------------------------------------------------------------------------------
# Engines: each writes its program files into the workload's directory and returns the command
# of a timed run; `counts` reads the counted relations' sizes from that run's output (clingo
# needs a separate, untimed run, since `#show.` hides everything).
# ---------------------------------------------------------------------------------------------


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def var_list(arity):
    return ", ".join("ABCDEFGH"[i] for i in range(arity))


class Grondslag:
    def __init__(self, name="grondslag", binary=GRONDSLAG):
        self.name = name
        self.binary = binary

    def available(self):
        return os.path.exists(self.binary)

    def prepare(self, w, d):
        # A count query per relation: it reads the finished relation once, which costs little
        # next to evaluation (bench/README.md measures it against a query without answers).
        queries = "".join(
            f"bench_count_{p}(N) :- N = count {{ {var_list(a)} : {p}({var_list(a)}) }}.\n"
            f"?- bench_count_{p}(N).\n"
            for p, a in w.counted
        )
        write(os.path.join(d, "grondslag.law"), w.rules["grondslag"] + queries)

    def command(self, w, d):
        return [self.binary, "--kb", "none", "run", "--format", "json", os.path.join(d, "grondslag.law")]

    def counts(self, w, d, stdout):
        data = json.loads(stdout)
        results = data if isinstance(data, list) else data.get("queries", data.get("results", [data]))
        counts = {}
        for entry in results:
            query = entry["query"]
            pred = query.removeprefix("?- ").split("(")[0].removeprefix("bench_count_")
            counts[pred] = int(entry["answers"][0]["bindings"]["N"])
        return counts


class Clingo:
    name = "clingo"

    def python(self):
        return os.path.join(VENV, "bin", "python")

    def available(self):
        return os.path.exists(self.python())

    def prepare(self, w, d):
        write(os.path.join(d, "clingo.lp"), w.rules["clingo"] + "#show.\n")
        counts = "".join(
            f"bench_count_{p}(N) :- N = #count {{ {var_list(a)} : {p}({var_list(a)}) }}.\n"
            f"#show bench_count_{p}/1.\n"
            for p, a in w.counted
        )
        write(os.path.join(d, "clingo_count.lp"), w.rules["clingo"] + counts)

    def command(self, w, d):
        facts = [os.path.join(d, f"{p}.lp") for p in w.facts]
        return [self.python(), "-m", "clingo", "--outf=2", os.path.join(d, "clingo.lp")] + facts

    def counts(self, w, d, _stdout):
        facts = [os.path.join(d, f"{p}.lp") for p in w.facts]
        out = subprocess.run(
            [self.python(), "-m", "clingo", "--outf=2", os.path.join(d, "clingo_count.lp")] + facts,
            capture_output=True,
            text=True,
        )
        data = json.loads(out.stdout)
        counts = {}
        for atom in data["Call"][0]["Witnesses"][0]["Value"]:
            name, value = atom.rstrip(")").split("(")
            counts[name.removeprefix("bench_count_")] = int(value)
        return counts


class Swipl:
    name = "swipl"

    def available(self):
        return shutil.which("swipl") is not None

    def prepare(self, w, d):
        loads = []
        for p, rows in w.facts.items():
            arity = len(rows[0])
            loads.append(
                f"    csv_read_file('{os.path.join(d, p + '.tsv')}', Rows_{p}, "
                f"[separator(0'\\t), functor({p}), arity({arity}), convert(true)]),\n"
                f"    maplist(assertz, Rows_{p}),\n"
            )
        counts = "".join(
            f"    aggregate_all(count, {p}({', '.join('_' * a)}), N_{p}),\n"
            f"    format(\"~w ~w~n\", [{p}, N_{p}]),\n"
            for p, a in w.counted
        )
        dynamic = "".join(f":- dynamic {p}/{len(rows[0])}.\n" for p, rows in w.facts.items())
        write(
            os.path.join(d, "swipl.pl"),
            ":- use_module(library(csv)).\n"
            + dynamic
            + w.rules["swipl"]
            + "main :-\n"
            + "".join(loads)
            + counts
            + "    true.\n",
        )

    def command(self, w, d):
        return ["swipl", "-g", "main", "-t", "halt", os.path.join(d, "swipl.pl")]

    def counts(self, w, d, stdout):
        counts = {}
        for line in stdout.splitlines():
            name, value = line.split()
            counts[name] = int(value)
        return counts


ENGINES = {"grondslag": Grondslag(), "clingo": Clingo(), "swipl": Swipl()}


# ---------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------


# Runs one command and reports its wall time, CPU time and peak memory. It runs in a fresh,
# small interpreter: a child's peak resident size starts at the size of the process it was
# forked from, and this script holds the generated graphs (over 100 MiB for reach_negation).
# The floor is this helper's own size, about 10 MiB.
SPAWN = """
import json, os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - start
with open(sys.argv[1], "w") as f:
    json.dump({"wall": elapsed, "cpu": usage.ru_utime + usage.ru_stime,
               "peak_kib": usage.ru_maxrss, "code": os.waitstatus_to_exitcode(status)}, f)
"""


class Measurement:
    def __init__(self, wall, cpu, peak_mib, code, stdout, stderr):
        self.wall, self.cpu, self.peak_mib = wall, cpu, peak_mib
        self.code, self.stdout, self.stderr = code, stdout, stderr


def measure(cmd):
    """Run `cmd` once through the SPAWN helper."""
    with tempfile.TemporaryDirectory() as tmp:
        result = os.path.join(tmp, "result.json")
        with open(os.path.join(tmp, "out"), "w+") as out, open(os.path.join(tmp, "err"), "w+") as err:
            subprocess.run([sys.executable, "-c", SPAWN, result] + cmd, stdout=out, stderr=err)
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read(), err.read()
        with open(result) as f:
            r = json.load(f)
    return Measurement(r["wall"], r["cpu"], r["peak_kib"] / 1024, r["code"], stdout, stderr)


def write_facts(w, d):
    for p, rows in w.facts.items():
        with open(os.path.join(d, f"{p}.tsv"), "w") as f:
            f.writelines("\t".join(map(str, r)) + "\n" for r in rows)
        with open(os.path.join(d, f"{p}.lp"), "w") as f:
            f.writelines(f"{p}({','.join(map(str, r))}).\n" for r in rows)


# ---------------------------------------------------------------------------------------------
# Setup of the peers
# ---------------------------------------------------------------------------------------------


def ensure_clingo():
    python = os.path.join(VENV, "bin", "python")
    if not os.path.exists(python):
        print("creating bench/.venv with clingo from PyPI ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    check = subprocess.run([python, "-c", "import clingo"], capture_output=True)
    if check.returncode != 0:
        subprocess.run([python, "-m", "pip", "install", "-q", "clingo"], check=True)


def ensure_swipl():
    if shutil.which("swipl"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing swi-prolog-nox with apt-get ...", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "swi-prolog-nox"], check=True)
    else:
        print("swipl not found; install swi-prolog-nox", file=sys.stderr)


def ensure_grondslag():
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)


# ---------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per engine and workload")
    parser.add_argument("--only", help="comma-separated workloads: " + ", ".join(WORKLOADS))
    parser.add_argument("--engines", default="grondslag,clingo,swipl")
    parser.add_argument("--no-setup", action="store_true", help="do not build or install anything")
    parser.add_argument(
        "--baseline",
        metavar="BINARY",
        help="another grondslag build (e.g. an earlier commit) run beside this one as `grondslag-before`; "
        "a second table gives every ratio against it",
    )
    args = parser.parse_args()

    names = args.only.split(",") if args.only else list(WORKLOADS)
    engines = [ENGINES[e] for e in args.engines.split(",")]
    if args.baseline:
        engines.insert(1, Grondslag("grondslag-before", os.path.abspath(args.baseline)))
    if not args.no_setup:
        ensure_grondslag()
        if "clingo" in args.engines:
            ensure_clingo()
        if "swipl" in args.engines:
            ensure_swipl()
    os.makedirs(OUT, exist_ok=True)

    rows = []
    failures = []
    for name in names:
        w = WORKLOADS[name]()
        d = os.path.join(OUT, name)
        os.makedirs(d, exist_ok=True)
        write_facts(w, d)
        print(f"\n== {name}: {w.title}", flush=True)
        print(f"   expected: {w.expected}", flush=True)
        base = None
        present = []
        for engine in engines:
            if not engine.available():
                print(f"   {engine.name}: not available, skipped")
                continue
            engine.prepare(w, d)
            present.append(engine)
        measured = {e.name: ([], [], [], None) for e in present}
        failed = set()
        # The engines take turns, run by run, so that all of them see the same machine (it is
        # shared; timing one engine's runs after another's lets the load drift between them).
        for _ in range(args.runs):
            for engine in present:
                if engine.name in failed:
                    continue
                m = measure(engine.command(w, d))
                if m.code != 0:
                    failures.append(f"{name}/{engine.name}: exit {m.code}: {m.stderr.strip()[:500]}")
                    failed.add(engine.name)
                    continue
                times, cpus, peaks, counts = measured[engine.name]
                times.append(m.wall)
                cpus.append(m.cpu)
                peaks.append(m.peak_mib)
                if counts is None:
                    measured[engine.name] = (times, cpus, peaks, engine.counts(w, d, m.stdout))
        for engine in present:
            times, cpus, peaks, counts = measured[engine.name]
            if not times:
                print(f"   {engine.name}: failed")
                continue
            ok = counts == w.expected
            if not ok:
                failures.append(f"{name}/{engine.name}: counts {counts}, expected {w.expected}")
            median = statistics.median(times)
            cpu = statistics.median(cpus)
            if engine.name == "grondslag":
                base = (median, cpu)
            row = {
                "workload": name,
                "engine": engine.name,
                "median_s": round(median, 3),
                "min_s": round(min(times), 3),
                "cpu_s": round(cpu, 3),
                "peak_mib": round(max(peaks), 1),
                "counts_ok": ok,
                "ratio": round(median / base[0], 2) if base else None,
                "cpu_ratio": round(cpu / base[1], 2) if base else None,
            }
            rows.append(row)
            print(
                f"   {engine.name:10} median {median:7.3f} s  (min {min(times):.3f}, cpu {cpu:.3f})  "
                f"peak {max(peaks):7.1f} MiB  "
                + (f"{median / base[0]:6.2f}x grondslag (cpu {cpu / base[1]:.2f}x)  " if base else "")
                + ("counts ok" if ok else f"COUNTS DIFFER: {counts}"),
                flush=True,
            )

    print_table(rows, args.runs)
    if args.baseline:
        print_table(rows, args.runs, base="grondslag-before")
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    with open(os.path.join(OUT, f"results-{stamp}.json"), "w") as f:
        json.dump({"date": stamp, "machine": machine(), "runs": args.runs, "rows": rows}, f, indent=1)
    if failures:
        print("\nFAILURES:", *failures, sep="\n  ")
        sys.exit(1)


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def print_table(rows, runs, base="grondslag"):
    """The rows with their ratios to the `base` engine's times on the same workload (the base
    engine's own row, and the other grondslag build's, left out when the base is the baseline)."""
    print(f"\nMedian of {runs} runs; × {base} = engine time / {base} time (above 1: {base} faster)")
    print(f"machine: {machine()}\n")
    print(f"| workload | engine | wall s (median) | cpu s (median) | peak MiB | × {base} (wall) | × {base} (cpu) | counts |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    bases = {r["workload"]: (r["median_s"], r["cpu_s"]) for r in rows if r["engine"] == base}
    other = "grondslag" if base != "grondslag" else None
    for r in rows:
        if r["engine"] == other:
            continue
        b = bases.get(r["workload"])
        ratio = f"{r['median_s'] / b[0]:.2f}" if b and b[0] else "–"
        cpu_ratio = f"{r['cpu_s'] / b[1]:.2f}" if b and b[1] else "–"
        print(
            f"| {r['workload']} | {r['engine']} | {r['median_s']:.3f} | {r['cpu_s']:.3f} | {r['peak_mib']:.1f} | "
            f"{ratio} | {cpu_ratio} | {'ok' if r['counts_ok'] else 'DIFFER'} |"
        )


if __name__ == "__main__":
    main()
