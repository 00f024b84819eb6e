"""Answers streamed as NDJSON while the work runs (training, sweeps), and the slot each one holds.

A streamed route reads: validate, refuse over budget (api/budget.py), `lease` a slot, `ndjson(...)`. The
work is a generator advanced one item at a time in a worker thread, so the event loop stays free. When the
client hangs up, Starlette cancels the stream: the item under way finishes and the generator is closed at
once, so the CPU goes quiet; the slot is released exactly once, whatever happens.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import anyio
from fastapi import HTTPException
from fastapi.responses import StreamingResponse

from gradflow.api.refusals import busy
from gradflow.api.settings import Settings
from gradflow.api.slots import Saturated, SimulationSlots
from gradflow.wire.encoding import dumps

STREAMED = "application/x-ndjson"
"""The media type of answers streamed line by line (training, sweeps): never gzipped."""
STREAM_HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
"""No cache, and no buffering in a reverse proxy (nginx honours X-Accel-Buffering), so each line arrives as
it is written."""

_DONE = object()


class Lease:
    """A slot held for the lifetime of one run, released exactly once."""

    def __init__(self, slots: SimulationSlots) -> None:
        self._slots: SimulationSlots | None = slots

    def release(self) -> None:
        if self._slots is not None:
            self._slots.release()
            self._slots = None


async def lease(slots: SimulationSlots, settings: Settings) -> Lease:
    """One of `slots`, waited for in a worker thread up to the slots' timeout, or the 503 that says busy."""
    try:
        await anyio.to_thread.run_sync(slots.acquire)
    except Saturated as exc:
        raise busy(exc, settings) from exc
    return Lease(slots)


async def in_thread(held: Lease, work: Callable[..., Any], *args: Any) -> Any:
    """`work(*args)` in a worker thread while `held`, then the slot is released (the whole-answer form)."""
    try:
        return await anyio.to_thread.run_sync(work, *args)
    finally:
        held.release()


def ndjson(items: Callable[[], Iterator[dict | None]], held: Lease) -> StreamingResponse:
    """The streamed answer: one JSON line per item that `items()` yields (None items are skipped: a generator
    may yield None to say 'a step done, nothing to report', which still lets a hang-up stop it)."""
    return StreamingResponse(_lines(items, held), media_type=STREAMED, headers=STREAM_HEADERS)


async def _lines(items: Callable[[], Iterator[dict | None]], held: Lease) -> AsyncIterator[bytes]:
    iterator = None
    try:
        iterator = await anyio.to_thread.run_sync(items)
        while (item := await anyio.to_thread.run_sync(_next, iterator)) is not _DONE:
            if item is not None:
                yield dumps(item) + b"\n"
    except HTTPException as exc:  # the stream has begun: a refusal becomes its last line
        yield dumps({"type": "error", "detail": exc.detail}) + b"\n"
    except Exception as exc:  # noqa: BLE001 (a failure under way, e.g. on a Dask worker: the last line, not a 500)
        yield dumps({"type": "error", "detail": f"the work failed under way: {type(exc).__name__}: {exc}"}) + b"\n"
    finally:
        # also on cancellation (the client hung up): the generator is not advanced again
        close = getattr(iterator, "close", None)
        if close is not None:
            close()
        held.release()


def _next(iterator: Iterator[Any]) -> object:
    return next(iterator, _DONE)
