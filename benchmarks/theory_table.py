"""The table of docs/theory.md: what the mean field predicts against what the core measures.

    .venv/bin/python benchmarks/theory_table.py

For a tanh rnn with orthogonal W_hh at H = 256, T = 200 (input_size 4, gaussian inputs), averaged over 4 seeds:
the least-squares slope of the measured log10 |dL/dh_t| over t = 20..180, against -0.5 log10(chi) from the mean
field, and the measured memory horizon against the predicted one; then relu and linear, whose chi is exact.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "backend"))

import numpy as np  # noqa: E402
from gradflow.core.config import SimConfig  # noqa: E402
from gradflow.core.simulate import simulate  # noqa: E402


def row(activation: str, s: float, seeds: int = 4) -> str:
    slopes, horizons = [], []
    t = np.arange(1, 201)
    sel = (t >= 20) & (t <= 180)
    for seed in range(seeds):
        r = simulate(
            SimConfig(activation=activation, hidden_size=256, seq_len=200, recurrent_scale=s, seed=seed, flow_steps=0)
        )
        slopes.append(np.polyfit(t[sel], r["grad_h_log10_norm"][sel], 1)[0])
        horizons.append(r["memory_horizon"])
    mf = r["theory"]["mean_field"]
    predicted = -mf["decay_per_step"]
    shown = [("beyond" if h is None else str(h)) for h in horizons]
    horizon = "beyond" if mf["memory_horizon"] is None else str(mf["memory_horizon"])
    q = "unbounded" if mf["q_star"] is None else f"{mf['q_star']:.4f}"
    return (
        f"| {activation} | {s:g} | {q} | {mf['chi']:.5f} | {predicted:+.4f} | {np.mean(slopes):+.4f} | "
        f"{abs(np.mean(slopes) - predicted):.4f} | {horizon} | {', '.join(shown)} | {mf['critical_scale']:.4f} |"
    )


def main() -> None:
    print(
        "| activation | s | q* | chi | predicted slope | measured slope (4 seeds) | difference | predicted horizon "
        "| measured horizons | s* |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for s in (0.5, 1.0, 1.1, 1.5, 2.0, 3.0):
        print(row("tanh", s))
    for s in (0.8, 1.2):
        print(row("relu", s))
    for s in (0.9, 1.05):
        print(row("linear", s))


if __name__ == "__main__":
    main()
