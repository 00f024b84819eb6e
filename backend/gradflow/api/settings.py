"""One `Settings` for the web service, read from `GRADFLOW_*` environment variables.

Tests build their own (`Settings(max_concurrent_simulations=1, ...)`) and pass it to `create_app`, so
nothing here is global state.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PAGE_DIR = Path(__file__).resolve().parents[1] / "page"
"""The page inside the package: frontend/ in a checkout (gradflow/page is a link to it), a copy in a wheel."""


class Settings(BaseSettings):
    """Where and how the API runs. Every field can be set as `GRADFLOW_<NAME>` (e.g. `GRADFLOW_PORT=8080`)."""

    model_config = SettingsConfigDict(env_prefix="GRADFLOW_", extra="ignore")

    host: str = Field("127.0.0.1", description="Interface uvicorn binds to.")
    port: int = Field(8000, ge=0, le=65535, description="TCP port uvicorn binds to.")
    workers: int = Field(1, ge=1, description="uvicorn worker processes.")
    log_level: Literal["critical", "error", "warning", "info", "debug", "trace"] = "info"
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Origins allowed to call the API from a browser; empty = CORS closed. "
        "Comma-separated in the environment: GRADFLOW_CORS_ORIGINS=https://a.example,https://b.example",
    )
    compute_budget: float = Field(
        4.0e10,
        gt=0,
        description="Most multiply-adds one simulation may cost (the cost model is gradflow.core.cost). The "
        "default admits every cell at seq_len 1000, hidden_size 256, input_size 16, batch_size 1 with flow_steps "
        "128, and refuses e.g. an lstm at batch_size 64 of that size.",
    )
    train_budget: float = Field(
        2.5e11,
        gt=0,
        description="Most multiply-adds one training run may cost (steps x (batch_size x seq_len x G*H*(H+I) + "
        "seq_len x a fixed per-step overhead) x 3; gradflow.core.cost). The default admits the page's presets many "
        "times over (the largest, 'Gating beats vanishing', costs about 1.7e10 for the lstm) and an lstm at seq_len "
        "100, hidden_size 32 for 3,000 steps.",
    )
    max_concurrent_trainings: int = Field(
        3, ge=1, description="Training runs streaming at once in one worker process; more wait, then get a 503."
    )
    sweep_budget: float = Field(
        2.0e11,
        gt=0,
        description="Most multiply-adds one sweep may cost in this process or its local pool (the sum over its "
        "points and seeds of what each simulation costs).",
    )
    dask_scheduler: str | None = Field(
        None,
        description="Address of a Dask scheduler (e.g. tcp://10.0.0.5:8786); sweeps then run on that cluster "
        "(pip install gradflow[dask]) under dask_sweep_budget.",
    )
    dask_sweep_budget: float = Field(
        1.0e14, gt=0, description="Most multiply-adds one sweep may cost when it runs on the Dask cluster."
    )
    sweep_pool_workers: int = Field(
        0,
        ge=0,
        description="Worker processes of the local pool that runs a sweep's points; 0 = one per core, 1 = in the "
        "request's own thread.",
    )
    max_concurrent_sweeps: int = Field(
        1, ge=1, description="Sweeps running at once in one worker process; more wait, then get a 503."
    )
    max_concurrent_simulations: int = Field(
        4, ge=1, description="Simulations running at once in one worker process; more wait for a slot."
    )
    queue_timeout_s: float = Field(
        10.0, ge=0, description="How long a simulation waits for a free slot before the answer is 503."
    )
    retry_after_s: int = Field(2, ge=0, description="`Retry-After` seconds sent with a 503.")
    max_body_bytes: int = Field(
        2 * 1024 * 1024,
        ge=1024,
        description="Largest request body accepted (413 beyond). 1000 x 16 explicit inputs need about 0.4 MB.",
    )
    max_upload_bytes: int = Field(
        64 * 1024 * 1024,
        ge=1024,
        description="Largest upload to /api/simulate/upload (413 beyond). A 4-layer lstm at H = 256 is 8 MB as "
        "float32 .safetensors, 17 MB as float64 .npz.",
    )
    gzip_minimum_size: int = Field(
        1024, ge=0, description="Responses smaller than this are never compressed (gzip or zstd)."
    )
    gzip_level: int = Field(
        1,
        ge=1,
        le=9,
        description="zlib level. Float JSON barely compresses better at 6 (-8% bytes) and takes 6x longer.",
    )
    zstd_level: int = Field(
        1,
        ge=0,
        le=19,
        description="zstd level of the simulate answers sent to clients that accept zstd (Chromium 123+, "
        "Firefox 126+; others get gzip); 0 = never zstd. Level 1 is 10-17x faster than gzip level 1 here for "
        "the same size or smaller (docs/api.md, Compression).",
    )
    blas_threads: int | None = Field(
        1, ge=1, description="BLAS threads per worker process, set at start-up; unset = the library's default."
    )
    frontend_dir: Path = Field(PAGE_DIR, description="The page served at `/`.")
    runs_dir: Path | None = Field(
        None,
        description="The folder of watched training runs (gradflow.watch's logdir) that GET /api/runs serves; "
        "unset = no runs. `gradflow serve --runs DIR` sets it.",
    )

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value
