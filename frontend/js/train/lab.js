/**
 * The training lab's wiring: its controls and presets (part of the one page state, changed through
 * main.js's commit), Start and Stop, the streams (train/session.js) and the redraws, at most one per
 * animation frame however fast the lines arrive. The lab trains on Start (or a preset), never on every
 * change: a run takes seconds and a server slot.
 */
import { NARROW_PX } from '../charts/common.js';
import { framePainter } from '../lib/frames.js';
import { buildControls } from '../widgets/controls.js';
import { buildPresets } from '../widgets/preset-buttons.js';
import { defaultState } from '../lib/state.js';
import { presetDisplay } from '../explore/presets.js';
import { TRAIN_PRESETS } from './presets.js';
import { summaryItem } from './open-views.js';
import { progressText } from './readouts.js';
import { pointCount, progressOf } from './runs.js';
import { TrainSession } from './session.js';
import {
  TRAIN_DISPLAY, trainApplies, trainRequests, trainSpecs,
} from './state.js';
import { drawTrainViews } from './views.js';


function hooksIn(section) {
  const byTestId = (id) => section.querySelector(`[data-testid="${id}"]`);
  return {
    start: byTestId('train-start'), stop: byTestId('train-stop'), progress: byTestId('train-progress'),
    bar: section.querySelector('.train-bar'), status: byTestId('train-status'), error: byTestId('train-error'),
    summary: byTestId('train-summary'), presetHolder: section.querySelector('.train-preset-buttons'),
    presetSummary: byTestId('train-preset-summary'),
    plots: { loss: byTestId('plot-train-loss'), grad: byTestId('plot-train-grad'), flow: byTestId('plot-train-flow'), memory: byTestId('plot-train-memory') },
  };
}

/** 'idle' before any run, then 'running', 'stopped' (the reader stopped some run) or 'done'. */
function labState(session) {
  if (session.runs.length === 0) return 'idle';
  if (session.running) return 'running';
  return session.runs.some((r) => r.status === 'stopped') ? 'stopped' : 'done';
}

const STATUS = {
  idle: 'Pick a preset, or set a network and press Start.',
  running: 'Training…',
  stopped: 'Stopped: the charts keep what arrived before.',
  done: 'Done.',
};

class TrainLab {
  constructor(section, specs, { current, commit, openInViews }) {
    Object.assign(this, { section, specs, current, commit, openInViews, hooks: hooksIn(section) });
    this.session = new TrainSession();
    this.names = new Set(specs.map((s) => s.name));
    Object.assign(this, { state: current(), startedWith: null, revision: 0 });
    this.schedule = framePainter(() => this.paint());
    this.hooks.start.addEventListener('click', () => this.start());
    this.hooks.stop.addEventListener('click', () => this.session.stop());
    // a phone's page stacks the flow chart's panels one per row: crossing its width draws the runs again
    globalThis.matchMedia?.(`(max-width: ${NARROW_PX}px)`).addEventListener('change', () => {
      if (this.session.runs.length > 0) this.schedule();
    });
  }

  /**
   * The lab's controls (the varied field's values go back to "all" when the field changes) and presets,
   * which set everything but the display settings, except a display setting a preset needs (its `display`).
   */
  wire(doc) {
    const emit = (name, value, live) => this.commit(name === 'train_vary' ? { train_vary: value, train_values: [] } : { [name]: value }, live);
    this.controls = buildControls(doc, this.specs.filter((s) => s.kind !== 'list'), emit, trainApplies);
    const apiNames = [...this.names].filter((n) => !TRAIN_DISPLAY.includes(n));
    const defaults = defaultState(this.specs);
    this.presets = buildPresets({
      holder: this.hooks.presetHolder, summary: this.hooks.presetSummary, defaults, apiNames,
      presets: TRAIN_PRESETS, current: this.current,
      onPick: (next, preset) => {
        this.commit({ ...Object.fromEntries(apiNames.map((n) => [n, next[n]])), ...presetDisplay(preset, TRAIN_PRESETS, defaults) });
        this.start();
      },
    });
  }

  /** Trains what the state asks for; a session already running is stopped first. */
  start() {
    const requests = trainRequests(this.current(), this.specs);
    this.startedWith = JSON.stringify(requests);
    this.session.start(requests, () => this.schedule());
    this.schedule();
  }

