"""Watch your own PyTorch training: `gradflow.watch(module, logdir)` (capture.py, the only part that imports
torch), the exact replay of a captured step (replay.py) and the run directories it writes (runs.py)."""

from __future__ import annotations

from typing import Any


def watch(module: Any, logdir: Any, every: int = 50, name: str | None = None, max_sequences: int = 8):
    from .capture import watch as _watch

    return _watch(module, logdir, every, name, max_sequences)
