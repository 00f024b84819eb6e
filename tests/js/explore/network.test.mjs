import test from 'node:test';
import assert from 'node:assert/strict';
import { PAGE_ARRAYS, PAGE_FIELDS, simulateQueries } from '../../../frontend/js/lib/api.js';
import {
  SHAPE_FIELDS, SIMULATE_URL, UPLOAD_URL, filesInUse, networkRequests, parseInputs, readsInputs, requestConfig, shapeOf, suffixOf,
  uploadForm,
} from '../../../frontend/js/explore/network.js';
import { controlSpecs } from '../../../frontend/js/lib/schema.js';
import { API_PROPERTIES, SELECTION_PROPERTIES, VIEW_PROPERTIES, defaultState } from '../../../frontend/js/lib/state.js';
import { OPENAPI } from '../support/fixtures.mjs';

const apiSpecs = controlSpecs(OPENAPI, API_PROPERTIES);
const base = { ...defaultState([...apiSpecs, ...VIEW_PROPERTIES, ...SELECTION_PROPERTIES]), cell: 'lstm' };
const weights = new File(['not read by the page'], 'net.npz');
const inputs = new File(['1,2\n3,4\n'], 'x.csv');
const rows = [[1, 2], [3, 4]];

test('the config part holds the simulation\'s fields as typed, the views\' fields and the page\'s array form', () => {
  const config = requestConfig({ ...base, seq_len: 'abc' }, apiSpecs);
  assert.equal(config.cell, 'lstm');
  assert.equal(config.hidden_size, 32);
  assert.equal(config.seq_len, 'abc', 'a value that did not parse goes as typed, for the API to name');
  assert.deepEqual(config.fields, PAGE_FIELDS);
  assert.equal(config.arrays, PAGE_ARRAYS);
  assert.ok(!('compare' in config) && !('weights' in config) && !('layer' in config), 'page settings stay on the page');
  assert.ok(!('arrays' in requestConfig(base, apiSpecs, true)), 'exports ask for the exact run');
  const narrow = requestConfig(base, apiSpecs, false, [], { fields: ['gates'], flow_steps: 0 });
  assert.deepEqual([narrow.fields, narrow.flow_steps], [['gates'], 0], 'narrowed to some views, without the flow matrix');
});

test('the upload form carries the file itself, the config as JSON, and the inputs file only when there is one', () => {
  const config = requestConfig(base, apiSpecs);
  const form = uploadForm(config, { weights });
  assert.equal(form.get('weights').name, 'net.npz');
  assert.deepEqual(JSON.parse(form.get('config')), config);
  assert.equal(form.get('inputs'), null);
  assert.equal(uploadForm(config, { weights, inputs }).get('inputs').name, 'x.csv');
});

test('a loaded weights file goes to the upload route, with the inputs file, as one network even in compare mode', async () => {
  const files = { weights, inputs, rows };
  const requests = networkRequests({ ...base, weights: 'file', input_file: true, compare: true }, apiSpecs, files);
  assert.deepEqual(Object.keys(requests), ['lstm']);
  const { url, body } = requests.lstm;
  assert.equal(url, UPLOAD_URL);
  assert.ok(body instanceof FormData);
  assert.equal(body.get('weights').name, 'net.npz');
  assert.equal(await body.get('weights').text(), 'not read by the page');
  assert.equal(body.get('inputs').name, 'x.csv');
  assert.ok(!('inputs' in JSON.parse(body.get('config'))), 'the inputs travel as their file');
});

test('an inputs file alone goes as rows in a JSON body; no file in use is the cacheable GET', () => {
  const alone = networkRequests({ ...base, input_file: true }, apiSpecs, { inputs, rows });
  assert.equal(alone.lstm.url, SIMULATE_URL);
  assert.deepEqual(alone.lstm.body.inputs, rows);
  assert.equal(alone.lstm.body.cell, 'lstm');
  const seeded = simulateQueries(base, apiSpecs);
  assert.deepEqual(networkRequests(base, apiSpecs, { weights: null, inputs: null, rows: null }), seeded);
  // history back to before the upload: the file is still in memory, the state says seeded weights
  assert.deepEqual(networkRequests(base, apiSpecs, { weights, inputs, rows }), seeded);
  assert.deepEqual(filesInUse({ ...base, weights: 'file' }, { weights: null }), { weights: null, inputs: null, rows: null });
});

test('inputs read in the browser: CSV as NumPy\'s loadtxt reads it, JSON rows, one JSON row as a 1 x I matrix', () => {
  assert.deepEqual(parseInputs('# t, a, b\n0.5,1\n\n-2, 3e-1\r\n', 'x.csv'), [[0.5, 1], [-2, 0.3]]);
  assert.deepEqual(parseInputs('[[1, 2], [3, 4]]', 'x.json'), rows);
  assert.deepEqual(parseInputs('[1, 2, 3]', 'x.JSON'), [[1, 2, 3]]);
});

test('an unreadable inputs file is refused in words that name the file and the row', () => {
  assert.throws(() => parseInputs('1,2\n3\n', 'x.csv'), /^Error: x\.csv: row 2 has 1 numbers, row 1 has 2$/);
  assert.throws(() => parseInputs('1,abc\n', 'x.csv'), /x\.csv: row 1 has "abc", which is not a number/);
  assert.throws(() => parseInputs('{"a": 1}', 'x.json'), /x\.json: expected a list of rows of numbers/);
  assert.throws(() => parseInputs('[[1,', 'x.json'), /x\.json: not valid JSON/);
  assert.throws(() => parseInputs('', 'x.csv'), /x\.csv: no rows/);
  assert.throws(() => parseInputs('', 'x.npy'), /x\.npy: the page reads inputs from \.csv or \.json \(got '\.npy'\)/);
  assert.equal(readsInputs('x.npy'), false);
  assert.equal(readsInputs('x.Csv'), true);
  assert.equal(suffixOf('model'), '');
});

test('a weights file goes without the network\'s shape, which the API reads from the file; its answer\'s config gives it back', () => {
  const files = { weights, inputs: null, rows: null };
  const { body } = networkRequests({ ...base, weights: 'file', hidden_size: 7, num_layers: 2 }, apiSpecs, files).lstm;
  const config = JSON.parse(body.get('config'));
  for (const field of SHAPE_FIELDS) assert.ok(!(field in config), `${field} is the file's to say`);
  assert.equal(config.seq_len, base.seq_len, 'the rest of the settings still go');
  const alone = networkRequests({ ...base, input_file: true }, apiSpecs, { inputs, rows });
  assert.equal(alone.lstm.body.hidden_size, base.hidden_size, 'without a weights file the shape is the state\'s');
  assert.deepEqual(shapeOf({ cell: 'gru', hidden_size: 12, input_size: 3, num_layers: 3, seq_len: 9 }), {
    cell: 'gru', hidden_size: 12, input_size: 3, num_layers: 3,
  });
});
