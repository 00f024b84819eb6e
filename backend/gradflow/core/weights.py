"""Explicit weights: a trained network's arrays, checked and brought into PyTorch's layout.

PyTorch (`state_dict` of torch.nn.RNN / LSTM / GRU): `weight_ih_l{k}` (G*H x I for k = 0, G*H x H above),
`weight_hh_l{k}` (G*H x H), `bias_ih_l{k}`, `bias_hh_l{k}` (G*H); for one layer also the bare names
`weight_ih`, ... . A prefix from an enclosing module (`lstm.weight_ih_l0`, `encoder.rnn.weight_hh_l0`) is
understood when it is the same for every array; other arrays (a decoder's `fc.weight`) are left out and
listed. A layer without biases (`bias=False`) gets zero biases. `readout` (H,) is the loss's v, used as given.

Keras (`kernel`, `recurrent_kernel`, `bias` per recurrent layer; several layers make a stack): keras_weights.py.

`infer_shapes` reads cell, hidden_size, input_size and num_layers off the arrays alone (gate rows / H gives the
cell; the `_l{k}` suffixes, or the number of Keras cells, give the layers); an rnn's activation cannot be read
from weights.
"""

from __future__ import annotations

import re

import numpy as np

from .config import GATES
from .keras_weights import KERAS_NAMES, from_keras, keras_cells
from .params import Params, Weights

_TORCH = re.compile(r"^(?P<prefix>.*?)(?P<name>weight_ih|weight_hh|bias_ih|bias_hh)(?:_l(?P<layer>\d+))?(?P<rest>.*)$")


class WeightsError(ValueError):
    """Explicit weights that cannot be used; `array` names the one at fault (or None for the whole set)."""

    def __init__(self, msg: str, array: str | None = None) -> None:
        super().__init__(msg)
        self.array = array


def from_arrays(
    arrays: dict[str, np.ndarray], cell: str, hidden_size: int, input_size: int, num_layers: int
) -> Weights:
    """Checks `arrays` (PyTorch or Keras names) against the sizes and returns them in PyTorch's layout."""
    arrays = {_clean(name): np.asarray(value) for name, value in arrays.items()}
    for name, value in arrays.items():
        if value.dtype.kind not in "fiub":
            raise WeightsError(f"{name}: expected numbers, got an array of {value.dtype}", name)
        if not np.isfinite(value).all():
            raise WeightsError(
                f"{name}: {int((~np.isfinite(value)).sum())} of its numbers are not finite (NaN or infinity)", name
            )
    readout = arrays.pop("readout", None)
    if not any(_TORCH.match(name) for name in arrays) and not _is_keras(arrays):
        held = ", ".join(sorted(arrays)[:6]) + (", ..." if len(arrays) > 6 else "")
        raise WeightsError(
            "found no recurrent layer's weights: expected PyTorch's weight_ih_l0, weight_hh_l0, bias_ih_l0, "
            f"bias_hh_l0 (...) or a Keras layer's kernel, recurrent_kernel and bias; the file holds {held or 'nothing'}"
        )
    if _is_keras(arrays):
        weights = from_keras(arrays, cell, num_layers)
    else:
        weights = _from_torch(arrays, num_layers)
    weights.layers = [_checked(p, layer, cell, hidden_size, input_size) for layer, p in enumerate(weights.layers)]
    if readout is not None:
        weights.readout = _shaped(readout.astype(np.float64), (hidden_size,), "readout")
        weights.recognised["readout"] = "readout"
    return weights


def _clean(name: str) -> str:
    """Keras variable names carry a ':0' and a path ('lstm/lstm_cell/kernel:0')."""
    return name.removesuffix(":0")


def _is_keras(arrays: dict[str, np.ndarray]) -> bool:
    return any(name.rsplit("/", 1)[-1] in KERAS_NAMES for name in arrays) and not any(
        _TORCH.match(name) for name in arrays
    )


def _from_torch(arrays: dict[str, np.ndarray], num_layers: int) -> Weights:
    found: dict[tuple[int, str], tuple[str, np.ndarray]] = {}
    prefixes, ignored = set(), []
    for given, value in arrays.items():
        m = _TORCH.match(given)
        if m is None or m["rest"]:
            if m is not None and m["rest"] == "_reverse":
                raise WeightsError(f"{given}: bidirectional layers are not supported (one direction only)", given)
            ignored.append(given)
            continue
        prefixes.add(m["prefix"])
        found[(int(m["layer"] or 0), m["name"])] = (given, value)
    if len(prefixes) > 1:
        raise WeightsError(
            f"the arrays come from several modules ({', '.join(sorted(p or '(none)' for p in prefixes))}"
            "): upload one recurrent layer's state_dict"
        )
    weights = Weights([], None, ignored=sorted(ignored))
    for layer in range(num_layers):
        weights.layers.append(_torch_layer(found, layer, weights))
    extra = sorted(given for (layer, _), (given, _) in found.items() if layer >= num_layers)
    if extra:
        raise WeightsError(f"{', '.join(extra)}: the file has more layers than num_layers = {num_layers}", extra[0])
    return weights


