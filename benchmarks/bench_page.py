"""Page speed in headless Chromium (Debian's /usr/bin/chromium) against the real app.

Measures, in the page's own clock (performance.now()), each as "on screen / every view": the views in the
1400 x 1000 window are fetched and drawn first (body[data-on-screen-drawn-at]), the rest after them
(body[data-drawn-at]); the flow matrix, out of reach of the window, is not computed until it is scrolled near
(docs/page.md, "How the page fetches"), so "every view" counts it with its note:
  first view  navigation start -> drawn; "cold" = empty browser cache (a fresh browser context: includes
              fetching and compiling the 1.2 MB Plotly.js) and a seed not asked for before (nothing kept
              by the server either), the median of --colds loads; "warm" = a second visit in the same browser
              context (the server has kept its run)
  redraw      a control change (the seed box, a new value each time, so nothing is cached) -> drawn
at the default settings and at T = 1000, H = 256 (rnn and lstm). The app runs as `make run` runs it (its own
process, `--workers` uvicorn workers, BLAS pinned to one thread), so the browser's driver here takes nothing
from the server; the page's hooks are awaited inside the browser. Prints a Markdown table with the targets of
docs/benchmarks.md.

    .venv/bin/python benchmarks/bench_page.py [--repeats 10] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

from app_process import HOST, free_port, start_app, stop_app
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

CASES = [
    # (name, query, target for the first view cold, targets for a redraw: views on screen, every view), ms
    ("default (rnn, T=50, H=32)", "", 600, (150, None)),
    ("lstm, T=50, H=32", "?cell=lstm", 600, (150, None)),
    ("rnn, T=1000, H=256", "?seq_len=1000&hidden_size=256", 600, (150, None)),
    ("lstm, T=1000, H=256", "?cell=lstm&seq_len=1000&hidden_size=256", 600, (300, 500)),
]
CHANGE_SEED = """(seed) => {
  const box = document.querySelector('[data-testid="control-seed"]');
  window.__benchStart = performance.now();
  box.value = String(seed);
  box.dispatchEvent(new Event('change', { bubbles: true }));
}"""


def wait_draws(page, n: int) -> None:
    """Until the page has drawn every view n times, awaited in the browser (no polling from here)."""
    page.wait_for_function("(n) => Number(document.body.dataset.draws || 0) >= n", arg=n, timeout=60_000)


def drawn_at(page) -> tuple[float, float]:
    """(views on screen drawn, every view drawn) in the page's clock."""
    body = page.locator("body")
    return float(body.get_attribute("data-on-screen-drawn-at")), float(body.get_attribute("data-drawn-at"))


def measure(browser, url: str, repeats: int, colds: int) -> tuple[tuple, tuple, list[tuple]]:
    """First view cold (median of `colds` loads, each in a fresh browser context: an empty cache), warm (a second
    visit in the last of those) and `repeats` redraws."""
    cold_loads = []
    for k in range(colds):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        # a seed of its own each time: the app keeps its last runs (docs/api.md, "Shared runs"), the server too
        # starts cold
        seeded = f"{url}{'&' if '?' in url else '?'}seed={500 + k}"
        page.goto(seeded)
        wait_draws(page, 1)
        cold_loads.append(drawn_at(page))
        if k < colds - 1:
            context.close()
    cold = tuple(statistics.median(c[i] for c in cold_loads) for i in (0, 1))
    page.goto("about:blank")
    page.goto(seeded)  # the last cold load's settings again
    wait_draws(page, 1)
    warm = drawn_at(page)
    redraws = []
    for k in range(repeats):
        page.evaluate(CHANGE_SEED, 1000 + k)
        wait_draws(page, k + 2)
        start = page.evaluate("() => window.__benchStart")
        redraws.append(tuple(t - start for t in drawn_at(page)))
    context.close()
    return cold, warm, redraws


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10, help="redraws per case")
    parser.add_argument("--colds", type=int, default=5, help="cold first views per case (median)")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers (make run's default: 2)")
    args = parser.parse_args()
    port = free_port()
    server = start_app(port, args.workers)
    base = f"http://{HOST}:{port}/"
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for name, query, first_target, redraw_target in CASES:
            cold, warm, redraws = measure(browser, base + query, args.repeats, args.colds)
            median = tuple(statistics.median(r[i] for r in redraws) for i in (0, 1))
            worst = tuple(max(r[i] for r in redraws) for i in (0, 1))
            rows.append((name, cold, warm, median, worst, first_target, redraw_target))
        browser.close()
    stop_app(server)
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"Headless Chromium, {args.repeats} redraws per case (median and worst), the median of {args.colds} cold "
        "first views, times in ms, "
        f"each as views on screen / every view; {args.workers} workers; load average {load} (1 / 5 / 15 min).\n"
    )
    print("| settings | first view, cold | first view, warm | redraw median | redraw worst | target |")
    print("|---|---:|---:|---:|---:|---|")
    pair = "{0[0]:.0f} / {0[1]:.0f}".format
    for name, cold, warm, med, worst, ft, (on_screen, every) in rows:
        target = f"first view < {ft}, redraw < {on_screen}" + (f" / {every}" if every else "")
        print(f"| {name} | {pair(cold)} | {pair(warm)} | {pair(med)} | {pair(worst)} | {target} |")


if __name__ == "__main__":
    main()
