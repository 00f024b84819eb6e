# Two commands on a fresh machine with Python 3.11+: `make run` and `make test`.
# Each builds the virtual environment it needs (.venv, with uv from PyPI) on first use: `make run` only what
# serving needs, `make test` the test extras too, both from the pinned locks in requirements/ (`make lock`).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
UV     := $(BIN)/uv
HOST   ?= 127.0.0.1
PORT   ?= 8000
# Two worker processes on this 2-core machine: one answers (health, small runs) while the other encodes a big
# answer; each pins BLAS to one thread, so they do not fight over the cores (docs/api.md, "Concurrency").
WORKERS ?= 2
UV_VERSION := 0.13.9

# uv checks HTTPS against its own bundled roots unless told otherwise; behind a local CA that only the
# system store trusts it stops at "invalid peer certificate: UnknownIssuer". The system store holds the
# public roots too, so trusting it works everywhere (and survives `env -i`).
export UV_NATIVE_TLS ?= 1

# Small matrices: one BLAS thread per worker is faster (see benchmarks/), and workers do not fight.
export OPENBLAS_NUM_THREADS ?= 1
export OMP_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1

.PHONY: run test torch lint test-py test-js lock screenshot bench bench-core bench-api bench-page bench-load bench-train \
        bench-library bench-figures bench-stack bench-sweep bench-watch clean vendor-plotly page-bundle

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed, found " + sys.version'
	$(PYTHON) -m venv $(VENV)

$(UV): | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# One stamp per lock, redone when the lock or pyproject.toml changes: the pinned packages with their hashes,
# then the package itself (editable) with --no-deps, so nothing unpinned slips in. `pip check` catches a
# dependency that pyproject.toml names and the lock lacks.
define install_from_lock
	$(UV) pip install --quiet --python $(BIN)/python --require-hashes -r $(1)
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	$(UV) pip check --quiet --python $(BIN)/python || { echo "$(1) is behind pyproject.toml: run make lock" >&2; exit 1; }
	touch $@
endef

$(VENV)/.installed-serve: requirements/serve.txt pyproject.toml | $(UV)
	$(call install_from_lock,requirements/serve.txt)

$(VENV)/.installed-test: requirements/test.txt pyproject.toml | $(UV)
	$(call install_from_lock,requirements/test.txt)

# Regenerates the locks from pyproject.toml: one per way of installing (serve = the dependencies, test = the
# test extra too, held to serve's versions so the tests run what is served). Pins already in a lock are kept
# unless a change needs otherwise; `make lock LOCK_ARGS=--upgrade` moves everything to the newest release.
# A new extra (say `dask`) gets its own line: `$(call compile_lock,dask,--extra dask -c requirements/serve.txt)`.
LOCK_FLAGS = --quiet --universal --python-version 3.11 --generate-hashes --custom-compile-command "make lock" $(LOCK_ARGS)
compile_lock = $(UV) pip compile $(LOCK_FLAGS) pyproject.toml $(2) -o requirements/$(1).txt
lock: | $(UV)
	mkdir -p requirements
	$(call compile_lock,serve,)
	$(call compile_lock,test,--extra test -c requirements/serve.txt)

# The watch feature (gradflow.watch, the extra gradflow[torch]) and its tests need PyTorch; without it those tests
# are skipped on a developer's machine and fail in CI, which runs `make torch test`. pip, not uv: pip takes the
# CPU build from the machine's own wheel folder (pip.conf), where uv would resolve PyPI's CUDA build (GBs).
TORCH_VERSION ?= 2.13.0
torch: $(VENV)/.installed-torch
$(VENV)/.installed-torch: $(VENV)/.installed-test
	$(BIN)/python -m pip install --quiet --disable-pip-version-check torch==$(TORCH_VERSION)
	touch $@

run: $(VENV)/.installed-serve
	$(BIN)/gradflow serve --host $(HOST) --port $(PORT) --workers $(WORKERS)

test: lint test-py test-js

# ruff: the lint rules and the formatting in pyproject.toml ([tool.ruff]); `ruff format .` fixes the latter.
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test-py: $(VENV)/.installed-test
	$(BIN)/python -m pytest

test-js:
	node --test tests/js/

# Refreshes the README's docs/screenshot.png (the e2e test otherwise writes it under test-results/).
screenshot: $(VENV)/.installed-test
	GRADFLOW_SCREENSHOT=docs/screenshot.png $(BIN)/python -m pytest -q tests/e2e -k screenshot_for_the_readme

bench: bench-core bench-api bench-page

bench-core: $(VENV)/.installed-test
	$(BIN)/python benchmarks/bench_core.py

bench-api: $(VENV)/.installed-test
	$(BIN)/python benchmarks/bench_api.py --workers $(WORKERS)

bench-page: $(VENV)/.installed-test
	$(BIN)/python benchmarks/bench_page.py

# 16 concurrent clients (light and heavy runs) and health probes against `WORKERS` workers on loopback.
bench-load: $(VENV)/.installed-test
	$(BIN)/python benchmarks/bench_load.py --workers $(WORKERS)

# Training speed against torch (when TORCH_PYTHON names a python with torch, e.g. /opt/torchvenv/bin/python)
# and the adding-problem outcome table: which cells solve T = 10, 50, 100 within 3,000 steps, and when.
TORCH_PYTHON ?= $(BIN)/python
bench-train: $(VENV)/.installed-test
	$(TORCH_PYTHON) benchmarks/bench_train.py

# The library (import time, `gradflow simulate` wall time), its figures, stacked layers, sweeps.
bench-library: $(VENV)/.installed-test
	$(BIN)/python benchmarks/bench_library.py

bench-figures: $(VENV)/.installed-test
	$(BIN)/python benchmarks/bench_figures.py

bench-stack: $(VENV)/.installed-test
	$(TORCH_PYTHON) benchmarks/bench_stack.py

bench-sweep: $(VENV)/.installed-test
	$(BIN)/python benchmarks/bench_sweep.py

# What gradflow.watch adds to a user's PyTorch training loop, and one replay's time (needs make torch).
bench-watch: $(VENV)/.installed-torch
	$(BIN)/python benchmarks/bench_watch.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

# Rebuilds the vendored Plotly.js (backend/gradflow/api/static/vendor/README.md) from plotly.js's sources: only
# the core and the trace types the page draws (tools/plotly-bundle/entry.js), bundled by esbuild. `npm ci`
# installs exactly the lockfile (every package checked against its sha512; no install scripts run), build.mjs
# writes the file, its license and plotly-bundle.json (versions, traces, sha256) and prints the sha256.
# Needs node and npm; nothing else does (CI and the tests use the committed file).
PLOTLY_BUNDLE := tools/plotly-bundle
vendor-plotly:
	cd $(PLOTLY_BUNDLE) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && node build.mjs

# Rebuilds frontend/dist/, the page's own modules bundled by esbuild (what index.html loads; docs/page.md, "How
# the page loads"), after a change to frontend/js/. tests/js/bundle.test.mjs fails until it is run.
# Needs node and npm; nothing else does.
PAGE_BUNDLE := tools/page-bundle
page-bundle:
	cd $(PAGE_BUNDLE) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && node build.mjs
