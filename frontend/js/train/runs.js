/**
 * A training run as the page holds it while its stream arrives: the request, every progress event so far,
 * the summary once it came, and how the run ended. Pure: events in, records out; no DOM, no fetch.
 */
import { meta } from '../lib/meta.js';

/** Solved = a loss under this fraction of the baseline (GET /api/meta `solved_fraction`). */
export function solvedFraction() {
  return meta().solved_fraction;
}

/**
 * A run about to start: {label, config (the request body), events, summary, status, error}. Status is
 * 'running' until the stream ends, then 'solved', 'diverged' or 'finished' (from the summary), 'stopped'
 * (the reader aborted it) or 'failed' (error holds why).
 */
export function newRun(label, config) {
  return { label, config, events: [], summary: null, status: 'running', error: null };
}

/** Files one line of the stream: progress events in order, the summary as the run's ending. */
export function addEvent(run, event) {
  if (event.type === 'progress') {
    run.events.push(event);
  } else if (event.type === 'summary') {
    run.summary = event;
    run.status = event.diverged ? 'diverged' : event.solved ? 'solved' : 'finished';
  }
}

const LOST = 'The stream ended before its summary: the connection was lost or the server stopped the run.';

/** Ends a run whose stream closed, with `err` when reading failed (an AbortError: the reader stopped it). */
export function endRun(run, err = null) {
  if (run.summary) return;
  if (err && err.name === 'AbortError') {
    run.status = 'stopped';
  } else {
    run.status = 'failed';
    run.error = err ? err.message : LOST;
  }
}

/** The step of the latest progress event, 0 before the first. */
export function lastStep(run) {
  return run.events.length ? run.events[run.events.length - 1].step : 0;
}

/**
 * The baseline loss of the run's task: the summary's, else GET /api/meta's (progress events do not carry it and
 * the charts need it from the first event), else null (an unknown task).
 */
export function baselineOf(run) {
  return run.summary?.baseline_loss ?? meta().tasks[run.config.task]?.baseline ?? null;
}

/**
 * How far the runs are, 0..1, averaged over runs: a run that ended counts as whole (solved and diverged
 * runs end early), except one that was stopped or failed, which counts where it got to.
 */
export function progressOf(runs) {
  if (runs.length === 0) return 0;
  const one = (run) => {
    if (run.summary) return 1;
    const steps = Number(run.config.steps);
    return steps > 0 ? Math.min(1, lastStep(run) / steps) : 0;
  };
  return runs.reduce((sum, run) => sum + one(run), 0) / runs.length;
}

/** Progress events received over all runs: the points each chart has per run, summed. */
export function pointCount(runs) {
  return runs.reduce((sum, run) => sum + run.events.length, 0);
}
