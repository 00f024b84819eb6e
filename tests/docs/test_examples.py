"""examples/ holds the files the documentation's examples read: exactly what examples/make_examples.py makes,
small, in the format the docs state, and each one used (by its examples/ path) somewhere in the docs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np

from .readme import REPO, name, pages

EXAMPLES = REPO / "examples"
SCRIPT = EXAMPLES / "make_examples.py"
MAX_BYTES = 8 * 1024
"""A few KB each: a newcomer's clone carries them."""


def data_files() -> list[Path]:
    return sorted(p for p in EXAMPLES.iterdir() if p.is_file() and p != SCRIPT and p.suffix != ".pyc")


def test_the_committed_files_are_what_the_script_makes(tmp_path: Path):
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(tmp_path)], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == [p.name for p in data_files()], "examples/ and what make_examples.py makes differ in files"
    for committed in data_files():
        assert (tmp_path / committed.name).read_bytes() == committed.read_bytes(), (
            f"{name(committed)} is not what make_examples.py makes: run .venv/bin/python examples/make_examples.py"
        )


def test_the_files_are_small():
    big = {p.name: p.stat().st_size for p in data_files() if p.stat().st_size > MAX_BYTES}
    assert not big, f"example files over {MAX_BYTES} bytes: {big}"


def test_inputs_csv_has_the_format_the_docs_state():
    """No header row, numbers separated by commas, one time step per row: 100 rows of 4 numbers."""
    text = (EXAMPLES / "inputs.csv").read_text()
    first = text.splitlines()[0]
    assert all(re.fullmatch(r"-?\d+\.\d+", cell) for cell in first.split(",")), f"a header row? {first!r}"
    assert np.loadtxt(EXAMPLES / "inputs.csv", delimiter=",", ndmin=2).shape == (100, 4)


def test_my_lstm_has_pytorch_names_and_shapes():
    """A 2-layer lstm with 4 inputs and 8 hidden units, as the docs say."""
    with np.load(EXAMPLES / "my-lstm.npz", allow_pickle=False) as archive:
        shapes = {key: archive[key].shape for key in archive.files}
    expected = {"weight_ih_l0": (32, 4), "weight_hh_l0": (32, 8), "weight_ih_l1": (32, 8), "weight_hh_l1": (32, 8)}
    expected |= {f"bias_{kind}_l{layer}": (32,) for kind in ("ih", "hh") for layer in (0, 1)}
    assert shapes == expected


def test_every_example_file_is_used_by_the_docs():
    text = "\n".join(page.read_text() for page in pages())
    unused = [name(p) for p in [*data_files(), SCRIPT] if name(p) not in text]
    assert not unused, f"no page names {unused}"


def test_every_examples_path_the_docs_name_exists():
    named = {m for page in pages() for m in re.findall(r"\bexamples/[\w.-]+", page.read_text())}
    assert named, "the docs name no file of examples/"
    missing = sorted(p for p in named if not (REPO / p).exists())
    assert not missing, f"the docs name files examples/ lacks: {missing}"
