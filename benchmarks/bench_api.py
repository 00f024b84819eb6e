"""API benchmark (issue 3, "Speed"): latency, payload size, throughput and health under load, from a client.

Starts `python -m gradflow.api` (`--workers`, default 1, BLAS pinned to one thread) on a free loopback port, drives it
with httpx over loopback only, in bounded loops, and prints a Markdown table for the README. Beside it:
orjson vs the standard library encoding the same result, the core with BLAS pinned vs the library default,
and (when torch is importable here or in `--torch-python`) a bare torch float64 nn.LSTM forward + backward
of the same size as the heavy request, taking turns with the API's answer (JSON, arrays=binary and
arrays=binary-f4) round by round.

    .venv/bin/python benchmarks/bench_api.py [--workers N] [--torch-python /path/to/python-with-torch] [--quick]
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import numpy as np
import orjson
from app_process import THREAD_ENV, free_port, start_app, stop_app

DEFAULT = "/api/simulate"
HEAVY = {"cell": "lstm", "seq_len": 1000, "hidden_size": 128, "input_size": 8, "flow_steps": 0}
ROUNDED = {**HEAVY, "digits": 6}  # what the page asked for before typed arrays
BINARY = {**HEAVY, "arrays": "binary"}  # every array as exact float64 in Plotly's typed-array form
BINARY_F4 = {**HEAVY, "arrays": "binary-f4"}  # float32 for drawing: what the page asks for
SEEDS = itertools.count(10_000)
"""A new seed for every simulate request: the app keeps its last runs (docs/api.md, "Shared runs") and would
otherwise answer a repeated request without computing it."""

TORCH_SNIPPET = """
import json, sys, time, torch
torch.set_num_threads(1)
T, H, I, n = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
torch.manual_seed(0)
lstm = torch.nn.LSTM(I, H, dtype=torch.float64)
x = torch.randn(T, 1, I, dtype=torch.float64)
v = torch.randn(H, dtype=torch.float64)
times = []
for _ in range(n + 2):
    t0 = time.perf_counter()
    h, _ = lstm(x)
    h.retain_grad()
    (h[-1, 0] @ v).backward()
    times.append((time.perf_counter() - t0) * 1e3)
    lstm.zero_grad()
print(json.dumps({"version": torch.__version__, "ms": sorted(times[2:])}))
"""


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def fresh(method: str, url: str, kwargs: dict) -> dict:
    """kwargs for one simulate request with a seed never asked for before (GET: a query parameter)."""
    if url != DEFAULT:
        return kwargs
    if method == "GET":
        return {**kwargs, "params": {**kwargs.get("params", {}), "seed": next(SEEDS)}}
    return {**kwargs, "json": {**(kwargs.get("json") or {}), "seed": next(SEEDS)}}


def timed(client: httpx.Client, method: str, url: str, n: int, **kwargs) -> list[float]:
    times = []
    for _ in range(n):
        ask = fresh(method, url, kwargs)
        t0 = time.perf_counter()
        response = client.request(method, url, **ask)
        response.raise_for_status()
        _ = response.content
        times.append((time.perf_counter() - t0) * 1e3)
    return times


def throughput(base: str, clients: int, per_client: int) -> tuple[float, int, list[float]]:
    """Requests/s of the default request with `clients` concurrent clients; count of 503s; latencies."""
    latencies: list[float] = []
    busy = 0
    lock = threading.Lock()

    def run() -> None:
        nonlocal busy
        with httpx.Client(base_url=base, timeout=60) as client:
            for _ in range(per_client):
                t0 = time.perf_counter()
                response = client.get(DEFAULT, params={"seed": next(SEEDS)}, headers={"Accept-Encoding": "gzip"})
                with lock:
                    latencies.append((time.perf_counter() - t0) * 1e3)
                    busy += response.status_code == 503

    t0 = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for future in [pool.submit(run) for _ in range(clients)]:
            future.result()
    return clients * per_client / (time.perf_counter() - t0), busy, latencies


def _heavy_loop(base: str, body: dict, stop, done) -> None:
    seeds = itertools.count(1_000_000 * (os.getpid() % 1000))  # a process of its own: seeds of its own
    with httpx.Client(base_url=base, timeout=120) as client:
        while not stop.is_set():
            client.post(DEFAULT, json={**body, "seed": next(seeds)})
            with done.get_lock():
                done.value += 1


def health_under_load(base: str, body: dict, heavy_clients: int, health_requests: int) -> tuple[list[float], int]:
    """/api/health latencies while `heavy_clients` clients keep posting the heavy request. The heavy clients
    are processes, so their 26 MB downloads do not compete with the timing thread for this process's GIL."""
    context = multiprocessing.get_context("spawn")
    stop, done = context.Event(), context.Value("i", 0)
    workers = [context.Process(target=_heavy_loop, args=(base, body, stop, done)) for _ in range(heavy_clients)]
    for worker in workers:
        worker.start()
    time.sleep(2.0)  # let the heavy requests fill the slots
    with httpx.Client(base_url=base, timeout=30) as client:
        latencies = []
        for _ in range(health_requests):
            latencies += timed(client, "GET", "/api/health", 1)
            time.sleep(0.01)
    stop.set()
    for worker in workers:
        worker.join(120)
    return latencies, done.value


