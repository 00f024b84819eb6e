"""The wheel alone: built from this tree, installed into a fresh virtual environment with the serve lock,
it runs `gradflow simulate` and `gradflow serve` with the page and Plotly.js inside it."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
UV = Path(sys.executable).parent / "uv"


def _run(*args, **kw) -> subprocess.CompletedProcess:
    # without PYTHONPATH: a caller's backend/ on it would be imported instead of the installed wheel
    env = {
        **{k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
        "UV_NATIVE_TLS": "1",
        "OPENBLAS_NUM_THREADS": "1",
    }
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=600, env=env, **kw)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """bin/ of a fresh venv holding the wheel and the pinned serve dependencies, nothing from this checkout."""
    if not UV.exists():
        pytest.fail(f"{UV} is missing: make test installs uv into the venv")
    root = tmp_path_factory.mktemp("wheel")
    built = _run(UV, "build", "--wheel", "--out-dir", root / "dist", REPO, cwd=root)
    assert built.returncode == 0, built.stderr
    [wheel] = (root / "dist").glob("gradflow-*.whl")
    venv = root / "venv"
    for step in (
        [UV, "venv", "--python", sys.executable, venv],
        [
            UV,
            "pip",
            "install",
            "--python",
            venv / "bin/python",
            "--require-hashes",
            "-r",
            REPO / "requirements/serve.txt",
        ],
        [UV, "pip", "install", "--python", venv / "bin/python", "--no-deps", wheel],
    ):
        done = _run(*step, cwd=root)
        assert done.returncode == 0, done.stderr
    return venv / "bin"


def test_the_wheel_carries_the_page_and_runs_a_simulation(installed: Path, tmp_path: Path):
    out = _run(
        installed / "gradflow",
        "simulate",
        "--cell",
        "lstm",
        "--seq_len",
        "80",
        "--json",
        tmp_path / "a.json",
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    assert "memory horizon" in out.stdout and (tmp_path / "a.json").stat().st_size > 1000
    where = _run(
        installed / "python",
        "-c",
        "import gradflow, pathlib; print(pathlib.Path(gradflow.__file__).parent)",
        cwd=tmp_path,
    ).stdout.strip()
    assert not where.startswith(str(REPO)), "the test must run the installed copy, not this checkout"
    assert (Path(where) / "page/index.html").is_file() and (Path(where) / "py.typed").is_file()
    # Every page module in every folder of frontend/js/ and of its bundle, frontend/dist/ (what index.html
    # loads): a folder the package data misses breaks the page
    modules = [p.relative_to(REPO / "frontend") for p in (REPO / "frontend/js").rglob("*.js")]
    modules += [p.relative_to(REPO / "frontend") for p in (REPO / "frontend/dist").rglob("*") if p.is_file()]
    missing = [str(p) for p in modules if not (Path(where) / "page" / p).is_file()]
    assert modules and not missing, f"the wheel lacks {missing}"


def test_gradflow_serve_from_the_wheel(installed: Path, tmp_path: Path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [installed / "gradflow", "serve", "--port", str(port), "--workers", "1"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                health = _get(f"{base}/api/health", timeout=2)
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "gradflow serve did not come up"
                time.sleep(0.2)
        assert b'"ok"' in health
        page = _get(f"{base}/").decode()
        assert "Gradient Flow Lab" in page
        bundle = re.findall(r'<script type="module" src="(dist/[^"]+)">', page)
        chunks = re.findall(r'<link rel="modulepreload" href="(dist/[^"]+)">', page)
        assert len(bundle) == 1 and chunks, "index.html runs the bundle and preloads its chunks"
        for path in [*bundle, *chunks]:
            assert _get(f"{base}/{path}") == (REPO / "frontend" / path).read_bytes(), path
        plotly = _get(f"{base}/vendor/plotly.min.js")
        assert len(plotly) > 1_000_000
    finally:
        server.terminate()
        server.wait(timeout=30)


def _get(url: str, timeout: float = 5) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()
