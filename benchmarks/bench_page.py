"""Page speed in headless Chromium (Debian's /usr/bin/chromium) against the real app.

Measures, in the page's own clock (performance.now()), each as "on screen / every view": the views in the
1400 x 1000 window are fetched and drawn first (body[data-on-screen-drawn-at]), the rest after them
(body[data-drawn-at]); the flow matrix, out of reach of the window, is not computed until it is scrolled near
(docs/page.md, "How the page fetches"), so "every view" counts it with its note:
  first view  navigation start -> drawn; "cold" = empty browser cache (includes fetching and compiling the
              1.5 MB Plotly.js), "warm" = a second visit in the same browser profile
  redraw      a control change (the seed box, a new value each time, so nothing is cached) -> drawn
at the default settings and at T = 1000, H = 256 (rnn and lstm). Prints a Markdown table.

    .venv/bin/python benchmarks/bench_page.py [--repeats 10]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import threading
import time

import uvicorn
from gradflow.api.main import create_app
from playwright.sync_api import sync_playwright

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
CASES = [
    ("default (rnn, T=50, H=32)", "", 1000, 150),
    ("lstm, T=50, H=32", "?cell=lstm", 1000, 150),
    ("rnn, T=1000, H=256", "?seq_len=1000&hidden_size=256", None, 1500),
    ("lstm, T=1000, H=256", "?cell=lstm&seq_len=1000&hidden_size=256", None, 1500),
]
CHANGE_SEED = """(seed) => {
  const box = document.querySelector('[data-testid="control-seed"]');
  window.__benchStart = performance.now();
  box.value = String(seed);
  box.dispatchEvent(new Event('change', { bubbles: true }));
}"""


def serve() -> tuple[str, uvicorn.Server]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}/", server


def wait_draws(page, n: int) -> None:
    deadline = time.monotonic() + 60
    while int(page.locator("body").get_attribute("data-draws") or 0) < n:
        if time.monotonic() > deadline:
            raise TimeoutError(f"no draw {n} within 60 s")
        page.wait_for_timeout(5)


def drawn_at(page) -> tuple[float, float]:
    """(views on screen drawn, every view drawn) in the page's clock."""
    body = page.locator("body")
    return float(body.get_attribute("data-on-screen-drawn-at")), float(body.get_attribute("data-drawn-at"))


def measure(browser, url: str, repeats: int) -> tuple[tuple, tuple, list[tuple]]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(url)
    wait_draws(page, 1)
    cold = drawn_at(page)
    page.goto("about:blank")
    page.goto(url)
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
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args()
    base, server = serve()
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, query, first_target, redraw_target in CASES:
            cold, warm, redraws = measure(browser, base + query, args.repeats)
            median = tuple(statistics.median(r[i] for r in redraws) for i in (0, 1))
            worst = tuple(max(r[i] for r in redraws) for i in (0, 1))
            rows.append((name, cold, warm, median, worst, first_target, redraw_target))
        browser.close()
    server.should_exit = True
    print(
        f"Headless Chromium, {args.repeats} redraws per case (median and worst), times in ms, "
        "each as views on screen / every view.\n"
    )
    print("| settings | first view, cold | first view, warm | redraw median | redraw worst | target |")
    print("|---|---:|---:|---:|---:|---|")
    pair = "{0[0]:.0f} / {0[1]:.0f}".format
    for name, cold, warm, med, worst, ft, rt in rows:
        target = f"first view < {ft}, redraw < {rt}" if ft else f"redraw < {rt}"
        print(f"| {name} | {pair(cold)} | {pair(warm)} | {pair(med)} | {pair(worst)} | {target} |")


if __name__ == "__main__":
    main()
