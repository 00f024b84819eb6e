"""Every null in an answer gets a warning that names it.

In the core's answer NaN (or an infinity) means "no float64 for this number" (JSON null): a magnitude beyond float64's range
(hidden states of an overflowing linear rnn, gradients, their norms, the loss, clipping totals) or, in a
log10 field, NaN for the logarithm of an exact zero and an infinity for a value that float64 arithmetic
could not hold (it overflowed, or became NaN, before it could be rescaled), whose logarithm nobody knows.
`None` means "does not apply" (no gates for an rnn, no flow
matrix with flow_steps 0) and is documented in the schema; the one `None` with a meaning of its own, a
memory horizon beyond the sequence, gets a sentence too.

One pass over the finished answer finds them all, so a field added later is covered without a new warning
of its own. Arrays over time name the 1-based steps; values point at their exact log10 companion.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .diagnostics import step_ranges

SKIP = ("config", "weights", "warnings", "elapsed_ms", "theory")
"""Not walked: `theory`'s nulls are items that do not apply, each warned about with its reason (core/theory.py)."""
OVER_TIME = {
    "hidden",
    "cell_state",
    "gates",
    "grad_h",
    "grad_c",
    "grad_h_norm",
    "grad_c_norm",
    "grad_h_log10_norm",
    "grad_c_log10_norm",
    "grad_h_log10_abs",
    "grad_c_log10_abs",
    "grad_x",
    "grad_h_log10_norm_batch",
    "inputs",
}
"""Top-level fields whose arrays have time as their first axis (row k = step k + 1)."""


def log10_companion(path: str) -> str | None:
    """Where the exact log10 of a value field lives, if the answer has one."""
    top, _, rest = path.partition(".")
    if top in ("grad_h", "grad_h_norm", "grad_c", "grad_c_norm"):
        return f"{top.removesuffix('_norm')}_log10_norm"
    if top in ("param_grads", "param_grad_norms") and rest:
        return f"param_grad_log10_norms.{rest}"
    if path in ("clipping.total_norm", "clipping.scale", "grad_norm"):
        return f"{path}_log10"
    return None


def null_warnings(answer: dict) -> list[str]:
    """One warning per field of `answer` that holds a null, naming the field (and the steps, over time)."""
    out = []
    for path, value in _numbers(answer):
        if "log10" in path:
            out += _log10_warnings(answer, path, value)
            continue
        where = _where(path, value)
        if where is None:
            continue
        at = f" {where}" if where else ""
        msg = f"{path} is beyond float64's range{at}: null there"
        companion = log10_companion(path)
        top = _largest(answer, companion) if companion else None
        if top is not None:
            msg += f"; its exact log10 is in {companion} (up to 10^{top:.1f})"
        out.append(msg)
    if "memory_horizon" in answer and answer["memory_horizon"] is None:
        out.append(
            "memory_horizon is null: |dL/dh_t| stays within 10^-3 of its value at the loss over the whole "
            "sequence, so the memory reaches past step 1"
        )
    return out


def _log10_warnings(answer: dict, path: str, value) -> list[str]:
    """A log10 field's nulls: NaN is an exact zero; an infinity a value that was not finite in float64."""
    out = []
    for bad, why in (
        (np.isnan, "the value there is exactly zero, whose log10 is -infinity"),
        (
            np.isinf,
            "the value there is not finite (float64 arithmetic overflowed, or met a number that already had, "
            "before it could be rescaled), so its log10 is unknown; it is not zero",
        ),
    ):
        mask = bad(value)
        if path == "flow.log10_norm":
            where = _flow_where(answer["flow"], mask)
        else:
            where = _where(path, value, mask)
        if where is not None:
            out.append(f"{path} is null{f' {where}' if where else ''}: {why}")
    return out


def _numbers(value, path: str = "") -> Iterator[tuple[str, object]]:
    """(dotted path, float or float array) for every number-holding leaf."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not path and key in SKIP:
                continue
            yield from _numbers(item, f"{path}.{key}" if path else key)
    elif isinstance(value, np.ndarray) and value.dtype.kind == "f" or isinstance(value, float):
        yield path, value


def _where(path: str, value, bad=None) -> str | None:
    """Where `value` is null (or where `bad`, a mask of its nulls, is true), in words ("at steps 1-24",
    "in 3 of its 12 values"), or None when nowhere."""
    bad = ~np.isfinite(value) if bad is None else bad
    if np.ndim(value) == 0:
        return "" if bad else None
    if not bad.any():
        return None
    if path.partition(".")[0] in OVER_TIME:
        return f"at steps {step_ranges(bad.reshape(len(bad), -1).any(axis=1))}"
    return f"in {int(bad.sum())} of its {bad.size} values"


def _flow_where(flow: dict, bad: np.ndarray) -> str | None:
    """The flow matrix is null by definition where t > t'; only nulls (`bad`) at t <= t' need saying."""
    defined = np.asarray(flow["steps"])[None, :] <= np.asarray(flow["loss_steps"])[:, None]
    count = int((bad & defined).sum())
    return f"in {count} entries with t <= t'" if count else None


def _largest(answer: dict, path: str) -> float | None:
    value = answer
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    finite = np.asarray(value, dtype=np.float64)
    finite = finite[np.isfinite(finite)]
    return float(finite.max()) if finite.size else None
