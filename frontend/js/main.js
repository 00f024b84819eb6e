/**
 * Wiring: every change runs update state -> write URL -> fetch -> redraw. Back/forward read the state back
 * from the URL. The only module with side effects on the page as a whole; the training lab (train/lab.js)
 * keeps its part of the same state and URL and trains on its own Start. Uploaded files are kept in
 * `app.files` (explore/own-network.js wires them) and sent again with every change while the state says they
 * are in use. The lab, the sweep and the Runs section load their code when first needed
 * (widgets/lazy-section.js); only their state specs (train/state.js, sweep/state.js, runs/state.js) are part
 * of the first view.
 */
import { Simulator, fetchSchema } from './lib/api.js';
import { loadMeta } from './lib/meta.js';
import { NARROW_PX } from './charts/common.js';
import { buildDrawer } from './widgets/drawer.js';
import { buildControls } from './widgets/controls.js';
import { wireExports } from './widgets/export-buttons.js';
import { buildLayerSelect } from './widgets/layer-select.js';
import { shownRuns } from './lib/layers.js';
import {
  SHAPE_FIELDS, filesInUse, networkRequests, requestKey,
} from './explore/network.js';
import { wireOwnNetwork } from './explore/own-network.js';
import {
  DrawPass, NEAR_MARGIN_PX, VIEWS, ViewLoader, isNear, splitWorthIt,
} from './explore/loading.js';
import { buildPresets } from './widgets/preset-buttons.js';
import { buildSections, loadWantedSections } from './widgets/sections.js';
import { EXPLAIN, isTheoryAbsence, writeReadouts } from './explore/readouts.js';
import { controlSpecs } from './lib/schema.js';
import { primaryRun } from './lib/shape.js';
import {
  API_PROPERTIES, SELECTION_PROPERTIES, VIEW_PROPERTIES, defaultState, queryFromState, stateFromQuery, withChanges,
} from './lib/state.js';
import { drawAll, onScreen } from './explore/views.js';

/** Page settings that only change how the same data is drawn: no new request. */
const DRAW_ONLY = new Set(['yscale', 'zscale', 'palette', 'theory']);
const LIVE_DEBOUNCE_MS = 60;

const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);
const page = {
  main: document.getElementById('views'),
  error: byTestId('error'),
  warnings: byTestId('warnings'),
  stale: byTestId('views-stale'),
  plots: {
    unrolled: byTestId('plot-unrolled'), norms: byTestId('plot-norms'), gates: byTestId('plot-gates'),
    spectrum: byTestId('plot-spectrum'), flow: byTestId('plot-flow'), clipping: byTestId('plot-clipping'), depth: byTestId('plot-depth-flow'),
  },
  readouts: {
    horizon: byTestId('memory-horizon'), spectrum: byTestId('spectrum-readout'), clipping: byTestId('clipping-readout'),
    explainUnrolled: document.querySelector('[data-for="unrolled"]'), explainGates: document.querySelector('[data-for="gates"]'),
    explainDepth: document.querySelector('[data-for="depth"]'), explainTheory: byTestId('theory-readout'),
  },
};

const app = {
  specs: [], apiSpecs: [], defaults: {}, state: {}, runs: null, controls: null, presets: null, exports: null, lab: null, sweep: null,
  watched: null, layers: null, network: null, own: null, files: { weights: null, inputs: null, rows: null, before: null },
  sim: new Simulator(), timer: null, liveEntry: false, draws: 0,
  // what the views show: the settings' key, their runs (explore/loading.js), this pass of drawing, views near the window
  loader: null, key: null, pass: new DrawPass(0), painting: Promise.resolve(), near: new Set(), watcher: null,
};
app.loader = new ViewLoader({ sim: app.sim });

function showError(message) {
  page.error.replaceChildren();
  const head = document.createElement('strong');
  head.textContent = 'These settings could not be run:';
  page.error.append(head, document.createTextNode(message));
  page.error.hidden = false;
}

function showWarnings(runs) {
  const labelled = Object.entries(runs).flatMap(([cell, r]) => (r.warnings || []).filter((w) => !isTheoryAbsence(w)).map((w) => (app.state.compare ? `${cell}: ${w}` : w)));
  const shown = labelled.slice(0, 6);
  if (labelled.length > shown.length) shown.push(`…and ${labelled.length - shown.length} more (in the JSON export).`);
  page.warnings.replaceChildren(...shown.map((w) => Object.assign(document.createElement('li'), { textContent: w })));
  page.warnings.hidden = shown.length === 0;
}

