"""What theory predicts for the gradient flow the core measures, next to the measurement (docs/theory.md).

- `bound`, Pascanu, Mikolov & Bengio (2013), section 2.1: for an rnn, dL/dh_{t-1} = W_hh^T diag(phi'(a_t))
  dL/dh_t (plus the loss's own term at t - 1 under loss "all"), so |dL/dh_{t-1}| <= gamma sigma_max(W_hh)
  |dL/dh_t| (+ |v|), gamma = sup |phi'| = 1 for tanh, relu and linear. Walked back from the loss it bounds the
  measured norm at every step, for any weights; it is exact for a linear network with orthogonal W_hh. In a stack,
  what enters from the layer above is bounded by gamma sigma_max(W_ih above) times that layer's bound.
- `mean_field`, Schoenholz et al. (2017), Chen, Pennington & Schoenholz (2018): for an rnn whose W_hh entries
  have variance s^2 / H (gaussian init; orthogonal init has the same second moments), the pre-activation variance
  settles at q* = s^2 E[phi(sqrt(q*) z)^2] + sigma_in^2 (z standard normal; sigma_in^2 the variance inputs and
  biases add: (I + 2) / (3H) for gaussian inputs with our init), and each step back multiplies E|dL/dh|^2 by
  chi = s^2 E[phi'(sqrt(q*) z)^2]: the log10 norm falls by -0.5 log10(chi) a step. relu: chi = s^2 / 2;
  linear: chi = s^2, exactly. The edge of chaos is chi = 1, at s* (`critical_scale`).
- `cell_path`: the lstm's direct path c_t -> c_{t-1} multiplies dL/dc by f_t at every step, so dL/dc_T times the
  product of forget gates back from T is that path's exact share (all of dL/dc_t when W_hh = 0 under loss
  "last"). For the gru the direct path h_t -> h_{t-1} carries z_t (PyTorch's h_t = (1 - z) n + z h_{t-1}; texts
  that write h_t = (1 - z) h_{t-1} + z n call the same factor 1 - z).

Gaussian expectations: Gauss-Hermite quadrature (512 nodes, Golub-Welsch) while sqrt(q) <= 2, where it is exact
to about 1e-12; beyond, the integrand's peak is narrower than the nodes, and the trapezoid rule on a grid scaled to
that width (spectrally accurate for these analytic integrands) takes over. Pure NumPy.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np

from .diagnostics import step_ranges
from .logscale import LOG10_2, log10_norm

GH_NODES = 512
GH_MAX_SQRT_Q = 2.0
HORIZON_DROP = 3.0  # as core.diagnostics: the memory horizon is where the norm has fallen by 10^3

BOUND = {
    "formula": "pascanu2013-bound",
    "statement": "|dL/dh_t| <= (gamma sigma_max(W_hh))^(T-t) |dL/dh_T| (plus each later loss term under loss 'all')",
    "assumptions": "an rnn; gamma = sup|phi'| = 1 for tanh, relu and linear; holds for any weights and inputs",
    "source": "Pascanu, Mikolov & Bengio (2013), On the difficulty of training recurrent neural networks, sec. 2.1",
}
MEAN_FIELD = {
    "formula": "meanfield-chi",
    "statement": "E|dL/dh_(t-1)|^2 = chi E|dL/dh_t|^2, chi = s^2 E[phi'(sqrt(q*) z)^2], "
    "q* = s^2 E[phi(sqrt(q*) z)^2] + sigma_in^2",
    "assumptions": "an rnn with seeded W_hh of scale s (entries of variance s^2/H), wide layers (H large), "
    "the forward at its fixed point q*; inputs and biases add sigma_in^2 to a pre-activation's variance",
    "source": "Schoenholz et al. (2017), Deep information propagation; Chen, Pennington & Schoenholz (2018), "
    "Dynamical isometry and a mean field theory of RNNs",
}
CELL_PATH = {
    "formula": "cell-path-product",
    "statement": "the direct path multiplies dL/dc by f_t at each step back (lstm), dL/dh by z_t (gru)",
    "assumptions": "the share of the gradient along the direct path alone; other paths add to it",
    "source": "Hochreiter & Schmidhuber (1997); Gers, Schmidhuber & Cummins (2000)",
}


# ---------------------------------------------------------------- Gaussian expectations


@cache
def _hermite() -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights of probabilists' Gauss-Hermite quadrature (Golub-Welsch), weights summing to 1."""
    k = np.sqrt(np.arange(1, GH_NODES))
    nodes, vectors = np.linalg.eigh(np.diag(k, 1) + np.diag(k, -1))
    return nodes, vectors[0] ** 2


