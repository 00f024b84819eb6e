import test from 'node:test';
import assert from 'node:assert/strict';
import { buildPresets } from '../../../frontend/js/widgets/preset-buttons.js';
import { PRESETS, applyPreset } from '../../../frontend/js/explore/presets.js';
import { API_PROPERTIES } from '../../../frontend/js/lib/state.js';
import { DEFAULTS as defaults } from '../support/fixtures.mjs';
import { fakeDocument } from '../support/fakedom.mjs';

const apiNames = API_PROPERTIES.map((p) => p.name);

function bar(current = { ...defaults, compare: true }) {
  const holder = fakeDocument.createElement('div');
  const summary = fakeDocument.createElement('p');
  const picked = [];
  const presets = buildPresets({ holder, summary, defaults, apiNames, current: () => current, onPick: (next) => picked.push(next) });
  return { holder, summary, picked, presets };
}

test('one button per preset, labelled, with a test id, none pressed at first', () => {
  const { holder } = bar();
  assert.deepEqual(holder.children.map((b) => b.dataset.testid), PRESETS.map((p) => `preset-${p.id}`));
  assert.deepEqual(holder.children.map((b) => b.textContent), PRESETS.map((p) => p.label));
  assert.ok(holder.children.every((b) => b.getAttribute('aria-pressed') === 'false' && b.type === 'button'));
});

test('a click hands over the state the preset gives, from the state at that moment', async () => {
  const current = { ...defaults, seed: 9, compare: true };
  const { holder, picked } = bar(current);
  await holder.children.find((b) => b.dataset.preset === 'lstm-cell').click();
  assert.deepEqual(picked, [applyPreset(PRESETS[3], defaults, current, apiNames)]);
});

test('sync presses the preset the state equals and shows its summary', () => {
  const { holder, summary, presets } = bar();
  presets.sync(applyPreset(PRESETS[0], defaults, defaults, apiNames));
  assert.deepEqual(holder.children.map((b) => b.getAttribute('aria-pressed')), ['true', 'false', 'false', 'false']);
  assert.equal(summary.hidden, false);
  assert.equal(summary.textContent, PRESETS[0].summary);
  presets.sync({ ...defaults, seed: 3 });
  assert.ok(holder.children.every((b) => b.getAttribute('aria-pressed') === 'false'));
  assert.equal(summary.hidden, true);
  assert.equal(summary.textContent, '');
});
