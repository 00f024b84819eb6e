"""A network's shape read from its weights: an upload may leave out cell, hidden_size, input_size and num_layers.

`fill_shape(fields)` reads them off the `params` arrays (core.weights.infer_shapes), fills in what the request
left out, and refuses, naming both values, a given field that disagrees with the file. An rnn's activation cannot
be read from weights: it stays the request's (tanh by default), and the answer says it was assumed.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gradflow.core.weights import WeightsError, infer_shapes

SHAPE_FIELDS = ("cell", "hidden_size", "input_size", "num_layers")


def fill_shape(fields: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """(fields with the shape filled in and params as float64 arrays, what was inferred, notes). Arrays that are
    not numeric, or missing, are left for the request's own check, which names them; an array whose shape keeps
    the network's from being read is refused here when the request left the shape out."""
    arrays = {}
    for name, value in fields["params"].items():
        try:
            arrays[name] = np.asarray(value, dtype=np.float64)
        except (ValueError, TypeError):
            return fields, {}, []
    try:
        shape = infer_shapes(arrays)
    except WeightsError as exc:
        if exc.array is not None and any(fields.get(key) is None for key in SHAPE_FIELDS):
            # an array at fault: the full check would measure it against default sizes the request never gave
            raise ValueError(f"the network's shape cannot be read from the weights: {exc}") from None
        return {**fields, "params": arrays}, {}, []  # the full check (core.weights.from_arrays) says why
    for key in SHAPE_FIELDS:
        given = fields.get(key)
        if type(given) in (int, str) and given != shape[key]:  # other types: the field's own check says why
            raise ValueError(
                f"{key} = {given!r} disagrees with the weights file, whose arrays are those of "
                f"{_described(shape)}: leave {key} out to take the file's, or send the matching weights"
            )
    inferred = {key: shape[key] for key in SHAPE_FIELDS if fields.get(key) is None}
    notes = []
    if shape["cell"] == "rnn" and fields.get("activation") is None:
        notes.append("activation: tanh assumed (an rnn's activation cannot be read from its weights)")
    return {**fields, **inferred, "params": arrays}, inferred, notes


def _described(shape: dict[str, Any]) -> str:
    return (
        f"a {shape['cell']} with hidden_size {shape['hidden_size']}, input_size {shape['input_size']} and "
        f"num_layers {shape['num_layers']}"
    )
