"""Sweep throughput: points per second embedded, in the local process pool and on a local Dask cluster.

    make bench-sweep          # or: .venv/bin/python benchmarks/bench_sweep.py [--only lstm] [--repeat 3]

Needs the dask extra (pip install -e '.[dask]') and httpx. Two sweeps, one seed per point:
- rnn, T = 100, H = 32: x recurrent_scale 0.5..2 (32, log), y forget_bias 0..4 (32; it does not change an
  rnn's cost), 1,024 points of about 2 ms each: a sweep where per-point overhead shows;
- lstm, T = 200, H = 64: x recurrent_scale 0.5..3 (log), y forget_bias 0..4, --lstm-grid points per axis
  (default 32: 1,024 points of about 7 ms).
Each runs through gradflow.sweeping.executors, exactly as gradflow.library.sweep_result.run_sweep runs them, but with the executor
chosen here (run_sweep would keep a cheap sweep inline): Inline (the caller's process), LocalPool(2) (two
spawned processes; their start-up, imports included, is in the time, as in every real sweep), and a local
Dask cluster with 1 and with 2 worker processes (`dask scheduler` + `dask worker --nworkers N --nthreads 1`
on loopback, started and stopped here, with OPENBLAS_NUM_THREADS=1 and PYTHONPATH=backend/ so that the
workers run this checkout's code, not whatever copy of gradflow is installed; the workers are warmed by a
4-point sweep first, as a standing cluster's would be).

Time runs from making the executor to the last point received and the executor closed: connecting the
client is in it, and the "connect + close" column says how much of it that was. "CPU s where points ran" is
what the processes that ran the points used meanwhile (this process inline; the pool's processes; the
scheduler, nanny and workers of the cluster), and "cores used" is that over the wall time: well below the
number of processes at work means other work on the machine had the cores (beside the ratios, the cores
two busy-loop processes got together just before and after the Dask runs say how much was left to gain).
Every run must give the embedded points exactly. --repeat N runs every executor N times and keeps each
one's fastest run (other work on the machine only ever slows a run down).

Below each table come the two ratios the Dask executor is held to, against their targets: one worker against
inline (>= 0.90x) and two workers against one (>= 1.75x on 2 cores), with the load average; then the
cluster's own cost per task (as many tasks that do nothing, mapped and collected the same way), and the cost
per point against one POST /api/simulate of the same configuration (the grid's middle point: the median of
--api-runs in-process calls through httpx.ASGITransport to gradflow.api.main.create_app(); a sweep point
computes only the fields its metrics need, gradflow.sweeping.points.NEEDED, the API call the full answer). The
command that made the figures is printed first.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "backend"))

import httpx  # noqa: E402
from gradflow.models.sweep import SweepRequest  # noqa: E402
from gradflow.sweeping import point_jobs  # noqa: E402
from gradflow.sweeping.executors import DaskCluster, Inline, LocalPool  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

DASK = Path(sys.executable).parent / "dask"
CLUSTER_ENV = {
    **os.environ,
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    # the workers unpickle gradflow's functions by name: they must import the same code as this process
    "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT / "backend"), os.environ.get("PYTHONPATH")) if p),
}
TARGETS = {"one Dask worker / inline": 0.90, "two Dask workers / one": 1.75}


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min) on {os.cpu_count()} cores"


def sweeps(lstm_grid: int) -> dict[str, dict]:
    return {
        "rnn T=100 H=32": {
            "base": {"cell": "rnn", "seq_len": 100, "hidden_size": 32},
            "x": {"field": "recurrent_scale", "start": 0.5, "stop": 2.0, "num": 32, "log": True},
            "y": {"field": "forget_bias", "start": 0.0, "stop": 4.0, "num": 32},
        },
        "lstm T=200 H=64": {
            "base": {"cell": "lstm", "seq_len": 200, "hidden_size": 64},
            "x": {"field": "recurrent_scale", "start": 0.5, "stop": 3.0, "num": lstm_grid, "log": True},
            "y": {"field": "forget_bias", "start": 0.0, "stop": 4.0, "num": lstm_grid},
        },
    }


def own_cpu() -> dict[int, float]:
    """CPU seconds of this process, by pid (the shape `timed` takes)."""
    return {os.getpid(): time.process_time()}


def timed(make_executor, jobs, cpu=own_cpu) -> tuple[float, float, float, list[dict]]:
    """Seconds from making the executor to the last point received and the executor closed, the part of
    them spent making and closing the executor, the CPU seconds the processes that ran the points used
    meanwhile (`cpu()`: seconds by pid, read before closing, while a pool's processes live; a pid first
    seen at the end counts from zero), and the points."""
    t0, c0 = time.perf_counter(), cpu()
    executor = make_executor()
    t1 = time.perf_counter()
    try:
        points = list(executor.run(jobs))
    finally:
        t2, c2 = time.perf_counter(), cpu()
        executor.close()
    t3 = time.perf_counter()
    return t3 - t0, (t1 - t0) + (t3 - t2), sum(c - c0.get(pid, 0.0) for pid, c in c2.items()), points


def best_of(repeat: int, make_executor, jobs, cpu=own_cpu) -> tuple[float, float, float, list[dict]]:
    """`timed`, `repeat` times: the fastest run."""
    return min((timed(make_executor, jobs, cpu) for _ in range(repeat)), key=lambda r: r[0])


def tree_cpu(roots: list[int]) -> dict[int, float]:
    """CPU seconds (user + system) used so far by the processes `roots` and their living descendants, by pid."""
    import psutil

    out = {}
    for root in roots:
        try:
            procs = [psutil.Process(root), *psutil.Process(root).children(recursive=True)]
        except psutil.NoSuchProcess:
            continue
        for proc in procs:
            try:
                times = proc.cpu_times()
            except psutil.NoSuchProcess:
                continue
            out[proc.pid] = times.user + times.system
    return out


def _spin(seconds: float) -> float:
    start, cpu = time.perf_counter(), time.process_time()
    while time.perf_counter() - start < seconds:
        pass
    return time.process_time() - cpu


def free_cores(seconds: float = 1.0) -> float:
    """Cores that two busy-loop processes get together right now (2.00 on an idle 2-core machine): the
    most two workers could use, so the most two can gain over one."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(2) as pool:
        return sum(pool.map(_spin, [seconds, seconds])) / seconds


