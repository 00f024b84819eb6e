"""Gradient Flow Lab as Python calls: the REST API's requests and answers without a server.

Every call validates its keyword arguments with the same pydantic model as the API (`gradflow.models`), so
fields, bounds and defaults cannot drift apart, and a bad field raises `InvalidRequest` (a `ValueError`)
whose message is the API's 422 wording. There is no compute budget here: it is your machine.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeVar

import numpy as np
from pydantic import BaseModel, ValidationError

from gradflow.models import SimulateRequest, TrainRequest
from gradflow.models.messages import error_item, validation_errors

Model = TypeVar("Model", bound=BaseModel)


class InvalidRequest(ValueError):
    """A field of a request is invalid. `errors` holds the API's 422 `detail` items ({"type", "loc", "msg",
    ...}); the message is their `msg`s, one per line, each naming the field, the value and the limit."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        self.errors = errors
        super().__init__("\n".join(error["msg"] for error in errors))


def validate(model: type[Model], fields: dict[str, Any]) -> Model:
    """`fields` as `model`, validated exactly as the API validates a JSON body; numpy scalars and arrays are
    taken as the plain numbers and lists they hold."""
    try:
        return model.model_validate({name: _plain(value) for name, value in fields.items()})
    except ValidationError as exc:
        raise InvalidRequest(validation_errors(exc.errors())) from None


def _plain(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


def simulate(**fields: Any):
    """One simulation, exactly what POST /api/simulate answers for the same fields.

    Fields (all optional; defaults and bounds as in `SimulateRequest`, `gradflow simulate --help`): cell,
    activation, seq_len T, hidden_size H, input_size I, init, recurrent_scale s, forget_bias, input_kind,
    inputs (T x I), batch_size B, seed, loss, clip_mode, clip_threshold, clip_scope, return_params,
    flow_steps, num_layers, digits, fields.

    The network (PyTorch's equations and layout, float64):
        rnn:  h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)
        lstm: i, f, g, o = sigma, sigma, tanh, sigma of (W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)
              c_t = f * c_{t-1} + i * g;  h_t = o * tanh(c_t)
        gru:  r, z = sigma(...);  n = tanh(W_in x_t + b_in + r * (W_hn h_{t-1} + b_hn))
              h_t = (1 - z) * n + z * h_{t-1}
    and the loss L = v . h_T (loss "last") or sum_t v . h_t ("all"), v a seeded unit vector.

    Returns a `SimulationResult`: arrays as NumPy (`result.grad_h` is T x H, dL/dh_t for t = 1..T),
    `to_dict()` (the API's JSON), `figures()` (plotly figures of the page's six views) and `write_html()`.
    """
    from gradflow.core.simulate import simulate as run

    from .result import SimulationResult

    request = validate(SimulateRequest, fields)
    try:
        answer = run(request.to_sim_config())
    except ValueError as exc:  # a combination only the core can judge: the API's 422 too
        raise InvalidRequest([error_item(str(exc), "body")]) from None
    answer["config"]["digits"] = request.digits
    answer["config"]["arrays"] = request.arrays
    return SimulationResult(answer, request.digits)


def train(**fields: Any) -> Iterator[dict[str, Any]]:
    """Train a cell and its readout on a long-range task, yielding the events POST /api/train streams:
    a progress dict every `report_every` steps (and at the first and last step), then one summary.

    Fields as `TrainRequest` (`gradflow train --help`): cell, activation, task ("adding" | "recall"),
    seq_len, hidden_size, batch_size, steps, learning_rate, optimizer ("sgd" | "adam"), clip_mode,
    clip_threshold, init, recurrent_scale, forget_bias, seed, report_every, stop_when_solved; `stream` is
    accepted and has no effect (events always come as they happen).

    Events are plain JSON values, equal to the API's lines: `grad_h_log10_norm` is a list of T floats
    (log10 |dL/dh_t| of the step's batch loss, t = 1..T), None where a number is not finite, and the event's
    `warnings` says why. Draw them with `gradflow.training_figures(events)`.
    """
    from gradflow.training import train as run
    from gradflow.wire.encoding import to_jsonable

    request = validate(TrainRequest, fields)
    return (to_jsonable(event) for event in run(request.to_train_config()))


def sweep(scheduler: str | None = None, pool_workers: int = 0, **fields: Any):
    """A grid of simulations, exactly what POST /api/sweep answers for the same fields: `base` (any
    simulate fields), `x` and optional `y` axes ({"field", "values"} or {"field", "start", "stop", "num",
    "log"}), `seeds` per point. Metrics per point and seed: log10_grad_first (log10 |dL/dh_1|),
    memory_horizon, spectral_radius, max_singular_value, forget_gate_mean (lstm) / update_gate_mean (gru).

    Runs in this process, a local process pool (`pool_workers`, 0 = one per core, when the sweep is big
    enough to pay for it), or on the Dask cluster whose scheduler address is `scheduler` (pip install
    gradflow[dask]). Returns a `SweepResult`: `grid[metric]` as NumPy (len(y) x len(x)), `table()` (one row
    per point and seed), `to_dict()`, `figures()`, `write_html()`.
    """
    from gradflow.models.sweep import SweepRequest

    from .sweep_result import run_sweep

    request = validate(SweepRequest, fields)
    try:
        spec = request.to_spec()
    except ValueError as exc:
        raise InvalidRequest([error_item(str(exc), "body")]) from None
    return run_sweep(spec, scheduler, pool_workers)


def training_figures(events, **options):
    """Plotly figures of one training run's events, or of several ({label: events}); see gradflow.figures."""
    from gradflow.figures import training_figures as draw

    return draw(events, **options)
