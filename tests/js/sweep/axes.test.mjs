import test from 'node:test';
import assert from 'node:assert/strict';
import {
  axisValues, geomspace, linspace, roundHalfEven,
} from '../../../frontend/js/sweep/axes.js';

// Expected values: gradflow.models.sweep Axis(...).points() on the server (NumPy 2.3, Python's round).
test('a linear axis is NumPy\'s linspace bit for bit, however the steps round', () => {
  assert.deepEqual(axisValues({ start: 0.1, stop: 0.7, num: 7, log: false }), [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
  assert.deepEqual(axisValues({ start: 0, stop: 4, num: 9, log: false }), [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4]);
  assert.deepEqual(axisValues({ start: 2, stop: 0.5, num: 5, log: false }), [2, 1.625, 1.25, 0.875, 0.5], 'downwards');
  assert.deepEqual(axisValues({ start: 0.3, stop: 0.3, num: 3, log: false }), [0.3, 0.3, 0.3], 'a zero step');
  assert.deepEqual(axisValues({ start: 1, stop: 1, num: 1, log: true }), [1]);
  assert.deepEqual(linspace(0.5, 2, 7), [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2]);
});

test('a log axis is NumPy\'s geomspace with exact ends, each value within two units in the last place', () => {
  const numpy = [
    0.5, 0.5310635884313455, 0.5640570699151549, 0.599100343258425, 0.63632075624254, 0.6758535684070215, 0.7178424425847253,
    0.7624399669747326, 0.809808209650156, 0.8601193075159503, 0.913556091857009, 0.9703127527497981, 1.0305955447520094,
    1.0946235364347188, 1.1626294064808627, 1.2348602892430647, 1.311578672833582, 1.3930633530100476, 1.4796104463234359,
    1.571534466210057, 1.6691694659381038, 1.772870252562244, 1.8830136762977816, 2.0,
  ];
  const page = geomspace(0.5, 2, 24);
  assert.equal(page.length, numpy.length);
  page.forEach((v, k) => assert.ok(Math.abs(v - numpy[k]) <= 2 * Number.EPSILON * numpy[k], `value ${k}: ${v} vs NumPy's ${numpy[k]}`));
  assert.deepEqual([page[0], page[23]], [0.5, 2]);
});

test('integer fields round as Python does, halves to the even neighbour', () => {
  assert.deepEqual([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999999999999996, 3.5000000000000004].map(roundHalfEven), [0, 2, 2, 0, -2, -2, 2, 4]);
  assert.deepEqual(axisValues({ start: 1, stop: 4, num: 7, log: false }, true), [1, 2, 2, 2, 3, 4, 4]);
  assert.deepEqual(axisValues({ start: 0.5, stop: 8.5, num: 9, log: false }, true), [0, 2, 2, 4, 4, 6, 6, 8, 8]);
  assert.deepEqual(axisValues({ start: -2.5, stop: 2.5, num: 11, log: false }, true), [-2, -2, -2, -1, 0, 0, 0, 1, 2, 2, 2]);
  assert.deepEqual(axisValues({ start: 10, stop: 300, num: 4, log: true }, true), [10, 31, 97, 300]);
  assert.deepEqual(axisValues({ start: 10, stop: 1000, num: 9, log: true }, true), [10, 18, 32, 56, 100, 178, 316, 562, 1000]);
});

test('a range that cannot be computed gives no values, for the API to explain', () => {
  for (const bad of [
    { start: 'a', stop: 2, num: 4, log: false }, { start: 0, stop: 2, num: 4, log: true }, { start: 1, stop: 2, num: 0, log: false },
    { start: 1, stop: 2, num: 2.5, log: false }, { start: 1, stop: Infinity, num: 3, log: false },
  ]) assert.deepEqual(axisValues(bad), [], JSON.stringify(bad));
});
