"""One theme for the page and the figures: each view's title, axis labels and colours come from theme.json, and
the page's headings and the Python figures say the same."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import gradflow
from gradflow import figures
from gradflow.figures import common
from gradflow.theme import theme, view

PAGE = Path(__file__).resolve().parents[2] / "frontend" / "index.html"
PAGE_HEADINGS = {
    "h-unrolled": "unrolled",
    "h-norms": "norms",
    "h-clipping": "clipping",
    "h-gates": "gates",
    "h-spectrum": "spectrum",
    "h-flow": "flow",
    "h-depth": "depth_flow",
    "h-sweep": "sweep",
}
LAB_HEADINGS = ("train_loss", "train_grad", "train_flow", "train_memory")


class Headings(HTMLParser):
    """The inner HTML of every h2 (by id) and h3 (in order)."""

    def __init__(self) -> None:
        super().__init__()
        self.h2: dict[str, str] = {}
        self.h3: list[str] = []
        self._open: tuple[str, str | None] | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        if tag in ("h2", "h3"):
            self._open, self._text = (tag, dict(attrs).get("id")), ""
        elif self._open:
            self._text += f"<{tag}>"

    def handle_endtag(self, tag):
        if self._open and tag == self._open[0]:
            kind, ident = self._open
            if kind == "h2":
                self.h2[ident] = self._text
            else:
                self.h3.append(self._text)
            self._open = None
        elif self._open:
            self._text += f"</{tag}>"

    def handle_data(self, data):
        if self._open:
            self._text += data


def page_headings() -> Headings:
    parser = Headings()
    parser.feed(PAGE.read_text(encoding="utf-8"))
    return parser


def test_every_page_view_heading_is_the_theme_title():
    headings = page_headings()
    for ident, name in PAGE_HEADINGS.items():
        numbered = re.sub(r"^\d+\. ", "", headings.h2[ident])
        assert numbered == view(name)["title"], ident
    assert headings.h3 == [view(name)["title"] for name in LAB_HEADINGS]


def test_every_python_figure_takes_its_title_from_the_theme():
    result = gradflow.simulate(cell="lstm", seq_len=8, hidden_size=3, num_layers=2)
    drawn = result.figures()
    for name, fig in drawn.items():
        assert fig.layout.title.text == view(name)["title"], name
    events = list(gradflow.train(cell="gru", steps=4, report_every=2, seq_len=6, hidden_size=4, batch_size=2))
    for name, fig in gradflow.training_figures(events).items():
        assert fig.layout.title.text == view(f"train_{name}")["title"], name


def test_the_figures_colours_and_palettes_are_the_theme():
    colours = theme()["colours"]
    assert colours["cells"] == common.CELL_COLOURS
    assert list(common.RUN_COLOURS) == colours["runs"] and colours["mark"] == common.MARK
    assert list(figures.PALETTES) == theme()["palettes"]
    norms = gradflow.simulate(cell="gru", seq_len=5, hidden_size=2).figures()["norms"]
    assert {trace.line.color for trace in norms.data if trace.name.endswith("(gru)")} == {colours["cells"]["gru"]}
