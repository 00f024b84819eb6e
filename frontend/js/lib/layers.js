/**
 * Stacked layers: which layer the per-layer views show and the run as they draw it. Pure: runs and state
 * in, runs out.
 *
 * With num_layers > 1 the API's top-level fields describe the top layer and `layers` (bottom first) holds
 * every layer's; the page asks for `layers` only while a lower layer is shown (api.js pageFields).
 */

/** What `layers[k]` holds for layer k: the fields the top-level answer repeats for the top layer. */
export const LAYER_FIELDS = [
  'hidden', 'cell_state', 'gates', 'grad_h', 'grad_h_norm', 'grad_h_log10_norm', 'grad_h_log10_abs',
  'grad_c', 'grad_c_norm', 'grad_c_log10_norm', 'grad_c_log10_abs', 'spectrum', 'memory_horizon', 'theory',
];

/** How many layers a run has: its config's num_layers, 1 for an API or run without stacks. */
export function layerCount(run) {
  const n = Number(run?.config?.num_layers);
  return Number.isInteger(n) && n > 1 ? n : 1;
}

/** The 0-based layer to show: state.layer ('1'..count from the bottom), else (or out of range) the top. */
export function shownLayer(state, count) {
  const k = Number(state.layer);
  return Number.isInteger(k) && k >= 1 && k <= count ? k - 1 : count - 1;
}

/** The selector's choices, bottom first; the top layer's value is 'top', so it follows a change of num_layers. */
export function layerOptions(count) {
  return Array.from({ length: count }, (_, k) => {
    const top = k === count - 1;
    const where = k === 0 ? ' (bottom)' : top ? ' (top, read by the loss)' : '';
    return { value: top ? 'top' : String(k + 1), text: `${k + 1}${where}` };
  });
}

/** The selector's value for a state: 'top' whenever the top layer is shown, however the URL named it. */
export function layerValue(state, count) {
  const k = shownLayer(state, count);
  return k === count - 1 ? 'top' : String(k + 1);
}

/**
 * One run as the per-layer views draw it: layer k's fields in place of the top layer's. The batch band is
 * left out for a lower layer, because the API gives it for the top layer only. Without `layers` (not asked
 * for, or one layer) the run is returned as it is.
 */
export function runForLayer(run, k) {
  if (!Array.isArray(run.layers) || k >= run.layers.length - 1) return run;
  const out = { ...run, grad_h_log10_norm_batch: undefined };
  for (const field of LAYER_FIELDS) out[field] = run.layers[k][field];
  return out;
}

/** Every run ({label: response}) as the views draw it for the state's layer. */
export function shownRuns(runs, state) {
  return Object.fromEntries(Object.entries(runs).map(([label, run]) => [label, runForLayer(run, shownLayer(state, layerCount(run)))]));
}

/** "layer 2 of 3" for a stack, '' for one layer: what titles and readouts add so no one mistakes the layer. */
export function layerTag(run, state) {
  const count = layerCount(run);
  return count > 1 ? `layer ${shownLayer(state, count) + 1} of ${count}` : '';
}
