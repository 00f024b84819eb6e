/**
 * The page's one state object, described by a property table and mirrored in the URL query string.
 *
 * Pure: no DOM, no fetch. API fields keep the API's names; their types, bounds and defaults come from the
 * schema (see schema.js), so this table only says where each control goes and how it is labelled.
 */

/** Request fields the page exposes as controls, in display order, grouped by panel. */
export const API_PROPERTIES = [
  { name: 'cell', group: 'model', label: 'Cell' },
  { name: 'activation', group: 'model', label: 'Activation', onlyFor: ['rnn'] },
  { name: 'init', group: 'model', label: 'W_hh init', seededOnly: true },
  { name: 'recurrent_scale', group: 'model', label: 'Recurrent scale s', seededOnly: true },
  { name: 'forget_bias', group: 'model', label: 'Forget-gate bias', onlyFor: ['lstm'], seededOnly: true },
  { name: 'hidden_size', group: 'model', label: 'Hidden size H' },
  { name: 'num_layers', group: 'model', label: 'Layers' },
  { name: 'seq_len', group: 'data', label: 'Sequence length T' },
  { name: 'input_size', group: 'data', label: 'Input size I' },
  { name: 'input_kind', group: 'data', label: 'Inputs', generatedOnly: true },
  { name: 'batch_size', group: 'data', label: 'Batch size' },
  { name: 'seed', group: 'data', label: 'Seed' },
  { name: 'loss', group: 'data', label: 'Loss on' },
  { name: 'flow_steps', group: 'data', label: 'Flow-matrix rows' },
  { name: 'clip_mode', group: 'clipping', label: 'Clipping' },
  { name: 'clip_threshold', group: 'clipping', label: 'Threshold' },
  { name: 'clip_scope', group: 'clipping', label: 'Clip what' },
];

/** Page-only settings (not sent to the API). Same table shape, but with their own types and defaults. */
export const VIEW_PROPERTIES = [
  { name: 'compare', kind: 'bool', default: false, label: 'Compare rnn, lstm and gru' },
  { name: 'yscale', kind: 'enum', values: ['log', 'linear'], default: 'log', label: 'Norm axis' },
  { name: 'zscale', kind: 'enum', values: ['shared', 'panel'], default: 'shared', label: 'Colour scale' },
  { name: 'palette', kind: 'enum', values: ['Viridis', 'Cividis'], default: 'Viridis', label: 'Palette' },
  {
    name: 'theory', kind: 'enum', values: ['on', 'off'], default: 'on', label: 'Theory lines',
    description: 'Dashed: what theory predicts beside the measurement (Pascanu\'s bound, the mean field, the gated cell path; docs/theory.md).',
  },
  { name: 'hide', kind: 'list', default: [], label: 'Hidden controls' },
];

/**
 * Page-only settings with controls of their own rather than controls.js's: the layer the per-layer views show
 * ('top', or '1'..'4' counting from the bottom; layer-select.js), and whether an uploaded weights or inputs
 * file is in use (network-control.js). The files themselves stay in the tab's memory, never in the URL, so a
 * reload or a shared link comes back with seeded weights and generated inputs.
 */
export const SELECTION_PROPERTIES = [
  { name: 'layer', kind: 'other', default: 'top', label: 'Layer shown' },
  { name: 'weights', kind: 'enum', values: ['seeded', 'file'], default: 'seeded', label: 'Weights' },
  { name: 'input_file', kind: 'bool', default: false, label: 'Inputs from a file' },
];

/** Every spec's default value: the state a URL without a query string means. */
export function defaultState(specs) {
  const state = {};
  for (const spec of specs) state[spec.name] = cloneValue(spec.default);
  return state;
}

function cloneValue(v) {
  return Array.isArray(v) ? [...v] : v;
}

/**
 * Turns one query-string value into the spec's type. A value that does not parse is kept as the raw
 * string, so the API (not the page) says what is wrong with it.
 */
export function coerce(spec, raw) {
  const text = String(raw).trim();
  switch (spec.kind) {
    case 'int':
      return /^[-+]?\d+$/.test(text) ? Number(text) : text;
    case 'float':
      return text !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
    case 'bool':
      if (['1', 'true', 'on', 'yes'].includes(text.toLowerCase())) return true;
      if (['0', 'false', 'off', 'no', ''].includes(text.toLowerCase())) return false;
      return text;
    case 'list':
      return text === '' ? [] : text.split(',').map((s) => s.trim()).filter(Boolean);
    default:
      return text;
  }
}

/** Serialises one value for a URL or an API query. */
export function formatValue(spec, value) {
  if (spec.kind === 'list') return value.join(',');
  if (spec.kind === 'bool' && typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
}

function sameValue(a, b) {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

/** The state a query string describes: defaults, overridden by every known parameter present. */
export function stateFromQuery(search, specs) {
  const params = new URLSearchParams(search);
  const state = defaultState(specs);
  for (const spec of specs) {
    if (params.has(spec.name)) state[spec.name] = coerce(spec, params.get(spec.name));
  }
  return state;
}

/** The query string for a state: only values that differ from the defaults, in table order. */
export function queryFromState(state, specs) {
  const params = new URLSearchParams();
  for (const spec of specs) {
    const value = state[spec.name];
    if (value === undefined || sameValue(value, spec.default)) continue;
    params.set(spec.name, formatValue(spec, value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * The GET /api/simulate query for a state: every API field explicitly, in a fixed order, so the same
 * state always gives the same URL (and the browser's ETag cache can answer it).
 */
export function apiQuery(state, apiSpecs, fields, overrides = {}) {
  const params = new URLSearchParams();
  for (const spec of apiSpecs) {
    const value = spec.name in overrides ? overrides[spec.name] : state[spec.name];
    if (value === undefined || value === null) continue;
    params.set(spec.name, formatValue(spec, value));
  }
  if (fields && fields.length) params.set('fields', fields.join(','));
  return params.toString();
}

/** A new state with `changes` applied; the input is never modified. */
export function withChanges(state, changes) {
  return { ...state, ...changes };
}

/**
 * Whether a control applies to the state: to the chosen cell (all apply in compare mode, which runs every
 * cell), to seeded weights only (an uploaded network has its own), to generated inputs only.
 */
export function appliesTo(property, state) {
  if (property.seededOnly && state.weights === 'file') return false;
  if (property.generatedOnly && state.input_file === true) return false;
  if (!property.onlyFor || state.compare === true) return true;
  return property.onlyFor.includes(state.cell);
}
