import test from 'node:test';
import assert from 'node:assert/strict';
import { drawTrainMemory } from '../../../frontend/js/charts/train-memory.js';
import { drawn, titles } from '../support/plotly-stub.mjs';
import { useApiMeta } from '../support/meta.mjs';

useApiMeta();

const OPTS = { revision: 1, uirevision: 'train-memory', filename: 'memory' };

test('the horizon on top, the memory gate below, on the same training steps', async () => {
  const series = [
    { label: 'rnn', colour: '#0072B2', seqLen: 30, step: [1, 20], horizon: [8, 5], beyond: [], gate: null, gateName: '' },
    { label: 'lstm', colour: '#E69F00', seqLen: 30, step: [1, 20], horizon: [30, 11], beyond: [0], gate: [0.72, 0.7], gateName: 'forget gate f' },
  ];
  const div = await drawn(drawTrainMemory, series, OPTS);
  assert.deepEqual(div.data.map((t) => t.name), ['rnn: memory horizon', 'lstm: memory horizon', 'lstm: beyond the sequence', 'lstm: mean forget gate f']);
  const beyond = div.data[2];
  assert.deepEqual([beyond.x, beyond.y, beyond.marker.symbol], [[1], [30], 'circle-open']);
  const gate = div.data[3];
  assert.deepEqual([gate.yaxis, gate.xaxis, gate.y], ['y2', 'x2', [0.72, 0.7]]);
  assert.ok(div.layout.yaxis.domain[0] > div.layout.yaxis2.domain[1], 'the horizon panel is above the gate panel');
  assert.deepEqual(div.layout.yaxis.range, [0, 31.5]);
  assert.deepEqual(titles(div), []);
});

test('only plain rnns: the gate panel says there is no gate', async () => {
  const div = await drawn(drawTrainMemory, [{ label: 'rnn', colour: '#0072B2', seqLen: 5, step: [1], horizon: [2], beyond: [], gate: null, gateName: '' }], OPTS);
  assert.match(titles(div)[0], /no gates/);
});
