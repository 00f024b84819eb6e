import test from 'node:test';
import assert from 'node:assert/strict';
import { drawFlow } from '../../../frontend/js/charts/flow.js';
import { drawn } from '../support/plotly-stub.mjs';
import { useApiMeta } from '../support/meta.mjs';

useApiMeta();

const FLOW = { steps: [1, 2], loss_steps: [1, 2], log10_norm: [[0, null], [-3.5, 0.25]] };

test('the colour scale spans the matrix\'s own values, whatever else the options hold', async () => {
  const div = await drawn(drawFlow, FLOW, { palette: 'Viridis', range: [-300, 300], uirevision: 'flow', filename: 'flow' });
  const [heat] = div.data;
  assert.deepEqual([heat.zmin, heat.zmax], [-3.5, 0.25]);
  assert.deepEqual(heat.z, FLOW.log10_norm);
});

test('no rows: an empty chart that says which setting brings the matrix back', async () => {
  const div = await drawn(drawFlow, null, { palette: 'Viridis', uirevision: 'flow', filename: 'flow' });
  assert.deepEqual(div.data, []);
  assert.match(div.layout.annotations[0].text, /flow_steps/);
});
