"""The notebook example of docs/library.md ("A notebook"), run as a notebook in a real Jupyter kernel.

The one block of the documentation right after `<!-- notebook -->` becomes a notebook (each `# %%` line starts a cell), executed by
nbclient in the venv's "python3" kernel (ipykernel) in a fresh folder. It must run without an error, draw at
least one plotly figure (plotly's notebook renderer sends `application/vnd.plotly.v1+json`), print what its
comments say it prints and write the files it says it writes.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from .readme import DOCS, blocks, name, pages

PLOTLY_MIME = "application/vnd.plotly.v1+json"
TIMEOUT_S = 120


def notebook_source() -> str:
    marked = [b for page in pages() for b in blocks(page) if b.marker == "notebook"]
    assert len(marked) == 1, f"expected one block after <!-- notebook -->, found {[b.label for b in marked]}"
    [block] = marked
    assert block.lang == "python" and block.page == name(DOCS / "library.md"), block.label
    assert block.section == "A notebook", block.label
    return block.text


def cells(source: str) -> list[str]:
    """The source split at `# %%` lines, each part one cell (empty parts dropped)."""
    parts, current = [], []
    for line in source.splitlines():
        if line.strip().startswith("# %%"):
            parts.append("\n".join(current).strip())
            current = []
        else:
            current.append(line)
    parts.append("\n".join(current).strip())
    return [p for p in parts if p]


def test_cells_split_at_percent_markers():
    assert cells("# %%\na = 1\n\n# %%\nb = 2\na + b\n") == ["a = 1", "b = 2\na + b"]


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> tuple[nbformat.NotebookNode, Path]:
    folder = tmp_path_factory.mktemp("notebook")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(cell) for cell in cells(notebook_source())]
    assert len(nb.cells) >= 2, "the notebook example should have several cells (# %%)"
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # the kernel inherits it
    client = NotebookClient(nb, timeout=TIMEOUT_S, kernel_name="python3", resources={"metadata": {"path": str(folder)}})
    client.execute()  # raises CellExecutionError, with the cell and its traceback, on any error
    return nb, folder


def _outputs(nb: nbformat.NotebookNode) -> list[dict]:
    return [out for cell in nb.cells for out in cell.get("outputs", [])]


def test_no_cell_fails(executed):
    nb, _ = executed
    errors = [out for out in _outputs(nb) if out.get("output_type") == "error"]
    assert not errors, errors


def test_it_draws_a_plotly_figure(executed):
    nb, _ = executed
    drawn = [out for out in _outputs(nb) if PLOTLY_MIME in out.get("data", {})]
    assert drawn, f"no output carries {PLOTLY_MIME}"


def test_it_prints_what_its_comments_say(executed):
    nb, _ = executed
    printed = "".join(out.get("text", "") for out in _outputs(nb) if out.get("output_type") == "stream")
    assert "seq_len = 5000: Input should be less than or equal to 1000" in printed
    assert "476.644" in printed
    assert "solved at step" in printed
    shown = "".join(str(out.get("data", {}).get("text/html", "")) for out in _outputs(nb))
    assert "memory horizon" in shown  # the result's summary table


def test_it_writes_the_files_it_names(executed):
    _, folder = executed
    report = folder / "lstm-report.html"
    assert report.stat().st_size > 100_000  # Plotly.js is inlined
    assert (folder / "lstm-norms.csv").read_text().splitlines()[0].startswith("t,grad_h_norm")
