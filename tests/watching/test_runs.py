"""Run directories: written line by line, read as they grow, a half-written line skipped, names kept inside."""

from __future__ import annotations

import os

import pytest
from gradflow.watching.runs import (
    SNAPSHOTS,
    RunNotFound,
    follow,
    list_runs,
    read_lines,
    read_run,
    resolve,
    unique_name,
)

from .runs_support import META, write_run


def test_a_run_reads_back_as_written(tmp_path):
    run = read_run(write_run(tmp_path))
    assert run["name"] == "exp1" and run["meta"]["cell"] == META["cell"]
    assert [s["step"] for s in run["snapshots"]] == [0, 10, 20]
    assert len(run["scalars"]) == 21 and run["scalars"][3]["loss"] == pytest.approx(0.25)


def test_a_half_written_last_line_is_left_for_the_next_read(tmp_path):
    path = tmp_path / "x.ndjson"
    path.write_bytes(b'{"a": 1}\n{"b": 2}\n{"c": ')
    lines, offset = read_lines(path)
    assert lines == [{"a": 1}, {"b": 2}] and offset == len(b'{"a": 1}\n{"b": 2}\n')
    with path.open("ab") as f:
        f.write(b'3}\n{"d": 4}\n')
    more, _ = read_lines(path, offset)
    assert more == [{"c": 3}, {"d": 4}]


def test_a_line_cut_by_a_crash_is_skipped_and_the_rest_read(tmp_path):
    path = tmp_path / "x.ndjson"
    path.write_bytes(b'{"a": 1}\n{"cut\n{"b": 2}\n')
    assert read_lines(path)[0] == [{"a": 1}, {"b": 2}]


def test_runs_are_listed_with_their_sizes_and_progress(tmp_path):
    write_run(tmp_path, "old", steps=(0,))
    write_run(tmp_path, "new", steps=(0, 10))
    os.utime(tmp_path / "old" / SNAPSHOTS, (1, 1))
    (tmp_path / "not-a-run").mkdir()
    listed = list_runs(tmp_path)
    assert [r["name"] for r in listed] == ["new", "old"]
    assert listed[0] | {"modified": None, "started": None} == {
        "name": "new",
        "cell": "lstm",
        "input_size": 3,
        "hidden_size": 4,
        "num_layers": 2,
        "dtype": "float64",
        "started": None,
        "snapshots": 2,
        "last_step": 10,
        "modified": None,
    }
    assert list_runs(tmp_path / "missing") == []


@pytest.mark.parametrize("name", ["..", "../exp1", "/etc", "exp1/../exp1", "", ".hidden", "a" * 200])
def test_a_name_that_would_leave_the_runs_directory_is_not_found(tmp_path, name):
    write_run(tmp_path / "runs")
    with pytest.raises(RunNotFound):
        resolve(tmp_path / "runs", name)


def test_a_symlink_out_of_the_runs_directory_is_not_found(tmp_path):
    outside = write_run(tmp_path / "elsewhere")
    (tmp_path / "runs").mkdir()
    (tmp_path / "runs" / "link").symlink_to(outside)
    with pytest.raises(RunNotFound):
        resolve(tmp_path / "runs", "link")
    assert resolve(tmp_path / "elsewhere", "exp1") == outside.resolve()


def test_follow_yields_the_meta_then_lines_as_they_are_written(tmp_path):
    directory = write_run(tmp_path, steps=(0,))
    lines = follow(directory, poll_s=0.0)
    assert next(lines)["type"] == "meta"
    seen = []
    while (line := next(lines)) is not None:
        seen.append(line["type"])
    assert seen.count("snapshot") == 1 and seen.count("scalars") == 1
    with (directory / SNAPSHOTS).open("ab") as f:
        f.write(b'{"type": "snapshot", "step": 99}\n')
    assert next(lines) == {"type": "snapshot", "step": 99}


def test_names_are_checked_or_made_unique(tmp_path):
    assert unique_name(tmp_path, "exp-1.a_b", "lstm") == "exp-1.a_b"
    with pytest.raises(ValueError, match="name = 'a/b'"):
        unique_name(tmp_path, "a/b", "lstm")
    first = unique_name(tmp_path, None, "gru")
    (tmp_path / first).mkdir()
    assert first.startswith("gru-") and unique_name(tmp_path, None, "gru") != first
