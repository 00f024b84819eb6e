/**
 * Which numbers each view needs, and getting them in the order the student sees them: the views in or near the
 * window first, the rest after, the flow matrix (the costly part of a run on the server) only when its view
 * comes near. Answers are kept per settings (a RunCache keyed by network.js requestKey), so a view that
 * scrolls into sight, or a display change, is drawn from what is already here. Pure but for isNear, which
 * reads an element's box.
 */
import { PAGE_FIELDS, pageFields } from '../lib/api.js';

/** The views, in page order (explore/views.js draws them; main.js holds their elements). */
export const VIEWS = ['unrolled', 'norms', 'gates', 'spectrum', 'flow', 'clipping', 'depth'];

/**
 * The fields each view alone needs that are big (T x H arrays or more) or costly to compute: the spectrum is
 * small but costs one eigendecomposition per H x H gate block (120 ms of an lstm's 450 at H = 256 with a new
 * seed), so it comes with its view (and its readout, which sits in that view). Everything else the page asks
 * for (the series over T, the clipping report, the theory, the depth grid) is small, and every first request
 * for a setting brings it: the readouts and the norms, clipping and depth views need only that.
 */
export const VIEW_FIELDS = {
  unrolled: ['grad_h_log10_abs', 'grad_c_log10_abs'],
  gates: ['gates', 'grad_h_log10_abs', 'grad_c_log10_abs'],
  spectrum: ['spectrum'],
  flow: ['flow'],
};

const HEAVY = new Set(Object.values(VIEW_FIELDS).flat());

/** How far outside the window (px, above and below) a view counts as near: it is fetched and drawn with those in it. */
export const NEAR_MARGIN_PX = 600;

/**
 * From how many cells of a T x H heatmap on the views in sight are asked for on their own: below it one request
 * brings every view (but the flow matrix), since a second request would cost more than the arrays it saves.
 */
export const SPLIT_CELLS = 65536;

/** Whether a state's run is big enough to ask for the views in sight first and the rest after. */
export function splitWorthIt(state) {
  const cells = Number(state.seq_len) * Number(state.hidden_size) * (state.compare === true ? 3 : 1);
  return Number.isFinite(cells) && cells >= SPLIT_CELLS;
}

/** The fields every view needs: the state's page fields but the big ones (`layers` too, while a lower layer is shown). */
export function baseFields(state) {
  return pageFields(state).filter((f) => !HEAVY.has(f));
}

/** Whether the flow matrix has rows to fetch: flow_steps is a number above 0 (a typo is sent, for the API to refuse). */
function flowWanted(state) {
  return !(Number(state.flow_steps) === 0);
}

/** The fields `views` need together, in the API's order. */
export function fieldsFor(views, state) {
  const want = new Set(baseFields(state));
  for (const view of views) {
    for (const f of VIEW_FIELDS[view] || []) {
      if (f !== 'flow' || flowWanted(state)) want.add(f);
    }
  }
  const order = [...PAGE_FIELDS, 'layers'];
  return order.filter((f) => want.has(f));
}

/**
 * The flow_steps a request for `fields` sends: the state's when it asks for the flow matrix, else 0, so the
 * server does not compute it. A value that is not a whole number in the schema's bounds (`spec`) is sent as it
 * is, so the API refuses it in words as it always did.
 */
export function flowStepsFor(fields, state, spec = {}) {
  if (fields.includes('flow')) return undefined;
  const v = state.flow_steps;
  const valid = Number.isInteger(v) && (spec.min === null || spec.min === undefined || v >= spec.min) && (spec.max === null || spec.max === undefined || v <= spec.max);
  return valid ? 0 : undefined;
}

/**
 * Whether `el` shows, or is within `margin` px of showing, in a window `height` px tall. A hidden element (no
 * box) is never near.
 */
export function isNear(el, margin = NEAR_MARGIN_PX, height = globalThis.innerHeight) {
  if (!el || typeof el.getBoundingClientRect !== 'function') return false;
  const box = el.getBoundingClientRect();
  return box.width > 0 && box.bottom > -margin && box.top < height + margin;
}

/** Two answers for one label made one: the fields of both, the newer's where both have one, every warning once. */
export function mergeRun(old, fresh) {
  if (!old) return fresh;
  const out = { ...old, ...fresh, config: old.config || fresh.config };
  const warnings = [...(old.warnings || []), ...(fresh.warnings || [])];
  if (old.warnings || fresh.warnings) out.warnings = [...new Set(warnings)];
  return out;
}

