"""The training lab in headless Chromium against the real app: presets train side by side over streamed
POST /api/train, the curves grow as lines arrive, Stop ends every run, the lab's settings live in the URL,
and the API's refusals read in words."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.e2e


def lab(probe):
    return probe.page.get_by_role("region", name="Training lab")


def points(probe) -> int:
    return int(lab(probe).get_attribute("data-points") or 0)


def wait_for(probe, what: str, check, timeout: float = 60.0) -> None:
    probe.wait_for(what, check, timeout, shown_error="train-error")


def wait_state(probe, *states: str, timeout: float = 60.0) -> None:
    wait_for(
        probe, f"the lab not {' or '.join(states)}", lambda: lab(probe).get_attribute("data-state") in states, timeout
    )


def summary_lines(probe) -> list[str]:
    return probe.page.get_by_test_id("train-summary").locator("li").all_inner_texts()


def trace(traces: list[dict], name: str) -> dict:
    found = [t for t in traces if t.get("name") == name]
    assert found, f"no trace named {name!r} among {[t.get('name') for t in traces]}"
    return found[0]


def test_a_preset_trains_side_by_side_and_stop_ends_it(probe):
    probe.open("#lab")  # the lab's presets are built as it comes near: arrive at it
    page = probe.page
    draws = probe.draws()
    page.get_by_test_id("preset-train-gating").click()
    assert page.get_by_test_id("preset-train-gating").get_attribute("aria-pressed") == "true"
    wait_for(probe, "no progress line drawn", lambda: points(probe) > 0)
    first = points(probe)
    loss_points = len(trace(probe.plot("plot-train-loss"), "lstm")["x"])
    wait_for(probe, "the curves did not grow", lambda: points(probe) > first + 2, timeout=30)
    # three runs share two cores: wait until the lstm's own curve has grown too, not only the total
    wait_for(
        probe,
        "the lstm's loss curve did not grow",
        lambda: len(trace(probe.plot("plot-train-loss"), "lstm")["x"]) > loss_points,
        timeout=30,
    )
    page.get_by_test_id("train-stop").click()
    wait_state(probe, "stopped", timeout=10)

    loss = probe.plot("plot-train-loss")
    for cell in ("rnn", "lstm", "gru"):
        trace(loss, cell)
    assert len(trace(loss, "lstm")["x"]) > loss_points, "the loss curve grew as lines arrived"
    assert [t["name"] for t in probe.plot("plot-train-flow")] == ["rnn", "lstm", "gru"]
    ended, progress = points(probe), page.get_by_test_id("train-progress").get_attribute("aria-valuenow")
    page.wait_for_timeout(800)
    assert (points(probe), page.get_by_test_id("train-progress").get_attribute("aria-valuenow")) == (ended, progress)
    assert 0 < int(progress) < 100
    lines = summary_lines(probe)
    assert len(lines) == 3 and all(("stopped at step" in line) or ("solved at step" in line) for line in lines), lines
    assert any("stopped at step" in line for line in lines), lines
    assert page.get_by_test_id("train-stop").is_disabled()
    assert parse_qs(urlparse(page.url).query)["train_vary"] == ["cell"]
    assert probe.draws() == draws, "the lab's settings do not refetch the simulation"


def test_clipping_preset_runs_to_its_outcome(probe):
    probe.open("#lab")
    probe.page.get_by_test_id("preset-train-clipping").click()
    wait_state(probe, "done", timeout=90)
    none, norm = summary_lines(probe)
    assert none.startswith("clip_mode none: diverged at step"), none
    assert norm.startswith("clip_mode norm:") and "diverged" not in norm, norm
    assert probe.page.get_by_test_id("train-progress").get_attribute("aria-valuenow") == "100"

    trace(probe.plot("plot-train-loss"), "clip_mode none: diverged at step " + none.split("step ")[1].split(":")[0])
    grad = probe.plot("plot-train-grad")
    assert max(y for y in trace(grad, "clip_mode none: before clipping")["y"] if y is not None) > 100, (
        "the norm passed 1e100"
    )
    assert all(y <= 1e-6 for y in trace(grad, "clip_mode norm: after clipping")["y"] if y is not None), (
        "clipped to norm 1"
    )
    memory = [t["name"] for t in probe.plot("plot-train-memory")]
    assert "clip_mode norm: memory horizon" in memory

    target = REPO / "test-results" / "train-clipping.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    lab(probe).screenshot(path=str(target))
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_lab_settings_live_in_the_url_and_history_restores_them(probe):
    probe.open("?train_cell=gru&train_seq_len=12&train_steps=40&train_report_every=5&train_yscale=linear")
    page = probe.page
    assert page.get_by_test_id("control-train_cell").input_value() == "gru"
    assert page.get_by_test_id("control-train_seq_len").input_value() == "12"
    assert page.get_by_test_id("control-cell").input_value() == "rnn", "the simulation keeps its own cell"
    page.get_by_test_id("control-train_cell").select_option("rnn")
    query = parse_qs(urlparse(page.url).query)
    assert query["train_cell"] == ["rnn"] and "cell" not in query
    page.go_back()
    wait_for(
        probe,
        "back did not restore train_cell",
        lambda: page.get_by_test_id("control-train_cell").input_value() == "gru",
        10,
    )

    page.get_by_test_id("train-start").click()
    wait_state(probe, "done")
    [line] = summary_lines(probe)
    assert line.startswith("gru: ") and ("not solved in 40 steps" in line or "solved at step" in line), line
    loss = probe.plot("plot-train-loss")
    assert trace(loss, "gru")["x"] == [1, 5, 10, 15, 20, 25, 30, 35, 40]
    assert probe.layout("plot-train-loss")["yaxis"]["type"] == "linear"
    assert len(probe.plot("plot-train-flow")[0]["z"]) == 12, "one row per time step"


def test_a_refused_training_reads_in_words(probe):
    probe.open("?train_seq_len=5000")
    probe.page.get_by_test_id("train-start").click()
    error = probe.page.get_by_test_id("train-error")
    error.wait_for(state="visible")
    assert "seq_len" in error.inner_text() and "1000" in error.inner_text(), error.inner_text()
    wait_state(probe, "done", timeout=10)
    assert "could not run" in summary_lines(probe)[0]
    probe.errors.clear()  # the 422 itself is logged by Chromium as a failed resource load
