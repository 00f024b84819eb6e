// The theory lines the charts draw (docs/theory.md): dashed, named from theme.json's theory_labels, coloured from
// its colours.theory (or the cell's colour when comparing), and only where the data says they apply.
import test from 'node:test';
import assert from 'node:assert/strict';
import { drawNorms, theoryName, theoryTraces } from '../../../frontend/js/charts/norms.js';
import { criticalCircle, drawSpectrum } from '../../../frontend/js/charts/spectrum.js';
import { drawSweep, predictedTraces } from '../../../frontend/js/charts/sweep.js';
import { criticalScale, theoryLines } from '../../../frontend/js/explore/views.js';
import { drawn } from '../support/plotly-stub.mjs';
import { themeFromDisk, useApiMeta } from '../support/meta.mjs';

useApiMeta();
const THEME = themeFromDisk();
const L = THEME.theory_labels;
const C = THEME.colours;

const BOUND = { kind: 'bound', log10: [0, 0, 0] };
const MEAN = { kind: 'mean_field', log10: [-0.2, -0.1, 0], chi: 0.7377280415581273 };
const PATH = { kind: 'cell_path', log10: [-2, 400, 0], gate: 'f' };

test('each theory line is dashed and named as the theme says, with chi or the gate', () => {
  const traces = theoryTraces([BOUND, MEAN, PATH], true);
  assert.deepEqual(traces.map((t) => t.name), [L.bound, `${L.mean_field} (chi = 0.738)`, `${L.cell_path} f`]);
  assert.deepEqual(traces.map((t) => t.line.color), [C.theory.bound, C.theory.mean_field, C.theory.cell_path]);
  for (const t of traces) {
    assert.ok(t.line.dash && t.line.dash !== 'solid', `${t.name} is dashed`);
    assert.deepEqual(t.x, [1, 2, 3]);
  }
  assert.equal(new Set(traces.map((t) => t.line.dash)).size, 3, 'three dashes, told apart when they share a colour');
  assert.deepEqual(traces[1].y, MEAN.log10, 'the log setting draws the log10 values');
});

test('comparing, each line names its cell and takes its colour', () => {
  const [t] = theoryTraces([{ ...MEAN, cell: 'rnn' }], true);
  assert.equal(t.name, `rnn: ${L.mean_field} (chi = 0.738)`);
  assert.equal(t.line.color, C.cells.rnn);
  assert.equal(theoryName({ ...PATH, gate: 'z', cell: 'gru' }), `gru: ${L.cell_path} z`);
});

test('on the linear setting the norms are drawn and a value past float64 is left out', () => {
  const [t] = theoryTraces([PATH], false);
  assert.equal(t.y[0], 1e-2);
  assert.equal(t.y[1], null);
  assert.equal(t.y[2], 1);
});

test('drawNorms adds the theory lines after the measurement, and none without them', async () => {
  const series = [{ label: '|dL/dh_t| (rnn)', quantity: '|dL/dh_t|', colour: C.cells.rnn, norm: [0.5, 0.8, 1], log10: [-0.3, -0.1, 0] }];
  const opts = { yscale: 'log', uirevision: 'n', filename: 'f' };
  const plain = await drawn(drawNorms, series, opts);
  assert.ok(!plain.data.some((t) => t.name === L.bound));
  const div = await drawn(drawNorms, series, { ...opts, theory: [BOUND, MEAN] });
  assert.deepEqual(div.data.slice(-2).map((t) => t.name), [L.bound, `${L.mean_field} (chi = 0.738)`]);
});

test('theoryLines reads each run\'s theory: bound and mean field for the rnn, the carrying gate\'s path for a gated cell', () => {
  const rnn = { config: { cell: 'rnn' }, theory: { bound: { log10_norm: [0] }, mean_field: { log10_norm: [-1], chi: 0.5 }, cell_path: null } };
  const lstm = { config: { cell: 'lstm' }, theory: { bound: null, mean_field: null, cell_path: { log10_norm: [-2] } } };
  const gru = { config: { cell: 'gru' }, theory: { bound: null, mean_field: null, cell_path: { log10_norm: [-3] } } };
  assert.deepEqual(theoryLines({ rnn }, { theory: 'on' }), [
    { kind: 'bound', log10: [0], cell: undefined }, { kind: 'mean_field', log10: [-1], chi: 0.5, cell: undefined },
  ]);
  assert.deepEqual(theoryLines({ lstm }, { theory: 'on' }), [{ kind: 'cell_path', log10: [-2], gate: 'f', cell: undefined }]);
  const compared = theoryLines({ rnn, lstm, gru }, { theory: 'on' });
  assert.deepEqual(compared.map((l) => [l.cell, l.kind, l.gate]), [
    ['rnn', 'bound', undefined], ['rnn', 'mean_field', undefined], ['lstm', 'cell_path', 'f'], ['gru', 'cell_path', 'z'],
  ]);
  assert.deepEqual(theoryLines({ rnn, lstm }, { theory: 'off' }), []);
  assert.deepEqual(theoryLines({ rnn: { config: { cell: 'rnn' } } }, { theory: 'on' }), [], 'an answer without theory');
});

