"""Bringing a network into the views, in headless Chromium against the real app: a PyTorch .pt dropped on a default
page moves the controls to its shape (read by the API from the file); a refused file after a good one greys the
views with the reason."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest

from tests import needs

pytestmark = pytest.mark.e2e


def query_of(probe) -> dict[str, list[str]]:
    return parse_qs(urlparse(probe.page.url).query)


def control(probe, field: str) -> str:
    return probe.page.get_by_test_id(f"control-{field}").input_value()


def unrolled_rows(probe) -> int:
    heat = [t for t in probe.plot("plot-unrolled") if t.get("type") == "heatmap"]
    return len(heat[0]["z"])


def drop(probe, path: Path) -> None:
    drawn = probe.draws()
    probe.page.get_by_test_id("weights-file").set_input_files(str(path))
    probe.wait_drawn(drawn + 1)


def torch_file(torch, path: Path, kind: str, inputs: int, hidden: int, layers: int = 1) -> Path:
    torch.manual_seed(1)
    module = getattr(torch.nn, kind)(inputs, hidden, num_layers=layers)
    torch.save(module.state_dict(), path)
    return path


def wait_for(probe, what: str, check, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} within {timeout} s; errors: {probe.errors}")
        probe.page.wait_for_timeout(25)


def test_a_dropped_pt_file_moves_the_controls_to_its_shape(probe, tmp_path):
    torch = needs.torch()
    probe.open()
    assert control(probe, "cell") == "rnn"
    drop(probe, torch_file(torch, tmp_path / "mine.pt", "LSTM", inputs=3, hidden=12))
    assert (control(probe, "cell"), control(probe, "hidden_size"), control(probe, "input_size")) == ("lstm", "12", "3")
    query = query_of(probe)
    assert (query["cell"], query["hidden_size"], query["input_size"]) == (["lstm"], ["12"], ["3"])
    assert unrolled_rows(probe) == 12, "one row per hidden unit of the file's network"
    assert probe.page.get_by_test_id("control-hidden_size").is_disabled(), "the file says the shape"
    assert "mine.pt" in probe.page.get_by_test_id("weights-status").inner_text()
    assert probe.page.get_by_test_id("plot-depth-flow").is_hidden()

    drop(probe, torch_file(torch, tmp_path / "deep.pth", "GRU", inputs=3, hidden=5, layers=3))
    assert (control(probe, "cell"), control(probe, "num_layers"), control(probe, "hidden_size")) == ("gru", "3", "5")
    depth = probe.page.get_by_test_id("plot-depth-flow")
    assert depth.is_visible(), "a stack shows the depth view"
    assert len(probe.plot("plot-depth-flow")[0]["z"]) == 3
    assert probe.page.get_by_test_id("layer-select").is_visible()

    # Clear hands the shape back to the controls, with the file's values kept
    drawn = probe.draws()
    probe.page.get_by_test_id("weights-clear").click()
    probe.wait_drawn(drawn + 1)
    assert probe.page.get_by_test_id("control-hidden_size").is_enabled() and control(probe, "num_layers") == "3"


def test_a_refused_file_after_a_good_one_greys_the_views_and_says_so(probe, tmp_path):
    probe.open("?seq_len=20")
    rng = np.random.default_rng(0)
    good = {"weight_ih_l0": rng.normal(size=(8, 2)), "weight_hh_l0": rng.normal(size=(8, 8)) * 0.3}
    np.savez(tmp_path / "good.npz", **good)
    drop(probe, tmp_path / "good.npz")
    stale = probe.page.get_by_test_id("views-stale")
    assert stale.is_hidden()
    shown = probe.plot("plot-norms")[0]["y"]

    np.savez(tmp_path / "bad.npz", weight_ih_l0=rng.normal(size=(8, 2)), weight_hh_l0=rng.normal(size=(7, 8)))
    probe.page.get_by_test_id("weights-file").set_input_files(str(tmp_path / "bad.npz"))
    probe.page.get_by_test_id("error").wait_for(state="visible")
    stale.wait_for(state="visible")
    assert stale.inner_text().startswith("Showing the previous network: bad.npz was refused"), stale.inner_text()
    assert "stale" in (probe.page.locator("main").get_attribute("class") or "")
    opacity = probe.page.get_by_test_id("plot-norms").evaluate("el => getComputedStyle(el).opacity")
    assert float(opacity) < 0.5, "the charts are greyed"
    assert probe.plot("plot-norms")[0]["y"] == shown, "they still hold the good file's network"
    probe.errors.clear()  # Chromium logs the 422 as a failed resource load

    drop(probe, tmp_path / "good.npz")
    assert stale.is_hidden() and "stale" not in (probe.page.locator("main").get_attribute("class") or "")
    assert probe.page.get_by_test_id("error").is_hidden()
