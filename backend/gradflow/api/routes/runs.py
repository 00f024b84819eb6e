"""GET /api/runs and GET /api/runs/{name}: the training runs that gradflow.watch writes, served from the runs
directory (GRADFLOW_RUNS_DIR, or `gradflow serve --runs DIR`), whole or followed live as NDJSON.

A name is a plain child of the runs directory, or a 404: no `..`, no absolute path, no symlink out of it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
from fastapi import APIRouter, HTTPException, Query, Response
from fastapi.responses import StreamingResponse

from gradflow.api.deps import SettingsDep
from gradflow.api.responses import StrictJSONResponse
from gradflow.api.streaming import STREAM_HEADERS, STREAMED
from gradflow.models.errors import Message
from gradflow.watching.runs import META, SCALARS, SNAPSHOTS, RunNotFound, list_runs, read_lines, read_run, resolve
from gradflow.wire.encoding import dumps

router = APIRouter(tags=["runs"])

FOLLOW_POLL_S = 0.25
"""How often a followed run's files are checked for new lines."""


@router.get("/runs", summary="The watched training runs (gradflow.watch) in the runs directory")
async def runs(settings: SettingsDep) -> Response:
    """Newest first: name, cell, sizes, dtype, snapshot count and last step. `runs_dir` null: none configured."""
    directory = settings.runs_dir
    found = await anyio.to_thread.run_sync(list_runs, directory) if directory is not None else []
    return StrictJSONResponse({"runs_dir": None if directory is None else str(directory), "runs": found})


@router.get(
    "/runs/{name}",
    summary="One watched run: its meta, snapshots and logged scalars (follow=true: NDJSON as it grows)",
    responses={
        200: {"content": {STREAMED: {"schema": {"type": "string"}}}},
        404: {"model": Message, "description": "No run of that name in the runs directory."},
    },
)
async def run(
    name: str,
    settings: SettingsDep,
    follow: bool = Query(False, description="Stream NDJSON: the meta, every line so far, then each new one."),
) -> Response:
    directory = _directory(settings.runs_dir, name)
    if not follow:
        return StrictJSONResponse(await anyio.to_thread.run_sync(read_run, directory))
    return StreamingResponse(_follow(directory), media_type=STREAMED, headers=STREAM_HEADERS)


def _directory(runs_dir: Path | None, name: str) -> Path:
    try:
        if runs_dir is None:
            raise RunNotFound(name)
        return resolve(runs_dir, name)
    except RunNotFound:
        raise HTTPException(404, f"No run named {name!r} in the runs directory.") from None


async def _follow(directory: Path) -> AsyncIterator[bytes]:
    """{"type": "meta"} first, then every scalars and snapshot line as it is written, until the client hangs up
    (Starlette then cancels this generator at its next await)."""
    meta = await anyio.to_thread.run_sync((directory / META).read_bytes)
    yield b'{"type":"meta","name":' + dumps(directory.name) + b',"meta":' + meta.strip() + b"}\n"
    offsets = {SCALARS: 0, SNAPSHOTS: 0}
    while True:
        for filename in (SCALARS, SNAPSHOTS):
            lines, offsets[filename] = await anyio.to_thread.run_sync(
                read_lines, directory / filename, offsets[filename]
            )
            for line in lines:
                yield dumps(_typed(filename, line)) + b"\n"
        await anyio.sleep(FOLLOW_POLL_S)


def _typed(filename: str, line: dict[str, Any]) -> dict[str, Any]:
    return {"type": "scalars", **line} if filename == SCALARS else line
