import test from 'node:test';
import assert from 'node:assert/strict';
import {
  addLine, agreementOf, globalLog10, labRun, lastStepOf, latestDepth, listStatus, listText, lossRun, newRecord, recordFromAnswer,
  scalarNames, scalarsText, snapshotEvent,
} from '../../../frontend/js/runs/records.js';
import { flowPanel, gradSeries, memorySeries } from '../../../frontend/js/train/views.js';
import { useApiMeta } from '../support/meta.mjs';
import {
  AGREES, LISTED, META_LINE, scalars, snapshot,
} from '../support/runs-fixtures.mjs';

const META = useApiMeta();
const gateMean = (cell) => META.cells[cell].memory_gate_mean;

function followed(lines) {
  const record = newRecord('exp1');
  lines.forEach((line) => addLine(record, line));
  return record;
}

const close = (a, b) => Math.abs(a - b) < 1e-12;

test('the lines of a followed run are filed by type; unknown types are skipped', () => {
  const record = followed([META_LINE, scalars(0), snapshot(10), scalars(1), { type: 'error', step: 20, detail: 'boom' }, { type: 'later' }]);
  assert.equal(record.meta.cell, 'lstm');
  assert.deepEqual(record.snapshots.map((s) => s.step), [10]);
  assert.deepEqual(record.scalars.map((s) => s.step), [0, 1]);
  assert.deepEqual(record.errors, [{ type: 'error', step: 20, detail: 'boom' }]);
  assert.equal(lastStepOf(record), 10);
  const whole = recordFromAnswer({ name: 'exp1', meta: META_LINE.meta, snapshots: [snapshot(10)], scalars: [{ step: 0, loss: 1 }] });
  assert.deepEqual([whole.meta, whole.snapshots.length, whole.scalars[0].loss], [META_LINE.meta, 1, 1]);
});

test('the global gradient norm is the 2-norm of the parameters\' norms, exact past float64', () => {
  assert.ok(close(globalLog10({ a: 0, b: 0 }), 0.5 * Math.log10(2)));
  assert.ok(close(globalLog10({ a: Math.log10(3), b: Math.log10(4) }), Math.log10(5)));
  assert.ok(close(globalLog10({ a: 400, b: 400 }), 400 + 0.5 * Math.log10(2)), 'no overflow at 1e400');
  assert.equal(globalLog10({ a: null }), null);
  assert.equal(globalLog10(undefined), null);
});

test('a snapshot is the lab\'s progress event: the top layer\'s flow, horizon and memory gate, the logged loss, the global norm', () => {
  const event = snapshotEvent(snapshot(10), 'lstm');
  assert.equal(event.type, 'progress');
  assert.equal(event.step, 10);
  assert.equal(event.loss, 0.1, 'the latest loss the loop logged');
  assert.deepEqual(event.grad_h_log10_norm, snapshot(10).grad_h_log10_norm);
  assert.equal(event.memory_horizon, 2);
  assert.equal(event[gateMean('lstm')], 0.61, 'the top layer\'s mean, under the name GET /api/meta gives');
  assert.ok(close(event.grad_norm_log10, 0.5 * Math.log10(2.02)));
  assert.ok(close(event.grad_norm, Math.sqrt(2.02)));
  const gru = snapshotEvent({ ...snapshot(10), [gateMean('gru')]: [0.2, 0.3] }, 'gru');
  assert.equal(gru[gateMean('gru')], 0.3);
  const rnn = snapshotEvent({ ...snapshot(10), param_grad_log10_norms: { w: 400 } }, 'rnn');
  assert.ok(!Object.values(META.cells).some((c) => c.memory_gate_mean && c.memory_gate_mean in rnn), 'a plain rnn has no gate');
  assert.equal(rnn.grad_norm, null, 'past float64 only the log10 is known');
  assert.equal(snapshotEvent({ ...snapshot(10), scalars: null }, 'lstm').loss, null);
});

