"""Does the server stay responsive while trainings stream? Health and small-simulation latency, alone and
while two training runs stream from the same server.

    .venv/bin/python benchmarks/bench_train_share.py [--workers 2]

Starts `gradflow serve` on a free loopback port, probes GET /api/health and POST /api/simulate (the default rnn)
every 50 ms for a few seconds with nothing else running, then again while two "Gating beats vanishing" lstm
trainings (T = 30, H = 32, batch 32, 1,000 steps) stream; prints p50 / p99 as a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent
TRAIN = {
    "cell": "lstm",
    "task": "adding",
    "seq_len": 30,
    "hidden_size": 32,
    "batch_size": 32,
    "steps": 1000,
    "learning_rate": 0.01,
    "forget_bias": 1.0,
    "report_every": 20,
}


def probe(base: str, seconds: float) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"health": [], "simulate": []}
    with httpx.Client(base_url=base, timeout=30) as client:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            for kind, call in (
                ("health", lambda: client.get("/api/health")),
                ("simulate", lambda: client.post("/api/simulate", json={})),
            ):
                t0 = time.perf_counter()
                assert call().status_code == 200
                out[kind].append((time.perf_counter() - t0) * 1e3)
            time.sleep(0.05)
    return out


def stream_training(base: str, done: threading.Event) -> None:
    with httpx.Client(base_url=base, timeout=120) as client, client.stream("POST", "/api/train", json=TRAIN) as r:
        for _ in r.iter_lines():
            if done.is_set():
                return


def row(label: str, values: list[float]) -> str:
    values = sorted(values)
    p99 = values[min(len(values) - 1, int(0.99 * len(values)))]
    return f"| {label} | {len(values)} | {statistics.median(values):.1f} | {p99:.1f} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=6.0)
    args = parser.parse_args()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    server = subprocess.Popen(
        [BIN / "gradflow", "serve", "--port", str(port), "--workers", str(args.workers), "--log-level", "warning"],
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{base}/api/health", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        quiet = probe(base, args.seconds)
        done = threading.Event()
        runs = [threading.Thread(target=stream_training, args=(base, done)) for _ in range(2)]
        for t in runs:
            t.start()
        time.sleep(1.0)
        busy = probe(base, args.seconds)
        done.set()
        for t in runs:
            t.join(timeout=60)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"\nLatency with {args.workers} workers, alone and while two trainings stream; load average "
        f"{' / '.join(f'{x:.2f}' for x in os.getloadavg())}\n"
    )
    print("| probe | requests | p50 ms | p99 ms |\n|---|---|---|---|")
    for kind in ("health", "simulate"):
        print(row(f"{kind}, nothing else running", quiet[kind]))
        print(row(f"{kind}, two trainings streaming", busy[kind]))


if __name__ == "__main__":
    main()
