/**
 * View 2: |dL/dh_t| against t. On the log setting the y values are the API's exact log10 norms with
 * ticks at powers of ten, so norms past float64 are placed correctly; on the linear setting the float64
 * norms are drawn and steps past float64 are marked at the top edge, never drawn as a number.
 */
import { formatSig, normHover } from '../lib/format.js';
import { LOG10_FLOAT64_MAX, finiteRange, logTicks, normSeries } from '../lib/shape.js';
import { theme } from '../lib/meta.js';
import { baseLayout, colours, draw, float64Limit, view } from './common.js';

const pow10 = (l) => (l === null ? null : 10 ** l);
const finiteOrNull = (v) => (v === null || !Number.isFinite(v) ? null : v);

function lineTraces(s, log) {
  const { mark } = colours();
  const series = normSeries(s.norm, s.log10);
  const y = log ? series.log10 : series.norm;
  const out = [{
    type: 'scatter', mode: 'lines', name: s.label, x: series.t, y, line: { color: s.colour, width: 2, dash: s.dash || 'solid' },
    text: normHover(series, s.quantity), hovertemplate: `%{text}<extra>${s.label}</extra>`,
  }];
  if (series.beyond.length) {
    const top = log ? null : Math.max(...series.norm.filter((v) => v !== null), 0);
    out.push({
      type: 'scatter', mode: 'markers', name: `${s.label}: beyond float64`, x: series.beyond.map((k) => k + 1),
      y: series.beyond.map((k) => (log ? series.log10[k] : top)),
      marker: { symbol: 'triangle-up', size: 7, color: mark }, text: series.beyond.map((k) => normHover(series, s.quantity)[k]),
      hovertemplate: `%{text}<extra>beyond float64</extra>`,
    });
  }
  if (s.clippedAt && s.clippedAt.length) {
    out.push({
      type: 'scatter', mode: 'markers', name: `${s.label}: clipped here`, x: s.clippedAt,
      y: s.clippedAt.map((t) => y[t - 1]), marker: { symbol: 'diamond-open', size: 7, color: s.colour },
      hovertemplate: 't = %{x}: clipped<extra></extra>',
    });
  }
  return out;
}

function bandTraces(s, log) {
  const b = s.batch;
  if (!b) return [];
  const t = b.mean.map((_, k) => k + 1);
  const tf = (arr) => (log ? arr : arr.map((l) => finiteOrNull(pow10(l))));
  const fill = `${s.colour}33`;
  return [
    { type: 'scatter', mode: 'lines', x: t, y: tf(b.max), line: { width: 0 }, showlegend: false, hoverinfo: 'skip', name: `${s.short || s.label}: batch max` },
    {
      type: 'scatter', mode: 'lines', x: t, y: tf(b.min), line: { width: 0 }, fill: 'tonexty', fillcolor: fill,
      name: `${s.short || s.label}: batch min..max`, hoverinfo: 'skip',
    },
    {
      type: 'scatter', mode: 'lines', x: t, y: tf(b.mean), line: { color: s.colour, width: 1, dash: 'dot' },
      name: `${s.short || s.label}: batch mean of log10`, hovertemplate: `t = %{x}<br>batch mean log10 = %{y:.3f}<extra></extra>`,
    },
  ];
}

/** Reference lines as legend entries (not floating labels), so they never overlap each other or the data. */
function thresholdTrace(th, log, tMax) {
  if (!th || !(th.value > 0)) return [];
  const { mark, muted } = colours();
  const on = th.mode !== 'none';
  const y = log ? Math.log10(th.value) : th.value;
  const what = th.mode === 'value' ? `clip value ${th.value} (per entry)` : `clip threshold ${th.value}`;
  const where = th.scope === 'bptt' ? 'caps each dL/dh_t' : 'on the parameter gradient';
  return [{
    type: 'scatter', mode: 'lines', x: [1, tMax], y: [y, y], hoverinfo: 'skip',
    name: on ? `${what}, ${where}` : `clip threshold ${th.value} (clipping off)`,
    line: { color: on ? mark : muted, width: on ? 2 : 1, dash: on ? 'dash' : 'dot' },
  }];
}

