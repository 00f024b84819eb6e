/**
 * Trains several networks side by side: one streamed POST /api/train per run, all at once, all stopped by
 * one AbortController. Knows nothing of the DOM; reports every change through a callback.
 */
import { postNdjson } from '../lib/ndjson.js';
import { addEvent, endRun, newRun } from './runs.js';

export class TrainSession {
  /** `stream(url, body, {signal})` yields a run's events; ndjson.js postNdjson in the page, a fake in tests. */
  constructor(stream = postNdjson) {
    this.stream = stream;
    this.runs = [];
    this.controller = null;
  }

  /** Whether a session's streams are still open. */
  get running() {
    return this.controller !== null;
  }

  /**
   * Stops whatever runs, then starts one run per request ([{label, body}]). `onChange()` is called after
   * every event and every ending of this session's runs (never for an earlier session's). Resolves to the
   * runs once every stream has ended.
   */
  async start(requests, onChange) {
    this.stop();
    const controller = new AbortController();
    const runs = requests.map(({ label, body }) => newRun(label, body));
    Object.assign(this, { controller, runs });
    const notify = () => { if (this.runs === runs) onChange(); };
    await Promise.all(runs.map((run) => this.follow(run, controller.signal, notify)));
    if (this.controller === controller) this.controller = null;
    notify();
    return runs;
  }

  /** Reads one run's stream to its end, filing every event; the run ends stopped, failed or with its summary. */
  async follow(run, signal, notify) {
    try {
      for await (const event of this.stream('api/train', run.config, { signal })) {
        addEvent(run, event);
        notify();
      }
      endRun(run);
    } catch (err) {
      endRun(run, signal.aborted ? Object.assign(new Error('stopped'), { name: 'AbortError' }) : err);
    }
    notify();
  }

  /** Closes every stream of the current session; the server stops those runs at once. */
  stop() {
    if (this.controller) this.controller.abort();
    this.controller = null;
  }
}