test('the spectrum circles s* (dashed, labelled) when the mean field applies and theory is on', async () => {
  const run = { theory: { mean_field: { critical_scale: 1.35155 } } };
  assert.equal(criticalScale(run, { theory: 'on' }), 1.35155);
  assert.equal(criticalScale(run, { theory: 'off' }), null);
  assert.equal(criticalScale({ theory: { mean_field: null } }, { theory: 'on' }), null);
  const [circle] = criticalCircle(1.35155);
  assert.equal(circle.name, `${L.critical_scale} = 1.352`);
  assert.equal(circle.line.dash, 'dash');
  assert.equal(circle.line.color, C.theory.critical_scale);
  const radii = circle.x.map((x, k) => Math.hypot(x, circle.y[k]));
  assert.ok(radii.every((r) => Math.abs(r - 1.35155) < 1e-12));
  assert.deepEqual(criticalCircle(null), []);
  const spectrum = { spectral_radius: 1, max_singular_value: 1, eigenvalues: [[1, 0]] };
  const div = await drawn(drawSpectrum, spectrum, { cell: 'rnn', critical: 2, uirevision: 's', filename: 'f' });
  assert.ok(div.data.some((t) => t.name === `${L.critical_scale} = 2.000`));
  assert.ok(div.layout.xaxis.range[1] >= 2.2, 'the circle fits');
  const none = await drawn(drawSpectrum, spectrum, { cell: 'rnn', critical: null, uirevision: 's', filename: 'f' });
  assert.ok(!none.data.some((t) => t.name?.startsWith(L.critical_scale)));
});

const X = { field: 'recurrent_scale', values: [0.5, 1, 2], log: true };
const Y = { field: 'hidden_size', values: [8, 64], log: true };

test('the sweep draws s* against the y axis over the heatmap, dashed', () => {
  const [t] = predictedTraces({ x: X, y: Y, predicted: [1.2, 1.1] });
  assert.equal(t.name, L.critical_line);
  assert.deepEqual([t.x, t.y], [[1.2, 1.1], [8, 64]]);
  assert.equal(t.line.dash, 'dash');
  assert.equal(t.line.color, C.sweep.predicted);
});

test('without a y axis the predicted s* is a vertical line across the metric\'s range; none without a prediction', () => {
  const data = { x: X, y: null, predicted: [1.35], mean: [[-3, 0, 4]], min: [[-4, -1, 3]], max: [[-2, 1, 5]] };
  const [t] = predictedTraces(data);
  assert.deepEqual([t.x, t.y], [[1.35, 1.35], [-4, 5]]);
  assert.deepEqual(predictedTraces({ ...data, predicted: null }), []);
  assert.deepEqual(predictedTraces({ ...data, mean: [[null]], min: [[null]], max: [[null]] }), [], 'nothing measured yet');
  assert.deepEqual(predictedTraces({ ...data, x: { ...X, field: 'seq_len' } }), [], 's* is a recurrent scale');
});

test('drawSweep adds the predicted line to the measured diagram', async () => {
  const rows = (v) => [v, v];
  const data = {
    x: X, y: Y, label: 'log10 |dL/dh_1|', critical: 'the line at 0', predicted: [1.2, 1.1],
    mean: rows([-3, 0, 4]), min: rows([-3, 0, 4]), max: rows([-3, 0, 4]), count: rows([1, 1, 1]),
  };
  const opts = { palette: 'Viridis', diverging: true, note: '', revision: 1, uirevision: 'u', filename: 'f' };
  const div = await drawn(drawSweep, data, opts);
  assert.deepEqual(div.data.map((t) => t.type), ['heatmap', 'contour', 'scatter']);
  assert.equal(div.data[2].name, L.critical_line);
  const empty = await drawn(drawSweep, data, { ...opts, note: 'nothing yet' });
  assert.deepEqual(empty.data, []);
});

test('the predicted line takes no hover, so a click on a cell under it still loads that cell', () => {
  const [t] = predictedTraces({ x: X, y: Y, predicted: [1.2, 1.1] });
  assert.equal(t.hoverinfo, 'skip');
});
