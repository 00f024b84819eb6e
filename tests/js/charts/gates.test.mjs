import test from 'node:test';
import assert from 'node:assert/strict';
import { drawGates } from '../../../frontend/js/charts/gates.js';
import { drawn, titles } from '../plotly-stub.mjs';

const OPTS = { palette: 'Viridis', uirevision: 'gates-test', filename: 'gates-test' };

/** T x H rows filled with one value. */
const grid = (value, T = 3, H = 2) => Array.from({ length: T }, () => new Array(H).fill(value));

function lstmBlock() {
  // keys in an order the API never sends: the panels follow the cell's gate order, not the JSON's
  const gates = { o: grid(0.4), g: grid(0.1), f: grid(0.5), i: grid(0.6) };
  return { cell: 'lstm', gates, carry: { quantity: 'dL/dc_t', z: grid(-1) } };
}

test('one cell: the carrying gate next to its gradient, then the other gates in the cell\'s order', async () => {
  const div = await drawn(drawGates, lstmBlock(), OPTS);
  assert.deepEqual(div.data.map((t) => t.name), ['f', 'log10|dL/dc_t|', 'i', 'g', 'o']);
  assert.deepEqual(titles(div), [
    'lstm: forget gate f', 'log10|dL/dc_t|, carried by f', 'lstm: input gate i', 'lstm: candidate g', 'lstm: output gate o',
  ]);
});
