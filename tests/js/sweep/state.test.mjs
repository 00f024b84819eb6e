import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { presetDisplay } from '../../../frontend/js/explore/presets.js';
import { controlSpecs } from '../../../frontend/js/lib/schema.js';
import {
  API_PROPERTIES, VIEW_PROPERTIES, defaultState, queryFromState, stateFromQuery,
} from '../../../frontend/js/lib/state.js';
import { SWEEP_PRESETS } from '../../../frontend/js/sweep/presets.js';
import {
  AXIS_RANGES, SWEEP_PREFIX, bodyAxes, criticalMetric, loadChanges, metricOf, pointTotal, sameSweep, sweepApplies, sweepBody,
  sweepChanges, sweepMetrics, sweepSpecs, usesUploads,
} from '../../../frontend/js/sweep/state.js';
import { OPENAPI } from '../support/fixtures.mjs';
import { AXIS_FIELDS, SWEEP_OPENAPI } from '../support/sweep-fixtures.mjs';
import { useApiMeta } from '../support/meta.mjs';

const META = useApiMeta();

const sweep = sweepSpecs(SWEEP_OPENAPI);
const apiSpecs = controlSpecs(SWEEP_OPENAPI, API_PROPERTIES);
const specs = [...apiSpecs, ...VIEW_PROPERTIES, ...sweep];
const spec = (name) => sweep.find((s) => s.name === name);

test('every sweep key is prefixed; fields, bounds and defaults come from Axis and SweepRequest', () => {
  assert.ok(sweep.every((s) => s.name.startsWith(SWEEP_PREFIX)));
  const simNames = new Set(apiSpecs.map((s) => s.name));
  assert.ok(sweep.every((s) => !simNames.has(s.name)));
  assert.deepEqual(spec('sweep_x').values, AXIS_FIELDS, 'the enum of Axis.field');
  assert.deepEqual(spec('sweep_y').values, ['none', ...AXIS_FIELDS], 'or no y axis');
  assert.deepEqual([spec('sweep_x_num').min, spec('sweep_x_num').max, spec('sweep_x_num').kind], [1, 64, 'int']);
  assert.deepEqual([spec('sweep_seeds').min, spec('sweep_seeds').max, spec('sweep_seeds').default], [1, 16, 1]);
  assert.deepEqual([spec('sweep_x_start').kind, spec('sweep_x_log').kind], ['float', 'bool']);
  assert.deepEqual(spec('sweep_metric').values, META.sweep_metrics.map((m) => m.name));
  assert.equal(spec('sweep_metric').default, META.critical_metric, 'the critical metric first');
  assert.deepEqual(sweepSpecs(OPENAPI), [], 'an API without POST /api/sweep: no sweep');
});

test('the metrics and the critical one are GET /api/meta\'s; an unknown name falls back to the first', () => {
  assert.deepEqual(sweepMetrics(), META.sweep_metrics);
  assert.equal(criticalMetric(), META.critical_metric);
  for (const m of META.sweep_metrics) assert.deepEqual(metricOf(m.name), m);
  assert.equal(metricOf('update_gate_mean').cell, 'gru', 'a gate\'s mean only for its cell');
  assert.deepEqual(metricOf('nonsense'), META.sweep_metrics[0]);
});

test('the sweep\'s settings share the URL with the simulation\'s and read back to the same state', () => {
  const state = {
    ...defaultState(specs), seq_len: 80, sweep_x_num: 24, sweep_y: 'forget_bias', sweep_y_start: 0, sweep_y_stop: 4,
    sweep_y_num: 9, sweep_y_log: false, sweep_seeds: 3, sweep_metric: 'memory_horizon',
  };
  const query = queryFromState(state, specs);
  assert.equal(query, '?seq_len=80&sweep_x_num=24&sweep_y=forget_bias&sweep_y_start=0&sweep_y_stop=4&sweep_y_num=9'
    + '&sweep_y_log=false&sweep_seeds=3&sweep_metric=memory_horizon');
  assert.deepEqual(stateFromQuery(query, specs), state);
  assert.equal(queryFromState(defaultState(specs), specs), '', 'the defaults write nothing');
  assert.equal(stateFromQuery('?sweep_x_start=lots', specs).sweep_x_start, 'lots', 'kept as typed for the API to judge');
});

test('the body is the simulation\'s settings as base, the axes and the seeds, streamed', () => {
  const state = { ...defaultState(specs), cell: 'lstm', seq_len: 100, sweep_seeds: 2 };
  const body = sweepBody(state, apiSpecs);
  assert.deepEqual(Object.keys(body.base), apiSpecs.map((s) => s.name), 'every simulation field the page has');
  assert.deepEqual([body.base.cell, body.base.seq_len, body.seeds, body.stream], ['lstm', 100, 2, true]);
  assert.deepEqual(body.x, { field: 'recurrent_scale', start: 0.5, stop: 2, num: 16, log: true });
  assert.ok(!('y' in body), 'no y axis: one line');
  assert.ok(Object.keys(body.base).every((k) => !k.startsWith(SWEEP_PREFIX)), 'page keys are not sent');
  const two = sweepBody({ ...state, sweep_y: 'seq_len' }, apiSpecs);
  assert.deepEqual(two.y, { field: 'seq_len', ...AXIS_RANGES.seq_len });
});

