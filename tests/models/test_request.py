"""The request model: the core's config plus the API's own `digits`, validated without any web code."""

from __future__ import annotations

import subprocess
import sys

import pytest
from gradflow.core.config import SimConfig
from gradflow.models import bounds
from gradflow.models.request import NUMBER_FIELDS, SimulateParams, SimulateRequest
from pydantic import ValidationError


def test_digits_does_not_reach_the_core():
    cfg = SimulateParams(digits=4, seq_len=7).to_sim_config()
    assert cfg == SimConfig(seq_len=7)


def test_fields_split_on_commas_and_keep_order():
    cfg = SimulateParams(fields=["loss,hidden", " grad_h"]).to_sim_config()
    assert cfg.fields == ("loss", "hidden", "grad_h")


def test_inputs_become_the_core_tuple_form():
    cfg = SimulateRequest(seq_len=2, input_size=1, inputs=[[1.0], [2.0]]).to_sim_config()
    assert cfg.inputs == ((1.0,), (2.0,))


def test_the_number_fields_are_read_from_the_model():
    """Every int or float field (digits is `int | None`), never the bool `return_params` nor an enum."""
    assert set(NUMBER_FIELDS) == {
        "seq_len",
        "hidden_size",
        "input_size",
        "recurrent_scale",
        "forget_bias",
        "batch_size",
        "seed",
        "clip_threshold",
        "flow_steps",
        "digits",
        "num_layers",
    }


@pytest.mark.parametrize(
    ("name", "limit"),
    [
        ("seq_len", bounds.MAX_SEQ_LEN),
        ("hidden_size", bounds.MAX_HIDDEN_SIZE),
        ("input_size", bounds.MAX_INPUT_SIZE),
        ("batch_size", bounds.MAX_BATCH_SIZE),
        ("flow_steps", bounds.MAX_FLOW_STEPS),
        ("seed", bounds.MAX_SEED),
        ("recurrent_scale", bounds.MAX_RECURRENT_SCALE),
        ("forget_bias", bounds.MAX_FORGET_BIAS_ABS),
        ("clip_threshold", bounds.MAX_CLIP_THRESHOLD),
        ("digits", bounds.EXACT_DIGITS),
    ],
)
def test_each_upper_bound_is_its_named_limit(name, limit):
    assert SimulateRequest(**{name: limit}).model_dump()[name] == limit
    with pytest.raises(ValidationError, match=name):
        SimulateRequest(**{name: limit + 1})


def test_the_forget_bias_bound_is_symmetric():
    SimulateRequest(forget_bias=-bounds.MAX_FORGET_BIAS_ABS)
    with pytest.raises(ValidationError, match="forget_bias"):
        SimulateRequest(forget_bias=-bounds.MAX_FORGET_BIAS_ABS - 1)


def test_the_models_import_without_a_web_framework():
    """The library and the CLI validate requests with these models; they must not pull FastAPI in."""
    code = (
        "import sys, gradflow.models.request, gradflow.models.response, gradflow.models.errors; "
        "web = sorted(m for m in sys.modules if m.startswith(('fastapi', 'starlette', 'gradflow.api'))); "
        "print(web); sys.exit(bool(web))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_uploaded_weights_are_converted_once(monkeypatch):
    """The request checks the arrays into `Weights`; the core uses those as they are, never converting again."""
    import gradflow.core.simulate as core_simulate
    import gradflow.core.weights as core_weights
    import gradflow.models.request as request
    from gradflow.core.params import Weights

    calls = []
    real = core_weights.from_arrays

    def counting(*args, **kwargs):
        calls.append(args[1:])
        return real(*args, **kwargs)

    monkeypatch.setattr(request, "from_arrays", counting)
    monkeypatch.setattr(core_simulate, "from_arrays", counting)
    H, I = 3, 2
    params = {"weight_ih": [[0.1] * I] * H, "weight_hh": [[0.2] * H] * H, "bias_ih": [0.0] * H, "bias_hh": [0.0] * H}
    cfg = SimulateRequest(hidden_size=H, input_size=I, seq_len=4, params=params).to_sim_config()
    assert isinstance(cfg.params, Weights)
    assert cfg.params.layers[0].weight_hh.tolist() == params["weight_hh"]
    core_simulate.simulate(cfg)
    assert calls == [("rnn", H, I, 1)]
