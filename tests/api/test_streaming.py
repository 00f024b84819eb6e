"""Streamed answers (api/streaming.py), on a tiny app of their own: one NDJSON line per item as it is made, None
items skipped, a refusal mid-stream as the last line, a full set of slots as 503 with Retry-After, and the
slot released exactly once however the stream ends: normally, on a refusal, on a failure, or when the client
hangs up (the generator is then closed and not advanced again)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator

import anyio
import httpx
import numpy as np
import pytest
from fastapi import FastAPI, HTTPException
from gradflow.api.settings import Settings
from gradflow.api.slots import SimulationSlots
from gradflow.api.streaming import STREAM_HEADERS, STREAMED, Lease, in_thread, lease, ndjson

pytestmark = pytest.mark.anyio

SETTINGS = Settings(retry_after_s=5)


class CountedSlots(SimulationSlots):
    """One slot that counts its releases."""

    def __init__(self) -> None:
        super().__init__(capacity=1, timeout=0, kind="test")
        self.released = 0

    def release(self) -> None:
        self.released += 1
        super().release()

    def is_free(self) -> bool:
        if not self._semaphore.acquire(timeout=0):
            return False
        self._semaphore.release()
        return True


class Work:
    """A generator of items that records what it made and whether it was closed (its `finally`)."""

    def __init__(self, items: list, then: Exception | None = None, endless: bool = False) -> None:
        self.items, self.then, self.endless = items, then, endless
        self.made: list = []
        self.started = False
        self.closed = False

    def __call__(self) -> Iterator[dict | None]:
        self.started = True
        return self._run()

    def _run(self) -> Iterator[dict | None]:
        try:
            for item in self.items:
                self.made.append(item)
                yield item
            while self.endless:
                time.sleep(0.005)
                self.made.append(len(self.made))
                yield {"k": len(self.made)}
            if self.then is not None:
                raise self.then
        finally:
            self.closed = True


def tiny_app(work: Callable[[], Iterator[dict | None]], slots: SimulationSlots) -> FastAPI:
    app = FastAPI()

    @app.get("/stream")
    async def stream():
        held = await lease(slots, SETTINGS)
        return ndjson(work, held)

    return app


async def get(app: FastAPI) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        return await client.get("/stream")


async def test_one_line_per_item_and_none_items_skipped():
    slots = CountedSlots()
    work = Work([{"step": 1}, None, {"step": 2, "grad": np.array([0.5, np.nan])}, None, {"type": "summary"}])
    response = await get(tiny_app(work, slots))
    assert response.status_code == 200
    assert response.headers["content-type"] == STREAMED
    assert {k: response.headers[k] for k in STREAM_HEADERS} == {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    assert response.text.endswith("\n")
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert lines == [{"step": 1}, {"step": 2, "grad": [0.5, None]}, {"type": "summary"}]
    assert slots.released == 1 and slots.is_free() and work.closed


async def test_a_refusal_mid_stream_becomes_the_last_line():
    slots = CountedSlots()
    refusal = HTTPException(422, [{"type": "value_error", "loc": ["body"], "msg": "diverged"}])
    work = Work([{"step": 1}], then=refusal)
    response = await get(tiny_app(work, slots))
    assert response.status_code == 200  # the stream had begun
    assert [json.loads(line) for line in response.text.splitlines()] == [
        {"step": 1},
        {"type": "error", "detail": [{"type": "value_error", "loc": ["body"], "msg": "diverged"}]},
    ]
    assert slots.released == 1 and slots.is_free() and work.closed


async def test_a_refusal_before_the_first_item_is_the_only_line():
    slots = CountedSlots()

    def refuse() -> Iterator[dict]:
        raise HTTPException(503, "no cluster")

    response = await get(tiny_app(refuse, slots))
    assert [json.loads(line) for line in response.text.splitlines()] == [{"type": "error", "detail": "no cluster"}]
    assert slots.released == 1 and slots.is_free()


async def test_a_failure_mid_stream_ends_it_with_an_error_line_and_releases_the_slot_once():
    """A failure under way (a Dask worker lost, say) is the stream's last line, never a broken answer or a 500."""
    slots = CountedSlots()
    work = Work([{"step": 1}], then=RuntimeError("boom"))
    response = await get(tiny_app(work, slots))
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert response.status_code == 200 and lines[0] == {"step": 1}
    assert lines[-1] == {"type": "error", "detail": "the work failed under way: RuntimeError: boom"}
    assert slots.released == 1 and slots.is_free() and work.closed


async def test_a_full_set_of_slots_is_503_with_retry_after_and_nothing_runs():
    slots = CountedSlots()
    slots.acquire()
    work = Work([{"step": 1}])
    response = await get(tiny_app(work, slots))
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.json() == {"detail": "Busy: all 1 test slots are busy. Retry in 5 s."}
    assert not work.started and slots.released == 0


async def asgi_get(app: FastAPI, hang_up_after: int | None = None) -> list[tuple[bytes, int]]:
    """GET /stream through the ASGI interface itself, as uvicorn calls it (ASGI HTTP spec 2.3: the response
    listens for the client's disconnect). Returns each body message with how many items had been made when it
    was sent; after `hang_up_after` lines the client disconnects."""
    sent: list[tuple[bytes, int]] = []
    gone = anyio.Event()
    asked = False

    async def receive() -> dict:
        nonlocal asked
        if not asked:
            asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await gone.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.body" and message["body"]:
            sent.append((message["body"], len(work.made)))
            if hang_up_after is not None and len(sent) >= hang_up_after:
                gone.set()

    work = app.state.work
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/stream",
        "raw_path": b"/stream",
        "query_string": b"",
        "root_path": "",
        "headers": [],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    with anyio.fail_after(10):
        await app(scope, receive, send)
    return sent


async def test_each_line_is_sent_before_the_next_item_is_made():
    slots = CountedSlots()
    work = Work([{"step": k} for k in range(1, 6)])
    app = tiny_app(work, slots)
    app.state.work = work
    sent = await asgi_get(app)
    assert [json.loads(body) for body, _ in sent] == [{"step": k} for k in range(1, 6)]  # one line per message
    assert [made for _, made in sent] == [1, 2, 3, 4, 5]
    assert slots.released == 1


async def test_a_hang_up_closes_the_generator_and_releases_the_slot_once():
    slots = CountedSlots()
    work = Work([], endless=True)
    app = tiny_app(work, slots)
    app.state.work = work
    sent = await asgi_get(app, hang_up_after=3)
    assert work.closed, "the generator was not closed when the client hung up"
    assert slots.released == 1 and slots.is_free()
    made = len(work.made)
    assert len(sent) >= 3 and made <= len(sent) + 1  # at most the item under way finished
    await anyio.sleep(0.1)
    assert len(work.made) == made, "the generator was advanced after the hang-up"


async def test_lease_takes_a_slot_and_releases_it_once():
    slots = CountedSlots()
    held = await lease(slots, SETTINGS)
    assert isinstance(held, Lease) and not slots.is_free()
    held.release()
    held.release()
    assert slots.released == 1 and slots.is_free()


async def test_in_thread_returns_the_work_s_answer_then_releases():
    slots = CountedSlots()
    answer = await in_thread(await lease(slots, SETTINGS), lambda a, b: a + b, 2, 3)
    assert answer == 5 and slots.released == 1 and slots.is_free()

    def fail() -> None:
        raise ValueError("bad")

    with pytest.raises(ValueError, match="bad"):
        await in_thread(await lease(slots, SETTINGS), fail)
    assert slots.released == 2 and slots.is_free()
