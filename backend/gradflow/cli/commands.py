"""The subcommands: each adds its options (generated from the request model) and runs with the library."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gradflow.library.run import InvalidRequest
from gradflow.models import SimulateRequest, TrainRequest
from gradflow.models.messages import error_item

from .fields import add_model_options, given_fields


def add_simulate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "simulate",
        help="one simulation: print its summary, write JSON, CSV or an HTML report",
        description="Run one simulation (the same request and answer as POST /api/simulate) and "
        "print the loss, memory horizon, global gradient norm and warnings.",
    )
    names = add_model_options(p, SimulateRequest, exclude=("inputs",))
    out = p.add_argument_group("input and output files")
    out.add_argument(
        "--inputs",
        dest="inputs_file",
        type=Path,
        metavar="FILE",
        help="explicit inputs x_1..x_T: a T x I .json list of rows, .csv or .npy (batch_size 1)",
    )
    out.add_argument(
        "--weights",
        type=Path,
        metavar="FILE",
        help="your own network: PyTorch state_dict or Keras weights: .npz, .safetensors, .json, .pt, .pth, .keras or .weights.h5",
    )
    out.add_argument("--json", type=Path, metavar="FILE", help="write the API's JSON answer")
    out.add_argument("--csv", type=Path, metavar="FILE", help="write one row per time step (the per-step norms)")
    out.add_argument("--html", type=Path, metavar="FILE", help="write one self-contained offline HTML report")
    p.set_defaults(run=run_simulate, field_names=names)


def run_simulate(args: argparse.Namespace) -> int:
    import gradflow
    from gradflow.wire.encoding import dumps

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
    """A T x I matrix from a .json, .csv or .npy file (gradflow.io, never unpickled)."""
    from gradflow.io import FileError
    from gradflow.io import read_matrix as parse

    try:
        return parse(path.read_bytes(), path.name).tolist()
    except FileError as exc:
        raise InvalidRequest([error_item(f"{field}: {exc}", "body", field, type="file")]) from None


def read_weights_file(path: Path) -> dict:
    """{name: array} from a weights file (gradflow.io, never unpickled)."""
    from gradflow.io import FileError, read_weights

    try:
        return read_weights(path.read_bytes(), path.name)
    except FileError as exc:
        raise InvalidRequest([error_item(f"weights: {exc}", "body", "params", type="file")]) from None


def add_train(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "train",
        help="train a cell on the adding or recall task, with a live progress bar",
        description="Train a cell and its readout (the same request and events as POST /api/train); "
        "the progress bar shows the live loss and gradient norm, the summary comes last.",
    )
    names = add_model_options(p, TrainRequest, exclude=("stream",))
    p.add_argument_group("output files").add_argument(
        "--json", type=Path, metavar="FILE", help="write every event as NDJSON (one JSON object a line)"
    )
    p.set_defaults(run=run_train, field_names=names)


def run_train(args: argparse.Namespace) -> int:
    import gradflow
    from gradflow.wire.encoding import dumps

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
    outcome = (
        f"diverged at step {s['diverged_at']}"
        if s["diverged"]
        else f"solved at step {s['solved_at']}"
        if s["solved"]
        else "not solved"
    )
    lines = [
        f"gradflow training: {c['cell']} on {c['task']}, T={c['seq_len']} H={c['hidden_size']}: {outcome}",
        f"  final loss   {_short(s['final_loss'])}",
        f"  best loss    {_short(s['best_loss'])} (baseline {s['baseline_loss']:.4g})",
        f"  steps        {s['steps_done']} in {s['elapsed_ms'] / 1e3:.1f} s",
    ]
    return "\n".join(lines + [f"  warning: {w}" for w in s["warnings"]])


def add_sweep(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sweep",
        help="a grid of simulations over one or two fields (the phase diagram)",
        description="Sweep one or two numeric fields of a simulation (the same request and answer as "
        "POST /api/sweep); the request fields below set the base configuration.",
    )
    names = add_model_options(p, SimulateRequest, exclude=("inputs", "params", "fields", "digits"))
    axes = p.add_argument_group("the sweep")
    axes.add_argument(
        "--x",
        required=True,
        metavar="FIELD=START:STOP:NUM[:log] | FIELD=V1,V2,...",
        help="the x axis, e.g. recurrent_scale=0.5:2:16:log or seq_len=10,100,1000",
    )
    axes.add_argument("--y", metavar="FIELD=...", help="an optional y axis, written as --x")
    axes.add_argument("--seeds", default="1", help="runs per point: seeds seed, seed + 1, ...; default 1")
    axes.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="a Dask scheduler (tcp://host:8786) to run the points on (pip install gradflow[dask])",
    )
    axes.add_argument(
        "--pool-workers",
        type=int,
        default=0,
        metavar="N",
        help="local worker processes when no scheduler is given; 0 = one per core, 1 = this process",
    )
    out = p.add_argument_group("output files")
    out.add_argument("--json", type=Path, metavar="FILE", help="write the API's summary JSON")
    out.add_argument("--csv", type=Path, metavar="FILE", help="write the tidy table: one row per point and seed")
    out.add_argument("--html", type=Path, metavar="FILE", help="write one self-contained offline HTML report")
    p.set_defaults(run=run_sweep, field_names=names)


def parse_axis(text: str | None, name: str) -> dict | None:
    """FIELD=START:STOP:NUM[:log] or FIELD=V1,V2,... as the API's axis object."""
    if text is None:
        return None
    field, _, spec = text.partition("=")
    parts = spec.split(":")
    try:
        if len(parts) in (3, 4) and (len(parts) == 3 or parts[3] == "log"):
            return {
                "field": field,
                "start": float(parts[0]),
                "stop": float(parts[1]),
                "num": int(parts[2]),
                "log": len(parts) == 4,
            }
        return {"field": field, "values": [float(v) for v in spec.split(",")]}
    except ValueError:
        raise InvalidRequest(
            [error_item(f"{name} = {text!r}: write FIELD=START:STOP:NUM[:log] or FIELD=V1,V2,...", "body", name)]
        ) from None


