"""One self-contained HTML report: Plotly.js inlined once, the configuration as a table, the warnings as a
list, then every figure. It opens offline: nothing is fetched from any host (no CDN, no MathJax), and a
Content-Security-Policy that allows no network at all makes sure of it.

Heatmap values go into the file as float32, like the page's 6-digit rounding: 7 significant digits are more
than any hover prints (log10 with 3 decimals, gates with 4), and an lstm at T = 1000, H = 256 takes 16.6 MB
instead of 27.9 (benchmarks/bench_figures.py). The Figures passed in are not changed.

    from gradflow.figures import simulation_figures
    from gradflow.library.report import write_report

    answer = simulate(cfg)
    write_report("run.html", simulation_figures(answer), title="lstm, T = 200",
                 config=answer["config"], warnings=answer["warnings"])
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

import numpy as np
import plotly.graph_objects as go

from gradflow import __version__
from gradflow.figures.common import PLOT_CONFIG

MAX_VALUE_CHARS = 200
"""A configuration value longer than this (explicit `inputs`, say) is cut short in the table."""

# Inline scripts and styles only; no request of any kind may leave the page. data:/blob: images are the
# modebar's PNG download and Plotly's own icons.
CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:"

STYLE = """
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2937;
       background: #f9fafb; line-height: 1.45; }
main { max-width: 1200px; margin: 0 auto; padding: 1rem 1.25rem 2rem; }
h1 { font-size: 1.45rem; margin: 0.25rem 0 0.75rem; }
h2 { font-size: 1.1rem; margin: 1.25rem 0 0.4rem; }
table { border-collapse: collapse; font-size: 0.9rem; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 0.15rem 0.9rem 0.15rem 0; border-bottom: 1px solid #e5e7eb; vertical-align: top; }
th { font-weight: 600; }
td { word-break: break-word; }
.warnings li { color: #92400e; }
.figure { background: #fff; border: 1px solid #e5e7eb; border-radius: 8px; padding: 0.25rem; margin: 0.75rem 0; }
footer { color: #6b7280; font-size: 0.85rem; margin-top: 1.5rem; }
"""


def _value_text(value: object) -> str:
    """A configuration value as text: strings as they are, anything else as JSON, long ones cut short."""
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= MAX_VALUE_CHARS else f"{text[:MAX_VALUE_CHARS]}… ({len(text)} characters)"


def _config_table(config: dict) -> str:
    rows = "".join(
        f'<tr><th scope="row">{escape(str(k))}</th><td>{escape(_value_text(v))}</td></tr>' for k, v in config.items()
    )
    return f'<table data-testid="config"><tbody>{rows}</tbody></table>'


def _warnings_list(warnings: list[str]) -> str:
    if not warnings:
        return '<p data-testid="warnings">None.</p>'
    items = "".join(f"<li>{escape(w)}</li>" for w in warnings)
    return f'<ul class="warnings" data-testid="warnings">{items}</ul>'


def _compact(fig: go.Figure) -> go.Figure:
    """A copy of the figure whose float64 heatmap arrays are float32 (the input stays as it is)."""
    compact = go.Figure(fig)
    for trace in compact.data:
        if trace.type == "heatmap" and isinstance(trace.z, np.ndarray) and trace.z.dtype == np.float64:
            trace.z = trace.z.astype(np.float32)
    return compact


def _figure_divs(figures: dict[str, go.Figure]) -> str:
    """Every figure as a div and its script; Plotly.js goes with the first one only."""
    parts = []
    for k, (name, fig) in enumerate(figures.items()):
        png = {**PLOT_CONFIG["toImageButtonOptions"], "filename": f"gradflow-{name}"}
        config = {**PLOT_CONFIG, "toImageButtonOptions": png}
        div = _compact(fig).to_html(
            full_html=False,
            include_plotlyjs=k == 0,
            include_mathjax=False,
            config=config,
            div_id=f"plot-{name}",
            default_width="100%",
        )
        parts.append(f'<section class="figure" data-testid="figure-{escape(name)}">{div}</section>')
    return "\n".join(parts)


def report_html(figures: dict[str, go.Figure], *, title: str, config: dict, warnings: list[str]) -> str:
    """The report as one HTML document (str): `title` as its heading, `config` ({field: value}) as a table,
    `warnings` as a list, then `figures` ({name: Figure}) in their order. Every text is escaped."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{STYLE}</style>
</head>
<body>
<main>
<h1>{escape(title)}</h1>
<h2>Configuration</h2>
{_config_table(config)}
<h2>Warnings</h2>
{_warnings_list(warnings)}
{_figure_divs(figures)}
<footer>Gradient Flow Lab {escape(__version__)}: exact gradients in float64, magnitudes past float64 from their
exact log10.</footer>
</main>
</body>
</html>
"""


def write_report(
    path: str | Path, figures: dict[str, go.Figure], *, title: str, config: dict, warnings: list[str]
) -> Path:
    """Writes report_html(...) to `path` (UTF-8) and returns the path."""
    path = Path(path)
    path.write_text(report_html(figures, title=title, config=config, warnings=warnings), encoding="utf-8")
    return path
