"""What `gradflow.simulate` returns (library/result.py): the answer's fields as attributes and items, NumPy arrays
with NaN for null, `to_dict` as the API writes it (rounded when asked), the per-step CSV, the headline summary
and its text, and a result that copies and pickles like any value."""

from __future__ import annotations

import copy
import csv
import math
import pickle

import gradflow
import numpy as np
import pytest
from gradflow.library.result import SimulationResult

EXPLODING = {"cell": "rnn", "activation": "linear", "recurrent_scale": 2.5, "seq_len": 800}


@pytest.fixture(scope="module")
def lstm() -> SimulationResult:
    return gradflow.simulate(cell="lstm", seq_len=12, hidden_size=4, batch_size=3)


@pytest.fixture(scope="module")
def exploding() -> SimulationResult:
    return gradflow.simulate(**EXPLODING)


def test_arrays_are_numpy_and_nulls_are_nan():
    r = gradflow.simulate(cell="rnn", activation="linear", recurrent_scale=2.5, seq_len=800)
    assert isinstance(r.grad_h_log10_norm, np.ndarray) and r.grad_h_log10_norm.shape == (800,)
    assert np.isnan(r.grad_h_norm[0]) and r.to_dict()["grad_h_norm"][0] is None
    assert np.isfinite(r.grad_h_log10_norm).all()
    with pytest.raises(AttributeError, match="no field 'nope'"):
        _ = r.nope


def test_a_result_shows_itself_in_jupyter():
    html = gradflow.simulate(cell="gru", seq_len=20)._repr_html_()
    assert "memory horizon" in html and "gru T=20" in html


def test_every_field_is_an_attribute_and_an_item(lstm):
    names = lstm.keys()
    assert names[0] == "config" and "grad_c" in names and "grad_c" in lstm and "layers" not in lstm
    for name in names:
        assert lstm[name] is getattr(lstm, name), name
    assert lstm.gates["f"].shape == (12, 4)
    with pytest.raises(KeyError):
        lstm["layers"]
    with pytest.raises(AttributeError) as caught:
        _ = lstm.layers
    assert "no field 'layers'" in str(caught.value) and "grad_c" in str(caught.value)  # and what it does have


def test_to_dict_is_plain_json_values_with_none_for_null(exploding):
    d = exploding.to_dict()
    assert isinstance(d["grad_h_norm"], list) and isinstance(d["grad_h_log10_norm"][0], float)
    assert d["loss"] is None and math.isnan(exploding.loss)
    assert [None if np.isnan(v) else v for v in exploding.grad_h_norm] == d["grad_h_norm"]
    assert d["config"] == exploding.config and d["config"]["digits"] is None


def test_to_dict_rounds_when_the_request_asked_for_digits():
    exact = gradflow.simulate(cell="lstm", seq_len=6, hidden_size=3)
    rounded = gradflow.simulate(cell="lstm", seq_len=6, hidden_size=3, digits=3)
    np.testing.assert_array_equal(rounded.grad_h_norm, exact.grad_h_norm)  # the arrays themselves stay exact
    d = rounded.to_dict()
    assert d["grad_h_norm"] == [float(f"{v:.3g}") for v in exact.grad_h_norm]  # values: significant digits
    assert d["grad_h_log10_norm"] == [round(float(v), 3) for v in exact.grad_h_log10_norm]  # log10: decimals
    assert d["loss"] == exact.loss  # scalars stay exact
    assert d["config"]["digits"] == 3


def read_csv(path) -> list[dict]:
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_the_csv_is_one_row_per_step_with_exact_norms(tmp_path, lstm):
    path = lstm.write_csv(tmp_path / "run.csv")
    assert path == tmp_path / "run.csv"
    rows = read_csv(path)
    assert [row["t"] for row in rows] == [str(t) for t in range(1, 13)]
    assert list(rows[0]) == [
        "t",
        "grad_h_norm",
        "grad_h_log10_norm",
        "grad_c_norm",
        "grad_c_log10_norm",
        "grad_h_log10_norm_batch_mean",
        "grad_h_log10_norm_batch_min",
        "grad_h_log10_norm_batch_max",
    ]
    for name in ("grad_h_norm", "grad_c_log10_norm"):
        assert [float(row[name]) for row in rows] == lstm[name].tolist(), name  # every digit
    assert [float(row["grad_h_log10_norm_batch_max"]) for row in rows] == lstm.grad_h_log10_norm_batch["max"].tolist()