def encoders(n: int) -> dict[str, float]:
    """ms to encode the heavy result: orjson from numpy vs json.dumps(allow_nan=False) of .tolist()."""
    from gradflow.core.config import SimConfig
    from gradflow.core.simulate import simulate
    from gradflow.wire.encoding import dumps

    result = simulate(SimConfig(**HEAVY))

    def stdlib(value):
        if isinstance(value, np.ndarray):
            return np.where(np.isfinite(value), value, np.nan).astype(object).tolist()  # NaN -> None below
        if isinstance(value, dict):
            return {k: stdlib(v) for k, v in value.items()}
        if isinstance(value, list):
            return [stdlib(v) for v in value]
        return value

    def clean(value):
        if isinstance(value, float) and value != value:
            return None
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        return value

    out = {}
    for name, encode in (
        ("orjson (numpy native)", lambda: dumps(result)),
        ("orjson of .tolist()", lambda: orjson.dumps(clean(stdlib(result)))),
        (
            "json.dumps(allow_nan=False) of .tolist()",
            lambda: json.dumps(clean(stdlib(result)), allow_nan=False).encode(),
        ),
    ):
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            encode()
            times.append((time.perf_counter() - t0) * 1e3)
        out[name] = statistics.median(times)
    return out


def core_blas(n: int) -> dict[str, float]:
    """Median ms of the core on the heavy config with BLAS pinned to 1 thread vs the library's default."""
    code = (
        "import time, statistics, json\n"
        "from gradflow.core.config import SimConfig\nfrom gradflow.core.simulate import simulate\n"
        f"cfg = SimConfig(**{HEAVY!r})\nsimulate(cfg)\nts = []\n"
        f"for _ in range({n}):\n    t0 = time.perf_counter(); simulate(cfg); ts.append((time.perf_counter() - t0) * 1e3)\n"
        "print(json.dumps(statistics.median(ts)))\n"
    )
    out = {}
    for label, env in (("BLAS 1 thread", THREAD_ENV), ("BLAS default threads", {})):
        clean_env = {k: v for k, v in os.environ.items() if k not in THREAD_ENV}
        result = subprocess.run(
            [sys.executable, "-c", code],
            env={**clean_env, **env},
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        )
        out[label] = json.loads(result.stdout)
    return out


