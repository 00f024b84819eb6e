"""Keras's recurrent layers in PyTorch's layout: `kernel` (I x G*H), `recurrent_kernel` (H x G*H), `bias` per layer,
named `<path>/kernel` ... (the path tells the layers apart; their order in the arrays is the stack's, bottom first).

- SimpleRNN: weight_ih = kernel^T, weight_hh = recurrent_kernel^T, bias_ih = bias, bias_hh = 0.
- LSTM: Keras's gate order i, f, c, o is PyTorch's i, f, g, o; transposed as above, bias_hh = 0.
- GRU: only reset_after=True (Keras's default) is PyTorch's equation, n = tanh(W_in x + b_in + r * (W_hn h +
  b_hn)); its bias is (2, 3H), input then recurrent. Keras orders the gates z, r, h; PyTorch r, z, n.
"""

from __future__ import annotations

import numpy as np

from .params import Params, Weights

KERAS_NAMES = ("kernel", "recurrent_kernel", "bias")


class _Error(ValueError):
    pass


def keras_cells(arrays: dict[str, np.ndarray]) -> list[dict[str, np.ndarray]]:
    """The recurrent layers' {kernel, recurrent_kernel, bias, names}, in the order the arrays give them."""
    groups: dict[str, dict[str, tuple[str, np.ndarray]]] = {}
    by_short: dict[str, list[tuple[str, np.ndarray]]] = {}
    for name, value in arrays.items():
        head, _, short = name.rpartition("/")
        if short in KERAS_NAMES:
            groups.setdefault(head, {})[short] = (name, value)
            by_short.setdefault(short, []).append((name, value))
    if len(groups) > 1 and all(len(found) == 1 for found in by_short.values()):
        # one of each, saved under different paths (a layer's `weights` by their full names): one layer
        groups = {"": {short: found[0] for short, found in by_short.items()}}
    cells = []
    for members in groups.values():
        if "recurrent_kernel" in members:
            cells.append({short: value for short, (_, value) in members.items()} | {"names": members})
    return cells


def from_keras(arrays: dict[str, np.ndarray], cell: str, num_layers: int) -> Weights:
    """Every Keras recurrent layer in `arrays` as one PyTorch layer (bottom first); the other arrays are ignored."""
    from .weights import WeightsError

    cells = keras_cells(arrays)
    if not cells:
        missing = [n for n in KERAS_NAMES if not any(a.rsplit("/", 1)[-1] == n for a in arrays)]
        raise WeightsError(
            f"{', '.join(missing) or 'recurrent_kernel'} missing: a Keras layer has kernel, recurrent_kernel and bias",
            (missing or ["recurrent_kernel"])[0],
        )
    if len(cells) != num_layers:
        raise WeightsError(f"the file has {len(cells)} Keras recurrent layer(s) but num_layers is {num_layers}")
    weights = Weights([], None)
    used: set[str] = set()
    for layer, c in enumerate(cells):
        names = {short: given for short, (given, _) in c["names"].items()}
        missing = [n for n in KERAS_NAMES if n not in names]
        if missing:
            raise WeightsError(
                f"{', '.join(missing)} missing: a Keras layer has kernel, recurrent_kernel and bias", missing[0]
            )
        weights.layers.append(_layer(c, cell, names["bias"], WeightsError))
        used |= set(names.values())
        suffix = f" of layer {layer}" if len(cells) > 1 else ""
        weights.recognised.update(
            {
                names["kernel"]: f"weight_ih_l{layer} (kernel transposed{suffix})",
                names["recurrent_kernel"]: f"weight_hh_l{layer} (recurrent_kernel transposed{suffix})",
                names["bias"]: f"bias_ih_l{layer}" + (f" and bias_hh_l{layer}" if cell == "gru" else ""),
            }
        )
    weights.ignored = sorted(set(arrays) - used)
    weights.notes = [
        "Keras layout: converted to PyTorch's (transposed"
        + (", gates z, r, h reordered to r, z, n)" if cell == "gru" else ")")
    ]
    return weights


def _layer(c: dict, cell: str, bias_name: str, error: type[ValueError]) -> Params:
    kernel, recurrent, bias = c["kernel"], c["recurrent_kernel"], c["bias"]
    if cell == "gru":
        if bias.ndim != 2 or bias.shape[0] != 2:
            raise error(
                f"{bias_name}: a Keras GRU bias of shape {' x '.join(map(str, bias.shape))} means reset_after=False, "
                "which applies the reset gate before W_hn (another equation than PyTorch's GRU); rebuild the layer "
                "with reset_after=True, Keras's default",
                bias_name,
            )
        order = _gru_order(kernel.shape[-1] // 3)
        kernel, recurrent, b_ih, b_hh = kernel[:, order], recurrent[:, order], bias[0][order], bias[1][order]
    else:
        b_ih, b_hh = bias, np.zeros_like(bias)
    return Params(
        kernel.T.astype(np.float64), recurrent.T.astype(np.float64), b_ih.astype(np.float64), b_hh.astype(np.float64)
    )


def _gru_order(hidden: int) -> np.ndarray:
    """Column order that turns Keras's gate blocks z, r, h into PyTorch's r, z, n."""
    z, r, h = (np.arange(k * hidden, (k + 1) * hidden) for k in range(3))
    return np.concatenate([r, z, h])