def test_the_csv_leaves_null_empty_and_has_no_columns_a_cell_lacks(tmp_path, exploding):
    rows = read_csv(exploding.write_csv(tmp_path / "run.csv"))
    assert list(rows[0]) == ["t", "grad_h_norm", "grad_h_log10_norm"]  # rnn, one sequence
    assert rows[0]["grad_h_norm"] == "" and float(rows[0]["grad_h_log10_norm"]) == exploding.grad_h_log10_norm[0]
    assert float(rows[-1]["grad_h_norm"]) == exploding.grad_h_norm[-1]


def test_title_and_summary(lstm, exploding):
    assert lstm.title() == "lstm T=12 H=4 s=1 seed=0"
    assert gradflow.simulate(seq_len=3, recurrent_scale=0.25, seed=7).title() == "rnn T=3 H=32 s=0.25 seed=7"
    s = lstm.summary()
    assert s == {
        "loss": lstm.loss,
        "memory_horizon": lstm.memory_horizon,
        "total_norm": lstm.clipping["total_norm"],
        "total_norm_log10": lstm.clipping["total_norm_log10"],
        "warnings": lstm.warnings,
    }
    assert exploding.summary()["memory_horizon"] is None and np.isnan(exploding.summary()["total_norm"])


def test_the_text_shows_a_norm_beyond_float64_from_its_exact_log10(exploding):
    log10 = exploding.clipping["total_norm_log10"]
    exponent = math.floor(log10)
    text = exploding.summary_text()
    assert text.splitlines()[0] == "gradflow simulation: rnn T=800 H=32 s=2.5 seed=0"
    assert "loss                null (beyond float64)" in text
    assert "memory horizon      beyond the sequence" in text
    assert f"global grad norm    {10 ** (log10 - exponent):.3g}e+{exponent} (beyond float64)" in text
    assert all(f"  warning: {w}" in text for w in exploding.warnings)
    assert repr(exploding) == text


def test_the_text_of_an_ordinary_run(lstm):
    lines = lstm.summary_text().splitlines()
    assert lstm.memory_horizon == 8
    assert lines[1] == f"  loss                {lstm.loss:.6g}"
    assert lines[2] == f"  memory horizon      {lstm.memory_horizon} steps"
    assert lines[3] == f"  global grad norm    {lstm.clipping['total_norm']:.4g}"


def test_the_html_escapes_what_it_shows():
    answer = {
        "config": {"cell": "<rnn>", "seq_len": 2, "hidden_size": 1, "recurrent_scale": 1.0, "seed": 0},
        "loss": 0.5,
        "memory_horizon": 1,
        "clipping": {"total_norm": 2.0, "total_norm_log10": math.log10(2.0)},
        "warnings": ["<script>alert(1)</script>"],
    }
    html = SimulationResult(answer)._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;rnn&gt; T=2" in html and "<td>0.5</td>" in html and "<td>1 steps</td>" in html


def test_the_figures_are_the_page_s_views(lstm):
    assert set(lstm.figures()) == {"unrolled", "norms", "clipping", "gates", "spectrum", "flow"}
    stacked = gradflow.simulate(cell="gru", seq_len=8, hidden_size=3, num_layers=2)
    assert "depth_flow" in stacked.figures()


@pytest.mark.parametrize("how", [copy.copy, copy.deepcopy, lambda r: pickle.loads(pickle.dumps(r))])
def test_a_result_copies_and_pickles(lstm, how):
    """As a value should: multiprocessing, joblib and notebooks copy and pickle results."""
    twin = how(lstm)
    assert twin.keys() == lstm.keys() and twin.to_dict() == lstm.to_dict()
    with pytest.raises(AttributeError, match="no field 'nope'"):
        _ = twin.nope
