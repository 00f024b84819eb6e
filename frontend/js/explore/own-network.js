/**
 * Your own network in the views: the files a reader drops or picks (weights, inputs), the example networks and a
 * lab run's trained network, each one more change through the page's one path (main.js commit). Files live in
 * this tab's memory (`app.files`) and go with every request while the state uses them; an uploaded network's
 * shape, which the API reads from its arrays, becomes the state's. main.js keeps the page's state and wiring;
 * this module only acts through what it is handed.
 */
import { fetchFile } from '../lib/api.js';
import { meta } from '../lib/meta.js';
import { withChanges } from '../lib/state.js';
import { buildNetworkControl } from '../widgets/network-control.js';
import { mergeRun } from './loading.js';
import {
  SHAPE_FIELDS, filesInUse, parseInputs, shapeOf,
} from './network.js';
import { EXPLAIN } from './readouts.js';
import {
  exampleChanges, exampleFileName, trainedChanges, trainedFile,
} from './trained.js';

/**
 * Builds the "Your network" control into `holder` and returns what main.js needs of it: {adoptedRuns,
 * forgetMissingFiles, openTrained}. `app` is the page's state object (its state, files, loader, key, network);
 * `commit(changes)`, `refresh(live)`, `showError(text)`, `syncControls()`, `urlFor(state)` and `showViews()` are
 * main.js's.
 */
export function wireOwnNetwork(holder, {
  app, commit, refresh, showError, syncControls, urlFor, showViews,
}) {
  /** New files (or none) with their state changes; a second file under the same state is still a new request. */
  function commitFiles(files, changes) {
    app.files = files;
    const same = Object.entries(changes).every(([k, v]) => app.state[k] === v);
    commit(changes);
    if (same) refresh(false);
  }

  /**
   * An uploaded file's shape (the answer's config: the API read it from the arrays) becomes the state's, in the
   * controls and the URL, before anything is drawn; the one run is filed under its cell. Replaces the history
   * entry: the pick that made it already pushed one.
   */
  function adoptShape(runs) {
    const run = Object.values(runs)[0];
    const shape = shapeOf(run.config);
    if (SHAPE_FIELDS.some((k) => app.state[k] !== shape[k])) {
      app.state = withChanges(app.state, shape);
      window.history.replaceState(null, '', urlFor(app.state));
      syncControls();
    }
    return { [shape.cell]: run };
  }

  /**
   * An uploaded network's runs as one run filed under the cell read from it (adoptShape), in the cache too: the
   * answers that came before the controls moved are filed under the cell they asked with.
   */
  function adoptedRuns(runs) {
    const adopted = adoptShape({ one: Object.values(runs).reduce((a, b) => mergeRun(a, b)) });
    app.loader.cache.set(app.key, adopted);
    return adopted;
  }

  /**
   * Files live in this tab's memory only: a state that names one the tab does not hold (a reload, a shared
   * link, history after Clear) falls back to seeded weights and generated inputs, and the control says so.
   */
  function forgetMissingFiles() {
    const missing = {};
    if (app.state.weights === 'file' && !app.files.weights) missing.weights = 'seeded';
    if (app.state.input_file === true && !app.files.inputs) missing.input_file = false;
    if (Object.keys(missing).length === 0) return;
    app.state = withChanges(app.state, missing);
    window.history.replaceState(null, '', urlFor(app.state));
    app.network.forgotten();
  }

  /** An example network (GET /api/meta `examples`): its file fetched and shown as a picked one, at its seq_len. */
  async function openExample(example) {
    app.network.loading(EXPLAIN.network.loadingExample(example.name));
    let file;
    try {
      file = await fetchFile(example.url, exampleFileName(example));
    } catch (err) {
      showError(`The example ${example.name} could not be fetched: ${err.message}`);
      return;
    }
    commitFiles({ ...app.files, weights: file, before: null }, { weights: 'file', compare: false, ...exampleChanges(example) });
  }

  /**
   * A lab run's trained network in the views, as if its file had been dropped, at the task's sequence length and
   * input size; the before/after switch can then show the seeded network it started from.
   */
  function openTrained(run) {
    const changes = trainedChanges(run.config);
    commitFiles(
      { weights: trainedFile(run), inputs: null, rows: null, before: changes },
      { ...changes, weights: 'file', compare: false, input_file: false, layer: 'top' },
    );
    showViews();
  }

  // A weights file turns compare mode off (one network); an inputs file read here sets the sequence length and
  // input size to its T x I, with batch size 1.
  app.network = buildNetworkControl(holder, {
    parse: parseInputs,
    onError: showError,
    onWeights: (file) => commitFiles({ ...app.files, weights: file, before: null }, { weights: 'file', compare: false }),
    onInputs: ({ file, rows }) => {
      if (!rows && !filesInUse(app.state, app.files).weights) {
        showError(EXPLAIN.network.npyAlone);
        return;
      }
      const sizes = rows ? { seq_len: rows.length, input_size: rows[0].length } : {};
      commitFiles({ ...app.files, inputs: file, rows }, { input_file: true, batch_size: 1, ...sizes });
    },
    onClear: () => commitFiles({
      weights: null, inputs: null, rows: null, before: null,
    }, { weights: 'seeded', input_file: false }),
    examples: meta().examples || [],
    onExample: openExample,
    // a network from the lab: before training is the seeded network it started from (files.before's state)
    onBeforeAfter: (weights) => commit(weights === 'seeded' ? { ...app.files.before, weights } : { weights }),
  });
  return { adoptedRuns, forgetMissingFiles, openTrained };
}
