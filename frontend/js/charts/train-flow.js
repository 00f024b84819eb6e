/**
 * Training lab: how far back the gradient reaches as training goes on. One heatmap per run, training step
 * across and time step t up (the loss sits at t = T, the top row), coloured by log10 |dL/dh_t| of that
 * step's batch loss, all on one colour scale. Empty cells are exact zeros (a saturated tanh passes nothing
 * back) or a step that diverged.
 */
import { LOG10_FLOAT64_MAX, finiteRange, steps } from '../lib/shape.js';
import {
  axisId, axisKey, baseLayout, colorbar, columns, draw, emptyNote, panelTitle, rowColorbar, rowTitle, stackMargin, stackRows, view,
} from './common.js';

/** Hover suffixes for cells past float64, or null when there are none (the common case, kept cheap). */
function beyondText(z) {
  if (!z.some((row) => row.some((v) => v !== null && v > LOG10_FLOAT64_MAX))) return null;
  return z.map((row) => row.map((v) => (v !== null && v > LOG10_FLOAT64_MAX ? ' (beyond float64)' : '')));
}

/** The shared colour axis, or the panel's own scale with `bar`, its colour bar. */
function colourOf(panel, bar, opts) {
  if (opts.shared) return { coloraxis: 'coloraxis' };
  const range = finiteRange(panel.z) || [0, 1];
  return { colorscale: opts.palette, zmin: range[0], zmax: range[1], showscale: true, colorbar: bar };
}

function panelTrace(i, panel, bar, opts) {
  const text = beyondText(panel.z);
  return {
    type: 'heatmap', name: panel.label, x: panel.step, y: steps(panel.z.length), z: panel.z, ...colourOf(panel, bar, opts),
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

const ROW_PX = 150;

/**
 * On a phone: one run per row, each with its title and both axes; the shared scale's colour bar beside the
 * first row, a run's own scale beside its row.
 */
function drawStacked(div, panels, opts) {
  const { height, domains } = stackRows(panels.map(() => ROW_PX));
  const labels = view('train_flow');
  const range = finiteRange(...panels.map((p) => p.z)) || [0, 1];
  const axes = domains.map((d, i) => ({
    [axisKey('x', i)]: { domain: [0, 1], anchor: axisId('y', i), title: { text: labels.x } },
    [axisKey('y', i)]: { domain: d, anchor: axisId('x', i), title: { text: labels.y }, ...(i ? { matches: 'y' } : {}) },
  }));
  const layout = baseLayout(opts.uirevision, {
    datarevision: opts.revision, showlegend: false, height, margin: stackMargin(),
    annotations: panels.map((p, i) => rowTitle(p.label, domains[i])),
    coloraxis: { colorscale: opts.palette, cmin: range[0], cmax: range[1], colorbar: rowColorbar(labels.colorbar, domains[0]) },
    ...Object.assign({}, ...axes),
  });
  return draw(div, panels.map((p, i) => panelTrace(i, p, rowColorbar(labels.colorbar, domains[i]), opts)), layout, opts.filename);
}

/**
 * panels: [{label, step: [K] training steps, z: T x K (row t-1, column k: log10 |dL/dh_t| at step[k], null
 * where zero or diverged)}], one per run. opts: {palette, shared (one colour scale for every panel, else
 * one each: a run that explodes would leave the others a single colour), narrow (a phone: a row per run),
 * revision, uirevision, filename}.
 */
export function drawTrainFlow(div, panels, opts) {
  if (!panels || panels.length === 0) {
    const layout = baseLayout(opts.uirevision, { xaxis: { visible: false }, yaxis: { visible: false }, annotations: [emptyNote('Start a training to see its gradient flow.')] });
    return draw(div, [], layout, opts.filename);
  }
  if (opts.narrow) return drawStacked(div, panels, opts);
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
  return draw(div, panels.map((p, i) => panelTrace(i, p, colorbar('', domains[i][1] + 0.005, 0.46, 0.92), opts)), layout, opts.filename);
}
