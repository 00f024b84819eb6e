import test from 'node:test';
import assert from 'node:assert/strict';
import { pageSources } from '../support/sources.mjs';

// controls.js builds DOM elements, so this checks its source: the slider's ends are schema.js's, not a copy
test('a log slider runs over LOG_STOPS positions, the constant toSlider and fromSlider use', () => {
  const source = pageSources()['widgets/controls.js'];
  assert.match(source, /import \{[^}]*\bLOG_STOPS\b[^}]*\} from '\.\.\/lib\/schema\.js'/);
  assert.match(source, /max: range\.log \? LOG_STOPS : range\.max/);
  assert.doesNotMatch(source, /\b1000\b/, 'controls.js repeats the number of slider stops');
});
