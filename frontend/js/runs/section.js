/**
 * The Runs section's wiring: the list of watched runs (GET /api/runs, read when the section opens and on Refresh),
 * the run shown and the one compared (the state's `run` and `run_with`, changed through main.js's commit), each
 * followed live (GET /api/runs/{name}?follow=true) for as long as it is shown and the section is open, and the
 * redraws, at most one per animation frame however fast the lines arrive.
 */
import { getJson } from '../lib/api.js';
import { framePainter } from '../lib/frames.js';
import { getNdjson } from '../lib/ndjson.js';
import {
  addLine, agreementOf, listStatus, listText, newRecord, scalarsText,
} from './records.js';
import { RUNS_PROPERTIES } from './state.js';
import { drawRunViews } from './views.js';

function hooksIn(section) {
  const byTestId = (id) => section.querySelector(`[data-testid="${id}"]`);
  return {
    details: byTestId('runs-details'), status: byTestId('runs-status'), list: byTestId('runs-list'), refresh: byTestId('runs-refresh'),
    close: byTestId('runs-close-run'), shown: byTestId('runs-shown'), error: byTestId('runs-error'), readouts: byTestId('run-readouts'),
    plots: {
      loss: byTestId('plot-run-loss'), grad: byTestId('plot-run-grad'), flow: byTestId('plot-run-flow'),
      memory: byTestId('plot-run-memory'), depth: byTestId('plot-run-depth'),
    },
  };
}

const el = (doc, tag, props = {}, testid = null) => {
  const node = Object.assign(doc.createElement(tag), props);
  if (testid) node.dataset.testid = testid;
  return node;
};

class RunsSection {
  constructor(section, commit) {
    Object.assign(this, { section, commit, hooks: hooksIn(section), doc: section.ownerDocument });
    this.state = {};
    this.answer = null; // GET /api/runs
    this.follows = new Map(); // name -> {record, controller}
    this.revision = 0;
    this.schedule = framePainter(() => this.paint());
    this.hooks.details.addEventListener('toggle', () => this.toggled());
    this.hooks.refresh.addEventListener('click', () => this.loadList());
    this.hooks.close.addEventListener('click', () => this.commit({ run: '', run_with: '' }));
    // built after a reader opened it (the section loads on first need): read the list now
    if (this.hooks.details.open) this.loadList();
  }

  /** Opening the section reads the list; closing it stops following (and leaves the URL without a run). */
  toggled() {
    if (this.hooks.details.open) {
      if (!this.answer) this.loadList();
      return;
    }
    if (this.state.run || this.state.run_with) this.commit({ run: '', run_with: '' });
  }

  async loadList() {
    this.hooks.status.textContent = 'Reading the runs…';
    try {
      this.answer = await getJson('api/runs');
      this.hooks.status.textContent = listStatus(this.answer);
    } catch (err) {
      this.answer = null;
      this.hooks.status.textContent = `The runs could not be read: ${err.message}`;
    }
    this.renderList();
  }

  /** One item per run: Open (shows it, following it live) and Compare (overlays it on the run shown). */
  renderList() {
    const runs = this.answer?.runs || [];
    const { run = '', run_with: other = '' } = this.state;
    this.hooks.list.replaceChildren(...runs.map((r) => {
      const open = el(this.doc, 'button', { type: 'button', textContent: r.name, className: 'run-open' }, `run-open-${r.name}`);
      open.setAttribute('aria-pressed', String(r.name === run));
      open.addEventListener('click', () => this.commit({ run: r.name, run_with: other === r.name ? '' : other }));
      const compare = el(this.doc, 'button', { type: 'button', textContent: 'compare', className: 'run-compare' }, `run-compare-${r.name}`);
      compare.setAttribute('aria-pressed', String(r.name === other));
      compare.setAttribute('aria-label', `Compare ${r.name} with the run shown`);
      compare.disabled = !run || r.name === run;
      compare.addEventListener('click', () => this.commit({ run_with: other === r.name ? '' : r.name }));
      const item = el(this.doc, 'li');
      item.append(open, ' ', el(this.doc, 'span', { textContent: listText(r), className: 'run-facts' }), ' ', compare);
      return item;
    }));
  }

