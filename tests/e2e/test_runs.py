"""The Runs section in headless Chromium against the real app serving a runs directory: a real PyTorch loop
watched by gradflow.watch in a thread writes while the page follows it, and the gradient flow over training grows
column by column; two runs overlaid; without a runs directory, one line on how to serve one."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from gradflow.api.main import create_app
from gradflow.api.settings import Settings

from tests import needs
from tests.e2e.conftest import PageProbe
from tests.serving import serving
from tests.watching.runs_support import write_run
from tests.watching.torch_loop import running_sum

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]


@contextmanager
def runs_page(browser, runs_dir: Path) -> Iterator[PageProbe]:
    """A page of an app that serves `runs_dir`, checked like the `probe` fixture's when it closes."""
    with serving(create_app(Settings(runs_dir=runs_dir))) as url:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        probe = PageProbe(context.new_page(), f"{url}/")
        try:
            yield probe
        finally:
            context.close()
    assert probe.errors == [], f"the page logged errors: {probe.errors}"
    assert probe.foreign_requests() == [], f"the page contacted other hosts: {probe.foreign_requests()}"


def wait_for(probe, what: str, check, timeout: float = 60.0) -> None:
    probe.wait_for(what, check, timeout, shown_error="runs-error")


def heatmaps(probe: PageProbe, testid: str) -> list[dict]:
    return [t for t in probe.plot(testid) if t.get("type") == "heatmap"]


def flow_columns(probe: PageProbe) -> int:
    """How many training steps the first panel of the gradient flow over training has (its heatmap's x)."""
    drawn = probe.page.get_by_test_id("plot-run-flow").evaluate("el => (el.data || []).map((t) => (t.x || []).length)")
    return drawn[0] if drawn else 0


def snapshot_count(run: Path) -> int:
    return sum(1 for line in (run / "snapshots.ndjson").read_text().splitlines() if line.endswith("}"))


def train(torch, logdir: Path, stop: threading.Event, written: threading.Event, steps: list[int]) -> None:
    """A GRU learning a running sum, watched every 5 steps, until `stop` (or 3 minutes)."""
    import gradflow

    rnn, train_step = running_sum(torch)
    deadline = time.monotonic() + 180
    with gradflow.watch(rnn, logdir, every=5, name="live") as w:
        step = 0
        while not stop.is_set() and time.monotonic() < deadline:
            w.log(step=step, loss=train_step(), lr=1e-2)
            steps.append(step)
            written_to = logdir / "live" / "snapshots.ndjson"
            if written_to.exists() and written_to.stat().st_size:
                written.set()
            step += 1
            time.sleep(0.02)  # a loop that takes its time, as a real one does: the page must keep up while it runs


