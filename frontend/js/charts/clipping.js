/**
 * View 6: the norm of each parameter's gradient (and of all of them together) before and after clipping.
 * On the log setting bars stand on the exact log10 figures, so a total norm past float64 still has a bar.
 */
import { formatLog10 } from '../lib/format.js';
import { clippingBars, logTicks } from '../lib/shape.js';
import { baseLayout, colours, draw, markNote, view } from './common.js';

const lg = (v) => (v === null || v === undefined || !(v > 0) ? null : Math.log10(v));

/**
 * data: {before: {name: norm}, beforeLog10: {name: log10 norm}, after: {name: norm}, clipping: the API's `clipping`}
 * (the log10 figures are exact past float64, where `before` is null)
 * opts: {yscale, uirevision, filename}
 */
export function drawClipping(div, data, opts) {
  const log = opts.yscale !== 'linear';
  const { clipping: barColours, mark } = colours();
  const labels = view('clipping');
  const bars = clippingBars(data.before, data.after);
  const c = data.clipping || {};
  const names = [...bars.names, 'all (global)'];
  const exactLog = bars.names.map((n) => data.beforeLog10?.[n] ?? null);
  const beforeLog = [...bars.before.map((v, k) => exactLog[k] ?? lg(v)), c.total_norm_log10 ?? lg(c.total_norm)];
  // with clipping off the gradients after are those before, exact log10s included
  const afterLog = c.mode === 'none' ? beforeLog : [...bars.after.map(lg), lg(c.clipped_total_norm)];
  const values = [beforeLog, afterLog].flat().filter((v) => v !== null);
  const th = c.mode !== 'none' && c.threshold > 0 ? c.threshold : null;
  const lo = Math.floor(Math.min(...values, th ? Math.log10(th) : Infinity, 0)) - 1;
  const hi = Math.max(...values, th ? Math.log10(th) : -Infinity, lo + 1);
  const bar = (label, logs, raw, colour) => ({
    type: 'bar', name: label, x: names, marker: { color: colour },
    y: log ? logs.map((l) => (l === null ? null : l - lo)) : raw,
    ...(log ? { base: lo } : {}),
    text: logs.map((l) => (l === null ? '' : formatLog10(l))), textposition: 'none',
    hovertemplate: `%{x}<br>${label}: %{text}<extra></extra>`,
  });
  const traces = [
    bar('before clipping', beforeLog, [...bars.before, c.total_norm ?? null], barColours.before),
    bar('after clipping', afterLog, [...bars.after, c.clipped_total_norm ?? null], barColours.after),
  ];
  const shapes = [];
  // a norm past float64 has no float value: say so at the foot of its bars (drawn from the exact log10 on a log
  // axis), on a box of the background colour, since the bars behind it are blue
  const annotations = names.flatMap((n, k) => ((k < bars.before.length ? bars.before[k] : c.total_norm) === null
    ? [markNote('beyond<br>float64', { x: n, xref: 'x', yref: 'paper', y: 0.02, yanchor: 'bottom' }, 10)]
    : []));
  if (th) {
    const y = log ? Math.log10(th) : th;
    shapes.push({ type: 'line', xref: 'paper', x0: 0, x1: 1, y0: y, y1: y, line: { color: mark, width: 2, dash: 'dash' } });
    annotations.push(markNote(`${c.mode === 'value' ? 'clip value' : 'max norm'} ${th}`, {
      xref: 'paper', x: 1, y, xanchor: 'right', yanchor: 'bottom',
    }));
  }
  const yaxis = log
    ? { title: { text: labels.y_log }, tickmode: 'array', ...logTicks(lo, hi), range: [lo, hi + 0.5] }
    : { title: { text: labels.y }, exponentformat: 'power' };
  const layout = baseLayout(opts.uirevision, { barmode: 'group', yaxis, shapes, annotations, xaxis: { type: 'category' } });
  return draw(div, traces, layout, opts.filename);
}
