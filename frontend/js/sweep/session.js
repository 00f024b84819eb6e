/**
 * Runs one sweep at a time: a streamed POST /api/sweep whose point lines are filed as they arrive, stopped by
 * its AbortController (closing the stream makes the server cancel the points not yet run). Knows nothing of
 * the DOM; reports every change through a callback.
 */
import { postNdjson } from '../lib/ndjson.js';

/**
 * A sweep as it runs: the body sent, the points received ({ix, iy, seed, ...metrics}), the summary once it
 * came, and how it ended: 'running', then 'done', 'stopped' or 'failed' (with `error` in words).
 */
export function newSweep(body) {
  return { body, points: [], summary: null, status: 'running', error: null };
}

/** Files one line of the stream into the sweep; an error line ends it as failed. */
export function addLine(sweep, line) {
  if (line.type === 'point') sweep.points.push(line);
  else if (line.type === 'summary') sweep.summary = line;
  else if (line.type === 'error') {
    const detail = Array.isArray(line.detail) ? line.detail.map((d) => d.msg || String(d)).join('; ') : String(line.detail);
    Object.assign(sweep, { status: 'failed', error: detail });
  }
}

/** Ends a sweep: stopped when aborted, failed on an error, done once its summary came. */
export function endSweep(sweep, err = null, aborted = false) {
  if (sweep.status !== 'running') return;
  if (aborted) sweep.status = 'stopped';
  else if (err) Object.assign(sweep, { status: 'failed', error: err.message });
  else if (sweep.summary) sweep.status = 'done';
  else Object.assign(sweep, { status: 'failed', error: 'The stream ended before the sweep\'s summary.' });
}

export class SweepSession {
  /** `stream(url, body, {signal})` yields the answer's lines; ndjson.js postNdjson in the page, a fake in tests. */
  constructor(stream = postNdjson) {
    this.stream = stream;
    this.sweep = null;
    this.controller = null;
  }

  /** Whether a sweep's stream is still open. */
  get running() {
    return this.controller !== null;
  }

  /**
   * Stops the sweep running, if any, then sends `body`. `onChange()` is called after every line and at the
   * end of this sweep (never for an earlier one's). Resolves to the sweep once its stream has ended.
   */
  async start(body, onChange) {
    this.stop();
    const controller = new AbortController();
    const sweep = newSweep(body);
    Object.assign(this, { controller, sweep });
    const notify = () => { if (this.sweep === sweep) onChange(); };
    try {
      for await (const line of this.stream('api/sweep', body, { signal: controller.signal })) {
        addLine(sweep, line);
        notify();
      }
      endSweep(sweep);
    } catch (err) {
      endSweep(sweep, err, controller.signal.aborted);
    }
    if (this.controller === controller) this.controller = null;
    notify();
    return sweep;
  }

  /** Closes the current sweep's stream; the points that arrived stay. */
  stop() {
    if (this.controller) this.controller.abort();
    this.controller = null;
  }
}
