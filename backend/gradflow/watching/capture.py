"""`gradflow.watch(module, logdir)`: the exact gradient flow through time of your own torch.nn.RNN, LSTM or GRU,
while it trains in your own loop.

Every `every`-th forward of the module in training mode with gradients on, hooks copy (float64, on the CPU) the
weights as they are at that forward, the inputs and initial states, and, through tensor hooks, the loss's gradient
at the output sequence and at the final states. When that backward has accumulated every parameter's `.grad`
(post-accumulate hooks), the step is handed to a worker thread through a bounded queue and the training goes on;
a replay process (worker.py: no GIL shared with the training loop, one BLAS thread, a lower priority) replays it in
the core (replay.py), and the snapshot is appended to the run directory (runs.py). A full queue drops the snapshot
and counts it: the training is never held up and nothing piles up without bound. Where no process can be started,
a thread of this process replays instead.

Only this module imports torch, and only when `watch()` is called.
"""

from __future__ import annotations

import os
import pickle
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from gradflow.core.params import Params

from .replay import Capture, replay
from .runs import RunWriter, unique_name

SUPPORTED = "torch.nn.RNN, torch.nn.LSTM or torch.nn.GRU"
QUEUE_SIZE = 2
"""Captured steps waiting for the replay: more would only hold memory while the replay falls behind."""
REPLAY_IN = "process"
"""Where snapshots are replayed: "process" (worker.py) or "thread" (in this process; tests use it to see the
captures)."""


class WatchError(ValueError):
    """A module or an input that the replay cannot follow exactly; the message names what is supported."""


def watch(module: Any, logdir: str | Path, every: int = 50, name: str | None = None, max_sequences: int = 8) -> Watcher:
    """Watch `module` (torch.nn.RNN, LSTM or GRU) while it trains: every `every`-th training forward is replayed
    exactly and written to `<logdir>/<name>/` (name: `<cell>-<date>-<time>` by default); the first
    `max_sequences` sequences of the batch give the per-step figures. Returns the `Watcher`, also a context manager:

        w = gradflow.watch(model.rnn, "runs/exp1")
        for step in range(steps):
            loss = ...; loss.backward(); opt.step()
            w.log(step=step, loss=loss.item())
        w.close()
    """
    return Watcher(module, Path(logdir), every, name, max_sequences)


class Watcher:
    """The hooks on one module, the replay thread and the run directory they write."""

    def __init__(self, module: Any, logdir: Path, every: int, name: str | None, max_sequences: int) -> None:
        import torch

        self._torch = torch
        self.cell, self.activation = check_module(module)
        if not isinstance(every, int) or every < 1:
            raise WatchError(f"every = {every!r}: must be a whole number of forwards, at least 1")
        if not isinstance(max_sequences, int) or max_sequences < 1:
            raise WatchError(f"max_sequences = {max_sequences!r}: must be at least 1")
        self.module, self.every, self.max_sequences = module, every, max_sequences
        self.dtype = str(next(module.parameters()).dtype).removeprefix("torch.")
        self.name = unique_name(logdir, name, self.cell)
        self.directory = logdir / self.name
        self.meta = {
            "module": type(module).__name__,
            "cell": self.cell,
            "activation": self.activation,
            "input_size": module.input_size,
            "hidden_size": module.hidden_size,
            "num_layers": module.num_layers,
            "batch_first": module.batch_first,
            "bias": module.bias,
            "dtype": self.dtype,
            "device": str(next(module.parameters()).device),
            "every": every,
            "max_sequences": max_sequences,
            "started": time.time(),
            "gradflow": __import__("gradflow").__version__,
            "torch": torch.__version__,
        }
        self._writer = RunWriter(self.directory, self.meta)
        self.forwards = 0
        self.snapshots = 0
        self.dropped = 0
        self._pending: _Pending | None = None
        self._latest_scalars: dict[str, Any] | None = None
        self._lock = threading.Lock()
        self._closed = False
        self._replayer = start_replayer(self._on_snapshot)
        self._handles = [module.register_forward_hook(self._on_forward, with_kwargs=True)]
        for pname, p in module.named_parameters():
            if p.requires_grad:
                self._handles.append(p.register_post_accumulate_grad_hook(self._param_hook(pname)))

    # ------------------------------------------------------------------ the user's calls

    def log(self, step: int | None = None, loss: float | None = None, **scalars: Any) -> None:
        """Records the user's own loss and scalars (numbers, or one-element tensors) at `step`."""
        line: dict[str, Any] = {"step": step, "time": time.time()}
        if loss is not None:
            line["loss"] = _number(loss, "loss")
        line.update({key: _number(value, key) for key, value in scalars.items()})
        with self._lock:
            self._latest_scalars = line
        self._writer.scalars(line)

    def close(self) -> None:
        """Stops watching: removes the hooks, replays what is queued and closes the run's files."""
        if self._closed:
            return
        self._closed = True
        for handle in self._handles:
            handle.remove()
        self._replayer.close()
        self._writer.close()

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ hooks (the training thread)

    def _on_forward(self, module: Any, args: tuple, kwargs: dict, output: Any) -> None:
        torch = self._torch
        if not (module.training and torch.is_grad_enabled()):
            return
        x = args[0] if args else kwargs.get("input")
        hx = args[1] if len(args) > 1 else kwargs.get("hx")
        check_input(x, torch)
        k = self.forwards
        self.forwards += 1
        if k % self.every:
            return
        if self._pending is not None:
            self.dropped += 1  # the last watched forward never finished a backward (e.g. an evaluation pass)
        y, final = output
        h_n, c_n = final if isinstance(final, tuple) else (final, None)
        self._pending = pending = _Pending(self, k, x, hx, y, h_n, c_n)
        if not pending.waiting:
            self._pending = None

    def _param_hook(self, name: str):
        def hook(param: Any) -> None:
            pending = self._pending
            if pending is None or not pending.outputs_seen:
                return
            pending.waiting.discard(name)
            if not pending.waiting:
                self._pending = None
                self._hand_over(pending.capture(self))

        return hook

    def _hand_over(self, capture: Capture) -> None:
        if not self._replayer.submit(capture):
            self.dropped += 1

    # ------------------------------------------------------------------ results (a background thread)

    def _on_snapshot(self, snapshot: dict) -> None:
        if snapshot.get("type") == "snapshot":
            with self._lock:
                snapshot["scalars"] = self._latest_scalars
            snapshot["dropped"] = self.dropped
            self.snapshots += 1
        self._writer.snapshot(snapshot)


