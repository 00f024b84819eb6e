/**
 * The Sweep section's wiring: its controls and presets (part of the one page state, changed through main.js's
 * commit), Start and Stop, the stream (sweep/session.js), and the redraws, at most one per animation frame
 * however fast the points arrive. A click on the chart loads that point into the main views through the same
 * commit. The sweep runs on Start (or a preset), never on every change: it takes seconds and the server's
 * one sweep slot.
 */
import { framePainter } from '../lib/frames.js';
import { clickedCell, drawSweep } from '../charts/sweep.js';
import { buildControls } from '../widgets/controls.js';
import { buildPresets } from '../widgets/preset-buttons.js';
import { defaultState } from '../lib/state.js';
import { presetDisplay } from '../explore/presets.js';
import { cellConfig, filledCells, sweepGrids } from './grid.js';
import { SWEEP_PRESETS } from './presets.js';
import {
  baseText, criticalText, emptyText, sweepProgressText, sweepStatusText,
} from './readouts.js';
import { SweepSession } from './session.js';
import {
  bodyAxes, criticalMetric, loadChanges, metricOf, pointTotal, sameSweep, sweepApplies, sweepBody, sweepChanges, sweepSpecs,
  usesUploads,
} from './state.js';

/** The legend's name for the critical line. */
const CRITICAL_NAME = 'log10 |dL/dh_1| = 0: no net growth';


function hooksIn(section) {
  const byTestId = (id) => section.querySelector(`[data-testid="${id}"]`);
  return {
    start: byTestId('sweep-start'), stop: byTestId('sweep-stop'), progress: byTestId('sweep-progress'),
    status: byTestId('sweep-status'), error: byTestId('sweep-error'), base: byTestId('sweep-base'),
    critical: byTestId('sweep-critical'), plot: byTestId('plot-sweep'),
    presetHolder: section.querySelector('.sweep-preset-buttons'), presetSummary: byTestId('sweep-preset-summary'),
  };
}

/** The sweep's axes as the chart places them: the page's own values until the summary gives the server's. */
function axesOf(run, sweep) {
  const s = sweep?.summary;
  if (!s) return run.axes;
  return { x: { ...run.axes.x, values: s.x.values }, y: s.y ? { ...run.axes.y, values: s.y.values } : null };
}

class SweepLab {
  constructor(section, specs, { apiSpecs, current, commit, showViews }) {
    Object.assign(this, { section, specs, apiSpecs, current, commit, showViews, hooks: hooksIn(section) });
    this.session = new SweepSession();
    this.names = new Set(specs.map((s) => s.name));
    Object.assign(this, { state: current(), run: null, revision: 0, clickWired: false });
    this.schedule = framePainter(() => this.paint());
    this.hooks.start.addEventListener('click', () => this.start());
    this.hooks.stop.addEventListener('click', () => { this.session.stop(); this.schedule(); });
  }

  /**
   * The controls (choosing a field starts its range afresh) and the presets, which run at once and colour by
   * their metric (the critical one unless a preset names another).
   */
  wire(doc) {
    const emit = (name, value, live) => this.commit(sweepChanges(name, value, this.apiSpecs), live);
    this.controls = buildControls(doc, this.specs, emit, sweepApplies);
    const apiNames = [...this.apiSpecs.map((s) => s.name), ...[...this.names].filter((n) => n !== 'sweep_metric')];
    const defaults = defaultState([...this.apiSpecs, ...this.specs]);
    this.presets = buildPresets({
      holder: this.hooks.presetHolder, summary: this.hooks.presetSummary, defaults,
      apiNames, presets: SWEEP_PRESETS, current: this.current,
      onPick: (next, preset) => {
        this.commit({ ...Object.fromEntries(apiNames.map((n) => [n, next[n]])), ...presetDisplay(preset, SWEEP_PRESETS, defaults) });
        this.start();
      },
    });
  }

  /** Sweeps what the state asks for; a sweep already running is stopped first. */
  start() {
    const body = sweepBody(this.current(), this.apiSpecs);
    const axes = bodyAxes(body, this.apiSpecs);
    this.run = { body, axes, total: pointTotal(axes, body.seeds) };
    this.session.start(body, () => this.schedule());
    this.schedule();
  }

  /** Shows `state` in the controls; a new metric or palette redraws the sweep there is. */
  sync(state) {
    const redraw = this.run !== null && ['sweep_metric', 'palette', 'theory'].some((k) => state[k] !== this.state[k]);
    this.state = state;
    this.controls.sync(state);
    this.presets.sync(state);
    this.writeStatus();
    if (redraw) this.schedule();
  }

  /** One paint (this.schedule() asks for it at the next frame; points arriving before it share it). */
  async paint() {
    this.revision += 1;
    try {
      await this.draw();
    } catch (err) {
      this.showError(`Drawing failed: ${err.message}`);
    }
    this.section.dataset.draws = String(this.revision);
  }

