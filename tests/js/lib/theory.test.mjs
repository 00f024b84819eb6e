import test from 'node:test';
import assert from 'node:assert/strict';
import {
  boundGap, measuredDecay, middleSteps, predictedDecay,
} from '../../../frontend/js/lib/theory.js';

const close = (a, b, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('the middle of the sequence is t from 10% to 90% of T: docs/theory.md fits t = 20..180 at T = 200', () => {
  assert.deepEqual(middleSteps(200), [20, 180]);
  assert.deepEqual(middleSteps(50), [5, 45]);
  assert.deepEqual(middleSteps(2), [1, 2]);
  assert.deepEqual(middleSteps(1), [1, 1]);
});

test('the measured decay is the least-squares slope over the middle, positive where the gradient shrinks going back', () => {
  // a straight line: log10 |dL/dh_t| = -3 + 0.05 (t - 1), whatever happens at the ends
  const line = Array.from({ length: 100 }, (_, k) => -3 + 0.05 * k);
  line[0] = 40; // the start's transient, outside the fit
  line[99] = -40; // and the loss's own step
  const fit = measuredDecay(line);
  close(fit.slope, 0.05);
  assert.deepEqual([fit.from, fit.to], [10, 90]);
  // growing going back: a negative decay
  close(measuredDecay(line.map((v, k) => (k > 0 && k < 99 ? -v : v))).slope, -0.05);
});

test('the fit is least squares, not the end points, and skips nulls (exact zeros)', () => {
  const T = 20;
  const noisy = Array.from({ length: T }, (_, k) => 0.1 * (k + 1) + (k % 2 ? 0.3 : -0.3));
  // by hand over t = 2..18: x mean 10, slope = sum((t - 10)(v - vbar)) / sum((t - 10)^2)
  const ts = Array.from({ length: 17 }, (_, k) => k + 2);
  const vs = ts.map((t) => noisy[t - 1]);
  const vbar = vs.reduce((a, b) => a + b) / vs.length;
  const slope = ts.reduce((a, t, k) => a + (t - 10) * (vs[k] - vbar), 0) / ts.reduce((a, t) => a + (t - 10) ** 2, 0);
  close(measuredDecay(noisy).slope, slope);
  const gaps = noisy.map((v, k) => (k === 5 ? null : v));
  assert.ok(Number.isFinite(measuredDecay(gaps).slope));
  assert.equal(measuredDecay(Array(20).fill(null)), null);
  assert.equal(measuredDecay([1]), null);
  assert.equal(measuredDecay(undefined), null);
});

test('the predicted decay is -decay_per_step under loss "last", else the same fit over the predicted line', () => {
  const mf = { decay_per_step: -0.0255, log10_norm: Array.from({ length: 50 }, (_, k) => -2 + 0.02 * k) };
  close(predictedDecay(mf, 'last'), 0.0255);
  close(predictedDecay(mf, 'all'), 0.02);
  assert.equal(predictedDecay(null, 'last'), null);
});

test('the gap below Pascanu\'s bound at step 1, in orders of magnitude', () => {
  close(boundGap({ log10_norm: [0, 0] }, [-3.25, -1]), 3.25);
  assert.equal(boundGap(null, [-1]), null);
  assert.equal(boundGap({ log10_norm: [null] }, [-1]), null);
  assert.equal(boundGap({ log10_norm: [0] }, [null]), null);
});