def test_a_live_training_loop_grows_the_flow_while_it_writes(browser, tmp_path):
    torch = needs.torch()
    stop, written, steps = threading.Event(), threading.Event(), []
    loop = threading.Thread(target=train, args=(torch, tmp_path, stop, written, steps), daemon=True)
    loop.start()
    try:
        assert written.wait(60), "the watched loop wrote no snapshot within 60 s"
        with runs_page(browser, tmp_path) as probe:
            probe.open()
            page = probe.page
            section = page.get_by_test_id("runs-section")
            section.locator("summary").click()
            wait_for(
                probe, "the list did not name the run", lambda: page.get_by_test_id("run-open-live").count() == 1, 20
            )
            assert "1 run in" in page.get_by_test_id("runs-status").inner_text()
            page.get_by_test_id("run-open-live").click()
            assert parse_qs(urlparse(page.url).query)["run"] == ["live"]

            wait_for(probe, "no column of the flow drawn", lambda: flow_columns(probe) >= 2)
            first, step_then = flow_columns(probe), len(steps)
            on_disk = snapshot_count(tmp_path / "live")
            wait_for(probe, "the flow did not grow", lambda: flow_columns(probe) >= max(first, on_disk) + 2)
            assert loop.is_alive() and not stop.is_set(), "the loop was still writing while the page grew"
            assert len(steps) > step_then, "columns written after the page had drawn what was on disk"

            flow = heatmaps(probe, "plot-run-flow")[0]
            assert len(flow["z"]) == 20, "one row per time step of the sequence"
            assert flow["x"] == sorted(flow["x"]) and flow["x"][1] - flow["x"][0] == 5, "a column every watched step"
            depth = heatmaps(probe, "plot-run-depth")[0]
            assert len(depth["z"]) == 1 and len(depth["z"][0]) == 20, "the latest snapshot's layers x T"
            loss = [t for t in probe.plot("plot-run-loss") if t.get("name") == "live"][0]
            assert len(loss["x"]) > len(flow["x"]), "the loss as logged, at every step"
            memory = [t["name"] for t in probe.plot("plot-run-memory")]
            assert "live: memory horizon" in memory and any(n.startswith("live: mean ") for n in memory), memory
            agreement = page.get_by_test_id("run-agreement-live").inner_text()
            assert "agrees with your autograd" in agreement, agreement
            assert "Logged: lr 0.01" in page.get_by_test_id("run-readouts").inner_text()

            target = REPO / "test-results" / "runs.png"
            target.parent.mkdir(parents=True, exist_ok=True)
            section.screenshot(path=str(target))

            # closing the section stops following: the run leaves the URL and no line is drawn after
            section.locator("summary").click()
            wait_for(probe, "the run stayed in the URL", lambda: "run" not in parse_qs(urlparse(page.url).query), 10)
            wait_for(probe, "the section still follows", lambda: section.get_attribute("data-state") == "idle", 10)
            columns = flow_columns(probe)
            page.wait_for_timeout(1000)
            assert flow_columns(probe) == columns
    finally:
        stop.set()
        loop.join(60)
    assert not loop.is_alive()


def test_two_runs_overlay_and_another_run_replaces_the_one_followed(browser, tmp_path):
    write_run(tmp_path, "exp1", steps=(0, 10, 20))
    write_run(tmp_path, "exp2", steps=(0, 10))
    with runs_page(browser, tmp_path) as probe:
        probe.open("?run=exp1&run_with=exp2")
        page = probe.page
        assert page.get_by_test_id("runs-details").evaluate("el => el.open"), "a run in the URL opens the section"
        wait_for(probe, "the two runs not drawn", lambda: len(heatmaps(probe, "plot-run-flow")) == 2)
        wait_for(
            probe,
            "the runs not whole",
            lambda: page.get_by_test_id("runs-section").get_attribute("data-snapshots") == "5",
        )
        flows = heatmaps(probe, "plot-run-flow")
        assert [f["name"] for f in flows] == ["exp1", "exp2"]
        assert [len(f["x"]) for f in flows] == [3, 2]
        names = {t.get("name") for t in probe.plot("plot-run-loss")}
        assert {"exp1", "exp2"} <= names
        assert len(heatmaps(probe, "plot-run-depth")[0]["z"]) == 2, "the run shown's two layers"
        assert page.get_by_test_id("run-compare-exp2").get_attribute("aria-pressed") == "true"

        page.get_by_test_id("run-open-exp2").click()
        wait_for(
            probe, "exp2 alone not drawn", lambda: [f["name"] for f in heatmaps(probe, "plot-run-flow")] == ["exp2"]
        )
        assert parse_qs(urlparse(page.url).query).get("run_with") is None
        assert page.get_by_test_id("runs-section").get_attribute("data-snapshots") == "2"


def test_without_a_runs_directory_the_section_says_how_to_serve_one(probe):
    probe.open()
    probe.page.get_by_test_id("runs-section").locator("summary").click()
    status = probe.page.get_by_test_id("runs-status")
    wait_for(probe, "no word on the runs directory", lambda: "gradflow serve --runs DIR" in status.inner_text(), 10)
    assert "\n" not in status.inner_text().strip()
    assert probe.page.get_by_test_id("runs-list").locator("li").count() == 0
