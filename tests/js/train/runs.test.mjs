import test from 'node:test';
import assert from 'node:assert/strict';
import {
  addEvent, baselineOf, endRun, lastStep, newRun, pointCount, progressOf,
} from '../../../frontend/js/train/runs.js';
import { outcomeText, progressText } from '../../../frontend/js/train/readouts.js';
import { divergedProgress, progress, summary } from '../support/train-fixtures.mjs';
import { useApiMeta } from '../support/meta.mjs';

const META = useApiMeta();

const CONFIG = { cell: 'rnn', task: 'adding', steps: 100, seq_len: 4, clip_mode: 'none' };

function runWith(events, config = {}) {
  const run = newRun('rnn', { ...CONFIG, ...config });
  events.forEach((e) => addEvent(run, e));
  return run;
}

test('progress events are kept in order; the summary decides how the run ended', () => {
  const run = runWith([progress(1, 4), progress(20, 4)]);
  assert.equal(run.status, 'running');
  assert.equal(lastStep(run), 20);
  addEvent(run, summary({ solved: true, solved_at: 20 }));
  assert.equal(run.status, 'solved');
  assert.equal(runWith([summary({ diverged: true, diverged_at: 3 })]).status, 'diverged');
  assert.equal(runWith([summary()]).status, 'finished');
});

test('a stream that ends without a summary: stopped when the reader aborted it, failed otherwise', () => {
  const stopped = runWith([progress(1, 4)]);
  endRun(stopped, Object.assign(new Error('aborted'), { name: 'AbortError' }));
  assert.equal(stopped.status, 'stopped');
  const cut = runWith([progress(1, 4)]);
  endRun(cut);
  assert.equal(cut.status, 'failed');
  assert.match(cut.error, /ended before its summary/);
  const done = runWith([summary()]);
  endRun(done, new Error('late'));
  assert.equal(done.status, 'finished', 'an ending after the summary changes nothing');
});

test('progress averages the runs; an ended run counts whole, a stopped one where it got to', () => {
  const half = runWith([progress(50, 4)]);
  const solvedEarly = runWith([progress(10, 4), summary({ solved: true, solved_at: 10 })]);
  assert.equal(progressOf([half, solvedEarly]), 0.75);
  endRun(half, Object.assign(new Error('x'), { name: 'AbortError' }));
  assert.equal(progressOf([half]), 0.5);
  assert.equal(progressOf([]), 0);
  assert.equal(pointCount([half, solvedEarly]), 2);
  assert.equal(progressText([half, solvedEarly], 0.75), '75%: rnn stopped · rnn solved');
});

test('the baseline: GET /api/meta\'s for the task until the summary brings its own', () => {
  assert.equal(baselineOf(runWith([])), META.tasks.adding.baseline);
  assert.equal(baselineOf(runWith([], { task: 'recall' })), META.tasks.recall.baseline);
  assert.equal(baselineOf(runWith([summary({ baseline_loss: 0.2 })])), 0.2);
  assert.equal(baselineOf(runWith([], { task: 'copy' })), null);
});

test('outcomes in words: solved at, diverged at (and why), best loss against the baseline, stopped at', () => {
  const solved = runWith([progress(1, 4), summary({ solved: true, solved_at: 566, best_loss: 0.0104 })]);
  assert.equal(outcomeText(solved), 'rnn: solved at step 566 (loss under 0.0167, a tenth of the baseline 0.167); best loss 0.0104.');
  const diverged = runWith([
    progress(1, 4, { grad_norm_log10: 0.84 }), progress(200, 4, { grad_norm_log10: 142.28 }), divergedProgress(217),
    summary({ diverged: true, diverged_at: 217, best_loss: 0.173 }),
  ]);
  assert.equal(
    outcomeText(diverged),
    'rnn: diverged at step 217: its loss was no longer a finite number, after the gradient norm reached 1.91e+142; best loss 0.173 vs baseline 0.167.',
  );
  const finished = runWith([progress(1, 4), summary({ best_loss: 0.0211, steps_done: 2000 })]);
  assert.equal(outcomeText(finished), 'rnn: not solved in 2000 steps; best loss 0.0211 vs baseline 0.167.');
  const stopped = runWith([progress(1, 4, { loss: 0.5 }), progress(20, 4, { loss: 0.3 })]);
  endRun(stopped, Object.assign(new Error('x'), { name: 'AbortError' }));
  assert.equal(outcomeText(stopped), 'rnn: stopped at step 20; best loss so far 0.300 vs baseline 0.167.');
});

test('while running, failing, and on the recall task (whose metric is accuracy)', () => {
  assert.equal(outcomeText(runWith([])), 'rnn: starting…');
  const recall = runWith([progress(40, 4, { loss: 1.5, metric: 0.5 })], { task: 'recall' });
  assert.equal(outcomeText(recall), 'rnn: step 40 of 100; best loss so far 1.50 vs baseline 2.08, accuracy 0.500 (chance 0.125).');
  const failed = runWith([]);
  endRun(failed, new Error('steps: Input should be less than or equal to 20000'));
  assert.equal(outcomeText(failed), 'rnn: could not run: steps: Input should be less than or equal to 20000');
});
