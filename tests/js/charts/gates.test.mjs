import test from 'node:test';
import assert from 'node:assert/strict';
import { drawGates } from '../../../frontend/js/charts/gates.js';
import { drawn, titles } from '../support/plotly-stub.mjs';
import { useApiMeta } from '../support/meta.mjs';

useApiMeta();

const OPTS = { palette: 'Viridis', uirevision: 'gates-test', filename: 'gates-test' };

/** T x H rows filled with one value. */
const grid = (value, T = 3, H = 2) => Array.from({ length: T }, () => new Array(H).fill(value));

function lstmBlock() {
  // keys in an order the API never sends: the panels follow the cell's gate order, not the JSON's
  const gates = { o: grid(0.4), g: grid(0.1), f: grid(0.5), i: grid(0.6) };
  return { cell: 'lstm', gates, carry: { quantity: 'dL/dc_t', z: grid(-1) } };
}

test('one cell: the carrying gate next to its gradient, then the other gates in the cell\'s order', async () => {
  const div = await drawn(drawGates, [lstmBlock()], OPTS);
  assert.deepEqual(div.data.map((t) => t.name), ['f', 'log10|dL/dc_t|', 'i', 'g', 'o']);
  assert.deepEqual(titles(div), [
    'lstm: forget gate f', 'log10|dL/dc_t|, carried by f', 'lstm: input gate i', 'lstm: candidate g', 'lstm: output gate o',
  ]);
});

test('compare mode: a row per gated cell, titled by cell, each carrying gate beside its gradient', async () => {
  const gru = { cell: 'gru', gates: { r: grid(0.3), z: grid(0.7), n: grid(-0.2) }, carry: { quantity: 'dL/dh_t', z: grid(-4) } };
  const div = await drawn(drawGates, [lstmBlock(), gru], OPTS);
  const names = div.data.map((t) => t.name);
  assert.deepEqual(names, [
    'lstm: f', 'lstm: log10|dL/dc_t|', 'lstm: i', 'lstm: g', 'lstm: o', 'gru: z', 'gru: log10|dL/dh_t|', 'gru: r', 'gru: n',
  ]);
  assert.deepEqual(titles(div), [
    'lstm: forget gate f', 'lstm: log10|dL/dc_t|', 'lstm: input gate i', 'lstm: candidate g', 'lstm: output gate o',
    'gru: update gate z', 'gru: log10|dL/dh_t|', 'gru: reset gate r', 'gru: candidate n',
  ]);
  const yDomain = (i) => div.layout[i === 0 ? 'yaxis' : `yaxis${i + 1}`].domain;
  const xDomain = (i) => div.layout[i === 0 ? 'xaxis' : `xaxis${i + 1}`].domain;
  for (const [first, last] of [[0, 4], [5, 8]]) {
    for (let i = first + 1; i <= last; i += 1) {
      assert.deepEqual(yDomain(i), yDomain(first), `${names[i]} sits in ${names[first]}'s row`);
      assert.ok(xDomain(i)[0] > xDomain(i - 1)[1], `${names[i]} is right of ${names[i - 1]}`);
    }
  }
  assert.ok(yDomain(5)[1] < yDomain(0)[0], 'the gru row is below the lstm row');
  assert.deepEqual([div.layout.coloraxis3.cmin, div.layout.coloraxis3.cmax], [-4, -1], 'the gradients share one scale');
  assert.equal(div.data[5].hovertemplate, 't = %{x}, unit %{y}<br>gru: z = %{z:.4f}<extra></extra>');
});

test('a plain rnn: an empty chart that says where the gates are', async () => {
  const div = await drawn(drawGates, [], OPTS);
  assert.deepEqual(div.data, []);
  assert.match(titles(div)[0], /no gates/);
});

test('the rows go to Plotly as they came (step by unit) with transpose: time on x, units on y, hovered from z', async () => {
  const flat = new Float32Array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
  const rows = [flat.subarray(0, 2), flat.subarray(2, 4), flat.subarray(4, 6)]; // T = 3, H = 2
  const block = { cell: 'gru', gates: { r: rows, z: rows, n: rows }, carry: { quantity: 'dL/dh_t', z: rows } };
  const div = await drawn(drawGates, [block], OPTS);
  for (const heat of div.data) {
    assert.equal(heat.z, rows);
    assert.equal(heat.transpose, true);
    assert.deepEqual([heat.x, heat.y], [[1, 2, 3], [1, 2]]);
    assert.ok(!('text' in heat) && heat.hovertemplate.includes('%{z:'));
  }
  assert.deepEqual([div.layout.coloraxis3.cmin, div.layout.coloraxis3.cmax], [Math.fround(0.1), Math.fround(0.6)]);
});
