// Watched runs as GET /api/runs and GET /api/runs/{name}?follow=true give them (docs/api.md "GET /api/runs";
// the field names are those of a snapshot written by gradflow.watch for a 2-layer lstm, T = 3).

export const META_LINE = {
  type: 'meta',
  name: 'exp1',
  meta: {
    module: 'LSTM', cell: 'lstm', activation: 'tanh', input_size: 3, hidden_size: 4, num_layers: 2, batch_first: false, bias: true,
    dtype: 'float32', every: 10, max_sequences: 2, started: 0,
  },
};

/** The cross-check of a step whose replay agrees with autograd. */
export const AGREES = {
  checked: true, max_rel_diff: 6e-7, per_param: { weight_hh_l0: 6e-7 }, dtype: 'float32', tolerance: 1e-4, ok: true,
  statement: 'replay agrees with your autograd to 6e-07 (float32 run)',
};

/** A snapshot line at `step`, its sequence `T` long; `fields` override. */
export function snapshot(step, T = 3, fields = {}) {
  const top = Array.from({ length: T }, (_, t) => 0.1 * (t - (T - 1)) - step / 100);
  return {
    type: 'snapshot', step, sequences: 2, batch_size: 3, grad_h_log10_norm: top, depth_flow: [top.map((v) => v - 0.5), top],
    memory_horizon: 2, grad_c_log10_norm: top,
    param_grad_log10_norms: { weight_ih_l0: 0, weight_hh_l0: 0, bias_ih_l0: -1, bias_hh_l0: -1 },
    spectral_radius: [1.1, 0.9], forget_gate_mean: [0.5, 0.6 + step / 1000], agreement: AGREES, warnings: [],
    scalars: { step: step - 1, loss: 1 / step }, dropped: 0, replay_ms: 3.5, ...fields,
  };
}

/** A logged scalars line. */
export function scalars(step, fields = {}) {
  return { type: 'scalars', step, time: 1000 + step, loss: 1 / (step + 1), lr: 0.01, ...fields };
}

/** GET /api/runs with one run. */
export const LISTED = {
  runs_dir: '/data/runs',
  runs: [
    {
      name: 'exp1', cell: 'lstm', input_size: 3, hidden_size: 4, num_layers: 2, dtype: 'float32', started: 0, snapshots: 3, last_step: 20,
      modified: 1,
    },
    {
      name: 'fresh', cell: 'gru', input_size: 2, hidden_size: 16, num_layers: 1, dtype: 'float64', started: 0, snapshots: 0, last_step: null,
      modified: 0,
    },
  ],
};
