import test from 'node:test';
import assert from 'node:assert/strict';
import { PAGE_FIELDS, pageFields } from '../../../frontend/js/lib/api.js';
import {
  LAYER_FIELDS, layerCount, layerOptions, layerTag, layerValue, runForLayer, shownLayer, shownRuns,
} from '../../../frontend/js/lib/layers.js';

/** A 3-layer gru answer: each layer's fields hold its own number, the top-level fields repeat layer 3's. */
function stack(cell = 'gru') {
  const layer = (l) => Object.fromEntries(LAYER_FIELDS.map((f) => [f, `${f}@${l}`]));
  return {
    config: { cell, num_layers: 3, seq_len: 5 }, ...layer(3), grad_h_log10_norm_batch: 'batch@3', flow: 'flow', depth_flow: 'depth',
    layers: [layer(1), layer(2), layer(3)],
  };
}

test('the layer shown: the state\'s layer counted from the bottom, else the top', () => {
  assert.equal(shownLayer({ layer: 'top' }, 3), 2);
  assert.equal(shownLayer({ layer: '1' }, 3), 0);
  assert.equal(shownLayer({ layer: '3' }, 3), 2);
  assert.equal(shownLayer({ layer: '4' }, 3), 2, 'fewer layers than the URL named: the top one');
  assert.equal(shownLayer({ layer: 'x' }, 2), 1);
  assert.equal(layerValue({ layer: '3' }, 3), 'top', 'the top layer however named, so it follows num_layers');
  assert.equal(layerValue({ layer: '2' }, 3), '2');
});

test('the selector lists every layer bottom first, naming the ends', () => {
  assert.deepEqual(layerOptions(3), [
    { value: '1', text: '1 (bottom)' }, { value: '2', text: '2' }, { value: 'top', text: '3 (top, read by the loss)' },
  ]);
  assert.equal(layerOptions(1).length, 1);
});

test('a lower layer\'s per-layer fields replace the top layer\'s; the rest of the answer stays', () => {
  const run = stack();
  const shown = runForLayer(run, 0);
  for (const field of LAYER_FIELDS) assert.equal(shown[field], `${field}@1`, field);
  assert.equal(shown.flow, 'flow');
  assert.equal(shown.depth_flow, 'depth');
  assert.equal(shown.grad_h_log10_norm_batch, undefined, 'the batch band is the top layer\'s, so it is left out');
  assert.equal(run.grad_h_norm, 'grad_h_norm@3', 'the answer itself is not changed');
  assert.equal(runForLayer(run, 2), run, 'the top layer is the answer as it came');
  const single = { config: { cell: 'rnn' }, grad_h_norm: [1] };
  assert.equal(runForLayer(single, 0), single);
});

test('every run of a compare shows the same layer', () => {
  const runs = { lstm: stack('lstm'), gru: stack('gru') };
  const shown = shownRuns(runs, { layer: '2' });
  assert.deepEqual(Object.keys(shown), ['lstm', 'gru']);
  assert.ok(Object.values(shown).every((r) => r.spectrum === 'spectrum@2'));
  assert.equal(layerCount(runs.lstm), 3);
  assert.equal(layerCount({ config: {} }), 1);
  assert.equal(layerTag(runs.lstm, { layer: '2' }), 'layer 2 of 3');
  assert.equal(layerTag({ config: { num_layers: 1 } }, { layer: '2' }), '');
});

test('the page asks for every layer\'s arrays only while a lower layer is shown', () => {
  assert.deepEqual(pageFields({ num_layers: 3, layer: 'top' }), PAGE_FIELDS);
  assert.deepEqual(pageFields({ num_layers: 1, layer: '1' }), PAGE_FIELDS);
  assert.deepEqual(pageFields({ num_layers: 3, layer: '1' }), [...PAGE_FIELDS, 'layers']);
  assert.ok(PAGE_FIELDS.includes('depth_flow') && PAGE_FIELDS.includes('weights'));
  assert.ok(PAGE_FIELDS.includes('theory') && LAYER_FIELDS.includes('theory'), 'the norm view\'s theory lines, for the layer shown');
});
