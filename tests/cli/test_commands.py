"""The `gradflow` subcommands (cli/commands.py): what they print and write, and their exit codes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import gradflow
import pytest

from tests.cli.conftest import gradflow_cli


def test_simulate_prints_the_summary_and_writes_the_api_json_and_a_csv(tmp_path: Path):
    out = gradflow_cli(
        "simulate",
        "--cell",
        "lstm",
        "--seq-len",
        "60",
        "--hidden_size",
        "8",
        "--json",
        str(tmp_path / "run.json"),
        "--csv",
        str(tmp_path / "run.csv"),
    )
    assert out.returncode == 0, out.stderr
    assert "memory horizon" in out.stdout and "global grad norm" in out.stdout and "loss" in out.stdout
    written = json.loads((tmp_path / "run.json").read_text())
    library = gradflow.simulate(cell="lstm", seq_len=60, hidden_size=8).to_dict()
    assert {k: v for k, v in written.items() if k != "elapsed_ms"} == {
        k: v for k, v in library.items() if k != "elapsed_ms"
    }
    rows = list(csv.DictReader((tmp_path / "run.csv").read_text().splitlines()))
    assert len(rows) == 60 and rows[0]["t"] == "1" and float(rows[-1]["grad_h_norm"]) == pytest.approx(1.0)
    assert set(rows[0]) == {"t", "grad_h_norm", "grad_h_log10_norm", "grad_c_norm", "grad_c_log10_norm"}


def test_the_exploding_preset_prints_its_warnings_and_a_norm_beyond_float64():
    out = gradflow_cli(
        "simulate", "--cell", "rnn", "--activation", "linear", "--recurrent_scale", "2.5", "--seq_len", "800"
    )
    assert out.returncode == 0, out.stderr
    assert "(beyond float64)" in out.stdout and "warning: grad_h_norm is beyond float64's range" in out.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--seq_len", "2000"), "seq_len = 2000: Input should be less than or equal to 1000"),
        (("--cell", "transformer"), "cell = 'transformer': Input should be 'rnn', 'lstm' or 'gru'"),
        (("--recurrent_scale", "0"), "recurrent_scale = 0: Input should be greater than 0"),
        (("--inputs", "/nonexistent.json"), "No such file"),
    ],
)
def test_bad_input_exits_2_naming_the_field_on_stderr(args, words):
    out = gradflow_cli("simulate", *args)
    expected = 1 if words == "No such file" else 2
    assert out.returncode == expected and words in out.stderr and out.stdout == ""


def test_an_unknown_option_is_argparse_s_exit_2():
    out = gradflow_cli("simulate", "--hiden_size", "3")
    assert out.returncode == 2 and "unrecognized arguments: --hiden_size" in out.stderr


def test_train_writes_the_events_as_ndjson_and_prints_the_outcome(tmp_path: Path):
    out = gradflow_cli(
        "train",
        "--cell",
        "gru",
        "--seq_len",
        "6",
        "--hidden_size",
        "4",
        "--steps",
        "9",
        "--report_every",
        "3",
        "--json",
        str(tmp_path / "events.ndjson"),
    )
    assert out.returncode == 0, out.stderr
    events = [json.loads(line) for line in (tmp_path / "events.ndjson").read_text().splitlines()]
    assert [e["type"] for e in events] == ["progress"] * 4 + ["summary"]
    assert "gradflow training: gru on adding" in out.stdout and "steps        9" in out.stdout
    bad = gradflow_cli("train", "--optimizer", "rmsprop")
    assert bad.returncode == 2 and "optimizer = 'rmsprop'" in bad.stderr


def test_explicit_inputs_from_a_csv_file(tmp_path: Path):
    (tmp_path / "x.csv").write_text("0.5,1\n-1,0\n0,2\n")
    out = gradflow_cli(
        "simulate",
        "--seq_len",
        "3",
        "--input_size",
        "2",
        "--inputs",
        str(tmp_path / "x.csv"),
        "--json",
        str(tmp_path / "r.json"),
        "--return_params",
        "true",
    )
    assert out.returncode == 0, out.stderr
    assert json.loads((tmp_path / "r.json").read_text())["inputs"] == [[0.5, 1.0], [-1.0, 0.0], [0.0, 2.0]]


def test_your_own_weights_from_a_file(tmp_path: Path):
    import numpy as np

    ref = gradflow.simulate(cell="gru", seq_len=15, hidden_size=4, input_size=2, return_params=True, num_layers=2)
    np.savez(tmp_path / "w.npz", **ref.params)
    out = gradflow_cli(
        "simulate",
        "--cell",
        "gru",
        "--seq_len",
        "15",
        "--hidden_size",
        "4",
        "--input_size",
        "2",
        "--num_layers",
        "2",
        "--weights",
        str(tmp_path / "w.npz"),
        "--json",
        str(tmp_path / "r.json"),
    )
    assert out.returncode == 0, out.stderr
    assert json.loads((tmp_path / "r.json").read_text())["loss"] == ref.to_dict()["loss"]
    bad = gradflow_cli("simulate", "--cell", "lstm", "--weights", str(tmp_path / "w.npz"))
    assert bad.returncode == 2 and "cell = 'lstm' disagrees with the weights file" in bad.stderr
    assert "a gru with hidden_size 4, input_size 2 and num_layers 2" in bad.stderr
    inferred = gradflow_cli(
        "simulate", "--seq_len", "15", "--weights", str(tmp_path / "w.npz"), "--json", str(tmp_path / "i.json")
    )
    assert inferred.returncode == 0, inferred.stderr
    assert json.loads((tmp_path / "i.json").read_text())["loss"] == ref.to_dict()["loss"]


def test_sweep_prints_the_grid_and_writes_the_api_summary(tmp_path: Path):
    out = gradflow_cli(
        "sweep",
        "--cell",
        "rnn",
        "--seq_len",
        "30",
        "--x",
        "recurrent_scale=0.5:2:4:log",
        "--y",
        "hidden_size=4,8",
        "--seeds",
        "2",
        "--json",
        str(tmp_path / "s.json"),
        "--csv",
        str(tmp_path / "s.csv"),
    )
    assert out.returncode == 0, out.stderr
    assert "16 simulations in this process" in out.stdout and "log10 |dL/dh_1|" in out.stdout
    written = json.loads((tmp_path / "s.json").read_text())
    library = gradflow.sweep(
        base={"cell": "rnn", "seq_len": 30},
        x={"field": "recurrent_scale", "start": 0.5, "stop": 2, "num": 4, "log": True},
        y={"field": "hidden_size", "values": [4, 8]},
        seeds=2,
    )
    assert written["grid"] == library.to_dict()["grid"]
    assert len((tmp_path / "s.csv").read_text().splitlines()) == 1 + 16
    for bad, words in (
        (("--x", "seq_len=1:2"), "write FIELD=START:STOP:NUM"),
        (("--x", "seq_len=10,5000"), "x.values[1]: seq_len = 5000"),
    ):
        refused = gradflow_cli("sweep", *bad)
        assert refused.returncode == 2 and words in refused.stderr


# In-process: the pieces of commands.py the runs above do not reach.


@pytest.mark.parametrize(
    ("text", "axis"),
    [
        (
            "recurrent_scale=0.5:2:16:log",
            {"field": "recurrent_scale", "start": 0.5, "stop": 2.0, "num": 16, "log": True},
        ),
        ("seq_len=10:100:4", {"field": "seq_len", "start": 10.0, "stop": 100.0, "num": 4, "log": False}),
        ("forget_bias=0,1,2.5", {"field": "forget_bias", "values": [0.0, 1.0, 2.5]}),
        ("hidden_size=8", {"field": "hidden_size", "values": [8.0]}),
    ],
)
def test_an_axis_is_written_as_a_range_or_values(text, axis):
    from gradflow.cli.commands import parse_axis

    assert parse_axis(text, "x") == axis


@pytest.mark.parametrize("text", ["seq_len=1:2", "seq_len=1:2:3:lin", "seq_len=a,b", "seq_len", "seq_len=1:2:3.5"])
def test_a_malformed_axis_names_the_option_and_the_two_forms(text):
    from gradflow.cli.commands import parse_axis

    with pytest.raises(gradflow.InvalidRequest) as caught:
        parse_axis(text, "y")
    assert str(caught.value) == f"y = {text!r}: write FIELD=START:STOP:NUM[:log] or FIELD=V1,V2,..."
    assert caught.value.errors[0]["loc"] == ["body", "y"]


def test_no_y_axis_is_none():
    from gradflow.cli.commands import parse_axis

    assert parse_axis(None, "y") is None


def test_an_unreadable_file_is_bad_input_naming_the_field(tmp_path: Path):
    from gradflow.cli.commands import read_matrix, read_weights_file

    (tmp_path / "x.csv").write_text("a,b\n")
    with pytest.raises(gradflow.InvalidRequest) as caught:
        read_matrix(tmp_path / "x.csv", "inputs")
    [error] = caught.value.errors
    assert error["type"] == "file" and error["loc"] == ["body", "inputs"]
    assert error["msg"].startswith("inputs: x.csv: not a readable .csv matrix")
    (tmp_path / "w.txt").write_bytes(b"\x80")
    with pytest.raises(gradflow.InvalidRequest) as caught:
        read_weights_file(tmp_path / "w.txt")
    [error] = caught.value.errors
    assert error["loc"] == ["body", "params"] and error["msg"].startswith("weights: w.txt: weights must be a .npz")


SUMMARY = {
    "config": {"cell": "gru", "task": "recall", "seq_len": 12, "hidden_size": 16},
    "final_loss": 0.125,
    "best_loss": 0.0625,
    "baseline_loss": 2.0794415416798357,
    "steps_done": 40,
    "elapsed_ms": 2500.0,
    "warnings": [],
    "solved": False,
    "solved_at": None,
    "diverged": False,
    "diverged_at": None,
}


@pytest.mark.parametrize(
    ("outcome", "words"),
    [
        ({}, "not solved"),
        ({"solved": True, "solved_at": 31}, "solved at step 31"),
        (
            {"diverged": True, "diverged_at": 7, "final_loss": None, "warnings": ["loss is not finite"]},
            "diverged at step 7",
        ),
    ],
)
def test_the_training_summary_says_how_the_run_ended(outcome, words):
    from gradflow.cli.commands import _summary_text

    summary = {**SUMMARY, **outcome}
    lines = _summary_text(summary).splitlines()
    assert lines[0] == f"gradflow training: gru on recall, T=12 H=16: {words}"
    assert lines[1] == f"  final loss   {'null' if summary['final_loss'] is None else '0.125'}"
    assert lines[2] == "  best loss    0.0625 (baseline 2.079)"
    assert lines[3] == "  steps        40 in 2.5 s"
    assert lines[4:] == [f"  warning: {w}" for w in summary["warnings"]]


def test_a_run_that_ends_without_a_summary_is_an_error():
    from gradflow.cli.commands import _follow

    progress = {"type": "progress", "step": 1, "loss": 1.0, "grad_norm": None, "grad_norm_log10": 400.0}
    with pytest.raises(RuntimeError, match="without a summary"):
        _follow(iter([progress]), 5, None, None)


def test_in_process_a_bad_field_is_exit_2_with_the_command_s_name(capsys):
    from gradflow.cli import main

    assert main(["simulate", "--seq_len", "0"]) == 2
    err = capsys.readouterr().err
    assert err == "gradflow simulate: error: seq_len = 0: Input should be greater than or equal to 1\n"


def test_a_file_that_cannot_be_written_is_exit_1(capsys, tmp_path: Path):
    from gradflow.cli import main

    assert main(["simulate", "--seq_len", "3", "--json", str(tmp_path / "missing" / "r.json")]) == 1
    assert capsys.readouterr().err.startswith("gradflow simulate: error: [Errno 2] No such file or directory")


def test_html_reports_are_written_for_a_simulation_and_a_sweep(capsys, tmp_path: Path):
    from gradflow.cli import main

    assert main(["simulate", "--seq_len", "5", "--hidden_size", "3", "--html", str(tmp_path / "run.html")]) == 0
    assert "rnn T=5 H=3" in (tmp_path / "run.html").read_text()
    sweep = ["sweep", "--seq_len", "5", "--x", "hidden_size=2,3", "--html", str(tmp_path / "sweep.html")]
    assert main(sweep) == 0
    assert "gradflow sweep over hidden_size" in (tmp_path / "sweep.html").read_text()
    out = capsys.readouterr().out
    assert "gradflow sweep over hidden_size: 2 simulations in this process" in out
    assert "(by hidden_size)" in out


def test_serve_hands_every_option_to_the_server(monkeypatch):
    import gradflow.api.__main__ as server
    from gradflow.cli import main

    given = []
    monkeypatch.setattr(server, "main", given.append)
    assert main(["serve", "--port", "9000", "--workers", "2"]) == 0
    assert given == [["--port", "9000", "--workers", "2"]]


def test_a_scheduler_without_dask_is_one_line(tmp_path, monkeypatch, capsys):
    """`gradflow sweep --scheduler` where Dask is not installed: the API's one line, not a traceback."""
    import sys as system

    from gradflow.cli import main

    monkeypatch.setitem(system.modules, "distributed", None)  # `import distributed` now fails
    code = main(["sweep", "--x", "recurrent_scale=0.5,1", "--scheduler", "tcp://127.0.0.1:1"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and err == [
        "gradflow sweep: error: a Dask scheduler was given but Dask is not installed here: pip install 'gradflow[dask]'"
    ]