def children_cpu() -> dict[int, float]:
    """CPU seconds of this process's living child processes (a local pool's), by pid."""
    import psutil

    return tree_cpu([child.pid for child in psutil.Process().children()])


def key(points: list[dict]) -> list[dict]:
    """The points in grid order, NaN as a string (NaN != NaN would fail an equal comparison)."""

    def plain(p: dict) -> dict:
        return {k: "nan" if isinstance(v, float) and v != v else v for k, v in p.items()}

    return sorted(map(plain, points), key=lambda p: (p["iy"], p["ix"], p["seed"]))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """`dask scheduler` + `dask worker --nworkers n --nthreads 1` on loopback, logs in `logs`; stopped on exit."""

    def __init__(self, workers: int, logs: Path) -> None:
        self.workers, self.logs = workers, logs
        self.port = _free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.procs: list[subprocess.Popen] = []

    def __enter__(self) -> str:
        try:
            self._start(
                [DASK, "scheduler", "--host", "127.0.0.1", "--port", str(self.port), "--no-dashboard"],
                f"scheduler-{self.workers}.log",
            )
            self._start(
                [DASK, "worker", self.address, "--nworkers", str(self.workers), "--nthreads", "1", "--no-dashboard"],
                f"worker-{self.workers}.log",
            )
            self._wait()
        except BaseException:
            self.__exit__()
            raise
        return self.address

    def cpu(self) -> dict[int, float]:
        """CPU seconds used so far by the scheduler, the nannies and the workers, by pid."""
        return tree_cpu([proc.pid for proc in self.procs])

    def __exit__(self, *exc) -> None:
        for proc in reversed(self.procs):
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.procs.clear()

    def _start(self, args, log: str) -> None:
        with (self.logs / log).open("w") as out:
            self.procs.append(subprocess.Popen(args, env=CLUSTER_ENV, stdout=out, stderr=subprocess.STDOUT))

    def _wait(self) -> None:
        from distributed import Client

        deadline = time.monotonic() + 60
        while True:
            if any(p.poll() is not None for p in self.procs) or time.monotonic() > deadline:
                raise RuntimeError(f"the Dask cluster did not start (logs in {self.logs})")
            try:
                with Client(self.address, timeout=5, set_as_default=False) as client:
                    client.wait_for_workers(self.workers, timeout=30)
                    return
            except OSError:
                time.sleep(0.3)


def _noop(k: int) -> int:
    return k


def noop_ms(address: str, n: int) -> float:
    """Ms per task of n tasks that do nothing, through the same map + as_completed as DaskCluster: the
    cluster's own cost per point."""
    from distributed import Client, as_completed

    with Client(address, set_as_default=False, timeout=10) as client:
        client.gather(client.map(_noop, range(8), pure=False))  # warm
        t0 = time.perf_counter()
        futures = client.map(_noop, range(n), pure=False)
        for future in as_completed(futures, loop=client.loop):
            future.result()
        return (time.perf_counter() - t0) / n * 1e3


def api_call_ms(body: dict, runs: int) -> float:
    """Median ms of an in-process POST /api/simulate of `body` (ASGI transport, no network, no server)."""
    from gradflow.api.main import create_app
    from gradflow.api.settings import Settings

    async def go() -> float:
        with tempfile.TemporaryDirectory() as tmp:
            app = create_app(Settings(frontend_dir=Path(tmp)))
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://bench", timeout=120
            ) as client:
                (await client.post("/api/simulate", json=body)).raise_for_status()  # warm-up
                times = []
                for _ in range(runs):
                    t0 = time.perf_counter()
                    response = await client.post("/api/simulate", json=body)
                    times.append(time.perf_counter() - t0)
                    response.raise_for_status()
                return statistics.median(times) * 1e3

    return asyncio.run(go())