def gaussian_mean(f, q: float) -> float:
    """E[f(sqrt(q) z)] for a standard normal z."""
    root = math.sqrt(q)
    if root <= GH_MAX_SQRT_Q:
        nodes, weights = _hermite()
        return float(weights @ f(root * nodes))
    # f's features have width about 1 in u = sqrt(q) z, so 1/(40 sqrt q) in z resolves them
    h = 1.0 / (40.0 * root)
    z = np.arange(-12.0, 12.0 + h / 2, h)
    return float(np.sum(f(root * z) * np.exp(-0.5 * z * z)) * h / math.sqrt(2.0 * math.pi))


def _tanh_sq(u):
    return np.tanh(u) ** 2


def _tanh_sq_second(u):
    t2 = np.tanh(u) ** 2
    sech2 = 1.0 - t2
    return 2.0 * sech2 * sech2 - 4.0 * t2 * sech2


def _tanh_grad_sq(u):
    return (1.0 - np.tanh(u) ** 2) ** 2


# ---------------------------------------------------------------- mean field


def input_variance(cfg) -> float:
    """sigma_in^2: what W_ih x_t + b_ih + b_hh adds to a pre-activation's variance with our seeded init (entries
    U(-1/sqrt(H), 1/sqrt(H)), variance 1/(3H)): I E[x^2] / (3H) + 2 / (3H)."""
    H, I = cfg.hidden_size, cfg.input_size
    if cfg.inputs is not None:
        x2 = float(np.mean(np.square(np.asarray(cfg.inputs, dtype=np.float64))))
    else:
        x2 = {"gaussian": 1.0, "zeros": 0.0, "sine": 0.5}[cfg.input_kind]
    return (I * x2 + 2.0) / (3.0 * H)


@cache
def fixed_point(s: float, sigma_in2: float, activation: str) -> float | None:
    """q*, or None where the variance grows without bound (relu at s^2 >= 2, linear at s >= 1)."""
    if activation == "linear":
        return sigma_in2 / (1.0 - s * s) if s < 1.0 else None
    if activation == "relu":
        return sigma_in2 / (1.0 - s * s / 2.0) if s * s < 2.0 else None
    if sigma_in2 == 0.0 and s <= 1.0:
        return 0.0  # the only fixed point; iterating would creep toward it like 1/k
    # Newton on g(q) = s^2 E[tanh^2(sqrt(q) z)] + sigma_in^2 - q, with d/dq E[f(sqrt(q) z)] = E[f''(sqrt(q) z)] / 2
    # (the heat equation), f'' = 2 sech^4 - 4 tanh^2 sech^2; the plain iteration where a Newton step would not help
    q = max(sigma_in2, s * s) if s > 1.0 else max(sigma_in2, 1e-3)
    for _ in range(200):
        g = s * s * gaussian_mean(_tanh_sq, q) + sigma_in2 - q
        slope = s * s * 0.5 * gaussian_mean(_tanh_sq_second, q) - 1.0
        nxt = q - g / slope if slope < -1e-12 else q + g
        if not nxt > 0.0:
            nxt = q + g
        if abs(nxt - q) <= 1e-15 * max(q, 1e-300):
            return nxt
        q = nxt
    return q


@cache
def chi(s: float, sigma_in2: float, activation: str) -> float:
    """The per-step factor of E|dL/dh|^2."""
    if activation == "linear":
        return s * s
    if activation == "relu":
        return s * s / 2.0
    return s * s * gaussian_mean(_tanh_grad_sq, fixed_point(s, sigma_in2, activation))


@cache
def critical_scale(sigma_in2: float, activation: str) -> float:
    """s* with chi(s*) = 1 (bisection to float64 resolution)."""
    if activation == "linear":
        return 1.0
    if activation == "relu":
        return math.sqrt(2.0)
    lo, hi = 1e-3, 1.0
    while chi(hi, sigma_in2, activation) < 1.0:
        lo, hi = hi, 2.0 * hi
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            break
        lo, hi = (mid, hi) if chi(mid, sigma_in2, activation) < 1.0 else (lo, mid)
    return 0.5 * (lo + hi)


