/**
 * Sweep: the phase diagram of one metric over the swept fields. With two axes a heatmap of the mean over the
 * seeds (x field across, y field up, logarithmic where the axis is log-spaced) whose cells fill in as points
 * arrive; with one axis a line of the mean inside the min..max band over the seeds. For log10 |dL/dh_1| the
 * critical line at 0 is drawn over it: a contour on the heatmap, a horizontal line on the line chart.
 */
import { theme } from '../lib/meta.js';
import { baseLayout, colorbar, colours, draw, emptyNote } from './common.js';

/**
 * The theme's sweep colours: blue where the gradient vanishes (`vanish`), white where it neither grows nor
 * shrinks (`neutral`), vermillion where it explodes (`explode`), each the full colour at the extreme and
 * lighter shades at a tenth and a hundredth of it (Okabe-Ito blue and vermillion); the critical line; the
 * min..max band.
 */
const sweepColours = () => colours().sweep;
const criticalLine = () => ({ color: sweepColours().critical, width: 2.5 });

/**
 * Brick edges around the cell centres `values`: halfway between neighbours (geometrically on a log axis, so
 * each cell is centred on its value as drawn), half a step beyond the ends.
 */
export function cellEdges(values, log) {
  const to = log ? Math.log10 : (v) => v;
  const from = log ? (v) => 10 ** v : (v) => v;
  const t = values.map(to);
  if (t.length === 1) return [from(t[0] - 0.5), from(t[0] + 0.5)];
  const mids = t.slice(1).map((v, k) => (t[k] + v) / 2);
  return [t[0] - (t[1] - t[0]) / 2, ...mids, t[t.length - 1] + (t[t.length - 1] - t[t.length - 2]) / 2].map(from);
}

/**
 * A colour scale with white exactly at 0 over a range symmetric about it, so the sign of log10 |dL/dh_1| reads
 * off the colour and equal distances from the border look equally strong on both sides: {colorscale, zmin,
 * zmax}. At long sequences the range spans hundreds of decades, so the shade changes at a tenth and a
 * hundredth of it too, or every cell within a few decades of the border would look white.
 */
export function divergingScale(z) {
  const values = z.flat().filter((v) => typeof v === 'number');
  const reach = Math.max(0, ...values.map(Math.abs)) || 1;
  const at = (v) => 0.5 + v / (2 * reach);
  const side = (sign, shades) => shades.map((colour, k) => [at(sign * reach / 10 ** k), colour]);
  const { vanish, neutral, explode } = sweepColours();
  return { colorscale: [...side(-1, vanish), [0.5, neutral], ...side(1, explode).reverse()], zmin: -reach, zmax: reach };
}

/** [ix, iy, x value, y value, seeds] for every cell: what a hover prints and a click reads. */
function cellData(data, counts) {
  return data.mean.map((row, iy) => row.map((_, ix) => [ix, iy, data.x.values[ix], data.y ? data.y.values[iy] : null, counts[iy][ix]]));
}

/** The rows every cell of which has a value: the contour is drawn over those only, never guessed into gaps. */
function filledRows(data) {
  return data.mean.map((row, iy) => iy).filter((iy) => data.mean[iy].every((v) => v !== null));
}

function contourTrace(data) {
  const rows = filledRows(data);
  if (rows.length < 2 || data.x.values.length < 2) return [];
  return [{
    type: 'contour', name: data.critical, x: data.x.values, y: rows.map((iy) => data.y.values[iy]),
    z: rows.map((iy) => data.mean[iy]), autocontour: false, contours: { coloring: 'none', start: 0, end: 0, size: 1, showlabels: false },
    line: criticalLine(), showscale: false, showlegend: true, hoverinfo: 'skip',
  }];
}

function heatmapTraces(data, opts) {
  const scale = opts.diverging ? divergingScale(data.mean) : { colorscale: opts.palette };
  const heat = {
    type: 'heatmap', name: data.label, x: cellEdges(data.x.values, data.x.log), y: cellEdges(data.y.values, data.y.log),
    z: data.mean, customdata: cellData(data, data.count), hoverongaps: false, colorbar: colorbar(data.label, 1.01), ...scale,
    hovertemplate: `${data.x.field} = %{customdata[2]:.4g}<br>${data.y.field} = %{customdata[3]:.4g}<br>${data.label} = %{z:.4g}`
      + '<br>mean of %{customdata[4]} seed(s)<extra>click to load</extra>',
  };
  return data.critical ? [heat, ...contourTrace(data)] : [heat];
}

