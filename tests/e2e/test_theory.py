"""Theory on the page (docs/theory.md): the norm view draws the predictions dashed and named, theory=off takes them
away, the readout compares the measured decay with the mean field's, the spectrum marks s*."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from gradflow.theme import theme

pytestmark = pytest.mark.e2e


def names(traces: list[dict]) -> list[str]:
    return [t.get("name") for t in traces]


def test_the_norm_view_draws_the_theory_lines_dashed_and_named(probe, api):
    probe.open()
    labels = theme()["theory_labels"]
    traces = probe.plot("plot-norms")
    bound = next(t for t in traces if t.get("name") == labels["bound"])
    mean_field = next(t for t in traces if (t.get("name") or "").startswith(f"{labels['mean_field']} (chi = "))
    for t in (bound, mean_field):
        assert t["line"]["dash"] not in (None, "solid"), t["name"]
        assert t.get("showlegend") is not False
    # the API's numbers, to float32's precision (the page asks for arrays=binary-f4)
    run = api(cell="rnn", fields="theory")
    assert bound["y"] == pytest.approx(run["theory"]["bound"]["log10_norm"], rel=2**-23, abs=1e-30)
    assert mean_field["y"] == pytest.approx(run["theory"]["mean_field"]["log10_norm"], rel=2**-23, abs=1e-30)
    chi = run["theory"]["mean_field"]["chi"]
    assert f"{chi:.3g}" in mean_field["name"]
    # the legend shows them: one legend entry per name
    legend = probe.page.get_by_test_id("plot-norms").locator(".legendtext").all_text_contents()
    assert labels["bound"] in legend and any(t.startswith(labels["mean_field"]) for t in legend), legend
    readout = probe.page.get_by_test_id("theory-readout").inner_text()
    assert "mean-field predicts" in readout and "Pascanu's bound at step 1" in readout, readout
    # the expected "is null" warning (a plain rnn has no cell path) stays out of the page's warnings
    assert probe.page.get_by_test_id("warnings").is_hidden()


def test_theory_off_in_the_url_removes_the_lines_and_the_toggle_brings_them_back(probe):
    labels = theme()["theory_labels"]
    probe.open("?theory=off")
    assert not any(
        (n or "").startswith((labels["bound"], labels["mean_field"])) for n in names(probe.plot("plot-norms"))
    )
    assert not any((n or "").startswith(labels["critical_scale"]) for n in names(probe.plot("plot-spectrum")))
    assert probe.page.get_by_test_id("theory-readout").is_hidden()
    drawn = probe.draws()
    probe.page.get_by_test_id("control-theory").select_option("on")
    probe.wait_drawn(drawn + 1)
    assert labels["bound"] in names(probe.plot("plot-norms"))
    assert "theory" not in parse_qs(urlparse(probe.page.url).query)


def test_moving_the_recurrent_scale_changes_the_mean_field_prediction(probe):
    probe.open()
    readout = probe.page.get_by_test_id("theory-readout")
    before = re.search(r"mean-field predicts (\w+ [\d.]+)", readout.inner_text()).group(1)
    drawn = probe.draws()
    box = probe.page.get_by_test_id("control-recurrent_scale")
    box.fill("1.6")
    box.press("Enter")
    probe.wait_drawn(drawn + 1)
    after = re.search(r"mean-field predicts (\w+ [\d.]+)", readout.inner_text()).group(1)
    assert after != before
    assert after.startswith("growth"), readout.inner_text()


def test_the_spectrum_marks_the_edge_of_chaos_on_a_seeded_rnn_only(probe, api):
    probe.open()
    label = theme()["theory_labels"]["critical_scale"]
    circle = next(t for t in probe.plot("plot-spectrum") if (t.get("name") or "").startswith(label))
    s_star = api(cell="rnn", fields="theory")["theory"]["mean_field"]["critical_scale"]
    assert circle["line"]["dash"] == "dash"
    assert max(circle["x"]) == pytest.approx(s_star, rel=1e-4)
    assert f"{s_star:.4g}" in circle["name"]
    drawn = probe.draws()
    probe.page.get_by_test_id("control-cell").select_option("lstm")
    probe.wait_drawn(drawn + 1)
    assert not any((n or "").startswith(label) for n in names(probe.plot("plot-spectrum")))
    cell_path = f"{theme()['theory_labels']['cell_path']} f"
    assert cell_path in names(probe.plot("plot-norms"))
