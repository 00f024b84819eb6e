import test from 'node:test';
import assert from 'node:assert/strict';
import {
  boundsText, controlSpecs, flattenProperty, fromSlider, requestProperties, sliderRange, toSlider,
} from '../../../frontend/js/lib/schema.js';
import { OPENAPI } from '../support/fixtures.mjs';

const schemas = OPENAPI.components.schemas;
const byName = (specs) => Object.fromEntries(specs.map((s) => [s.name, s]));

test('enums are read from inline enum, $ref, allOf and anyOf-with-null', () => {
  const props = schemas.SimulateRequest.properties;
  assert.deepEqual(flattenProperty(props.cell, schemas).enum, ['rnn', 'lstm', 'gru']);
  assert.deepEqual(flattenProperty(props.activation, schemas).enum, ['tanh', 'relu', 'linear']);
  assert.deepEqual(flattenProperty(props.loss, schemas).enum, ['last', 'all']);
  assert.deepEqual(flattenProperty(props.clip_scope, schemas).enum, ['parameters', 'bptt']);
});

test('controlSpecs keeps table order and the schema bounds, defaults and labels', () => {
  const table = [
    { name: 'seq_len', label: 'T' }, { name: 'cell', label: 'Cell' }, { name: 'recurrent_scale' },
    { name: 'not_in_schema' },
  ];
  const specs = controlSpecs(OPENAPI, table);
  assert.deepEqual(specs.map((s) => s.name), ['seq_len', 'cell', 'recurrent_scale']);
  const s = byName(specs);
  assert.equal(s.seq_len.kind, 'int');
  assert.equal(s.seq_len.min, 1);
  assert.equal(s.seq_len.max, 1000);
  assert.equal(s.seq_len.default, 50);
  assert.equal(s.seq_len.label, 'T');
  assert.equal(s.cell.kind, 'enum');
  assert.equal(s.cell.default, 'rnn');
  assert.equal(s.recurrent_scale.kind, 'float');
  assert.equal(s.recurrent_scale.exclusiveMin, 0);
});

test('a schema without the request model is reported in words', () => {
  assert.throws(() => requestProperties({}), /no SimulateRequest model/);
});

test('sliders: ints step 1, wide positive floats logarithmic, seeds typed', () => {
  const s = byName(controlSpecs(OPENAPI, [
    { name: 'seq_len' }, { name: 'recurrent_scale' }, { name: 'seed' }, { name: 'clip_threshold' },
  ]));
  assert.deepEqual(sliderRange(s.seq_len), { min: 1, max: 1000, step: 1, log: false });
  const r = sliderRange(s.recurrent_scale);
  assert.equal(r.log, true);
  assert.ok(r.min > 0, 'an exclusive minimum is never offered');
  assert.equal(sliderRange(s.seed), null);
  assert.equal(sliderRange(s.clip_threshold).log, true);
  assert.equal(sliderRange({ kind: 'float', min: -20, max: 20, exclusiveMin: null, exclusiveMax: null }).log, false);
});

test('a log slider round-trips to three significant figures', () => {
  const r = sliderRange({ kind: 'float', min: null, max: 100, exclusiveMin: 0, exclusiveMax: null });
  for (const v of [0.9, 1, 1.5, 2.5, 50]) {
    const back = fromSlider(r, toSlider(r, v));
    assert.ok(Math.abs(back - v) / v < 0.01, `${v} -> ${back}`);
  }
  assert.equal(toSlider(r, 1e9), 1000);
  assert.equal(fromSlider(r, 1000), 100);
});

test('bounds are written out for the help text', () => {
  const s = byName(controlSpecs(OPENAPI, [{ name: 'seq_len' }, { name: 'recurrent_scale' }]));
  assert.equal(boundsText(s.seq_len), '1 to 1000');
  assert.equal(boundsText(s.recurrent_scale), 'more than 0, at most 10');
});
