// Every chart of the page draws with theme.json's labels and colours (served by GET /api/meta), the ones the
// library's figures read too (tests/theme/test_theme.py checks those). The charts are drawn the way the page
// draws them (explore/views.js, train/views.js, the sweep chart) into the Plotly stand-in, twice: with the theme
// as it is on disk, and with every theme value replaced by a token naming its place, so a chart that kept a
// label or a colour of its own shows it even where the copy still equals the theme.
import test from 'node:test';
import assert from 'node:assert/strict';
import { drawSweep } from '../../../frontend/js/charts/sweep.js';
import { drawAll } from '../../../frontend/js/explore/views.js';
import { metricOf } from '../../../frontend/js/sweep/state.js';
import { addEvent, newRun } from '../../../frontend/js/train/runs.js';
import { drawTrainViews } from '../../../frontend/js/train/views.js';
import '../support/plotly-stub.mjs';
import {
  themeFromDisk, token, useApiMeta, useMarkedMeta,
} from '../support/meta.mjs';
import { progress, summary } from '../support/train-fixtures.mjs';

const THEME = themeFromDisk();
const T = 3;
const H = 2;

// what explore/views.js measures: every chart counts as on screen, so all draw at once
globalThis.window = { innerHeight: 1000 };

// ---- the page's views, drawn as the page draws them ----------------------------------------------------------

const grid = (rows, cols, f) => Array.from({ length: rows }, (_, t) => Array.from({ length: cols }, (_, u) => f(t, u)));

/** A simulate answer for `cell` with what the views draw (its gates and blocks named by GET /api/meta's cells). */
function simRun(meta, cell, extra = {}) {
  const log10 = [-1, -0.5, 0];
  const { gates } = meta.cells[cell];
  const block = { spectral_radius: 0.9, max_singular_value: 1, eigenvalues: [[0.9, 0], [0.2, 0.4]] };
  const run = {
    config: {
      cell, seq_len: T, hidden_size: H, num_layers: 2, clip_mode: 'norm', clip_threshold: 1, clip_scope: 'parameters', ...extra.config,
    },
    grad_h_norm: log10.map((l) => 10 ** l), grad_h_log10_norm: log10, grad_h_log10_abs: grid(T, H, (t) => log10[t]),
    grad_h_log10_norm_batch: { mean: log10, min: log10, max: log10 },
    memory_horizon: 2,
    spectrum: gates.length ? { ...block, blocks: Object.fromEntries(gates.map((g) => [g, block])) } : block,
    flow: { steps: [1, 2, 3], loss_steps: [3], log10_norm: [[-1, -0.5, 0]] },
    param_grad_norms: { weight_hh_l0: 2, bias_hh_l0: 0.5 }, param_grad_log10_norms: { weight_hh_l0: Math.log10(2), bias_hh_l0: Math.log10(0.5) },
    clipped_param_grad_norms: { weight_hh_l0: 1, bias_hh_l0: 0.25 },
    clipping: {
      mode: 'norm', scope: 'parameters', threshold: 1, total_norm: 2.06, total_norm_log10: Math.log10(2.06), clipped_total_norm: 1, clipped_at: [2],
    },
    depth_flow: grid(2, T, (l, t) => -t - l),
  };
  run.theory = gates.length
    ? { bound: null, mean_field: null, cell_path: { log10_norm: log10 } }
    : { bound: { log10_norm: [0, 0, 0] }, mean_field: { log10_norm: log10, chi: 0.9, critical_scale: 1.2 }, cell_path: null };
  if (gates.length) run.gates = Object.fromEntries(gates.map((g) => [g, grid(T, H, () => 0.5)]));
  if (cell === 'lstm') Object.assign(run, { grad_c_norm: run.grad_h_norm, grad_c_log10_norm: log10, grad_c_log10_abs: run.grad_h_log10_abs });
  return run;
}

const EXPLORE_VIEWS = { unrolled: 'unrolled', norms: 'norms', gates: 'gates', spectrum: 'spectrum', flow: 'flow', clipping: 'clipping', depth: 'depth_flow' };

function exploreHooks() {
  const section = { hidden: false };
  const hook = () => ({
    getBoundingClientRect: () => ({ width: 100, top: 0, bottom: 100 }), classList: { toggle() {} }, closest: () => section,
  });
  return Object.fromEntries(Object.keys(EXPLORE_VIEWS).map((k) => [k, hook()]));
}

