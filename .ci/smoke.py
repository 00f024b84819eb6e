"""Checks a running Gradient Flow Lab like a first visitor: health, the page, Plotly.js, the docs, one lstm run.

    python3 .ci/smoke.py http://127.0.0.1:PORT [--wait SECONDS]

Standard library only (it runs on the bare CI host). Waits up to --wait seconds for /api/health to answer,
prints how long that took and one line per check, and exits non-zero at the first failure.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
from email.message import Message


def fetch(url: str, body: dict | None = None, timeout: float = 60) -> tuple[int, Message, bytes]:
    """Status, headers (case-insensitive) and body; an HTTP error status is an answer too."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"} if data else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def wait_until_healthy(base: str, seconds: float) -> float:
    start = time.monotonic()
    while True:
        try:
            if fetch(f"{base}/api/health", timeout=2)[0] == 200:
                return time.monotonic() - start
        except OSError:
            pass
        if time.monotonic() - start > seconds:
            sys.exit(f"FAIL {base}/api/health did not answer 200 within {seconds:.0f} s")
        time.sleep(0.2)


def check(name: str, ok: bool, detail: str) -> None:
    print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}", flush=True)
    if not ok:
        sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="e.g. http://127.0.0.1:8000")
    parser.add_argument("--wait", type=float, default=60, help="seconds to wait for /api/health")
    args = parser.parse_args()
    base = args.base.rstrip("/")

    print(f"healthy after {wait_until_healthy(base, args.wait):.1f} s", flush=True)
    status, _, body = fetch(f"{base}/api/health")
    check("GET /api/health", status == 200 and json.loads(body)["status"] == "ok", body.decode())

    status, headers, body = fetch(f"{base}/")
    check(
        "GET / (the page)",
        status == 200 and headers.get_content_type() == "text/html" and b"<html" in body.lower(),
        f"{status}, {len(body)} bytes",
    )
    status, _, body = fetch(f"{base}/vendor/plotly.min.js")
    check("GET /vendor/plotly.min.js", status == 200 and len(body) > 1_000_000, f"{status}, {len(body)} bytes")
    status, _, body = fetch(f"{base}/docs")
    check("GET /docs", status == 200 and b"swagger-ui-bundle.js" in body, f"{status}, {len(body)} bytes")
    status, _, body = fetch(f"{base}/docs-assets/vendor/swagger-ui-bundle.js")
    check(
        "GET /docs-assets/vendor/swagger-ui-bundle.js",
        status == 200 and len(body) > 100_000,
        f"{status}, {len(body)} bytes",
    )

    start = time.monotonic()
    status, _, body = fetch(f"{base}/api/simulate", {"cell": "lstm"})
    elapsed = time.monotonic() - start
    answer = json.loads(body) if status == 200 else {}
    check(
        'POST /api/simulate {"cell": "lstm"}',
        status == 200
        and answer.get("config", {}).get("cell") == "lstm"
        and len(answer.get("grad_h_norm", [])) == answer["config"]["seq_len"],
        f"{status}, {len(body)} bytes in {elapsed * 1000:.0f} ms",
    )


if __name__ == "__main__":
    main()