function setBusy(busy) {
  page.main.setAttribute('aria-busy', busy ? 'true' : 'false');
}

/** Greys the views and says why while they show an earlier answer than the settings ask for ('' ends it). */
function markStale(text) {
  page.stale.textContent = text;
  page.stale.hidden = !text;
  page.main.classList.toggle('stale', Boolean(text));
}

/** Shows the state in the controls and the preset buttons. */
function syncControls() {
  app.controls.sync(app.state);
  const file = app.state.weights === 'file';
  app.controls.lock('compare', file ? EXPLAIN.network.compareOff : null);
  SHAPE_FIELDS.forEach((name) => app.controls.lock(name, file ? EXPLAIN.network.shape : null));
  app.presets.sync(app.state);
  app.layers.sync(app.state);
  app.network.sync(app.files, app.state);
  app.lab.sync(app.state);
  app.sweep.sync(app.state);
  app.watched.sync(app.state);
}

function urlFor(state) {
  return `${window.location.pathname}${queryFromState(state, app.specs)}`;
}

/** Pushes a history entry per settled change; a slider drag shares one entry, replaced as it moves. */
function writeUrl(live) {
  const url = urlFor(app.state);
  if (url !== `${window.location.pathname}${window.location.search}`) {
    if (app.liveEntry) window.history.replaceState(null, '', url);
    else window.history.pushState(null, '', url);
  }
  app.liveEntry = live;
}

/** Whether the views' numbers for the current settings have arrived. */
function ready(views) {
  return app.loader.ready(app.key, views, app.state);
}

/**
 * Draws every view of this pass whose numbers are here and that is not drawn yet (explore/loading.js DrawPass),
 * one paint after another: the flow matrix out of reach draws its note. The first time the views on screen are
 * drawn sets data-on-screen-drawn-at; the first time every view is, counts a draw.
 */
function paint() {
  const pass = app.pass;
  app.painting = app.painting.catch(() => {}).then(() => paintNow(pass));
  return app.painting;
}

async function paintNow(pass) {
  // the current settings' numbers, never an earlier setting's still held in app.runs while they are fetched
  const held = app.loader.cache.runs(app.key);
  if (!held || pass !== app.pass) return;
  const runs = shownRuns(held, app.state);
  writeReadouts(page.readouts, runs, app.state);
  const { views, deferred } = pass.todo((v) => ready([v]), app.near.has('flow') || isNear(page.plots.flow));
  await drawAll(page.plots, runs, app.state, {
    views,
    deferred,
    onViewDrawn: (view) => {
      pass.mark(view, deferred.includes(view));
      if (pass === app.pass) page.plots[view].dataset.drawn = deferred.includes(view) ? 'deferred' : 'data';
    },
    onScreenDrawn: () => {
      // when the views in the window are drawn; the rest follow in the next frames
      if (pass === app.pass && pass.screenDone((v) => onScreen(page.plots[v]))) document.body.dataset.onScreenDrawnAt = String(Math.round(performance.now()));
    },
    superseded: () => pass !== app.pass,
  });
  if (pass !== app.pass || !pass.complete()) return;
  app.draws += 1;
  // stable hooks for tests and the benchmark: how many redraws drew every view, and when the last one finished
  document.body.dataset.drawnAt = String(Math.round(performance.now()));
  document.body.dataset.draws = String(app.draws);
  document.dispatchEvent(new CustomEvent('gradflow:drawn', { detail: { draws: app.draws, ms: performance.now() - pass.started } }));
}

/** Every view drawn again from the numbers at hand (a new setting's, a display setting's change, the page's width). */
async function redraw() {
  app.pass = new DrawPass(app.pass.id + 1);
  for (const view of VIEWS) page.plots[view].dataset.drawn = 'pending';
  await paint();
}

/** The simulate requests for the current state, narrowed to `ask` ({fields, flow_steps}). */
function requestsFor(ask) {
  return networkRequests(app.state, app.apiSpecs, app.files, false, ask);
}

/** What the views of the current settings need, fetched in `group`; null when newer settings took over. */
async function load(views, group) {
  const { key } = app;
  const flowSpec = app.apiSpecs.find((spec) => spec.name === 'flow_steps');
  const runs = await app.loader.load(key, views, app.state, group, requestsFor, flowSpec);
  return runs === null || key !== app.key ? null : runs;
}

