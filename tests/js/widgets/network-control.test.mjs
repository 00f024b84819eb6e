import test from 'node:test';
import assert from 'node:assert/strict';
import { buildLayerSelect } from '../../../frontend/js/widgets/layer-select.js';
import { buildNetworkControl, readInputs, renderRecognised } from '../../../frontend/js/widgets/network-control.js';
import { parseInputs } from '../../../frontend/js/explore/network.js';
import { EXPLAIN } from '../../../frontend/js/explore/readouts.js';
import { fakeDocument } from '../support/fakedom.mjs';

const EXPLICIT = {
  source: 'explicit',
  recognised: { weight_ih_l0: 'weight_ih_l0', 'rnn.weight_hh_l0': 'weight_hh_l0' },
  ignored: ['optimizer_step'],
  notes: ['readout not given: the unit readout is used'],
};

const items = (list) => list.children.map((li) => [li.className, li.textContent]);

test('the recognised list: one item per array used, renamed ones with their PyTorch name, then ignored arrays and notes', () => {
  const list = fakeDocument.createElement('ul');
  renderRecognised(list, EXPLICIT);
  assert.deepEqual(items(list), [
    ['used', 'weight_ih_l0'], ['used', 'rnn.weight_hh_l0 → weight_hh_l0'],
    ['ignored', 'optimizer_step: not used'], ['note', 'readout not given: the unit readout is used'],
  ]);
  assert.equal(list.hidden, false);
  renderRecognised(list, { source: 'seeded', recognised: {}, ignored: [], notes: [] });
  assert.deepEqual(list.children, []);
  assert.equal(list.hidden, true, 'seeded weights: nothing to list');
});

const EXAMPLES = [
  {
    name: 'lstm-adding-50', description: 'an lstm that solved the adding problem at T = 50', cell: 'lstm', task: 'adding',
    hidden_size: 32, input_size: 2, num_layers: 1, seq_len: 50, solved: true, solved_at: 637, url: 'api/networks/lstm-adding-50.safetensors',
  },
  {
    name: 'rnn-adding-50', description: 'an rnn that did not solve the adding problem at T = 50', cell: 'rnn', task: 'adding',
    hidden_size: 32, input_size: 2, num_layers: 1, seq_len: 50, solved: false, solved_at: null, url: 'api/networks/rnn-adding-50.safetensors',
  },
];

/** The control's elements as fakes, found by the selectors network-control.js asks for. */
function fakeControl(examples = []) {
  const ids = ['weights-file', 'weights-drop', 'inputs-file', 'weights-recognised', 'weights-clear', 'weights-status', 'network-examples', 'weights-before-after'];
  const els = Object.fromEntries(ids.map((id) => [id, fakeDocument.createElement(id === 'weights-recognised' ? 'ul' : 'div')]));
  els.hint = fakeDocument.createElement('p');
  els.inputsHint = fakeDocument.createElement('p');
  els.exampleButtons = fakeDocument.createElement('div');
  els['network-examples'].querySelector = () => els.exampleButtons;
  els.radios = ['file', 'seeded'].map((value) => Object.assign(fakeDocument.createElement('input'), { value, checked: false }));
  els['weights-before-after'].querySelectorAll = () => els.radios;
  const root = {
    querySelector: (sel) => ({ '[data-for="network"]': els.hint, '[data-for="network-inputs"]': els.inputsHint })[sel]
      || els[sel.match(/data-testid="([^"]+)"/)[1]],
  };
  const said = {
    weights: [], inputs: [], clears: 0, errors: [], examples: [], beforeAfter: [],
  };
  const control = buildNetworkControl(root, {
    parse: parseInputs,
    onWeights: (f) => said.weights.push(f.name),
    onInputs: (x) => said.inputs.push(x),
    onClear: () => { said.clears += 1; },
    onError: (m) => said.errors.push(m),
    examples,
    onExample: (e) => said.examples.push(e.name),
    onBeforeAfter: (w) => said.beforeAfter.push(w),
  });
  return { els, said, control };
}

test('the examples are one button each, described, pressed while their file is the one shown; no examples, no box', async () => {
  assert.equal(fakeControl().els['network-examples'].hidden, true);
  const { els, said, control } = fakeControl(EXAMPLES);
  assert.equal(els['network-examples'].hidden, false);
  const buttons = els.exampleButtons.children;
  assert.deepEqual(buttons.map((b) => [b.textContent, b.dataset.testid]), [['lstm-adding-50', 'example-lstm-adding-50'], ['rnn-adding-50', 'example-rnn-adding-50']]);
  assert.equal(buttons[0].title, 'an lstm that solved the adding problem at T = 50 (lstm, H = 32, solved at training step 637)');
  assert.match(buttons[1].title, /\(rnn, H = 32, not solved\)$/);
  await buttons[1].click();
  assert.deepEqual(said.examples, ['rnn-adding-50']);
  control.sync({ weights: new File([''], 'rnn-adding-50.safetensors'), inputs: null }, { weights: 'file' });
  assert.deepEqual(buttons.map((b) => b.getAttribute('aria-pressed')), ['false', 'true']);
  control.sync({ weights: new File([''], 'rnn-adding-50.safetensors'), inputs: null }, { weights: 'seeded' });
  assert.deepEqual(buttons.map((b) => b.getAttribute('aria-pressed')), ['false', 'false']);
});

