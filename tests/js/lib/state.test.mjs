import test from 'node:test';
import assert from 'node:assert/strict';
import {
  API_PROPERTIES, SELECTION_PROPERTIES, VIEW_PROPERTIES, apiQuery, appliesTo, coerce, defaultState, queryFromState, stateFromQuery,
} from '../../../frontend/js/lib/state.js';
import { controlSpecs } from '../../../frontend/js/lib/schema.js';
import { OPENAPI } from '../support/fixtures.mjs';

const apiSpecs = controlSpecs(OPENAPI, API_PROPERTIES);
const specs = [...apiSpecs, ...VIEW_PROPERTIES];

test('no query string means every default', () => {
  const state = stateFromQuery('', specs);
  assert.deepEqual(state, defaultState(specs));
  assert.equal(state.seq_len, 50);
  assert.equal(state.compare, false);
  assert.deepEqual(state.hide, []);
});

test('the URL holds only what differs from the defaults, and reads back to the same state', () => {
  const state = { ...defaultState(specs), seq_len: 200, cell: 'lstm', recurrent_scale: 1.25, compare: true, hide: ['seed', 'init'] };
  const query = queryFromState(state, specs);
  assert.equal(query, '?cell=lstm&recurrent_scale=1.25&seq_len=200&compare=true&hide=seed%2Cinit');
  assert.deepEqual(stateFromQuery(query, specs), state);
  assert.equal(queryFromState(defaultState(specs), specs), '');
});

test('unknown parameters are ignored; unparsable values are kept raw for the API to judge', () => {
  const state = stateFromQuery('?seq_len=abc&bogus=1&recurrent_scale=2e-1&compare=1', specs);
  assert.equal(state.seq_len, 'abc');
  assert.equal(state.recurrent_scale, 0.2);
  assert.equal(state.compare, true);
  assert.ok(!('bogus' in state));
});

test('coerce follows the spec kind', () => {
  assert.equal(coerce({ kind: 'int' }, ' 12 '), 12);
  assert.equal(coerce({ kind: 'int' }, '1.5'), '1.5');
  assert.equal(coerce({ kind: 'float' }, '1e3'), 1000);
  assert.equal(coerce({ kind: 'float' }, ''), '');
  assert.equal(coerce({ kind: 'bool' }, 'false'), false);
  assert.deepEqual(coerce({ kind: 'list' }, 'a, b,,c'), ['a', 'b', 'c']);
});

test('the API query names every field in a fixed order, with overrides and fields', () => {
  const state = defaultState(specs);
  const q = new URLSearchParams(apiQuery(state, apiSpecs, ['loss', 'spectrum'], { cell: 'gru' }));
  assert.equal(q.get('cell'), 'gru');
  assert.equal(q.get('seq_len'), '50');
  assert.equal(q.get('fields'), 'loss,spectrum');
  assert.ok(!q.has('compare'), 'page settings are not sent');
  assert.equal(apiQuery(state, apiSpecs), apiQuery({ ...state }, apiSpecs));
});

test('cell-specific controls apply to their cell, and to every cell in compare mode', () => {
  const activation = API_PROPERTIES.find((p) => p.name === 'activation');
  assert.equal(appliesTo(activation, { cell: 'rnn' }), true);
  assert.equal(appliesTo(activation, { cell: 'lstm' }), false);
  assert.equal(appliesTo(activation, { cell: 'lstm', compare: true }), true);
});

test('seeded-weight settings step aside for an uploaded network, the inputs kind for an inputs file', () => {
  const scale = API_PROPERTIES.find((p) => p.name === 'recurrent_scale');
  const kind = API_PROPERTIES.find((p) => p.name === 'input_kind');
  assert.equal(appliesTo(scale, { cell: 'rnn', weights: 'seeded' }), true);
  assert.equal(appliesTo(scale, { cell: 'rnn', weights: 'file' }), false);
  assert.equal(appliesTo(kind, { cell: 'rnn', input_file: true }), false);
  assert.equal(appliesTo(kind, { cell: 'rnn', weights: 'file' }), true);
});

test('the layer and the use of uploaded files live in the URL; the files themselves never do', () => {
  const all = [...specs, ...SELECTION_PROPERTIES];
  const state = { ...defaultState(all), layer: '1', weights: 'file', input_file: true };
  const query = queryFromState(state, all);
  assert.equal(query, '?layer=1&weights=file&input_file=true');
  assert.deepEqual(stateFromQuery(query, all), state);
  assert.equal(defaultState(all).layer, 'top');
  assert.ok(API_PROPERTIES.some((p) => p.name === 'num_layers' && p.group === 'model'), 'num_layers is a model control');
});

test('theory=on|off is a page setting in the Display group, on by default and in the URL only when off', () => {
  const spec = VIEW_PROPERTIES.find((s) => s.name === 'theory');
  assert.deepEqual([spec.kind, spec.values, spec.default, spec.group], ['enum', ['on', 'off'], 'on', undefined]);
  assert.equal(stateFromQuery('?theory=off', VIEW_PROPERTIES).theory, 'off');
  assert.equal(stateFromQuery('', VIEW_PROPERTIES).theory, 'on');
  assert.equal(queryFromState({ ...defaultState(VIEW_PROPERTIES), theory: 'off' }, VIEW_PROPERTIES), '?theory=off');
  assert.equal(queryFromState(defaultState(VIEW_PROPERTIES), VIEW_PROPERTIES), '');
});