def mean_field(s: float, activation: str, loss: str, sigma_in2: float, anchor: float, seq_len: int) -> dict:
    """The mean-field item of a seeded rnn layer: q*, chi, s*, the predicted log10 |dL/dh_t| (T) anchored at the
    measured value at the loss, the decay per step back and the predicted memory horizon."""
    act = activation
    q_star = fixed_point(s, sigma_in2, act)
    c = chi(s, sigma_in2, act)
    per_step = 0.5 * math.log10(c) if c > 0 else -math.inf
    back = np.arange(seq_len - 1, -1, -1, dtype=np.float64)  # steps back from T, for t = 1..T
    if c == 0.0:  # nothing passes back: the prediction is exactly zero before the loss (null there)
        line = np.where(back == 0, anchor, np.nan) if loss == "last" else np.full(seq_len, anchor)
    elif loss == "last":
        line = anchor + per_step * back
    else:  # each later loss term adds its own geometric share: 0.5 log10 sum_{k=0..n} chi^k
        line = anchor + 0.5 * np.array([_log10_geometric(c, int(n) + 1) for n in back])
    horizon = None if per_step >= 0 else math.ceil(HORIZON_DROP / -per_step - 1e-12)
    return {
        **MEAN_FIELD,
        "q_star": q_star,
        "chi": c,
        "critical_scale": critical_scale(sigma_in2, act),
        "sigma_in2": sigma_in2,
        "decay_per_step": per_step,
        "log10_norm": line,
        "memory_horizon": horizon if horizon is not None and horizon < seq_len else None,
    }


def _log10_geometric(c: float, n: int) -> float:
    """log10 of 1 + c + ... + c^(n-1), without overflow."""
    if c == 1.0:
        return math.log10(n)
    if c < 1.0:
        return math.log10((1.0 - c**n) / (1.0 - c)) if n * math.log10(c) > -300 else -math.log10(1.0 - c)
    lc = math.log10(c)
    return (n - 1) * lc + math.log10((1.0 - c**-n) / (1.0 - 1.0 / c))


# ---------------------------------------------------------------- Pascanu's bound


def bound(weight_hh: np.ndarray, above: list[tuple[float, np.ndarray]], seeds_log10: np.ndarray) -> dict:
    """log10 of the upper bound on |dL/dh_t| for t = 1..T of one rnn layer.

    seeds_log10: (T,) log10 |v| where the loss enters this layer's h_t directly (NaN where it does not).
    above: for a stack, (log10 gamma sigma_max(W_ih of the layer above), that layer's bound (T,)): the gradient
    entering from above at step t is at most that much.
    """
    sigma = float(np.linalg.norm(weight_hh, 2))
    step = math.log10(sigma) if sigma > 0 else -math.inf
    T = len(seeds_log10)
    out = np.full(T, np.nan)
    carried = -math.inf
    for t in range(T - 1, -1, -1):
        terms = [carried + step if t < T - 1 else -math.inf, seeds_log10[t]]
        terms += [gain + upper[t] for gain, upper in above]
        carried = _log10_sum(terms)
        out[t] = carried
    return {**BOUND, "sigma_max": sigma, "gamma": 1.0, "log10_norm": np.where(np.isfinite(out), out, np.nan)}


def _log10_sum(values) -> float:
    finite = [v for v in values if v is not None and np.isfinite(v)]
    if not finite:
        return -math.inf
    top = max(finite)
    return top + math.log10(sum(10.0 ** (v - top) for v in finite))


# ---------------------------------------------------------------- gated cells


def cell_path(cell: str, gate: np.ndarray, last_m: np.ndarray, last_exp: int) -> dict:
    """The direct path's share back from T for sequence 0: log10 |carried_T * prod_{k=t+1..T} g_k| (T), with g the
    lstm's forget gate f (carried = dL/dc_T) or the gru's update gate z (carried = dL/dh_T), and log10 of the
    product's mean over units. gate: (T, H); carried_T = last_m * 2**last_exp."""
    T = gate.shape[0]
    with np.errstate(divide="ignore"):
        logs = np.log10(np.abs(gate))
    suffix = np.zeros_like(logs)  # suffix[t] = sum_{k > t} log10 g_k (0-based: k = t+1 .. T-1)
    suffix[:-1] = np.cumsum(logs[::-1], axis=0)[::-1][1:]
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        carried = np.log10(np.abs(last_m)) + LOG10_2 * last_exp  # (H,)
        terms = carried[None, :] + suffix
        top = np.max(np.where(np.isfinite(terms), terms, -np.inf), axis=1, keepdims=True)
        safe = np.where(np.isfinite(top), top, 0.0)
        norm = 0.5 * np.log10(np.sum(10.0 ** (2 * (terms - safe)), axis=1)) + safe[:, 0]
        peak = np.max(suffix, axis=1, keepdims=True)
        mean_product = np.log10(np.mean(10.0 ** (suffix - peak), axis=1)) + peak[:, 0]
    gate_name = "forget gate f" if cell == "lstm" else "update gate z"
    return {
        **CELL_PATH,
        "gate": gate_name,
        "log10_norm": np.where(np.isfinite(norm), norm, np.nan),
        "log10_mean_product": np.where(np.isfinite(mean_product), mean_product, np.nan),
        "length": T,
    }


