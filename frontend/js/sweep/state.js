/**
 * The sweep's part of the page state: its own property table in the same state object and URL as the
 * simulation's, every key prefixed `sweep_` (`sweep_x=recurrent_scale&sweep_x_num=24`), and the
 * POST /api/sweep body a state asks for. The sweep's base is the simulation's own settings, so it sweeps
 * exactly the network the main views show.
 *
 * Pure: no DOM, no fetch. The axis fields, bounds and defaults come from the API's Axis and SweepRequest
 * schemas (schema.js), the metrics from GET /api/meta (lib/meta.js); this table says where each control goes,
 * how it is labelled, and the page's own starting ranges.
 */
import { meta } from '../lib/meta.js';
import { controlSpecs } from '../lib/schema.js';
import { axisValues } from './axes.js';

export const SWEEP_PREFIX = 'sweep_';
const AXIS_MODEL = 'Axis';
const SWEEP_MODEL = 'SweepRequest';
const NO_AXIS = 'none';

/**
 * The range an axis starts from when its field is chosen: one that shows something for that field. A field
 * the table does not know (a newer API) starts around its default.
 */
export const AXIS_RANGES = {
  recurrent_scale: { start: 0.5, stop: 2, num: 16, log: true },
  seq_len: { start: 10, stop: 300, num: 6, log: true },
  hidden_size: { start: 8, stop: 128, num: 5, log: true },
  input_size: { start: 1, stop: 16, num: 5, log: true },
  forget_bias: { start: 0, stop: 4, num: 9, log: false },
  batch_size: { start: 1, stop: 64, num: 7, log: true },
  clip_threshold: { start: 0.1, stop: 10, num: 9, log: true },
  flow_steps: { start: 0, stop: 128, num: 5, log: false },
  num_layers: { start: 1, stop: 4, num: 4, log: false },
};

/**
 * The metrics of every sweep point, [{name, label, cell}] (GET /api/meta `sweep_metrics`, docs/api.md "POST
 * /api/sweep"); a metric with a `cell` (a gate's mean) exists only for that cell.
 */
export function sweepMetrics() {
  return meta().sweep_metrics;
}

/** The metric whose zero is the critical line (GET /api/meta `critical_metric`): no net growth or decay of the gradient from h_T back to h_1. */
export function criticalMetric() {
  return meta().critical_metric;
}

const axisEntries = (axis, group, label) => [
  { name: `${SWEEP_PREFIX}${axis}`, field: 'field', group, label },
  { name: `${SWEEP_PREFIX}${axis}_start`, field: 'start', group, label: 'From' },
  { name: `${SWEEP_PREFIX}${axis}_stop`, field: 'stop', group, label: 'To' },
  { name: `${SWEEP_PREFIX}${axis}_num`, field: 'num', group, label: 'Points' },
  { name: `${SWEEP_PREFIX}${axis}_log`, field: 'log', group, label: 'Log spacing' },
];

/** The page's starting values: x sweeps the recurrent scale, no y axis (its range is the sequence length's). */
function pageDefaults() {
  const range = (axis, field) => Object.fromEntries(Object.entries(AXIS_RANGES[field]).map(([k, v]) => [`${SWEEP_PREFIX}${axis}_${k}`, v]));
  return {
    sweep_x: 'recurrent_scale', ...range('x', 'recurrent_scale'), sweep_y: NO_AXIS, ...range('y', 'seq_len'),
    sweep_metric: criticalMetric(),
  };
}

/**
 * Every spec of the sweep (axis controls from Axis, seeds from SweepRequest, the metric shown), or [] when
 * the API has no POST /api/sweep. The y axis's field may be 'none': one axis, drawn as a line.
 */
export function sweepSpecs(openapi) {
  const schemas = openapi?.components?.schemas || {};
  if (!schemas[SWEEP_MODEL] || !schemas[AXIS_MODEL]) return [];
  const defaults = pageDefaults();
  const axisTable = [...axisEntries('x', 'sweep-x', 'x axis: field'), ...axisEntries('y', 'sweep-y', 'y axis: field')];
  const axes = controlSpecs(openapi, axisTable, AXIS_MODEL);
  const seeds = controlSpecs(openapi, [{ name: 'sweep_seeds', field: 'seeds', group: 'sweep-run', label: 'Seeds per point' }], SWEEP_MODEL);
  const metric = {
    name: 'sweep_metric', kind: 'enum', values: sweepMetrics().map((m) => m.name), group: 'sweep-run', label: 'Colour shows',
    description: 'The gate means exist for their own cell only: forget gate for the lstm, update gate for the gru.',
  };
  return [...axes, ...seeds, metric].map((spec) => {
    const values = spec.name === 'sweep_y' ? [NO_AXIS, ...spec.values] : spec.values;
    return { ...spec, values, default: defaults[spec.name] ?? spec.default };
  });
}

