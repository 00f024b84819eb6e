"""Figure speed and report size: how long gradflow.figures takes to build the page's views as plotly
Figures, and how large the self-contained HTML report of them is.

    .venv/bin/python benchmarks/bench_figures.py

Each answer is computed first with gradflow.core.simulate (not timed); "figures" times simulation_figures()
alone, "report" times report_html() on those figures (plotly's JSON encoding of every array, heatmaps as
float32, plus the page).
Times are the median of repeated runs, single process, BLAS pinned to one thread. The report's size counts
the inlined Plotly.js once; "data" is the rest. Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "backend"))

import plotly  # noqa: E402
from gradflow.core.config import SimConfig  # noqa: E402
from gradflow.core.simulate import simulate  # noqa: E402
from gradflow.figures import simulation_figures  # noqa: E402
from gradflow.figures.gates import gates_figure  # noqa: E402
from gradflow.figures.norms import norms_figure  # noqa: E402
from gradflow.figures.unrolled import unrolled_figure  # noqa: E402
from gradflow.library.report import report_html  # noqa: E402
from plotly.offline import get_plotlyjs  # noqa: E402

CASES = {
    "lstm T=1000 H=256": SimConfig(cell="lstm", seq_len=1000, hidden_size=256),
    "gru T=1000 H=256": SimConfig(cell="gru", seq_len=1000, hidden_size=256),
    "rnn T=1000 H=256": SimConfig(cell="rnn", seq_len=1000, hidden_size=256),
    "exploding (rnn T=800 H=32)": SimConfig(cell="rnn", activation="linear", recurrent_scale=2.5, seq_len=800),
}
HEADLINE = "lstm T=1000 H=256"
MB = 1e6


def median_time(fn, min_runs: int, budget: float) -> float:
    """Median seconds of fn() over at least min_runs runs (more while under `budget` seconds)."""
    times = []
    start = time.perf_counter()
    while len(times) < min_runs or (time.perf_counter() - start < budget and len(times) < 20):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def case_row(label: str, cfg: SimConfig, runs: int, budget: float) -> str:
    answer = simulate(cfg)
    figs = simulation_figures(answer)
    build = median_time(lambda: simulation_figures(answer), runs, budget)

    def report() -> str:
        return report_html(figs, title=label, config=answer["config"], warnings=answer["warnings"])

    html = report()
    write = median_time(report, runs, budget)
    size = len(html.encode("utf-8"))
    data = size - len(get_plotlyjs().encode("utf-8"))
    return f"| {label} | {len(figs)} | {build * 1e3:.0f} | {write * 1e3:.0f} | {size / MB:.1f} | {data / MB:.1f} |"


def view_rows(runs: int, budget: float) -> list[str]:
    """The headline case's heaviest views one by one: the T x H heatmaps dominate."""
    answer = simulate(CASES[HEADLINE])
    views = {"unrolled": unrolled_figure, "gates": gates_figure, "norms": norms_figure}
    rows = []
    for name, build in views.items():
        seconds = median_time(lambda b=build: b(answer), runs, budget)
        json_mb = len(build(answer).to_json().encode("utf-8")) / MB
        rows.append(f"| {name} | {seconds * 1e3:.0f} | {json_mb:.1f} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="at least this many timed runs per figure")
    parser.add_argument("--budget", type=float, default=3.0, help="seconds of repeats per measurement")
    args = parser.parse_args()
    bundle = len(get_plotlyjs().encode("utf-8")) / MB
    # other work on the machine moves every time: say how busy it was
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"plotly {plotly.__version__}, Plotly.js {bundle:.1f} MB inlined once; load average {load}\n")
    print("| answer | figures | simulation_figures (ms) | report_html (ms) | report (MB) | data (MB) |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, cfg in CASES.items():
        print(case_row(label, cfg, args.runs, args.budget), flush=True)
    print(f"\n{HEADLINE}, per view:\n")
    print("| view | build (ms) | Figure JSON, float64 (MB) |")
    print("|---|---:|---:|")
    print("\n".join(view_rows(args.runs, args.budget)))


if __name__ == "__main__":
    main()
