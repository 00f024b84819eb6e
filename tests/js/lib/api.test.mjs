import test from 'node:test';
import assert from 'node:assert/strict';
import {
  PAGE_DIGITS, PAGE_FIELDS, Simulator, describeDetail, pageQuery, sendRequest, simulateQueries,
} from '../../../frontend/js/lib/api.js';
import { controlSpecs } from '../../../frontend/js/lib/schema.js';
import { API_PROPERTIES, VIEW_PROPERTIES, defaultState } from '../../../frontend/js/lib/state.js';
import { OPENAPI } from '../support/fixtures.mjs';

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
  const pending = [];
  const get = (url, signal) => new Promise((resolve, reject) => {
    pending.push({ url, resolve });
    signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
  });
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

test('the page asks for rounded arrays, with or without other parameters', () => {
  assert.equal(pageQuery('cell=lstm&seq_len=5'), `cell=lstm&seq_len=5&digits=${PAGE_DIGITS}`);
  assert.equal(pageQuery(''), `digits=${PAGE_DIGITS}`);
  assert.ok(Number.isInteger(PAGE_DIGITS) && PAGE_DIGITS >= 5 && PAGE_DIGITS < 17, 'enough for the 5 digits the page prints, and still rounding');
});

test('compare mode runs every cell of the schema\'s cell enum, the chosen cell alone otherwise', () => {
  const openapi = structuredClone(OPENAPI);
  openapi.components.schemas.Cell.enum.push('mgu'); // a cell the API might add: compared without a page change
  const apiSpecs = controlSpecs(openapi, API_PROPERTIES);
  const state = { ...defaultState([...apiSpecs, ...VIEW_PROPERTIES]), cell: 'gru' };
  const single = simulateQueries(state, apiSpecs);
  assert.deepEqual(Object.keys(single), ['gru']);
  assert.match(single.gru, new RegExp(`^cell=gru&.*&fields=${PAGE_FIELDS.join('%2C')}&digits=${PAGE_DIGITS}$`));
  const compare = simulateQueries({ ...state, compare: true }, apiSpecs);
  assert.deepEqual(Object.keys(compare), ['rnn', 'lstm', 'gru', 'mgu']);
  assert.match(compare.mgu, /^cell=mgu&/);
  const exact = simulateQueries({ ...state, compare: true }, apiSpecs, true);
  assert.ok(Object.values(exact).every((q) => !q.includes('digits=')), 'exports ask for the exact run');
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