function horizonTraces(horizons, yRange) {
  return (horizons || []).map((h) => {
    const name = `memory horizon${h.label ? ` ${h.label}` : ''}: ${h.text}`;
    const beyond = h.value === null || h.value === undefined;
    const x = beyond ? null : h.from - h.value;
    return {
      type: 'scatter', mode: 'lines', name, x: [x, x], y: beyond ? [null, null] : yRange, hoverinfo: 'skip',
      line: { color: h.colour, width: 1.5, dash: 'dashdot' },
    };
  });
}

/** Each theory line's dash, so the three stay apart in compare mode where they share their cell's colour. */
const THEORY_DASH = { bound: 'dash', mean_field: 'longdash', cell_path: 'longdashdot' };

/** A theory line's name in the legend (theme.json theory_labels), with its cell in front when comparing. */
export function theoryName(line) {
  const labels = theme().theory_labels;
  const own = {
    bound: () => labels.bound,
    mean_field: () => `${labels.mean_field} (chi = ${formatSig(line.chi, 3)})`,
    cell_path: () => `${labels.cell_path} ${line.gate}`,
  }[line.kind]();
  return line.cell ? `${line.cell}: ${own}` : own;
}

/**
 * The theory lines, dashed: lines [{kind: 'bound'|'mean_field'|'cell_path', log10: T, chi?, gate?, cell? (compare
 * mode: the cell, whose colour it takes)}]. On the linear setting a value past float64 is left out, not drawn.
 */
export function theoryTraces(lines, log) {
  const { cells, theory } = colours();
  return (lines || []).map((line) => {
    const name = theoryName(line);
    const y = log ? line.log10 : line.log10.map((l) => finiteOrNull(pow10(l)));
    return {
      type: 'scatter', mode: 'lines', name, x: line.log10.map((_, k) => k + 1), y,
      line: { color: line.cell ? cells[line.cell] : theory[line.kind], width: 1.5, dash: THEORY_DASH[line.kind] },
      hovertemplate: `t = %{x}<br>predicted ${log ? 'log10 = %{y:.3f}' : '%{y:.3~e}'}<extra>${name}</extra>`,
    };
  });
}

/**
 * series: [{label, short?, quantity, colour, dash?, norm: T|null, log10: T, batch?: {mean,min,max}, clippedAt?: [t]}]
 * opts: {yscale: 'log'|'linear', threshold: {value, mode, scope}, horizons: [{value, from, text, label, colour}],
 * theory: theoryTraces's lines ([] or absent: none), uirevision, filename}
 */
export function drawNorms(div, series, opts) {
  const log = opts.yscale !== 'linear';
  const tMax = Math.max(1, ...series.map((s) => s.log10.length));
  const traces = series.flatMap((s) => [...bandTraces(s, log), ...lineTraces(s, log)]);
  const theory = theoryTraces(opts.theory, log);
  traces.push(...theory);
  const range = finiteRange(...series.map((s) => (log
    ? [s.log10, s.batch ? [s.batch.min, s.batch.max] : []]
    : s.norm || [])), ...theory.map((t) => t.y)) || [0, 1];
  const th = opts.threshold && opts.threshold.value > 0 ? (log ? Math.log10(opts.threshold.value) : opts.threshold.value) : null;
  const yRange = th === null ? range : [Math.min(range[0], th), Math.max(range[1], th)];
  traces.push(...thresholdTrace(opts.threshold, log, tMax), ...horizonTraces(opts.horizons, yRange));
  const shapes = [];
  const annotations = [];
  const labels = view('norms');
  let yaxis = { title: { text: labels.y }, zeroline: !log, exponentformat: 'power' };
  if (log) {
    yaxis = { ...yaxis, title: { text: labels.y_log }, tickmode: 'array', ...logTicks(yRange[0], yRange[1]) };
    if (yRange[1] > LOG10_FLOAT64_MAX) {
      // the steps past float64, as fractions of the time axis: the label keeps away from their triangles
      const beyond = series.flatMap((s) => normSeries(s.norm, s.log10).beyond.map((k) => k / Math.max(1, tMax - 1)));
      const limit = float64Limit(LOG10_FLOAT64_MAX, beyond);
      shapes.push(limit.shape);
      annotations.push(limit.annotation);
    }
  }
  const layout = baseLayout(opts.uirevision, {
    xaxis: { title: { text: labels.x } },
    yaxis,
    hovermode: 'x',
    shapes,
    annotations,
    legend: { orientation: 'h', y: -0.22, x: 0, font: { size: 11 } },
    margin: { l: 64, r: 16, t: 16, b: 48 },
  });
  return draw(div, traces, layout, opts.filename);
}
