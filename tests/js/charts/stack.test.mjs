// On a phone (390 px wide) a chart of several panels side by side could not be read: in the lstm's gates and
// unrolled views the titles ran into each other ("log10|dL/dtstm: forget gate f"), the time axes' titles ran
// together ("timestep ttimestep t") and the colour bars collided. Narrow, each chart stacks its panels one per
// row, each row with its own title, time axis and unit axis, and puts each colour bar beside one row.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { drawClipping } from '../../../frontend/js/charts/clipping.js';
import { NARROW_PX, STACK, stackRows } from '../../../frontend/js/charts/common.js';
import { drawGates } from '../../../frontend/js/charts/gates.js';
import { drawTrainFlow } from '../../../frontend/js/charts/train-flow.js';
import { drawUnrolled } from '../../../frontend/js/charts/unrolled.js';
import { drawn } from '../support/plotly-stub.mjs';
import { themeFromDisk, useApiMeta } from '../support/meta.mjs';

const META = useApiMeta();
const LABELS = themeFromDisk().views;
const T = 30;
const H = 4;
const grid = (f) => Array.from({ length: T }, (_, t) => Array.from({ length: H }, (_, u) => f(t, u)));

/** Each row of a drawn chart: its y axis (by key) with its domain, top row first. */
function rows(layout, keys) {
  return keys.map((key) => ({ key, domain: layout[key].domain })).sort((a, b) => b.domain[1] - a.domain[1]);
}

/** The rows do not overlap, and between two rows there are at least `px` pixels of the chart's plot area. */
function assertStacked(layout, keys, px) {
  const inner = layout.height - layout.margin.t - layout.margin.b;
  const sorted = rows(layout, keys);
  for (let k = 1; k < sorted.length; k += 1) {
    const gap = (sorted[k - 1].domain[0] - sorted[k].domain[1]) * inner;
    assert.ok(gap >= px - 1e-6, `${sorted[k - 1].key} and ${sorted[k].key} are ${gap.toFixed(1)} px apart, under ${px}`);
  }
}

const yAxisKeys = (layout) => Object.keys(layout).filter((k) => /^yaxis\d*$/.test(k));
const xAxisKeys = (layout) => Object.keys(layout).filter((k) => /^xaxis\d*$/.test(k));

test('stackRows: rows top first, the given gaps between them, the margins around', () => {
  const { height, domains } = stackRows([100, 50], [30]);
  assert.equal(height, STACK.top + 180 + STACK.bottom);
  assert.deepEqual(domains, [[80 / 180, 1], [0, 50 / 180]]);
  assert.deepEqual(stackRows([10, 10, 10]).domains.map((d) => d.map((v) => Math.round(v * 1000))), [
    [Math.round(((20 + 2 * STACK.gap) / (30 + 2 * STACK.gap)) * 1000), 1000],
    [Math.round(((10 + STACK.gap) / (30 + 2 * STACK.gap)) * 1000), Math.round(((20 + STACK.gap) / (30 + 2 * STACK.gap)) * 1000)],
    [0, Math.round((10 / (30 + 2 * STACK.gap)) * 1000)],
  ]);
});

test('the phone width is one number: css/style.css\'s phone rules start at the width the charts stack at', () => {
  const css = readFileSync(new URL('../../../frontend/css/style.css', import.meta.url), 'utf8');
  assert.ok(css.includes(`@media (max-width: ${NARROW_PX}px)`), `style.css has no @media (max-width: ${NARROW_PX}px)`);
  // and the settings fold into the drawer wherever the sidebar does not stand beside the charts
  assert.ok(css.includes('@media (max-width: 899px)') && css.includes('@media (min-width: 900px)'));
});

test('the lstm\'s gates, narrow: one panel per row, each titled with its own axes, one colour bar per scale', async () => {
  const lstm = META.cells.lstm;
  const block = {
    cell: 'lstm', gates: Object.fromEntries(lstm.gates.map((g) => [g, grid(() => 0.5)])), carry: { quantity: 'dL/dc_t', z: grid((t) => -t / 5) },
  };
  const div = await drawn(drawGates, [block], { palette: 'Viridis', narrow: true, uirevision: 'g', filename: 'g' });
  const { layout } = div;
  const panels = lstm.gates.length + 1;
  assert.equal(div.data.length, panels);
  assert.ok(layout.height > panels * 100, 'the chart grows with its rows');
  assertStacked(layout, yAxisKeys(layout), STACK.gap);
  for (const key of xAxisKeys(layout)) {
    assert.deepEqual(layout[key].domain, [0, 1], `${key}: a row spans the chart`);
    assert.equal(layout[key].title.text, LABELS.gates.x, `${key}: each row its own time axis`);
  }
  for (const key of yAxisKeys(layout)) assert.equal(layout[key].title.text, LABELS.gates.y, `${key}: each row its unit axis`);
  // one title per row, each over its own row
  const titles = layout.annotations;
  assert.equal(titles.length, panels);
  assert.equal(new Set(titles.map((a) => a.y)).size, panels, 'no two titles on one line');
  assert.ok(titles.every((a) => a.x === 0 && a.xanchor === 'left'));
  // each colour bar beside a row of its own scale, none over another
  const bars = ['coloraxis', 'coloraxis2', 'coloraxis3'].map((c) => ({ c, bar: layout[c].colorbar }));
  const spans = bars.map(({ bar }) => [bar.y - bar.len / 2, bar.y + bar.len / 2]);
  for (let a = 0; a < spans.length; a += 1) {
    for (let b = a + 1; b < spans.length; b += 1) {
      assert.ok(spans[a][1] <= spans[b][0] || spans[b][1] <= spans[a][0], `${bars[a].c} and ${bars[b].c} collide`);
    }
  }
  assert.ok(bars.every(({ bar }) => bar.x > 1), 'the colour bars stand right of the rows, not on them');
});

