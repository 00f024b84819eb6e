import test from 'node:test';
import assert from 'node:assert/strict';
import { drawTrainLoss } from '../../../frontend/js/charts/train-loss.js';
import { drawn } from '../support/plotly-stub.mjs';
import { useApiMeta } from '../support/meta.mjs';

useApiMeta();

const REFS = [{ name: 'baseline 0.167 (adding)', value: 1 / 6, dash: 'dash' }, { name: 'solved below 0.0167', value: 1 / 60, dash: 'dot' }];
const OPTS = { yscale: 'log', refs: REFS, xMax: 1000, revision: 3, uirevision: 'train-loss', filename: 'loss' };
const byName = (div, name) => div.data.find((t) => t.name === name);

test('a line per run, the reference levels dashed across every step, a star where a run was solved', async () => {
  const series = [
    { label: 'lstm', colour: '#E69F00', step: [1, 20, 40], loss: [1.1, 0.2, 0.01], ended: { status: 'solved', step: 40, loss: 0.01 } },
    { label: 'rnn', colour: '#0072B2', step: [1, 20], loss: [1.1, 0.17], ended: null },
  ];
  const div = await drawn(drawTrainLoss, series, OPTS);
  assert.deepEqual(div.data.map((t) => t.name), [...REFS.map((r) => r.name), 'lstm', 'lstm: solved at step 40', 'rnn']);
  assert.deepEqual(byName(div, 'lstm').y, [1.1, 0.2, 0.01]);
  const baseline = byName(div, REFS[0].name);
  assert.deepEqual([baseline.x, baseline.y, baseline.line.dash], [[1, 1000], [1 / 6, 1 / 6], 'dash']);
  assert.equal(byName(div, 'lstm: solved at step 40').marker.symbol, 'star');
  assert.equal(div.layout.yaxis.type, 'log');
  assert.equal(div.layout.uirevision, 'train-loss');
  assert.equal(div.layout.datarevision, 3, 'arrays that grew are redrawn');
});

test('a loss that explodes does not squash the others: the axis stops at a ceiling, the points past it on the edge', async () => {
  const series = [
    { label: 'clip_mode none', colour: '#0072B2', step: [1, 20, 200, 217], loss: [0.5, 4e13, 3e282, null], ended: { status: 'diverged', step: 217, loss: 3e282 } },
    { label: 'clip_mode norm', colour: '#E69F00', step: [1, 20], loss: [0.5, 0.18], ended: null },
  ];
  const div = await drawn(drawTrainLoss, series, OPTS);
  const ceiling = 1e3 / 6;
  assert.ok(Math.abs(div.layout.yaxis.range[1] - (Math.log10(ceiling) + 0.15)) < 1e-9);
  const above = byName(div, 'clip_mode none: loss above the chart');
  assert.deepEqual(above.x, [20, 200]);
  assert.deepEqual(above.y, [ceiling, ceiling]);
  assert.deepEqual(above.text, ['4.00e+13', '3.00e+282']);
  const end = byName(div, 'clip_mode none: diverged at step 217');
  assert.deepEqual([end.x, end.y, end.marker.symbol], [[217], [ceiling], 'x']);
});

test('linear axis on request, starting at zero', async () => {
  const series = [{ label: 'gru', colour: '#009E73', step: [1, 2], loss: [0.3, 0.2], ended: null }];
  const div = await drawn(drawTrainLoss, series, { ...OPTS, yscale: 'linear' });
  assert.equal(div.layout.yaxis.type, 'linear');
  assert.equal(div.layout.yaxis.range[0], 0);
});
