/**
 * Your own network: which simulate request a state makes once files are loaded, and reading an inputs file
 * in the browser. Pure: state and File objects in, requests and arrays out. The File objects themselves are
 * kept by main.js in the tab's memory and never written to the URL.
 *
 * - a weights file in use (state.weights 'file'): POST api/simulate/upload, multipart/form-data with the file
 *   as `weights`, the simulation's fields as JSON in `config` but for the network's shape (SHAPE_FIELDS), which
 *   the API reads from the file's arrays, and the inputs file, if any, as `inputs`;
 * - an inputs file alone (state.input_file): POST api/simulate with its rows as `inputs` in the JSON body,
 *   which is why a .csv or .json is read here; a .npy can only travel with a weights file;
 * - neither: GET api/simulate (api.js simulateQueries), which the browser may answer from its cache.
 * An uploaded network is one network, so these requests never compare cells.
 */
import { PAGE_ARRAYS, pageFields, simulateQueries } from '../lib/api.js';

export const UPLOAD_URL = 'api/simulate/upload';
export const SIMULATE_URL = 'api/simulate';

/** The file name's suffix in lower case, with its dot: "net.NPZ" -> ".npz". */
export function suffixOf(name) {
  const dot = String(name).lastIndexOf('.');
  return dot < 0 ? '' : String(name).slice(dot).toLowerCase();
}

/**
 * The fields a weights file states itself: an upload leaves them out and the API reads them from the arrays
 * (its answer's `weights.inferred`), so a file never has to be described before it can be seen; main.js then
 * moves the controls to the answer's values (shapeOf).
 */
export const SHAPE_FIELDS = ['cell', 'hidden_size', 'input_size', 'num_layers'];

/** The network's shape as an answer's `config` has it: {cell, hidden_size, input_size, num_layers}. */
export function shapeOf(config) {
  return Object.fromEntries(SHAPE_FIELDS.map((k) => [k, config[k]]));
}

/** Inputs file suffixes the browser reads itself (the API reads .npy too). */
const READABLE_INPUTS = new Set(['.csv', '.json']);

/** The files the state uses: {weights, inputs, rows}, each null unless loaded and switched on in the state. */
export function filesInUse(state, files) {
  const weights = state.weights === 'file' ? files.weights || null : null;
  const useInputs = state.input_file === true;
  return { weights, inputs: useInputs ? files.inputs || null : null, rows: useInputs ? files.rows || null : null };
}

/**
 * The simulation's fields as a JSON request: every API field of the state (a value that did not parse is sent
 * as typed, so the API says what is wrong with it) but those in `leaveOut`, the fields the views need and,
 * unless `exact`, the page's array form. `ask` ({fields, flow_steps}, as api.js simulateQueries takes it)
 * narrows the request to some views.
 */
export function requestConfig(state, apiSpecs, exact = false, leaveOut = [], ask = null) {
  const config = {};
  for (const spec of apiSpecs) {
    if (leaveOut.includes(spec.name)) continue;
    if (state[spec.name] !== undefined && state[spec.name] !== null) config[spec.name] = state[spec.name];
  }
  if (ask && ask.flow_steps !== undefined) config.flow_steps = ask.flow_steps;
  config.fields = ask?.fields || pageFields(state);
  if (!exact) config.arrays = PAGE_ARRAYS;
  return config;
}

/** The multipart body of POST api/simulate/upload: `weights`, `config` (JSON text) and optional `inputs`. */
export function uploadForm(config, { weights, inputs }) {
  const form = new FormData();
  form.append('weights', weights, weights.name);
  form.append('config', JSON.stringify(config));
  if (inputs) form.append('inputs', inputs, inputs.name);
  return form;
}

/**
 * The simulate requests for a state as {label: request}, where a request is a query string (GET) or
 * {url, body} (POST), as api.js sendRequest takes it. `files`: {weights, inputs, rows} in memory; `ask`:
 * {fields, flow_steps} to narrow it (api.js simulateQueries).
 */
