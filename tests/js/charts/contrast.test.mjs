// Words drawn in the charts are readable: every annotation meets WCAG AA's 4.5:1 for normal text against what
// is behind it, computed from the colours the charts actually draw with (theme.json, as GET /api/meta serves
// it). Words that sit over data (bars, lines) stand on a box of their own, so what is behind them is that box.
// The Exploding preset showed "beyond float64" in vermillion on blue bars (1.3:1), and the float64 limit's
// label over the triangles it explains.
import test from 'node:test';
import assert from 'node:assert/strict';
import { drawClipping } from '../../../frontend/js/charts/clipping.js';
import { drawNorms } from '../../../frontend/js/charts/norms.js';
import { drawTrainGrad } from '../../../frontend/js/charts/train-grad.js';
import { drawUnrolled } from '../../../frontend/js/charts/unrolled.js';
import { drawn } from '../support/plotly-stub.mjs';
import { themeFromDisk, useApiMeta } from '../support/meta.mjs';

useApiMeta();
const THEME = themeFromDisk();

/** WCAG 2 relative luminance of a #rrggbb colour. */
function luminance(hex) {
  const channel = (k) => {
    const c = parseInt(hex.slice(1 + 2 * k, 3 + 2 * k), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

/** WCAG 2 contrast ratio of two #rrggbb colours, 1 to 21. */
export function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

test('the contrast ratio is WCAG\'s: black on white 21, a colour on itself 1, the theme\'s vermillion 3.9 on white', () => {
  assert.equal(contrast('#000000', '#ffffff'), 21);
  assert.equal(contrast('#0072B2', '#0072B2'), 1);
  assert.ok(Math.abs(contrast(THEME.colours.mark, '#ffffff') - 3.87) < 0.01);
});

// An exploding linear rnn: the first steps past float64 (log10 above 308.25, no float value), the rest falling.
const T = 10;
const LOG10 = Array.from({ length: T }, (_, k) => 400 - 45 * k);
const NORM = LOG10.map((l) => (l > 308 ? null : 10 ** l));
const OVER = { weight_ih: null, weight_hh: null, bias_ih: null, bias_hh: null };
const OVER_LOG10 = { weight_ih: 400, weight_hh: 401, bias_ih: 399, bias_hh: 399 };
const grid = (f) => Array.from({ length: T }, (_, t) => Array.from({ length: 2 }, () => f(t)));

async function chartsPastFloat64() {
  const norms = await drawn(drawNorms, [{ label: '|dL/dh_t| (rnn)', quantity: '|dL/dh_t|', colour: THEME.colours.cells.rnn, norm: NORM, log10: LOG10 }], {
    yscale: 'log', threshold: { value: 1, mode: 'norm', scope: 'parameters' }, horizons: [], uirevision: 'n', filename: 'n',
  });
  const clipping = await drawn(drawClipping, {
    before: OVER, beforeLog10: OVER_LOG10, after: OVER,
    clipping: { mode: 'norm', scope: 'parameters', threshold: 1, total_norm: null, total_norm_log10: 401.2, clipped_total_norm: 1, scale: 0 },
  }, { yscale: 'log', uirevision: 'c', filename: 'c' });
  const unrolled = await drawn(drawUnrolled, [{
    label: 'rnn', quantity: 'dL/dh_t', z: grid((t) => LOG10[t] - 1), strip: LOG10, stripNorm: NORM,
  }], { palette: 'Viridis', shared: true, uirevision: 'u', filename: 'u' });
  const grad = await drawn(drawTrainGrad, [{
    label: 'rnn', colour: THEME.colours.runs[0], step: [1, 100, 200, 210], log10: [1, 140, 400, null], beyond: [2], clippedLog10: null,
    divergedAt: { step: 210, log10: 400 },
  }], { thresholds: [], xMax: 220, revision: 1, uirevision: 'g', filename: 'g' });
  return { norms, clipping, unrolled, grad };
}

test('every word in the charts past float64 has 4.5:1 against what is behind it, and words over data have a box', async () => {
  const charts = await chartsPastFloat64();
  let checked = 0;
  for (const [name, div] of Object.entries(charts)) {
    for (const note of div.layout.annotations) {
      const ink = note.font?.color ?? div.layout.font.color;
      const behind = note.bgcolor ?? div.layout.plot_bgcolor;
      const ratio = contrast(ink, behind);
      assert.ok(ratio >= 4.5, `${name}: "${note.text}" in ${ink} on ${behind} has ${ratio.toFixed(2)}:1, under 4.5:1`);
      if (/float64|max norm/.test(note.text)) {
        assert.equal(note.bgcolor, THEME.colours.background, `${name}: "${note.text}" sits over data without a box of its own`);
        checked += 1;
      }
    }
  }
  // the clipping chart's five "beyond float64" and its threshold, and each float64 limit and outline label
  assert.equal(checked, 5 + 1 + 1 + 1 + 1);
  const beyond = charts.clipping.layout.annotations.find((a) => a.text === 'beyond<br>float64');
  assert.deepEqual([beyond.font.color, beyond.bgcolor], [THEME.colours.mark_text, THEME.colours.background], 'theme.json\'s colours, as the figures draw');
});

test('the float64 limit\'s label sits at the end of the axis away from the triangles past it', async () => {
  const { norms, grad } = await chartsPastFloat64();
  const label = (div) => div.layout.annotations.find((a) => a.text.startsWith('float64 limit'));
  // exploding back in time: the steps past float64 are the first ones, on the left, so the label goes right
  assert.deepEqual([label(norms).x, label(norms).xanchor], [0.99, 'right']);
  // a training run that diverges near its last step: its triangle is on the right, so the label goes left
  assert.deepEqual([label(grad).x, label(grad).xanchor], [0.01, 'left']);
  for (const div of [norms, grad]) assert.equal(label(div).yanchor, 'top', 'under the dotted line, on the side of the finite values');
});
