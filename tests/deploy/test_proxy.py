"""The compose file's nginx ("scale" profile) in front of the real app: it passes streamed answers on line by
line, and it accepts every upload the app accepts (one setting, GRADFLOW_MAX_UPLOAD_BYTES, for both).

nginx is Debian's (`apt-get install nginx-light`, which .ci/run does). Without it these tests are skipped on a
developer's machine, and fail under CI, where a test that cannot run must not pass silently.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest
import yaml
from gradflow.api.main import create_app
from gradflow.api.settings import Settings

from tests.needs import missing
from tests.serving import free_port, serving

COMPOSE = Path(__file__).resolve().parents[2] / "docker-compose.yml"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def compose_nginx_conf(upstream: str, port: int, env: dict[str, str]) -> str:
    """The compose file's nginx config as compose would render it: `${VAR:-default}` from `env`, `$$` as `$`;
    the upstream `app:8000` and the listening port become this test's."""
    text = yaml.safe_load(COMPOSE.read_text())["configs"]["nginx"]["content"]
    text = re.sub(r"\$\{(\w+):-([^}]*)\}", lambda m: env.get(m[1], m[2]), text).replace("$$", "$")
    return text.replace("server app:8000;", f"server {upstream};").replace("listen 8080;", f"listen 127.0.0.1:{port};")


def compose_app_env(name: str) -> str:
    """The value the compose file gives the app's `name` variable, rendered with its default."""
    value = yaml.safe_load(COMPOSE.read_text())["services"]["app"]["environment"][name]
    return re.sub(r"\$\{(\w+):-([^}]*)\}", lambda m: os.environ.get(m[1], m[2]), str(value))


@pytest.fixture(scope="module")
def proxied(tmp_path_factory) -> Iterator[str]:
    """The app behind nginx with the compose file's config; yields nginx's URL."""
    if NGINX is None:
        missing("nginx (apt-get install nginx-light)")
    root = tmp_path_factory.mktemp("nginx")
    upload_limit = int(compose_app_env("GRADFLOW_MAX_UPLOAD_BYTES"))
    app = create_app(Settings(max_upload_bytes=upload_limit))
    with serving(app) as app_url:
        port = free_port()
        site = compose_nginx_conf(app_url.removeprefix("http://"), port, {})
        (root / "site.conf").write_text(site)
        (root / "nginx.conf").write_text(
            # as root, nginx's workers would run as nobody and could not write their temp files here
            ("user root;\n" if os.geteuid() == 0 else "")
            + f"pid {root}/nginx.pid;\nerror_log {root}/error.log;\nevents {{}}\n"
            f"http {{\n  access_log off;\n  client_body_temp_path {root}/body;\n  proxy_temp_path {root}/proxy;\n"
            f"  include {root}/site.conf;\n}}\n"
        )
        process = subprocess.Popen([NGINX, "-p", str(root), "-c", str(root / "nginx.conf"), "-g", "daemon off;"])
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 10
            while True:
                try:
                    httpx.get(f"{url}/api/health", timeout=1).raise_for_status()
                    break
                except httpx.HTTPError:
                    assert process.poll() is None, (root / "error.log").read_text()
                    assert time.monotonic() < deadline, "nginx did not answer within 10 s"
                    time.sleep(0.1)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=10)


def test_a_training_streams_through_the_proxy_line_by_line(proxied):
    body = {"cell": "lstm", "steps": 600, "report_every": 20, "seq_len": 40, "hidden_size": 32, "batch_size": 32}
    start = time.monotonic()
    arrivals = []
    with httpx.stream("POST", f"{proxied}/api/train", json=body, timeout=120) as answer:
        assert answer.status_code == 200
        for line in answer.iter_lines():
            if line:
                arrivals.append((time.monotonic() - start, line))
    first, last = arrivals[0][0], arrivals[-1][0]
    assert '"type":"progress"' in arrivals[0][1] and '"type":"summary"' in arrivals[-1][1]
    # the first progress line arrives while the run is still going, not with the rest at the end
    assert first < last / 2, f"first line after {first:.2f} s, last after {last:.2f} s: the proxy buffered"


def test_the_proxy_takes_every_upload_the_app_takes(proxied):
    limit = int(compose_app_env("GRADFLOW_MAX_UPLOAD_BYTES"))
    assert limit >= 8 * 1024 * 1024
    H = 256
    arrays = {"weight_ih": np.zeros((H, 4)), "weight_hh": np.eye(H), "bias_ih": np.zeros(H), "bias_hh": np.zeros(H)}
    arrays["padding"] = np.zeros((3 * 1024 * 1024) // 8)  # an ignored extra array: the file is over 3 MB
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    assert buffer.tell() > 3 * 1024 * 1024  # past the 2 MB the proxy used to allow
    answer = httpx.post(
        f"{proxied}/api/simulate/upload",
        files={"weights": ("big.npz", buffer.getvalue())},
        data={"config": '{"hidden_size": 256, "seq_len": 5, "fields": ["loss", "weights"]}'},
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["weights"]["ignored"] == ["padding"]
