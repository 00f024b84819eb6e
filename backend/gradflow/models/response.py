"""The answer of a simulation: what each key of the core's result dict means, for OpenAPI and for clients.

The keys are the core's (`gradflow.core.simulate.RESPONSE_FIELDS`); this model only describes them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from gradflow.core.config import ClipMode, ClipScope

from .request import SimulateRequest
from .typed import TypedArray

Number = float | None
"""A float64 from the core; `null` where it is not finite (the response's `warnings` says where)."""
Vector = list[Number] | TypedArray
"""A list of numbers, or with arrays=binary a typed array."""
Matrix = list[list[Number]] | TypedArray


class Flow(BaseModel):
    """Gradient-flow matrix: row j, column k = log10 |dL_{t'}/dh_t|, t' = loss_steps[j], t = steps[k]."""

    loss_steps: list[int] = Field(description="1-based loss positions t' (rows).")
    steps: list[int] = Field(description="1-based time steps t (columns).")
    log10_norm: Matrix = Field(description="len(loss_steps) x len(steps); null where t > t'.")


class BatchStats(BaseModel):
    """Per-step statistics of log10 |dL/dh_t| over the batch."""

    mean: Vector
    min: Vector
    max: Vector


class SpectrumBlock(BaseModel):
    """Eigenvalues and norms of one gate block of W_hh."""

    eigenvalues: Matrix = Field(description="H x 2: [re, im] pairs.")
    spectral_radius: Number = None
    max_singular_value: Number = None


class Spectrum(BaseModel):
    """Eigenvalues of W_hh per gate block (gate names: 'h' for rnn, i f g o for lstm, r z n for gru)."""

    blocks: dict[str, SpectrumBlock]
    spectral_radius: Number = Field(None, description="Largest over the blocks.")
    max_singular_value: Number = Field(None, description="Largest over the blocks.")


class Clipping(BaseModel):
    """What gradient clipping did."""

    mode: ClipMode
    scope: ClipScope
    threshold: Number = None
    total_norm: Number = Field(None, description="Global 2-norm of the parameter gradients before clipping.")
    total_norm_log10: Number = None
    scale: Number = Field(None, description="Factor applied (norm, parameters scope); 1 when not clipped.")
    scale_log10: Number = Field(
        None, description="log10 of `scale`, exact even when the scale underflows to 0 (total norm beyond float64)."
    )
    clipped_total_norm: Number = None
    clipped_steps: int | None = Field(None, description="bptt scope: how many steps were clipped.")
    clipped_at: list[int] | None = Field(None, description="bptt scope: 1-based steps clipped (sequence 0).")


MEMORY_HORIZON = (
    "Steps back from the loss while |dL/dh_t| stays above 1e-3 of its value there. null = beyond the sequence: "
    "within it |dL/dh_t| never falls below 1e-3 of its value at the loss, so the memory reaches past step 1."
)
"""Here null is an answer, not an overflow, so the schema says what it means."""


class TheoryItem(BaseModel):
    """One prediction (docs/theory.md): which formula, what it says and assumes, and its numbers."""

    model_config = {"extra": "allow"}

    formula: str = Field(description="The formula's id: pascanu2013-bound, meanfield-chi, cell-path-product.")
    statement: str
    assumptions: str
    source: str = Field(description="Where the formula comes from.")
    log10_norm: Vector | None = Field(None, description="T: the predicted (or bounding) log10 |dL/dh_t| per step.")


class Theory(BaseModel):
    """What theory predicts beside the measurement; an item is null, with a warning saying why, where it does
    not apply."""

    bound: TheoryItem | None = Field(
        None, description="rnn: log10 of Pascanu's upper bound on |dL/dh_t| per step (sigma_max, gamma)."
    )
    mean_field: TheoryItem | None = Field(
        None,
        description="seeded rnn: q_star, chi, critical_scale (s*), sigma_in2, decay_per_step (0.5 log10 chi), "
        "log10_norm (the predicted line anchored at the loss), memory_horizon.",
    )
    cell_path: TheoryItem | None = Field(
        None,
        description="lstm (forget gate f) or gru (update gate z): log10_norm, the direct path's share of dL/dc_t "
        "(dL/dh_t) back from T, and log10_mean_product, the product of the gate over units' mean.",
    )


class Layer(BaseModel):
    """One layer of a stack (sequence 0), bottom layer first: the per-layer fields of the answer."""

    hidden: Matrix = Field(description="T x H hidden states h_t of this layer.")
    cell_state: Matrix | None = None
    gates: dict[str, Matrix] | None = None
    grad_h: Matrix = Field(description="T x H, dL/dh_t of this layer: through every later step and layer above.")
    grad_c: Matrix | None = None
    grad_h_norm: Vector
    grad_c_norm: Vector | None = None
    grad_h_log10_norm: Vector
    grad_c_log10_norm: Vector | None = None
    grad_h_log10_abs: Matrix
    grad_c_log10_abs: Matrix | None = None
    spectrum: Spectrum
    memory_horizon: int | None = Field(None, description=MEMORY_HORIZON)
    theory: Theory | None = Field(None, description="This layer's own theory items.")


class WeightsInfo(BaseModel):
    """Where the weights came from: seeded from `seed`, or explicit (given, or uploaded) and what became what."""

    source: Literal["seeded", "explicit"]
    recognised: dict[str, str] = Field(default_factory=dict, description="Given array name -> PyTorch name it became.")
    ignored: list[str] = Field(default_factory=list, description="Given arrays that are not the recurrent layer's.")
    notes: list[str] = Field(default_factory=list, description="Conversions made (Keras layout, missing biases).")
    inferred: dict[str, Any] = Field(
        default_factory=dict,
        description="Shape fields read from the arrays because the request left them out (cell, hidden_size, "
        "input_size, num_layers).",
    )


class SimulateResponse(BaseModel):
    """One simulation. Arrays over time are lists of rows, row k = step t = k + 1. Float64 throughout;
    a value that is not finite is null and `warnings` says where. With `fields`, only those keys (plus
    `config`, `warnings`, `elapsed_ms`) are present."""

    config: SimulateRequest = Field(description="The request with every default filled in.")
    theory: Theory | None = Field(None, description="What theory predicts for the top layer (docs/theory.md).")
    loss: Number = Field(
        None,
        description="L of sequence 0: v . h_T (loss 'last') or sum_t v . h_t ('all'); v is the readout, a "
        "seeded unit vector unless `params` gives one.",
    )
    loss_batch_mean: Number = Field(None, description="L averaged over the batch's sequences.")
    hidden: Matrix | None = Field(None, description="T x H hidden states h_t.")
    cell_state: Matrix | None = Field(None, description="lstm: T x H cell states c_t.")
    gates: dict[str, Matrix] | None = Field(None, description="lstm {i,f,g,o}, gru {r,z,n}: T x H each.")
    grad_h: Matrix | None = Field(None, description="T x H, dL/dh_t (total derivative).")
    grad_c: Matrix | None = Field(None, description="lstm: T x H, dL/dc_t.")
    grad_h_norm: Vector | None = Field(None, description="T: |dL/dh_t|; null beyond float64.")
    grad_c_norm: Vector | None = Field(None, description="lstm: T: |dL/dc_t|; null beyond float64.")
    grad_h_log10_norm: Vector | None = Field(
        None,
        description="T: log10 |dL/dh_t|, exact beyond float64's range; null for an exact zero (or a value float64 arithmetic could not hold: `warnings` says which).",
    )
    grad_c_log10_norm: Vector | None = Field(
        None,
        description="lstm: T: log10 |dL/dc_t|, exact beyond float64's range; null for an exact zero (or a value float64 arithmetic could not hold: `warnings` says which).",
    )
    grad_h_log10_abs: Matrix | None = Field(None, description="T x H: log10 |dL/dh_t| per element.")
    grad_c_log10_abs: Matrix | None = Field(None, description="lstm: T x H: log10 |dL/dc_t| per element.")
    grad_x: Matrix | None = Field(None, description="T x I, dL/dx_t.")
    flow: Flow | None = None
    memory_horizon: int | None = Field(None, description=MEMORY_HORIZON)
    grad_h_log10_norm_batch: BatchStats | None = None
    spectrum: Spectrum | None = None
    clipping: Clipping | None = None
    param_grad_norms: dict[str, Number] | None = Field(
        None, description="{name: 2-norm of dL/d(name)} before clipping; null beyond float64."
    )
    clipped_param_grad_norms: dict[str, Number] | None = Field(None, description="The same norms after clipping.")
    param_grad_log10_norms: dict[str, Number] | None = Field(
        None, description="log10 of each parameter gradient's 2-norm, exact beyond float64; null for an exact zero."
    )
    params: dict[str, Vector | Matrix] | None = Field(None, description="return_params only.")
    inputs: Matrix | None = Field(None, description="return_params only: T x I (sequence 0).")
    param_grads: dict[str, Vector | Matrix] | None = Field(
        None, description="return_params only: {name: dL/d(name)} before clipping, the names and shapes of params."
    )
    clipped_param_grads: dict[str, Vector | Matrix] | None = Field(
        None, description="return_params only: the same gradients after clipping."
    )
    layers: list[Layer] | None = Field(None, description="num_layers > 1: every layer, bottom first.")
    weights: WeightsInfo | None = None
    gate_means: dict[str, Number] | None = Field(
        None, description="lstm/gru: each gate's mean over units, steps and every sequence of the batch (top layer)."
    )
    depth_flow: Matrix | None = Field(
        None, description="num_layers > 1: layers x T, log10 |dL/dh_t^(l)|, row l = layer l (bottom first)."
    )
    warnings: list[str] = Field(
        default_factory=list, description="In words: which values are not finite and why, saturation, clipping."
    )
    elapsed_ms: Number = Field(None, description="Server compute time in milliseconds.")
