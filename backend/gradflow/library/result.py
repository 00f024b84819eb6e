"""What `gradflow.simulate` returns: the core's answer with NumPy arrays, the API's JSON, figures, files."""

from __future__ import annotations

import csv
import html
from pathlib import Path
from typing import Any

import numpy as np

CSV_COLUMNS = ("grad_h_norm", "grad_h_log10_norm", "grad_c_norm", "grad_c_log10_norm")
"""Per-step columns of the CSV, as the page exports them (then the batch spread, when there is one)."""


class SimulationResult:
    """One simulation. Every response field is an attribute (`result.grad_h_log10_norm`, `result.gates["f"]`):
    arrays are float64 NumPy arrays over time (row k = step t = k + 1), NaN where the API sends null;
    `result.warnings` says where and why. `config` is the request with every default filled in."""

    def __init__(self, answer: dict[str, Any], digits: int | None = None) -> None:
        self._answer = answer
        self._digits = digits

    def __getattr__(self, name: str) -> Any:
        answer = self.__dict__.get("_answer")
        if answer is None:  # not built yet (copy and pickle look up __setstate__ before filling __dict__)
            raise AttributeError(name)
        try:
            return answer[name]
        except KeyError:
            raise AttributeError(f"this result has no field {name!r} (fields: {', '.join(answer)})") from None

    def __getitem__(self, name: str) -> Any:
        return self._answer[name]

    def __contains__(self, name: str) -> bool:
        return name in self._answer

    def keys(self) -> list[str]:
        return list(self._answer)

    def to_dict(self) -> dict[str, Any]:
        """The answer as the API sends it for the same request: plain JSON values, None for null, arrays
        rounded when the request asked for `digits`, and typed ({dtype, bdata, shape}) when it asked for
        `arrays="binary"` (by default, lists)."""
        from gradflow.wire.encoding import to_jsonable
        from gradflow.wire.rounding import round_answer
        from gradflow.wire.typed import typed_arrays

        answer = self._answer if self._digits is None else round_answer(self._answer, self._digits)
        return to_jsonable(typed_arrays(answer, self._answer["config"].get("arrays", "json")))

    def figures(self, palette: str = "Viridis") -> dict:
        """The page's views as `plotly.graph_objects.Figure`s: "unrolled", "norms", "clipping", "gates",
        "spectrum", "flow" (and "depth_flow" for a stack), each present when the answer has its data."""
        from gradflow.figures import simulation_figures

        return simulation_figures(self._answer, palette=palette)

    def write_html(self, path: str | Path, title: str | None = None) -> Path:
        """One self-contained HTML report (Plotly.js inlined, no network): every figure, the configuration
        and the warnings."""
        from gradflow.library.report import write_report

        return write_report(
            path, self.figures(), title=title or self.title(), config=self.config, warnings=self.warnings
        )

    def write_csv(self, path: str | Path) -> Path:
        """One row per time step: t and the per-step gradient norms (exact log10 too), as the page exports."""
        columns = [(name, self._answer[name]) for name in CSV_COLUMNS if name in self._answer]
        batch = self._answer.get("grad_h_log10_norm_batch")
        if batch:
            columns += [(f"grad_h_log10_norm_batch_{k}", batch[k]) for k in ("mean", "min", "max")]
        path = Path(path)
        with path.open("w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["t", *(name for name, _ in columns)])
            for k in range(self.config["seq_len"]):
                writer.writerow([k + 1, *(_cell(values[k]) for _, values in columns)])
        return path

    def title(self) -> str:
        c = self.config
        return f"{c['cell']} T={c['seq_len']} H={c['hidden_size']} s={c['recurrent_scale']:g} seed={c['seed']}"

    def summary(self) -> dict[str, Any]:
        """The headline figures: loss, memory horizon, global gradient norm (and its exact log10), warnings."""
        clipping = self._answer.get("clipping") or {}
        return {
            "loss": self._answer.get("loss"),
            "memory_horizon": self._answer.get("memory_horizon"),
            "total_norm": clipping.get("total_norm"),
            "total_norm_log10": clipping.get("total_norm_log10"),
            "warnings": self.warnings,
        }

    def summary_text(self) -> str:
        s = self.summary()
        horizon = s["memory_horizon"]
        lines = [
            f"gradflow simulation: {self.title()}",
            f"  loss                {_number(s['loss'])}",
            f"  memory horizon      {'beyond the sequence' if horizon is None else f'{horizon} steps'}",
            f"  global grad norm    {_magnitude(s['total_norm'], s['total_norm_log10'])}",
        ]
        lines += [f"  warning: {w}" for w in s["warnings"]]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.summary_text()

    def _repr_html_(self) -> str:
        """Jupyter shows a result as its headline table and warnings; `figures()` gives the pictures."""
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
            for k, v in self._table()
        )
        warnings = "".join(f"<li>{html.escape(w)}</li>" for w in self.warnings)
        return (
            f"<div><strong>{html.escape(self.title())}</strong><table>{rows}</table>"
            + (f"<ul>{warnings}</ul>" if warnings else "")
            + "</div>"
        )

    def _table(self) -> list[tuple[str, str]]:
        s = self.summary()
        horizon = s["memory_horizon"]
        return [
            ("loss", _number(s["loss"])),
            ("memory horizon", "beyond the sequence" if horizon is None else f"{horizon} steps"),
            ("global gradient norm", _magnitude(s["total_norm"], s["total_norm_log10"])),
        ]


def _cell(value: Any) -> str:
    """A CSV cell: the shortest exact decimal, empty for null (as the page writes it)."""
    value = float(value)
    return repr(value) if np.isfinite(value) else ""


def _number(value: Any) -> str:
    return "null (beyond float64)" if value is None or not np.isfinite(value) else f"{value:.6g}"


def _magnitude(value: Any, log10: Any) -> str:
    """3.16e+412 (beyond float64) from its exact log10 when the plain value is not finite."""
    if value is not None and np.isfinite(value):
        return f"{value:.4g}"
    if log10 is None or not np.isfinite(log10):
        return "null"
    exponent = int(np.floor(log10))
    return f"{10 ** (log10 - exponent):.3g}e+{exponent} (beyond float64)"
