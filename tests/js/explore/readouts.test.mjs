import test from 'node:test';
import assert from 'node:assert/strict';
import {
  EXPLAIN, bpttNote, clippingText, horizonLine, isTheoryAbsence, networkStatus, spectrumText, theoryReadout, theoryText,
  weightsLines, writeReadouts,
} from '../../../frontend/js/explore/readouts.js';
import { useApiMeta } from '../support/meta.mjs';
import { exportedNames, pageSources } from '../support/sources.mjs';

/** A run as the API answers it, with only what the readouts read. */
function run(cell, horizon, extra = {}) {
  return { config: { cell, seq_len: 50, forget_bias: 0, ...extra.config }, memory_horizon: horizon, ...extra.fields };
}

test('the memory horizon in one line, per cell when comparing', () => {
  assert.equal(horizonLine({ rnn: run('rnn', 12) }), 'Memory horizon: 12 steps');
  assert.equal(horizonLine({ gru: run('gru', null) }), 'Memory horizon: beyond the sequence (all 50 steps)');
  const line = horizonLine({ rnn: run('rnn', 47), lstm: run('lstm', 50), gru: run('gru', null) });
  assert.equal(line, 'Memory horizon: rnn 47 steps · lstm 50 steps · gru beyond the sequence (all 50 steps)');
});

test('clipping readout: off, parameters scope with its scale, bptt scope with its clipped steps', () => {
  assert.match(clippingText({ mode: 'none' }), /Clipping is off/);
  assert.equal(
    clippingText({ mode: 'norm', scope: 'parameters', threshold: 1, total_norm: 4, total_norm_log10: Math.log10(4), clipped_total_norm: 1, scale: 0.25 }),
    'Global gradient norm 4.00e+0 before, 1.00e+0 after clipping by norm at 1, scale ×0.250.',
  );
  assert.match(clippingText({ mode: 'value', scope: 'bptt', threshold: 0.5, clipped_steps: 7, total_norm_log10: 400 }), /7 of the steps were clipped; parameter gradient norm 1\.00e\+400/);
});

test('spectrum readout names every gate block', () => {
  assert.equal(spectrumText({ spectral_radius: 0.9, max_singular_value: 1 }), 'Spectral radius ρ = 0.9000 · largest singular value σ_max = 1.000');
  const text = spectrumText({
    spectral_radius: 1.2, max_singular_value: null, blocks: { r: { spectral_radius: 1, max_singular_value: 2 } },
  });
  assert.equal(text, 'Spectral radius ρ = 1.200 · largest singular value σ_max = beyond float64 (per block: r: ρ 1.000, σ 2.000)');
});

test('every readout is written into its hook', () => {
  const hooks = Object.fromEntries(['horizon', 'spectrum', 'clipping', 'explainUnrolled', 'explainGates', 'explainDepth'].map((k) => [k, { textContent: '' }]));
  writeReadouts(hooks, { lstm: run('lstm', 16, { fields: { spectrum: { spectral_radius: 1, max_singular_value: 1 } } }) }, { cell: 'lstm' });
  assert.equal(hooks.horizon.textContent, 'Memory horizon: 16 steps');
  assert.match(hooks.spectrum.textContent, /^Spectral radius ρ = 1\.000/);
  assert.match(hooks.clipping.textContent, /Clipping is off/);
  assert.equal(hooks.explainUnrolled.textContent, EXPLAIN.unrolled.lstm);
  assert.equal(hooks.explainGates.textContent, EXPLAIN.gates.lstm);
  assert.equal(hooks.explainDepth.textContent, EXPLAIN.depth);
  writeReadouts(hooks, { rnn: run('rnn', 47), lstm: run('lstm', 50), gru: run('gru', 21) }, { cell: 'rnn', compare: true });
  assert.equal(hooks.explainUnrolled.textContent, EXPLAIN.unrolled.compare);
  assert.equal(hooks.explainGates.textContent, EXPLAIN.gates.compare, 'comparing, the gates view shows the lstm and the gru');
  writeReadouts(hooks, { rnn: run('rnn', 3) }, { cell: 'rnn' });
  assert.equal(hooks.explainUnrolled.textContent, EXPLAIN.unrolled.single);
  assert.equal(hooks.explainGates.textContent, EXPLAIN.gates.rnn);
});

