"""Core speed: our forward + exact BPTT against torch's nn.RNN/LSTM/GRU forward + backward.

    make bench-core                      # ours only (torch is not a dependency)
    .venv/bin/pip install torch==2.13.0  # then the same command adds torch float64/float32 columns

Times are the median of repeated runs, single process, BLAS pinned to one thread (as each server
worker is). "fwd+bptt" is forward, the full backward sweep with exact log scale, and every parameter
gradient; "analysis" is the whole /api/simulate computation with the flow matrix off (adds spectrum,
norms, log10 arrays, clipping report, memory horizon). torch runs with its default threads and with one.
Before timing, the script checks on every configuration that torch, loaded with our weights, computes
the same hidden states and gradients (max abs difference printed).
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
from gradflow.core.bptt import param_grads, seeds_for_loss, sweep  # noqa: E402
from gradflow.core.cells import forward  # noqa: E402
from gradflow.core.config import SimConfig  # noqa: E402
from gradflow.core.flow import flow_log10, loss_positions, strided_steps  # noqa: E402
from gradflow.core.init import make_run  # noqa: E402
from gradflow.core.simulate import simulate  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

try:
    import torch
except ImportError:
    torch = None


def median_time(fn, min_runs=3, budget=1.5) -> float:
    fn()
    times = []
    start = time.perf_counter()
    while len(times) < min_runs or (time.perf_counter() - start < budget and len(times) < 50):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def ours_fwd_bptt(cfg):
    (params,), v, x = make_run(cfg)

    def run():
        tr = forward(cfg.cell, cfg.activation, params, x)
        d = sweep(tr, params.weight_hh, v, seeds_for_loss(cfg.loss, cfg.seq_len, cfg.batch_size))
        return param_grads(tr, params, d)

    return run


def torch_module(cfg, dtype):
    cls = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cfg.cell]
    (params,), v, x = make_run(cfg)
    mod = cls(cfg.input_size, cfg.hidden_size).to(dtype)
    with torch.no_grad():
        for name, value in params.as_dict().items():
            getattr(mod, f"{name}_l0").copy_(torch.from_numpy(value))
    xt = torch.from_numpy(x).to(dtype).requires_grad_(True)
    vt = torch.from_numpy(v).to(dtype)

    def run():
        mod.zero_grad(set_to_none=True)
        xt.grad = None
        out, _ = mod(xt)
        (out[-1] @ vt).mean().backward()
        return out

    return mod, xt, run


def check_against_torch(cfg) -> float:
    """Max abs difference between our and torch's hidden states and gradients (float64)."""
    mod, xt, run = torch_module(cfg, torch.float64)
    out = run()
    (params,), v, x = make_run(cfg)
    tr = forward(cfg.cell, cfg.activation, params, x)
    d = sweep(tr, params.weight_hh, v, seeds_for_loss("last", cfg.seq_len, cfg.batch_size))
    grads, grad_x = param_grads(tr, params, d)
    diffs = [np.abs(out.detach().numpy() - tr.h).max(), np.abs(xt.grad.numpy()[:, 0] - grad_x).max()]
    for name, g in grads.values().items():
        diffs.append(np.abs(getattr(mod, f"{name}_l0").grad.numpy() - g).max())
    return float(max(diffs))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer sizes")
    args = ap.parse_args()
    sizes = [(32, 100), (128, 1000)] if args.quick else [(h, t) for h in (32, 128, 256) for t in (100, 1000)]
    threadpool_limits(1)
    cols = ["cell", "H", "T", "fwd+bptt ms", "analysis ms"]
    if torch is not None:
        cols += ["torch f64 ms", "torch f64 1t ms", "torch f32 ms", "ours/f64", "ours/f32", "max |diff|"]
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for cell in ("rnn", "lstm", "gru"):
        for H, T in sizes:
            cfg = SimConfig(cell=cell, seq_len=T, hidden_size=H, input_size=8, flow_steps=0)
            ours = median_time(ours_fwd_bptt(cfg))
            full = median_time(lambda: simulate(cfg))
            row = [cell, H, T, f"{ours * 1e3:.1f}", f"{full * 1e3:.1f}"]
            if torch is not None:
                diff = check_against_torch(cfg)
                torch.set_num_threads(os.cpu_count())
                t64 = median_time(torch_module(cfg, torch.float64)[2])
                t32 = median_time(torch_module(cfg, torch.float32)[2])
                torch.set_num_threads(1)
                t64_1 = median_time(torch_module(cfg, torch.float64)[2])
                best64 = min(t64, t64_1)
                row += [
                    f"{t64 * 1e3:.1f}",
                    f"{t64_1 * 1e3:.1f}",
                    f"{t32 * 1e3:.1f}",
                    f"{ours / best64:.2f}",
                    f"{ours / t32:.2f}",
                    f"{diff:.1e}",
                ]
            print("| " + " | ".join(map(str, row)) + " |", flush=True)
    T, H, K = 1000, 128, 64
    for cell in ("rnn", "lstm", "gru"):
        cfg = SimConfig(cell=cell, seq_len=T, hidden_size=H, input_size=8)
        (params,), v, x = make_run(cfg)
        tr = forward(cell, "tanh", params, x).sequence(0)
        t = median_time(lambda: flow_log10(tr, params.weight_hh, v, loss_positions(T, K), strided_steps(T, 256)))
        print(f"flow matrix {cell}: K = {K}, T = {T}, H = {H}: {t * 1e3:.0f} ms")


if __name__ == "__main__":
    main()
