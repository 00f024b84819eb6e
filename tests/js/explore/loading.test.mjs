import test from 'node:test';
import assert from 'node:assert/strict';
import { PAGE_FIELDS, Simulator } from '../../../frontend/js/lib/api.js';
import {
  DrawPass, RunCache, VIEWS, VIEW_FIELDS, ViewLoader, baseFields, fieldsFor, flowStepsFor, isNear, mergeRun, splitWorthIt,
} from '../../../frontend/js/explore/loading.js';

const STATE = { cell: 'lstm', flow_steps: 32, num_layers: 1, layer: 'top' };
const FLOW_SPEC = { name: 'flow_steps', min: 0, max: 128 };
const BIG = ['grad_h_log10_abs', 'grad_c_log10_abs', 'gates', 'spectrum', 'flow'];

test('every request brings the small fields; each view adds only the big or costly fields it draws', () => {
  const base = baseFields(STATE);
  assert.ok(BIG.every((f) => !base.includes(f)), 'no T x H array, no spectrum and no flow matrix in the base');
  assert.ok(['grad_h_log10_norm', 'memory_horizon', 'clipping', 'theory', 'depth_flow', 'weights'].every((f) => base.includes(f)));
  assert.deepEqual(PAGE_FIELDS.filter((f) => !base.includes(f)).sort(), [...BIG].sort(), 'between them, every field the page draws');
  for (const view of ['norms', 'clipping', 'depth']) assert.deepEqual(fieldsFor([view], STATE), base, view);
  assert.deepEqual(fieldsFor(['spectrum'], STATE).filter((f) => !base.includes(f)), ['spectrum']);
  assert.deepEqual(fieldsFor(['unrolled'], STATE).filter((f) => !base.includes(f)), ['grad_h_log10_abs', 'grad_c_log10_abs']);
  assert.deepEqual(fieldsFor(['gates'], STATE).filter((f) => !base.includes(f)), ['grad_h_log10_abs', 'grad_c_log10_abs', 'gates']);
  assert.deepEqual(fieldsFor(['flow'], STATE).filter((f) => !base.includes(f)), ['flow']);
  assert.deepEqual(fieldsFor(['flow'], { ...STATE, flow_steps: 0 }), base, 'no rows asked for: nothing to fetch');
  assert.deepEqual(fieldsFor(VIEWS, STATE), PAGE_FIELDS, 'every view: what the page asked for before');
  assert.ok(fieldsFor(['norms'], { ...STATE, num_layers: 3, layer: '1' }).includes('layers'), 'a lower layer shown: every layer');
  assert.deepEqual(Object.keys(VIEW_FIELDS).sort(), ['flow', 'gates', 'spectrum', 'unrolled']);
});

test('the flow matrix is computed only when asked for: flow_steps 0 otherwise, a bad value sent for the API to refuse', () => {
  assert.equal(flowStepsFor(['grad_h_norm', 'gates'], STATE, FLOW_SPEC), 0);
  assert.equal(flowStepsFor(['grad_h_norm', 'flow'], STATE, FLOW_SPEC), undefined, "the state's own");
  assert.equal(flowStepsFor(['gates'], { ...STATE, flow_steps: 'abc' }, FLOW_SPEC), undefined);
  assert.equal(flowStepsFor(['gates'], { ...STATE, flow_steps: 500 }, FLOW_SPEC), undefined);
  assert.equal(flowStepsFor(['gates'], STATE), 0, 'without bounds, any whole number');
});

test('near: in the window or within the margin of it; a hidden element never', () => {
  const el = (top, height = 300, width = 100) => ({ getBoundingClientRect: () => ({ top, bottom: top + height, width }) });
  assert.ok(isNear(el(100), 600, 1000));
  assert.ok(isNear(el(1500), 600, 1000), 'just below the fold');
  assert.ok(!isNear(el(1700), 600, 1000));
  assert.ok(isNear(el(-800), 600, 1000), 'just above');
  assert.ok(!isNear(el(-1000), 600, 1000));
  assert.ok(!isNear(el(100, 300, 0), 600, 1000));
  assert.ok(!isNear(null));
});

