import test from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { JS_ROOT } from './support/sources.mjs';

// frontend/js is folders by what a module serves (lib/, widgets/, explore/, train/, sweep/, charts/); only the
// entry point that wires them stays at the root, so a new module has to pick its folder.
test('the only .js file in the root of frontend/js is main.js', () => {
  const files = readdirSync(JS_ROOT, { withFileTypes: true }).filter((entry) => !entry.isDirectory());
  assert.deepEqual(files.map((entry) => entry.name).filter((name) => name.endsWith('.js')), ['main.js']);
});