# ---------------------------------------------------------------- the answer's `theory`


def theory_report(cfg, layers, traces, deltas, v: np.ndarray, seeded: bool) -> tuple[dict, list[dict], list[str]]:
    """(the top layer's theory, every layer's (bottom first), warnings naming each null item and why)."""
    from .bptt import seeds_for_loss

    L, T = len(layers), cfg.seq_len
    seeds = seeds_for_loss(cfg.loss, T, 1)[:, 0]
    v_log10 = math.log10(float(np.linalg.norm(v))) if np.any(v) else -math.inf
    items: list[dict] = [{} for _ in range(L)]
    warnings: list[str] = []

    def null(layer: int, name: str, reason: str) -> None:
        items[layer][name] = None
        where = f"layers[{layer}].theory.{name}" if L > 1 else f"theory.{name}"
        if layer == L - 1 or L == 1:
            warnings.append(f"{where if L == 1 else f'theory.{name}'} is null: {reason}")

    above: list[tuple[float, np.ndarray]] = []
    for layer in range(L - 1, -1, -1):
        if cfg.cell == "rnn":
            seeds_log10 = np.where(seeds, v_log10, np.nan) if layer == L - 1 else np.full(T, np.nan)
            item = bound(layers[layer].weight_hh, above, seeds_log10)
            items[layer]["bound"] = item
            w_ih = layers[layer].weight_ih
            sigma_ih = float(np.linalg.norm(w_ih, 2))
            above = [(math.log10(sigma_ih) if sigma_ih > 0 else -math.inf, item["log10_norm"])]
        else:
            null(layer, "bound", f"Pascanu's bound is for a plain rnn, not a {cfg.cell}")
    if cfg.cell == "rnn" and seeded:
        sigma_in2 = input_variance(cfg)
        for layer in range(L):
            d = deltas[layer]
            anchor = float(log10_norm(d.dh[-1, :1], d.exp[-1, :1])[0])
            anchor = anchor if np.isfinite(anchor) else 0.0
            if sigma_in2 is None:  # the layer below's variance grows without bound: no fixed point to start from
                null(layer, "mean_field", "the layer below has no fixed point (its variance grows without bound)")
                continue
            item = mean_field(cfg.recurrent_scale, cfg.activation, cfg.loss, sigma_in2, anchor, T)
            items[layer]["mean_field"] = item
            # the next layer reads this one's h: H inputs of second moment E[h^2] at the fixed point
            moment = _output_second_moment(item["q_star"], cfg.activation)
            sigma_in2 = None if moment is None else (cfg.hidden_size * moment + 2.0) / (3.0 * cfg.hidden_size)
    else:
        reason = (
            "explicit weights have no seeded recurrent scale s for the mean-field theory"
            if cfg.cell == "rnn"
            else f"the mean-field prediction here is for a plain rnn, not a {cfg.cell}"
        )
        for layer in range(L):
            null(layer, "mean_field", reason)
    for layer, (tr, d) in enumerate(zip(traces, deltas)):
        if cfg.cell == "lstm":
            items[layer]["cell_path"] = cell_path("lstm", tr.gates["f"][:, 0], d.dc[-1, 0], int(d.exp[-1, 0]))
        elif cfg.cell == "gru":
            items[layer]["cell_path"] = cell_path("gru", tr.gates["z"][:, 0], d.dh[-1, 0], int(d.exp[-1, 0]))
        else:
            null(layer, "cell_path", "a plain rnn has no gated direct path")
    for name, item in items[-1].items():
        if item is not None:
            for key in ("log10_norm", "log10_mean_product"):
                missing = np.isnan(np.asarray(item.get(key, []), dtype=float))
                if missing.any():
                    warnings.append(
                        f"theory.{name}.{key} is null at steps {step_ranges(missing)}: the value there is exactly "
                        "zero (nothing passes back), whose log10 is -infinity"
                    )
    return items[-1], items, warnings


def _output_second_moment(q: float | None, activation: str) -> float | None:
    """E[h^2] of a layer at its fixed point: what the next layer's inputs carry."""
    if q is None:
        return None
    if activation == "tanh":
        return gaussian_mean(_tanh_sq, q)
    return q / 2.0 if activation == "relu" else q
