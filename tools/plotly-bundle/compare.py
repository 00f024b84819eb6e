"""Cold first view of the page with the vendored Plotly.js against another bundle (by default plotly.js's own
cartesian dist, which the build's node_modules hold: the file the page served before this build).

Each round loads the default page in a fresh browser context (an empty cache) once per bundle, in alternating
order, so a machine loaded by other work slows both alike. The bundle is served by Playwright from memory with
a comment appended that differs every time, so no compiled copy is reused. Measures, in the page's clock (ms):
  plotly    the script's fetch ending -> its load event: Plotly.js's evaluation
  on screen navigation start -> the views in the 1400 x 1000 window drawn (body[data-on-screen-drawn-at])
  every     navigation start -> every view drawn (body[data-drawn-at])
and prints the medians and the sizes (bytes, gzip -9) as Markdown, with the load average before and after.

    make vendor-plotly   # once: node_modules with plotly.js's dist
    .venv/bin/python tools/plotly-bundle/compare.py [--rounds 12] [--baseline FILE]
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

import uvicorn
from gradflow.api.main import create_app
from gradflow.api.routes.vendor import PLOTLY_JS
from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
from tests.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

DIST = HERE / "node_modules" / "plotly.js" / "dist" / "plotly-cartesian.min.js"
# the script tag's load event, caught as the document sees it (load does not bubble, so in the capture phase)
WATCH_PLOTLY = """document.addEventListener('load', (event) => {
  if (event.target.id === 'plotly-js') window.__plotlyLoadedAt = performance.now();
}, true);"""
TIMES = """() => {
  const entry = performance.getEntriesByType('resource').find((e) => e.name.includes('/vendor/plotly.min.js'));
  const body = document.body;
  return [window.__plotlyLoadedAt - entry.responseEnd,
          Number(body.dataset.onScreenDrawnAt), Number(body.dataset.drawnAt)];
}"""


def serve() -> tuple[str, uvicorn.Server]:
    """The real app on a free loopback port, in a background thread (as benchmarks/bench_page.py)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}/", server


def without_integrity(route) -> None:
    """The page as the app serves it, less the integrity attributes: they name the vendored build's hash, and
    every bundle served here differs from it (by its nonce, if by nothing else)."""
    response = route.fetch()
    route.fulfill(response=response, body=re.sub(r'\s+integrity="[^"]*"', "", response.text()))


def first_view(browser, url: str, bundle: bytes, nonce: int) -> list[float]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    body = bundle + f"\n// {nonce}\n".encode()
    context.route(url, without_integrity)
    context.route(
        "**/vendor/plotly.min.js",
        lambda route: route.fulfill(status=200, body=body, content_type="text/javascript; charset=utf-8"),
    )
    context.add_init_script(WATCH_PLOTLY)
    page = context.new_page()
    page.goto(url)
    deadline = time.monotonic() + 60
    while int(page.locator("body").get_attribute("data-draws") or 0) < 1:
        if time.monotonic() > deadline:
            raise TimeoutError("the page did not draw within 60 s")
        page.wait_for_timeout(5)
    times = page.evaluate(TIMES)
    context.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--baseline", type=Path, default=DIST, help="the other bundle (default: %(default)s)")
    args = parser.parse_args()
    bundles = {"vendored": PLOTLY_JS.read_bytes(), "baseline": args.baseline.read_bytes()}
    results: dict[str, list[list[float]]] = {name: [] for name in bundles}
    load_before = os.getloadavg()
    base, server = serve()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        first_view(browser, base, bundles["vendored"], -1)  # the app's own first answers, not counted
        for k in range(args.rounds):
            order = list(bundles) if k % 2 == 0 else list(bundles)[::-1]
            for name in order:
                results[name].append(first_view(browser, base, bundles[name], k))
        browser.close()
    server.should_exit = True
    load_after = os.getloadavg()
    print(f"{args.rounds} cold first views per bundle, alternating; medians in ms (min..max).")
    print(
        f"Load average before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
        f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f} ({os.cpu_count()} CPUs).\n"
    )
    print("| bundle | bytes | gzip -9 | Plotly.js evaluation | first view, on screen | first view, every view |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, bundle in bundles.items():
        label = PLOTLY_JS.name if name == "vendored" else f"{name}: {args.baseline.name}"
        cells = []
        for i in range(3):
            values = [r[i] for r in results[name]]
            cells.append(f"{statistics.median(values):.0f} ({min(values):.0f}..{max(values):.0f})")
        print(f"| {label} | {len(bundle):,} | {len(gzip.compress(bundle, 9)):,} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