def start_replayer(on_result: Callable[[dict], None]) -> _Replayer:
    """The replay process (REPLAY_IN "process"), or a thread of this process when none can be started."""
    if REPLAY_IN == "process":
        try:
            return _ReplayProcess(on_result)
        except OSError:
            pass
    return _Replayer(on_result)


class _Replayer:
    """Replays captured steps in a thread of this process, through a bounded queue; `on_result` gets each snapshot
    (or an error line) in the order the steps were captured."""

    def __init__(self, on_result: Callable[[dict], None], maxsize: int = QUEUE_SIZE) -> None:
        self._on_result = on_result
        self._queue: queue.Queue = queue.Queue(maxsize=maxsize)
        self._thread = threading.Thread(target=self._work, name="gradflow-watch-replay", daemon=True)
        self._thread.start()

    def submit(self, capture: Capture) -> bool:
        """Queues `capture`; False (and nothing queued) when the queue is full."""
        try:
            self._queue.put_nowait(capture)
        except queue.Full:
            return False
        return True

    def close(self) -> None:
        """Replays what is queued, then stops."""
        self._queue.put(None)
        self._thread.join()

    def _work(self) -> None:
        while (capture := self._queue.get()) is not None:
            start = time.perf_counter()
            try:
                snapshot = replay(capture)
                snapshot["replay_ms"] = (time.perf_counter() - start) * 1e3
            except Exception as exc:  # a bug of ours must not end the user's training
                snapshot = {"type": "error", "step": capture.step, "detail": f"replay failed: {exc!r}"}
            self._on_result(snapshot)


