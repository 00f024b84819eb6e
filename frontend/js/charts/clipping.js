/**
 * View 6: the norm of each parameter's gradient (and of all of them together) before and after clipping.
 * On the log setting bars stand on the exact log10 figures, so a total norm past float64 still has a bar. On a
 * phone (opts.narrow) the bars lie down, their names on the left where each has a line of its own.
 */
import { formatLog10 } from '../lib/format.js';
import { clippingBars, logTicks } from '../lib/shape.js';
import { baseLayout, colours, draw, markNote, view } from './common.js';

const lg = (v) => (v === null || v === undefined || !(v > 0) ? null : Math.log10(v));

/**
 * data: {before: {name: norm}, beforeLog10: {name: log10 norm}, after: {name: norm}, clipping: the API's `clipping`}
 * (the log10 figures are exact past float64, where `before` is null)
 * opts: {yscale, narrow, uirevision, filename}
 */
export function drawClipping(div, data, opts) {
  const log = opts.yscale !== 'linear';
  // the axis the names stand on and the axis of the norms: x and y, or lying down y and x
  const [cat, val] = opts.narrow ? ['y', 'x'] : ['x', 'y'];
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
    type: 'bar', name: label, [cat]: names, marker: { color: colour },
    [val]: log ? logs.map((l) => (l === null ? null : l - lo)) : raw,
    ...(log ? { base: lo } : {}), ...(opts.narrow ? { orientation: 'h' } : {}),
    text: logs.map((l) => (l === null ? '' : formatLog10(l))), textposition: 'none',
    hovertemplate: `%{${cat}}<br>${label}: %{text}<extra></extra>`,
  });
  const traces = [
    bar('before clipping', beforeLog, [...bars.before, c.total_norm ?? null], barColours.before),
    bar('after clipping', afterLog, [...bars.after, c.clipped_total_norm ?? null], barColours.after),
  ];
  const shapes = [];
  // a norm past float64 has no float value: say so at the foot of its bars (drawn from the exact log10 on a log
  // axis), on a box of the background colour, since the bars behind it are blue
  const beyondAt = (n) => (opts.narrow
    ? markNote('beyond float64', { y: n, yref: 'y', xref: 'paper', x: 0.02, xanchor: 'left' }, 10)
    : markNote('beyond<br>float64', { x: n, xref: 'x', yref: 'paper', y: 0.02, yanchor: 'bottom' }, 10));
  const annotations = names.flatMap((n, k) => ((k < bars.before.length ? bars.before[k] : c.total_norm) === null ? [beyondAt(n)] : []));
  if (th) {
    const v = log ? Math.log10(th) : th;
    const text = `${c.mode === 'value' ? 'clip value' : 'max norm'} ${th}`;
    if (opts.narrow) {
      // the label on the side of the line with the room: its fraction of the way along the norm axis
      const top = log ? hi + 0.5 : Math.max(...traces.flatMap((t) => t.x).filter((x) => x !== null), th);
      const along = log ? (v - lo) / (top - lo) : v / top;
      shapes.push({ type: 'line', yref: 'paper', y0: 0, y1: 1, x0: v, x1: v, line: { color: mark, width: 2, dash: 'dash' } });
      annotations.push(markNote(text, { yref: 'paper', y: 1, x: v, xanchor: along > 0.5 ? 'right' : 'left', yanchor: 'bottom' }));
    } else {
      shapes.push({ type: 'line', xref: 'paper', x0: 0, x1: 1, y0: v, y1: v, line: { color: mark, width: 2, dash: 'dash' } });
      annotations.push(markNote(text, { xref: 'paper', x: 1, y: v, xanchor: 'right', yanchor: 'bottom' }));
    }
  }
  const norms = log
    ? { title: { text: labels.y_log }, tickmode: 'array', ...logTicks(lo, hi), range: [lo, hi + 0.5] }
    : { title: { text: labels.y }, exponentformat: 'power' };
  // lying down, the first parameter on top and the names given the room they need
  const nameAxis = opts.narrow ? { type: 'category', autorange: 'reversed', automargin: true } : { type: 'category' };
  const layout = baseLayout(opts.uirevision, {
    barmode: 'group', shapes, annotations, [`${val}axis`]: norms, [`${cat}axis`]: nameAxis,
    // lying down, the norms' axis title is at the foot, so the legend goes under it, at the bottom of the chart
    ...(opts.narrow ? { margin: { l: 8, r: 16, t: 28, b: 84 }, legend: { orientation: 'h', x: 0, yref: 'container', y: 0, yanchor: 'bottom' } } : {}),
  });
  return draw(div, traces, layout, opts.filename);
}
