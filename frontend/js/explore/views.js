/**
 * From the API's runs to the charts. Picks what each view shows for the current mode (one cell or compare)
 * and passes plain data to the chart modules; does no fetching and writes no words (readouts.js). The runs
 * arrive as layers.js shownRuns made them: a stack's chosen layer in the top-level fields.
 */
import { drawClipping } from '../charts/clipping.js';
import { colours, narrowPage } from '../charts/common.js';
import { drawDepthFlow } from '../charts/depth-flow.js';
import { drawFlow } from '../charts/flow.js';
import { drawGates } from '../charts/gates.js';
import { drawNorms } from '../charts/norms.js';
import { drawSpectrum } from '../charts/spectrum.js';
import { drawUnrolled } from '../charts/unrolled.js';
import { horizonText } from '../lib/format.js';
import { nextFrame } from '../lib/frames.js';
import { layerCount, layerTag, shownLayer } from '../lib/layers.js';
import { cellMeta } from '../lib/meta.js';
import { primaryRun } from '../lib/shape.js';

/** A panel title with the stack's layer in front ("layer 1 of 3: ..."), unchanged for one layer. */
function tagged(title, run, state) {
  const tag = layerTag(run, state);
  return tag ? `${tag}: ${title}` : title;
}

function unrolledPanels(runs, state) {
  const labels = Object.keys(runs);
  if (labels.length > 1) {
    return labels.map((label) => ({
      label, title: tagged(label, runs[label], state), quantity: 'dL/dh_t', z: runs[label].grad_h_log10_abs, strip: runs[label].grad_h_log10_norm, stripNorm: runs[label].grad_h_norm,
    }));
  }
  const run = runs[labels[0]];
  const panels = [{
    label: labels[0], title: tagged(`${labels[0]}: log10|dL/dh_t|`, run, state), quantity: 'dL/dh_t', z: run.grad_h_log10_abs, strip: run.grad_h_log10_norm, stripNorm: run.grad_h_norm,
  }];
  if (run.grad_c_log10_abs) {
    panels[0].title = tagged('log10|dL/dh_t|', run, state);
    panels.push({ label: `${labels[0]} cell`, title: tagged('log10|dL/dc_t|', run, state), quantity: 'dL/dc_t', z: run.grad_c_log10_abs, strip: run.grad_c_log10_norm, stripNorm: run.grad_c_norm });
  }
  return state.compare ? panels.slice(0, 1) : panels;
}

function normSeries(runs) {
  const labels = Object.keys(runs);
  const { cells, cell_path: cellPath } = colours();
  const out = [];
  for (const label of labels) {
    const r = runs[label];
    out.push({
      label: labels.length > 1 ? label : `|dL/dh_t| (${label})`, short: label, quantity: '|dL/dh_t|', colour: cells[label],
      norm: r.grad_h_norm, log10: r.grad_h_log10_norm, batch: r.grad_h_log10_norm_batch, clippedAt: r.clipping && r.clipping.clipped_at,
    });
    if (labels.length === 1 && r.grad_c_log10_norm) {
      out.push({ label: '|dL/dc_t| (cell path)', quantity: '|dL/dc_t|', colour: cellPath, dash: 'dash', norm: r.grad_c_norm, log10: r.grad_c_log10_norm });
    }
  }
  return out;
}

/**
 * The theory lines the norm view draws (charts/norms.js theoryTraces) from each run's `theory`: Pascanu's bound
 * and the mean field (rnn), the direct path through the carrying gate (lstm: f, gru: z); none when
 * state.theory is 'off' or an item is null (the API's warnings say why). Comparing, each names its cell.
 */
export function theoryLines(runs, state) {
  if (state.theory === 'off') return [];
  const labels = Object.keys(runs);
  return labels.flatMap((label) => {
    const r = runs[label];
    const th = r.theory || {};
    const cell = labels.length > 1 ? label : undefined;
    const out = [];
    if (th.bound) out.push({ kind: 'bound', log10: th.bound.log10_norm, cell });
    if (th.mean_field) out.push({ kind: 'mean_field', log10: th.mean_field.log10_norm, chi: th.mean_field.chi, cell });
    if (th.cell_path) out.push({ kind: 'cell_path', log10: th.cell_path.log10_norm, gate: cellMeta(r.config.cell)?.memory_gate, cell });
    return out;
  });
}

/** The mean field's s* for the spectrum's circle: the shown run's, when the mean field applies and theory is on. */
export function criticalScale(run, state) {
  const s = state.theory === 'off' ? null : run.theory?.mean_field?.critical_scale;
  return Number.isFinite(s) ? s : null;
}

/**
 * One block per run with gates (the lstm and the gru in compare mode), each with the gradient its carrying
 * gate multiplies: dL/dc_t for the lstm's forget gate, dL/dh_t for the gru's update gate.
 */
function gateBlocks(runs) {
  return Object.values(runs).filter((r) => r.gates).map((r) => ({
    cell: r.config.cell,
    gates: r.gates,
    carry: r.config.cell === 'lstm' ? { quantity: 'dL/dc_t', z: r.grad_c_log10_abs } : { quantity: 'dL/dh_t', z: r.grad_h_log10_abs },
  }));
}

/** Runs one chart's draw and records its cost, until Plotly is done, as a performance measure "draw:<view>". */
async function timed({ view, draw }) {
  const start = performance.now();
  await draw();
  performance.measure(`draw:${view}`, { start, end: performance.now() });
}

