"""What gradflow.watch costs a user's training loop, and what one replay costs.

    make bench-watch        # .venv/bin/python benchmarks/bench_watch.py (needs torch: make torch)

The loop: nn.LSTM(32, 128, num_layers=2) with a linear head, T = 100, batch 32, Adam, float32 on the CPU, torch's
default threads. Rounds of ROUND steps take turns between the plain loop and the same loop under one
`gradflow.watch(lstm, dir, every=50)` (its own module and optimiser, same sizes), so load from other work falls on
both alike; the mean step time of each over all rounds is compared. The watched total includes starting the
replay process and waiting at the end for the last replays (`close()`): the overhead is all the watch costs, not
just the hooks.
The replay's own time per snapshot (the worker thread's `replay_ms`) is printed too. The load average is printed
above the table: on this 2-core machine, torch's two threads and the replay share the cores.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "backend"))


def make(torch):
    lstm = torch.nn.LSTM(32, 128, num_layers=2)
    head = torch.nn.Linear(128, 1)
    opt = torch.optim.Adam([*lstm.parameters(), *head.parameters()], lr=1e-3)
    return lstm, head, opt


def steps(torch, lstm, head, opt, n: int, watcher=None) -> float:
    """Seconds for n training steps (and, with a watcher, its replays too)."""
    start = time.perf_counter()
    for i in range(n):
        x = torch.randn(100, 32, 32)
        y, _ = lstm(x)
        loss = (head(y[-1]) - x[0, :, :1]).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        if watcher is not None:
            watcher.log(step=i, loss=loss.item())
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--round-steps", type=int, default=100)
    parser.add_argument(
        "--torch-threads", type=int, default=os.cpu_count(), help="torch's intra-op threads (default: every core)"
    )
    args = parser.parse_args()
    import json

    import gradflow
    import torch

    torch.set_num_threads(args.torch_threads)  # make exports OMP_NUM_THREADS=1 for BLAS; a user's loop has all cores
    torch.manual_seed(0)
    plain, watched = make(torch), make(torch)
    steps(torch, *plain, 10)  # warm up both
    steps(torch, *watched, 10)
    total = {"plain": 0.0, "watched": 0.0}
    logdir = Path(tempfile.mkdtemp(prefix="bench-watch-"))
    start = time.perf_counter()
    w = gradflow.watch(watched[0], logdir, every=50, name="bench")
    total["watched"] += time.perf_counter() - start
    for _ in range(args.rounds):
        total["plain"] += steps(torch, *plain, args.round_steps)
        total["watched"] += steps(torch, *watched, args.round_steps, w)
    start = time.perf_counter()
    w.close()  # the replays still queued are part of the cost
    total["watched"] += time.perf_counter() - start
    replays = [
        json.loads(line)["replay_ms"]
        for run in logdir.iterdir()
        for line in (run / "snapshots.ndjson").read_text().splitlines()
    ]
    one, five, _ = os.getloadavg()
    plain_ms, watched_ms = (total[k] / (args.rounds * args.round_steps) * 1e3 for k in ("plain", "watched"))
    print(
        f"load average {one:.2f} (1 min), {five:.2f} (5 min); torch {torch.__version__}, {torch.get_num_threads()} threads"
    )
    print(
        f"nn.LSTM(32, 128, num_layers=2), T = 100, batch 32, Adam, float32; {args.rounds} rounds of {args.round_steps} steps"
    )
    print()
    print("| loop | mean step | added |")
    print("|---|---|---|")
    print(f"| plain | {plain_ms:.1f} ms | |")
    print(
        f"| with watch(every=50), replays included | {watched_ms:.1f} ms | {100 * (watched_ms / plain_ms - 1):+.1f} % |"
    )
    print()
    print(
        f"replay per snapshot (replay process): median {statistics.median(replays):.0f} ms over {len(replays)} snapshots"
    )


if __name__ == "__main__":
    main()
