"""`gradflow runs DIR` (a table of the watched runs in a logdir) and `gradflow report RUN --html FILE` (one run's
offline report): the command-line side of gradflow.watch."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_runs(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "runs",
        help="list the training runs gradflow.watch wrote into a logdir",
        description="One line per run in DIR, newest first: name, cell and sizes, snapshots, last step, and how "
        "well the replay agreed with the module's own autograd.",
    )
    p.add_argument("dir", type=Path, help="the logdir given to gradflow.watch (it holds one folder per run)")
    p.set_defaults(run=run_runs)


def run_runs(args: argparse.Namespace) -> int:
    from gradflow.library.run_result import load_run
    from gradflow.watching.runs import list_runs

    if not args.dir.is_dir():
        raise OSError(f"{args.dir}: no such folder")
    found = list_runs(args.dir)
    if not found:
        print(f"no runs in {args.dir} (gradflow.watch(module, '{args.dir}') writes them)")
        return 0
    header = f"{'run':<28} {'cell':<5} {'I':>4} {'H':>5} {'L':>2} {'dtype':<8} {'snaps':>5} {'last step':>9}  agreement"
    print(header)
    for r in found:
        snapshots = load_run(args.dir / r["name"]).snapshots
        agreement = (snapshots[-1].get("agreement") or {}).get("statement", "") if snapshots else ""
        last = "" if r["last_step"] is None else r["last_step"]
        print(
            f"{r['name']:<28} {r['cell']:<5} {r['input_size']:>4} {r['hidden_size']:>5} {r['num_layers']:>2} "
            f"{r['dtype']:<8} {r['snapshots']:>5} {last:>9}  {agreement}"
        )
    return 0


def add_report(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report",
        help="write one watched run's offline HTML report",
        description="The training lab's charts of a watched run (its loss, the gradient flow over training, the "
        "memory horizon and gate, the depth x time flow of its latest snapshot) in one self-contained HTML file.",
    )
    p.add_argument("run_dir", type=Path, metavar="RUN", help="the run's folder, <logdir>/<name>")
    p.add_argument("--html", type=Path, required=True, metavar="FILE", help="where to write the report")
    p.set_defaults(run=run_report)


def run_report(args: argparse.Namespace) -> int:
    from gradflow.library.run_result import load_run

    try:
        run = load_run(args.run_dir)
    except FileNotFoundError as exc:
        raise OSError(str(exc)) from None
    path = run.write_html(args.html)
    print(f"{run!r}\nwrote {path}", file=sys.stdout)
    return 0
