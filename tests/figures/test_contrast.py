"""The figures' words are readable, as the page's (tests/js/charts/contrast.test.mjs): every note past float64
meets WCAG AA's 4.5:1 for normal text against what is behind it, from theme.json's colours, and the float64
limit's label keeps away from the triangles past it."""

from __future__ import annotations

from gradflow.figures.clipping import clipping_figure
from gradflow.figures.common import BACKGROUND
from gradflow.figures.norms import norms_figure
from gradflow.figures.unrolled import unrolled_figure
from gradflow.theme import theme


def luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of #rrggbb."""

    def channel(k: int) -> float:
        c = int(hex_colour[1 + 2 * k : 3 + 2 * k], 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2)


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio, 1 to 21."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_is_wcags():
    assert contrast("#000000", "#ffffff") == 21
    assert round(contrast(theme()["colours"]["mark"], "#ffffff"), 2) == 3.87  # the vermillion itself: under 4.5


def test_every_note_past_float64_reads_at_wcag_aa(exploding):
    checked = 0
    for fig in (clipping_figure(exploding), norms_figure(exploding), unrolled_figure(exploding)):
        for note in fig.layout.annotations:
            if "float64" not in note.text:
                continue
            assert note.bgcolor == BACKGROUND, f"{note.text!r} sits over data without a box of its own"
            assert note.font.color == theme()["colours"]["mark_text"]
            assert contrast(note.font.color, note.bgcolor) >= 4.5, note.text
            checked += 1
    assert checked == 5 + 1 + 1  # five bars past float64, the limit's label, the chain's outline note


def test_the_float64_limit_label_keeps_away_from_the_triangles(exploding):
    # exploding back in time: the steps past float64 are the first ones, on the left, so the label goes right
    label = next(a for a in norms_figure(exploding).layout.annotations if a.text.startswith("float64 limit"))
    assert (label.x, label.xanchor, label.yanchor) == (0.99, "right", "top")
