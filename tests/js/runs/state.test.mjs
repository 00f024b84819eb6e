import test from 'node:test';
import assert from 'node:assert/strict';
import { RUNS_PROPERTIES } from '../../../frontend/js/runs/state.js';
import { defaultState, queryFromState, stateFromQuery } from '../../../frontend/js/lib/state.js';

// The Runs section's settings in the URL, read and written before the section's own code has loaded.
test('the run shown and the run compared: none by default, and exactly what a URL names', () => {
  assert.deepEqual(RUNS_PROPERTIES.map((p) => p.name), ['run', 'run_with']);
  assert.deepEqual(defaultState(RUNS_PROPERTIES), { run: '', run_with: '' });
  const state = stateFromQuery('?run=exp1&run_with=exp%202', RUNS_PROPERTIES);
  assert.deepEqual(state, { run: 'exp1', run_with: 'exp 2' });
  assert.equal(queryFromState(state, RUNS_PROPERTIES), '?run=exp1&run_with=exp+2');
  assert.equal(queryFromState(defaultState(RUNS_PROPERTIES), RUNS_PROPERTIES), '', 'no run: nothing in the URL');
});
