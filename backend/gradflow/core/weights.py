"""Explicit weights: a trained network's arrays, checked and brought into PyTorch's layout.

PyTorch (`state_dict` of torch.nn.RNN / LSTM / GRU): `weight_ih_l{k}` (G*H x I for k = 0, G*H x H above),
`weight_hh_l{k}` (G*H x H), `bias_ih_l{k}`, `bias_hh_l{k}` (G*H); for one layer also the bare names
`weight_ih`, ... . A prefix from an enclosing module (`lstm.weight_ih_l0`, `encoder.rnn.weight_hh_l0`) is
understood when it is the same for every array; other arrays (a decoder's `fc.weight`) are left out and
listed. A layer without biases (`bias=False`) gets zero biases. `readout` (H,) is the loss's v, used as given.

Keras (one layer; `layer.weights` saved by name): `kernel` (I x G*H), `recurrent_kernel` (H x G*H), `bias`.
- SimpleRNN: weight_ih = kernel^T, weight_hh = recurrent_kernel^T, bias_ih = bias, bias_hh = 0.
- LSTM: Keras's gate order i, f, c, o is PyTorch's i, f, g, o; transposed as above, bias_hh = 0.
- GRU: only reset_after=True (Keras's default) is PyTorch's equation, n = tanh(W_in x + b_in + r * (W_hn h +
  b_hn)); its bias is (2, 3H), input then recurrent. Keras orders the gates z, r, h; PyTorch r, z, n.
"""

from __future__ import annotations

import re

import numpy as np

from .config import GATES
from .params import Params, Weights

_TORCH = re.compile(r"^(?P<prefix>.*?)(?P<name>weight_ih|weight_hh|bias_ih|bias_hh)(?:_l(?P<layer>\d+))?(?P<rest>.*)$")
KERAS_NAMES = ("kernel", "recurrent_kernel", "bias")


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
    if _is_keras(arrays):
        weights = _from_keras(arrays, cell, num_layers)
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


def _from_keras(arrays: dict[str, np.ndarray], cell: str, num_layers: int) -> Weights:
    by_short = {name.rsplit("/", 1)[-1]: (name, value) for name, value in arrays.items()}
    if num_layers != 1:
        raise WeightsError("Keras weights are read for one layer only: use num_layers = 1")
    missing = [name for name in KERAS_NAMES if name not in by_short]
    if missing:
        raise WeightsError(
            f"{', '.join(missing)} missing: a Keras layer has kernel, recurrent_kernel and bias", missing[0]
        )
    (k_name, kernel), (r_name, recurrent), (b_name, bias) = (by_short[n] for n in KERAS_NAMES)
    if cell == "gru":
        if bias.ndim != 2 or bias.shape[0] != 2:
            raise WeightsError(
                f"{b_name}: a Keras GRU bias of shape {_shape(bias)} means reset_after=False, which "
                "applies the reset gate before W_hn (another equation than PyTorch's GRU); rebuild "
                "the layer with reset_after=True, Keras's default",
                b_name,
            )
        order = _gru_order(kernel.shape[-1] // 3)
        kernel, recurrent, b_ih, b_hh = kernel[:, order], recurrent[:, order], bias[0][order], bias[1][order]
    else:
        b_ih, b_hh = bias, np.zeros_like(bias)
    ignored = sorted(set(arrays) - {k_name, r_name, b_name})
    recognised = {
        k_name: "weight_ih (kernel transposed)",
        r_name: "weight_hh (recurrent_kernel transposed)",
        b_name: "bias_ih" + (" and bias_hh" if cell == "gru" else ""),
    }
    layer = Params(
        kernel.T.astype(np.float64), recurrent.T.astype(np.float64), b_ih.astype(np.float64), b_hh.astype(np.float64)
    )
    notes = [
        "Keras layout: converted to PyTorch's (transposed"
        + (", gates z, r, h reordered to r, z, n)" if cell == "gru" else ")")
    ]
    return Weights([layer], None, recognised, ignored, notes)


def _gru_order(hidden: int) -> np.ndarray:
    """Column order that turns Keras's gate blocks z, r, h into PyTorch's r, z, n."""
    z, r, h = (np.arange(k * hidden, (k + 1) * hidden) for k in range(3))
    return np.concatenate([r, z, h])


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