/** Every chart the main views draw, for one cell (an lstm, with the cell path and a stack) and compare mode, on both axis settings. */
async function exploreCharts(meta) {
  const out = [];
  const states = [
    { cell: 'lstm', compare: false, yscale: 'log', zscale: 'shared' },
    { cell: 'gru', compare: false, yscale: 'linear', zscale: 'panel' },
    { cell: 'rnn', compare: true, yscale: 'log', zscale: 'panel' },
  ];
  for (const state of states) {
    const cells = state.compare ? Object.keys(meta.cells) : [state.cell];
    const runs = Object.fromEntries(cells.map((c) => [c, simRun(meta, c)]));
    const hooks = exploreHooks();
    await drawAll(hooks, runs, { palette: 'Viridis', layer: 'top', ...state });
    for (const [key, name] of Object.entries(EXPLORE_VIEWS)) out.push({ view: name, how: JSON.stringify(state), div: hooks[key] });
  }
  return out;
}

function trainRun(label, config, events) {
  const run = newRun(label, { task: 'adding', steps: 10, seq_len: T, clip_mode: 'norm', clip_threshold: 1, ...config });
  events.forEach((e) => addEvent(run, e));
  return run;
}

const TRAIN_VIEWS = { loss: 'train_loss', grad: 'train_grad', flow: 'train_flow', memory: 'train_memory' };

/** Every chart the training lab draws: runs one per cell (an lstm solved), then runs that are not (the run palette). */
async function trainCharts() {
  const gated = (step) => progress(step, T, { forget_gate_mean: 0.7, update_gate_mean: 0.4, memory_horizon: 2 });
  const sets = [
    [trainRun('rnn', { cell: 'rnn' }, [progress(1, T), progress(5, T)]),
      trainRun('lstm', { cell: 'lstm' }, [gated(1), gated(5), summary({ solved: true, solved_at: 5 })])],
    [trainRun('clip_mode none', { cell: 'gru', clip_mode: 'none' }, [gated(1)]), trainRun('clip_mode norm', { cell: 'gru' }, [gated(1)])],
  ];
  const out = [];
  for (const [k, runs] of sets.entries()) {
    for (const state of [{ train_yscale: 'log', train_zscale: 'shared' }, { train_yscale: 'linear', train_zscale: 'panel' }]) {
      const hooks = { loss: {}, grad: {}, flow: {}, memory: {} };
      await drawTrainViews(hooks, runs, { palette: 'Cividis', ...state }, k);
      for (const [key, name] of Object.entries(TRAIN_VIEWS)) out.push({ view: name, how: `set ${k} ${JSON.stringify(state)}`, div: hooks[key] });
    }
  }
  return out;
}

/** The sweep's chart: two axes with the critical line, one axis with the band, another metric, and an empty chart. */
async function sweepCharts(meta) {
  const x = { field: 'recurrent_scale', values: [0.5, 1, 2], log: true };
  const y = { field: 'seq_len', values: [10, 100], log: false };
  const critical = metricOf(meta.critical_metric);
  const other = metricOf('memory_horizon');
  const rows = (v) => [v, v];
  const heat = { x, y, critical: 'the critical line', predicted: [1.2, 1.1], mean: rows([-3, 0, 4]), min: rows([-3, 0, 4]), max: rows([-3, 0, 4]), count: rows([1, 1, 1]) };
  const line = { x, y: null, critical: 'the critical line', predicted: [1.2], mean: [[-3, 0, 4]], min: [[-4, -1, 3]], max: [[-2, 1, 5]], count: [[2, 2, 2]] };
  const opts = { palette: 'Viridis', note: '', revision: 1, uirevision: 'sweep', filename: 'sweep' };
  const draws = [
    [{ ...heat, label: critical.label }, { ...opts, diverging: true }],
    [{ ...line, label: critical.label }, { ...opts, diverging: true }],
    [{ ...heat, label: other.label, critical: null }, { ...opts, diverging: false }],
    [{ ...line, label: other.label }, { ...opts, note: 'why it is empty' }],
  ];
  const out = [];
  for (const [k, [data, o]] of draws.entries()) {
    const div = {};
    await drawSweep(div, data, o);
    out.push({ view: 'sweep', how: `draw ${k}`, div, fields: [x.field, y.field], label: data.label });
  }
  return out;
}

