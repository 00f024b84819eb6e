import test from 'node:test';
import assert from 'node:assert/strict';
import { controlSpecs } from '../../../frontend/js/lib/schema.js';
import {
  API_PROPERTIES, VIEW_PROPERTIES, defaultState, queryFromState, stateFromQuery,
} from '../../../frontend/js/lib/state.js';
import {
  TRAIN_PREFIX, trainApplies, trainRequests, trainSpecs,
} from '../../../frontend/js/train/state.js';
import { OPENAPI } from '../support/fixtures.mjs';
import { TRAIN_OPENAPI } from '../support/train-fixtures.mjs';

const labSpecs = trainSpecs(TRAIN_OPENAPI);
const simSpecs = [...controlSpecs(TRAIN_OPENAPI, API_PROPERTIES), ...VIEW_PROPERTIES];
const specs = [...simSpecs, ...labSpecs];
const spec = (name) => labSpecs.find((s) => s.name === name);

test('every lab key is prefixed, so none collides with the simulation\'s; bounds and defaults come from TrainRequest', () => {
  assert.ok(labSpecs.every((s) => s.name.startsWith(TRAIN_PREFIX)));
  const simNames = new Set(simSpecs.map((s) => s.name));
  assert.ok(labSpecs.every((s) => !simNames.has(s.name)));
  assert.ok(!labSpecs.some((s) => s.field === 'stream'), 'the lab always streams: no control');
  assert.deepEqual([spec('train_cell').default, spec('train_seq_len').default, spec('train_seq_len').max], ['lstm', 30, 1000]);
  assert.deepEqual(spec('train_cell').values, ['rnn', 'lstm', 'gru'], 'a $ref enum is followed');
  assert.equal(spec('train_learning_rate').exclusiveMin, 0);
  assert.deepEqual(spec('train_vary').values, ['none', 'cell', 'activation', 'init', 'task', 'optimizer', 'clip_mode']);
});

test('no TrainRequest in the schema (an API without /api/train): no lab specs', () => {
  assert.deepEqual(trainSpecs(OPENAPI), []);
});

test('the lab\'s settings share the URL with the simulation\'s and read back to the same state', () => {
  const state = {
    ...defaultState(specs), seq_len: 80, train_cell: 'gru', train_learning_rate: 0.1, train_stop_when_solved: true,
    train_vary: 'clip_mode', train_values: ['none', 'norm'], train_yscale: 'linear',
  };
  const query = queryFromState(state, specs);
  assert.equal(query, '?seq_len=80&train_cell=gru&train_learning_rate=0.1&train_stop_when_solved=true'
    + '&train_vary=clip_mode&train_values=none%2Cnorm&train_yscale=linear');
  assert.deepEqual(stateFromQuery(query, specs), state);
  assert.equal(stateFromQuery('?cell=gru', specs).train_cell, 'lstm', 'the simulation\'s cell is not the lab\'s');
});

test('one request per value of the varied field, with the API\'s names, stream on and the trained weights asked for', () => {
  const state = { ...defaultState(specs), train_vary: 'clip_mode', train_values: ['none', 'norm'], train_clip_threshold: 2 };
  const requests = trainRequests(state, labSpecs);
  assert.deepEqual(requests.map((r) => r.label), ['clip_mode none', 'clip_mode norm']);
  assert.deepEqual(requests.map((r) => r.body.clip_mode), ['none', 'norm']);
  const body = requests[1].body;
  assert.equal(body.stream, true);
  assert.equal(body.return_weights, true, 'the summary brings the trained network, for Open in the views');
  assert.equal(body.clip_threshold, 2);
  assert.equal(body.cell, 'lstm');
  assert.ok(Object.keys(body).every((k) => !k.startsWith(TRAIN_PREFIX)), 'page keys are not sent');
  assert.ok(!('vary' in body) && !('yscale' in body));
});

test('varying a field without a list of values runs every value of its enum; "none" runs one network', () => {
  const all = trainRequests({ ...defaultState(specs), train_vary: 'cell' }, labSpecs);
  assert.deepEqual(all.map((r) => [r.label, r.body.cell]), [['rnn', 'rnn'], ['lstm', 'lstm'], ['gru', 'gru']]);
  const one = trainRequests({ ...defaultState(specs), train_cell: 'gru' }, labSpecs);
  assert.deepEqual(one.map((r) => r.label), ['gru']);
});

test('a value that does not parse is sent as typed, for the API to judge', () => {
  const state = stateFromQuery('?train_steps=lots', specs);
  assert.equal(trainRequests(state, labSpecs)[0].body.steps, 'lots');
});

test('controls that do not matter are dimmed: the varied field, cell-only fields, the threshold without clipping', () => {
  const state = defaultState(specs);
  assert.equal(trainApplies(spec('train_activation'), state), false, 'lstm has no activation choice');
  assert.equal(trainApplies(spec('train_forget_bias'), state), true);
  assert.equal(trainApplies(spec('train_clip_threshold'), state), false);
  assert.equal(trainApplies(spec('train_clip_threshold'), { ...state, train_clip_mode: 'norm' }), true);
  const varied = { ...state, train_vary: 'cell' };
  assert.equal(trainApplies(spec('train_cell'), varied), false, 'each run sets the cell');
  assert.equal(trainApplies(spec('train_activation'), varied), true, 'the rnn run uses it');
  assert.equal(trainApplies(spec('train_clip_threshold'), { ...state, train_vary: 'clip_mode' }), true);
  assert.equal(trainApplies(spec('train_vary'), state), true);
});
