"""Stacked layers: a 4-layer lstm against torch.nn.LSTM(num_layers=4), and parsing an uploaded 4-layer weights file.

    /opt/torchvenv/bin/python benchmarks/bench_stack.py   # a Python with torch + numpy (torch is no dependency)
    .venv/bin/python benchmarks/bench_stack.py            # ours only, and the upload table

Speed (num_layers = 4, lstm, T = 1000, H = 128, input_size 16, batch 1, float64): ours is the forward of every
layer, the exact BPTT through the depth x time grid and every layer's parameter gradients
(gradflow.core.stack: stack_forward, stack_sweep, stack_param_grads, weights from make_run); torch is
nn.LSTM(16, 128, num_layers=4) forward + backward of the loss v . h_T (top layer), in float64 with its default
threads and with one, and in float32. Medians of repeated rounds in one process, ours and the three torch runs
taking turns in every round (so load from other work falls on all alike), our BLAS pinned to one thread.
Before timing, torch loaded with our weights (state_dict names weight_ih_l0, ..., bias_hh_l3) must give the
same hidden states (top layer at every step, every layer's h_T and c_T) and gradients (every parameter and
dL/dx); the max abs difference is printed.

Upload parse (4-layer lstm, H = 256, input_size 16, PyTorch's state_dict names): the time from the file's
bytes to checked weights, gradflow.io.read_weights + gradflow.core.weights.from_arrays (the core's
shape and finiteness checks), medians of interleaved timings of each part and of both in turn (the total
allocates fresh arrays every time, so it can exceed the sum of the parts), as .npz (float64), .safetensors
(float64 and float32) and .json (float64 as Python's repr; how its time splits between json.loads and NumPy
is printed below), with the file sizes. That part needs the `safetensors` package: run with a Python without
it (the torch venv), the script runs it with the project's .venv/bin/python.
The load average (other work on this 2-core machine moves every figure) is printed above each table.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "backend"))

import numpy as np  # noqa: E402
from gradflow.core.bptt import seeds_for_loss  # noqa: E402
from gradflow.core.config import SimConfig  # noqa: E402
from gradflow.core.init import make_run  # noqa: E402
from gradflow.core.stack import stack_forward, stack_param_grads, stack_sweep  # noqa: E402

try:
    from threadpoolctl import threadpool_limits
except ImportError:  # the torch venv: OPENBLAS_NUM_THREADS=1 (set above, before NumPy loads) pins it as well
    threadpool_limits = None

try:
    import torch
except ImportError:
    torch = None

LAYERS, CELL, T, H, INPUTS = 4, "lstm", 1000, 128, 16
UPLOAD_H = 256
MB = 1e6


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min) on {os.cpu_count()} cores"


def interleaved(fns: dict, min_runs: int, budget: float, max_runs: int = 30) -> dict[str, float]:
    """Median seconds of each fn() after one untimed call each, the fns taking turns in every round (so load
    from other work that comes and goes falls on all of them alike): at least min_runs rounds, more while
    under `budget` seconds."""
    for fn in fns.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    start = time.perf_counter()
    rounds = 0
    while rounds < min_runs or (time.perf_counter() - start < budget and rounds < max_runs):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
        rounds += 1
    return {name: statistics.median(t) for name, t in times.items()}


def config() -> SimConfig:
    return SimConfig(cell=CELL, seq_len=T, hidden_size=H, input_size=INPUTS, num_layers=LAYERS, batch_size=1)


def ours():
    """Forward + exact BPTT + every parameter gradient of the stack; returns (traces, grads, grad_x)."""
    cfg = config()
    layers, v, x = make_run(cfg)
    seeds = seeds_for_loss("last", T, 1)

    def run():
        traces = stack_forward(CELL, "tanh", layers, x)
        deltas = stack_sweep(traces, layers, v, seeds)
        grads, grad_x = stack_param_grads(traces, layers, deltas)
        return traces, grads, grad_x

    return run


def torch_lstm(dtype):
    """torch.nn.LSTM(num_layers=4) holding our weights, and its forward + backward of v . h_T."""
    layers, v, x = make_run(config())
    mod = torch.nn.LSTM(INPUTS, H, num_layers=LAYERS).to(dtype)
    state = {
        f"{name}_l{k}": torch.from_numpy(value) for k, p in enumerate(layers) for name, value in p.as_dict().items()
    }
    mod.load_state_dict(state)  # strict: every name must be torch's own
    xt = torch.from_numpy(x).to(dtype).requires_grad_(True)
    vt = torch.from_numpy(v).to(dtype)

    def run():
        mod.zero_grad(set_to_none=True)
        xt.grad = None
        out, (h_n, c_n) = mod(xt)
        (out[-1] @ vt).sum().backward()
        return out, h_n, c_n

    return mod, xt, run


def check_against_torch() -> tuple[float, float]:
    """Max abs differences (hidden and cell states; gradients) between ours and torch float64 on our weights."""
    traces, grads, grad_x = ours()()
    mod, xt, run = torch_lstm(torch.float64)
    out, h_n, c_n = (a.detach().numpy() for a in run())
    assert all((tr.h_exp == 0).all() for tr in traces)  # an lstm's states never need an exponent
    states = [np.abs(out[:, 0] - traces[-1].h[:, 0]).max()]
    for k, tr in enumerate(traces):
        states += [np.abs(h_n[k, 0] - tr.h[-1, 0]).max(), np.abs(c_n[k, 0] - tr.c[-1, 0]).max()]
    values = grads.values()
    named = dict(mod.named_parameters())
    assert set(values) == set(named), (sorted(values), sorted(named))
    diffs = [np.abs(named[name].grad.numpy() - g).max() for name, g in values.items()]
    diffs.append(np.abs(xt.grad.numpy()[:, 0] - grad_x).max())
    return float(max(states)), float(max(diffs))


def speed_table(min_runs: int, budget: float) -> None:
    print(
        f"\nStacked lstm, num_layers = {LAYERS}, T = {T}, H = {H}, input_size {INPUTS}, batch 1: forward + exact "
        f"BPTT + every parameter gradient, median ms; {load_average()}\n"
    )
    if threadpool_limits is not None:
        threadpool_limits(1)
    fns = {"ours": ours()}
    threads = os.cpu_count() or 1
    if torch is not None:
        d_state, d_grad = check_against_torch()

        def with_threads(run, n: int):
            def timed():
                torch.set_num_threads(n)
                return run()

            return timed

        fns["t64"] = with_threads(torch_lstm(torch.float64)[2], threads)
        fns["t64_1"] = with_threads(torch_lstm(torch.float64)[2], 1)
        fns["t32"] = with_threads(torch_lstm(torch.float32)[2], threads)
    ms = {name: t * 1e3 for name, t in interleaved(fns, min_runs, budget).items()}
    cols = ["ours float64 ms"]
    row = [f"{ms['ours']:.0f}"]
    if torch is not None:
        cols += [
            f"torch f64 ({threads} threads) ms",
            "torch f64 1 thread ms",
            f"torch f32 ({threads} threads) ms",
            "ours / best torch f64",
            "ours / torch f32",
            "max abs diff states",
            "max abs diff grads",
        ]
        row += [
            f"{ms['t64']:.0f}",
            f"{ms['t64_1']:.0f}",
            f"{ms['t32']:.0f}",
            f"{ms['ours'] / min(ms['t64'], ms['t64_1']):.2f}",
            f"{ms['ours'] / ms['t32']:.2f}",
            f"{d_state:.1e}",
            f"{d_grad:.1e}",
        ]
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    print("| " + " | ".join(row) + " |", flush=True)
    if torch is None:
        print("\n(torch is not importable here: run with a Python that has it for the torch columns and the check)")


def upload_files(directory: Path) -> dict[str, Path]:
    """The 4-layer H = 256 lstm's state_dict written as each format."""
    from safetensors.numpy import save_file

    cfg = SimConfig(cell=CELL, seq_len=10, hidden_size=UPLOAD_H, input_size=INPUTS, num_layers=LAYERS)
    layers, _, _ = make_run(cfg)
    state = {f"{name}_l{k}": value for k, p in enumerate(layers) for name, value in p.as_dict().items()}
    files = {
        ".npz (float64)": directory / "weights.npz",
        ".safetensors (float64)": directory / "weights.safetensors",
        ".safetensors (float32)": directory / "weights_f32.safetensors",
        ".json (float64)": directory / "weights.json",
    }
    buf = io.BytesIO()
    np.savez(buf, **state)
    files[".npz (float64)"].write_bytes(buf.getvalue())
    save_file(state, str(files[".safetensors (float64)"]))
    save_file({k: v.astype(np.float32) for k, v in state.items()}, str(files[".safetensors (float32)"]))
    files[".json (float64)"].write_text(json.dumps({k: v.tolist() for k, v in state.items()}))
    return files