class _ReplayProcess(_Replayer):
    """Replays in `python -m gradflow.watching.worker`: this thread pickles each queued capture into the worker's
    stdin (so the training thread never waits on the pipe), another reads the snapshots from its stdout."""

    def __init__(self, on_result: Callable[[dict], None]) -> None:
        from . import worker

        self._worker = worker
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        self._process = subprocess.Popen(
            [sys.executable, "-m", "gradflow.watching.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        self._in_flight = threading.Semaphore(QUEUE_SIZE + 1)  # queued + being replayed, at most
        self._reader = threading.Thread(target=self._read, name="gradflow-watch-results", daemon=True)
        self._reader.start()
        super().__init__(on_result, maxsize=0)  # the semaphore bounds what is queued

    def submit(self, capture: Capture) -> bool:
        if not self._in_flight.acquire(blocking=False):
            return False
        if not super().submit(capture):
            self._in_flight.release()
            return False
        return True

    def close(self) -> None:
        super().close()  # the sender has written every queued capture
        self._worker.write_message(self._process.stdin, b"")
        self._process.stdin.close()
        self._reader.join()
        self._process.stdout.close()
        self._process.wait()

    def _work(self) -> None:
        while (capture := self._queue.get()) is not None:
            try:
                self._worker.write_message(self._process.stdin, pickle.dumps(capture, protocol=5))
            except OSError as exc:  # the worker died: say so for this step
                self._in_flight.release()
                self._on_result({"type": "error", "step": capture.step, "detail": f"replay process: {exc}"})

    def _read(self) -> None:
        import json

        while (message := self._worker.read_message(self._process.stdout)) is not None:
            self._in_flight.release()
            self._on_result(json.loads(message))


class _Pending:
    """One watched forward waiting for its backward: the copies made at the forward, the output gradients as
    their hooks deliver them, and the parameters whose `.grad` is still to come."""

    def __init__(self, watcher: Watcher, step: int, x: Any, hx: Any, y: Any, h_n: Any, c_n: Any) -> None:
        module = watcher.module
        self.step = step
        self.batch_first = module.batch_first
        self.x = _numpy(x.transpose(0, 1) if module.batch_first else x)
        h0, c0 = (hx if isinstance(hx, tuple) else (hx, None)) if hx is not None else (None, None)
        self.h0, self.c0 = _numpy(h0), _numpy(c0)
        self.layers = [_layer(module, k) for k in range(module.num_layers)]
        self.module = module
        self.before: dict[str, Any] = {}
        self.waiting = {n for n, p in module.named_parameters() if p.requires_grad}
        self.grads: dict[str, Any] = {}
        self.outputs_seen = False
        for key, tensor in (("d_out", y), ("d_h_last", h_n), ("d_c_last", c_n)):
            if tensor is not None and tensor.requires_grad:
                tensor.register_hook(self._keep(key))

    def _keep(self, key: str):
        def hook(grad: Any) -> None:
            if not self.outputs_seen:
                # The backward has begun and no parameter has accumulated yet: what .grad holds now is not this
                # backward's (gradients accumulated over steps, or not zeroed yet at the forward).
                self.before = {
                    n: p.grad.detach().clone() for n, p in self.module.named_parameters() if p.grad is not None
                }
            self.grads[key] = _numpy(grad)
            self.outputs_seen = True

        return hook

    def capture(self, watcher: Watcher) -> Capture:
        module = watcher.module
        T, N, _ = self.x.shape
        L, H = module.num_layers, module.hidden_size
        d_out = self.grads.get("d_out")
        d_out = np.zeros((T, N, H)) if d_out is None else (d_out.transpose(1, 0, 2) if self.batch_first else d_out)
        d_h = self.grads.get("d_h_last", np.zeros((L, N, H)))
        d_c = self.grads.get("d_c_last", np.zeros((L, N, H))) if watcher.cell == "lstm" else None
        autograd = {}
        for name, p in module.named_parameters():
            if p.grad is None:
                continue
            grad = p.grad.detach()
            if name in self.before:
                grad = grad - self.before[name]  # this backward's share, if .grad was accumulating
            autograd[name] = _numpy(grad)
        return Capture(
            step=self.step,
            cell=watcher.cell,
            activation=watcher.activation,
            layers=self.layers,
            x=self.x,
            h0=self.h0,
            c0=self.c0,
            d_out=np.ascontiguousarray(d_out),
            d_h_last=d_h,
            d_c_last=d_c,
            dtype=watcher.dtype,
            watched=watcher.max_sequences,
            autograd_grads=autograd or None,
        )


def check_module(module: Any) -> tuple[str, str]:
    """(cell, activation) of a module the replay follows exactly, or a WatchError naming what is supported."""
    import torch

    kinds = {torch.nn.LSTM: "lstm", torch.nn.GRU: "gru", torch.nn.RNN: "rnn"}
    cell = next((kind for cls, kind in kinds.items() if isinstance(module, cls)), None)
    if cell is None:
        got = type(module).__name__
        hint = f" ({got} is one step of a cell: watch the sequence module instead)" if "Cell" in got else ""
        raise WatchError(f"gradflow.watch follows {SUPPORTED}, got {got}{hint}")
    if module.bidirectional:
        raise WatchError(f"gradflow.watch: bidirectional=True is not supported; watch {SUPPORTED} with one direction")
    if getattr(module, "proj_size", 0):
        raise WatchError(f"gradflow.watch: proj_size={module.proj_size} is not supported; watch an LSTM without it")
    if module.num_layers > 1 and module.dropout > 0:
        raise WatchError(
            f"gradflow.watch: dropout={module.dropout} between layers is random at every forward, so the replay "
            "cannot follow it; watch a module with dropout=0 (put nn.Dropout outside it instead)"
        )
    return cell, getattr(module, "nonlinearity", "tanh")


def check_input(x: Any, torch: Any) -> None:
    if isinstance(x, torch.nn.utils.rnn.PackedSequence):
        raise WatchError(
            "gradflow.watch: a PackedSequence input is not supported; pad the batch to one length (and mask the "
            "loss) to watch it"
        )
    if x is None or x.dim() != 3:
        raise WatchError(
            "gradflow.watch: unbatched input (2 dimensions) is not supported; give a batch of one sequence, "
            "x.unsqueeze(1) (or unsqueeze(0) with batch_first=True)"
        )


def _layer(module: Any, k: int) -> Params:
    G = {"LSTM": 4, "GRU": 3}.get(type(module).__name__, 1)
    H = module.hidden_size

    def get(name: str) -> np.ndarray:
        p = getattr(module, f"{name}_l{k}", None)
        return np.zeros(G * H) if p is None else _numpy(p)

    return Params(get("weight_ih"), get("weight_hh"), get("bias_ih"), get("bias_hh"))


def _numpy(t: Any) -> np.ndarray | None:
    """A float64 CPU copy of a tensor (None stays None)."""
    if t is None:
        return None
    import torch

    return t.detach().to(device="cpu", dtype=torch.float64).numpy().copy()


def _number(value: Any, key: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise WatchError(f"log: {key} = {value!r} is not a number") from None