/**
 * Answers per settings key ({label: answer}, merged as more fields arrive) with the fields they hold. Keeps the
 * `limit` most recently used keys and drops the rest, so a slider drag leaves no trail of stale runs.
 */
export class RunCache {
  constructor(limit = 2) {
    this.limit = limit;
    this.entries = new Map();
  }

  entry(key) {
    const e = this.entries.get(key);
    if (e) {
      this.entries.delete(key); // most recent last
      this.entries.set(key, e);
    }
    return e;
  }

  /** The runs held for `key`, or null. */
  runs(key) {
    return this.entry(key)?.runs || null;
  }

  /** The fields of `fields` not held for `key`. */
  missing(key, fields) {
    const e = this.entries.get(key);
    return e ? fields.filter((f) => !e.fields.has(f)) : [...fields];
  }

  has(key, fields) {
    return this.missing(key, fields).length === 0;
  }

  /** Files `answer` ({label: answer}) under `key` as holding `fields`; returns the merged runs. */
  add(key, fields, answer) {
    const e = this.entry(key) || { runs: null, fields: new Set() };
    const runs = { ...(e.runs || {}) };
    for (const [label, run] of Object.entries(answer)) runs[label] = mergeRun(runs[label], run);
    e.runs = runs;
    fields.forEach((f) => e.fields.add(f));
    this.entries.set(key, e);
    while (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value);
    return runs;
  }

  /** Replaces the runs held for `key` (an uploaded network's, filed under the cell read from it), fields kept. */
  set(key, runs) {
    const e = this.entry(key);
    if (e) e.runs = runs;
  }
}

/**
 * Fetches what views need into a RunCache through an api.js Simulator, one group per kind of request (the
 * Simulator keeps one request in flight per group, the newest). `requests(ask)` makes the simulate requests for
 * {fields, flow_steps} (network.js networkRequests for the current state); `flowSpec` is the schema's flow_steps.
 */
export class ViewLoader {
  constructor({ sim, cache = new RunCache() }) {
    this.sim = sim;
    this.cache = cache;
  }

  /** Whether `key`'s runs hold what `views` need. */
  ready(key, views, state) {
    return this.cache.has(key, fieldsFor(views, state));
  }

  /**
   * The runs for `key` with what `views` need, fetching only the fields not yet held, in `group`. Resolves to
   * the merged runs, or null when a newer request of the group superseded this one.
   */
  async load(key, views, state, group, requests, flowSpec) {
    const missing = this.cache.missing(key, fieldsFor(views, state));
    if (missing.length === 0) return this.cache.runs(key);
    const answer = await this.sim.run(requests({ fields: missing, flow_steps: flowStepsFor(missing, state, flowSpec) }), group);
    if (answer === null) return null;
    return this.cache.add(key, missing, answer);
  }
}

/**
 * One drawing of every view (a new setting, or a display change): which views are drawn, with their numbers or
 * (the flow matrix out of reach) with a note, and whether the views on screen and every view have been, once
 * each, so main.js sets its hooks once per pass.
 */
export class DrawPass {
  constructor(id, views = VIEWS) {
    this.id = id;
    this.views = views;
    this.drawn = new Set();
    this.deferred = new Set();
    this.onScreen = false;
    this.counted = false;
    this.started = globalThis.performance?.now() ?? 0;
  }

  /**
   * The views to draw now: those not drawn yet whose numbers are here (`ready(view)`), and the flow matrix's note
   * when it is out of reach (`flowNear` false) and not drawn yet. {views, deferred}
   */
  todo(ready, flowNear) {
    const views = this.views.filter((v) => !this.drawn.has(v)
      && (ready(v) || (v === 'flow' && !flowNear && !this.deferred.has(v))));
    return { views, deferred: views.filter((v) => !ready(v)) };
  }

  /** A view drawn: with its numbers, or its note. */
  mark(view, deferred) {
    (deferred ? this.deferred : this.drawn).add(view);
  }

  /** True once, the first time every view in the window (`onScreen(view)`) has its numbers drawn. */
  screenDone(onScreen) {
    if (this.onScreen || !this.views.every((v) => this.drawn.has(v) || !onScreen(v))) return false;
    this.onScreen = true;
    return true;
  }

  /** True once, the first time every view is drawn (the flow matrix out of reach with its note). */
  complete() {
    if (this.counted || !this.views.every((v) => this.drawn.has(v) || this.deferred.has(v))) return false;
    this.counted = true;
    return true;
  }
}
