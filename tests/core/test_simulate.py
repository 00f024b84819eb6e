"""The whole analysis: determinism, field selection, and never a non-finite number (property-based)."""

import numpy as np
import pytest
from gradflow.core.config import SimConfig
from gradflow.core.init import make_run
from gradflow.core.simulate import RESPONSE_FIELDS, simulate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def walk(x, path="$"):
    """Yield (path, float) for every number inside nested dicts/lists/arrays."""
    if isinstance(x, dict):
        for k, val in x.items():
            yield from walk(val, f"{path}.{k}")
    elif isinstance(x, (list, tuple)):
        for i, val in enumerate(x):
            yield from walk(val, f"{path}[{i}]")
    elif isinstance(x, np.ndarray):
        yield path, x
    elif isinstance(x, float):
        yield path, np.array(x)


def test_same_seed_same_result_and_different_seed_different():
    cfg = SimConfig(cell="lstm", seq_len=20, batch_size=3, return_params=True)
    a, b = simulate(cfg), simulate(cfg)
    for (pa, xa), (_, xb) in zip(
        walk({k: v for k, v in a.items() if k != "elapsed_ms"}), walk({k: v for k, v in b.items() if k != "elapsed_ms"})
    ):
        np.testing.assert_array_equal(xa, xb, err_msg=pa)
    c = simulate(SimConfig(cell="lstm", seq_len=20, batch_size=3, return_params=True, seed=1))
    assert not np.array_equal(a["params"]["weight_hh"], c["params"]["weight_hh"])


def test_same_inputs_across_cells_and_batch_sizes():
    x_rnn = make_run(SimConfig(cell="rnn", batch_size=1))[2]
    x_lstm = make_run(SimConfig(cell="lstm", batch_size=4))[2]
    np.testing.assert_array_equal(x_rnn[:, 0], x_lstm[:, 0])


def test_explicit_inputs_and_their_shape_check():
    inputs = tuple(tuple(float(t + i) for i in range(2)) for t in range(3))
    r = simulate(SimConfig(seq_len=3, input_size=2, inputs=inputs, return_params=True))
    np.testing.assert_array_equal(r["inputs"], np.array(inputs))
    with pytest.raises(ValueError, match="seq_len x input_size"):
        simulate(SimConfig(seq_len=4, input_size=2, inputs=inputs))


def test_fields_selects_keys():
    r = simulate(SimConfig(fields=("grad_h_log10_norm", "memory_horizon")))
    assert set(r) == {"config", "warnings", "elapsed_ms", "grad_h_log10_norm", "memory_horizon"}


def test_every_documented_field_is_produced():
    for cell in ("rnn", "lstm", "gru"):
        r = simulate(SimConfig(cell=cell, batch_size=2, return_params=True, seq_len=8, num_layers=2))
        missing = {f for f in RESPONSE_FIELDS if f not in r} - (
            {"cell_state", "grad_c", "grad_c_norm", "grad_c_log10_norm", "grad_c_log10_abs"}
            if cell != "lstm"
            else set()
        )
        assert not missing, f"{cell}: {missing}"


def test_one_layer_answers_have_no_stack_fields():
    r = simulate(SimConfig(cell="gru", seq_len=8))
    assert "layers" not in r and "depth_flow" not in r


def test_batch_spread_brackets_the_mean():
    r = simulate(SimConfig(cell="rnn", batch_size=5, seq_len=30))
    b = r["grad_h_log10_norm_batch"]
    assert (b["min"] <= b["mean"] + 1e-12).all() and (b["mean"] <= b["max"] + 1e-12).all()
    assert simulate(SimConfig(batch_size=1))["grad_h_log10_norm_batch"] is None