test('the axes a body places points on: integer fields whole, and how many point lines to expect', () => {
  const body = sweepBody({ ...defaultState(specs), sweep_y: 'seq_len', sweep_y_start: 10, sweep_y_stop: 300, sweep_y_num: 4, sweep_seeds: 3 }, apiSpecs);
  const axes = bodyAxes(body, apiSpecs);
  assert.deepEqual(axes.y, { field: 'seq_len', values: [10, 31, 97, 300], log: true });
  assert.equal(axes.x.values.length, 16);
  assert.equal(pointTotal(axes, 3), 16 * 4 * 3);
  assert.equal(pointTotal({ x: axes.x, y: null }, 'two'), 0);
});

test('choosing an axis\'s field starts its range afresh; the y range is dimmed without a y axis', () => {
  assert.deepEqual(sweepChanges('sweep_y', 'forget_bias', apiSpecs), {
    sweep_y: 'forget_bias', sweep_y_start: 0, sweep_y_stop: 4, sweep_y_num: 9, sweep_y_log: false,
  });
  assert.deepEqual(sweepChanges('sweep_y', 'none', apiSpecs), { sweep_y: 'none' });
  assert.deepEqual(sweepChanges('sweep_x_num', 8, apiSpecs), { sweep_x_num: 8 });
  assert.equal(sweepChanges('sweep_x', 'future_field', [{ name: 'future_field', default: 2 }]).sweep_x_stop, 8, 'around its default');
  const state = defaultState(specs);
  assert.equal(sweepApplies(spec('sweep_y_num'), state), false);
  assert.equal(sweepApplies(spec('sweep_y_num'), { ...state, sweep_y: 'seq_len' }), true);
  assert.equal(sweepApplies(spec('sweep_x_num'), state), true);
});

test('loading a point into the views leaves the sweep shown current; other changes do not', () => {
  const state = { ...defaultState(specs), sweep_y: 'seq_len' };
  const body = sweepBody(state, apiSpecs);
  assert.ok(sameSweep(body, sweepBody({ ...state, recurrent_scale: 1.7, seq_len: 31 }, apiSpecs)), 'the swept fields');
  assert.ok(!sameSweep(body, sweepBody({ ...state, hidden_size: 64 }, apiSpecs)));
  assert.ok(!sameSweep(body, sweepBody({ ...state, sweep_seeds: 2 }, apiSpecs)));
});

test('a point loads with the sweep\'s seeded network: an uploaded one is switched off where the page has one', () => {
  const config = { cell: 'rnn', recurrent_scale: 1.5, seed: 0 };
  assert.deepEqual(loadChanges({ cell: 'lstm' }, config), config, 'a page without uploads: the configuration alone');
  const uploaded = { cell: 'lstm', weights: 'file', input_file: true };
  assert.deepEqual(loadChanges(uploaded, config), { weights: 'seeded', input_file: false, ...config });
  assert.deepEqual([usesUploads(uploaded), usesUploads({ weights: 'seeded', input_file: false }), usesUploads({})], [true, false, false]);
});

test('each preset sets only known keys and sweeps a grid the API accepts', () => {
  const known = new Set([...API_PROPERTIES.map((p) => p.name), ...sweepSpecs(SWEEP_OPENAPI).map((s) => s.name)]);
  for (const preset of SWEEP_PRESETS) {
    const unknown = Object.keys(preset.changes).filter((k) => !known.has(k));
    assert.deepEqual(unknown, [], `${preset.id} sets unknown keys`);
    const state = { ...defaultState(specs), ...preset.changes };
    const axes = bodyAxes(sweepBody(state, apiSpecs), apiSpecs);
    assert.ok(axes.x.values.length <= 64 && axes.y.values.length <= 64, preset.id);
    assert.ok(AXIS_FIELDS.includes(state.sweep_x) && AXIS_FIELDS.includes(state.sweep_y), preset.id);
  }
});

test('the lstm preset colours by the memory horizon; picking another preset brings the critical metric back', () => {
  const defaults = defaultState(specs);
  const preset = (id) => SWEEP_PRESETS.find((p) => p.id === id);
  // presetDisplay as the sweep lab applies it on a pick: the preset's metric, else the default (the critical one)
  assert.deepEqual(presetDisplay(preset('sweep-forget'), SWEEP_PRESETS, defaults), { sweep_metric: 'memory_horizon' });
  assert.deepEqual(presetDisplay(preset('sweep-edge'), SWEEP_PRESETS, defaults), { sweep_metric: criticalMetric() });
  assert.ok(metricOf('memory_horizon').name === 'memory_horizon', 'a metric the API has');
  // the docs' words for it (docs/page.md, "Sweep") are the preset's label
  const docs = readFileSync(new URL('../../../docs/page.md', import.meta.url), 'utf8');
  assert.ok(docs.includes(`*${preset('sweep-forget').label}*`), 'docs/page.md names the preset by its label');
  assert.doesNotMatch(docs, /border moves|moves the border/, 'the docs promise a border the metric does not draw');
});
