/**
 * View 7, depth x time: log10 |dL/dh_t^(l)| for every layer l of a stack (rows, the bottom layer at the
 * bottom) and time step t (columns). The layer the other views show is outlined.
 */
import { formatLog10 } from '../lib/format.js';
import { LOG10_FLOAT64_MAX, finiteRange, steps } from '../lib/shape.js';
import { baseLayout, colorbar, colours, draw, view } from './common.js';

/**
 * The magnitude of each cell as format.js writes it, marked past float64 like every other view. A per-cell text
 * is needed here (no hover format turns a log10 into "3.16e+412"), and it is small: a few layers by T. Rows may
 * be typed (lib/typed.js: NaN for an exact zero's null), so each is read with Array.from.
 */
function magnitudes(grid) {
  return grid.map((row) => Array.from(row, (v) => (v > LOG10_FLOAT64_MAX ? `${formatLog10(v)} (beyond float64)` : formatLog10(v))));
}

/** Tick labels for layers 1..n, naming the ends so the direction of the stack is never a guess. */
function layerTicks(n) {
  const tickvals = steps(n);
  const ticktext = tickvals.map((l) => (l === n ? `${l} (top)` : l === 1 ? `${l} (bottom)` : String(l)));
  return { tickvals, ticktext };
}

/** A frame around layer `k` (0-based) across the whole sequence. */
function outline(k, T) {
  return {
    type: 'rect', xref: 'x', yref: 'y', x0: 0.5, x1: T + 0.5, y0: k + 0.5, y1: k + 1.5,
    line: { color: colours().mark, width: 2 }, fillcolor: 'rgba(0,0,0,0)',
  };
}

/**
 * grid: the API's `depth_flow`, layers x T log10 norms, bottom layer first (null: an exact zero).
 * opts: {palette, shown: 0-based layer to outline or null, uirevision, filename}
 */
export function drawDepthFlow(div, grid, opts) {
  const L = grid.length;
  const T = L ? grid[0].length : 0;
  const range = finiteRange(grid) || [0, 1];
  const labels = view('depth_flow');
  const trace = {
    type: 'heatmap', name: 'depth flow', x: steps(T), y: steps(L), z: grid, text: magnitudes(grid),
    colorscale: opts.palette, zmin: range[0], zmax: range[1], colorbar: colorbar(labels.colorbar, 1.0), xgap: T <= 60 ? 1 : 0, ygap: 2,
    hovertemplate: 'layer %{y}, t = %{x}<br>log10|dL/dh_t| = %{z:.3f}<br>|dL/dh_t| = %{text}<extra></extra>',
  };
  const layout = baseLayout(opts.uirevision, {
    xaxis: { title: { text: labels.x }, range: [0.5, T + 0.5] },
    yaxis: { title: { text: labels.y }, tickmode: 'array', ...layerTicks(L), range: [0.5, L + 0.5], fixedrange: true },
    shapes: opts.shown === null || opts.shown === undefined ? [] : [outline(opts.shown, T)],
    margin: { l: 96, r: 8, t: 16, b: 44 },
  });
  return draw(div, [trace], layout, opts.filename);
}