def run_sweep(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    import gradflow
    from gradflow.library.run import validate
    from gradflow.library.sweep_result import run_sweep as run
    from gradflow.models.sweep import SweepRequest
    from gradflow.wire.encoding import dumps

    fields = {
        "base": given_fields(args, args.field_names),
        "x": parse_axis(args.x, "x"),
        "seeds": given_fields(args, ["seeds"])["seeds"],
    }
    if args.y:
        fields["y"] = parse_axis(args.y, "y")
    request = validate(SweepRequest, fields)
    try:
        spec = request.to_spec()
    except ValueError as exc:
        raise gradflow.InvalidRequest([error_item(str(exc), "body")]) from None
    bars: list = []  # made at the first point, so a sweep refused before any runs prints no empty bar

    def advance(point: dict, total: int) -> None:
        if not bars:
            bars.append(tqdm(unit="point", file=sys.stderr, dynamic_ncols=True, total=total))
        bars[0].update(1)

    try:
        result = run(spec, args.scheduler, args.pool_workers, on_point=advance)
    finally:
        for bar in bars:
            bar.close()
    print(_sweep_text(result))
    if args.json:
        args.json.write_bytes(dumps(result.to_dict()))
    if args.csv:
        result.write_csv(args.csv)
    if args.html:
        result.write_html(args.html)
    return 0


def _sweep_text(result) -> str:
    s = result.to_dict()
    axes = s["x"]["field"] + (f" x {s['y']['field']}" if s["y"] else "")
    where = "in this process" if s["executor"] == "inline" else f"on {s['executor']}"
    rows = f"rows: {s['y']['field']}, columns: {s['x']['field']}" if s["y"] else f"by {s['x']['field']}"
    lines = [
        f"gradflow sweep over {axes}: {s['points']} simulations {where} in {s['elapsed_ms'] / 1e3:.1f} s",
        f"  log10 |dL/dh_1|, mean over seeds ({rows})",
    ]
    lines.append("           " + " ".join(f"{v:>8.4g}" for v in s["x"]["values"]))
    for k, row in enumerate(s["grid"]["log10_grad_first"]):
        label = f"{s['y']['values'][k]:>9.4g}" if s["y"] else " " * 9
        lines.append(f"  {label}" + " ".join("    null" if v is None else f"{v:>8.2f}" for v in row))
    return "\n".join(lines + [f"  warning: {w}" for w in s["warnings"]])


def add_serve(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="serve the page and the REST API (uvicorn)",
        add_help=False,
        description="Serve the page, the API and its docs: python -m gradflow.api's options.",
    )
    p.set_defaults(run=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    from gradflow.api.__main__ import main as serve

    serve(args.serve_args)
    return 0