test('a watched run feeds the lab\'s series: one flow column per snapshot, T rows, no clipping, the horizon beyond the sequence at T', () => {
  const record = followed([META_LINE, snapshot(0), snapshot(10, 3, { memory_horizon: null }), snapshot(20, 4)]);
  const run = labRun(record);
  assert.deepEqual(run.config, { cell: 'lstm', seq_len: 4, steps: 20, clip_mode: 'none', task: null });
  assert.equal(run.label, 'exp1');
  const flow = flowPanel(run);
  assert.deepEqual(flow.step, [0, 10, 20]);
  assert.equal(flow.z.length, 4, 'rows: the longest sequence');
  assert.deepEqual(flow.z.map((row) => row.length), [3, 3, 3, 3]);
  assert.equal(flow.z[3][0], null, 'a shorter sequence has no step 4');
  const memory = memorySeries(run, 'c');
  assert.deepEqual(memory.horizon, [2, 4, 2]);
  assert.deepEqual(memory.beyond, [1]);
  assert.deepEqual(memory.gate, [0.6, 0.61, 0.62]);
  const grad = gradSeries(run, 'c');
  assert.equal(grad.clippedLog10, null);
  assert.equal(grad.log10.length, 3);
});

test('the loss chart takes every logged loss, else the snapshots\' own', () => {
  const record = followed([META_LINE, scalars(0), scalars(1, { loss: null }), scalars(2, { lr: 0.005 }), snapshot(1)]);
  assert.deepEqual(lossRun(record).events, [{ step: 0, loss: 1 }, { step: 1, loss: null }, { step: 2, loss: 1 / 3 }]);
  const unlogged = followed([META_LINE, snapshot(10), snapshot(20)]);
  assert.deepEqual(lossRun(unlogged).events, [{ step: 10, loss: 0.1 }, { step: 20, loss: 0.05 }]);
});

test('the other logged scalars in words: latest value and range', () => {
  const record = followed([META_LINE, scalars(0, { acc: 0.5 }), scalars(1, { lr: 0.005, acc: 0.5 })]);
  assert.deepEqual(scalarNames(record), ['loss', 'lr', 'acc']);
  assert.equal(scalarsText(record), 'lr 0.005 (from 0.005 to 0.01) · acc 0.5');
  assert.equal(scalarsText(followed([META_LINE, { type: 'scalars', step: 0, loss: 1 }])), '');
});

test('the agreement: the latest statement, flagged when it is not ok or an earlier snapshot disagreed', () => {
  const bad = {
    ...AGREES, ok: false, max_rel_diff: 0.3, statement: 'replay differs from your autograd by 0.3 (float32 run)',
  };
  assert.deepEqual(agreementOf(followed([META_LINE])), { text: '', ok: true });
  assert.deepEqual(agreementOf(followed([META_LINE, snapshot(10)])), { text: `Step 10: ${AGREES.statement}.`, ok: true });
  assert.deepEqual(agreementOf(followed([META_LINE, snapshot(10), snapshot(20, 3, { agreement: bad })])), { text: `Step 20: ${bad.statement}.`, ok: false });
  const earlier = agreementOf(followed([META_LINE, snapshot(10, 3, { agreement: bad }), snapshot(20)]));
  assert.deepEqual(earlier, { text: `Step 20: ${AGREES.statement} (1 of 2 snapshots disagreed).`, ok: false });
  const unchecked = { checked: false, reason: "the module's .grad was not available at this step", dtype: 'float64' };
  assert.deepEqual(agreementOf(followed([META_LINE, snapshot(0, 3, { agreement: unchecked })])), { text: `Step 0: ${unchecked.reason}.`, ok: true });
});

test('the depth view takes the latest snapshot\'s layers x T', () => {
  assert.equal(latestDepth(followed([META_LINE])), null);
  assert.deepEqual(latestDepth(followed([META_LINE, snapshot(0), snapshot(10)])), snapshot(10).depth_flow);
});

test('the list: each run in one line; without a runs directory, how to serve one, in one line', () => {
  assert.equal(listText(LISTED.runs[0]), 'lstm, H = 4, I = 3, 2 layers, float32 · 3 snapshots, last step 20');
  assert.equal(listText(LISTED.runs[1]), 'gru, H = 16, I = 2, float64 · 0 snapshots, none replayed yet');
  assert.equal(listText({ ...LISTED.runs[1], snapshots: 1, last_step: 0 }), 'gru, H = 16, I = 2, float64 · 1 snapshot, last step 0');
  const none = listStatus({ runs_dir: null, runs: [] });
  assert.match(none, /`gradflow serve --runs DIR`/);
  assert.ok(!none.includes('\n'), 'one line');
  assert.match(listStatus({ runs_dir: '/data/runs', runs: [] }), /^No runs in \/data\/runs yet: gradflow\.watch\(/);
  assert.match(listStatus(LISTED), /^2 runs in \/data\/runs, newest first/);
});
