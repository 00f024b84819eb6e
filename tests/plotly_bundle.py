"""The vendored Plotly.js's build record and the trace types the page draws, for the tests that check one
against the other (tests/api/routes/test_vendor.py on the file, tests/e2e/test_plotly_bundle.py in Chromium).

The bundle is built by `make vendor-plotly` from tools/plotly-bundle/entry.js, which registers only the trace
types the page draws; build.mjs records what it built in plotly-bundle.json next to the file. The page's trace
types are read from its sources: every quoted name after a `type:` key in frontend/js that is one of
plotly.js's trace types (the record lists them all), so a chart that starts drawing a new trace type fails the
tests until entry.js registers it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from gradflow.api.routes.vendor import PLOTLY_JS

REPO = Path(__file__).resolve().parents[1]
PAGE_JS = REPO / "frontend" / "js"
BUNDLE_TOOL = REPO / "tools" / "plotly-bundle"
RECORD_FILE = PLOTLY_JS.with_name("plotly-bundle.json")

# `type: 'heatmap'`, `type: log ? 'log' : 'linear'`: the expression after the key, up to the next , } or line end
TYPE_VALUE = re.compile(r"\btype\s*:\s*([^,}\n]+)")
QUOTED = re.compile(r"""['"`]([A-Za-z0-9_]+)['"`]""")
REGISTERED = re.compile(r'moduleType:"trace",name:"([a-z0-9]+)"')


def record() -> dict:
    """What build.mjs wrote: file, bytes, sha256, plotly.js and esbuild versions, traces, plotly_traces, ..."""
    return json.loads(RECORD_FILE.read_text())


def page_trace_types(root: Path = PAGE_JS) -> dict[str, list[str]]:
    """Each plotly.js trace type named in the page's JS, with the files (relative to `root`) naming it."""
    known = set(record()["plotly_traces"])
    found: dict[str, list[str]] = {}
    for source in sorted(root.rglob("*.js")):
        for expression in TYPE_VALUE.findall(source.read_text()):
            for name in QUOTED.findall(expression):
                if name in known:
                    found.setdefault(name, []).append(str(source.relative_to(root)))
    return found


def registered_in_bundle() -> set[str]:
    """The trace modules the vendored file registers, read from its text (not from the record)."""
    return set(REGISTERED.findall(PLOTLY_JS.read_text()))
