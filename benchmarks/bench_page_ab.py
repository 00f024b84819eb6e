"""The page at another commit against this checkout, taking turns: cold first views and redraws, views on screen.

Checks the other commit out into a temporary git worktree, starts both apps as `make run` does (each its own
process, `--workers` workers, BLAS on one thread; the other one with that worktree's backend and page, this
venv's packages), and loads them in turn in headless Chromium at 1400 x 1000 (who goes first alternates by
round), so a busy moment on this machine weighs on both alike. Each round: one cold first view (a fresh
browser context, a seed not asked for before) and one redraw (a new seed typed in), as bench_page.py measures
them. Prints the medians and every value, ms.

    .venv/bin/python benchmarks/bench_page_ab.py COMMIT [--rounds 8] [--query "?cell=lstm&seq_len=1000&hidden_size=256"]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from app_process import HOST, ROOT, free_port, start_app, stop_app
from bench_page import CHANGE_SEED, drawn_at, wait_draws
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(ROOT))
from tests.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402


def one_round(browser, base: str, query: str, seed: int) -> tuple[float, float]:
    """(cold first view, redraw), views on screen, ms."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{base}{query}{'&' if '?' in query else '?'}seed={seed}")
    wait_draws(page, 1)
    cold = drawn_at(page)[0]
    page.evaluate(CHANGE_SEED, seed + 100_000)
    wait_draws(page, 2)
    redraw = drawn_at(page)[0] - page.evaluate("() => window.__benchStart")
    context.close()
    return cold, redraw


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("commit", help="the other commit (any git revision)")
    parser.add_argument("--rounds", type=int, default=8, help="cold loads and redraws of each")
    parser.add_argument("--query", default="", help="the page's settings, e.g. ?cell=lstm")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        other = Path(tmp) / "other"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(other), args.commit], cwd=ROOT, check=True)
        apps = {args.commit: other, "this checkout": ROOT}
        servers, bases = {}, {}
        try:
            for name, root in apps.items():
                port = free_port()
                servers[name] = start_app(port, args.workers, root)
                bases[name] = f"http://{HOST}:{port}/"
            results: dict[str, list[tuple[float, float]]] = {name: [] for name in apps}
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                for r in range(args.rounds):
                    order = list(apps) if r % 2 == 0 else list(reversed(apps))
                    for name in order:
                        results[name].append(one_round(browser, bases[name], args.query, 4000 + r))
                browser.close()
        finally:
            for server in servers.values():
                stop_app(server)
            subprocess.run(["git", "worktree", "remove", "--force", str(other)], cwd=ROOT, check=False)
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"Page {args.query or '(default settings)'}, {args.rounds} rounds taking turns; load average {load}.\n")
    print("| page | cold first view, median | all | redraw, median | all |")
    print("|---|---:|---|---:|---|")
    for name, rows in results.items():
        cold, redraw = zip(*rows)
        print(
            f"| {name} | {statistics.median(cold):.0f} | {', '.join(f'{c:.0f}' for c in sorted(cold))} "
            f"| {statistics.median(redraw):.0f} | {', '.join(f'{x:.0f}' for x in sorted(redraw))} |"
        )


if __name__ == "__main__":
    main()