test('views.js only shapes chart data: the words about a run come from readouts.js alone', () => {
  const sources = pageSources();
  const words = exportedNames(sources['explore/readouts.js']);
  for (const [path, source] of Object.entries(sources)) {
    if (path === 'explore/readouts.js') continue;
    const twins = exportedNames(source).filter((n) => words.includes(n));
    assert.deepEqual(twins, [], `${path} exports its own ${twins.join(', ')}`);
  }
  assert.doesNotMatch(sources['explore/views.js'], /textContent|innerText|EXPLAIN|horizonLine|clippingText|spectrumText/, 'views.js writes words into the page');
});

/** Compare-mode runs as the defaults give them: forget_bias 0, the lstm's f near 0.5, its horizon short. */
function defaultCompare({ lstmHorizon = 16, rnnHorizon = 47, bias = 0, f = [[0.48, 0.5], [0.49, null]] } = {}) {
  return {
    rnn: run('rnn', rnnHorizon),
    lstm: run('lstm', lstmHorizon, { config: { forget_bias: bias }, fields: { gates: { f } } }),
    gru: run('gru', 21),
  };
}

test('comparing, a short lstm horizon is put down to the forget-gate bias in one sentence', () => {
  const line = horizonLine(defaultCompare());
  assert.equal(
    line,
    'Memory horizon: rnn 47 steps · lstm 16 steps · gru 21 steps. The lstm forgets sooner than the rnn here because '
    + "a forget-gate bias of 0 (PyTorch's default) keeps its forget gate f at about 0.49 on average, and every step "
    + 'back along the cell path multiplies dL/dc_t by f; raise the Forget-gate bias (forget_bias) to 1–3 to hold f '
    + 'near 1 and open the cell path.',
  );
  assert.equal(line.split('. ').length, 2, 'the horizons, then one sentence');
  assert.match(horizonLine(defaultCompare({ bias: 0.5, rnnHorizon: null })), /a forget-gate bias of 0\.5 keeps its forget gate f at about 0\.49/);
  assert.match(horizonLine(defaultCompare({ f: [[null]] })), /keeps its forget gate f well below 1,/);
});

test('no forget-gate sentence when the lstm keeps up, its bias is already high, or there is nothing to compare', () => {
  const plain = 'Memory horizon: rnn 47 steps · lstm 16 steps · gru 21 steps';
  assert.equal(horizonLine(defaultCompare({ bias: 3 })), plain);
  assert.equal(horizonLine(defaultCompare({ bias: 1 })), plain);
  assert.equal(horizonLine(defaultCompare({ lstmHorizon: 47 })), plain.replace('lstm 16', 'lstm 47'));
  assert.doesNotMatch(horizonLine(defaultCompare({ lstmHorizon: null })), /forgets/);
  assert.doesNotMatch(horizonLine(defaultCompare({ lstmHorizon: null, rnnHorizon: null })), /forgets/);
  assert.equal(horizonLine({ lstm: run('lstm', 16) }), 'Memory horizon: 16 steps');
});

test('a stack\'s horizon names the layer shown; the network status says which files the views show', () => {
  assert.equal(horizonLine({ gru: run('gru', 7) }, 'layer 1 of 3'), 'Memory horizon (layer 1 of 3): 7 steps');
  const net = { name: 'net.npz' };
  const x = { name: 'x.csv' };
  assert.equal(networkStatus({ weights: null, inputs: null, rows: null }), 'Seeded weights: drawn from the seed.');
  assert.equal(networkStatus({ weights: null, inputs: x, rows: [[1, 2], [3, 4], [5, 6]] }), 'Seeded weights, inputs from x.csv (3 x 2).');
  assert.equal(networkStatus({ weights: net, inputs: { name: 'x.npy' }, rows: null }), 'Your network from net.npz, inputs from x.npy. The server used these arrays:');
});

