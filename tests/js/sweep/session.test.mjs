import test from 'node:test';
import assert from 'node:assert/strict';
import { SweepSession, addLine, endSweep, newSweep } from '../../../frontend/js/sweep/session.js';
import { point, sweepSummary } from '../support/sweep-fixtures.mjs';

/**
 * A stand-in for postNdjson: the lines come out one per `tick()`; an aborted signal makes the pending read
 * fail as fetch does. Records the bodies it was sent.
 */
function fakeStream(lines) {
  const waiting = [];
  const bodies = [];
  const tick = () => waiting.splice(0).forEach((wake) => wake());
  async function* stream(url, body, { signal }) {
    bodies.push({ url, body });
    for (const line of lines) {
      await new Promise((resolve, reject) => {
        waiting.push(resolve);
        signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
      });
      if (line instanceof Error) throw line;
      yield line;
    }
  }
  return { stream, tick, bodies };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const X = { field: 'recurrent_scale', values: [0.5, 1] };

test('the points are filed as they arrive, then the summary ends the sweep as done', async () => {
  const fake = fakeStream([point(1, 0, 0), point(0, 0, 0), sweepSummary(X, null, { points: 2 })]);
  const session = new SweepSession(fake.stream);
  let changes = 0;
  const done = session.start({ x: X }, () => { changes += 1; });
  await settle();
  assert.deepEqual(fake.bodies, [{ url: 'api/sweep', body: { x: X } }]);
  assert.equal(session.running, true);
  fake.tick();
  await settle();
  assert.deepEqual(session.sweep.points.map((p) => p.ix), [1], 'a point is there before the next arrives');
  for (let k = 0; k < 3; k += 1) { fake.tick(); await settle(); }
  const sweep = await done;
  assert.deepEqual([sweep.status, sweep.points.length, sweep.summary.executor], ['done', 2, 'inline']);
  assert.equal(session.running, false);
  assert.ok(changes >= 4);
});

test('stop closes the stream: the sweep keeps what arrived and ends as stopped', async () => {
  const fake = fakeStream([point(0, 0, 0), point(1, 0, 0), sweepSummary(X)]);
  const session = new SweepSession(fake.stream);
  const done = session.start({}, () => {});
  await settle();
  fake.tick();
  await settle();
  session.stop();
  assert.equal(session.running, false, 'at once');
  const sweep = await done;
  assert.deepEqual([sweep.status, sweep.points.length, sweep.error], ['stopped', 1, null]);
});

test('a refusal, an error line or a stream cut short fails the sweep in words; a new start silences the old one', async () => {
  // a refusal (422, 503) comes before any line
  const refused = new SweepSession(async function* refuse() { throw new Error('x.values[1]: hidden_size = 300: at most 256'); });
  const first = await refused.start({}, () => {});
  assert.deepEqual([first.status, first.error, refused.running], ['failed', 'x.values[1]: hidden_size = 300: at most 256', false]);
  const late = [];
  const fake = fakeStream([point(0, 0, 0), { type: 'error', detail: 'the Dask scheduler did not answer' }]);
  const session = new SweepSession(fake.stream);
  const old = session.start({}, () => late.push('old'));
  const next = session.start({}, () => late.push('new'));
  assert.equal((await old).status, 'stopped');
  late.length = 0;
  for (let k = 0; k < 3; k += 1) { fake.tick(); await settle(); }
  assert.deepEqual([(await next).status, (await next).error], ['failed', 'the Dask scheduler did not answer']);
  assert.ok(late.every((who) => who === 'new'));

  const cut = newSweep({});
  addLine(cut, point(0, 0, 0));
  endSweep(cut);
  assert.deepEqual([cut.status, cut.error], ['failed', 'The stream ended before the sweep\'s summary.']);
  const listed = newSweep({});
  addLine(listed, { type: 'error', detail: [{ type: 'compute_budget', msg: 'This sweep needs about 3e11 multiply-adds' }] });
  assert.equal(listed.error, 'This sweep needs about 3e11 multiply-adds');
});
