// Simulate answers small enough to read, shaped as GET /api/simulate answers them (docs/api.md), and the chart
// elements explore/views.js draws into, for tests that draw the main views the way the page does.

const grid = (rows, cols, f) => Array.from({ length: rows }, (_, t) => Array.from({ length: cols }, (_, u) => f(t, u)));

/** An answer for `cell` (its gates from `meta`, GET /api/meta's cells) over T steps and H units, with `config` merged in. */
export function simRun(meta, cell, { T = 3, H = 2, config = {} } = {}) {
  const log10 = Array.from({ length: T }, (_, t) => -(T - 1 - t) / 2);
  const { gates } = meta.cells[cell];
  const block = { spectral_radius: 0.9, max_singular_value: 1, eigenvalues: [[0.9, 0], [0.2, 0.4]] };
  const run = {
    config: {
      cell, seq_len: T, hidden_size: H, num_layers: 1, clip_mode: 'norm', clip_threshold: 1, clip_scope: 'parameters', ...config,
    },
    grad_h_norm: log10.map((l) => 10 ** l), grad_h_log10_norm: log10, grad_h_log10_abs: grid(T, H, (t) => log10[t]),
    grad_h_log10_norm_batch: null,
    memory_horizon: 2,
    spectrum: gates.length ? { ...block, blocks: Object.fromEntries(gates.map((g) => [g, block])) } : block,
    flow: { steps: [1, 2, 3], loss_steps: [3], log10_norm: [[-1, -0.5, 0]] },
    param_grad_norms: { weight_ih: 1, weight_hh: 2, bias_ih: 0.5, bias_hh: 0.5 },
    param_grad_log10_norms: { weight_ih: 0, weight_hh: Math.log10(2), bias_ih: Math.log10(0.5), bias_hh: Math.log10(0.5) },
    clipped_param_grad_norms: { weight_ih: 0.4, weight_hh: 0.8, bias_ih: 0.2, bias_hh: 0.2 },
    clipping: {
      mode: 'norm', scope: 'parameters', threshold: 1, total_norm: 2.5, total_norm_log10: Math.log10(2.5), clipped_total_norm: 1, clipped_at: [],
    },
  };
  if (gates.length) run.gates = Object.fromEntries(gates.map((g) => [g, grid(T, H, () => 0.5)]));
  if (cell === 'lstm') Object.assign(run, { grad_c_norm: run.grad_h_norm, grad_c_log10_norm: log10, grad_c_log10_abs: run.grad_h_log10_abs });
  return run;
}

/** One answer per cell of `cells`. */
export function simRuns(meta, cells, opts) {
  return Object.fromEntries(cells.map((c) => [c, simRun(meta, c, opts)]));
}

export const VIEW_HOOKS = ['unrolled', 'norms', 'gates', 'spectrum', 'flow', 'clipping', 'depth'];

/** A stand-in chart element per view, each on screen (so drawAll draws them all at once). */
export function viewHooks() {
  const section = { hidden: false };
  const hook = () => ({
    getBoundingClientRect: () => ({ width: 100, top: 0, bottom: 100 }), classList: { toggle() {} }, closest: () => section,
  });
  return Object.fromEntries(VIEW_HOOKS.map((k) => [k, hook()]));
}
