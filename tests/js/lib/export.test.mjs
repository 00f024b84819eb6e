import test from 'node:test';
import assert from 'node:assert/strict';
import { csvCell, csvFromRuns, exportName } from '../../../frontend/js/lib/export.js';

test('csv cells: null is empty, text is quoted when needed', () => {
  assert.equal(csvCell(null), '');
  assert.equal(csvCell(1.5), '1.5');
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
});

test('one run gives t and its per-step norms; null stays empty', () => {
  const csv = csvFromRuns({ rnn: { grad_h_norm: [0.5, null], grad_h_log10_norm: [-0.30103, 400] } });
  assert.equal(csv, 't,grad_h_norm,grad_h_log10_norm\n1,0.5,-0.30103\n2,,400\n');
});

test('several runs are prefixed by cell, batch spread included', () => {
  const csv = csvFromRuns({
    rnn: { grad_h_norm: [1], grad_h_log10_norm: [0] },
    lstm: { grad_h_norm: [2], grad_h_log10_norm: [0.3], grad_c_norm: [3], grad_c_log10_norm: [0.47],
      grad_h_log10_norm_batch: { mean: [0.1], min: [0], max: [0.2] } },
  });
  const [header, row] = csv.trim().split('\n');
  assert.equal(header, 't,rnn.grad_h_norm,rnn.grad_h_log10_norm,lstm.grad_h_norm,lstm.grad_h_log10_norm,'
    + 'lstm.grad_c_norm,lstm.grad_c_log10_norm,lstm.grad_h_log10_norm_batch_mean,'
    + 'lstm.grad_h_log10_norm_batch_min,lstm.grad_h_log10_norm_batch_max');
  assert.equal(row, '1,1,0,2,0.3,3,0.47,0.1,0,0.2');
});

test('file names say which run they hold', () => {
  assert.equal(exportName({ cell: 'gru', seq_len: 10, hidden_size: 8, seed: 3 }), 'gradflow-gru-T10-H8-seed3');
  assert.equal(exportName({ cell: 'gru', seq_len: 10, hidden_size: 8, seed: 3 }, true), 'gradflow-compare-T10-H8-seed3');
});
