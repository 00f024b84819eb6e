"""Running the `gradflow` command as a user does: a fresh process, a bare environment."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[2] / "backend"
"""This checkout's package: the command under test is the code next to these tests, not whichever copy the
interpreter has installed."""


def gradflow_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gradflow", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={"OPENBLAS_NUM_THREADS": "1", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(BACKEND)},
    )
