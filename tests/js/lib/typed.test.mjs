import test from 'node:test';
import assert from 'node:assert/strict';
import {
  base64Bytes, decodeArrays, decodeTyped, isF4Warning, isTyped, restoreNorms, shapeOf,
} from '../../../frontend/js/lib/typed.js';

// What gradflow/wire/typed.py writes: the little-endian buffer in base64, its dtype and its shape.
const typed = (Type, dtype, values, shape = String(values.length)) => ({
  dtype, bdata: Buffer.from(new Type(values).buffer).toString('base64'), shape,
});

test('a 1-D float32 array reads as a plain list, null where the buffer holds NaN (a null of the JSON answer)', () => {
  const out = decodeTyped(typed(Float32Array, 'f4', [1.5, NaN, -0.25, 3e38]));
  assert.ok(Array.isArray(out));
  assert.deepEqual(out, [1.5, null, -0.25, Math.fround(3e38)]);
});

test('float64 decodes exactly; int32 as integers', () => {
  const exact = [0.1, 1 / 3, -1e-300, 1.7976931348623157e308];
  assert.deepEqual(decodeTyped(typed(Float64Array, 'f8', exact)), exact);
  assert.deepEqual(decodeTyped(typed(Int32Array, 'i4', [3, -7, 2147483647])), [3, -7, 2147483647]);
});

test('a 2-D array reads as rows that are views of one buffer (no copy), NaN kept for null, float32 to 7 digits', () => {
  const values = [0.1, NaN, 2, 3, -4.5, 1e-3];
  const rows = decodeTyped(typed(Float32Array, 'f4', values, '2, 3'));
  assert.equal(rows.length, 2);
  assert.ok(rows.every((r) => r instanceof Float32Array && r.length === 3));
  assert.equal(rows[0].buffer, rows[1].buffer, 'one buffer under every row');
  assert.ok(Number.isNaN(rows[0][1]), 'a null is NaN in a typed row');
  assert.equal(rows[1][1], -4.5);
  assert.ok(Math.abs(rows[0][0] - 0.1) < 1e-8 && rows[0][0] !== 0.1, 'float32, not float64');
  assert.deepEqual(decodeTyped(typed(Float32Array, 'f4', [], '0, 3')), []);
});

test('without Uint8Array.fromBase64 (node 20) Buffer does it, without Buffer atob: the same bytes', () => {
  const text = Buffer.from([0, 1, 254, 255, 128]).toString('base64');
  const expected = [0, 1, 254, 255, 128];
  assert.deepEqual([...base64Bytes(text, { fromBase64: undefined })], expected);
  assert.deepEqual([...base64Bytes(text, { fromBase64: undefined, buffer: null, atob: globalThis.atob })], expected);
  const native = (t) => new Uint8Array(Buffer.from(t, 'base64'));
  assert.deepEqual([...base64Bytes(text, { fromBase64: native })], expected);
  // rows decoded by each path agree, and a buffer that starts at an odd offset is realigned
  const item = typed(Float32Array, 'f4', [1, NaN, 2, 4], '2, 2');
  const viaAtob = decodeTyped(item, { fromBase64: undefined, buffer: null, atob: globalThis.atob });
  const odd = (t) => { const b = Buffer.from(t, 'base64'); const pad = new Uint8Array(b.length + 1); pad.set(b, 1); return pad.subarray(1); };
  const viaOdd = decodeTyped(item, { fromBase64: odd });
  for (const rows of [viaAtob, viaOdd]) assert.deepEqual(rows.map((r) => [...r]), [[1, NaN], [2, 4]]);
});

test('a whole answer: typed items decoded wherever they sit, everything else as it came', () => {
  const answer = {
    config: { cell: 'lstm', fields: ['gates'] },
    loss: 0.5,
    gates: { f: typed(Float32Array, 'f4', [0.5, 0.25], '1, 2') },
    flow: { steps: [1, 2], log10_norm: typed(Float32Array, 'f4', [0, NaN], '1, 2') },
    layers: [{ grad_h_norm: typed(Float32Array, 'f4', [NaN, 1]) }],
    warnings: ['w'],
  };
  const out = decodeArrays(answer);
  assert.deepEqual(out.config, answer.config);
  assert.equal(out.loss, 0.5);
  assert.deepEqual([...out.gates.f[0]], [0.5, 0.25]);
  assert.deepEqual(out.flow.steps, [1, 2]);
  assert.ok(Number.isNaN(out.flow.log10_norm[0][1]));
  assert.deepEqual(out.layers[0].grad_h_norm, [null, 1]);
  assert.ok(isTyped(answer.gates.f) && !isTyped(out.gates.f) && !isTyped({ dtype: 'f4' }));
  assert.deepEqual(shapeOf({ shape: '4, 5' }), [4, 5]);
  assert.deepEqual(shapeOf({}, 7), [7]);
});

test('norms float32 cannot hold come back from their log10; a norm past float64 stays null', () => {
  const run = restoreNorms({
    grad_h_norm: [null, 0, 2, null, 0],
    grad_h_log10_norm: [200, -60, Math.log10(2), 400, null],
  });
  assert.ok(Math.abs(run.grad_h_norm[0] / 1e200 - 1) < 1e-12);
  assert.ok(Math.abs(run.grad_h_norm[1] / 1e-60 - 1) < 1e-12);
  assert.equal(run.grad_h_norm[2], 2, 'a norm float32 holds is kept as it came');
  assert.equal(run.grad_h_norm[3], null);
  assert.equal(run.grad_h_norm[4], 0, 'an exact zero (no log10) stays 0');
  assert.deepEqual(restoreNorms({ grad_c_norm: null }), { grad_c_norm: null });
  assert.ok(isF4Warning("grad_h_norm: values beyond float32's range are null (NaN) in binary-f4; arrays=binary keeps them"));
  assert.ok(!isF4Warning('grad_h_norm: 3 values beyond float64 are null'));
});
