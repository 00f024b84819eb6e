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
    lab = [view(name)["title"] for name in LAB_HEADINGS]
    assert headings.h3[: len(lab)] == lab
    # the Runs section draws the same views for a watched run, under the same titles, and the depth view
    assert headings.h3[len(lab) :] == [*lab, view("depth_flow")["title"]]


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


def _titles(fig) -> set[str]:
    """Every axis title and colour-bar title a figure shows (empty ones left out)."""
    layout = fig.layout.to_plotly_json()
    axes = [v for k, v in layout.items() if k.startswith(("xaxis", "yaxis"))]
    bars = [v.get("colorbar", {}) for k, v in layout.items() if k.startswith("coloraxis")]
    bars += [t.colorbar.to_plotly_json() for t in fig.data if "colorbar" in t and t.colorbar.title.text]
    return {t for t in (a.get("title", {}).get("text") for a in axes + bars) if t}


def test_every_python_figure_labels_its_axes_and_colour_bars_from_the_theme():
    result = gradflow.simulate(cell="lstm", seq_len=8, hidden_size=3, num_layers=2, clip_mode="norm")
    events = list(gradflow.train(cell="gru", steps=4, report_every=2, seq_len=6, hidden_size=4, batch_size=2))
    drawn = {**result.figures(), **{f"train_{k}": f for k, f in gradflow.training_figures(events).items()}}
    for name, fig in drawn.items():
        labels = {v for k, v in view(name).items() if k != "title"}
        assert _titles(fig) and _titles(fig) <= labels, (name, _titles(fig) - labels)


def test_the_figures_other_colours_are_the_theme():
    colours = theme()["colours"]
    answer = gradflow.simulate(cell="lstm", seq_len=5, hidden_size=2, clip_mode="norm").figures()
    norms = {trace.name: trace.line.color for trace in answer["norms"].data if trace.mode == "lines"}
    assert norms["|dL/dc_t| (cell path)"] == colours["cell_path"]
    bars = {trace.name: trace.marker.color for trace in answer["clipping"].data}
    assert bars == {"before clipping": colours["clipping"]["before"], "after clipping": colours["clipping"]["after"]}
    assert answer["spectrum"].layout.xaxis.zerolinecolor == colours["zero_line"]
    assert answer["unrolled"].layout.plot_bgcolor == colours["background"]
