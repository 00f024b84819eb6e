import test from 'node:test';
import assert from 'node:assert/strict';
import { writeReadouts } from '../../../frontend/js/explore/readouts.js';
import { drawAll } from '../../../frontend/js/explore/views.js';
import '../support/plotly-stub.mjs';
import { useApiMeta } from '../support/meta.mjs';
import { simRuns, viewHooks } from '../support/sim-fixtures.mjs';

const META = useApiMeta();
globalThis.window = { innerHeight: 1000 };
const STATE = { palette: 'Viridis', layer: 'top', yscale: 'log', zscale: 'shared' };
const titles = (div) => (div.layout.annotations || []).map((a) => a.text);

// Comparing, the unrolled, norms and gates views show every cell, but the eigenvalues and the flow matrix show
// the one network Cell picks: a newcomer could not tell which.
test('comparing, the spectrum and the flow matrix say which cell they show: the one Cell picks', async () => {
  for (const cell of Object.keys(META.cells)) {
    const hooks = viewHooks();
    await drawAll(hooks, simRuns(META, Object.keys(META.cells)), { ...STATE, cell, compare: true });
    for (const view of ['spectrum', 'flow']) {
      assert.deepEqual(titles(hooks[view]), [`showing the ${cell} (chosen under Cell)`], `${view} with Cell = ${cell}`);
      assert.ok(hooks[view].layout.margin.t >= 30, `${view}: room above the plot for the title`);
    }
  }
});

test('one cell shown: the spectrum and the flow matrix need no title', async () => {
  const hooks = viewHooks();
  await drawAll(hooks, simRuns(META, ['gru']), { ...STATE, cell: 'gru', compare: false });
  assert.deepEqual([titles(hooks.spectrum), titles(hooks.flow)], [[], []]);
});

test('comparing, the spectrum readout names its cell too', () => {
  const hooks = Object.fromEntries(['horizon', 'spectrum', 'clipping', 'explainUnrolled', 'explainGates', 'explainDepth'].map((k) => [k, { textContent: '' }]));
  writeReadouts(hooks, simRuns(META, Object.keys(META.cells)), { ...STATE, cell: 'gru', compare: true });
  assert.match(hooks.spectrum.textContent, /^gru: Spectral radius ρ = /);
  writeReadouts(hooks, simRuns(META, ['gru']), { ...STATE, cell: 'gru', compare: false });
  assert.match(hooks.spectrum.textContent, /^Spectral radius ρ = /);
});

test('only the views asked for are drawn; a deferred flow matrix draws its note; each drawn view is reported', async () => {
  const hooks = viewHooks();
  const reported = [];
  await drawAll(hooks, simRuns(META, ['lstm']), { ...STATE, cell: 'lstm', compare: false }, {
    views: ['norms', 'flow', 'depth'], deferred: ['flow'], onViewDrawn: (v) => reported.push(v),
  });
  assert.deepEqual(reported.sort(), ['depth', 'flow', 'norms'], 'the depth view of one layer has nothing to draw: done as it is');
  assert.ok(hooks.norms.data && !hooks.unrolled.data && !hooks.gates.data, 'the others are left as they were');
  assert.deepEqual(hooks.flow.data, []);
  assert.match(hooks.flow.layout.annotations[0].text.replace(/<br>/g, ' '), /computed when this view comes into sight/);
});
