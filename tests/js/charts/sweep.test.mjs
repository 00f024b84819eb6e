import test from 'node:test';
import assert from 'node:assert/strict';
import {
  cellEdges, clickedCell, divergingScale, drawSweep,
} from '../../../frontend/js/charts/sweep.js';
import { drawn } from '../support/plotly-stub.mjs';
import { useApiMeta } from '../support/meta.mjs';

useApiMeta();

const CRITICAL = 'log10 |dL/dh_1| = 0: no net growth';
const OPTS = { palette: 'Viridis', diverging: true, note: '', revision: 4, uirevision: 'sweep-a', filename: 'gradflow-sweep' };
const X = { field: 'recurrent_scale', values: [0.5, 1, 2], log: true };
const Y = { field: 'seq_len', values: [10, 100], log: true };

/** A 2 x 3 sweep: the lower row complete, the upper row with one cell still empty. */
function heatData(fields = {}) {
  return {
    x: X, y: Y, label: 'log10 |dL/dh_1|', critical: CRITICAL,
    mean: [[-3, -0.5, 1], [-30, null, 12]], min: [[-3, -0.6, 1], [-30, null, 12]], max: [[-3, -0.4, 1], [-30, null, 12]],
    count: [[1, 2, 1], [1, 0, 1]], ...fields,
  };
}
const byType = (div, type) => div.data.filter((t) => t.type === type);

test('two axes: a heatmap of the mean, log axes for log-spaced fields, unfilled cells empty', async () => {
  const div = await drawn(drawSweep, heatData(), OPTS);
  const [heat] = byType(div, 'heatmap');
  assert.deepEqual(heat.z, [[-3, -0.5, 1], [-30, null, 12]]);
  assert.equal(heat.hoverongaps, false);
  assert.deepEqual(heat.customdata[1][2], [2, 1, 2, 100, 1], '[ix, iy, x, y, seeds] for the hover and the click');
  assert.deepEqual([div.layout.xaxis.type, div.layout.yaxis.type], ['log', 'log']);
  assert.deepEqual([div.layout.xaxis.dtick, div.layout.yaxis.dtick], [undefined, 1], 'under a decade Plotly\'s ticks, else one a decade');
  assert.deepEqual([div.layout.uirevision, div.layout.datarevision], ['sweep-a', 4]);
  assert.match(div.layout.xaxis.title.text, /^recurrent_scale/);
  assert.match(heat.hovertemplate, /click to load/);
});

test('the critical line is a contour at 0 alone, over the rows already complete', async () => {
  const complete = heatData({ mean: [[-3, -0.5, 1], [-30, 2, 12]], count: [[1, 2, 1], [1, 1, 1]] });
  const [contour] = byType(await drawn(drawSweep, complete, OPTS), 'contour');
  assert.deepEqual(contour.contours, { coloring: 'none', start: 0, end: 0, size: 1, showlabels: false });
  assert.equal(contour.autocontour, false);
  assert.deepEqual([contour.name, contour.showlegend, contour.hoverinfo], [CRITICAL, true, 'skip'], 'named in the legend; clicks reach the heatmap');
  assert.deepEqual([contour.x, contour.y, contour.z], [X.values, Y.values, complete.mean], 'at the cell centres');

  assert.deepEqual(byType(await drawn(drawSweep, heatData(), OPTS), 'contour'), [], 'one complete row: nothing to draw between yet');
  const three = heatData({ y: { ...Y, values: [10, 30, 100] }, mean: [[-3, -0.5, 1], [-9, null, 5], [-30, -2, 12]], count: [[1, 1, 1], [1, 0, 1], [1, 1, 1]] });
  const [partial] = byType(await drawn(drawSweep, three, OPTS), 'contour');
  assert.deepEqual([partial.y, partial.z], [[10, 100], [[-3, -0.5, 1], [-30, -2, 12]]], 'a row with a gap is left out, not guessed');
  assert.deepEqual(byType(await drawn(drawSweep, heatData({ critical: null }), { ...OPTS, diverging: false }), 'contour'), [], 'other metrics: no line');
});