/** Whether an element shows any part of itself in the window now. */
export function onScreen(el) {
  const box = el.getBoundingClientRect();
  return box.width > 0 && box.bottom > 0 && box.top < window.innerHeight;
}


/**
 * Draws the views for `runs` ({cell: response}); `hooks` maps view names to their chart elements. `views` (all
 * when absent) are those to draw now, whose numbers have arrived (explore/loading.js); `deferred` views draw a
 * note instead (the flow matrix, fetched when it comes near). The views on screen go first, together, then
 * `onScreenDrawn()`; the rest follow one per task after a paint, so a redraw shows what the student looks at
 * without waiting for charts further down. `onViewDrawn(view)` follows each. Stops early when `superseded()`
 * says a newer redraw has begun. Resolves true once every view asked for is drawn, false when it stopped early.
 */
export async function drawAll(hooks, runs, state, {
  onScreenDrawn = () => {}, superseded = () => false, views = null, deferred = [], onViewDrawn = () => {},
} = {}) {
  const jobs = viewJobs(hooks, runs, state, new Set(deferred)).filter((job) => !views || views.includes(job.view));
  const near = jobs.filter((job) => onScreen(job.el));
  // a view with nothing to draw for these runs (the depth view of one layer) is done as it is
  (views || []).filter((v) => !jobs.some((job) => job.view === v)).forEach((v) => onViewDrawn(v));
  const done = async (job) => {
    await timed(job);
    onViewDrawn(job.view);
  };
  await Promise.all(near.map(done));
  onScreenDrawn();
  for (const job of jobs.filter((j) => !near.includes(j))) {
    await nextFrame();
    if (superseded()) return false;
    await done(job);
  }
  return true;
}

/**
 * The depth view's job for a stack, or none: its section is shown only when the run has a depth_flow grid,
 * before anything is drawn into it (Plotly sizes a chart by its visible box).
 */
function depthJobs(hooks, primary, opts) {
  const grid = primary.depth_flow;
  hooks.depth.closest('section').hidden = !grid;
  if (!grid) return [];
  const shown = shownLayer(opts.state, layerCount(primary));
  return [{
    view: 'depth', el: hooks.depth,
    draw: () => drawDepthFlow(hooks.depth, grid, { palette: opts.state.palette, shown, uirevision: opts.rev('depth'), filename: opts.name('depth') }),
  }];
}

/** One {view, el, draw} per chart for the current mode; `deferred` views draw their note instead. */
function viewJobs(hooks, runs, state, deferred = new Set()) {
  const primary = primaryRun(runs, state.cell);
  const cfg = primary.config;
  const compare = Object.keys(runs).length > 1;
  const rev = (view) => `${view}-${compare ? 'compare' : cfg.cell}`;
  const name = (view) => `gradflow-${view}-${compare ? 'compare' : cfg.cell}-T${cfg.seq_len}-H${cfg.hidden_size}`;
  const palette = state.palette;
  // a phone's page: several panels stack one per row, and the clipping bars lie down
  const narrow = narrowPage();

  const gates = gateBlocks(runs);
  hooks.gates.classList.toggle('empty', gates.length === 0);

  const { cells, horizon } = colours();
  const horizons = Object.entries(runs).map(([label, r]) => ({
    value: r.memory_horizon, from: r.config.seq_len, text: horizonText(r.memory_horizon, r.config.seq_len), label: compare ? label : '',
    colour: compare ? cells[label] : horizon,
  }));
  // comparing, the spectrum and the flow matrix still show one network: the one Cell picks, and they say which
  const label = compare ? `showing the ${cfg.cell} (chosen under Cell)` : '';
  const job = (view, draw) => ({ view, el: hooks[view], draw });
  return [
    job('unrolled', () => drawUnrolled(hooks.unrolled, unrolledPanels(runs, state), {
      palette, shared: state.zscale !== 'panel', narrow, uirevision: rev('unrolled'), filename: name('unrolled'),
    })),
    job('norms', () => drawNorms(hooks.norms, normSeries(runs), {
      yscale: state.yscale, uirevision: `${rev('norms')}-${state.yscale}`, filename: name('norms'), horizons, theory: theoryLines(runs, state),
      threshold: { value: cfg.clip_threshold, mode: cfg.clip_mode, scope: cfg.clip_scope },
    })),
    job('gates', () => drawGates(hooks.gates, gates, { palette, narrow, uirevision: rev('gates'), filename: name('gates') })),
    job('spectrum', () => drawSpectrum(hooks.spectrum, primary.spectrum, {
      cell: cfg.cell, critical: criticalScale(primary, state), label, uirevision: rev('spectrum'), filename: name('spectrum'),
    })),
    job('flow', () => drawFlow(hooks.flow, deferred.has('flow') ? null : primary.flow, {
      palette, label, uirevision: rev('flow'), filename: name('flow'), pending: deferred.has('flow'),
    })),
    job('clipping', () => drawClipping(hooks.clipping, {
      before: primary.param_grad_norms, beforeLog10: primary.param_grad_log10_norms, after: primary.clipped_param_grad_norms, clipping: primary.clipping,
    }, {
      yscale: state.yscale, narrow, uirevision: `${rev('clipping')}-${state.yscale}`, filename: name('clipping'),
    })),
    ...depthJobs(hooks, primary, { state, rev, name }),
  ];
}
