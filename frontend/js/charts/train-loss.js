/**
 * Training lab: the loss of every run against the training step, with the task's reference levels (the
 * baseline and the solved threshold) as dashed lines. A loss that shoots off by hundreds of powers of ten
 * would squash every other curve into a line, so the axis stops at a ceiling above the baseline and the
 * points past it sit on the top edge as triangles, their true value in the hover.
 */
import { formatSig } from '../lib/format.js';
import { baseLayout, colours, draw, view } from './common.js';

/** The axis top, as a multiple of the largest reference level: three decades on a log axis, four times on a linear one. */
const CEILING = { log: 1e3, linear: 4 };

const finite = (v) => typeof v === 'number' && Number.isFinite(v);

/** The y range (in axis units) and the ceiling (in loss units; null when every loss fits under it). */
function lossRange(series, refs, log) {
  const losses = series.flatMap((s) => s.loss.filter(finite));
  const levels = refs.map((r) => r.value);
  const values = [...losses, ...levels].filter((v) => v > 0);
  if (values.length === 0) return { range: null, ceiling: null };
  const cap = CEILING[log ? 'log' : 'linear'] * Math.max(...levels, 0);
  const high = Math.max(...values);
  const top = cap > 0 ? Math.min(high, cap) : high;
  const bottom = Math.min(...values);
  const range = log ? [Math.log10(bottom) - 0.15, Math.log10(top) + 0.15] : [0, top * 1.05];
  return { range, ceiling: high > top ? top : null };
}

function runTraces(s, ceiling) {
  const { mark, text: outline } = colours();
  const hover = `step %{x}<br>loss %{y:.4g}<extra>${s.label}</extra>`;
  const out = [{ type: 'scatter', mode: 'lines', name: s.label, x: s.step, y: s.loss, line: { color: s.colour, width: 2 }, hovertemplate: hover }];
  const above = ceiling === null ? [] : s.loss.map((l, k) => k).filter((k) => finite(s.loss[k]) && s.loss[k] > ceiling);
  if (above.length) {
    out.push({
      type: 'scatter', mode: 'markers', name: `${s.label}: loss above the chart`, x: above.map((k) => s.step[k]), y: above.map(() => ceiling),
      text: above.map((k) => formatSig(s.loss[k], 3)), marker: { symbol: 'triangle-up', size: 8, color: s.colour, line: { color: mark, width: 1 } },
      cliponaxis: false, hovertemplate: `step %{x}<br>loss %{text} (above the chart)<extra>${s.label}</extra>`,
    });
  }
  const end = s.ended;
  if (end) {
    const diverged = end.status === 'diverged';
    out.push({
      type: 'scatter', mode: 'markers', name: `${s.label}: ${end.status} at step ${end.step}`, x: [end.step], y: [ceiling === null ? end.loss : Math.min(end.loss, ceiling)],
      marker: { symbol: diverged ? 'x' : 'star', size: 13, color: diverged ? mark : s.colour, line: { color: outline, width: 1 } },
      cliponaxis: false, hovertemplate: `${end.status} at step %{x}<extra>${s.label}</extra>`,
    });
  }
  return out;
}

function refTraces(refs, xMax) {
  const { muted } = colours();
  return refs.map((r) => ({
    type: 'scatter', mode: 'lines', name: r.name, x: [1, xMax], y: [r.value, r.value], hoverinfo: 'skip',
    line: { color: r.colour || muted, width: 1.5, dash: r.dash || 'dash' },
  }));
}

/**
 * series: [{label, colour, step: [n], loss: [n] (null where a step diverged), ended: {status, step, loss} | null}],
 * `ended` marking where a run diverged or was solved (loss: the last finite loss, where the marker goes).
 * opts: {yscale: 'log'|'linear', refs: [{name, value, dash?, colour?}], xMax, revision, uirevision, filename}.
 */
export function drawTrainLoss(div, series, opts) {
  const log = opts.yscale !== 'linear';
  const { range, ceiling } = lossRange(series, opts.refs, log);
  const traces = [...refTraces(opts.refs, Math.max(opts.xMax, 2)), ...series.flatMap((s) => runTraces(s, ceiling))];
  const labels = view('train_loss');
  const layout = baseLayout(opts.uirevision, {
    datarevision: opts.revision,
    xaxis: { title: { text: labels.x }, rangemode: 'tozero' },
    yaxis: {
      title: { text: log ? labels.y_log : labels.y }, type: log ? 'log' : 'linear', exponentformat: 'power',
      ...(range ? { range, autorange: false } : {}),
    },
    hovermode: 'closest',
    margin: { l: 64, r: 16, t: 16, b: 48 },
    legend: { orientation: 'h', y: -0.22, x: 0, font: { size: 11 } },
  });
  return draw(div, traces, layout, opts.filename);
}