def upload_table(min_runs: int, budget: float) -> None:
    import tempfile

    from gradflow.core.weights import from_arrays
    from gradflow.io import read_weights

    print(
        f"\nUpload parse, {LAYERS}-layer lstm, H = {UPLOAD_H}, input_size {INPUTS} (state_dict names): bytes -> "
        f"read_weights -> from_arrays (checked), median ms; {load_average()}\n"
    )
    print("| format | file MB | read_weights ms | from_arrays ms | total ms |")
    print("|---|---|---|---|---|")
    json_split = ""
    with tempfile.TemporaryDirectory() as tmp:
        for label, path in upload_files(Path(tmp)).items():
            data = path.read_bytes()
            arrays = read_weights(data, path.name)
            checked = from_arrays(arrays, CELL, UPLOAD_H, INPUTS, LAYERS)
            assert len(checked.layers) == LAYERS and not checked.ignored

            def parse_only(data=data, name=path.name):
                return read_weights(data, name)

            def check_only(arrays=arrays):
                return from_arrays(arrays, CELL, UPLOAD_H, INPUTS, LAYERS)

            def both_steps(data=data, name=path.name):
                return from_arrays(read_weights(data, name), CELL, UPLOAD_H, INPUTS, LAYERS)

            fns = {"parse": parse_only, "check": check_only, "both": both_steps}
            if path.suffix == ".json":
                obj = json.loads(data)
                fns["loads"] = lambda data=data: json.loads(data)
                fns["asarray"] = lambda obj=obj: {k: np.asarray(v, dtype=np.float64) for k, v in obj.items()}
            t = {name: sec * 1e3 for name, sec in interleaved(fns, min_runs, budget).items()}
            print(
                f"| {label} | {len(data) / MB:.1f} | {t['parse']:.1f} | {t['check']:.1f} | {t['both']:.1f} |",
                flush=True,
            )
            if path.suffix == ".json":
                json_split = f"json.loads {t['loads']:.0f} ms + np.asarray of the nested lists {t['asarray']:.0f} ms"
    print(f"\nWhere .json's read_weights goes: {json_split}.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="least timed runs per figure (median reported)")
    parser.add_argument("--budget", type=float, default=10.0, help="seconds per figure for more runs")
    parser.add_argument("--parse-only", action="store_true", help="only the upload table")
    parser.add_argument("--speed-only", action="store_true", help="only the stack speed table")
    args = parser.parse_args()
    if not args.parse_only:
        speed_table(args.runs, args.budget)
    if args.speed_only:
        return
    try:
        import safetensors  # noqa: F401
    except ImportError:
        venv = ROOT / ".venv" / "bin" / "python"
        print(
            f"\n(safetensors is not importable here: the upload table comes from {venv.relative_to(ROOT)})", flush=True
        )
        subprocess.run(
            [str(venv), __file__, "--parse-only", "--runs", str(args.runs), "--budget", str(args.budget)], check=True
        )
        return
    upload_table(args.runs, args.budget)


if __name__ == "__main__":
    main()