  /** The names the state shows, the run first: each followed while shown, and no other. */
  sync(state) {
    const before = this.state;
    this.state = state;
    const wanted = [...new Set([state.run, state.run_with].filter(Boolean))];
    if (wanted.length && !this.hooks.details.open) this.hooks.details.open = true;
    for (const [name, follow] of this.follows) {
      if (!wanted.includes(name)) {
        follow.controller.abort();
        this.follows.delete(name);
      }
    }
    wanted.filter((name) => !this.follows.has(name)).forEach((name) => this.follow(name));
    this.renderList();
    // a change of the page's other settings draws nothing here, but for the palette the heatmaps use
    if (['run', 'run_with', 'palette'].some((k) => before[k] !== state[k])) this.schedule();
  }

  /** Reads a run's lines as they are written, until it is no longer shown. */
  async follow(name) {
    const follow = { record: newRecord(name), controller: new AbortController(), failure: null };
    this.follows.set(name, follow);
    const { signal } = follow.controller;
    try {
      for await (const line of getNdjson(`api/runs/${encodeURIComponent(name)}?follow=true`, { signal })) {
        addLine(follow.record, line);
        this.schedule();
      }
    } catch (err) {
      if (signal.aborted) return;
      follow.failure = `${name}: ${err.message}`;
    }
    this.schedule();
  }

  /** The records shown, the run first. */
  shownRecords() {
    return [this.state.run, this.state.run_with].filter(Boolean).map((name) => this.follows.get(name)).filter(Boolean);
  }

  writeReadouts(follows) {
    const failures = follows.map((f) => f.failure).filter(Boolean);
    this.hooks.error.hidden = failures.length === 0;
    this.hooks.error.textContent = failures.join('\n');
    const items = follows.filter((f) => f.record.meta).map(({ record }) => {
      const agreement = agreementOf(record);
      const item = el(this.doc, 'li', { className: agreement.ok ? 'agrees' : 'flagged' });
      const line = el(this.doc, 'span', { textContent: `${record.name}: ${agreement.text || 'no snapshot replayed yet.'}` }, `run-agreement-${record.name}`);
      item.append(line);
      if (!agreement.ok) item.prepend(el(this.doc, 'strong', { textContent: 'Check: ' }));
      const errors = record.errors.map((e) => `the replay of step ${e.step} failed: ${e.detail}`);
      const scalars = scalarsText(record);
      if (scalars || errors.length) item.append(el(this.doc, 'span', { className: 'run-logged', textContent: ` ${[scalars && `Logged: ${scalars}.`, ...errors].filter(Boolean).join(' ')}` }));
      return item;
    });
    this.hooks.readouts.replaceChildren(...items);
  }

  /** The list's facts of a followed run, brought up to date from its lines (the list was read when it opened). */
  updateList(records) {
    let changed = false;
    for (const record of records) {
      const row = this.answer?.runs?.find((r) => r.name === record.name);
      const last = record.snapshots[record.snapshots.length - 1];
      if (!row || !last || row.snapshots === record.snapshots.length) continue;
      Object.assign(row, { snapshots: record.snapshots.length, last_step: last.step });
      changed = true;
    }
    if (changed) this.renderList();
  }

  async paint() {
    const follows = this.shownRecords();
    const records = follows.map((f) => f.record).filter((r) => r.meta);
    this.updateList(records);
    this.writeReadouts(follows);
    this.hooks.shown.hidden = follows.length === 0;
    this.section.dataset.state = follows.length ? 'following' : 'idle';
    this.section.dataset.snapshots = String(records.reduce((n, r) => n + r.snapshots.length, 0));
    if (records.length === 0 || !this.hooks.details.open) return;
    this.revision += 1;
    try {
      await drawRunViews(this.hooks.plots, records, this.state, this.revision);
    } catch (err) {
      this.hooks.error.hidden = false;
      this.hooks.error.textContent = `Drawing failed: ${err.message}`;
    }
    this.section.dataset.draws = String(this.revision);
  }

  owns(name) {
    return RUNS_PROPERTIES.some((p) => p.name === name);
  }
}

/**
 * Builds the Runs section in `section`. Returns {specs, owns(name), sync(state)}: the section's state properties
 * (to join the page's), whether a state key is the section's, and the sync for a new state.
 */
export function buildRuns({ section, commit }) {
  const runs = new RunsSection(section, commit);
  return { specs: RUNS_PROPERTIES, owns: (name) => runs.owns(name), sync: (state) => runs.sync(state) };
}