test('the cache merges answers per settings key, says what is missing, and drops the least recent keys', () => {
  const cache = new RunCache(2);
  assert.deepEqual(cache.missing('a', ['x', 'y']), ['x', 'y']);
  cache.add('a', ['x'], { lstm: { config: { flow_steps: 0 }, x: 1, warnings: ['w1'] } });
  const runs = cache.add('a', ['y'], { lstm: { config: { flow_steps: 32 }, y: 2, warnings: ['w1', 'w2'] } });
  assert.deepEqual(runs, { lstm: { config: { flow_steps: 0 }, x: 1, y: 2, warnings: ['w1', 'w2'] } });
  assert.ok(cache.has('a', ['x', 'y']));
  assert.deepEqual(cache.missing('a', ['x', 'z']), ['z']);
  cache.add('b', ['x'], { lstm: { x: 3 } });
  cache.runs('a'); // used: 'b' is now the older
  cache.add('c', ['x'], { lstm: { x: 4 } });
  assert.equal(cache.runs('b'), null, 'a stale key is dropped');
  assert.ok(cache.has('a', ['x']) && cache.has('c', ['x']));
  cache.set('c', { gru: { x: 4 } });
  assert.deepEqual(cache.runs('c'), { gru: { x: 4 } });
  assert.deepEqual(mergeRun(undefined, { a: 1 }), { a: 1 });
});

/** A Simulator over a stand-in server: every request waits until the test answers it; aborts reject. */
function server() {
  const sent = [];
  const get = (url, signal) => new Promise((resolve, reject) => {
    const q = new URLSearchParams(url.split('?')[1]);
    sent.push({ url, fields: q.get('fields').split(','), flow: q.get('flow_steps'), resolve, aborted: false });
    const me = sent[sent.length - 1];
    signal.addEventListener('abort', () => {
      me.aborted = true;
      reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    });
  });
  return { sent, sim: new Simulator(get) };
}
const answer = (req) => ({ config: { cell: 'lstm' }, ...Object.fromEntries(req.fields.map((f) => [f, `${f}@${req.url.length}`])) });
const requests = (ask) => ({ lstm: `flow_steps=${ask.flow_steps === undefined ? 32 : ask.flow_steps}&fields=${ask.fields.join(',')}` });

test('the loader fetches only the fields a view still needs, and draws a view from the cache when they are here', async () => {
  const { sent, sim } = server();
  const loader = new ViewLoader({ sim });
  const first = loader.load('k', ['unrolled', 'norms'], STATE, 'near', requests, FLOW_SPEC);
  assert.equal(sent[0].flow, '0', 'no flow matrix for the views in sight');
  assert.ok(sent[0].fields.includes('grad_h_log10_abs') && !sent[0].fields.includes('gates'));
  sent[0].resolve(answer(sent[0]));
  const runs = await first;
  assert.ok('grad_h_log10_abs' in runs.lstm && 'memory_horizon' in runs.lstm);
  assert.ok(loader.ready('k', ['unrolled', 'norms'], STATE) && !loader.ready('k', ['gates'], STATE));
  assert.ok(!loader.ready('k', ['spectrum'], STATE), 'the spectrum comes with its view');
  const rest = loader.load('k', ['gates', 'spectrum'], STATE, 'rest', requests, FLOW_SPEC);
  assert.deepEqual(sent[1].fields, ['gates', 'spectrum'], 'what the cache holds is not asked for again');
  sent[1].resolve(answer(sent[1]));
  assert.ok('gates' in (await rest).lstm && 'grad_h_log10_abs' in (await rest).lstm);
  const flow = loader.load('k', ['flow'], STATE, 'flow', requests, FLOW_SPEC);
  assert.deepEqual([sent[2].fields, sent[2].flow], [['flow'], '32'], 'the flow matrix, with its rows, when its view comes near');
  sent[2].resolve(answer(sent[2]));
  await flow;
  assert.equal(sent.length, 3);
  assert.ok(loader.ready('k', VIEWS, STATE));
  assert.ok((await loader.load('k', VIEWS, STATE, 'near', requests, FLOW_SPEC)).lstm.flow, 'every view from the cache');
  assert.equal(sent.length, 3, 'no request when nothing is missing');
  assert.ok(!loader.ready('other', ['norms'], STATE), 'other settings: nothing held');
});

