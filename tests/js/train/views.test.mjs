import test from 'node:test';
import assert from 'node:assert/strict';
import { addEvent, newRun } from '../../../frontend/js/train/runs.js';
import {
  drawTrainViews, flowPanel, gradSeries, lossRefs, lossSeries, memorySeries, runColours,
} from '../../../frontend/js/train/views.js';
import '../support/plotly-stub.mjs';
import { divergedProgress, progress, summary } from '../support/train-fixtures.mjs';
import { useApiMeta } from '../support/meta.mjs';

const { colours } = useApiMeta().theme;

function run(label, config, events) {
  const r = newRun(label, { task: 'adding', steps: 300, seq_len: 3, clip_mode: 'none', ...config });
  events.forEach((e) => addEvent(r, e));
  return r;
}

const exploding = () => run('clip_mode none', { cell: 'rnn' }, [
  progress(1, 3, { loss: 0.57, grad_norm: 6.9, grad_norm_log10: Math.log10(6.9), memory_horizon: 2 }),
  progress(200, 3, { loss: 3e282, grad_norm: null, grad_norm_log10: 310, grad_h_log10_norm: [null, null, 12] }),
  divergedProgress(217),
  summary({ diverged: true, diverged_at: 217 }),
]);

test('runs one per cell take the cell colours, others the run palette in order', () => {
  assert.deepEqual(runColours([run('lstm', {}, []), run('gru', {}, [])]), [colours.cells.lstm, colours.cells.gru]);
  assert.deepEqual(runColours([run('clip_mode none', {}, []), run('clip_mode norm', {}, [])]), colours.runs.slice(0, 2));
});

test('loss and gradient series: nulls where the run diverged, the end marked at the last finite value', () => {
  const r = exploding();
  const loss = lossSeries(r, '#000');
  assert.deepEqual(loss.step, [1, 200, 217]);
  assert.deepEqual(loss.loss, [0.57, 3e282, null]);
  assert.deepEqual(loss.ended, { status: 'diverged', step: 217, loss: 3e282 });
  const grad = gradSeries(r, '#000');
  assert.deepEqual(grad.log10.slice(1), [310, null]);
  assert.deepEqual(grad.beyond, [1], 'a norm known only as its log10 is past float64');
  assert.equal(grad.clippedLog10, null, 'no clipping: no second line');
  assert.deepEqual(grad.divergedAt, { step: 217, log10: 310 });
  const clipped = gradSeries(run('norm', { clip_mode: 'norm' }, [progress(1, 3, { clipped_grad_norm: 1 })]), '#000');
  assert.deepEqual(clipped.clippedLog10, [0]);
});

test('the flow panel is T x steps, and the memory series tells beyond-the-sequence from diverged', () => {
  const r = exploding();
  const panel = flowPanel(r);
  assert.equal(panel.z.length, 3);
  assert.deepEqual(panel.z[2], [0, 12, null]);
  assert.deepEqual(panel.z[0], [-0.2, null, null]);
  const memory = memorySeries(r, '#000');
  assert.deepEqual(memory.horizon, [2, 3, null], 'step 200: null with a gradient = beyond (drawn at T); step 217 diverged');
  assert.deepEqual(memory.beyond, [1]);
  assert.equal(memory.gate, null);
  const lstm = memorySeries(run('lstm', { cell: 'lstm' }, [progress(1, 3, { forget_gate_mean: 0.72, memory_horizon: 1 })]), '#000');
  assert.deepEqual([lstm.gate, lstm.gateName], [[0.72], 'forget gate f']);
  const gru = memorySeries(run('gru', { cell: 'gru' }, [progress(1, 3, { update_gate_mean: 0.48 })]), '#000');
  assert.deepEqual([gru.gate, gru.gateName], [[0.48], 'update gate z']);
});

test('reference levels once per task: its baseline and the solved level, a tenth of it', () => {
  const refs = lossRefs([run('a', {}, []), run('b', {}, []), run('c', { task: 'recall' }, [])]);
  assert.deepEqual(refs.map((r) => r.name), ['baseline 0.167 (adding)', 'solved below 0.0167', 'baseline 2.08 (recall)', 'solved below 0.208']);
});

test('the four charts are drawn together, each with a uirevision that holds while the runs grow', async () => {
  const hooks = { loss: {}, grad: {}, flow: {}, memory: {} };
  const state = { train_yscale: 'log', palette: 'Viridis' };
  await drawTrainViews(hooks, [exploding()], state, 1);
  const first = Object.values(hooks).map((h) => h.layout.uirevision);
  await drawTrainViews(hooks, [exploding()], state, 2);
  assert.deepEqual(Object.values(hooks).map((h) => h.layout.uirevision), first);
  assert.ok(Object.values(hooks).every((h) => h.layout.datarevision === 2));
  assert.ok(hooks.loss.data.some((t) => t.name === 'clip_mode none'));
});
