import test from 'node:test';
import assert from 'node:assert/strict';
import {
  cellConfig, fieldAt, filledCells, gridShape, metricValue, sweepGrids,
} from '../../../frontend/js/sweep/grid.js';
import { RECORDED, point } from '../support/sweep-fixtures.mjs';

const AXES = { x: { field: 'recurrent_scale', values: [0.5, 1, 2], log: true }, y: { field: 'seq_len', values: [10, 100], log: true } };
const BASE = { cell: 'rnn', seq_len: 50, recurrent_scale: 1, seed: 7 };

/** The same list in a scrambled but repeatable order (a seeded Fisher-Yates). */
function shuffled(items, seed) {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i -= 1) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

test('mean, min and max over the seeds per cell; a cell no seed reached is null everywhere', () => {
  const points = [point(0, 0, 7, { log10_grad_first: -3 }), point(0, 0, 8, { log10_grad_first: -1 }), point(2, 1, 7, { log10_grad_first: 4 })];
  const g = sweepGrids(points, AXES, BASE, 'log10_grad_first');
  assert.deepEqual(g.mean, [[-2, null, null], [null, null, 4]], 'rows are y, columns x');
  assert.deepEqual(g.min, [[-3, null, null], [null, null, 4]]);
  assert.deepEqual(g.max, [[-1, null, null], [null, null, 4]]);
  assert.deepEqual(g.count, [[2, 0, 0], [0, 0, 1]]);
  assert.equal(filledCells(g), 2);
});

test('seeds arriving in any order give the same grids, bit for bit', () => {
  const values = [0.1, 0.7, 1e-17, -0.3, 0.2];
  const points = values.flatMap((v, seed) => [point(0, 0, seed, { log10_grad_first: v * 3.3 }), point(1, 1, seed, { log10_grad_first: v })]);
  const reference = sweepGrids(points, AXES, BASE, 'log10_grad_first');
  for (const seed of [1, 2, 3, 4, 5]) {
    assert.deepEqual(sweepGrids(shuffled(points, seed), AXES, BASE, 'log10_grad_first'), reference, `order ${seed}`);
  }
  assert.deepEqual(sweepGrids(points.slice(0, 4), AXES, BASE, 'log10_grad_first').count, [[2, 0, 0], [0, 2, 0]], 'the seeds received so far');
});

test('a seed that comes twice for a cell counts once; points outside the grid are left out', () => {
  const points = [point(1, 0, 0, { log10_grad_first: 2 }), point(1, 0, 0, { log10_grad_first: 2 }), point(5, 0, 0), point(0, 3, 0)];
  const g = sweepGrids(points, AXES, BASE, 'log10_grad_first');
  assert.deepEqual(g.count, [[0, 1, 0], [0, 0, 0]]);
});

test('a memory horizon of null is the cell\'s sequence length, as the server\'s grid counts it; other nulls are left out', () => {
  assert.equal(metricValue(point(0, 1, 0, { memory_horizon: null }), 'memory_horizon', AXES, BASE), 100, 'seq_len from the y axis');
  const oneAxis = { x: AXES.x, y: null };
  assert.equal(metricValue(point(2, 0, 0, { memory_horizon: null }), 'memory_horizon', oneAxis, BASE), 50, 'seq_len from the base');
  assert.equal(metricValue(point(0, 0, 0, { log10_grad_first: null }), 'log10_grad_first', AXES, BASE), null);
  assert.equal(metricValue(point(0, 0, 0), 'forget_gate_mean', AXES, BASE), null, 'an rnn point has no gate mean');
  assert.equal(fieldAt(AXES, BASE, 'recurrent_scale', 2, 0), 2);
  assert.deepEqual(gridShape(oneAxis), { nx: 3, ny: 1 });
});

test('every grid of a real sweep equals the mean the server\'s summary gives', () => {
  const { points, summary } = RECORDED;
  const axes = { x: { ...summary.x, log: false }, y: { ...summary.y, log: false } };
  for (const [metric, grid] of Object.entries(summary.grid)) {
    const mine = sweepGrids(shuffled(points, 9), axes, RECORDED.body.base, metric).mean;
    mine.flat().forEach((v, k) => assert.ok(Math.abs(v - grid.flat()[k]) <= 1e-12 * Math.max(1, Math.abs(v)), `${metric}[${k}]: ${v} vs ${grid.flat()[k]}`));
  }
});

test('a cell\'s configuration is the base (with its first seed) and the cell\'s axis values', () => {
  assert.deepEqual(cellConfig(AXES, BASE, 2, 1), { cell: 'rnn', seq_len: 100, recurrent_scale: 2, seed: 7 });
  assert.deepEqual(cellConfig({ x: AXES.x, y: null }, BASE, 0, 0), { ...BASE, recurrent_scale: 0.5 });
});