configs = st.builds(
    SimConfig,
    cell=st.sampled_from(["rnn", "lstm", "gru"]),
    activation=st.sampled_from(["tanh", "relu", "linear"]),
    seq_len=st.integers(1, 120),
    hidden_size=st.integers(1, 12),
    input_size=st.integers(1, 4),
    init=st.sampled_from(["orthogonal", "gaussian"]),
    recurrent_scale=st.floats(1e-3, 100.0),
    forget_bias=st.floats(-20, 20),
    input_kind=st.sampled_from(["gaussian", "zeros", "sine"]),
    batch_size=st.integers(1, 3),
    seed=st.integers(0, 2**32 - 1),
    loss=st.sampled_from(["last", "all"]),
    clip_mode=st.sampled_from(["none", "norm", "value"]),
    clip_threshold=st.floats(1e-6, 1e6),
    clip_scope=st.sampled_from(["parameters", "bptt"]),
    return_params=st.booleans(),
    flow_steps=st.integers(0, 16),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(configs)
def test_never_an_infinity_and_log10_norms_always_finite(cfg):
    r = simulate(cfg)
    for path, arr in walk(r):
        assert not np.isinf(arr).any(), f"infinity at {path}"
    ok = ~np.isnan(r["grad_h_log10_norm"])
    assert np.isfinite(r["grad_h_log10_norm"][ok]).all()
    # a norm is null only where it is beyond float64, and then its log10 says so
    null_norm = np.isnan(r["grad_h_norm"]) & ok
    assert (np.abs(r["grad_h_log10_norm"][null_norm]) > 300).all()


def _same(a: dict, b: dict) -> None:
    """Equal answers bit for bit (NaN where NaN), but the time they took."""
    assert a.keys() == b.keys()
    for (pa, xa), (pb, xb) in zip(
        walk({k: v for k, v in a.items() if k != "elapsed_ms"}), walk({k: v for k, v in b.items() if k != "elapsed_ms"})
    ):
        assert pa == pb
        np.testing.assert_array_equal(xa, xb, err_msg=pa)
    strip = lambda d: {k: v for k, v in d.items() if k != "elapsed_ms"}  # noqa: E731
    assert repr(strip(a)) == repr(strip(b))


@pytest.mark.parametrize(
    "kw",
    [
        dict(cell="rnn", seq_len=30, flow_steps=4),
        dict(cell="lstm", seq_len=25, batch_size=3, clip_mode="norm", clip_scope="bptt", clip_threshold=0.5),
        dict(cell="gru", seq_len=20, num_layers=3, loss="sum", flow_steps=3),
        dict(cell="rnn", activation="linear", recurrent_scale=3.0, seq_len=700, return_params=True),  # past float64
    ],
)
def test_a_memo_gives_every_subset_of_fields_the_answer_computed_afresh(kw):
    """The page asks for the views in sight, then the rest, then the flow matrix of the same settings: with the
    API's memo the later answers reuse the passes, and each is what simulate computes without one, bit for bit
    (nothing the memo holds is changed by an answer made from it)."""
    from gradflow.core.simulate import RunMemo

    memo = RunMemo()
    asks = [
        ("grad_h_log10_abs", "grad_h_log10_norm", "clipping", "theory"),
        ("gates", "spectrum", "layers", "depth_flow"),
        ("flow", "memory_horizon"),
        None,
    ]
    for fields in asks:
        cfg = SimConfig(**kw, fields=fields)
        _same(simulate(cfg, memo), simulate(cfg))
    assert memo.hits == len(asks) - 1
    with_flow = SimConfig(**{**kw, "flow_steps": 7})  # flow_steps is not part of the shared run
    _same(simulate(with_flow, memo), simulate(with_flow))
    assert memo.hits == len(asks)
    other = SimConfig(**{**kw, "seed": 5})
    _same(simulate(other, memo), simulate(other))
    assert memo.hits == len(asks), "other settings are another run"


def test_the_memo_keeps_few_runs_and_no_uploaded_or_huge_one():
    from gradflow.core.simulate import RunMemo

    memo = RunMemo(size=2, max_values=50 * 32)  # the default rnn: batch 1 x T 50 x 1 gate x H 32
    for seed in (1, 2, 3, 1):
        simulate(SimConfig(seed=seed), memo)
    assert memo.hits == 0, "the oldest of three is dropped"
    simulate(SimConfig(seed=3), memo)
    assert memo.hits == 1
    big = SimConfig(seq_len=51)
    simulate(big, memo), simulate(big, memo)
    assert memo.hits == 1, "past max_values a run is not kept"
    cfg = SimConfig(seq_len=10, hidden_size=4, input_size=2)
    layers, _, _ = make_run(cfg, None)
    p = layers[0]
    mine = SimConfig(
        seq_len=10, hidden_size=4, input_size=2, params={"weight_hh_l0": p.weight_hh, "weight_ih_l0": p.weight_ih}
    )
    simulate(mine, memo), simulate(mine, memo)
    assert memo.hits == 1, "uploaded weights are not part of the key: never kept"
