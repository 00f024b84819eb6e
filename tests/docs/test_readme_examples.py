"""The README's examples, run as a reader would run them, so they cannot rot.

Run, in document order and in one working folder:
- every ```sh block whose first command is `curl` or `gradflow` (the REST API, the command line, your own
  network), under bash -e, with curl failing on any HTTP error (a .curlrc with --fail-with-body);
- every ```python block of the sections "The REST API", "Python and notebooks" (but the notebook example,
  which test_readme_notebook.py runs in a kernel) and "Your own network", in a fresh interpreter (this
  venv's, which has httpx, numpy and gradflow).
A block right after `<!-- not run -->` is skipped (servers, docker, torch, Keras). The address
http://127.0.0.1:8000 becomes the app this test starts. A `# output: TEXT` line must appear in what the block
prints. The files the examples read (`my-lstm.npz`: the README's 2-layer lstm, 8 inputs, 64 hidden units;
`inputs.csv`: 100 steps of 4 inputs) are made first, so each example also runs on its own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from .readme import README_PORT_URL, Block, blocks

PYTHON_SECTIONS = ("The REST API", "Python and notebooks", "Your own network")
SHELL_COMMANDS = ("curl", "gradflow")
TIMEOUT_S = 300
BIN = Path(sys.executable).parent


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def runs(block: Block) -> bool:
    """Whether this test runs `block` (see the module's docstring)."""
    if block.marker in ("not run", "notebook"):
        return False
    if block.lang == "sh":
        return block.first_command.split(" ", 1)[0] in SHELL_COMMANDS
    return block.lang == "python" and block.section in PYTHON_SECTIONS


EXAMPLES = [block for block in blocks() if runs(block)]


def test_the_readme_has_examples_to_run():
    kinds = {(b.lang, b.section) for b in EXAMPLES}
    for section in PYTHON_SECTIONS:
        assert ("python", section) in kinds, f"no runnable python example in '{section}'"
    assert any(b.first_command.startswith("curl") for b in EXAMPLES)
    assert any(b.first_command.startswith("gradflow") for b in EXAMPLES)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """The folder every example runs in, holding the files the README's examples read."""
    import gradflow

    root = tmp_path_factory.mktemp("readme")
    seeded = gradflow.simulate(
        cell="lstm", input_size=8, hidden_size=64, num_layers=2, return_params=True, fields=["params"]
    )
    np.savez(root / "my-lstm.npz", **{k: v for k, v in seeded.params.items() if k != "readout"})
    np.savetxt(root / "inputs.csv", np.sin(np.arange(100)[:, None] / 10 + np.arange(4)), delimiter=",")
    curl_home = root / ".curl"
    curl_home.mkdir()
    # Exit 22 with the body shown on any HTTP error, so a 422 fails the example; no progress meter.
    (curl_home / ".curlrc").write_text("fail-with-body\nsilent\nshow-error\n")
    return root


def _env(workdir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "CURL_HOME": str(workdir / ".curl"),
        "OPENBLAS_NUM_THREADS": "1",
        "COLUMNS": "100",
    }


@pytest.mark.parametrize("block", EXAMPLES, ids=[b.label for b in EXAMPLES])
def test_readme_example_runs(block: Block, app_url: str, workdir: Path):
    code = block.text.replace(README_PORT_URL, app_url)
    if block.lang == "sh":
        if block.first_command.startswith("curl") and shutil.which("curl") is None:
            if _in_ci():
                pytest.fail("curl is missing: the README's curl examples must run in CI")
            pytest.skip("curl is missing")
        command = ["bash", "-e", "-o", "pipefail", "-c", code]
    else:
        command = [sys.executable, "-c", code]
    done = subprocess.run(command, cwd=workdir, env=_env(workdir), capture_output=True, text=True, timeout=TIMEOUT_S)
    shown = f"\n--- stdout\n{done.stdout[-3000:]}\n--- stderr\n{done.stderr[-3000:]}"
    assert done.returncode == 0, f"{block.label} exited {done.returncode}{shown}"
    for expected in block.expected_outputs:
        assert expected in done.stdout, f"{block.label}: '{expected}' not in its output{shown}"
