"""The page on a phone (390 x 844, touch) in headless Chromium against the real app: the charts come first and the
settings open with one tap; every chart of several panels stacks them one per row, so no two titles' boxes
overlap and no text runs out of its chart. Screenshots go to /tmp/gradflow-phone-*.png for a person to look at."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
VIEWS = ["plot-unrolled", "plot-norms", "plot-clipping", "plot-gates", "plot-spectrum", "plot-flow"]

# Every text of a chart's SVG that shows (a box of some size): what it says (textContent: SVG has no innerText),
# whether it is a title (a panel title or note, an axis title, a colour bar's title), its box, and the chart's box.
TEXTS = """el => {
  const chart = el.getBoundingClientRect();
  const titleOf = (t) => t.matches('.annotation-text, .cbtitle')
    || [...t.closest('svg').querySelectorAll('.infolayer > g')].some((g) => /^g-[xy]\\d*title$/.test(g.getAttribute('class')) && g.contains(t));
  // a touch screen shows the mode bar all the time: a title under it cannot be read either
  const bar = el.querySelector('.modebar');
  const modebar = bar && bar.getBoundingClientRect();
  return {
    chart: { left: chart.left, right: chart.right, top: chart.top, bottom: chart.bottom },
    modebar: modebar && modebar.width > 0 ? { left: modebar.left, right: modebar.right, top: modebar.top, bottom: modebar.bottom } : null,
    texts: [...el.querySelectorAll('svg text')]
      .filter((t) => t.textContent.trim() !== '')
      .map((t) => ({ text: t.textContent, title: titleOf(t), note: t.matches('.annotation-text'), box: t.getBoundingClientRect() }))
      .filter(({ box }) => box.width > 0 && box.height > 0)
      .map(({ text, title, note, box }) => ({ text, title, note, left: box.left, right: box.right, top: box.top, bottom: box.bottom })),
  };
}"""


def overlap(a: dict, b: dict, slack: float = 1.0) -> bool:
    return (
        a["left"] + slack < b["right"]
        and b["left"] + slack < a["right"]
        and a["top"] + slack < b["bottom"]
        and b["top"] + slack < a["bottom"]
    )


@pytest.fixture
def phone(browser, base_url) -> Iterator[object]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.base_url = base_url
    yield page
    context.close()
    assert errors == [], errors


def open_drawn(page, query: str, at_least: int = 1) -> None:
    page.goto(page.base_url + query)
    deadline = time.monotonic() + 30
    while int(page.locator("body").get_attribute("data-draws") or 0) < at_least:
        assert time.monotonic() < deadline, "the views were not drawn within 30 s"
        page.wait_for_timeout(25)
    page.wait_for_selector("main[aria-busy='false']", state="attached")


def check_chart(page, testid: str, shot: str) -> None:
    """No two titles of the chart overlap, and every text of it lies inside it."""
    plot = page.get_by_test_id(testid)
    plot.scroll_into_view_if_needed()
    measured = plot.evaluate(TEXTS)
    chart, texts = measured["chart"], measured["texts"]
    assert texts, f"{testid} shows no text"
    outside = [
        t["text"]
        for t in texts
        if t["left"] < chart["left"] - 1
        or t["right"] > chart["right"] + 1
        or t["top"] < chart["top"] - 1
        or t["bottom"] > chart["bottom"] + 1
    ]
    assert outside == [], f"{testid}: text cut off at the chart's edge: {outside}"
    titles = [t for t in texts if t["title"]]
    clashes = [(a["text"], b["text"]) for k, a in enumerate(titles) for b in titles[k + 1 :] if overlap(a, b)]
    if measured["modebar"]:
        clashes += [(t["text"], "the mode bar") for t in titles if overlap(t, measured["modebar"])]
    assert clashes == [], f"{testid}: titles overlap: {clashes}"
    plot.screenshot(path=f"/tmp/gradflow-phone-{shot}-{testid.removeprefix('plot-')}.png")


def test_on_a_phone_the_charts_come_first_and_the_settings_open_with_one_tap(phone):
    open_drawn(phone, "?cell=lstm&seq_len=30")
    phone.screenshot(path="/tmp/gradflow-phone-first-screen.png")
    first = phone.get_by_test_id("plot-unrolled").bounding_box()
    assert first["y"] + 250 <= PHONE["height"], (
        f"the first chart starts at {first['y']:.0f} px: not in the first screen"
    )
    cell = phone.get_by_test_id("control-cell")
    assert not cell.is_visible(), "the settings are shown before the charts"
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]

    toggle = phone.get_by_test_id("settings-toggle")
    toggle.tap()
    cell.wait_for(state="visible")
    phone.wait_for_timeout(300)  # the sheet slides in
    box = cell.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], "the first control is in the window"
    assert toggle.get_attribute("aria-expanded") == "true"
    phone.screenshot(path="/tmp/gradflow-phone-settings-open.png")

    # a change in the drawer draws the charts above it at once
    drawn = int(phone.locator("body").get_attribute("data-draws"))
    cell.select_option("gru")
    open_drawn_more = drawn + 1
    deadline = time.monotonic() + 30
    while int(phone.locator("body").get_attribute("data-draws")) < open_drawn_more:
        assert time.monotonic() < deadline
        phone.wait_for_timeout(25)
    phone.get_by_test_id("settings-close").tap()
    cell.wait_for(state="hidden")
    assert toggle.get_attribute("aria-expanded") == "false"


@pytest.mark.parametrize(
    ("shot", "query"),
    [
        ("lstm", "?cell=lstm&seq_len=30"),
        ("compare", "?compare=true&seq_len=30&hidden_size=8"),
        ("exploding", "?cell=rnn&activation=linear&init=orthogonal&recurrent_scale=2.5&seq_len=800"),
    ],
)
def test_on_a_phone_no_titles_overlap_and_no_text_is_cut_off(phone, shot, query):
    open_drawn(phone, query)
    for view in VIEWS:
        check_chart(phone, view, shot)
    # one panel per row: the stacked charts' panel titles each stand at the chart's left edge, one above another
    for view in ("plot-unrolled", "plot-gates"):
        texts = phone.get_by_test_id(view).evaluate(TEXTS)["texts"]
        lefts = {
            round(t["left"]) for t in texts if t["note"] and "float64" not in t["text"] and "no gates" not in t["text"]
        }
        assert len(lefts) <= 1, f"{view}: panel titles side by side, not one per row ({lefts})"


def test_on_a_phone_the_training_lab_stacks_its_runs(phone):
    open_drawn(phone, "?train_cell=rnn&train_seq_len=10&train_steps=20&train_report_every=5&train_vary=clip_mode")
    phone.get_by_test_id("train-start").tap()
    lab = phone.get_by_role("region", name="Training lab")
    deadline = time.monotonic() + 60
    while lab.get_attribute("data-state") != "done":
        assert time.monotonic() < deadline, "the runs did not finish"
        phone.wait_for_timeout(50)
    for view in ("plot-train-loss", "plot-train-grad", "plot-train-flow", "plot-train-memory"):
        check_chart(phone, view, "train")
