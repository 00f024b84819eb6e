import test from 'node:test';
import assert from 'node:assert/strict';
import {
  canOpen, cellWeights, exampleChanges, exampleFileName, exampleText, trainedChanges, trainedFile, trainedFileName,
} from '../../../frontend/js/explore/trained.js';
import { addEvent, newRun } from '../../../frontend/js/train/runs.js';
import { OPEN_LABEL, summaryItem } from '../../../frontend/js/train/open-views.js';
import { fakeDocument } from '../support/fakedom.mjs';
import { useApiMeta } from '../support/meta.mjs';
import { progress, summary } from '../support/train-fixtures.mjs';

const META = useApiMeta();

const CONFIG = {
  stream: true, return_weights: true, cell: 'lstm', activation: 'tanh', task: 'recall', seq_len: 12, hidden_size: 8, batch_size: 32,
  steps: 40, learning_rate: 0.01, optimizer: 'adam', clip_mode: 'none', clip_threshold: 1, init: 'gaussian', recurrent_scale: 0.9,
  forget_bias: 1, seed: 3, report_every: 5, stop_when_solved: false,
};
const WEIGHTS = {
  weight_ih_l0: [[1, 2]], weight_hh_l0: [[3]], bias_ih_l0: [4], bias_hh_l0: [5], readout_weight: [[6]], readout_bias: [7],
};

function finished(weights = WEIGHTS) {
  const run = newRun('lstm', CONFIG);
  addEvent(run, progress(1, 12));
  addEvent(run, summary(weights ? { weights } : {}));
  return run;
}

test('a lab run opens in the views at its task\'s input size and its sequence length, with the seeded init it started from', () => {
  assert.deepEqual(trainedChanges(CONFIG), {
    cell: 'lstm', activation: 'tanh', hidden_size: 8, init: 'gaussian', recurrent_scale: 0.9, forget_bias: 1, seed: 3,
    num_layers: 1, seq_len: 12, input_size: META.tasks.recall.input_size,
  });
  assert.ok(!('task' in trainedChanges(CONFIG)) && !('steps' in trainedChanges(CONFIG)), 'only what the simulation takes');
});

test('its trained weights become a .json weights file of the cell\'s arrays; the readout stays out', async () => {
  assert.deepEqual(Object.keys(cellWeights(WEIGHTS)), ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0']);
  const file = trainedFile(finished());
  assert.equal(file.name, 'trained-lstm.json');
  assert.deepEqual(JSON.parse(await file.text()), cellWeights(WEIGHTS));
  assert.equal(trainedFileName('clip_mode norm'), 'trained-clip_mode-norm.json');
});

test('only a run that ended with its weights can be opened; its summary line then has the button', async () => {
  assert.equal(canOpen(finished()), true);
  assert.equal(canOpen(finished(null)), false);
  assert.equal(canOpen(newRun('lstm', CONFIG)), false, 'a run still training');
  const opened = [];
  const item = summaryItem(fakeDocument, finished(), (run) => opened.push(run.label));
  const button = item.children.find((c) => typeof c === 'object');
  assert.equal(button.textContent, OPEN_LABEL);
  assert.equal(button.dataset.testid, 'train-open-views');
  await button.click();
  assert.deepEqual(opened, ['lstm']);
  assert.match(item.children[0], /^lstm: not solved in 100 steps/);
  assert.equal(summaryItem(fakeDocument, finished(null), () => {}).children.length, 1, 'no weights: the words alone');
});

test('an example network opens at its own sequence length with generated inputs; its file keeps its name', () => {
  const [example] = META.examples;
  assert.equal(exampleFileName(example), example.url.split('/').pop());
  assert.ok(exampleFileName(example).endsWith('.safetensors'));
  assert.deepEqual(exampleChanges(example), { seq_len: example.seq_len, input_file: false });
  assert.ok(exampleText(example).startsWith(example.description));
});