export function networkRequests(state, apiSpecs, files, exact = false, ask = null) {
  const use = filesInUse(state, files);
  if (!use.weights && !use.rows) return simulateQueries(state, apiSpecs, exact, ask);
  const config = requestConfig(state, apiSpecs, exact, use.weights ? SHAPE_FIELDS : [], ask);
  const request = use.weights
    ? { url: UPLOAD_URL, body: uploadForm(config, use) }
    : { url: SIMULATE_URL, body: { ...config, inputs: use.rows } };
  return { [state.cell]: request };
}

const fileIds = new WeakMap();
let lastFileId = 0;

/** A tag for a File that stays the same while the tab holds it: the same file is the same run. */
function fileTag(file) {
  if (!file) return null;
  if (!fileIds.has(file)) {
    lastFileId += 1;
    fileIds.set(file, lastFileId);
  }
  return `${fileIds.get(file)}:${file.name}`;
}

/**
 * What a state's runs depend on, as text: the requests' settings (the state's flow_steps among them) without
 * the fields asked for or the array form, and the files in use by identity. Two states with the same key get the
 * same numbers, so an answer fetched for one view serves the others (explore/loading.js's cache). An uploaded
 * network's shape is read from the file, so a key made before its answer moved the controls still holds after.
 */
export function requestKey(state, apiSpecs, files) {
  const use = filesInUse(state, files);
  const ask = { fields: ['-'] };
  if (!use.weights && !use.rows) return JSON.stringify(simulateQueries(state, apiSpecs, true, ask));
  const config = requestConfig(state, apiSpecs, true, use.weights ? SHAPE_FIELDS : [], ask);
  return JSON.stringify({ config, weights: fileTag(use.weights), inputs: fileTag(use.inputs) });
}

/** Rows of numbers from CSV text: comma-separated, blank lines and #-comments skipped, as NumPy's loadtxt. */
function csvRows(text) {
  return text.split(/\r?\n/).map((line) => line.replace(/#.*/, '').trim()).filter(Boolean)
    .map((line, k) => line.split(',').map((cell) => {
      const value = cell.trim() === '' ? NaN : Number(cell);
      if (!Number.isFinite(value)) throw new Error(`row ${k + 1} has "${cell.trim()}", which is not a number`);
      return value;
    }));
}

function jsonRows(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`not valid JSON (${err.message})`);
  }
  const rows = Array.isArray(value) && !Array.isArray(value[0]) ? [value] : value; // one row, as NumPy's atleast_2d
  const numeric = Array.isArray(rows) && rows.every((r) => Array.isArray(r) && r.every((x) => typeof x === 'number'));
  if (!numeric) throw new Error('expected a list of rows of numbers, e.g. [[0.1, 0.2], [0.3, 0.4]]');
  return rows;
}

/**
 * A T x I inputs matrix from a .csv or .json file's text, or an Error whose message names the file and what
 * is wrong. Values and bounds are left to the API, which checks them against seq_len and input_size.
 */
export function parseInputs(text, filename) {
  const suffix = suffixOf(filename);
  if (!READABLE_INPUTS.has(suffix)) throw new Error(`${filename}: the page reads inputs from .csv or .json (got '${suffix || 'no suffix'}')`);
  try {
    const rows = suffix === '.csv' ? csvRows(text) : jsonRows(text);
    if (rows.length === 0) throw new Error('no rows');
    const width = rows[0].length;
    const ragged = rows.findIndex((r) => r.length !== width);
    if (ragged >= 0) throw new Error(`row ${ragged + 1} has ${rows[ragged].length} numbers, row 1 has ${width}`);
    return rows;
  } catch (err) {
    throw new Error(`${filename}: ${err.message}`);
  }
}

/** Whether the browser reads this inputs file itself (else it can only go to the server with a weights file). */
export function readsInputs(filename) {
  return READABLE_INPUTS.has(suffixOf(filename));
}
