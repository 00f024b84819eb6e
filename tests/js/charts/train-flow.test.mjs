import test from 'node:test';
import assert from 'node:assert/strict';
import { drawTrainFlow } from '../../../frontend/js/charts/train-flow.js';
import { drawn, titles } from '../support/plotly-stub.mjs';
import { useApiMeta } from '../support/meta.mjs';

useApiMeta();

const OPTS = { palette: 'Viridis', shared: true, revision: 2, uirevision: 'train-flow', filename: 'flow' };

test('a panel per run, training step across and time step up, on one shared colour scale', async () => {
  const panels = [
    { label: 'rnn', step: [1, 20], z: [[-6, null], [-3, -2], [0, 0.5]] },
    { label: 'lstm', step: [1, 20, 40], z: [[-1, -1, -0.5], [-0.5, -0.5, -0.2], [0, 0, 0]] },
  ];
  const div = await drawn(drawTrainFlow, panels, OPTS);
  assert.deepEqual(div.data.map((t) => [t.name, t.xaxis, t.yaxis, t.coloraxis]), [['rnn', 'x', 'y', 'coloraxis'], ['lstm', 'x2', 'y2', 'coloraxis']]);
  assert.deepEqual(div.data[0].y, [1, 2, 3]);
  assert.deepEqual(div.data[1].x, [1, 20, 40]);
  assert.deepEqual([div.layout.coloraxis.cmin, div.layout.coloraxis.cmax], [-6, 0.5]);
  assert.deepEqual(titles(div), ['rnn', 'lstm']);
  assert.ok(div.layout.xaxis.domain[1] < div.layout.xaxis2.domain[0], 'side by side');
});

test('cells past float64 say so in the hover; no runs yet: a chart that says how to start one', async () => {
  const div = await drawn(drawTrainFlow, [{ label: 'rnn', step: [1], z: [[400], [1]] }], OPTS);
  assert.deepEqual(div.data[0].text, [[' (beyond float64)'], ['']]);
  const empty = await drawn(drawTrainFlow, [], OPTS);
  assert.deepEqual(empty.data, []);
  assert.match(titles(empty)[0], /Start a training/);
});

test('one scale per panel on request, so a run that explodes leaves the others readable', async () => {
  const panels = [{ label: 'none', step: [1], z: [[null], [130]] }, { label: 'norm', step: [1, 20], z: [[-1.6, -1.2], [-0.4, -0.3]] }];
  const div = await drawn(drawTrainFlow, panels, { ...OPTS, shared: false });
  assert.deepEqual(div.data.map((t) => [t.zmin, t.zmax, t.coloraxis]), [[130, 130, undefined], [-1.6, -0.3, undefined]]);
  assert.ok(div.data.every((t) => t.showscale && t.colorbar.x > 0));
  assert.ok(div.data[0].colorbar.x < div.layout.xaxis2.domain[0], 'each bar sits beside its own panel');
});
