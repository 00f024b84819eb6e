import test from 'node:test';
import assert from 'node:assert/strict';
import {
  PAGE_ARRAYS, PAGE_FIELDS, Simulator, describeDetail, pageQuery, readAnswer, sendRequest, simulateQueries,
} from '../../../frontend/js/lib/api.js';
import { controlSpecs } from '../../../frontend/js/lib/schema.js';
import { API_PROPERTIES, VIEW_PROPERTIES, defaultState } from '../../../frontend/js/lib/state.js';
import { OPENAPI } from '../support/fixtures.mjs';

/** A fetch stand-in that holds each request in `pending` ({url, resolve}) until the test answers it; an abort
 * rejects it as fetch does. */
function heldGets() {
  const pending = [];
  const get = (url, signal) => new Promise((resolve, reject) => {
    pending.push({ url, resolve });
    signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
  });
  return { pending, get };
}

test('422 detail lists read as sentences naming the field and the value', () => {
  const text = describeDetail([
    { loc: ['query', 'seq_len'], msg: 'Input should be less than or equal to 1000', input: '5000' },
    { loc: ['body'], msg: 'Budget exceeded: reduce seq_len' },
  ]);
  assert.equal(text, 'seq_len: Input should be less than or equal to 1000 (you gave 5000)\nBudget exceeded: reduce seq_len');
  assert.equal(describeDetail('plain words'), 'plain words');
  assert.equal(
    describeDetail([{ loc: ['query', 'seq_len'], msg: 'seq_len = 5000: Input should be at most 1000', input: '5000' }]),
    'seq_len = 5000: Input should be at most 1000',
  );
});

test('a stale answer never overwrites a newer one', async () => {
  const { pending, get } = heldGets();
  const sim = new Simulator(get);
  const first = sim.run({ a: 'seq_len=1' });
  const second = sim.run({ a: 'seq_len=2' });
  pending[1].resolve({ n: 2 });
  pending[0].resolve({ n: 1 });
  assert.equal(await first, null, 'the superseded call resolves to null');
  assert.deepEqual(await second, { a: { n: 2 } });
  assert.equal(pending[1].url, 'api/simulate?seq_len=2');
});

test('an answer that arrives although its request was superseded is dropped', async () => {
  const resolvers = [];
  const get = () => new Promise((resolve) => resolvers.push(resolve)); // ignores abort on purpose
  const sim = new Simulator(get);
  const first = sim.run({ a: 'x=1' });
  const second = sim.run({ a: 'x=2' });
  resolvers[0]({ late: true });
  resolvers[1]({ fresh: true });
  assert.equal(await first, null);
  assert.deepEqual(await second, { a: { fresh: true } });
});

test('errors of the current call reach the caller', async () => {
  const sim = new Simulator(async () => { throw new Error('boom'); });
  await assert.rejects(sim.run({ a: 'x' }), /boom/);
});

test('the page asks for float32 typed arrays, with or without other parameters', () => {
  assert.equal(PAGE_ARRAYS, 'binary-f4', 'float32 holds 7 significant digits, more than the 5 the page prints');
  assert.equal(pageQuery('cell=lstm&seq_len=5'), 'cell=lstm&seq_len=5&arrays=binary-f4');
  assert.equal(pageQuery(''), 'arrays=binary-f4');
});

