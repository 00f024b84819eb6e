"""Library and CLI start-up: what a user waits for before the first number.

    .venv/bin/python benchmarks/bench_library.py
    .venv/bin/python benchmarks/bench_figures.py     # figures() time (lstm T = 1000, H = 256): its own script

Measures, each in fresh interpreters started with this script's Python (the project's venv), medians of
--runs rounds after one untimed warm-up round (so the page cache is warm); within a round the commands take
turns, so load from other work that comes and goes falls on all of them alike (min and max printed too):
- `import gradflow`: the wall time of `python -c "import gradflow"` minus that of `python -c pass` (round by
  round), and the `python -X importtime` cumulative time of the gradflow package itself (the interpreter's own
  start-up excluded);
- `gradflow simulate` with its defaults (rnn, T = 50, H = 32), the venv's console script, wall time from
  process start to exit, output to a pipe; target under 1 s;
- where that time goes: in fresh processes, launch to the first line, `from gradflow.cli import main`, the
  first `main(["simulate"])` (the core's lazy imports included), shutdown, and a second call (simulation and
  printing alone);
  and `python -X importtime` of the command, self times summed by package (numpy, pydantic, gradflow, ...).
The figures() time is benchmarks/bench_figures.py's (gradflow.figures.simulation_figures), not repeated here.
The load average (other work on this 2-core machine moves every figure) is printed above each table.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GRADFLOW = Path(PYTHON).parent / "gradflow"
ENV = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "PYTHONPATH": str(ROOT / "backend")}
IMPORTTIME = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)$")


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min) on {os.cpu_count()} cores"


def one_run(args: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(args, env=ENV, cwd=ROOT, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def paired(commands: dict[str, list[str]], runs: int) -> dict[str, list[float]]:
    """Wall seconds of each command to exit, `runs` rounds, the commands taking turns within a round (so load
    that comes and goes falls on all of them alike); one untimed warm-up round first."""
    for args in commands.values():
        one_run(args)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, args in commands.items():
            times[name].append(one_run(args))
    return times


def importtime(args: list[str]) -> dict[str, int]:
    """Self import time (microseconds) of every module of `-X importtime` of `args`, summed by package (the
    first component of the module's name: numpy, pydantic, gradflow, ...)."""
    out = subprocess.run(
        [PYTHON, "-X", "importtime", *args], env=ENV, cwd=ROOT, check=True, capture_output=True, text=True
    ).stderr
    by_package: dict[str, int] = {}
    for line in out.splitlines():
        m = IMPORTTIME.match(line)
        if m:
            package = m[4].split(".")[0]
            by_package[package] = by_package.get(package, 0) + int(m[1])
    return by_package


def gradflow_cumulative(args: list[str]) -> float:
    """The cumulative -X importtime of the gradflow package itself, seconds."""
    out = subprocess.run(
        [PYTHON, "-X", "importtime", *args], env=ENV, cwd=ROOT, check=True, capture_output=True, text=True
    ).stderr
    return max(int(m[2]) for m in map(IMPORTTIME.match, out.splitlines()) if m and m[4] == "gradflow") / 1e6


def median_importtime(args: list[str], runs: int) -> dict[str, float]:
    samples = [importtime(args) for _ in range(runs)]
    names = {name for s in samples for name in s}
    return {name: statistics.median(s.get(name, 0) for s in samples) / 1e6 for name in names}


PHASES = """
import time
t_start = time.time()
import contextlib, io
t0 = time.perf_counter()
from gradflow.cli import main
t1 = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()):
    main(["simulate"])
t2 = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()):
    main(["simulate"])
t3 = time.perf_counter()
print(t_start, t1 - t0, t2 - t1, t3 - t2, time.time())
"""
PHASE_NAMES = ("start", "cli", "first", "again", "exit")


def phases(runs: int) -> dict[str, float]:
    """Per fresh process, wall-clock seconds: from launch to its first line (interpreter start), importing
    gradflow.cli, the first `main(["simulate"])` (the core's lazy imports included), the same call again
    (simulation and printing alone) and from its last line to the parent seeing it exit; medians."""
    samples = []
    for _ in range(runs):
        launched = time.time()
        out = subprocess.run(
            [PYTHON, "-c", PHASES], env=ENV, cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout
        exited = time.time()
        t_start, cli, first, again, t_end = map(float, out.split())
        samples.append((t_start - launched, cli, first, again, exited - t_end))
    return {name: statistics.median(s[k] for s in samples) for k, name in enumerate(PHASE_NAMES)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--top", type=int, default=8, help="slowest imports listed for gradflow simulate")
    args = parser.parse_args()
    runs = args.runs

    print(
        f"\nStart-up, fresh interpreters, {runs} rounds, the three commands taking turns in each (Python "
        f"{sys.version.split()[0]}); {load_average()}\n"
    )
    print("| what | median ms | min ms | max ms |")
    print("|---|---|---|---|")
    times = paired(
        {
            "pass": [PYTHON, "-c", "pass"],
            "import": [PYTHON, "-c", "import gradflow"],
            "simulate": [str(GRADFLOW), "simulate"],
        },
        runs,
    )
    diffs = [b - a for a, b in zip(times["pass"], times["import"], strict=True)]

    def line(label: str, values: list[float]) -> None:
        print(
            f"| {label} | {statistics.median(values) * 1e3:.0f} | {min(values) * 1e3:.0f} | {max(values) * 1e3:.0f} |",
            flush=True,
        )

    line("`python -c pass` (the interpreter alone)", times["pass"])
    line('`python -c "import gradflow"`', times["import"])
    line("`import gradflow` (the difference, round by round)", diffs)
    cumulative = [gradflow_cumulative(["-c", "import gradflow"]) for _ in range(runs)]
    line("`import gradflow`, -X importtime cumulative of the package", cumulative)
    line("`gradflow simulate` (defaults), console script, process start to exit", times["simulate"])
    sim = statistics.median(times["simulate"])
    verdict = "met" if sim < 1.0 else "MISSED"
    print(f"\nTarget `gradflow simulate` under 1 s: {verdict} (median {sim:.2f} s).")

    print(
        f"\nWhere `gradflow simulate` spends its time, each part timed inside {runs} fresh processes (medians); "
        f"{load_average()}\n"
    )
    print("| part | ms |")
    print("|---|---|")
    ph = phases(runs)
    rows = [
        ("launch to the first line (interpreter start, site, the venv)", ph["start"]),
        ("`from gradflow.cli import main` (NumPy, pydantic models, argparse options from them)", ph["cli"]),
        ('first `main(["simulate"])`: lazy imports of the core + simulation + printing', ph["first"]),
        ("last line to exit seen by the parent (interpreter shutdown)", ph["exit"]),
    ]
    for label, t in rows:
        print(f"| {label} | {t * 1e3:.0f} |")
    print(f"| sum of the above | {sum(t for _, t in rows) * 1e3:.0f} |")
    print(f'| (the same `main(["simulate"])` again: simulation + printing alone) | {ph["again"] * 1e3:.0f} |')

    print(
        f"\nImports of `gradflow simulate` by package (-X importtime self times summed, median of {runs}); "
        f"{load_average()}\n"
    )
    print("| package | ms |")
    print("|---|---|")
    parts = sorted(median_importtime([str(GRADFLOW), "simulate"], runs).items(), key=lambda kv: -kv[1])
    for name, t in parts[: args.top]:
        print(f"| {name} | {t * 1e3:.0f} |")
    print(f"| {len(parts) - args.top} others | {sum(t for _, t in parts[args.top :]) * 1e3:.0f} |")
    print(f"| all imports (under -X importtime, which adds its own overhead) | {sum(t for _, t in parts) * 1e3:.0f} |")
    print(f"\n(after: {load_average()})")


if __name__ == "__main__":
    main()
