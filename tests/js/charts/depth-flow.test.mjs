import test from 'node:test';
import assert from 'node:assert/strict';
import { drawDepthFlow } from '../../../frontend/js/charts/depth-flow.js';
import { formatLog10 } from '../../../frontend/js/lib/format.js';
import { drawn } from '../support/plotly-stub.mjs';
import { useApiMeta } from '../support/meta.mjs';

useApiMeta();

// 3 layers x 4 steps, bottom layer first: an exact zero (null) and one value past float64 (1e400)
const GRID = [[-4, -3.5, null, -1], [-2, -1.5, -1, -0.5], [-1, 0, 400, 0]];
const OPTS = { palette: 'Cividis', shown: 0, uirevision: 'depth', filename: 'depth' };

test('one heatmap row per layer, bottom layer at y = 1, time steps across', async () => {
  const div = await drawn(drawDepthFlow, GRID, OPTS);
  assert.equal(div.data.length, 1);
  const [heat] = div.data;
  assert.equal(heat.type, 'heatmap');
  assert.deepEqual(heat.z, GRID);
  assert.deepEqual(heat.y, [1, 2, 3]);
  assert.deepEqual(heat.x, [1, 2, 3, 4]);
  assert.equal(heat.colorscale, 'Cividis');
  assert.deepEqual([heat.zmin, heat.zmax], [-4, 400]);
  const { yaxis } = div.layout;
  assert.deepEqual(yaxis.tickvals, [1, 2, 3]);
  assert.deepEqual(yaxis.ticktext, ['1 (bottom)', '2', '3 (top)']);
  assert.ok(!yaxis.autorange || yaxis.autorange !== 'reversed', 'the bottom layer stays at the bottom');
});

test('the hover gives the exact log10 and the magnitude as format.js writes it, past float64 too', async () => {
  const [heat] = (await drawn(drawDepthFlow, GRID, OPTS)).data;
  assert.match(heat.hovertemplate, /log10\|dL\/dh_t\| = %\{z:\.3f\}/);
  assert.match(heat.hovertemplate, /\|dL\/dh_t\| = %\{text\}/);
  assert.equal(heat.text[0][0], formatLog10(-4));
  assert.equal(heat.text[0][0], '1.00e-4');
  assert.equal(heat.text[0][2], '0 (exact)');
  assert.equal(heat.text[2][2], '1.00e+400 (beyond float64)');
});

test('the layer the other views show is framed; no frame when none is given', async () => {
  const framed = await drawn(drawDepthFlow, GRID, { ...OPTS, shown: 1 });
  assert.equal(framed.layout.shapes.length, 1);
  const [frame] = framed.layout.shapes;
  assert.deepEqual([frame.y0, frame.y1, frame.x0, frame.x1], [1.5, 2.5, 0.5, 4.5]);
  assert.deepEqual((await drawn(drawDepthFlow, GRID, { ...OPTS, shown: null })).layout.shapes, []);
  assert.equal(framed.layout.uirevision, 'depth');
});

test('typed rows (NaN for an exact zero) hover as the JSON rows do', async () => {
  const flat = new Float32Array(GRID.flat().map((v) => (v === null ? NaN : v)));
  const rows = GRID.map((r, k) => flat.subarray(k * 4, (k + 1) * 4));
  const typed = (await drawn(drawDepthFlow, rows, OPTS)).data[0];
  const plain = (await drawn(drawDepthFlow, GRID, OPTS)).data[0];
  assert.deepEqual(typed.text, plain.text);
  assert.equal(typed.text[0][2], '0 (exact)');
  assert.deepEqual([typed.zmin, typed.zmax], [plain.zmin, plain.zmax]);
});
