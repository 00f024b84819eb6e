/**
 * The "Your network" control: a weights file picked or dropped, an optional inputs file, the arrays the API
 * recognised, and Clear. Reports files; knows nothing of fetching or charts (main.js keeps the files and
 * sends them through network.js). The words come from explore/readouts.js.
 */
import { readsInputs } from '../explore/network.js';
import { EXPLAIN, networkStatus, weightsLines } from '../explore/readouts.js';

/** The control's elements inside `root`, by their test ids. */
function hooksIn(root) {
  const byTestId = (id) => root.querySelector(`[data-testid="${id}"]`);
  return {
    weights: byTestId('weights-file'), drop: byTestId('weights-drop'), inputs: byTestId('inputs-file'), list: byTestId('weights-recognised'),
    clear: byTestId('weights-clear'), status: byTestId('weights-status'), hint: root.querySelector('[data-for="network"]'),
    inputsHint: root.querySelector('[data-for="network-inputs"]'),
  };
}

/**
 * Fills `list` with one item per line of explore/readouts.js weightsLines, its kind as the class; hides it
 * when empty.
 */
export function renderRecognised(list, weights) {
  const doc = list.ownerDocument;
  const items = weightsLines(weights).map(({ kind, text }) => Object.assign(doc.createElement('li'), { className: kind, textContent: text }));
  list.replaceChildren(...items);
  list.hidden = items.length === 0;
}

/** Reads an inputs file: {file, rows} with rows parsed by `parse` for .csv/.json, null for a .npy. */
export async function readInputs(file, parse) {
  return { file, rows: readsInputs(file.name) ? parse(await file.text(), file.name) : null };
}

/** Drag and drop onto `zone`: the first dropped file goes to onFile; the zone shows when a drop would land. */
function wireDrop(zone, onFile) {
  const over = (on) => (event) => {
    event.preventDefault(); // without this the browser opens the file instead of dropping it here
    zone.classList.toggle('over', on);
  };
  zone.addEventListener('dragenter', over(true));
  zone.addEventListener('dragover', over(true));
  zone.addEventListener('dragleave', over(false));
  zone.addEventListener('drop', (event) => {
    over(false)(event);
    const file = event.dataTransfer?.files?.[0];
    if (file) onFile(file);
  });
}

/** The inputs picker: a file read (where the page can) and reported, or refused in words and unpicked. */
function wireInputs(picker, { parse, onInputs, onError }) {
  picker.addEventListener('change', async () => {
    const file = picker.files[0];
    if (!file) return;
    try {
      onInputs(await readInputs(file, parse));
    } catch (err) {
      picker.value = ''; // so the same file, fixed, counts as a new pick
      onError(err.message);
    }
  });
}

/**
 * Wires the control in `root`. Callbacks: onWeights(file), onInputs({file, rows}) (rows null for a .npy),
 * onClear(), onError(message). `parse` is network.js parseInputs. Returns:
 * - showRun(use, weights): after an answer, which files it used (network.js filesInUse) and its `weights`;
 * - refused(): the server turned the upload down (its words are in the page's error box);
 * - forgotten(): the state named a file this tab no longer holds, so seeded weights are shown;
 * - sync(files): Clear is enabled while any file is in memory.
 */
export function buildNetworkControl(root, { onWeights, onInputs, onClear, onError, parse }) {
  const hooks = hooksIn(root);
  let note = ''; // why seeded weights came back after a reload: kept through every run until a pick or Clear
  hooks.hint.textContent = EXPLAIN.network.hint;
  hooks.inputsHint.textContent = EXPLAIN.network.inputs;
  const say = (text) => { hooks.status.textContent = [note, text].filter(Boolean).join(' '); };
  const pickWeights = (file) => { note = ''; onWeights(file); };
  hooks.weights.addEventListener('change', () => hooks.weights.files[0] && pickWeights(hooks.weights.files[0]));
  wireDrop(hooks.drop, pickWeights);
  wireInputs(hooks.inputs, { parse, onError, onInputs: (read) => { note = ''; onInputs(read); } });
  hooks.clear.addEventListener('click', () => {
    note = '';
    hooks.weights.value = ''; // so picking the same file again is a change
    hooks.inputs.value = '';
    onClear();
  });
  return {
    showRun(use, weights) {
      say(networkStatus(use));
      renderRecognised(hooks.list, use.weights ? weights : null);
    },
    refused() {
      say(EXPLAIN.network.refused);
      hooks.list.hidden = true;
    },
    forgotten() {
      note = EXPLAIN.network.forgotten;
      say('');
    },
    sync(files) {
      hooks.clear.disabled = !files.weights && !files.inputs;
    },
  };
}
