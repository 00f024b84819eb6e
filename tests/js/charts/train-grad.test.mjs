import test from 'node:test';
import assert from 'node:assert/strict';
import { drawTrainGrad } from '../../../frontend/js/charts/train-grad.js';
import { drawn } from '../support/plotly-stub.mjs';
import { useApiMeta } from '../support/meta.mjs';

useApiMeta();

const OPTS = { thresholds: [{ name: 'clip threshold 1', log10: 0 }], xMax: 2000, revision: 1, uirevision: 'train-grad', filename: 'grad' };
const byName = (div, name) => div.data.find((t) => t.name === name);

test('before clipping solid, after clipping dashed, both as exact log10 with power-of-ten ticks', async () => {
  const series = [{
    label: 'clip_mode norm', colour: '#E69F00', step: [1, 20], log10: [0.84, 0.27], beyond: [], clippedLog10: [0, 0], divergedAt: null,
  }];
  const div = await drawn(drawTrainGrad, series, OPTS);
  assert.deepEqual(div.data.map((t) => t.name), ['clip threshold 1', 'clip_mode norm: before clipping', 'clip_mode norm: after clipping']);
  const after = byName(div, 'clip_mode norm: after clipping');
  assert.deepEqual([after.y, after.line.dash], [[0, 0], 'dash']);
  assert.equal(byName(div, 'clip_mode norm: before clipping').line.dash, undefined);
  assert.deepEqual(byName(div, 'clip_mode norm: before clipping').text, ['6.92e+0', '1.86e+0']);
  assert.ok(div.layout.yaxis.ticktext.includes('1'));
});

test('norms past float64 are placed by their log10 and marked; a diverged run gets a cross where it ended', async () => {
  const series = [{
    label: 'rnn', colour: '#0072B2', step: [1, 200, 220, 221], log10: [0.8, 142, 400, null], beyond: [2], clippedLog10: null,
    divergedAt: { step: 221, log10: 400 },
  }];
  const div = await drawn(drawTrainGrad, series, { ...OPTS, thresholds: [] });
  const beyond = byName(div, 'rnn: beyond float64');
  assert.deepEqual([beyond.x, beyond.y, beyond.marker.symbol], [[220], [400], 'triangle-up']);
  assert.deepEqual(beyond.text, ['1.00e+400 (beyond float64)']);
  assert.ok(!byName(div, 'rnn: after clipping'), 'without clipping there is no second line');
  assert.deepEqual(byName(div, 'rnn: diverged at step 221').y, [400]);
  assert.equal(div.layout.annotations[0].text, 'float64 limit (1.8e308)');
});