test('the before/after switch shows for a network from the lab only, says which the state shows, and reports a flip', async () => {
  const { els, said, control } = fakeControl();
  const trained = new File(['{}'], 'trained-lstm.json');
  control.sync({ weights: trained, inputs: null, before: null }, { weights: 'file' });
  assert.equal(els['weights-before-after'].hidden, true, 'a dropped file has no before');
  control.sync({ weights: trained, inputs: null, before: { cell: 'lstm' } }, { weights: 'file' });
  assert.equal(els['weights-before-after'].hidden, false);
  assert.deepEqual(els.radios.map((r) => r.checked), [true, false]);
  control.sync({ weights: trained, inputs: null, before: { cell: 'lstm' } }, { weights: 'seeded' });
  assert.deepEqual(els.radios.map((r) => r.checked), [false, true]);
  els.radios[0].checked = true;
  await els.radios[0].dispatch('change');
  assert.deepEqual(said.beforeAfter, ['file']);
});

const file = (name, text = '') => new File([text], name);

test('a weights file picked or dropped is reported; a drop is kept from opening the file', async () => {
  const { els, said } = fakeControl();
  assert.equal(els.hint.textContent, EXPLAIN.network.hint);
  els['weights-file'].files = [file('net.npz')];
  await els['weights-file'].dispatch('change');
  let prevented = 0;
  const event = { preventDefault: () => { prevented += 1; }, dataTransfer: { files: [file('dropped.safetensors'), file('second.npz')] } };
  await els['weights-drop'].dispatch('dragover', event);
  assert.equal(els['weights-drop'].classList.contains('over'), true);
  await els['weights-drop'].dispatch('drop', event);
  assert.equal(els['weights-drop'].classList.contains('over'), false);
  assert.equal(prevented, 2);
  assert.deepEqual(said.weights, ['net.npz', 'dropped.safetensors']);
});

test('an inputs file is read here when it can be, and a bad one is refused in words', async () => {
  const { els, said } = fakeControl();
  els['inputs-file'].files = [file('x.csv', '1,2\n3,4\n')];
  await els['inputs-file'].dispatch('change');
  assert.deepEqual(said.inputs.map((x) => [x.file.name, x.rows]), [['x.csv', [[1, 2], [3, 4]]]]);
  assert.deepEqual(await readInputs(file('x.npy'), parseInputs).then((x) => x.rows), null, 'a .npy goes to the server as it is');
  els['inputs-file'].files = [file('bad.csv', '1,2\n3\n')];
  els['inputs-file'].value = 'C:\\fakepath\\bad.csv';
  await els['inputs-file'].dispatch('change');
  assert.deepEqual(said.errors, ['bad.csv: row 2 has 1 numbers, row 1 has 2']);
  assert.equal(els['inputs-file'].value, '', 'so the same file, fixed, can be picked again');
});

test('status and list follow the answers; Clear resets the pickers and is enabled only with a file in memory', async () => {
  const { els, said, control } = fakeControl();
  control.sync({ weights: null, inputs: null });
  assert.equal(els['weights-clear'].disabled, true);
  control.forgotten();
  assert.equal(els['weights-status'].textContent, EXPLAIN.network.forgotten);
  control.showRun({ weights: null, inputs: null, rows: null }, { source: 'seeded' });
  assert.equal(els['weights-status'].textContent, `${EXPLAIN.network.forgotten} Seeded weights: drawn from the seed.`);
  const net = file('net.npz');
  els['weights-file'].files = [net];
  await els['weights-file'].dispatch('change');
  control.sync({ weights: net, inputs: null });
  assert.equal(els['weights-clear'].disabled, false);
  control.showRun({ weights: net, inputs: null, rows: null }, EXPLICIT);
  assert.match(els['weights-status'].textContent, /^Your network from net\.npz\./, 'a pick ends the note about a forgotten file');
  assert.equal(els['weights-recognised'].children.length, 4);
  control.refused();
  assert.equal(els['weights-status'].textContent, EXPLAIN.network.refused);
  assert.equal(els['weights-recognised'].hidden, true);
  els['weights-file'].value = 'C:\\fakepath\\net.npz';
  await els['weights-clear'].click();
  assert.equal(said.clears, 1);
  assert.equal(els['weights-file'].value, '');
});

test('the layer selector shows for a stack only, one option per layer, the state\'s layer chosen', () => {
  const group = fakeDocument.createElement('fieldset');
  const picked = [];
  const selector = buildLayerSelect(group, (v) => picked.push(v));
  const [wrap] = group.children;
  const select = wrap.children[1].children[0];
  assert.equal(select.dataset.testid, 'layer-select');
  selector.sync({ num_layers: 1, layer: 'top' });
  assert.equal(wrap.hidden, true);
  selector.sync({ num_layers: 3, layer: '1' });
  assert.equal(wrap.hidden, false);
  assert.deepEqual(select.children.map((o) => o.value), ['1', '2', 'top']);
  assert.equal(select.value, '1');
  select.value = 'top';
  select.dispatch('change');
  assert.deepEqual(picked, ['top']);
});