  /** Shows `state` in the controls; a new display setting (axis, colour scale, palette) redraws the runs there are. */
  sync(state) {
    const redraw = this.session.runs.length > 0 && [...TRAIN_DISPLAY, 'palette'].some((k) => state[k] !== this.state[k]);
    this.state = state;
    this.controls.sync(state);
    this.presets.sync(state);
    this.writeStatus();
    if (redraw) this.schedule();
  }

  /** One paint (this.schedule() asks for it at the next frame; events arriving before it share it). */
  async paint() {
    const runs = this.session.runs;
    this.writeReadouts(runs);
    this.revision += 1;
    try {
      // hidden charts are not drawn: Plotly would size them by an empty box and keep that size
      if (this.reveal(runs)) await drawTrainViews(this.hooks.plots, runs, this.state, this.revision);
    } catch (err) {
      this.showErrors([`Drawing failed: ${err.message}`]);
    }
    this.section.dataset.points = String(pointCount(runs));
    this.section.dataset.draws = String(this.revision);
  }

  writeReadouts(runs) {
    const fraction = progressOf(runs);
    const { progress, bar, start, stop, summary } = this.hooks;
    progress.setAttribute('aria-valuenow', String(Math.round(fraction * 100)));
    progress.setAttribute('aria-valuetext', progressText(runs, fraction));
    bar.style.width = `${fraction * 100}%`;
    summary.replaceChildren(...runs.map((r) => summaryItem(document, r, this.openInViews)));
    stop.disabled = !this.session.running;
    start.textContent = this.session.running ? 'Restart' : 'Start training';
    this.showErrors([...new Set(runs.filter((r) => r.error).map((r) => r.error))]);
    this.writeStatus();
  }

  /** The lab's one-line status, with a note when the settings moved on from the runs shown. */
  writeStatus() {
    const state = labState(this.session);
    this.section.dataset.state = state;
    this.section.setAttribute('aria-busy', String(state === 'running'));
    const stale = this.startedWith !== null && this.startedWith !== JSON.stringify(trainRequests(this.state, this.specs));
    const note = stale ? ' The settings have changed since these runs: press Start to train with them.' : '';
    this.hooks.status.textContent = `${STATUS[state]}${state === 'idle' ? '' : note}`;
  }

  showErrors(messages) {
    const { error } = this.hooks;
    error.hidden = messages.length === 0;
    if (error.hidden) return;
    const head = Object.assign(document.createElement('strong'), { textContent: 'This training could not be run:' });
    error.replaceChildren(head, document.createTextNode(messages.join('\n')));
  }

  /**
   * Before the first run the lab shows one line of what its charts will show, not four empty boxes; the boxes
   * appear with the first step that brings data, and stay. Returns whether they are shown.
   */
  reveal(runs) {
    const charts = this.section.querySelector('.lab-charts');
    if (charts.hidden && pointCount(runs) > 0) {
      charts.hidden = false;
      this.section.querySelector('.lab-idle').hidden = true;
    }
    return !charts.hidden;
  }

  owns(name) {
    return this.names.has(name);
  }
}

/**
 * Builds the lab in `section` from the API's schema; `openInViews(run)` shows a finished run's trained network in
 * the views (its summary line's button). Returns {specs, owns(name), sync(state)}: the lab's
 * property specs (to join the page's), whether a state key is the lab's, and the sync for a new state.
 * Without a TrainRequest in the schema (an API without /api/train) the lab says so and has no specs.
 */
export function buildLab({
  doc, section, openapi, current, commit, openInViews,
}) {
  const specs = trainSpecs(openapi);
  if (specs.length === 0) {
    section.querySelector('[data-testid="train-status"]').textContent = 'This server has no training endpoint (POST /api/train), so the lab is off.';
    section.querySelectorAll('button').forEach((b) => { b.disabled = true; });
    return { specs, owns: () => false, sync: () => {} };
  }
  const lab = new TrainLab(section, specs, { current, commit, openInViews });
  lab.wire(doc);
  return { specs, owns: (name) => lab.owns(name), sync: (state) => lab.sync(state) };
}
