"""Run directories, like a TensorBoard logdir: `<logdir>/<name>/meta.json` (what was watched), `snapshots.ndjson`
(one JSON line per replayed step) and `scalars.ndjson` (one line per `watcher.log(...)`), each appended and flushed
line by line, so a reader (the API, `gradflow.load_run`, `gradflow runs`) sees a run grow while it trains.

A half-written last line (the writer is mid-line, or was killed) is skipped on read, never an error. Names are
plain children of the runs directory: `resolve` refuses `..`, absolute paths and symlinks that lead out.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gradflow.wire.encoding import dumps

META = "meta.json"
SNAPSHOTS = "snapshots.ndjson"
SCALARS = "scalars.ndjson"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


class RunNotFound(LookupError):
    """No run of that name in the runs directory (or a name that would leave it)."""


class RunWriter:
    """Appends to one run's files; every line is written whole and flushed at once."""

    def __init__(self, directory: Path, meta: dict[str, Any]) -> None:
        self.directory = directory
        try:
            directory.mkdir(parents=True, exist_ok=True)
            (directory / META).write_bytes(dumps(meta) + b"\n")
            self._snapshots = open(directory / SNAPSHOTS, "ab")  # noqa: SIM115 (kept open for the run)
            self._scalars = open(directory / SCALARS, "ab")  # noqa: SIM115
        except OSError as exc:
            raise OSError(f"cannot write the run directory {directory}: {exc.strerror or exc}") from None

    def snapshot(self, line: dict[str, Any]) -> None:
        self._append(self._snapshots, line)

    def scalars(self, line: dict[str, Any]) -> None:
        self._append(self._scalars, line)

    @staticmethod
    def _append(f, line: dict[str, Any]) -> None:
        f.write(dumps(line) + b"\n")
        f.flush()

    def close(self) -> None:
        self._snapshots.close()
        self._scalars.close()


def unique_name(logdir: Path, name: str | None, module_kind: str) -> str:
    """`name`, or `<kind>-<YYYYmmdd-HHMMSS>` with a counter if that exists already."""
    if name is not None:
        if not NAME.match(name):
            raise ValueError(f"name = {name!r}: use letters, digits, '.', '_' and '-' (at most 128), no '/'")
        return name
    stem = f"{module_kind}-{time.strftime('%Y%m%d-%H%M%S')}"
    candidate, k = stem, 1
    while (logdir / candidate).exists():
        k += 1
        candidate = f"{stem}-{k}"
    return candidate


def resolve(runs_dir: Path, name: str) -> Path:
    """The directory of run `name`: a plain child of `runs_dir` holding a meta.json, and nowhere else."""
    if not NAME.match(name):
        raise RunNotFound(name)
    root = runs_dir.resolve()
    path = (runs_dir / name).resolve()
    if path.parent != root or not (path / META).is_file():
        raise RunNotFound(name)
    return path


def read_lines(path: Path, start: int = 0) -> tuple[list[dict[str, Any]], int]:
    """The complete JSON lines of `path` from byte `start`, and the offset after the last complete one: a
    half-written (or broken) last line is left for the next read."""
    try:
        with open(path, "rb") as f:
            f.seek(start)
            data = f.read()
    except FileNotFoundError:
        return [], start
    lines, offset = [], start
    for raw in data.split(b"\n")[:-1]:  # the piece after the last newline is not complete yet
        offset += len(raw) + 1
        try:
            lines.append(json.loads(raw))
        except ValueError:
            continue  # a line cut by a crash, followed by later ones: skipped
    return lines, offset


def read_run(directory: Path) -> dict[str, Any]:
    """{"name", "meta", "snapshots", "scalars"} of one run as it is now."""
    return {
        "name": directory.name,
        "meta": json.loads((directory / META).read_text(encoding="utf-8")),
        "snapshots": read_lines(directory / SNAPSHOTS)[0],
        "scalars": read_lines(directory / SCALARS)[0],
    }


def list_runs(runs_dir: Path) -> list[dict[str, Any]]:
    """Every run under `runs_dir`, newest first: name, cell, sizes, dtype, snapshot count, last step."""
    out = []
    if not runs_dir.is_dir():
        return out
    for child in runs_dir.iterdir():
        try:
            directory = resolve(runs_dir, child.name)
            meta = json.loads((directory / META).read_text(encoding="utf-8"))
        except (RunNotFound, OSError, ValueError):
            continue
        snapshots = read_lines(directory / SNAPSHOTS)[0]
        out.append(
            {
                "name": directory.name,
                "cell": meta.get("cell"),
                "input_size": meta.get("input_size"),
                "hidden_size": meta.get("hidden_size"),
                "num_layers": meta.get("num_layers"),
                "dtype": meta.get("dtype"),
                "started": meta.get("started"),
                "snapshots": len(snapshots),
                "last_step": snapshots[-1]["step"] if snapshots else None,
                "modified": os.path.getmtime(directory / SNAPSHOTS) if (directory / SNAPSHOTS).exists() else None,
            }
        )
    return sorted(out, key=lambda r: r["modified"] or 0.0, reverse=True)


def follow(directory: Path, poll_s: float = 0.25, stop=lambda: False) -> Iterator[dict[str, Any] | None]:
    """The run's meta, then every snapshot and scalars line as it is written, for as long as the caller keeps
    asking: yields None while nothing is new, so a consumer can stop between polls (a client that hung up)."""
    yield {"type": "meta", "name": directory.name, "meta": json.loads((directory / META).read_text(encoding="utf-8"))}
    offsets = {SNAPSHOTS: 0, SCALARS: 0}
    while not stop():
        fresh = False
        for filename, kind in ((SCALARS, "scalars"), (SNAPSHOTS, "snapshot")):
            lines, offsets[filename] = read_lines(directory / filename, offsets[filename])
            for line in lines:
                fresh = True
                yield line if kind == "snapshot" else {"type": "scalars", **line}
        if not fresh:
            yield None
            time.sleep(poll_s)
