import test from 'node:test';
import assert from 'node:assert/strict';
import {
  cellMeta, gateLabel, isTanhGate, loadMeta, meta, theme, view,
} from '../../../frontend/js/lib/meta.js';
import { apiMeta, themeFromDisk } from '../support/meta.mjs';

// in this order: the module starts with nothing, loadMeta fills it
test('before loadMeta a module that asks is told so, not handed a guess', () => {
  assert.throws(() => meta(), /before it was read/);
  assert.throws(() => view('norms'), /before it was read/);
});

test('loadMeta reads GET /api/meta (relative to the page) once and keeps it', async () => {
  const asked = [];
  const answer = apiMeta();
  const got = await loadMeta(async (url) => {
    asked.push(url);
    return answer;
  });
  assert.deepEqual(asked, ['api/meta']);
  assert.equal(got, answer);
  assert.equal(meta(), answer);
});

test('a failed read rejects with the API\'s error, for the page to show in words', async () => {
  const failing = async () => {
    throw new Error('500 Internal Server Error');
  };
  await assert.rejects(loadMeta(failing), /500 Internal Server Error/);
});

test('cells, gates and views as the API states them, the theme exactly theme.json', async () => {
  await loadMeta(async () => apiMeta());
  assert.deepEqual(theme(), themeFromDisk());
  assert.deepEqual(view('norms'), themeFromDisk().views.norms);
  assert.deepEqual(cellMeta('rnn').gates, [], 'a plain rnn has no gates');
  assert.equal(cellMeta('nonsense'), null);
  for (const cell of ['lstm', 'gru']) {
    const { gates, memory_gate: carrier } = cellMeta(cell);
    assert.ok(gates.includes(carrier), `${cell}'s memory gate is one of its gates`);
    for (const gate of gates) assert.ok(gateLabel(gate).endsWith(` ${gate}`), gate);
  }
  assert.deepEqual(['i', 'f', 'g', 'o', 'r', 'z', 'n'].filter(isTanhGate), themeFromDisk().tanh_gates);
});
