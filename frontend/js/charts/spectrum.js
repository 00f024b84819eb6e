/**
 * View 4: the eigenvalues of W_hh (each gate block) in the complex plane, with the unit circle. Equal axis
 * scales, so the circle is round and "outside the circle" means what it looks like.
 */
import { fmt } from '../lib/format.js';
import { spectrumBlocks, unitCircle } from '../lib/shape.js';
import { theme } from '../lib/meta.js';
import { baseLayout, colours, draw, panelTitle, view } from './common.js';

const SYMBOLS = ['circle', 'square', 'diamond', 'triangle-up'];

/**
 * The mean field's edge of chaos as a dashed circle of radius s* (`critical`), labelled in the legend; none
 * for null (the mean field does not apply: a gated cell or uploaded weights, or theory is off).
 */
export function criticalCircle(critical) {
  if (!(critical > 0)) return [];
  const circle = unitCircle();
  const name = `${theme().theory_labels.critical_scale} = ${fmt(critical)}`;
  return [{
    type: 'scatter', mode: 'lines', x: circle.x.map((v) => v * critical), y: circle.y.map((v) => v * critical), name,
    line: { color: colours().theory.critical_scale, width: 1.5, dash: 'dash' }, hoverinfo: 'skip',
  }];
}

/**
 * spectrum: the API's `spectrum`; opts: {cell, critical (s*, or null), label (a title naming the network shown,
 * '' for none), uirevision, filename}.
 */
export function drawSpectrum(div, spectrum, opts) {
  const blocks = spectrumBlocks(spectrum);
  const circle = unitCircle();
  // one cell's colour for a single block, else the theme's block colours (Okabe-Ito again), one per gate block
  const { cells, blocks: blockColours, muted, zero_line: zeroLine } = colours();
  const labels = view('spectrum');
  const traces = [{
    type: 'scatter', mode: 'lines', x: circle.x, y: circle.y, name: 'unit circle', line: { color: muted, width: 1, dash: 'dot' }, hoverinfo: 'skip',
  }, ...criticalCircle(opts.critical)];
  blocks.forEach((b, k) => {
    const name = b.name === 'h' ? 'W_hh' : `W_h${b.name}`;
    traces.push({
      type: 'scatter', mode: 'markers', x: b.re, y: b.im, name: `${name} (ρ = ${fmt(b.radius)})`,
      marker: { size: 6, color: blocks.length === 1 ? cells[opts.cell] || blockColours[0] : blockColours[k % blockColours.length], symbol: SYMBOLS[k % 4], opacity: 0.85 },
      hovertemplate: `${name}<br>λ = %{x:.5~g} %{y:+.5~g}i<extra></extra>`,
    });
  });
  const reach = Math.max(1.1, (opts.critical || 0) * 1.1, ...blocks.map((b) => (b.radius || 0) * 1.1));
  const layout = baseLayout(opts.uirevision, {
    xaxis: { title: { text: labels.x }, range: [-reach, reach], zeroline: true, zerolinecolor: zeroLine },
    yaxis: { title: { text: labels.y }, range: [-reach, reach], scaleanchor: 'x', scaleratio: 1, zeroline: true, zerolinecolor: zeroLine },
    legend: { orientation: 'h', y: -0.28, x: 0, font: { size: 11 } },
    margin: { l: 56, r: 16, t: opts.label ? 32 : 16, b: 90 },
    annotations: opts.label ? [panelTitle(opts.label, [0, 1], 1.01)] : [],
  });
  return draw(div, traces, layout, opts.filename);
}