test('the unrolled view, narrow: the lstm\'s two panels one above the other, one shared colour bar', async () => {
  const panel = (label, quantity) => ({
    label, quantity, z: grid((t) => -t / 3), strip: Array.from({ length: T }, (_, t) => -t / 3), stripNorm: Array.from({ length: T }, (_, t) => 10 ** (-t / 3)),
  });
  const panels = [{ ...panel('lstm', 'dL/dh_t'), title: 'log10|dL/dh_t|' }, { ...panel('lstm cell', 'dL/dc_t'), title: 'log10|dL/dc_t|' }];
  const div = await drawn(drawUnrolled, panels, { palette: 'Viridis', shared: true, narrow: true, uirevision: 'u', filename: 'u' });
  const { layout } = div;
  // heatmap 1, strip 1, heatmap 2, strip 2 from the top
  assert.deepEqual(rows(layout, yAxisKeys(layout)).map((r) => r.key), ['yaxis', 'yaxis2', 'yaxis3', 'yaxis4']);
  assertStacked(layout, ['yaxis2', 'yaxis3'], STACK.gap);
  assert.deepEqual(xAxisKeys(layout).map((k) => [layout[k].domain, layout[k].title.text]), [[[0, 1], LABELS.unrolled.x], [[0, 1], LABELS.unrolled.x]]);
  assert.deepEqual(layout.annotations.map((a) => [a.text, a.xanchor]), [['log10|dL/dh_t|', 'left'], ['log10|dL/dc_t|', 'left']]);
  const bar = layout.coloraxis.colorbar;
  assert.ok(Math.abs(bar.y - (layout.yaxis.domain[0] + layout.yaxis.domain[1]) / 2) < 1e-9, 'the one colour bar beside the first heatmap');
  assert.ok(div.data.every((t) => t.coloraxis === 'coloraxis'), 'on the one shared scale');
});

test('the training lab\'s flow, narrow: one run per row, a colour bar beside each on their own scales', async () => {
  const run = (label, top) => ({ label, step: [1, 20, 40], z: Array.from({ length: 10 }, (_, t) => [top - t, top - t, top - t]) });
  const div = await drawn(drawTrainFlow, [run('clip_mode none', 140), run('clip_mode norm', 0)], {
    palette: 'Viridis', shared: false, narrow: true, revision: 1, uirevision: 'f', filename: 'f',
  });
  assertStacked(div.layout, yAxisKeys(div.layout), STACK.gap);
  const bars = div.data.map((t) => t.colorbar);
  assert.ok(bars[0].y > bars[1].y && bars[0].y - bars[0].len / 2 >= bars[1].y + bars[1].len / 2, 'each bar beside its own row');
});

test('the clipping bars, narrow: lying down, the names on the left with the room they need, "all (global)" whole', async () => {
  const div = await drawn(drawClipping, {
    before: { weight_ih: 2, weight_hh: 3 }, beforeLog10: {}, after: { weight_ih: 1, weight_hh: 1.5 },
    clipping: { mode: 'norm', scope: 'parameters', threshold: 1, total_norm: 3.6, clipped_total_norm: 1, scale: 0.28 },
  }, { yscale: 'log', narrow: true, uirevision: 'c', filename: 'c' });
  assert.ok(div.data.every((t) => t.orientation === 'h'));
  assert.deepEqual(div.data[0].y, ['weight_ih', 'weight_hh', 'all (global)']);
  assert.deepEqual([div.layout.yaxis.type, div.layout.yaxis.automargin, div.layout.yaxis.autorange], ['category', true, 'reversed']);
  assert.equal(div.layout.xaxis.title.text, LABELS.clipping.y_log);
  const line = div.layout.shapes[0];
  assert.deepEqual([line.x0, line.x1, line.yref], [0, 0, 'paper'], 'the threshold stands across the bars');
});
