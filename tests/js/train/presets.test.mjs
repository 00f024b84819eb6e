import test from 'node:test';
import assert from 'node:assert/strict';
import { buildPresets } from '../../../frontend/js/widgets/preset-buttons.js';
import { applyPreset, matchingPreset, presetDisplay } from '../../../frontend/js/explore/presets.js';
import { defaultState } from '../../../frontend/js/lib/state.js';
import { TRAIN_PRESETS } from '../../../frontend/js/train/presets.js';
import { addEvent, newRun } from '../../../frontend/js/train/runs.js';
import { trainRequests, trainSpecs } from '../../../frontend/js/train/state.js';
import { drawTrainViews } from '../../../frontend/js/train/views.js';
import { fakeDocument } from '../support/fakedom.mjs';
import { useApiMeta } from '../support/meta.mjs';
import '../support/plotly-stub.mjs';
import { TRAIN_OPENAPI, progress } from '../support/train-fixtures.mjs';

useApiMeta();

const specs = trainSpecs(TRAIN_OPENAPI);
const names = specs.map((s) => s.name);
const defaults = defaultState(specs);
const bodies = (id) => trainRequests(applyPreset(TRAIN_PRESETS.find((p) => p.id === id), defaults, defaults, names), specs).map((r) => r.body);

test('every preset names only lab keys, and says in words what it shows', () => {
  for (const p of TRAIN_PRESETS) {
    for (const name of Object.keys(p.changes)) assert.ok(names.includes(name), `${p.id}: ${name}`);
    assert.ok(p.summary.length > 80, p.id);
  }
});

test('"Clipping rescues": the same SGD-trained tanh rnn, without clipping and clipped by norm at 1', () => {
  const [a, b] = bodies('train-clipping');
  assert.deepEqual([a.clip_mode, b.clip_mode], ['none', 'norm']);
  const same = {
    cell: 'rnn', activation: 'tanh', task: 'adding', hidden_size: 32, seq_len: 20, batch_size: 32, init: 'orthogonal',
    recurrent_scale: 1.5, optimizer: 'sgd', learning_rate: 0.1, steps: 2000, report_every: 20, clip_threshold: 1,
  };
  for (const body of [a, b]) assert.deepEqual(Object.fromEntries(Object.keys(same).map((k) => [k, body[k]])), same);
});

test('"Gating beats vanishing": rnn, lstm and gru on adding at T = 30 with Adam, stopping when solved', () => {
  const runs = bodies('train-gating');
  assert.deepEqual(runs.map((b) => b.cell), ['rnn', 'lstm', 'gru']);
  for (const b of runs) {
    assert.deepEqual(
      [b.task, b.seq_len, b.hidden_size, b.batch_size, b.optimizer, b.learning_rate, b.forget_bias, b.steps, b.report_every, b.stop_when_solved],
      ['adding', 30, 32, 32, 'adam', 0.01, 1, 1000, 20, true],
    );
  }
});

test('a preset\'s button is pressed while the state equals it, its list of values included', () => {
  const holder = fakeDocument.createElement('div');
  const summary = fakeDocument.createElement('p');
  const picked = [];
  const bar = buildPresets({
    holder, summary, defaults, apiNames: names, presets: TRAIN_PRESETS, current: () => defaults, onPick: (next) => picked.push(next),
  });
  assert.deepEqual(holder.children.map((b) => b.dataset.testid), ['preset-train-clipping', 'preset-train-gating']);
  const gating = applyPreset(TRAIN_PRESETS[1], defaults, defaults, names);
  bar.sync({ ...gating, train_values: [] }); // an equal list, not the same one (as read from a URL)
  assert.deepEqual(holder.children.map((b) => b.getAttribute('aria-pressed')), ['false', 'true']);
  assert.equal(summary.textContent, TRAIN_PRESETS[1].summary);
  assert.equal(matchingPreset({ ...gating, train_values: ['rnn', 'lstm'] }, defaults, names, TRAIN_PRESETS), null);
});

// "Clipping rescues" trains an unclipped run whose gradient reaches 1e140 next to a clipped one within a few
// decades of 1: on one shared colour scale the clipped run's flow chart was a single flat colour.
test('"Clipping rescues" draws each run\'s gradient flow on its own colour scale, and each resolves its run', async () => {
  const holder = fakeDocument.createElement('div');
  const picked = [];
  buildPresets({
    holder, summary: fakeDocument.createElement('p'), defaults, apiNames: names, presets: TRAIN_PRESETS, current: () => defaults,
    onPick: (next, preset) => picked.push({ ...next, ...presetDisplay(preset, TRAIN_PRESETS, defaults) }),
  });
  await holder.children.find((b) => b.dataset.preset === 'train-clipping').click();
  await holder.children.find((b) => b.dataset.preset === 'train-gating').click();
  const [clipping, gating] = picked;
  assert.equal(clipping.train_zscale, 'panel');
  assert.equal(gating.train_zscale, 'shared', 'the next preset has the shared scale back, to compare its cells');

  const T = 20;
  const profile = (top, bottom) => Array.from({ length: T }, (_, t) => bottom + ((top - bottom) * t) / (T - 1));
  const run = (label, mode, profiles) => {
    const r = newRun(label, { task: 'adding', steps: 400, seq_len: T, clip_mode: mode, clip_threshold: 1, cell: 'rnn' });
    profiles.forEach((p, k) => addEvent(r, progress(20 * (k + 1), T, { grad_h_log10_norm: p })));
    return r;
  };
  const runs = [
    run('clip_mode none', 'none', [profile(0, -3), profile(1, 60), profile(2, 140)]),
    run('clip_mode norm', 'norm', [profile(0, -3), profile(0, -2.5), profile(0.5, -2)]),
  ];
  const hooks = { loss: {}, grad: {}, flow: {}, memory: {} };
  await drawTrainViews(hooks, runs, { palette: 'Viridis', ...clipping }, 1);
  for (const trace of hooks.flow.data) {
    const values = trace.z.flat().filter((v) => typeof v === 'number');
    const [lo, hi] = [Math.min(...values), Math.max(...values)];
    const scale = trace.coloraxis ? hooks.flow.layout[trace.coloraxis] : { cmin: trace.zmin, cmax: trace.zmax };
    const [cmin, cmax] = [scale.cmin ?? scale.zmin, scale.cmax ?? scale.zmax];
    assert.ok(cmax > cmin, `${trace.name}: a colour range`);
    assert.ok((hi - lo) / (cmax - cmin) > 0.9, `${trace.name}: its values ${lo}..${hi} use a sliver of its colour range ${cmin}..${cmax}`);
  }
});
