/**
 * The training lab's words: each run's outcome, and the progress bar's text. Pure: runs in, strings out.
 */
import { formatLog10, formatSig } from '../lib/format.js';
import { baselineOf, lastStep, solvedFraction } from './runs.js';

const sig = (x) => formatSig(x, 3);

/** The lowest loss of the events so far, or null when none was finite. */
function bestSoFar(run) {
  const losses = run.events.map((e) => e.loss).filter((l) => typeof l === 'number');
  return losses.length ? Math.min(...losses) : null;
}

/** "best loss 0.0211 vs baseline 0.167", from the summary when there is one. */
function bestText(run, soFar = false) {
  const best = run.summary ? run.summary.best_loss : bestSoFar(run);
  const baseline = baselineOf(run);
  const vs = baseline === null ? '' : ` vs baseline ${sig(baseline)}`;
  return best === null ? `no finite loss${vs}` : `best loss${soFar ? ' so far' : ''} ${sig(best)}${vs}`;
}

/** Why a run diverged: its last (diverged) event says which number left float64, and how big the gradient got. */
function divergedWhy(run) {
  const last = run.events[run.events.length - 1];
  const peaks = run.events.map((e) => e.grad_norm_log10).filter((l) => typeof l === 'number');
  const peak = peaks.length ? `, after the gradient norm reached ${formatLog10(Math.max(...peaks))}` : '';
  if (last && typeof last.grad_norm_log10 === 'number') return `the gradient to apply passed float64's range${peak}`;
  return `its loss was no longer a finite number${peak}`;
}

/** The latest accuracy, for the recall task (its metric; chance is 1 in 8). '' for other tasks. */
function accuracyText(run) {
  const last = run.events[run.events.length - 1];
  if (run.config.task !== 'recall' || !last || typeof last.metric !== 'number') return '';
  return `, accuracy ${sig(last.metric)} (chance 0.125)`;
}

/** One sentence on where a run stands or how it ended. */
export function outcomeText(run) {
  const name = `${run.label}:`;
  const s = run.summary;
  switch (run.status) {
    case 'solved': {
      const threshold = s.baseline_loss * solvedFraction();
      return `${name} solved at step ${s.solved_at} (loss under ${sig(threshold)}, a tenth of the baseline ${sig(s.baseline_loss)}); best loss ${sig(s.best_loss)}${accuracyText(run)}.`;
    }
    case 'diverged':
      return `${name} diverged at step ${s.diverged_at}: ${divergedWhy(run)}; ${bestText(run)}.`;
    case 'finished':
      return `${name} not solved in ${s.steps_done} steps; ${bestText(run)}${accuracyText(run)}.`;
    case 'stopped':
      return `${name} stopped at step ${lastStep(run)}; ${bestText(run, true)}.`;
    case 'failed':
      return `${name} could not run: ${run.error}`;
    default:
      return run.events.length ? `${name} step ${lastStep(run)} of ${run.config.steps}; ${bestText(run, true)}${accuracyText(run)}.` : `${name} starting…`;
  }
}

/** The progress bar's text: "40%: rnn step 400 of 1000 · lstm solved". */
export function progressText(runs, fraction) {
  const each = runs.map((run) => (run.status === 'running' ? `${run.label} step ${lastStep(run)} of ${run.config.steps}` : `${run.label} ${run.status}`));
  return `${Math.round(fraction * 100)}%: ${each.join(' · ')}`;
}
