"""Training runs as the figures read them: each run's progress events as columns over the reported steps.

A run is what `gradflow.training.train(cfg)` or `gradflow.train(**fields)` yields (or POST /api/train
streams, one JSON object a line): progress events in order, then one summary carrying `config`. A run that
was stopped has no summary; its figures then lack what only the summary knows (the task's baseline, the
clipping threshold, the ending).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from .common import CELL_COLOURS, RUN_COLOURS

GATE_FIELDS = {"forget_gate_mean": "forget gate f", "update_gate_mean": "update gate z"}
"""The progress field of the memory gate's mean (lstm, gru) and the gate's name in words."""

Events = Iterable[dict]


@dataclass
class Run:
    """One run: its label, colour, progress events, summary (None while unfinished) and config ({} without
    a summary)."""

    label: str
    colour: str
    events: list[dict]
    summary: dict | None = None
    config: dict = field(default_factory=dict)

    def column(self, key: str) -> np.ndarray:
        """A progress field over the events (K,), NaN where it is null or absent."""
        return np.array([np.nan if e.get(key) is None else e[key] for e in self.events], dtype=float)

    @property
    def steps(self) -> np.ndarray:
        return np.array([e["step"] for e in self.events], dtype=int)

    @property
    def seq_len(self) -> int:
        """T from the config, else from the longest gradient profile the events carry."""
        lengths = [len(e["grad_h_log10_norm"]) for e in self.events if e.get("grad_h_log10_norm") is not None]
        return int(self.config.get("seq_len") or max(lengths, default=0))

    def ending(self) -> tuple[str, int] | None:
        """('diverged', step) or ('solved', step) from the summary, else None."""
        s = self.summary or {}
        if s.get("diverged"):
            return "diverged", s["diverged_at"]
        if s.get("solved"):
            return "solved", s["solved_at"]
        return None


def _split(label: str, colour: str, events: Events) -> Run:
    events = list(events)
    progress = [e for e in events if e.get("type", "progress") == "progress"]
    summary = next((e for e in events if e.get("type") == "summary"), None)
    config = dict((summary or {}).get("config") or {})
    return Run(label, colour, progress, summary, config)


def runs_of(runs: Events | Mapping[str, Events]) -> list[Run]:
    """Runs from one run's events or a mapping label -> events. One run is labelled by its cell (from the
    summary's config) or 'run'. Colours: the cell's when the labels are cell names, else RUN_COLOURS."""
    if isinstance(runs, Mapping):
        labelled = [(str(label), list(events)) for label, events in runs.items()]
    else:
        events = list(runs)
        summary = next((e for e in events if e.get("type") == "summary"), {})
        labelled = [(str((summary.get("config") or {}).get("cell", "run")), events)]
    if not labelled:
        raise ValueError("runs: no run given (pass one run's events or a mapping label -> events)")
    by_cell = all(label in CELL_COLOURS for label, _ in labelled)
    return [
        _split(label, CELL_COLOURS[label] if by_cell else RUN_COLOURS[i % len(RUN_COLOURS)], events)
        for i, (label, events) in enumerate(labelled)
    ]


def last_finite(values: np.ndarray) -> float | None:
    """The last finite value, where an end marker goes on a line that stops at a NaN."""
    finite = values[np.isfinite(values)]
    return float(finite[-1]) if finite.size else None


def x_max(runs: list[Run]) -> int:
    """The last training step any run was configured for or reached (at least 2, so a line has length)."""
    ends = [int(r.config.get("steps") or (r.steps.max() if r.events else 1)) for r in runs]
    return max(2, *ends)