test('compare mode runs every cell of the schema\'s cell enum, the chosen cell alone otherwise', () => {
  const openapi = structuredClone(OPENAPI);
  openapi.components.schemas.Cell.enum.push('mgu'); // a cell the API might add: compared without a page change
  const apiSpecs = controlSpecs(openapi, API_PROPERTIES);
  const state = { ...defaultState([...apiSpecs, ...VIEW_PROPERTIES]), cell: 'gru' };
  const single = simulateQueries(state, apiSpecs);
  assert.deepEqual(Object.keys(single), ['gru']);
  assert.match(single.gru, new RegExp(`^cell=gru&.*&fields=${PAGE_FIELDS.join('%2C')}&arrays=${PAGE_ARRAYS}$`));
  const compare = simulateQueries({ ...state, compare: true }, apiSpecs);
  assert.deepEqual(Object.keys(compare), ['rnn', 'lstm', 'gru', 'mgu']);
  assert.match(compare.mgu, /^cell=mgu&/);
  const exact = simulateQueries({ ...state, compare: true }, apiSpecs, true);
  assert.ok(Object.values(exact).every((q) => !q.includes('arrays=')), 'exports ask for the exact run, as JSON');
  const withFlow = [...apiSpecs, { name: 'flow_steps', kind: 'int', default: 32 }];
  const flowState = { ...state, flow_steps: 32 };
  const narrow = simulateQueries(flowState, withFlow, false, { fields: ['grad_h_norm', 'gates'], flow_steps: 0 });
  assert.match(narrow.gru, /&flow_steps=0&/, 'a request without the flow matrix asks the server not to compute it');
  assert.match(narrow.gru, /&fields=grad_h_norm%2Cgates&arrays=binary-f4$/);
  assert.match(simulateQueries(flowState, withFlow, false, { fields: ['flow'] }).gru, /&flow_steps=32&/, "the state's own rows otherwise");
});

const f4 = (values) => ({ dtype: 'f4', bdata: Buffer.from(new Float32Array(values).buffer).toString('base64'), shape: String(values.length) });

test('an answer is read: typed arrays decoded, float32-lost norms taken from their exact log10, its transport warnings dropped', () => {
  const run = readAnswer({
    grad_h_norm: f4([NaN, 2, 0, NaN]),
    grad_h_log10_norm: f4([100, Math.log10(2), -50, NaN]),
    grad_c_norm: f4([NaN]),
    grad_c_log10_norm: f4([400]),
    warnings: ["grad_h_norm: values beyond float32's range are null (NaN) in binary-f4; arrays=binary keeps them", 'grad_c_norm: 1 value beyond float64 is null'],
  });
  assert.ok(Math.abs(run.grad_h_norm[0] / 1e100 - 1) < 1e-5, 'past float32, within float64: the norm again');
  assert.ok(Math.abs(run.grad_h_norm[1] - 2) < 1e-6);
  assert.ok(Math.abs(run.grad_h_norm[2] / 1e-50 - 1) < 1e-5, 'under float32: not a zero');
  assert.equal(run.grad_h_norm[3], null, 'no log10: stays as the answer had it');
  assert.equal(run.grad_h_log10_norm[3], null);
  assert.deepEqual(run.grad_c_norm, [null], 'past float64 stays null');
  assert.deepEqual(run.warnings, ['grad_c_norm: 1 value beyond float64 is null']);
});

test('groups run side by side, each keeping only its newest request; abort drops one', async () => {
  const { pending, get } = heldGets();
  const sim = new Simulator(get);
  const near = sim.run({ a: 'near=1' }, 'near');
  const flow = sim.run({ a: 'flow=1' }, 'flow');
  const newer = sim.run({ a: 'near=2' }, 'near');
  assert.ok(sim.busy('flow') && sim.busy('near'));
  pending[2].resolve({ n: 2 });
  pending[1].resolve({ flow: true });
  assert.equal(await near, null, 'the older request of the group is superseded');
  assert.deepEqual(await newer, { a: { n: 2 } }, 'the last wins');
  assert.deepEqual(await flow, { a: { flow: true } }, 'another group is untouched');
  const dropped = sim.run({ a: 'flow=2' }, 'flow');
  sim.abort('flow');
  assert.equal(await dropped, null);
  assert.ok(!sim.busy('flow'));
});

test('a request given as {url, body} is POSTed, a query string still goes by GET, both under the same ordering', async () => {
  const sent = [];
  const get = async (url) => { sent.push(['GET', url]); return { via: 'get' }; };
  const post = async (url, body, signal) => { sent.push(['POST', url, body, signal instanceof AbortSignal]); return { via: 'post' }; };
  const sim = new Simulator(get, post);
  const runs = await sim.run({ lstm: { url: 'api/simulate/upload', body: 'form' }, gru: 'cell=gru' });
  assert.deepEqual(runs, { lstm: { via: 'post' }, gru: { via: 'get' } });
  assert.deepEqual(sent, [['POST', 'api/simulate/upload', 'form', true], ['GET', 'api/simulate?cell=gru']]);
  assert.equal(await sendRequest({ url: 'u', body: {} }, undefined, assert.fail, async (url) => url), 'u');
});
