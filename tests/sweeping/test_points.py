"""The pure sweep: jobs, metrics equal to simulate's answer, the exact linear-orthogonal law, the summary."""

import dataclasses

import gradflow
import numpy as np
import pytest
from gradflow.core.simulate import simulate
from gradflow.models.sweep import SweepRequest
from gradflow.sweeping import metrics_of, point_jobs, summary


def spec_of(**fields):
    return SweepRequest.model_validate(fields).to_spec()


def test_every_point_is_what_simulate_answers():
    spec = spec_of(
        base={"cell": "lstm", "seq_len": 25, "hidden_size": 6, "batch_size": 3},
        x={"field": "recurrent_scale", "values": [0.5, 1.5]},
        y={"field": "forget_bias", "values": [0, 2]},
        seeds=2,
    )
    jobs = point_jobs(spec)
    assert len(jobs) == 8 and {(j.ix, j.iy, j.seed) for j in jobs} == {
        (x, y, s) for x in (0, 1) for y in (0, 1) for s in (0, 1)
    }
    for job in jobs:
        point = metrics_of(job)
        cfg = dataclasses.replace(
            spec.base, recurrent_scale=spec.x_values[job.ix], forget_bias=spec.y_values[job.iy], seed=job.seed
        )
        answer = simulate(cfg)
        assert point["log10_grad_first"] == answer["grad_h_log10_norm"][0]
        assert point["memory_horizon"] == answer["memory_horizon"]
        assert point["spectral_radius"] == answer["spectrum"]["spectral_radius"]
        assert point["forget_gate_mean"] == answer["gate_means"]["f"]


def test_the_linear_orthogonal_law_holds_across_a_whole_sweep():
    """rnn, linear, orthogonal W_hh = s Q, loss at T: |dL/dh_1| = s^(T-1) exactly, so log10 = (T - 1) log10 s."""
    r = gradflow.sweep(
        base={"cell": "rnn", "activation": "linear", "init": "orthogonal", "hidden_size": 8},
        x={"field": "recurrent_scale", "start": 0.25, "stop": 4, "num": 9, "log": True},
        y={"field": "seq_len", "values": [10, 100, 1000]},
        seeds=2,
    )
    for p in r.points:
        s, T = r.x[p["ix"]], r.y[p["iy"]]
        assert p["log10_grad_first"] == pytest.approx((T - 1) * np.log10(s), abs=1e-9), (s, T)
    np.testing.assert_allclose(r.grid["log10_grad_first"], (r.y[:, None] - 1) * np.log10(r.x)[None, :], atol=1e-9)


def test_the_summary_averages_over_seeds_and_counts_an_endless_horizon_as_seq_len():
    spec = spec_of(
        base={"cell": "rnn", "activation": "linear", "seq_len": 40},
        x={"field": "recurrent_scale", "values": [1.0, 0.5]},
        seeds=3,
    )
    points = [metrics_of(j) for j in point_jobs(spec)]
    out = summary(spec, points, 1.0, "inline")
    assert out["grid"]["memory_horizon"][0, 0] == 40  # s = 1: never falls 1e-3 below
    expected = np.mean([p["log10_grad_first"] for p in points if p["ix"] == 1])
    assert out["grid"]["log10_grad_first"][0, 1] == pytest.approx(expected, rel=1e-15)
    assert out["x"] == {"field": "recurrent_scale", "values": [1.0, 0.5]} and out["y"] is None


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"x": {"field": "seq_len", "values": [10, 2000]}}, "x.values[1]: seq_len = 2000"),
        ({"x": {"field": "recurrent_scale", "start": 0, "stop": 2, "num": 3, "log": True}}, "start > 0"),
        ({"x": {"field": "hidden_size", "values": [4]}, "y": {"field": "hidden_size", "values": [4]}}, "both sweep"),
        ({"x": {"field": "cell", "values": [1]}}, "x.field"),
        ({"x": {"field": "seq_len"}}, "either values, or start, stop and num"),
    ],
)
def test_bad_sweeps_are_refused_in_words(fields, words):
    with pytest.raises(gradflow.InvalidRequest, match=words.replace("[", r"\[").replace("]", r"\]")):
        gradflow.sweep(**fields)


def test_integer_axes_get_whole_numbers_and_the_table_is_tidy():
    r = gradflow.sweep(base={"seq_len": 20}, x={"field": "hidden_size", "start": 4, "stop": 9, "num": 3}, seeds=2)
    assert list(r.x) == [4, 6, 9]  # linspace's 6.5 rounds to the even 6
    table = r.table()
    assert len(table["seed"]) == 6 and set(table) >= {"ix", "iy", "hidden_size", "seed", "log10_grad_first"}


def test_cheap_points_travel_in_batches_and_dear_ones_alone():
    from gradflow.sweeping.executors import batches

    cheap = point_jobs(
        spec_of(
            base={"seq_len": 10, "hidden_size": 4}, x={"field": "recurrent_scale", "start": 0.5, "stop": 2, "num": 40}
        )
    )
    groups = batches(cheap)
    assert [j for g in groups for j in g] == cheap and len(groups) < len(cheap)
    dear = point_jobs(
        spec_of(
            base={"cell": "lstm", "seq_len": 1000, "hidden_size": 256},
            x={"field": "recurrent_scale", "values": [0.5, 1.0]},
        )
    )
    assert [len(g) for g in batches(dear)] == [1, 1]


def test_an_rnn_swept_over_the_recurrent_scale_gets_the_mean_field_critical_line():
    from gradflow.core.config import SimConfig
    from gradflow.core.theory import chi, input_variance
    from gradflow.sweeping import SweepSpec

    spec = SweepSpec(SimConfig(seq_len=5, hidden_size=4), "recurrent_scale", (0.5, 1.5), "hidden_size", (4, 64), 1)
    line = summary(spec, [], 0.0, "inline")["theory"]
    assert len(line["critical_scale"]) == 2 and line["formula"] == "meanfield-chi"
    for H, s_star in zip((4, 64), line["critical_scale"]):
        assert abs(chi(s_star, input_variance(SimConfig(hidden_size=H)), "tanh") - 1) < 1e-10
    lstm = SweepSpec(SimConfig(cell="lstm", seq_len=5, hidden_size=4), "recurrent_scale", (0.5, 1.5), None, (), 1)
    assert "theory" not in summary(lstm, [], 0.0, "inline")


def test_a_point_costs_its_simulation_without_the_flow_matrix():
    """No metric reads the flow matrix and a point never computes it, so its cost leaves it out (for an
    lstm, T = 200, H = 64 with the default 32 flow steps the flow matrix was 74 % of the estimate)."""
    from gradflow.core.cost import simulation_cost
    from gradflow.sweeping.points import NEEDED, point_cost

    (job,) = point_jobs(
        spec_of(
            base={"cell": "lstm", "seq_len": 200, "hidden_size": 64}, x={"field": "recurrent_scale", "values": [1.0]}
        )
    )
    assert "flow" not in NEEDED and job.cfg.flow_steps == 32 and job.cfg.fields == NEEDED
    assert point_cost(job) == simulation_cost(dataclasses.replace(job.cfg, flow_steps=0))
    assert point_cost(job) < 0.3 * simulation_cost(dataclasses.replace(job.cfg, fields=None))
