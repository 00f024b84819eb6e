"""Server-Timing: how long each phase of an answer took (simulate, encode, gzip), for the browser's tools and
the benchmarks."""

from __future__ import annotations

import time


class ServerTiming:
    """Durations of an answer's phases for the `Server-Timing` header: `lap(name)` closes the phase that
    began at the previous lap (or at creation)."""

    def __init__(self) -> None:
        self._last = time.perf_counter()
        self.durations: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.durations[name] = now - self._last
        self._last = now

    def header(self) -> str:
        return ", ".join(f"{name};dur={seconds * 1e3:.1f}" for name, seconds in self.durations.items())
