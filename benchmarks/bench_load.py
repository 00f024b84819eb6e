"""Load benchmark (issue 8): 16 concurrent clients mixing light and heavy simulations, health probes meanwhile.

Starts `python -m gradflow.api --workers N` (BLAS pinned to one thread) on a free loopback port and drives it
from this machine only (127.0.0.1), in loops bounded in time and count:

- `--clients` threads (16) each post simulations back to back, one heavy request in every `--heavy-every`
  (4) and light ones between: light = the default rnn request, heavy = the page's biggest run (lstm,
  T = 1000, H = 128, digits = 6, about 13.5 MB, compressed as httpx asks: zstd with `zstandard` installed, as a
  recent browser does);
- a separate process probes GET /api/health every 50 ms, so its timings do not wait for this one's GIL.

Prints a Markdown table: per kind the requests, answers by status, p50 / p99 latency of the 200s. The only
acceptable failure is an explicit 503 with Retry-After (every simulation slot busy); anything else (another
status, a 503 without Retry-After, a transport error or timeout) is listed and makes the exit status 1.

    .venv/bin/python benchmarks/bench_load.py [--workers 2] [--clients 16] [--duration 20] [--max-requests 4000]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import numpy as np
from app_process import HOST, free_port, start_app, stop_app

LIGHT = {"cell": "rnn"}
HEAVY = {"cell": "lstm", "seq_len": 1000, "hidden_size": 128, "input_size": 8, "digits": 6}
HEALTH_INTERVAL_S = 0.05
TIMEOUT_S = 60.0


@dataclass
class Tally:
    """Latencies of the 200s (ms) and every other outcome by name, for one kind of request."""

    ok_ms: list[float] = field(default_factory=list)
    outcomes: Counter = field(default_factory=Counter)

    def add(self, outcome: str, ms: float) -> None:
        self.outcomes[outcome] += 1
        if outcome == "200":
            self.ok_ms.append(ms)


def outcome_of(response: httpx.Response) -> str:
    if response.status_code == 503:
        return "503 + Retry-After" if "retry-after" in response.headers else "503 without Retry-After"
    return str(response.status_code)


def client_loop(
    base: str,
    index: int,
    heavy_every: int,
    deadline: float,
    budget: list[int],
    lock: threading.Lock,
    tallies: dict[str, Tally],
) -> None:
    """Posts back to back until the deadline or the shared request budget runs out."""
    with httpx.Client(base_url=base, timeout=TIMEOUT_S) as client:
        n = index  # clients start at different points of the light/heavy cycle
        while time.monotonic() < deadline:
            with lock:
                if budget[0] <= 0:
                    return
                budget[0] -= 1
            kind = "heavy" if n % heavy_every == 0 else "light"
            n += 1
            t0 = time.perf_counter()
            try:
                # a seed of its own for every request: the app keeps its last runs (docs/api.md, "Shared runs")
                body = {**(HEAVY if kind == "heavy" else LIGHT), "seed": 1_000_000 * index + n}
                response = client.post("/api/simulate", json=body)
                outcome = outcome_of(response)
            except httpx.HTTPError as error:
                outcome = type(error).__name__
            ms = (time.perf_counter() - t0) * 1e3
            with lock:
                tallies[kind].add(outcome, ms)


def probe_health(base: str, stop, results) -> None:
    """In its own process: GET /api/health every HEALTH_INTERVAL_S until `stop`; (outcome, ms) pairs out."""
    samples = []
    with httpx.Client(base_url=base, timeout=TIMEOUT_S) as client:
        while not stop.is_set():
            t0 = time.perf_counter()
            try:
                outcome = outcome_of(client.get("/api/health"))
            except httpx.HTTPError as error:
                outcome = type(error).__name__
            samples.append((outcome, (time.perf_counter() - t0) * 1e3))
            time.sleep(HEALTH_INTERVAL_S)
    results.put(samples)


def server_pids(pid: int) -> list[int]:
    """The server and its worker processes."""
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        pids += [int(p) for p in (task / "children").read_text().split()]
    return pids


def server_rss_mb(pid: int) -> float:
    total_kb = 0
    for p in server_pids(pid):
        try:
            total_kb += sum(
                int(line.split()[1])
                for line in Path(f"/proc/{p}/status").read_text().splitlines()
                if line.startswith("VmRSS:")
            )
        except FileNotFoundError:
            pass
    return total_kb / 1024


def server_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) the server's processes have used so far."""
    ticks = 0
    for p in server_pids(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def client_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(
    base: str, server_pid: int, clients: int, heavy_every: int, duration: float, max_requests: int
) -> tuple[dict[str, Tally], float, float, float, float]:
    """Tallies per kind, seconds of load, server RSS peak (MB), CPU seconds of the server and of the clients."""
    tallies = {"light": Tally(), "heavy": Tally()}
    context = multiprocessing.get_context("spawn")
    stop, results = context.Event(), context.Queue()
    prober = context.Process(target=probe_health, args=(base, stop, results))
    prober.start()

    lock, budget = threading.Lock(), [max_requests]
    server_cpu0, client_cpu0 = server_cpu_s(server_pid), client_cpu_s()
    start = time.monotonic()
    deadline = start + duration
    threads = [
        threading.Thread(target=client_loop, args=(base, i, heavy_every, deadline, budget, lock, tallies))
        for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    rss_peak = 0.0
    while any(thread.is_alive() for thread in threads):
        rss_peak = max(rss_peak, server_rss_mb(server_pid))
        time.sleep(0.2)
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    server_cpu, client_cpu = server_cpu_s(server_pid) - server_cpu0, client_cpu_s() - client_cpu0

    stop.set()
    health = Tally()
    for outcome, ms in results.get(timeout=TIMEOUT_S + 10):
        health.add(outcome, ms)
    prober.join(10)
    tallies["health"] = health
    return tallies, elapsed, rss_peak, server_cpu, client_cpu


def table(tallies: dict[str, Tally]) -> str:
    names = {"light": f"light: POST {LIGHT}", "heavy": f"heavy: POST {HEAVY}", "health": "GET /api/health"}
    lines = [
        "| kind | requests | 200 | 503 + Retry-After | failures | p50 ms | p99 ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind, tally in tallies.items():
        total = sum(tally.outcomes.values())
        failures = {k: v for k, v in tally.outcomes.items() if k not in ("200", "503 + Retry-After")}
        failed = ", ".join(f"{v} x {k}" for k, v in sorted(failures.items())) or "0"
        p50, p99 = (f"{np.percentile(tally.ok_ms, q):.1f}" if tally.ok_ms else "-" for q in (50, 99))
        lines.append(
            f"| {names[kind]} | {total} | {tally.outcomes['200']} | {tally.outcomes['503 + Retry-After']} "
            f"| {failed} | {p50} | {p99} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", 2)))
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--heavy-every", type=int, default=4, help="one heavy request in every N of a client")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load (at most)")
    parser.add_argument("--max-requests", type=int, default=4000, help="simulations in all (at most)")
    args = parser.parse_args()

    # Other work on the machine shares the cores with the server: say how busy it was before we started.
    load_before = os.getloadavg()[0]
    port = free_port()
    base = f"http://{HOST}:{port}"
    server = start_app(port, args.workers)
    try:
        with httpx.Client(base_url=base, timeout=TIMEOUT_S) as client:  # warm both paths once
            for body in (LIGHT, HEAVY):
                client.post("/api/simulate", json=body).raise_for_status()
        tallies, elapsed, rss_peak, server_cpu, client_cpu = run(
            base, server.pid, args.clients, args.heavy_every, args.duration, args.max_requests
        )
    finally:
        stop_app(server)

    simulations = sum(sum(tallies[k].outcomes.values()) for k in ("light", "heavy"))
    print(
        f"{args.clients} clients, one heavy request in {args.heavy_every}, for {elapsed:.1f} s against "
        f"{args.workers} worker(s) on {os.cpu_count()} cores: {simulations} simulations "
        f"({simulations / elapsed:.1f}/s), {sum(tallies['health'].outcomes.values())} health probes; "
        f"server RSS peak {rss_peak:.0f} MB; CPU used: server {server_cpu:.0f} s, clients {client_cpu:.0f} s "
        f"(of {os.cpu_count() * elapsed:.0f} core-seconds); 1-minute load average before the run {load_before:.1f}\n"
    )
    print(table(tallies))
    failures = Counter()
    for kind, tally in tallies.items():
        for outcome, count in tally.outcomes.items():
            if outcome not in ("200", "503 + Retry-After"):
                failures[f"{kind} {outcome}"] += count
    print("\nfailures by status: " + (", ".join(f"{v} x {k}" for k, v in sorted(failures.items())) or "none"))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
