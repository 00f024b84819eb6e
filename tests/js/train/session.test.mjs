import test from 'node:test';
import assert from 'node:assert/strict';
import { TrainSession } from '../../../frontend/js/train/session.js';
import { progress, summary } from '../support/train-fixtures.mjs';

/**
 * A stand-in for postNdjson: each body's events come out one per `tick()`; an aborted signal makes the
 * pending read fail as fetch does. Records the bodies it was asked for.
 */
function fakeStreams(eventsFor) {
  const waiting = [];
  const bodies = [];
  const tick = () => waiting.splice(0).forEach((wake) => wake());
  async function* stream(url, body, { signal }) {
    bodies.push({ url, body });
    for (const event of eventsFor(body)) {
      await new Promise((resolve, reject) => {
        waiting.push(resolve);
        signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
      });
      if (event instanceof Error) throw event;
      yield event;
    }
  }
  return { stream, tick, bodies };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

test('one stream per request, all at once; each run files its own events and ends with its summary', async () => {
  const fake = fakeStreams((body) => [progress(1, 2), summary({ solved: body.cell === 'gru', solved_at: 1 })]);
  const session = new TrainSession(fake.stream);
  let changes = 0;
  const done = session.start([{ label: 'rnn', body: { cell: 'rnn' } }, { label: 'gru', body: { cell: 'gru' } }], () => { changes += 1; });
  await settle();
  assert.equal(fake.bodies.length, 2, 'both streams open before any event');
  assert.ok(fake.bodies.every((b) => b.url === 'api/train'));
  assert.equal(session.running, true);
  for (let k = 0; k < 3; k += 1) { fake.tick(); await settle(); }
  const runs = await done;
  assert.deepEqual(runs.map((r) => [r.label, r.status, r.events.length]), [['rnn', 'finished', 1], ['gru', 'solved', 1]]);
  assert.equal(session.running, false);
  assert.ok(changes >= 4);
});

test('stop aborts every stream: the runs keep what arrived and end as stopped', async () => {
  const fake = fakeStreams(() => [progress(1, 2), progress(2, 2), progress(3, 2), summary()]);
  const session = new TrainSession(fake.stream);
  const done = session.start([{ label: 'a', body: {} }, { label: 'b', body: {} }], () => {});
  await settle();
  fake.tick();
  await settle();
  session.stop();
  const runs = await done;
  assert.deepEqual(runs.map((r) => [r.status, r.events.length]), [['stopped', 1], ['stopped', 1]]);
  assert.equal(session.running, false);
});

test('a failing stream fails its own run only; a new start stops the old session and silences it', async () => {
  const fake = fakeStreams((body) => (body.bad ? [new Error('seq_len: too long')] : [progress(1, 2), summary()]));
  const session = new TrainSession(fake.stream);
  const first = session.start([{ label: 'old', body: {} }], () => {});
  await settle();
  let late = 0;
  const second = session.start([{ label: 'ok', body: {} }, { label: 'bad', body: { bad: true } }], () => { late += 1; });
  assert.equal((await first)[0].status, 'stopped');
  for (let k = 0; k < 3; k += 1) { fake.tick(); await settle(); }
  const runs = await second;
  assert.deepEqual(runs.map((r) => [r.label, r.status, r.error]), [['ok', 'finished', null], ['bad', 'failed', 'seq_len: too long']]);
  assert.equal(session.runs, runs);
  assert.ok(late > 0);
});