/** The axis range a field starts from (AXIS_RANGES, or around the field's default from `apiSpecs`). */
export function rangeFor(field, apiSpecs) {
  if (AXIS_RANGES[field]) return AXIS_RANGES[field];
  const d = Number(apiSpecs.find((s) => s.name === field)?.default);
  return d > 0 ? { start: d / 4, stop: d * 4, num: 9, log: true } : { start: 0, stop: 1, num: 9, log: false };
}

/** The state changes a control asks for: choosing an axis's field also starts its range afresh. */
export function sweepChanges(name, value, apiSpecs) {
  const axis = { [`${SWEEP_PREFIX}x`]: 'x', [`${SWEEP_PREFIX}y`]: 'y' }[name];
  if (!axis || value === NO_AXIS) return { [name]: value };
  const range = Object.entries(rangeFor(value, apiSpecs)).map(([k, v]) => [`${SWEEP_PREFIX}${axis}_${k}`, v]);
  return { [name]: value, ...Object.fromEntries(range) };
}

/** Whether a sweep control matters for the state: the y range only with a y axis. */
export function sweepApplies(spec, state) {
  return !spec.name.startsWith(`${SWEEP_PREFIX}y_`) || state.sweep_y !== NO_AXIS;
}

const axisBody = (state, axis) => {
  const key = (k) => state[`${SWEEP_PREFIX}${axis}_${k}`];
  return { field: state[`${SWEEP_PREFIX}${axis}`], start: key('start'), stop: key('stop'), num: key('num'), log: key('log') };
};

/**
 * The POST /api/sweep body a state asks for: the simulation's settings (`apiSpecs`' fields) as the base, the
 * axes, the seeds, streamed. Values that did not parse go as typed, for the API to judge.
 */
export function sweepBody(state, apiSpecs) {
  const base = {};
  for (const spec of apiSpecs) if (state[spec.name] !== undefined) base[spec.name] = state[spec.name];
  const body = { base, x: axisBody(state, 'x'), seeds: state.sweep_seeds, stream: true };
  if (state.sweep_y !== NO_AXIS) body.y = axisBody(state, 'y');
  return body;
}

/**
 * The axes of a body as the page places points on them: {x: {field, values, log}, y: ... | null}, values
 * computed as the server does (sweep/axes.js), whole numbers for an integer field of `apiSpecs`.
 */
export function bodyAxes(body, apiSpecs) {
  const integer = (field) => apiSpecs.find((s) => s.name === field)?.kind === 'int';
  const axis = (a) => a && { field: a.field, values: axisValues(a, integer(a.field)), log: a.log === true };
  return { x: axis(body.x), y: axis(body.y) || null };
}

/** How many point lines a sweep of `axes` and `seeds` sends: every cell once per seed. */
export function pointTotal(axes, seeds) {
  const ny = axes.y ? axes.y.values.length : 1;
  return axes.x.values.length * ny * (Number.isInteger(seeds) ? seeds : 0);
}

/**
 * Whether two bodies sweep the same thing: equal but for the base's values of the swept fields, which the
 * axes override (so loading a point into the main views does not make the sweep shown out of date).
 */
export function sameSweep(a, b) {
  const key = (body) => {
    const base = { ...body.base };
    for (const axis of [body.x, body.y]) if (axis) delete base[axis.field];
    return JSON.stringify({ ...body, base });
  };
  return key(a) === key(b);
}

/**
 * The page's uploaded-network settings (lib/state.js SELECTION_PROPERTIES) as a sweep runs: seeded weights and
 * generated inputs, whatever the views use, since POST /api/sweep takes no explicit weights.
 */
export const SWEPT_NETWORK = { weights: 'seeded', input_file: false };

/** Whether the views use an uploaded network or inputs that a sweep cannot: their settings differ from SWEPT_NETWORK. */
export function usesUploads(state) {
  return Object.entries(SWEPT_NETWORK).some(([k, v]) => k in state && state[k] !== v);
}

/**
 * The state changes that load grid cell `config` (sweep/grid.js cellConfig) into the views: the cell's
 * settings, and the network switched back to the sweep's seeded one where the state has those settings.
 */
export function loadChanges(state, config) {
  const network = Object.entries(SWEPT_NETWORK).filter(([k]) => k in state);
  return { ...Object.fromEntries(network), ...config };
}

/** The sweep metric named `name` (the first one for a name the API does not know). */
export function metricOf(name) {
  const metrics = sweepMetrics();
  return metrics.find((m) => m.name === name) || metrics[0];
}
