"""The page's views as plotly Figures, for notebooks, scripts and the offline report.

    from gradflow.core.config import SimConfig
    from gradflow.core.simulate import simulate
    from gradflow.figures import simulation_figures, training_figures

    figs = simulation_figures(simulate(SimConfig(cell="lstm", seq_len=200)))
    figs["norms"].show()

Each figure mirrors one chart of the page (frontend/js/charts/): the same titles, axis labels, colour scales
(Viridis, or Cividis with palette="Cividis") and 'beyond float64' markers. Gradient norms are drawn from
their exact log10 figures on axes ticked at powers of ten, so a y value of a norm trace is log10 of the
norm: that is what places a norm of 1e412, which has no float64, where it belongs.

Importing this package imports plotly; gradflow.core never does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import plotly.graph_objects as go

from .clipping import clipping_figure
from .common import PALETTES, PLOT_CONFIG, check_palette
from .depth_flow import depth_flow_figure
from .flow import flow_figure
from .gates import gates_figure
from .norms import norms_figure
from .spectrum import spectrum_figure
from .sweep import sweep_figures
from .train_flow import train_flow_figure
from .train_grad import train_grad_figure
from .train_loss import train_loss_figure
from .train_memory import train_memory_figure
from .train_runs import runs_of
from .unrolled import unrolled_figure

SIMULATION_VIEWS = ("unrolled", "norms", "clipping", "gates", "spectrum", "flow", "depth_flow")
TRAINING_VIEWS = ("loss", "grad", "flow", "memory")


def simulation_figures(answer: dict, *, palette: str = "Viridis") -> dict[str, go.Figure]:
    """The six views of one simulation, keyed "unrolled", "norms", "clipping", "gates", "spectrum",
    "flow", plus "depth_flow" for a stack (num_layers > 1), in that order.

    `answer` is what gradflow.core.simulate.simulate returns (docs/core-output.md: numpy arrays, NaN for
    null) or the API's JSON answer (lists, None for null). A view whose data the answer lacks is left out:
    gates for an rnn, flow with flow_steps 0, depth_flow for one layer, any field filtered out by `fields`.
    """
    check_palette(palette)
    built = {
        "unrolled": unrolled_figure(answer, palette),
        "norms": norms_figure(answer),
        "clipping": clipping_figure(answer),
        "gates": gates_figure(answer, palette),
        "spectrum": spectrum_figure(answer),
        "flow": flow_figure(answer, palette),
        "depth_flow": depth_flow_figure(answer, palette),
    }
    return {name: fig for name, fig in built.items() if fig is not None}


def training_figures(
    runs: Iterable[dict] | Mapping[str, Iterable[dict]], *, palette: str = "Viridis", yscale: str = "log"
) -> dict[str, go.Figure]:
    """The training lab's four charts, keyed "loss", "grad", "flow", "memory".

    `runs` is one run's events (what gradflow.train(**fields) or gradflow.training.train(cfg) yields, or
    POST /api/train's NDJSON lines: progress events then the summary; for the API's stream=false answer
    pass events + [summary]) or a mapping label -> events to draw several runs together (labels that are
    cell names take the cell's colour). `yscale` ("log" or "linear") is the loss axis; the gradient-norm
    axis is always log10.
    """
    check_palette(palette)
    parsed = runs_of(runs)
    return {
        "loss": train_loss_figure(parsed, yscale),
        "grad": train_grad_figure(parsed),
        "flow": train_flow_figure(parsed, palette),
        "memory": train_memory_figure(parsed),
    }


__all__ = [
    "PALETTES",
    "PLOT_CONFIG",
    "SIMULATION_VIEWS",
    "TRAINING_VIEWS",
    "simulation_figures",
    "sweep_figures",
    "training_figures",
]
