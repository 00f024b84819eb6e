/**
 * The "Your network" control: a weights file picked or dropped, an optional inputs file, the trained examples,
 * the arrays the API recognised, Clear, and for a network trained in the lab the switch between it before and
 * after training. Reports files and picks; knows nothing of fetching or charts (main.js keeps the files and
 * sends them through network.js). The words come from explore/readouts.js.
 */
import { readsInputs } from '../explore/network.js';
import { EXPLAIN, networkStatus, weightsLines } from '../explore/readouts.js';
import { exampleFileName, exampleText } from '../explore/trained.js';

/** The control's elements inside `root`, by their test ids. */
function hooksIn(root) {
  const byTestId = (id) => root.querySelector(`[data-testid="${id}"]`);
  return {
    weights: byTestId('weights-file'), drop: byTestId('weights-drop'), inputs: byTestId('inputs-file'), list: byTestId('weights-recognised'),
    clear: byTestId('weights-clear'), status: byTestId('weights-status'), hint: root.querySelector('[data-for="network"]'),
    inputsHint: root.querySelector('[data-for="network-inputs"]'), examples: byTestId('network-examples'),
    beforeAfter: byTestId('weights-before-after'),
  };
}

/** One button per example network in `holder` (the examples box's button row); the box hides without any. */
function renderExamples(box, examples, onExample) {
  const doc = box.ownerDocument;
  const buttons = examples.map((example) => {
    const button = Object.assign(doc.createElement('button'), { type: 'button', textContent: example.name, title: exampleText(example) });
    button.dataset.testid = `example-${example.name}`;
    button.setAttribute('aria-pressed', 'false');
    button.addEventListener('click', () => onExample(example));
    return button;
  });
  box.querySelector('.example-buttons').replaceChildren(...buttons);
  box.hidden = buttons.length === 0;
  return buttons;
}

/** The before/after switch: its radios report 'seeded' (before training) or 'file' (after). */
function wireBeforeAfter(fieldset, onBeforeAfter) {
  const radios = [...fieldset.querySelectorAll('input[type="radio"]')];
  radios.forEach((radio) => radio.addEventListener('change', () => radio.checked && onBeforeAfter(radio.value)));
  return (weights) => radios.forEach((radio) => { radio.checked = radio.value === weights; });
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
 * onClear(), onError(message), onExample(example) (one of `examples`, GET /api/meta's), onBeforeAfter('seeded' |
 * 'file'). `parse` is network.js parseInputs. Returns:
 * - showRun(use, weights): after an answer, which files it used (network.js filesInUse) and its `weights`;
 * - refused(): the server turned the upload down (its words are in the page's error box);
 * - forgotten(): the state named a file this tab no longer holds, so seeded weights are shown;
 * - loading(text): says what is being fetched (an example network);
 * - sync(files, state): Clear is enabled while any file is in memory; the before/after switch shows for a
 *   network from the lab (files.before) and says which the state shows; the example in use is pressed.
 */
export function buildNetworkControl(root, {
  onWeights, onInputs, onClear, onError, parse, examples = [], onExample = () => {}, onBeforeAfter = () => {},
}) {
  const hooks = hooksIn(root);
  let note = ''; // why seeded weights came back after a reload: kept through every run until a pick or Clear
  const exampleButtons = renderExamples(hooks.examples, examples, (example) => { note = ''; onExample(example); });
  const showBeforeAfter = wireBeforeAfter(hooks.beforeAfter, onBeforeAfter);
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
    loading(text) {
      say(text);
    },
    sync(files, state = {}) {
      hooks.clear.disabled = !files.weights && !files.inputs;
      hooks.beforeAfter.hidden = !files.before;
      if (files.before) showBeforeAfter(state.weights);
      const shown = state.weights === 'file' ? files.weights?.name : null;
      exampleButtons.forEach((button, k) => button.setAttribute('aria-pressed', String(shown === exampleFileName(examples[k]))));
    },
  };
}