def torch_round(python: str, n: int) -> tuple[str, list[float]] | None:
    """One round of the torch reference in `python` (n timed fwd+bwd after two warm-ups), or None."""
    args = [str(HEAVY["seq_len"]), str(HEAVY["hidden_size"]), str(HEAVY["input_size"]), str(n)]
    result = subprocess.run(
        [python, "-c", TORCH_SNIPPET, *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **THREAD_ENV},
    )
    if result.returncode != 0:
        return None
    data = json.loads(result.stdout)
    return data["version"], data["ms"]


def ratios_taking_turns(
    client: httpx.Client, python: str, rounds: int, n: int
) -> tuple[str, float, dict[str, float]] | None:
    """The API end to end (every field; JSON, arrays=binary, arrays=binary-f4) against torch's forward +
    backward, taking turns round by round so that other load on the machine falls on both alike: torch's
    median ms and each form's median ms, for two kinds of request that nothing kept answers: a new seed (new
    weights: the spectrum's eigendecompositions are computed too) and the same network at a new recurrent
    scale (what dragging the page's main slider sends: the spectrum is the kept one, scaled)."""
    bodies = {"JSON": HEAVY, "arrays=binary": BINARY, "arrays=binary-f4": BINARY_F4}
    ours: dict[str, list[float]] = {f"{label}, {how}": [] for how in ("new seed", "new scale") for label in bodies}
    reference: list[float] = []
    version = ""
    scales = itertools.count(1)
    for _ in range(rounds):
        for label, body in bodies.items():
            identity = {"Accept-Encoding": "identity"}
            ours[f"{label}, new seed"] += timed(client, "POST", DEFAULT, n, json=body, headers=identity)
            for _ in range(n):  # the same network at a new recurrent scale: the page's main slider
                scaled = {**body, "recurrent_scale": 1.0 + next(scales) * 1e-6}
                t0 = time.perf_counter()
                client.post(DEFAULT, json=scaled, headers=identity).raise_for_status()
                ours[f"{label}, new scale"].append((time.perf_counter() - t0) * 1e3)
        got = torch_round(python, n)
        if got is None:
            return None
        version, times = got
        reference += times
    return version, statistics.median(reference), {k: statistics.median(v) for k, v in ours.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--torch-python", help="a Python with torch installed, for the reference timing")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (a smoke run)")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (make bench-api: WORKERS)")
    args = parser.parse_args()
    reps = 5 if args.quick else 1

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_app(port, args.workers)
    rows: list[tuple[str, str]] = []
    try:
        with httpx.Client(base_url=base, timeout=120) as client:
            timed(client, "GET", DEFAULT, 5)  # warm up
            default = timed(client, "GET", DEFAULT, 100 // reps)
            rows.append(
                (
                    "default request (GET /api/simulate) p50 / p95",
                    f"{percentile(default, 50):.1f} / {percentile(default, 95):.1f} ms",
                )
            )
            identity = {"Accept-Encoding": "identity"}
            zipped = {"Accept-Encoding": "gzip"}
            packed = {"Accept-Encoding": "zstd"}
            heavy_raw = timed(client, "POST", DEFAULT, 20 // reps, json=HEAVY, headers=identity)
            heavy_gz = timed(client, "POST", DEFAULT, 20 // reps, json=HEAVY, headers=zipped)
            heavy_zstd = timed(client, "POST", DEFAULT, 20 // reps, json=HEAVY, headers=packed)
            rows.append(
                (
                    "lstm T=1000 H=128 I=8, every field, p50 / p95",
                    f"{percentile(heavy_raw, 50):.1f} / {percentile(heavy_raw, 95):.1f} ms",
                )
            )
            rows.append(
                ("  same, gzip, p50 / p95", f"{percentile(heavy_gz, 50):.1f} / {percentile(heavy_gz, 95):.1f} ms")
            )
            rows.append(
                ("  same, zstd, p50 / p95", f"{percentile(heavy_zstd, 50):.1f} / {percentile(heavy_zstd, 95):.1f} ms")
            )
            for headers, label in ((identity, ""), (zipped, ", gzip"), (packed, ", zstd")):
                rounded = timed(client, "POST", DEFAULT, 20 // reps, json=ROUNDED, headers=headers)
                rows.append(
                    (
                        f"  same, digits=6{label}, p50 / p95",
                        f"{percentile(rounded, 50):.1f} / {percentile(rounded, 95):.1f} ms",
                    )
                )
            for label, body in (("arrays=binary", BINARY), ("arrays=binary-f4", BINARY_F4)):
                for headers, coding in ((identity, ""), (zipped, ", gzip"), (packed, ", zstd")):
                    typed = timed(client, "POST", DEFAULT, 20 // reps, json=body, headers=headers)
                    rows.append(
                        (
                            f"  same, {label}{coding}, p50 / p95",
                            f"{percentile(typed, 50):.1f} / {percentile(typed, 95):.1f} ms",
                        )
                    )
            for label, body in (
                ("default", None),
                ("lstm T=1000 H=128", HEAVY),
                ("lstm T=1000 H=128, digits=6", ROUNDED),
                ("lstm T=1000 H=128, arrays=binary", BINARY),
                ("lstm T=1000 H=128, arrays=binary-f4", BINARY_F4),
            ):
                method = "POST" if body else "GET"
                raw = client.request(method, DEFAULT, **fresh(method, DEFAULT, {"json": body, "headers": identity}))
                gz = client.request(method, DEFAULT, **fresh(method, DEFAULT, {"json": body, "headers": zipped}))
                zs = client.request(method, DEFAULT, **fresh(method, DEFAULT, {"json": body, "headers": packed}))
                sizes = [len(raw.content)] + [int(r.headers["content-length"]) for r in (gz, zs)]
                rows.append((f"payload, {label}: raw / gzip / zstd", " / ".join(f"{n:,}" for n in sizes) + " bytes"))
                if body:
                    rows.append((f"  server-side split, {label}", raw.headers["server-timing"]))
        rate, busy, lat = throughput(base, clients=16, per_client=40 // reps)
        rows.append(
            (
                "throughput, default request, 16 concurrent clients",
                f"{rate:.0f} req/s (p50 {percentile(lat, 50):.0f} ms, {busy} answered 503)",
            )
        )
        for label, body in (("", HEAVY), (", digits=6", ROUNDED)):
            health, heavy_done = health_under_load(base, body, heavy_clients=8, health_requests=200 // reps)
            rows.append(
                (
                    f"/api/health p50 / p99 while 8 clients run the lstm request{label}",
                    f"{percentile(health, 50):.1f} / {percentile(health, 99):.1f} ms ({heavy_done} heavy done)",
                )
            )
    finally:
        stop_app(server)

    for name, ms in encoders(10 // reps).items():
        rows.append((f"encode the lstm result: {name}", f"{ms:.1f} ms"))
    for name, ms in core_blas(5 // reps or 1).items():
        rows.append((f"core only, lstm T=1000 H=128, {name}", f"{ms:.1f} ms"))
    python = next((p for p in (sys.executable, args.torch_python) if p and torch_round(p, 1)), None)
    turns = None
    if python:
        server = start_app(port, args.workers)
        try:
            with httpx.Client(base_url=base, timeout=120) as client:
                timed(client, "POST", DEFAULT, 2, json=HEAVY)  # warm up
                turns = ratios_taking_turns(client, python, rounds=5 // reps or 1, n=4)
        finally:
            stop_app(server)
    if turns:
        version, ms, ours = turns
        rows.append((f"torch {version} float64 nn.LSTM fwd+bwd, same size, 1 thread", f"{ms:.1f} ms"))
        for label, value in ours.items():
            rows.append(
                (
                    f"ratio API end to end (every field, {label}) / torch, taking turns",
                    f"{value:.1f} ms / {ms:.1f} ms = {value / ms:.2f}",
                )
            )
    else:
        rows.append(("torch reference", "not run: torch is not importable (pass --torch-python)"))

    print("| measure | result |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