def run_table(name: str, request: dict, logs: Path, api_runs: int, repeat: int) -> None:
    spec = SweepRequest.model_validate({**request, "seeds": 1}).to_spec()
    jobs = point_jobs(spec)
    ny, nx = spec.shape
    warm = point_jobs(
        SweepRequest.model_validate(
            {**request, "x": {**request["x"], "num": 2}, "y": {**request["y"], "num": 2}}
        ).to_spec()
    )
    print(
        f"\n{name} sweep, {ny} x {nx} = {len(jobs)} points, x {spec.x_field}, y {spec.y_field}, one seed each; "
        f"{load_average()}\n"
    )
    print(
        "| executor | wall s | connect + close s | CPU s where points ran | cores used | points/s | ms per point "
        "| speed-up vs inline |"
    )
    print("|---|---|---|---|---|---|---|---|")
    rows: dict[str, float] = {}
    overhead: dict[int, float] = {}
    reference: list[dict] = []

    def row(label: str, seconds: float, setup: float, cpu: float, points: list[dict]) -> None:
        assert len(points) == len(jobs)
        if rows:
            assert key(points) == reference, f"{label}: points differ from the embedded sweep"
        else:
            reference.extend(key(points))
        rows[label] = len(jobs) / seconds
        speed = rows[label] / next(iter(rows.values()))
        print(
            f"| {label} | {seconds:.2f} | {setup:.2f} | {cpu:.2f} | {cpu / seconds:.2f} | {rows[label]:.1f} "
            f"| {seconds / len(jobs) * 1e3:.2f} | {speed:.2f}x |",
            flush=True,
        )

    timed(Inline, warm)  # this process imports the core and fills its caches, as the workers are warmed
    row("inline (1 process)", *best_of(repeat, Inline, jobs))
    row("local pool (2 processes, start-up included)", *best_of(repeat, lambda: LocalPool(2), jobs, children_cpu))
    cores = free_cores()
    for workers in (1, 2):
        cluster = Cluster(workers, logs)
        with cluster as address:
            timed(lambda: DaskCluster(address), warm)  # workers import the core, as a standing cluster has
            label = f"dask, {workers} worker{'s' * (workers > 1)}"
            row(label, *best_of(repeat, lambda: DaskCluster(address), jobs, cluster.cpu))
            overhead[workers] = noop_ms(address, len(jobs))
    inline, d1, d2 = rows["inline (1 process)"], rows["dask, 1 worker"], rows["dask, 2 workers"]
    print(f"\nRatios of throughput ({load_average()}):")
    for (what, target), ratio in zip(TARGETS.items(), (d1 / inline, d2 / d1), strict=True):
        verdict = "meets" if ratio >= target else "MISSES"
        print(f"- {what}: {ratio:.2f}x ({verdict} the target of {target:.2f}x)")
    print(f"- scaling efficiency from 1 to 2 Dask workers: {d2 / d1 / 2:.0%}")
    print(
        f"- two busy-loop processes got {cores:.2f} cores together just before the Dask runs, {free_cores():.2f} after"
    )
    print(
        f"Dask's own cost per task ({len(jobs)} tasks that do nothing, same map + as_completed): "
        f"{overhead[1]:.1f} ms with 1 worker, {overhead[2]:.1f} ms with 2."
    )

    middle = {spec.x_field: spec.x_values[nx // 2], spec.y_field: spec.y_values[ny // 2]}
    body = {**request["base"], **middle}
    call = api_call_ms(body, api_runs)
    print(
        f"\nCost per point against one POST /api/simulate of the middle point ({body}), median of {api_runs} "
        f"in-process calls: {call:.1f} ms; {load_average()}\n"
    )
    print("| executor | ms per point | per point / API call |")
    print("|---|---|---|")
    for label, rate in rows.items():
        print(f"| {label} | {1e3 / rate:.1f} | {1e3 / rate / call:.2f} |")
    print(f"| POST /api/simulate (full answer, in-process) | {call:.1f} | 1.00 |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lstm-grid", type=int, default=32, help="points per axis of the lstm sweep")
    parser.add_argument("--api-runs", type=int, default=20)
    parser.add_argument("--only", choices=["rnn", "lstm"], help="one sweep only")
    parser.add_argument("--repeat", type=int, default=1, help="runs per executor; the fastest counts")
    args = parser.parse_args()
    threadpool_limits(1)
    blas = " ".join(f"{k}={os.environ[k]}" for k in ("OPENBLAS_NUM_THREADS", "PYTHONPATH") if k in os.environ)
    print(f"command: {blas + ' ' if blas else ''}{sys.executable} {' '.join(sys.argv)}")
    print(f"(before: {load_average()})")
    with tempfile.TemporaryDirectory(prefix="bench-sweep-dask-") as tmp:
        for name, request in sweeps(args.lstm_grid).items():
            if args.only and not name.startswith(args.only):
                continue
            run_table(name, request, Path(tmp), args.api_runs, args.repeat)
    print(f"\n(after: {load_average()})")


if __name__ == "__main__":
    main()
