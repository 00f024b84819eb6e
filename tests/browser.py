"""Debian's Chromium as every headless user here launches it: the browser tests, the library's report test,
`benchmarks/bench_page.py` and `tools/plotly-bundle/compare.py` (never a downloaded browser)."""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
