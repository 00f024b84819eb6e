/**
 * The facts the page shares with the Python side, read once from GET /api/meta (docs/api.md) before anything
 * is drawn: each cell's gates and the one that carries memory, the training tasks' baselines, the sweep's
 * metrics, and the theme (gradflow/theme/theme.json: colours, colour scales, gate labels, each view's title,
 * axis labels and colour-bar titles). The page keeps no copy of any of them: every module asks here, at the
 * time it needs one, never when it is imported (the answer arrives after the imports).
 */
import { getJson } from './api.js';

let current = null;

/** Fetches GET /api/meta and keeps it for meta(); `get` is getJson, or a stand-in in tests. */
export async function loadMeta(get = getJson) {
  current = await get('api/meta');
  return current;
}

/** Keeps `value` (the shape of GET /api/meta) as the page's meta: what loadMeta does, for tests. */
export function setMeta(value) {
  current = value;
}

/** The meta loadMeta read; an error before it did, so a module that asks too early says so instead of guessing. */
export function meta() {
  if (current === null) throw new Error('The page asked for GET /api/meta before it was read.');
  return current;
}

/** The theme: colours, palettes, gate labels, views. */
export function theme() {
  return meta().theme;
}

/** One view's title and labels: {title, x, y, y_log, y2, colorbar, ...} (theme.json `views`). */
export function view(name) {
  return theme().views[name];
}

/** One cell's {gates (the API's order, none for a plain rnn), memory_gate, memory_gate_mean}; null for an unknown cell. */
export function cellMeta(cell) {
  return meta().cells[cell] ?? null;
}

/** A gate in words, for panel titles (theme.json `gate_labels`: the lstm's f is the forget gate f). */
export function gateLabel(gate) {
  return theme().gate_labels[gate];
}

/** Whether a gate is squashed by tanh (ranges over -1..1) rather than a sigmoid (0..1). */
export function isTanhGate(gate) {
  return theme().tanh_gates.includes(gate);
}