function lineTraces(data) {
  const { values } = data.x;
  const [mean, min, max] = [data.mean[0], data.min[0], data.max[0]];
  const { vanish, band: bandColour } = sweepColours();
  const band = data.count[0].some((n) => n > 1) ? [
    { type: 'scatter', mode: 'lines', x: values, y: max, line: { width: 0 }, hoverinfo: 'skip', showlegend: false },
    {
      type: 'scatter', mode: 'lines', name: 'min..max over the seeds', x: values, y: min, line: { width: 0 }, fill: 'tonexty',
      fillcolor: bandColour, hoverinfo: 'skip',
    },
  ] : [];
  const line = {
    type: 'scatter', mode: 'lines+markers', name: `${data.label}, mean over the seeds`, x: values, y: mean,
    customdata: cellData(data, data.count)[0], line: { color: vanish[0], width: 2 }, marker: { size: 7 },
    hovertemplate: `${data.x.field} = %{x:.4g}<br>${data.label} = %{y:.4g} (mean of %{customdata[4]} seed(s))<extra>click to load</extra>`,
  };
  const zero = data.critical && values.length > 0 ? [{
    type: 'scatter', mode: 'lines', name: data.critical, x: [Math.min(...values), Math.max(...values)], y: [0, 0],
    line: { ...criticalLine(), dash: 'dash' }, hoverinfo: 'skip',
  }] : [];
  return [...band, ...zero, line];
}

/**
 * The mean field's predicted edge of chaos over the measured diagram (data.predicted: s* per y value, or one
 * value without y; null: none): dashed, s* against the y axis on the heatmap, a vertical line at s* across the
 * metric's range on the line chart. Only for a sweep over recurrent_scale, the x axis s* is a value of.
 */
export function predictedTraces(data) {
  const scales = data.predicted;
  if (!Array.isArray(scales) || !scales.length || data.x.field !== 'recurrent_scale') return [];
  const name = theme().theory_labels.critical_line;
  const line = { color: sweepColours().predicted, width: 2, dash: 'dash' };
  // hoverinfo 'skip': a click on a cell under the line must still load that cell (clickedCell reads the heatmap's point)
  if (data.y) {
    const lone = scales.length === 1;
    return [{
      type: 'scatter', mode: lone ? 'markers' : 'lines', name, x: scales, y: data.y.values.slice(0, scales.length), line,
      marker: { color: line.color, symbol: 'line-ns-open', size: 14 }, hoverinfo: 'skip',
    }];
  }
  const span = [data.min, data.max, data.mean].flat(2).filter((v) => typeof v === 'number' && Number.isFinite(v));
  if (!span.length) return [];
  const [lo, hi] = [Math.min(...span), Math.max(...span)];
  return [{
    type: 'scatter', mode: 'lines', name, x: [scales[0], scales[0]], y: [lo, hi], line, hoverinfo: 'skip',
  }];
}

/** An axis for a swept field; a log axis over a decade or more is labelled once a decade, not at 2, 3, ... 9 too. */
function sweptAxis(axis) {
  const positive = axis.values.filter((v) => v > 0);
  const decades = positive.length > 1 ? Math.log10(Math.max(...positive) / Math.min(...positive)) : 0;
  return {
    title: { text: `${axis.field}${axis.log ? ' (log scale)' : ''}` }, type: axis.log ? 'log' : 'linear', exponentformat: 'power',
    ...(axis.log && decades >= 1 ? { dtick: 1, minor: { ticks: 'outside', ticklen: 3 } } : {}),
  };
}

/**
 * data: {x: {field, values, log}, y: {field, values, log} | null, label (the metric in words), critical (the
 * legend's name for the line at 0, or null: no line), mean, min, max, count (ny x nx, null where no seed has
 * arrived), predicted (the summary's theory.critical_scale, or null: see predictedTraces)}. opts: {palette, diverging (white at 0 instead of the palette), note (a reason the chart is empty,
 * or ''), revision, uirevision, filename}.
 */
export function drawSweep(div, data, opts) {
  const twoAxes = data.y !== null;
  const traces = opts.note ? [] : [...(twoAxes ? heatmapTraces(data, opts) : lineTraces(data)), ...predictedTraces(data)];
  const layout = baseLayout(opts.uirevision, {
    datarevision: opts.revision,
    xaxis: sweptAxis(data.x),
    yaxis: twoAxes ? sweptAxis(data.y) : { title: { text: data.label }, zeroline: false },
    hovermode: 'closest',
    margin: { l: 64, r: 16, t: 16, b: 52 },
    legend: { orientation: 'h', y: -0.2, x: 0, font: { size: 11, color: colours().muted } },
    annotations: opts.note ? [emptyNote(opts.note)] : [],
  });
  return draw(div, traces, layout, opts.filename);
}

/** The grid cell {ix, iy} a plotly_click landed on (the heatmap's or the line's customdata), or null. */
export function clickedCell(event) {
  const cell = event?.points?.find((p) => Array.isArray(p.customdata))?.customdata;
  return cell ? { ix: cell[0], iy: cell[1] } : null;
}
