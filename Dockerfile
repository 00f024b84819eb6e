# Gradient Flow Lab in one image: the API, the page, Plotly.js and the /docs assets, all served offline.
#
#   docker build -t gradflow .
#   docker run --rm -p 8000:8000 gradflow          # then http://127.0.0.1:8000
#
# PORT (8000) and WORKERS (2, uvicorn processes) come from the environment, the service's own settings from
# GRADFLOW_* (docs/api.md). BASE_IMAGE may be any Debian-like image with python3 >= 3.11 and its venv
# module (.ci/container-check builds on a debootstrapped bookworm, Docker Hub being out of its reach).
ARG BASE_IMAGE=python:3.11-slim

FROM ${BASE_IMAGE} AS build
WORKDIR /src
# The pinned, hashed serve lock (make lock) first, so this layer is rebuilt only when the lock changes.
COPY requirements/serve.txt requirements/serve.txt
RUN python3 -m venv /opt/venv \
 && /opt/venv/bin/python -m pip install --no-cache-dir --disable-pip-version-check \
        --require-hashes --no-deps -r requirements/serve.txt
# Then the package itself, its dependencies already there; pip and setuptools go, the runtime needs neither.
COPY pyproject.toml ./
COPY backend/ backend/
# backend/gradflow/page links to frontend/: the package installs with the page inside it
COPY frontend/ frontend/
RUN /opt/venv/bin/python -m pip install --no-cache-dir --disable-pip-version-check --no-deps . \
 && /opt/venv/bin/python -m pip uninstall --yes --disable-pip-version-check pip setuptools

FROM ${BASE_IMAGE}
LABEL org.opencontainers.image.title="Gradient Flow Lab" \
      org.opencontainers.image.description="Exact gradient flow through recurrent networks: API and page" \
      org.opencontainers.image.licenses="MIT"
# A fixed uid, so runAsNonRoot-style checks and volume permissions can rely on it.
RUN groupadd --system --gid 10001 gradflow \
 && useradd --system --uid 10001 --gid gradflow --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin gradflow
COPY --from=build /opt/venv /opt/venv

# The page is package data (gradflow/page), as in a wheel. Bytecode was compiled at install time; the root
# filesystem may be read-only.
# One BLAS thread per worker, as in `make run` (docs/api.md, "Concurrency").
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    GRADFLOW_HOST=0.0.0.0 \
    PORT=8000 \
    WORKERS=2 \
    OPENBLAS_NUM_THREADS=1 \
    OMP_NUM_THREADS=1 \
    MKL_NUM_THREADS=1 \
    GRADFLOW_RUNS_DIR=/runs
# Watched training runs (gradflow.watch's logdir) are read from /runs: mount yours there (docker-compose.yml does).
WORKDIR /app
USER 10001:10001
EXPOSE 8000
# In Python: the image has no curl. Any answer but 2xx, or none within 3 s, is a failed check.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python3", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/api/health' % os.environ.get('PORT', '8000'), timeout=3)"]
# Exec form: python is PID 1 and gets SIGTERM itself; uvicorn then finishes the requests in flight.
CMD ["python3", "-m", "gradflow.api"]
