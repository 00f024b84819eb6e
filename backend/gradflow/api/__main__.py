"""`python -m gradflow.api [--host H] [--port P] [--workers N] [--log-level L] [--runs DIR]`: serve with uvicorn.

Defaults come from `Settings` (GRADFLOW_HOST, GRADFLOW_PORT, ...), except that `PORT` and `WORKERS`, the names
platforms and containers set, win over them; the flags override all. Each worker builds its app with
`create_app()`, which reads the same environment.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence

import uvicorn

from gradflow.api.protocol import NoDelayH11Protocol
from gradflow.api.settings import Settings


def main(argv: Sequence[str] | None = None) -> None:
    settings = Settings()
    parser = argparse.ArgumentParser(prog="python -m gradflow.api", description="Serve Gradient Flow Lab.")
    parser.add_argument("--host", default=settings.host)
    # A string default goes through `type`, so a bad PORT or WORKERS gets argparse's message, not a traceback.
    parser.add_argument("--port", type=int, default=os.environ.get("PORT", settings.port))
    parser.add_argument("--workers", type=int, default=os.environ.get("WORKERS", settings.workers))
    parser.add_argument(
        "--log-level", default=settings.log_level, choices=["critical", "error", "warning", "info", "debug", "trace"]
    )
    parser.add_argument(
        "--runs", metavar="DIR", help="serve the watched runs in DIR (gradflow.watch's logdir; GRADFLOW_RUNS_DIR)"
    )
    args = parser.parse_args(argv)
    if args.runs is not None:  # every worker builds its app from the environment
        os.environ["GRADFLOW_RUNS_DIR"] = os.path.abspath(args.runs)
    uvicorn.run(
        "gradflow.api.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        server_header=False,
        http=NoDelayH11Protocol,  # several workers would otherwise answer 40 ms late (see protocol.py)
    )


if __name__ == "__main__":
    main()