test('the recognised lines come from the answer\'s weights field alone, and say nothing for seeded weights', () => {
  assert.deepEqual(weightsLines({ source: 'seeded', recognised: {}, ignored: [], notes: [] }), []);
  assert.deepEqual(weightsLines(undefined), []);
  assert.deepEqual(weightsLines({ source: 'explicit', recognised: { kernel: 'weight_ih_l0' }, ignored: ['step'], notes: ['n'] }), [
    { kind: 'used', text: 'kernel → weight_ih_l0' }, { kind: 'ignored', text: 'step: not used' }, { kind: 'note', text: 'n' },
  ]);
});

// ---- theory beside the measurement (docs/theory.md) -----------------------------------------------------------

/** A seeded rnn whose measured log10 |dL/dh_t| falls by `measured` a step back, with the API's theory items. */
function theoryRun({ measured = 0.0253, decay = -0.0255, loss = 'last', T = 50 } = {}) {
  const log10 = Array.from({ length: T }, (_, k) => -measured * (T - 1 - k));
  return run('rnn', null, {
    config: { loss, seq_len: T },
    fields: {
      grad_h_log10_norm: log10,
      theory: {
        bound: { sigma_max: 1, log10_norm: Array(T).fill(0.5) },
        mean_field: { chi: 10 ** (2 * decay), critical_scale: 1.3515517, decay_per_step: decay, log10_norm: log10.map((_, k) => decay * (T - 1 - k)) },
        cell_path: null,
      },
    },
  });
}