/** Fetches what `views` need in `group` and draws them; a failure says so in words. */
async function fill(views, group) {
  let runs;
  try {
    runs = await load(views, group);
  } catch (err) {
    showError(err.message);
    return;
  }
  if (runs === null) return;
  app.runs = filesInUse(app.state, app.files).weights ? app.own.adoptedRuns(runs) : runs;
  showWarnings(app.runs);
  await paint();
}

/** Watches the views (once): one that comes within NEAR_MARGIN_PX of the window is filled (cameNear). */
function watchViews() {
  if (app.watcher || typeof IntersectionObserver !== 'function') return;
  app.watcher = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      const view = VIEWS.find((v) => page.plots[v] === entry.target);
      if (!entry.isIntersecting) app.near.delete(view);
      else {
        app.near.add(view);
        cameNear(view);
      }
    }
  }, { rootMargin: `${NEAR_MARGIN_PX}px 0px` });
  VIEWS.forEach((v) => app.watcher.observe(page.plots[v]));
}

/**
 * A view came near the window: drawn from the numbers at hand when they are here, else fetched (the flow matrix
 * in its own group; the others with the rest, unless that request is on its way).
 */
function cameNear(view) {
  if (!app.runs || app.pass.drawn.has(view)) return;
  if (ready([view])) paint();
  else if (view === 'flow' && !app.sim.busy('flow')) fill(['flow'], 'flow');
  else if (view !== 'flow' && !app.sim.busy('rest')) fill(VIEWS.filter((v) => v !== 'flow'), 'rest');
}

/**
 * New settings: the views in or near the window are fetched first (the flow matrix among them in a request of its
 * own, so the others need not wait for it) and drawn; the rest, but the flow matrix, which waits until its view
 * comes near, are asked for as soon as those numbers are here, and drawn after them. Each kind of request keeps
 * one in flight, the newest (api.js Simulator).
 */
async function fetchAndDraw() {
  setBusy(true);
  watchViews();
  ['near', 'rest', 'flow'].forEach((group) => app.sim.abort(group));
  const use = filesInUse(app.state, app.files);
  app.key = requestKey(app.state, app.apiSpecs, app.files);
  const { key } = app;
  const near = VIEWS.filter((v) => isNear(page.plots[v]));
  // a small run, or an uploaded file, goes once for every view (but the flow matrix), not once per group of views
  const first = (use.weights || !splitWorthIt(app.state) ? VIEWS : near).filter((v) => v !== 'flow');
  // an uploaded network's flow matrix waits for the answer that names its cell
  const flow = () => near.includes('flow') && fill(['flow'], 'flow');
  let runs;
  try {
    if (!use.weights) flow();
    runs = await load(first, 'near');
  } catch (err) {
    if (key !== app.key) return;
    showError(err.message);
    if (use.weights || use.inputs) app.network.refused();
    // the charts still hold the last answer: grey them, so a refused file never looks like the one shown
    if (app.runs) markStale(use.weights ? EXPLAIN.network.staleFile(use.weights.name) : EXPLAIN.network.staleSettings);
    setBusy(false);
    return;
  }
  if (runs === null) return; // a newer request is on its way and will finish the job
  page.error.hidden = true;
  markStale('');
  if (use.weights) runs = app.own.adoptedRuns(runs);
  app.runs = runs;
  app.network.showRun(use, primaryRun(runs, app.state.cell).weights);
  showWarnings(runs);
  app.exports.ready();
  try {
    if (use.weights) flow();
    // the server works on the rest while the browser draws what is in sight
    const rest = VIEWS.filter((v) => v !== 'flow');
    const more = ready(rest) ? null : fill(rest, 'rest');
    await redraw();
    await more;
  } catch (err) {
    showError(`Drawing failed: ${err.message}`);
  }
  if (key === app.key) setBusy(false);
}

function refresh(live) {
  clearTimeout(app.timer);
  if (live) app.timer = setTimeout(fetchAndDraw, LIVE_DEBOUNCE_MS);
  else fetchAndDraw();
}

