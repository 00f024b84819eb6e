/**
 * Training lab: how far back the gradient reaches as training goes on. One heatmap per run, training step
 * across and time step t up (the loss sits at t = T, the top row), coloured by log10 |dL/dh_t| of that
 * step's batch loss, all on one colour scale. Empty cells are exact zeros (a saturated tanh passes nothing
 * back) or a step that diverged.
 */
import { LOG10_FLOAT64_MAX, finiteRange, steps } from '../lib/shape.js';
import { axisId, axisKey, baseLayout, colorbar, columns, draw, emptyNote, panelTitle, view } from './common.js';

/** Hover suffixes for cells past float64, or null when there are none (the common case, kept cheap). */
function beyondText(z) {
  if (!z.some((row) => row.some((v) => v !== null && v > LOG10_FLOAT64_MAX))) return null;
  return z.map((row) => row.map((v) => (v !== null && v > LOG10_FLOAT64_MAX ? ' (beyond float64)' : '')));
}

/** The shared colour axis, or the panel's own scale with a colour bar beside it. */
function colourOf(panel, domain, opts) {
  if (opts.shared) return { coloraxis: 'coloraxis' };
  const range = finiteRange(panel.z) || [0, 1];
  return {
    colorscale: opts.palette, zmin: range[0], zmax: range[1], showscale: true, colorbar: colorbar('', domain[1] + 0.005, 0.46, 0.92),
  };
}

function panelTrace(i, panel, domain, opts) {
  const text = beyondText(panel.z);
  return {
    type: 'heatmap', name: panel.label, x: panel.step, y: steps(panel.z.length), z: panel.z, ...colourOf(panel, domain, opts),
    xaxis: axisId('x', i), yaxis: axisId('y', i), ...(text ? { text } : {}),
    hovertemplate: `training step %{x}, t = %{y}<br>log10|dL/dh_t| = %{z:.3f}${text ? '%{text}' : ''}<extra>${panel.label}</extra>`,
  };
}

function panelAxes(i, domain) {
  const labels = view('train_flow');
  return {
    [axisKey('x', i)]: { domain, anchor: axisId('y', i), title: { text: labels.x } },
    // the panels share their time axis: its ticks once, on the left, so a panel's own colour bar has the gap to itself
    [axisKey('y', i)]: {
      domain: [0, 0.92], anchor: axisId('x', i), title: { text: i === 0 ? labels.y : '' }, showticklabels: i === 0, ...(i ? { matches: 'y' } : {}),
    },
  };
}

/**
 * panels: [{label, step: [K] training steps, z: T x K (row t-1, column k: log10 |dL/dh_t| at step[k], null
 * where zero or diverged)}], one per run. opts: {palette, shared (one colour scale for every panel, else
 * one each: a run that explodes would leave the others a single colour), revision, uirevision, filename}.
 */
export function drawTrainFlow(div, panels, opts) {
  if (!panels || panels.length === 0) {
    const layout = baseLayout(opts.uirevision, { xaxis: { visible: false }, yaxis: { visible: false }, annotations: [emptyNote('Start a training to see its gradient flow.')] });
    return draw(div, [], layout, opts.filename);
  }
  const domains = columns(panels.length, opts.shared ? 0.06 : 0.12, opts.shared ? 0.9 : 0.94);
  const range = finiteRange(...panels.map((p) => p.z)) || [0, 1];
  const layout = baseLayout(opts.uirevision, {
    datarevision: opts.revision,
    showlegend: false,
    margin: { l: 56, r: 8, t: 24, b: 44 },
    // centred on purpose: Plotly's 'auto' anchor would left-align a title over the left third of the chart
    annotations: panels.map((p, i) => ({ ...panelTitle(p.label, domains[i], 0.93), xanchor: 'center' })),
    coloraxis: { colorscale: opts.palette, cmin: range[0], cmax: range[1], colorbar: colorbar(view('train_flow').colorbar, 0.93, 0.46, 0.92) },
    ...Object.assign({}, ...domains.map((d, i) => panelAxes(i, d))),
  });
  return draw(div, panels.map((p, i) => panelTrace(i, p, domains[i], opts)), layout, opts.filename);
}
