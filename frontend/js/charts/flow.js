/**
 * View 5: the gradient-flow matrix. Row t' holds a loss placed at step t', column t an earlier step; the
 * colour is log10 |dL_t'/dh_t|. Cells with t > t' are null (a loss cannot depend on the future) and stay
 * empty.
 */
import { LOG10_FLOAT64_MAX, finiteRange } from '../lib/shape.js';
import { baseLayout, colorbar, draw, emptyNote, panelTitle, view } from './common.js';

/** Said while the flow matrix waits for its view to come near the window (explore/loading.js). */
export const PENDING_NOTE = 'The flow matrix is computed when this view comes into sight.';

/**
 * flow: the API's `flow` or null; opts: {palette, label (a title naming the network shown, '' for none),
 * pending (not fetched yet: say so), uirevision, filename}. The colour scale spans the matrix's own values.
 * log10_norm's rows may be typed (lib/typed.js: NaN where the JSON has null); a per-cell text is built only
 * where a cell is past float64, which the range tells.
 */
export function drawFlow(div, flow, opts) {
  if (!flow || !flow.log10_norm || flow.log10_norm.length === 0) {
    const note = opts.pending ? PENDING_NOTE : 'No flow matrix: set "Flow-matrix rows" (flow_steps) above 0.';
    const layout = baseLayout(opts.uirevision, {
      xaxis: { visible: false }, yaxis: { visible: false },
      annotations: [emptyNote(note)],
    });
    return draw(div, [], layout, opts.filename);
  }
  const z = flow.log10_norm;
  const range = finiteRange(z) || [0, 1];
  const beyond = range[1] > LOG10_FLOAT64_MAX;
  const labels = view('flow');
  const trace = {
    type: 'heatmap', x: flow.steps, y: flow.loss_steps, z, colorscale: opts.palette, zmin: range[0], zmax: range[1],
    colorbar: colorbar(labels.colorbar, 1.0),
    hovertemplate: `loss at t' = %{y}, step t = %{x}<br>log10|dL_t'/dh_t| = %{z:.3f}${beyond ? '%{text}' : ''}<extra></extra>`,
    ...(beyond ? { text: z.map((row) => Array.from(row, (v) => (v > LOG10_FLOAT64_MAX ? ' (beyond float64)' : ''))) } : {}),
  };
  const layout = baseLayout(opts.uirevision, {
    xaxis: { title: { text: labels.x } },
    yaxis: { title: { text: labels.y } },
    margin: { l: 60, r: 8, t: opts.label ? 32 : 20, b: 44 },
    annotations: opts.label ? [panelTitle(opts.label, [0, 1], 1.01)] : [],
  });
  return draw(div, [trace], layout, opts.filename);
}
