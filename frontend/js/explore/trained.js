/**
 * Networks that come into the views from elsewhere: a run of the training lab (its summary's `weights`, which
 * POST /api/train returns with `return_weights: true`) and the trained examples GET /api/meta lists. Each becomes
 * a weights file that the "Your network" control uploads as if it had been dropped, with the state changes that
 * show it at its task's sequence length. Pure but for making File objects; main.js does the fetching.
 */
import { meta } from '../lib/meta.js';

/**
 * The lab request's fields that make the same network's seeded initialisation in /api/simulate: the lab's
 * init equals the simulation's seeded weights for the same cell, sizes, init, recurrent scale, forget bias and seed.
 */
const SEEDED_FIELDS = ['cell', 'activation', 'hidden_size', 'init', 'recurrent_scale', 'forget_bias', 'seed'];

/** The trained arrays /api/simulate takes as `params`: the cell's, without the readout (the views have their own). */
export function cellWeights(weights) {
  return Object.fromEntries(Object.entries(weights || {}).filter(([name]) => !name.startsWith('readout')));
}

/** Whether a lab run can be opened in the views: it ended with its trained weights in the summary. */
export function canOpen(run) {
  return Boolean(run.summary?.weights && Object.keys(cellWeights(run.summary.weights)).length > 0);
}

/**
 * The views' state for a lab run's network (`config`: its POST /api/train body): the same cell, sizes and seeded
 * initialisation, one layer, the task's input size and the sequence length it was trained at.
 */
export function trainedChanges(config) {
  const changes = Object.fromEntries(SEEDED_FIELDS.filter((k) => config[k] !== undefined).map((k) => [k, config[k]]));
  const task = meta().tasks[config.task];
  return { ...changes, num_layers: 1, seq_len: config.seq_len, ...(task ? { input_size: task.input_size } : {}) };
}

/** A file name from a run's label: "clip_mode norm" -> "trained-clip_mode-norm.json". */
export function trainedFileName(label) {
  return `trained-${String(label).trim().replace(/[^\w.-]+/g, '-')}.json`;
}

/** The lab run's trained network as a .json weights file ({PyTorch name: nested list}). */
export function trainedFile(run) {
  const body = JSON.stringify(cellWeights(run.summary.weights));
  return new File([body], trainedFileName(run.label), { type: 'application/json' });
}

/** The file name an example's url ends with: "api/networks/lstm-adding-50.safetensors" -> "lstm-adding-50.safetensors". */
export function exampleFileName(example) {
  return String(example.url).split('/').pop();
}

/** The views' state for an example network: its sequence length, generated inputs (its shape comes from the file). */
export function exampleChanges(example) {
  return { seq_len: example.seq_len, input_file: false };
}

/** One line on an example: "an lstm that solved the adding problem at T = 50 (solved at step 637)". */
export function exampleText(example) {
  const how = example.solved ? `solved at training step ${example.solved_at}` : 'not solved';
  return `${example.description} (${example.cell}, H = ${example.hidden_size}, ${how})`;
}
