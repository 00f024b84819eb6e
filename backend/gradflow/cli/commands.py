"""The subcommands: each adds its options (generated from the request model) and runs with the library."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from gradflow.library import InvalidRequest
from gradflow.models import SimulateRequest, TrainRequest

from .fields import add_model_options, given_fields


def add_simulate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("simulate", help="one simulation: print its summary, write JSON, CSV or an HTML report",
                       description="Run one simulation (the same request and answer as POST /api/simulate) and "
                       "print the loss, memory horizon, global gradient norm and warnings.")
    names = add_model_options(p, SimulateRequest, exclude=("inputs",))
    out = p.add_argument_group("input and output files")
    out.add_argument("--inputs", dest="inputs_file", type=Path, metavar="FILE",
                     help="explicit inputs x_1..x_T: a T x I .json list of rows, .csv or .npy (batch_size 1)")
    out.add_argument("--weights", type=Path, metavar="FILE",
                     help="your own network: PyTorch state_dict or Keras weights as .npz, .safetensors or .json")
    out.add_argument("--json", type=Path, metavar="FILE", help="write the API's JSON answer")
    out.add_argument("--csv", type=Path, metavar="FILE", help="write one row per time step (the per-step norms)")
    out.add_argument("--html", type=Path, metavar="FILE", help="write one self-contained offline HTML report")
    p.set_defaults(run=run_simulate, field_names=names)


def run_simulate(args: argparse.Namespace) -> int:
    import gradflow
    from gradflow.encoding import dumps

    fields = given_fields(args, args.field_names)
    if args.inputs_file is not None:
        fields["inputs"] = read_matrix(args.inputs_file, "inputs")
    if args.weights is not None:
        fields["params"] = read_weights_file(args.weights)
    result = gradflow.simulate(**fields)
    print(result.summary_text())
    if args.json:
        args.json.write_bytes(dumps(result.to_dict()))
    if args.csv:
        result.write_csv(args.csv)
    if args.html:
        result.write_html(args.html)
    return 0


def read_matrix(path: Path, field: str) -> list:
    """A T x I matrix from a .json, .csv or .npy file (gradflow.weights_io, never unpickled)."""
    from gradflow.weights_io import FileError, read_matrix as parse

    try:
        return parse(path.read_bytes(), path.name).tolist()
    except FileError as exc:
        raise InvalidRequest([{"type": "file", "loc": ["body", field], "msg": f"{field}: {exc}"}]) from None


def read_weights_file(path: Path) -> dict:
    """{name: array} from a weights file (gradflow.weights_io, never unpickled)."""
    from gradflow.weights_io import FileError, read_weights

    try:
        return read_weights(path.read_bytes(), path.name)
    except FileError as exc:
        raise InvalidRequest([{"type": "file", "loc": ["body", "params"], "msg": f"weights: {exc}"}]) from None


def add_train(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("train", help="train a cell on the adding or recall task, with a live progress bar",
                       description="Train a cell and its readout (the same request and events as POST /api/train); "
                       "the progress bar shows the live loss and gradient norm, the summary comes last.")
    names = add_model_options(p, TrainRequest, exclude=("stream",))
    p.add_argument_group("output files").add_argument(
        "--json", type=Path, metavar="FILE", help="write every event as NDJSON (one JSON object a line)")
    p.set_defaults(run=run_train, field_names=names)


def run_train(args: argparse.Namespace) -> int:
    import gradflow
    from gradflow.encoding import dumps

    fields = given_fields(args, args.field_names)
    events = gradflow.train(**fields)  # validated here, before any file is opened
    out = args.json.open("wb") if args.json else None
    try:
        summary = _follow(events, TrainRequest.model_validate(fields).steps, out, dumps)
    finally:
        if out:
            out.close()
    print(_summary_text(summary))
    return 0


def _follow(events, steps: int, out, dumps) -> dict:
    """Drives the run: a progress bar on stderr, every event to `out`; returns the summary."""
    from tqdm import tqdm

    with tqdm(total=steps, unit="step", file=sys.stderr, dynamic_ncols=True) as bar:
        for event in events:
            if out:
                out.write(dumps(event) + b"\n")
            if event["type"] == "summary":
                return event
            bar.update(event["step"] - bar.n)
            bar.set_postfix(loss=_short(event["loss"]), grad=_short(event["grad_norm"], event["grad_norm_log10"]))
    raise RuntimeError("the training run ended without a summary")


def _short(value: float | None, log10: float | None = None) -> str:
    if value is not None:
        return f"{value:.3g}"
    return f"1e{log10:.0f}" if log10 is not None else "null"


def _summary_text(s: dict) -> str:
    c = s["config"]
    outcome = (f"diverged at step {s['diverged_at']}" if s["diverged"] else
               f"solved at step {s['solved_at']}" if s["solved"] else "not solved")
    lines = [f"gradflow training: {c['cell']} on {c['task']}, T={c['seq_len']} H={c['hidden_size']}: {outcome}",
             f"  final loss   {_short(s['final_loss'])}",
             f"  best loss    {_short(s['best_loss'])} (baseline {s['baseline_loss']:.4g})",
             f"  steps        {s['steps_done']} in {s['elapsed_ms'] / 1e3:.1f} s"]
    return "\n".join(lines + [f"  warning: {w}" for w in s["warnings"]])


def add_serve(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="serve the page and the REST API (uvicorn)", add_help=False,
                       description="Serve the page, the API and its docs: python -m gradflow.api's options.")
    p.set_defaults(run=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    from gradflow.api.__main__ import main as serve

    serve(args.serve_args)
    return 0