def _torch_layer(found: dict, layer: int, weights: Weights) -> Params:
    values = {}
    for name in Params.NAMES:
        if (layer, name) in found:
            given, values[name] = found[(layer, name)]
            weights.recognised[given] = f"{name}_l{layer}"
        elif name.startswith("weight"):
            raise WeightsError(
                f"{name}_l{layer} is missing (layer {layer} needs weight_ih, weight_hh and, unless the "
                "network has no biases, bias_ih and bias_hh)",
                f"{name}_l{layer}",
            )
    for name in ("bias_ih", "bias_hh"):
        if name not in values:
            values[name] = np.zeros(values["weight_hh"].shape[0])
            weights.notes.append(f"{name}_l{layer} was not given: zero, as in a layer built with bias=False")
    return Params(*(values[name].astype(np.float64) for name in Params.NAMES))


def _checked(p: Params, layer: int, cell: str, hidden_size: int, input_size: int) -> Params:
    gh = len(GATES[cell]) * hidden_size
    inputs = input_size if layer == 0 else hidden_size
    expected = {"weight_ih": (gh, inputs), "weight_hh": (gh, hidden_size), "bias_ih": (gh,), "bias_hh": (gh,)}
    return Params(*(_shaped(getattr(p, name), shape, f"{name}_l{layer}", cell) for name, shape in expected.items()))


def _shaped(value: np.ndarray, shape: tuple[int, ...], name: str, cell: str | None = None) -> np.ndarray:
    if value.shape != shape:
        why = f" for a {cell} (G = {len(GATES[cell])} gate blocks)" if cell else ""
        raise WeightsError(
            f"{name} has shape {_shape(value)}, expected {_shape(shape)}{why} with the request's "
            "hidden_size, input_size and num_layers",
            name,
        )
    return value


def _shape(value) -> str:
    shape = value.shape if isinstance(value, np.ndarray) else value
    return " x ".join(map(str, shape)) or "a scalar"


def infer_shapes(arrays: dict[str, np.ndarray]) -> dict[str, object]:
    """{"cell", "hidden_size", "input_size", "num_layers"} as the arrays declare them (PyTorch or Keras names),
    or a WeightsError saying why they cannot be read."""
    arrays = {_clean(name): np.asarray(value) for name, value in arrays.items()}
    arrays.pop("readout", None)
    if _is_keras(arrays):
        cells = keras_cells(arrays)
        if not cells:
            raise WeightsError("no Keras recurrent layer found (kernel, recurrent_kernel and bias)")
        recurrent = cells[0]["recurrent_kernel"]
        kernel = cells[0]["kernel"]
        hidden, rows = recurrent.shape[0], recurrent.shape[-1]
        inputs, layers = kernel.shape[0], len(cells)
        name = "recurrent_kernel"
    else:
        found = {}
        for given, value in arrays.items():
            m = _TORCH.match(given)
            if m is not None and not m["rest"]:
                found[(int(m["layer"] or 0), m["name"])] = (given, value)
        if (0, "weight_hh") not in found or (0, "weight_ih") not in found:
            raise WeightsError(
                "weight_ih_l0 and weight_hh_l0 (or weight_ih, weight_hh) are needed to read the network's shape"
            )
        name, w_hh = found[(0, "weight_hh")]
        if w_hh.ndim != 2:
            raise WeightsError(f"{name} has shape {_shape(w_hh)}: expected a matrix, G*H x H", name)
        hidden, rows = w_hh.shape[1], w_hh.shape[0]
        inputs = found[(0, "weight_ih")][1].shape[-1]
        layers = max(layer for layer, _ in found) + 1
    gates = rows // hidden if hidden and rows % hidden == 0 else 0
    cell = {1: "rnn", 3: "gru", 4: "lstm"}.get(gates)
    if cell is None:
        raise WeightsError(
            f"{name} has {rows} rows for {hidden} hidden units: not 1, 3 or 4 gate blocks (rnn, gru, lstm)", name
        )
    return {"cell": cell, "hidden_size": int(hidden), "input_size": int(inputs), "num_layers": int(layers)}