async function everyChart(meta) {
  return [...await exploreCharts(meta), ...await trainCharts(), ...await sweepCharts(meta)];
}

// ---- what a drawn chart says and shows ----------------------------------------------------------------------

/** Every axis title and colour-bar title of a drawn chart, empty ones left out. */
function labelsOf(div) {
  const out = [];
  const walk = (node, key) => {
    if (Array.isArray(node)) node.forEach((n) => walk(n, key));
    else if (node && typeof node === 'object') {
      if ((/^[xy]axis\d*$/.test(key) || key === 'colorbar') && node.title?.text) out.push(node.title.text);
      for (const [k, v] of Object.entries(node)) walk(v, k);
    }
  };
  walk(div.layout, '');
  walk(div.data, '');
  return out;
}

const COLOUR_KEYS = new Set(['color', 'fillcolor', 'zerolinecolor', 'plot_bgcolor', 'paper_bgcolor', 'bgcolor', 'bordercolor', 'gridcolor', 'linecolor']);

/** Every colour a drawn chart uses (colour scales as their colours, or their name), with where it was. */
function coloursOf(div) {
  const out = [];
  const walk = (node, path) => {
    if (Array.isArray(node)) node.forEach((n, k) => walk(n, `${path}.${k}`));
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (COLOUR_KEYS.has(k) && typeof v === 'string') out.push({ colour: v, at: `${path}.${k}` });
        else if (k === 'colorscale' && typeof v === 'string') out.push({ colour: v, at: `${path}.${k}` });
        else if (k === 'colorscale' && Array.isArray(v)) v.forEach(([, c], i) => out.push({ colour: c, at: `${path}.${k}.${i}` }));
        else walk(v, `${path}.${k}`);
      }
    }
  };
  walk(div.layout, 'layout');
  walk(div.data, 'data');
  return out;
}

/** The labels a view has in a theme: every entry of views[view] but its title (shown by the page's heading). */
const viewLabels = (theme, view) => Object.entries(theme.views[view]).filter(([k]) => k !== 'title').map(([, v]) => v);

// ---- the tests ------------------------------------------------------------------------------------------------

test('every axis and colour-bar title of every chart is its view\'s in theme.json, and each one theme.json has is shown', async () => {
  const meta = useApiMeta();
  const shown = {};
  for (const { view, how, div, fields, label } of await everyChart(meta)) {
    const allowed = new Set([...viewLabels(THEME, view), ...(fields || []).flatMap((f) => [f, `${f} (log scale)`]), ...(label ? [label] : [])]);
    for (const text of labelsOf(div)) {
      assert.ok(allowed.has(text), `${view} (${how}) is labelled "${text}", which theme.json's views.${view} does not say`);
      (shown[view] ||= new Set()).add(text);
    }
  }
  for (const view of Object.keys(THEME.views)) {
    for (const text of viewLabels(THEME, view)) assert.ok(shown[view]?.has(text), `views.${view} says "${text}" and no chart shows it`);
  }
});

test('with every theme value replaced, every chart shows the replacements: no label or colour of its own', async () => {
  const meta = useMarkedMeta();
  const isToken = (s, prefix) => s.startsWith(`⟨${prefix}`) && s.endsWith('⟩');
  for (const { view, how, div, fields } of await everyChart(meta)) {
    const fieldTitles = new Set((fields || []).flatMap((f) => [f, `${f} (log scale)`]));
    for (const text of labelsOf(div)) {
      if (fieldTitles.has(text)) continue; // the sweep's axes are the swept fields' names
      assert.ok(isToken(text, `views.${view}.`) || isToken(text, 'sweep_metric_labels.'), `${view} (${how}) draws its own label "${text}"`);
    }
    for (const { colour, at } of coloursOf(div)) {
      // the page's palette setting (a state value, one of theme.json's palettes), Plotly's "no fill", and a theme colour
      // with an alpha suffix (a band in its line's colour) are the only others
      const ok = THEME.palettes.includes(colour) || colour === 'rgba(0,0,0,0)' || /^⟨[^⟩]+⟩([0-9a-f]{2})?$/.test(colour);
      assert.ok(ok, `${view} (${how}) draws with its own colour ${colour} at ${at}`);
    }
    assert.equal(div.layout.font.family, token('font_family'), `${view}: the theme's font`);
    assert.equal(div.layout.font.color, token('colours.text'), `${view}: the theme's text colour`);
  }
});