test('the theory readout: the measured decay per step back against the mean field\'s, and the gap below the bound', () => {
  useApiMeta();
  const text = theoryText(theoryRun());
  assert.match(text, /^measured decay 0\.0253 per step back \(log10 \|dL\/dh_t\|, least squares over t = 5\.\.45\); mean-field predicts decay 0\.0255 /);
  assert.match(text, /chi = 0\.8892, edge of chaos at s\* = 1\.352/);
  // at step 1 the measurement is -0.0253 * 49 = -1.2397, the bound 0.5: 1.74 orders of magnitude below
  assert.match(text, /\|dL\/dh_1\| is 1\.74 orders of magnitude below Pascanu's bound at step 1/);
  const growing = theoryText(theoryRun({ measured: -0.0657, decay: 0.0667 }));
  assert.match(growing, /measured growth 0\.0657 per step back .*mean-field predicts growth 0\.0667/);
});

test('the readout follows the cell: the direct path for a gated cell, per cell when comparing, nothing when off', () => {
  useApiMeta();
  const T = 4;
  const lstm = run('lstm', null, {
    config: { seq_len: T },
    fields: {
      grad_h_log10_norm: [-2, -1.5, -1, -0.5], grad_c_log10_norm: [-1.25, -1, -0.5, 0],
      theory: { bound: null, mean_field: null, cell_path: { log10_norm: [-2.5, -1.5, -0.75, 0] } },
    },
  });
  const text = theoryText(lstm);
  assert.match(text, /the direct path through f alone carries log10 \|dL\/dc_1\| = -2\.500 of the measured -1\.250/);
  assert.doesNotMatch(text, /mean-field|Pascanu/);
  const compared = theoryReadout({ rnn: theoryRun(), lstm }, { theory: 'on' });
  assert.match(compared, /^Theory: rnn: measured decay .*\. lstm: measured .*direct path through f/);
  assert.equal(theoryReadout({ rnn: theoryRun() }, { theory: 'off' }), '');
  assert.equal(theoryReadout({ rnn: run('rnn', 3) }, { theory: 'on' }), '', 'an answer without theory');
});

test('the readout is written under the norm view, hidden when empty', () => {
  useApiMeta();
  const hooks = Object.fromEntries(['horizon', 'spectrum', 'clipping', 'explainUnrolled', 'explainGates', 'explainDepth', 'explainTheory']
    .map((k) => [k, { textContent: '', hidden: false }]));
  writeReadouts(hooks, { rnn: theoryRun() }, { cell: 'rnn', theory: 'on' });
  assert.match(hooks.explainTheory.textContent, /mean-field predicts decay 0\.0255/);
  assert.equal(hooks.explainTheory.hidden, false);
  writeReadouts(hooks, { rnn: theoryRun() }, { cell: 'rnn', theory: 'off' });
  assert.equal(hooks.explainTheory.hidden, true);
});

test('an item that does not apply stays out of the page\'s warnings; other theory warnings stay in', () => {
  assert.ok(isTheoryAbsence('theory.cell_path is null: a plain rnn has no gated direct path'));
  assert.ok(!isTheoryAbsence('theory.bound.log10_norm is null at steps 1-3: the value there is exactly zero'));
  assert.ok(!isTheoryAbsence('grad_h_norm is null at steps 1-3: beyond float64'));
});

// The Clipping rescues preset (linear rnn, s = 1.2, T = 200, norm 1 in the bptt scope): every dL/dh_t is capped at
// 1, yet weight_hh's gradient is 2.4e16 after clipping, since a weight's gradient multiplies dL/da_t by h_(t-1)
// and the forward states grow as 1.2^t. The numbers are the API's for that preset.
const BPTT = {
  mode: 'norm', scope: 'bptt', threshold: 1, scale: null, clipped_steps: 199,
  total_norm_log10: 17.64360695723749, total_norm: 4.401563353725588e+17, clipped_total_norm: 2.430270825605474e+16,
};
const BPTT_AFTER = { weight_ih: 22.02, weight_hh: 2.430270825605474e+16, bias_ih: 2.34, bias_hh: 2.34 };
const PRESET = { cell: 'rnn', activation: 'linear', init: 'orthogonal', recurrent_scale: 1.2 };

test('bptt clipping that leaves a weight gradient above the threshold says why, naming the largest', () => {
  const text = clippingText(BPTT, BPTT_AFTER, PRESET);
  assert.match(text, /parameter gradient norm 4\.40e\+17 without clipping, 2\.43e\+16 with it\./);
  assert.match(text, /The gradients stay above 1 \(weight_hh's is 2\.43e\+16\) because clipping in the bptt scope bounds the backward flow dL\/dh_t, not the weight gradients/);
  assert.match(text, /dL\/da_t times its step's input .*\(h_\(t-1\) for weight_hh\)/);
  assert.match(text, /which in this linear rnn grow by s = 1\.2 at every step/);
  assert.match(text, /clip the parameters \(Clip what: parameters\)/);
  // another network: the why without the linear rnn's growth
  assert.doesNotMatch(clippingText(BPTT, BPTT_AFTER, { ...PRESET, activation: 'tanh' }), /linear rnn/);
});

test('bptt clipping says nothing more when the gradients end under the threshold, and parameters scope never', () => {
  const under = clippingText({ ...BPTT, clipped_total_norm: 0.8 }, { weight_hh: 0.7 }, PRESET);
  assert.doesNotMatch(under, /stay above|bounds the backward flow/);
  assert.equal(bpttNote({ ...BPTT, scope: 'parameters' }, BPTT_AFTER, PRESET), '');
  assert.equal(bpttNote({ ...BPTT, mode: 'none' }, BPTT_AFTER, PRESET), '');
});

test('the page\'s clipping readout passes the gradients after clipping and the config to clippingText', () => {
  const hooks = Object.fromEntries(['horizon', 'spectrum', 'clipping', 'explainUnrolled', 'explainGates', 'explainDepth'].map((k) => [k, { textContent: '' }]));
  const run = {
    config: { ...PRESET, seq_len: 200, num_layers: 1 }, memory_horizon: null, spectrum: null,
    clipping: BPTT, clipped_param_grad_norms: BPTT_AFTER,
  };
  writeReadouts(hooks, { rnn: run }, { cell: 'rnn', compare: false, layer: 'top' });
  assert.match(hooks.clipping.textContent, /weight_hh's is 2\.43e\+16\) because clipping in the bptt scope/);
});
