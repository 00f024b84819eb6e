"""Training speed against torch, and which cells solve the adding problem at which length.

    make bench-train                                 # ours; torch columns when torch is importable
    /opt/torchvenv/bin/python benchmarks/bench_train.py --seeds 1   # with torch (a venv with torch + numpy)
    .venv/bin/python benchmarks/bench_train.py --outcomes-only

Speed: training steps per second for each cell at T = 50, H = 32, batch 32 with Adam (lr 1e-2): ours
(float64, exact BPTT, clipping report, gradient-flow profile every step) against torch.nn.RNN/LSTM/GRU +
nn.Linear with torch.optim.Adam in float64 and float32, same sizes, one BLAS/torch thread each, in one run:
the median over --rounds rounds of --steps steps each (after a warm-up), ours and torch interleaved within
each round so that other load on the machine falls on both alike; the load average is printed above each table.
Outcomes: for T in {10, 50, 100}, the adding problem with H = 32, batch 32, Adam lr 1e-2, lstm forget bias 1,
up to 3,000 steps stopping when solved (loss under a tenth of the 1/6 baseline): the step it was solved at
and the wall time, per cell, for --seeds seeds. Prints Markdown tables for the README.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "backend"))

import numpy as np  # noqa: E402
from gradflow.training import TrainConfig, train  # noqa: E402
from gradflow.training.tasks import TASKS  # noqa: E402

try:
    import torch
except ImportError:
    torch = None

CELLS = ("rnn", "lstm", "gru")


def ours_steps_per_s(cell: str, steps: int) -> float:
    cfg = TrainConfig(cell=cell, seq_len=50, hidden_size=32, batch_size=32, steps=steps, report_every=steps)
    start = time.perf_counter()
    for _ in train(cfg):
        pass
    return steps / (time.perf_counter() - start)


def torch_steps_per_s(cell: str, steps: int, dtype) -> float:
    torch.set_num_threads(1)
    net = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell](2, 32).to(dtype)
    readout = torch.nn.Linear(32, 1).to(dtype)
    params = list(net.parameters()) + list(readout.parameters())
    opt = torch.optim.Adam(params, lr=1e-2)
    rng = np.random.default_rng(0)
    batches = [TASKS["adding"].batch(rng, 32, 50) for _ in range(8)]
    data = [(torch.tensor(b.x, dtype=dtype), torch.tensor(b.target, dtype=dtype)) for b in batches]
    start = time.perf_counter()
    for k in range(steps):
        x, target = data[k % len(data)]
        out, _ = net(x)
        loss = torch.mean((readout(out[-1])[:, 0] - target) ** 2)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return steps / (time.perf_counter() - start)


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min) on {os.cpu_count()} cores"


def speed_table(steps: int, rounds: int) -> None:
    print(
        f"\nTraining steps per second, adding problem, T = 50, H = 32, batch 32, Adam (median of {rounds} "
        f"rounds of {steps} steps each); {load_average()}\n"
    )
    head = "| cell | ours (float64, exact) |" + (" torch float64 | torch float32 | ours / torch f64 |" if torch else "")
    print(head)
    print("|---|---|" + ("---|---|---|" if torch else ""))
    for cell in CELLS:
        runs = {"ours": lambda n, cell=cell: ours_steps_per_s(cell, n)}
        if torch:
            runs["f64"] = lambda n, cell=cell: torch_steps_per_s(cell, n, torch.float64)
            runs["f32"] = lambda n, cell=cell: torch_steps_per_s(cell, n, torch.float32)
        for run in runs.values():  # warm-up: first-call allocations, torch's kernel selection
            run(10)
        rates: dict[str, list[float]] = {key: [] for key in runs}
        for _ in range(rounds):
            for key, run in runs.items():
                rates[key].append(run(steps))
        med = {key: statistics.median(r) for key, r in rates.items()}
        row = f"| {cell} | {med['ours']:.0f} |"
        if torch:
            row += f" {med['f64']:.0f} | {med['f32']:.0f} | {med['ours'] / med['f64']:.2f}x |"
        print(row, flush=True)


def outcome_table(seeds: int, max_steps: int) -> None:
    print(
        f"\nAdding problem, H = 32, batch 32, Adam lr 1e-2, forget bias 1 (lstm), up to {max_steps} steps, "
        f"seeds 0..{seeds - 1}: solved at step (wall time); {load_average()}\n"
    )
    print("| T | " + " | ".join(CELLS) + " |")
    print("|---|" + "---|" * len(CELLS))
    for seq_len in (10, 50, 100):
        cells = []
        for cell in CELLS:
            runs = []
            for seed in range(seeds):
                cfg = TrainConfig(
                    cell=cell,
                    seq_len=seq_len,
                    hidden_size=32,
                    batch_size=32,
                    steps=max_steps,
                    learning_rate=1e-2,
                    forget_bias=1.0,
                    seed=seed,
                    stop_when_solved=True,
                    report_every=max_steps,
                )
                *_, summary = train(cfg)
                at = summary["solved_at"]
                runs.append(
                    f"{at} ({summary['elapsed_ms'] / 1e3:.1f} s)"
                    if at
                    else f"no, best {summary['best_loss']:.3f} ({summary['elapsed_ms'] / 1e3:.1f} s)"
                )
            cells.append("; ".join(runs))
        print(f"| {seq_len} | " + " | ".join(cells) + " |", flush=True)
    print(f"\n(after: {load_average()})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100, help="steps per timed round of a speed row")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds per speed row (median reported)")
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--max-steps", type=int, default=3000)
    parser.add_argument("--outcomes-only", action="store_true")
    parser.add_argument("--speed-only", action="store_true")
    args = parser.parse_args()
    if not args.outcomes_only:
        speed_table(args.steps, args.rounds)
    if not args.speed_only:
        outcome_table(args.seeds, args.max_steps)


if __name__ == "__main__":
    main()
