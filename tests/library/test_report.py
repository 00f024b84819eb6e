"""The offline HTML report: one inlined Plotly.js, the configuration and warnings escaped, every figure, and
a page that renders in headless Chromium with every request to any host refused (none is made)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from gradflow.core.config import SimConfig
from gradflow.core.simulate import simulate
from gradflow.figures import simulation_figures
from gradflow.library.report import report_html, write_report

from tests.browser import CHROMIUM, CHROMIUM_ARGS
from tests.needs import missing

PLOTLY_BANNER = "* plotly.js v"


@pytest.fixture(scope="module")
def answer() -> dict:
    return simulate(SimConfig(cell="lstm", seq_len=40, hidden_size=8, forget_bias=1.0))


@pytest.fixture(scope="module")
def figures(answer) -> dict:
    return simulation_figures(answer)


@pytest.fixture(scope="module")
def html(answer, figures) -> str:
    return report_html(
        figures,
        title="lstm <T = 40> & friends",
        config=answer["config"],
        warnings=["a <script>alert(1)</script> warning", *answer["warnings"]],
    )


def test_plotly_js_inlined_once_and_a_plot_per_figure(html, figures):
    assert html.count(PLOTLY_BANNER) == 1
    assert html.count("Plotly.newPlot(") == len(figures) == 6
    assert all(f'id="plot-{name}"' in html for name in figures)


def test_nothing_is_fetched_from_another_host(html):
    # the inlined bundle holds URLs as strings (map tiles, attributions) that a cartesian plot never uses;
    # the browser test below counts real requests
    skeleton = re.sub(r"(?s)(<script[^>]*>).*?</script>", r"\1</script>", html)
    assert not re.search(r"(src|href)\s*=", skeleton)
    assert all("src" not in tag for tag in re.findall(r"<script[^>]*>", html))
    assert "cdn.plot.ly" not in skeleton and "mathjax" not in skeleton.lower()
    assert "default-src 'none'" in html  # the CSP: no request of any kind may leave the page


def test_config_as_a_table_and_warnings_as_a_list_escaped(html, answer):
    assert "<title>lstm &lt;T = 40&gt; &amp; friends</title>" in html
    assert '<tr><th scope="row">cell</th><td>lstm</td></tr>' in html
    assert '<tr><th scope="row">forget_bias</th><td>1.0</td></tr>' in html
    assert '<tr><th scope="row">fields</th><td>null</td></tr>' in html
    assert "<li>a &lt;script&gt;alert(1)&lt;/script&gt; warning</li>" in html
    assert "<script>alert(1)" not in html


def test_heatmaps_go_in_as_float32_and_the_figures_stay_float64(html, figures):
    heatmaps = sum(t.type == "heatmap" for f in figures.values() for t in f.data)
    assert html.count('"dtype":"f4"') == heatmaps
    assert figures["unrolled"].data[0].z.dtype == "float64"


def test_long_values_are_cut_short():
    html = report_html({}, title="t", config={"inputs": [[0.5] * 4] * 100}, warnings=[])
    assert "… (" in html and "characters)" in html
    assert PLOTLY_BANNER not in html  # no figure, no Plotly.js
    assert '<p data-testid="warnings">None.</p>' in html


def test_write_report_returns_the_path(tmp_path, figures, answer):
    path = write_report(
        tmp_path / "run.html", {"norms": figures["norms"]}, title="run", config=answer["config"], warnings=[]
    )
    assert path == tmp_path / "run.html"
    assert path.read_text(encoding="utf-8").count(PLOTLY_BANNER) == 1


# Module scope: Playwright's sync API keeps an asyncio loop running in this thread while it is open (see
# tests/e2e/conftest.py).
@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        missing(f"{CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.mark.e2e
@pytest.mark.parametrize("csp", ["enforced", "bypassed"])
def test_the_report_renders_offline(browser, tmp_path: Path, figures, answer, csp: str):
    """Enforced: Plotly draws under the report's own policy (no eval, no network). Bypassed: that policy
    would block a request before the route saw it; without it every request the report tries reaches the
    route and is counted."""
    path = write_report(
        tmp_path / "report.html", figures, title="lstm report", config=answer["config"], warnings=answer["warnings"]
    )
    context = browser.new_context(viewport={"width": 1300, "height": 900}, bypass_csp=csp == "bypassed")
    refused: list[str] = []
    errors: list[str] = []

    def route(r) -> None:
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(path.as_uri())
        page.wait_for_selector(".js-plotly-plot .main-svg", state="attached")
        page.wait_for_load_state("load")
        assert page.locator(".js-plotly-plot").count() == len(figures)
        for name, fig in figures.items():
            title = page.get_by_test_id(f"figure-{name}").locator("text.gtitle")
            # Plotly sets <sub> apart with zero-width spaces
            assert title.text_content().replace("\u200b", "") == re.sub(r"<[^>]+>", "", fig.layout.title.text)
        norms = page.get_by_test_id("figure-norms")
        assert norms.locator("text.ytitle").text_content() == "norm (log scale)"
        assert norms.locator("g.trace.scatter").count() >= 2
        assert page.get_by_test_id("figure-unrolled").locator("image").count() >= 1  # heatmaps drew
        assert page.get_by_test_id("config").get_by_role("row").count() == len(answer["config"])
    finally:
        context.close()
    assert refused == [], f"the report asked other hosts: {refused}"
    assert errors == [], f"the report logged errors: {errors}"
