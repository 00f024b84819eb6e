/**
 * Training lab: the global gradient norm of every step, before clipping (solid) and after it (dashed), on a
 * log axis. The y values are the API's exact log10 norms with ticks at powers of ten, so a norm past
 * float64 is still placed, and marked with a triangle as the main norms chart does.
 */
import { formatLog10 } from '../lib/format.js';
import { LOG10_FLOAT64_MAX, finiteRange, logTicks } from '../lib/shape.js';
import { baseLayout, colours, draw, float64Limit, view } from './common.js';

function hoverText(log10s, beyond) {
  const past = new Set(beyond);
  return log10s.map((l, k) => (l === null ? '' : `${formatLog10(l)}${past.has(k) ? ' (beyond float64)' : ''}`));
}

function runTraces(s) {
  const { mark, text: outline } = colours();
  const out = [{
    type: 'scatter', mode: 'lines', name: `${s.label}: before clipping`, x: s.step, y: s.log10, line: { color: s.colour, width: 2 },
    text: hoverText(s.log10, s.beyond), hovertemplate: `step %{x}<br>norm %{text}<extra>${s.label}, before clipping</extra>`,
  }];
  if (s.clippedLog10) {
    out.push({
      type: 'scatter', mode: 'lines', name: `${s.label}: after clipping`, x: s.step, y: s.clippedLog10, line: { color: s.colour, width: 2, dash: 'dash' },
      text: hoverText(s.clippedLog10, []), hovertemplate: `step %{x}<br>norm %{text}<extra>${s.label}, after clipping</extra>`,
    });
  }
  if (s.beyond.length) {
    const text = hoverText(s.log10, s.beyond);
    out.push({
      type: 'scatter', mode: 'markers', name: `${s.label}: beyond float64`, x: s.beyond.map((k) => s.step[k]), y: s.beyond.map((k) => s.log10[k]),
      marker: { symbol: 'triangle-up', size: 7, color: mark }, text: s.beyond.map((k) => text[k]),
      hovertemplate: `step %{x}<br>norm %{text}<extra>beyond float64</extra>`,
    });
  }
  if (s.divergedAt) {
    out.push({
      type: 'scatter', mode: 'markers', name: `${s.label}: diverged at step ${s.divergedAt.step}`, x: [s.divergedAt.step], y: [s.divergedAt.log10],
      marker: { symbol: 'x', size: 13, color: mark, line: { color: outline, width: 1 } }, hovertemplate: 'diverged at step %{x}<extra></extra>',
    });
  }
  return out;
}

function thresholdTraces(thresholds, xMax) {
  const { muted } = colours();
  return thresholds.map((th) => ({
    type: 'scatter', mode: 'lines', name: th.name, x: [1, xMax], y: [th.log10, th.log10], hoverinfo: 'skip',
    line: { color: muted, width: 1.5, dash: 'dot' },
  }));
}

/**
 * series: [{label, colour, step: [n], log10: [n] (null where a step diverged), beyond: [indices past float64],
 * clippedLog10: [n] | null (null: no clipping, the same line), divergedAt: {step, log10} | null}].
 * opts: {thresholds: [{name, log10}], xMax, revision, uirevision, filename}.
 */
export function drawTrainGrad(div, series, opts) {
  const traces = [...thresholdTraces(opts.thresholds, Math.max(opts.xMax, 2)), ...series.flatMap(runTraces)];
  const range = finiteRange(...series.flatMap((s) => [s.log10, s.clippedLog10 || []]), opts.thresholds.map((t) => t.log10)) || [0, 1];
  const shapes = [];
  const annotations = [];
  const labels = view('train_grad');
  if (range[1] > LOG10_FLOAT64_MAX) {
    // the steps past float64, as fractions of the step axis (from 0): the label keeps away from their triangles
    const xMax = Math.max(opts.xMax, 2);
    const limit = float64Limit(LOG10_FLOAT64_MAX, series.flatMap((s) => s.beyond.map((k) => s.step[k] / xMax)));
    shapes.push(limit.shape);
    annotations.push(limit.annotation);
  }
  const layout = baseLayout(opts.uirevision, {
    datarevision: opts.revision,
    xaxis: { title: { text: labels.x }, rangemode: 'tozero' },
    yaxis: { title: { text: labels.y }, zeroline: false, tickmode: 'array', ...logTicks(range[0], range[1]) },
    hovermode: 'closest',
    shapes,
    annotations,
    margin: { l: 64, r: 16, t: 16, b: 48 },
    legend: { orientation: 'h', y: -0.22, x: 0, font: { size: 11 } },
  });
  return draw(div, traces, layout, opts.filename);
}