test('the heatmap\'s cells are centred on their values as drawn: geometric midpoints on a log axis', () => {
  const edges = cellEdges([1, 10, 100], true);
  [10 ** -0.5, 10 ** 0.5, 10 ** 1.5, 10 ** 2.5].forEach((e, k) => assert.ok(Math.abs(edges[k] / e - 1) < 1e-12, `edge ${k}`));
  assert.deepEqual(cellEdges([0, 1, 3], false), [-0.5, 0.5, 2, 4]);
  assert.deepEqual(cellEdges([2], false), [1.5, 2.5]);
});

test('log10 |dL/dh_1| is white at exactly 0, blue below and vermillion above; other metrics take the palette', async () => {
  const { colorscale, zmin, zmax } = divergingScale([[-300, -1], [null, 100]]);
  assert.deepEqual([zmin, zmax], [-300, 300], 'symmetric about 0: as far from the border, as strong a colour');
  assert.deepEqual(colorscale.map(([at]) => at), [0, 0.45, 0.495, 0.5, 0.505, 0.55, 1], 'shades at a tenth and a hundredth');
  assert.deepEqual(colorscale[3], [0.5, '#f7f7f7']);
  assert.deepEqual([colorscale[0][1], colorscale[6][1]], ['#0072B2', '#D55E00']);
  assert.deepEqual([divergingScale([[null]]).zmin, divergingScale([[0]]).zmax], [-1, 1], 'nothing yet, or all zero');
  const [heat] = byType(await drawn(drawSweep, heatData({ critical: null }), { ...OPTS, diverging: false, palette: 'Cividis' }), 'heatmap');
  assert.equal(heat.colorscale, 'Cividis');
});

test('one axis: the mean as a line in the min..max band over the seeds, and a horizontal line at 0', async () => {
  const data = {
    x: X, y: null, label: 'log10 |dL/dh_1|', critical: CRITICAL,
    mean: [[-3, null, 2]], min: [[-4, null, 1]], max: [[-2, null, 3]], count: [[2, 0, 2]],
  };
  const div = await drawn(drawSweep, data, OPTS);
  const mean = div.data.find((t) => t.name === 'log10 |dL/dh_1|, mean over the seeds');
  assert.deepEqual([mean.x, mean.y], [X.values, [-3, null, 2]]);
  const band = div.data.find((t) => t.name === 'min..max over the seeds');
  assert.deepEqual([band.y, band.fill], [[-4, null, 1], 'tonexty']);
  assert.deepEqual(div.data[div.data.indexOf(band) - 1].y, [-2, null, 3], 'filled up to the max');
  const zero = div.data.find((t) => t.name === CRITICAL);
  assert.deepEqual([zero.x, zero.y], [[0.5, 2], [0, 0]]);
  assert.deepEqual([div.layout.xaxis.type, div.layout.yaxis.title.text], ['log', 'log10 |dL/dh_1|']);
  const single = await drawn(drawSweep, { ...data, critical: null, count: [[1, 0, 1]] }, OPTS);
  assert.deepEqual(single.data.map((t) => t.name), ['log10 |dL/dh_1|, mean over the seeds'], 'one seed: no band; no line at 0');
});

test('an empty chart says why; a click names the cell it landed on', async () => {
  const div = await drawn(drawSweep, heatData(), { ...OPTS, note: 'No sweep yet: press Start or pick a preset.' });
  assert.deepEqual(div.data, []);
  // in lines short enough for a phone's chart
  assert.equal(div.layout.annotations[0].text.replaceAll('<br>', ' '), 'No sweep yet: press Start or pick a preset.');
  assert.deepEqual(clickedCell({ points: [{ customdata: [2, 1, 2, 100, 1] }] }), { ix: 2, iy: 1 });
  assert.deepEqual(clickedCell({ points: [{ curveNumber: 1 }, { customdata: [0, 0, 0.5, null, 3] }] }), { ix: 0, iy: 0 });
  assert.equal(clickedCell({ points: [] }), null);
});
