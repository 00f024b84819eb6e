"""`gradflow runs DIR` and `gradflow report RUN --html FILE`."""

from __future__ import annotations

import subprocess
import sys

from tests.watching.runs_support import write_run


def gradflow_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gradflow", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={"OPENBLAS_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"},
    )


def test_runs_prints_one_line_per_run(tmp_path):
    write_run(tmp_path, "exp1")
    write_run(tmp_path, "exp2", steps=(0,))
    out = gradflow_cli("runs", str(tmp_path))
    assert out.returncode == 0, out.stderr
    header, *rows = out.stdout.splitlines()
    assert header.split()[:3] == ["run", "cell", "I"]
    assert sorted(row.split()[0] for row in rows) == ["exp1", "exp2"]
    (exp1,) = [row.split() for row in rows if row.startswith("exp1")]
    assert exp1[1:8] == ["lstm", "3", "4", "2", "float64", "3", "20"]


def test_runs_of_an_empty_or_missing_folder(tmp_path):
    assert "no runs in" in gradflow_cli("runs", str(tmp_path)).stdout
    missing = gradflow_cli("runs", str(tmp_path / "nope"))
    assert missing.returncode == 1 and "no such folder" in missing.stderr


def test_report_writes_the_offline_html(tmp_path):
    run = write_run(tmp_path, "exp1")
    out = gradflow_cli("report", str(run), "--html", str(tmp_path / "exp1.html"))
    assert out.returncode == 0, out.stderr
    assert "wrote" in out.stdout and "exp1: LSTM" in (tmp_path / "exp1.html").read_text()
    bad = gradflow_cli("report", str(tmp_path), "--html", str(tmp_path / "x.html"))
    assert bad.returncode == 1 and "not a run directory" in bad.stderr
