import test from 'node:test';
import assert from 'node:assert/strict';
import { CARRIER, GATES, GATE_LABELS, TANH_GATES } from '../../../frontend/js/lib/cells.js';
import { pageSources } from '../support/sources.mjs';

test('gate names per cell in the API order, with the gate that carries memory', () => {
  assert.deepEqual(GATES, { lstm: ['i', 'f', 'g', 'o'], gru: ['r', 'z', 'n'] });
  assert.deepEqual(CARRIER, { lstm: 'f', gru: 'z' });
  for (const gate of Object.values(GATES).flat()) assert.ok(GATE_LABELS[gate].endsWith(` ${gate}`), gate);
  assert.deepEqual([...TANH_GATES], ['g', 'n']);
});

test('no other module keeps its own list of cells or gates', () => {
  for (const [path, source] of Object.entries(pageSources())) {
    if (path === 'lib/cells.js') continue;
    assert.doesNotMatch(source, /\[\s*'rnn',\s*'lstm',\s*'gru'\s*\]/, `${path} repeats the schema's cell enum`);
    assert.doesNotMatch(source, /'forget gate f'|\{\s*lstm:\s*'f'/, `${path} names the gates itself`);
  }
});