/** The one path every change takes: update state -> write URL -> fetch -> redraw. */
function commit(changes, live = false) {
  const before = app.state;
  app.state = withChanges(app.state, changes);
  writeUrl(live);
  syncControls();
  const changed = Object.keys(changes).filter((k) => before[k] !== app.state[k]);
  if (changed.length === 0 && !live) return;
  // the lab and the sweep run on their Start buttons, not on every change
  if (changed.every((k) => app.lab.owns(k) || app.sweep.owns(k) || app.watched.owns(k))) return;
  if (changed.length > 0 && changed.every((k) => DRAW_ONLY.has(k))) redraw();
  else refresh(live);
}

/** Scrolls the views into sight (a trained network opened from the lab, a link in a section). */
function showViews() {
  page.main.scrollIntoView({ block: 'start' });
}

/**
 * The layer selector and the "Your network" control (explore/own-network.js: files, examples, a lab run's
 * trained network), whose adoptedRuns, forgetMissingFiles and openTrained the page keeps in `app.own`.
 */
function wireNetwork() {
  app.layers = buildLayerSelect(document.querySelector('[data-group="model"]'), (layer) => commit({ layer }));
  app.own = wireOwnNetwork(document.querySelector('[data-group="network"]'), {
    app, commit, refresh, showError, syncControls, urlFor, showViews,
  });
}

/** The preset and export buttons; a preset is one more change through commit(). */
function wireButtons() {
  const apiNames = app.apiSpecs.map((s) => s.name);
  app.presets = buildPresets({
    holder: document.querySelector('.preset-buttons'), summary: byTestId('preset-summary'), defaults: app.defaults, apiNames,
    current: () => app.state, onPick: (next) => commit(Object.fromEntries(apiNames.map((n) => [n, next[n]]))),
  });
  app.exports = wireExports(
    { json: byTestId('export-json'), csv: byTestId('export-csv'), link: byTestId('copy-link') },
    { current: () => ({ state: app.state, queries: networkRequests(app.state, app.apiSpecs, app.files, true) }), onError: showError },
  );
}

/**
 * A phone's page: the settings in a drawer (widgets/drawer.js), and the views drawn again when the window
 * crosses the phone width, since their panels stack one per row below it.
 */
function wirePhone() {
  buildDrawer({ toggle: byTestId('settings-toggle'), close: byTestId('settings-close'), panel: document.getElementById('settings') });
  window.matchMedia(`(max-width: ${NARROW_PX}px)`).addEventListener('change', () => redraw());
}

/** `promise`, its failure saying what the page could not read. */
function reading(what, promise) {
  return promise.catch((err) => {
    throw new Error(`The page could not read ${what}: ${err.message}`);
  });
}

async function start() {
  wirePhone(); // first: the drawer opens even when the page cannot read its schema or meta
  let schema;
  try {
    // the schema (bounds and defaults) and the meta (cells, tasks, theme) together, both before anything is drawn
    [schema] = await Promise.all([
      reading("the API's schema", fetchSchema().then((s) => {
        app.apiSpecs = controlSpecs(s, API_PROPERTIES);
        return s;
      })),
      reading('its cells, tasks and theme (GET /api/meta)', loadMeta()),
    ]);
  } catch (err) {
    showError(err.message);
    setBusy(false);
    return;
  }
  Object.assign(app, buildSections({
    doc: document, schema, apiSpecs: app.apiSpecs, current: () => app.state, commit,
    openInViews: (run) => app.own.openTrained(run), showViews,
  }));
  app.specs = [...app.apiSpecs, ...VIEW_PROPERTIES, ...SELECTION_PROPERTIES, ...app.lab.specs, ...app.sweep.specs, ...app.watched.specs];
  app.defaults = defaultState(app.specs);
  app.state = stateFromQuery(window.location.search, app.specs);
  for (const form of document.querySelectorAll('form')) form.addEventListener('submit', (e) => e.preventDefault());
  const withControls = [...app.apiSpecs, ...VIEW_PROPERTIES].filter((s) => s.kind !== 'list');
  app.controls = buildControls(document, withControls, (name, value, live) => commit({ [name]: value }, live));
  wireButtons();
  wireNetwork();
  app.own.forgetMissingFiles();
  syncControls();
  loadWantedSections([app.lab, app.sweep, app.watched], app.state, { win: window, doc: document });
  window.addEventListener('popstate', () => {
    app.state = stateFromQuery(window.location.search, app.specs);
    app.liveEntry = false;
    app.own.forgetMissingFiles();
    syncControls();
    refresh(false);
  });
  await fetchAndDraw();
}

start();
