/**
 * The training lab's part of the page state: its own property table, in the same state object and URL as
 * the simulation's, every key prefixed `train_` so the two never collide (`train_cell` next to `cell`).
 *
 * Pure: no DOM, no fetch. Types, bounds and defaults of the request fields come from the API's TrainRequest
 * schema (schema.js); this table only says where each control goes and how it is labelled.
 */
import { controlSpecs } from '../lib/schema.js';

export const TRAIN_PREFIX = 'train_';
export const TRAIN_MODEL = 'TrainRequest';

const entry = (field, group, label, extra = {}) => ({ name: `${TRAIN_PREFIX}${field}`, field, group, label, ...extra });

/** Request fields the lab exposes as controls, in display order, grouped by panel. */
export const TRAIN_PROPERTIES = [
  entry('cell', 'train-model', 'Cell'),
  entry('activation', 'train-model', 'Activation', { onlyFor: ['rnn'] }),
  entry('init', 'train-model', 'W_hh init'),
  entry('recurrent_scale', 'train-model', 'Recurrent scale s'),
  entry('forget_bias', 'train-model', 'Forget-gate bias', { onlyFor: ['lstm'] }),
  entry('hidden_size', 'train-model', 'Hidden size H'),
  entry('task', 'train-task', 'Task'),
  entry('seq_len', 'train-task', 'Sequence length T'),
  entry('batch_size', 'train-task', 'Batch size'),
  entry('seed', 'train-task', 'Seed'),
  entry('optimizer', 'train-optim', 'Optimiser'),
  entry('learning_rate', 'train-optim', 'Learning rate'),
  entry('steps', 'train-optim', 'Steps'),
  entry('clip_mode', 'train-optim', 'Clipping'),
  entry('clip_threshold', 'train-optim', 'Clip threshold', { when: { clip_mode: ['norm', 'value'] } }),
  entry('report_every', 'train-optim', 'Report every'),
  entry('stop_when_solved', 'train-optim', 'Stop when solved'),
];

/** Lab settings that only change how the runs are drawn: kept when a preset is picked, redrawn without training. */
export const TRAIN_DISPLAY = ['train_yscale', 'train_zscale'];

/**
 * The lab's page-only settings. `train_vary` names the request field that differs between the runs trained
 * side by side ('none': one run); `train_values` lists its values (empty: every value of the field's enum).
 */
function viewProperties(specs) {
  const enums = specs.filter((s) => s.kind === 'enum').map((s) => s.field);
  return [
    {
      name: 'train_vary', kind: 'enum', values: ['none', ...enums], default: 'none', group: 'train-display',
      label: 'Side by side, one run per', description: 'Trains one network per value of this field, at the same time.',
    },
    { name: 'train_values', kind: 'list', default: [], label: 'Values of the varied field' },
    { name: 'train_yscale', kind: 'enum', values: ['log', 'linear'], default: 'log', group: 'train-display', label: 'Loss axis' },
    {
      name: 'train_zscale', kind: 'enum', values: ['shared', 'panel'], default: 'shared', group: 'train-display', label: 'Flow colour scale',
      description: 'One scale for every run, or one per run when a run that explodes would leave the others a single colour.',
    },
  ];
}

/** Every spec of the lab (request fields from the schema, then page settings); [] when the API has no TrainRequest. */
export function trainSpecs(openapi) {
  if (!openapi?.components?.schemas?.[TRAIN_MODEL]) return [];
  const fields = controlSpecs(openapi, TRAIN_PROPERTIES, TRAIN_MODEL);
  return [...fields, ...viewProperties(fields)];
}

/**
 * Whether a lab control matters for the state: not when the runs vary its field (each run sets it), and a
 * cell-specific one (or the clip threshold) only for its cells (or clip modes), unless the runs vary those.
 */
export function trainApplies(property, state) {
  if (property.field && state.train_vary === property.field) return false;
  const when = { ...(property.onlyFor ? { cell: property.onlyFor } : {}), ...property.when };
  return Object.entries(when).every(([field, values]) => state.train_vary === field || values.includes(state[`${TRAIN_PREFIX}${field}`]));
}

/** The values the runs take for the varied field: the state's list, or every value of the field's enum. */
function variedValues(state, specs) {
  if (state.train_values.length > 0) return state.train_values;
  return specs.find((s) => s.field === state.train_vary)?.values || [];
}

/** A run's name: the cell when the runs are one per cell (or there is one run), else "field value". */
function runLabel(field, value) {
  return field === 'cell' ? value : `${field} ${value}`;
}

/**
 * The runs a state asks for, as [{label, body}]: one POST /api/train body per value of the varied field
 * (or one run), with the API's field names, `stream: true` and `return_weights: true` (the summary brings the
 * trained network, which "Open in the views" shows). Values that did not parse stay raw strings, so the API
 * (not the page) says what is wrong with them.
 */
export function trainRequests(state, specs) {
  const base = { stream: true, return_weights: true };
  for (const spec of specs.filter((s) => s.field)) base[spec.field] = state[spec.name];
  const field = state.train_vary;
  if (field === 'none' || !(field in base)) return [{ label: String(base.cell), body: base }];
  return variedValues(state, specs).map((value) => ({ label: runLabel(field, value), body: { ...base, [field]: value } }));
}