test('the colours land where theme.json says: cells, runs, the cell path, the horizon, clipping, blocks, marks, scales', async () => {
  const meta = useApiMeta();
  const c = THEME.colours;
  const charts = await everyChart(meta);
  const find = (view, how) => charts.find((d) => d.view === view && d.how.includes(how)).div;
  const trace = (div, name) => div.data.find((t) => t.name === name);

  const compareNorms = find('norms', '"compare":true');
  for (const cell of Object.keys(meta.cells)) assert.equal(trace(compareNorms, cell).line.color, c.cells[cell], `${cell}'s line`);
  const lstmNorms = find('norms', '"cell":"lstm"');
  assert.equal(trace(lstmNorms, '|dL/dc_t| (cell path)').line.color, c.cell_path);
  assert.equal(lstmNorms.data.find((t) => t.name?.startsWith('memory horizon')).line.color, c.horizon);
  assert.equal(lstmNorms.data.find((t) => t.name?.startsWith('clip threshold')).line.color, c.mark);

  const theoryColour = (div, prefix) => div.data.find((t) => t.name?.startsWith(prefix)).line.color;
  assert.equal(theoryColour(lstmNorms, THEME.theory_labels.cell_path), c.theory.cell_path);
  assert.equal(theoryColour(compareNorms, `rnn: ${THEME.theory_labels.bound}`), c.cells.rnn, 'comparing, a theory line takes its cell\'s colour');
  assert.equal(theoryColour(find('spectrum', '"cell":"rnn"'), THEME.theory_labels.critical_scale), c.theory.critical_scale);

  const clipping = find('clipping', '"cell":"lstm"');
  assert.deepEqual([trace(clipping, 'before clipping').marker.color, trace(clipping, 'after clipping').marker.color], [c.clipping.before, c.clipping.after]);
  const blocks = find('spectrum', '"cell":"lstm"').data.filter((t) => t.mode === 'markers').map((t) => t.marker.color);
  assert.deepEqual(blocks, c.blocks.slice(0, meta.cells.lstm.gates.length), 'one theme colour per gate block');
  assert.equal(find('spectrum', '"cell":"rnn"').data.find((t) => t.mode === 'markers').marker.color, c.cells.rnn);
  assert.equal(find('spectrum', '"cell":"rnn"').layout.xaxis.zerolinecolor, c.zero_line);
  assert.equal(find('gates', '"cell":"lstm"').layout.coloraxis2.colorscale, THEME.tanh_palette);
  assert.equal(find('depth_flow', '"cell":"lstm"').layout.shapes[0].line.color, c.mark);

  const loss = find('train_loss', 'set 0 {"train_yscale":"log"');
  assert.deepEqual(['rnn', 'lstm'].map((l) => trace(loss, l).line.color), [c.cells.rnn, c.cells.lstm]);
  assert.equal(loss.data.find((t) => t.name.startsWith('solved below')).line.color, c.solved);
  assert.equal(loss.data.find((t) => t.name.startsWith('baseline')).line.color, c.muted);
  const notCells = find('train_grad', 'set 1');
  assert.deepEqual(['clip_mode none', 'clip_mode norm'].map((l) => trace(notCells, `${l}: before clipping`).line.color), c.runs.slice(0, 2));

  const heat = find('sweep', 'draw 0').data.find((t) => t.type === 'heatmap');
  assert.deepEqual([heat.colorscale[0][1], heat.colorscale.at(-1)[1]], [c.sweep.vanish[0], c.sweep.explode[0]]);
  assert.equal(find('sweep', 'draw 0').data.find((t) => t.type === 'contour').line.color, c.sweep.critical);
  assert.equal(find('sweep', 'draw 0').data.find((t) => t.name === THEME.theory_labels.critical_line).line.color, c.sweep.predicted);
  const band = find('sweep', 'draw 1').data.find((t) => t.fill === 'tonexty');
  assert.equal(band.fillcolor, c.sweep.band);
  for (const { div } of charts) {
    assert.deepEqual([div.layout.font.family, div.layout.font.color, div.layout.plot_bgcolor], [THEME.font_family, c.text, c.background]);
  }
});