  /** The chart's data for the sweep shown and the metric chosen, and the chart's empty note ('' when it has data). */
  chartData() {
    const sweep = this.run ? this.session.sweep : null;
    const metric = metricOf(this.state.sweep_metric);
    const cell = this.run?.body.base.cell ?? this.state.cell;
    const note = emptyText(sweep, metric, cell);
    const axes = this.run ? axesOf(this.run, sweep) : { x: { field: this.state.sweep_x, values: [], log: false }, y: null };
    const grids = sweepGrids(sweep?.points || [], axes, this.run?.body.base || {}, metric.name);
    const critical = metric.name === criticalMetric() ? CRITICAL_NAME : null;
    const predicted = this.state.theory === 'off' ? null : sweep?.summary?.theory?.critical_scale ?? null;
    return { data: { ...axes, ...grids, label: metric.label, critical, predicted }, note, filled: note ? 0 : filledCells(grids) };
  }

  async draw() {
    const { data, note, filled } = this.chartData();
    this.writeReadouts(data, note);
    const axesKey = this.run ? JSON.stringify([this.run.body.x, this.run.body.y]) : 'none';
    await drawSweep(this.hooks.plot, data, {
      palette: this.state.palette, diverging: data.critical !== null, note, revision: this.revision,
      uirevision: `sweep-${axesKey}`, filename: 'gradflow-sweep',
    });
    this.section.dataset.cells = String(filled);
    this.wireClicks();
  }

  /** Loads the clicked cell's configuration (with the sweep's first seed) into the main views. */
  wireClicks() {
    const { plot } = this.hooks;
    if (this.clickWired || typeof plot.on !== 'function') return;
    this.clickWired = true;
    plot.on('plotly_click', (event) => {
      const cell = clickedCell(event);
      if (!cell || !this.run) return;
      const config = cellConfig(axesOf(this.run, this.session.sweep), this.run.body.base, cell.ix, cell.iy);
      this.commit(loadChanges(this.state, config));
      this.showViews();
    });
  }

  writeReadouts(data, note) {
    const sweep = this.run ? this.session.sweep : null;
    const done = sweep ? sweep.points.length : 0;
    const total = this.run ? this.run.total : 0;
    const { progress, start, stop, critical } = this.hooks;
    progress.textContent = sweepProgressText(done, total);
    Object.entries({ 'aria-valuenow': done, 'aria-valuemax': total }).forEach(([k, v]) => progress.setAttribute(k, String(v)));
    Object.assign(this.section.dataset, { points: String(done), total: String(total), executor: sweep?.summary?.executor || '' });
    stop.disabled = !this.session.running;
    start.textContent = this.session.running ? 'Restart' : 'Start sweep';
    critical.textContent = note ? '' : criticalText(data.critical, data.y !== null);
    critical.hidden = critical.textContent === '';
    this.showError(sweep?.error || '');
    this.writeStatus();
  }

  /** The status line and the base the Start button would sweep. */
  writeStatus() {
    const sweep = this.run ? this.session.sweep : null;
    const body = sweepBody(this.state, this.apiSpecs);
    this.section.dataset.state = sweep ? sweep.status : 'idle';
    this.section.setAttribute('aria-busy', String(sweep?.status === 'running'));
    this.hooks.status.textContent = sweepStatusText(sweep, sweep !== null && !sameSweep(this.run.body, body));
    this.hooks.base.textContent = baseText(body, usesUploads(this.state));
  }

  showError(message) {
    const { error } = this.hooks;
    error.hidden = message === '';
    if (error.hidden) return;
    const head = Object.assign(document.createElement('strong'), { textContent: 'This sweep could not be run:' });
    error.replaceChildren(head, document.createTextNode(message));
  }

  owns(name) {
    return this.names.has(name);
  }
}

/**
 * Builds the Sweep section in `section` from the API's schema. `apiSpecs` are the simulation's request specs
 * (the sweep's base); `showViews()` brings the main views into sight after a click loads a point. Returns
 * {specs, owns(name), sync(state)} as train/lab.js buildLab does. Without POST /api/sweep in the schema the
 * section says so and has no specs.
 */
export function buildSweep({ doc, section, openapi, apiSpecs, current, commit, showViews }) {
  const specs = sweepSpecs(openapi);
  if (specs.length === 0) {
    const status = section.querySelector('[data-testid="sweep-status"]');
    status.textContent = 'This server has no sweep endpoint (POST /api/sweep), so the section is off.';
    section.querySelectorAll('button').forEach((b) => { b.disabled = true; });
    return { specs, owns: () => false, sync: () => {} };
  }
  const lab = new SweepLab(section, specs, { apiSpecs, current, commit, showViews });
  lab.wire(doc);
  lab.schedule(); // the empty chart, saying how to start
  return { specs, owns: (name) => lab.owns(name), sync: (state) => lab.sync(state) };
}
