"""The `gradflow` command: simulate, train and serve from a terminal.

    gradflow simulate --cell lstm --seq_len 200 --html report.html
    gradflow train --cell gru --steps 500 --json events.ndjson
    gradflow sweep --cell lstm --x recurrent_scale=0.5:3:16:log --y forget_bias=0,1,2,3 --seeds 2
    gradflow runs runs/                          # the runs gradflow.watch wrote
    gradflow report runs/exp1 --html exp1.html
    gradflow serve --port 8000 --runs runs/

Every request field is an option generated from the API's own models (`gradflow simulate --help`). Exit
status 0 on success, 2 on bad input (the message on stderr names the field, the value and the limit, in the
API's words), 1 when a file cannot be written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from gradflow.library.run import InvalidRequest

from . import commands, runs

BAD_INPUT = 2


def build_parser() -> argparse.ArgumentParser:
    import gradflow

    parser = argparse.ArgumentParser(
        prog="gradflow",
        description="Gradient Flow Lab: exact gradient flow through recurrent networks, from the terminal.",
    )
    parser.add_argument("--version", action="version", version=f"gradflow {gradflow.__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="{simulate,train,sweep,runs,report,serve}")
    commands.add_simulate(sub)
    commands.add_train(sub)
    commands.add_sweep(sub)
    runs.add_runs(sub)
    runs.add_report(sub)
    commands.add_serve(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["serve"]:  # every option belongs to the server's own parser (python -m gradflow.api)
        args = argparse.Namespace(command="serve", run=commands.run_serve, serve_args=argv[1:])
    else:
        args = parser.parse_args(argv)  # argparse itself exits 2 on a malformed command line
    try:
        return args.run(args)
    except InvalidRequest as exc:
        for line in str(exc).splitlines():
            print(f"gradflow {args.command}: error: {line}", file=sys.stderr)
        return BAD_INPUT
    except OSError as exc:
        print(f"gradflow {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except (ImportError, RuntimeError) as exc:  # Dask missing, or a cluster that cannot run our points
        print(f"gradflow {args.command}: error: {exc}", file=sys.stderr)
        return 1


def console() -> None:
    """The console script's entry point."""
    sys.exit(main())
