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

// The page's flow matrix arrives as float32 rows (lib/typed.js), NaN for the future steps' null.
const typedRows = (rows) => { const flat = new Float32Array(rows.flat()); return rows.map((r, k) => flat.subarray(k * r.length, (k + 1) * r.length)); };

test('typed rows go to Plotly as they are; NaN is left out of the scale; no hover text unless a cell is past float64', async () => {
  const z = typedRows([[0, NaN], [-3.5, 0.25]]);
  const [heat] = (await drawn(drawFlow, { ...FLOW, log10_norm: z }, { palette: 'Viridis', uirevision: 'flow', filename: 'flow' })).data;
  assert.equal(heat.z, z, 'the same rows, not a copy');
  assert.deepEqual([heat.zmin, heat.zmax], [-3.5, 0.25]);
  assert.ok(!('text' in heat) && !heat.hovertemplate.includes('%{text}'));
  const past = typedRows([[0, NaN], [400, 0.25]]);
  const [beyond] = (await drawn(drawFlow, { ...FLOW, log10_norm: past }, { palette: 'Viridis', uirevision: 'flow', filename: 'flow' })).data;
  assert.deepEqual(beyond.text, [['', ''], [' (beyond float64)', '']]);
});

test('not fetched yet: a note that says the matrix comes with its view', async () => {
  const div = await drawn(drawFlow, null, { palette: 'Viridis', pending: true, uirevision: 'flow', filename: 'flow' });
  assert.deepEqual(div.data, []);
  assert.match(div.layout.annotations[0].text.replace(/<br>/g, ' '), /computed when this view comes into sight/);
});
