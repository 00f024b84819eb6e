import test from 'node:test';
import assert from 'node:assert/strict';
import {
  baseText, criticalText, doneText, emptyText, sweepProgressText, sweepStatusText,
} from '../../../frontend/js/sweep/readouts.js';
import { metricOf } from '../../../frontend/js/sweep/state.js';
import { sweepSummary } from '../support/sweep-fixtures.mjs';
import { useApiMeta } from '../support/meta.mjs';

useApiMeta();

const X = { field: 'recurrent_scale', values: [0.5, 1] };

test('progress in points, and the executor named once the summary arrives', () => {
  assert.equal(sweepProgressText(37, 96), '37 / 96 points');
  const summary = sweepSummary(X, null, { points: 96, elapsed_ms: 1375, executor: 'local-pool' });
  assert.equal(doneText(summary), 'Done: 96 points in 1.4 s, run by the local-pool executor.');
  assert.equal(sweepStatusText({ status: 'done', summary }, false), doneText(summary));
  assert.equal(sweepStatusText(null, false), 'Pick a preset, or choose the axes and press Start.');
  assert.match(sweepStatusText({ status: 'stopped' }, true), /^Stopped: .* The settings have changed since this sweep/);
});

test('the base in words: the fields that matter for its cell, not the swept ones', () => {
  const body = {
    base: { cell: 'lstm', activation: 'tanh', num_layers: 1, seq_len: 100, hidden_size: 32, recurrent_scale: 1, forget_bias: 0, loss: 'last', seed: 3 },
    x: { field: 'recurrent_scale' }, y: { field: 'forget_bias' },
  };
  assert.equal(baseText(body), 'Base (the settings of the views above): lstm, T = 100, H = 32, loss on last, seed 3; the axes set recurrent_scale and forget_bias.');
  const rnn = { base: { ...body.base, cell: 'rnn', num_layers: 2 }, x: { field: 'seq_len' } };
  assert.equal(baseText(rnn), 'Base (the settings of the views above): rnn, tanh, layers 2, H = 32, s = 1, loss on last, seed 3; the axes set seq_len.');
  assert.match(baseText(rnn, true), /seq_len\. The sweep runs seeded weights and generated inputs, not your uploaded files\.$/);
});

test('the critical line explained for log10 |dL/dh_1| only; an empty chart says why', () => {
  assert.match(criticalText('line', true), /log10 \|dL\/dh_1\| = 0.*\|dL\/dh_T\| = 1.*T − 1 steps.*blue side .* vanishes/);
  assert.match(criticalText('line', false), /Below the dashed line at 0 the gradient vanishes/);
  assert.equal(criticalText(null, true), '');
  const sweep = { status: 'running', points: [] };
  assert.equal(emptyText(null, metricOf('log10_grad_first'), 'rnn'), 'No sweep yet: press Start or pick a preset.');
  assert.equal(emptyText(sweep, metricOf('log10_grad_first'), 'rnn'), 'Waiting for the first points…');
  assert.equal(emptyText(sweep, metricOf('forget_gate_mean'), 'gru'), 'A gru has no forget gate f: choose another metric.');
  assert.equal(emptyText({ status: 'done', points: [{}] }, metricOf('update_gate_mean'), 'gru'), '');
});