test('dragging a slider: one request in flight per group, the last wins, and a stale answer is never cached', async () => {
  const { sent, sim } = server();
  const loader = new ViewLoader({ sim });
  const calls = ['k1', 'k2', 'k3'].map((key) => loader.load(key, ['unrolled'], STATE, 'near', requests, FLOW_SPEC));
  const flow = loader.load('k3', ['flow'], STATE, 'flow', requests, FLOW_SPEC);
  assert.deepEqual(sent.map((r) => r.aborted), [true, true, false, false], 'each newer near request aborts the one before; the flow group is its own');
  sent[2].resolve(answer(sent[2]));
  sent[0].resolve(answer(sent[0])); // too late: already aborted
  assert.deepEqual(await Promise.all(calls.slice(0, 2)), [null, null]);
  assert.ok((await calls[2]).lstm.grad_h_log10_abs);
  assert.ok(!loader.ready('k1', ['unrolled'], STATE) && loader.ready('k3', ['unrolled'], STATE));
  sent[3].resolve(answer(sent[3]));
  assert.ok((await flow).lstm.flow && (await flow).lstm.grad_h_log10_abs, 'the flow answer joins the same run');
});

test('a drawing pass: views with their numbers first, the flow matrix out of reach as a note, each hook once', () => {
  const pass = new DrawPass(1);
  const have = new Set(['norms', 'spectrum', 'clipping', 'depth', 'unrolled']);
  const ready = (v) => have.has(v);
  let todo = pass.todo(ready, false);
  assert.deepEqual(todo.views, ['unrolled', 'norms', 'spectrum', 'flow', 'clipping', 'depth'], 'gates waits for its numbers');
  assert.deepEqual(todo.deferred, ['flow']);
  todo.views.forEach((v) => pass.mark(v, todo.deferred.includes(v)));
  assert.ok(pass.screenDone((v) => v === 'unrolled' || v === 'norms'));
  assert.ok(!pass.screenDone(() => true), 'once');
  assert.ok(!pass.complete(), 'gates is still to come');
  have.add('gates');
  todo = pass.todo(ready, false);
  assert.deepEqual(todo, { views: ['gates'], deferred: [] }, 'the note is not drawn twice');
  pass.mark('gates', false);
  assert.ok(pass.complete());
  assert.ok(!pass.complete(), 'counted once');
  have.add('flow');
  assert.deepEqual(pass.todo(ready, true).views, ['flow'], 'the flow matrix when its numbers come');
  const near = new DrawPass(2);
  assert.ok(!near.todo((v) => v !== 'flow', true).views.includes('flow'), 'in reach but not here yet: no note, it is on its way');
  assert.ok(!near.screenDone((v) => v === 'unrolled'), 'the views on screen are not drawn yet');
});

test('only a big run is split into the views in sight and the rest: a small one comes in one request', () => {
  assert.ok(!splitWorthIt({ seq_len: 50, hidden_size: 32 }));
  assert.ok(splitWorthIt({ seq_len: 1000, hidden_size: 256 }));
  assert.ok(splitWorthIt({ seq_len: 300, hidden_size: 128, compare: true }), 'three cells to compare');
  assert.ok(!splitWorthIt({ seq_len: 'abc', hidden_size: 256 }), 'a typo: one request, which the API refuses');
});
