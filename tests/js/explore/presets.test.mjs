import test from 'node:test';
import assert from 'node:assert/strict';
import { PRESETS, applyPreset, matchingPreset } from '../../../frontend/js/explore/presets.js';
import { API_PROPERTIES } from '../../../frontend/js/lib/state.js';
import { DEFAULTS as defaults } from '../support/fixtures.mjs';

const apiNames = API_PROPERTIES.map((p) => p.name);

test('the four teaching presets exist and only name request fields', () => {
  assert.deepEqual(PRESETS.map((p) => p.id), ['vanishing', 'exploding', 'clipping', 'lstm-cell']);
  for (const p of PRESETS) {
    for (const name of Object.keys(p.changes)) assert.ok(apiNames.includes(name), `${p.id}: ${name}`);
  }
});

test('a preset starts from the defaults and keeps page settings', () => {
  const current = { ...defaults, seed: 7, hidden_size: 64, compare: true, yscale: 'linear' };
  const next = applyPreset(PRESETS[3], defaults, current, apiNames);
  assert.equal(next.cell, 'lstm');
  assert.equal(next.forget_bias, 3);
  assert.equal(next.seed, 0, 'unrelated fields go back to their defaults');
  assert.equal(next.compare, true);
  assert.equal(next.yscale, 'linear');
  assert.equal(matchingPreset(next, defaults, apiNames).id, 'lstm-cell');
  assert.equal(matchingPreset(defaults, defaults, apiNames), null);
});
