import test from 'node:test';
import assert from 'node:assert/strict';
import { normHover } from '../../../frontend/js/lib/format.js';
import {
  clippingBars, finiteRange, logTicks, normSeries, runs, spectrumBlocks, transpose,
} from '../../../frontend/js/lib/shape.js';

test('transpose puts time on x and units on y', () => {
  assert.deepEqual(transpose([[1, 2, 3], [4, 5, 6]]), [[1, 4], [2, 5], [3, 6]]);
  assert.deepEqual(transpose([]), []);
});

test('finiteRange skips null', () => {
  assert.deepEqual(finiteRange([[1, null], [-3, 2]], [7]), [-3, 7]);
  assert.equal(finiteRange([null]), null);
});

test('steps beyond float64 are those with a null norm but a known log10', () => {
  const s = normSeries([1, null, null, 0.5], [0, 400.5, null, -0.30103]);
  assert.deepEqual(s.beyond, [1]);
  assert.deepEqual(s.t, [1, 2, 3, 4]);
  const hover = normHover(s, '|dL/dh_t|');
  assert.match(hover[1], /3\.16e\+400 \(beyond float64\)/);
  assert.match(hover[1], /log10 = 400\.500/);
  assert.match(hover[2], /0 \(exact\)/);
});

test('log ticks are whole powers of ten, about six of them', () => {
  const { tickvals, ticktext } = logTicks(-37.2, 2.1);
  assert.ok(tickvals.length >= 3 && tickvals.length <= 9, `${tickvals}`);
  assert.ok(tickvals.every(Number.isInteger));
  assert.equal(ticktext[tickvals.indexOf(0)], '1');
  assert.ok(ticktext.includes('10<sup>-20</sup>') || ticktext.includes('10<sup>-10</sup>'));
});

test('runs groups consecutive indices', () => {
  assert.deepEqual(runs([1, 2, 3, 7, 9, 10]), [[1, 3], [7, 7], [9, 10]]);
});

test('spectrum blocks carry eigenvalues and the two numbers written out', () => {
  const blocks = spectrumBlocks({
    blocks: { i: { eigenvalues: [[1, 0], [0, -1]], spectral_radius: 1, max_singular_value: 1.5 } },
    spectral_radius: 1,
    max_singular_value: 1.5,
  });
  assert.deepEqual(blocks, [{ name: 'i', re: [1, 0], im: [0, -1], radius: 1, sigma: 1.5 }]);
});

test('clipping bars pair before and after by parameter name', () => {
  const bars = clippingBars({ weight_ih: 2, weight_hh: 4 }, { weight_ih: 0.5, weight_hh: 1 });
  assert.deepEqual(bars, { names: ['weight_ih', 'weight_hh'], before: [2, 4], after: [0.5, 1] });
});

test('finiteRange reads typed rows, leaving out NaN (a null of the JSON answer) and the infinities', () => {
  const flat = new Float32Array([NaN, -2, 5, Infinity, -Infinity, 0.5]);
  assert.deepEqual(finiteRange([flat.subarray(0, 3), flat.subarray(3, 6)]), [-2, 5]);
  assert.deepEqual(finiteRange([new Float32Array([NaN])], [null, 1]), [1, 1]);
  assert.equal(finiteRange([new Float32Array([NaN, Infinity])]), null);
});
