/**
 * View 1, the unrolled network: log10|dL/dh_t| as time step x hidden unit, with the chain strip below
 * (one box per step, coloured by log10 of the gradient norm). One column per panel: dL/dh_t and dL/dc_t
 * for an LSTM, or one cell each in compare mode; on a phone (opts.narrow) one row per panel instead.
 */
import { normHover } from '../lib/format.js';
import { LOG10_FLOAT64_MAX, finiteRange, normSeries, runs, steps } from '../lib/shape.js';
import {
  STACK, axisId, axisKey, baseLayout, colorbar, colours, columns, draw, markNote, panelTitle, rowColorbar, rowTitle, stackMargin, stackRows, view,
} from './common.js';

const HEAT_DOMAIN = [0.24, 0.94];
const STRIP_DOMAIN = [0, 0.11];

/**
 * Hover suffixes for cells past float64, or null when there are none: built only when the panel's range says
 * a cell is past it (the exploding rnn), never in the common case. Unit by step, as Plotly reads a text array
 * of a transposed heatmap; `rows` are steps by unit, typed (lib/typed.js) or plain.
 */
function beyondText(rows, range) {
  if (!range || !(range[1] > LOG10_FLOAT64_MAX)) return null;
  const H = rows.length ? rows[0].length : 0;
  return Array.from({ length: H }, (_, u) => Array.from(rows, (row) => (row[u] > LOG10_FLOAT64_MAX ? ' (beyond float64)' : '')));
}

/** The shared colour axis, or the panel's own scale with `bar` (a colour bar beside it). */
function colourFor(panel, opts, bar) {
  if (opts.shared) return { coloraxis: 'coloraxis' };
  const range = finiteRange(panel.z, panel.strip) || [0, 1];
  return { colorscale: opts.palette, zmin: range[0], zmax: range[1], showscale: true, colorbar: bar };
}

/** The colour bar of panel i's own scale, beside its column. */
function columnBar(domain) {
  return colorbar(view('unrolled').colorbar_panel, domain[1] + 0.005, (HEAT_DOMAIN[0] + HEAT_DOMAIN[1]) / 2, HEAT_DOMAIN[1] - HEAT_DOMAIN[0]);
}

/**
 * The panel's heatmap takes its steps-by-unit rows as they came (`transpose`: Plotly turns them, so time runs
 * along x without a copy here), with a hover template reading z; its chain strip below.
 */
function panelTraces(i, panel, opts, bar) {
  const x = steps(panel.strip.length);
  const H = panel.z.length ? panel.z[0].length : 0;
  const text = beyondText(panel.z, finiteRange(panel.z));
  const colour = colourFor(panel, opts, bar);
  const heat = {
    type: 'heatmap', name: panel.label, x, y: steps(H), z: panel.z, transpose: true, xaxis: axisId('x', i), yaxis: axisId('y', 2 * i),
    hovertemplate: `t = %{x}, unit %{y}<br>log10|${panel.quantity}| = %{z:.3f}${text ? '%{text}' : ''}<extra>${panel.label}</extra>`,
    ...(text ? { text } : {}),
    ...colour,
  };
  const series = normSeries(panel.stripNorm, panel.strip);
  const strip = {
    type: 'heatmap', name: `${panel.label} chain`, x, y: ['chain'], z: [panel.strip], xaxis: axisId('x', i),
    yaxis: axisId('y', 2 * i + 1), xgap: x.length <= 60 ? 1 : 0, text: [normHover(series, `|${panel.quantity}|`)],
    hovertemplate: `%{text}<extra>${panel.label} chain</extra>`,
    ...(opts.shared ? { coloraxis: 'coloraxis' } : { ...colour, showscale: false }),
  };
  return { traces: [heat, strip], beyond: series.beyond };
}

function panelAxes(i, panel, domain, n) {
  const T = panel.strip.length;
  const labels = view('unrolled');
  return {
    [axisKey('x', i)]: {
      domain, anchor: axisId('y', 2 * i + 1), title: { text: labels.x }, range: [0.5, T + 0.5],
      ...(n > 1 && i > 0 ? { matches: 'x' } : {}),
    },
    [axisKey('y', 2 * i)]: {
      domain: HEAT_DOMAIN, anchor: axisId('x', i), title: { text: i === 0 ? labels.y : '' }, autorange: true,
    },
    [axisKey('y', 2 * i + 1)]: {
      domain: STRIP_DOMAIN, anchor: axisId('x', i), fixedrange: true, showticklabels: i === 0, ticks: '',
    },
  };
}

/** Outlines over the chain boxes that are beyond float64. */
function beyondShapes(i, beyond) {
  const { mark } = colours();
  return runs(beyond).map(([a, b]) => ({
    type: 'rect', xref: axisId('x', i), yref: `${axisId('y', 2 * i + 1)} domain`, x0: a + 0.5, x1: b + 1.5, y0: -0.15, y1: 1.15,
    line: { color: mark, width: 2 }, fillcolor: 'rgba(0,0,0,0)',
  }));
}

const HEAT_PX = 150;
const STRIP_PX = 18;
/** Between a row's heatmap and its strip: room for the "outlined: beyond float64" note. */
const NOTE_GAP = 22;

/**
 * On a phone: one panel per row, its heatmap over its chain strip, each row with its title, its time axis and
 * its unit axis; the shared scale's colour bar beside the first row, a panel's own scale beside its row.
 */
function drawStacked(div, panels, opts) {
  const rows = panels.flatMap(() => [HEAT_PX, STRIP_PX]);
  const gaps = panels.flatMap((_, i) => (i < panels.length - 1 ? [NOTE_GAP, STACK.gap] : [NOTE_GAP]));
  const { height, domains } = stackRows(rows, gaps);
  const heat = (i) => domains[2 * i];
  const strip = (i) => domains[2 * i + 1];
  const labels = view('unrolled');
  const traces = [];
  const shapes = [];
  const annotations = [];
  const axes = {};
  panels.forEach((panel, i) => {
    const built = panelTraces(i, panel, opts, rowColorbar(labels.colorbar_panel, heat(i)));
    traces.push(...built.traces);
    shapes.push(...beyondShapes(i, built.beyond));
    annotations.push(rowTitle(panel.title || `${panel.label}: log10|${panel.quantity}|`, heat(i)));
    if (built.beyond.length) {
      annotations.push(markNote('outlined: beyond float64', {
        xref: 'paper', yref: 'paper', x: 1, y: strip(i)[1], xanchor: 'right', yanchor: 'bottom', yshift: 2,
      }));
    }
    Object.assign(axes, panelAxes(i, panel, [0, 1], panels.length), {
      [axisKey('y', 2 * i)]: { domain: heat(i), anchor: axisId('x', i), title: { text: labels.y }, autorange: true },
      [axisKey('y', 2 * i + 1)]: { domain: strip(i), anchor: axisId('x', i), fixedrange: true, ticks: '' },
    });
  });
  const layout = baseLayout(opts.uirevision, {
    height, margin: stackMargin(), showlegend: false, ...axes, shapes, annotations,
  });
  if (opts.shared) {
    const range = finiteRange(...panels.map((p) => [p.z, p.strip])) || [0, 1];
    layout.coloraxis = { colorscale: opts.palette, cmin: range[0], cmax: range[1], colorbar: rowColorbar(labels.colorbar, heat(0)) };
  }
  return draw(div, traces, layout, opts.filename);
}

/**
 * panels: [{label, title?, quantity: 'dL/dh_t', z: T x H log10|.| rows, strip: T log10 norms, stripNorm: T norms}]
 * opts: {palette, shared: bool, narrow: bool (a phone: one panel per row), uirevision, filename}
 */
export function drawUnrolled(div, panels, opts) {
  if (opts.narrow) return drawStacked(div, panels, opts);
  const n = panels.length;
  const domains = columns(n, opts.shared ? 0.05 : 0.1, opts.shared ? 0.92 : 0.94);
  const traces = [];
  let layout = baseLayout(opts.uirevision, { margin: { l: 56, r: 8, t: 28, b: 44 }, showlegend: false });
  const shapes = [];
  const annotations = [];
  panels.forEach((panel, i) => {
    const built = panelTraces(i, panel, opts, columnBar(domains[i]));
    traces.push(...built.traces);
    shapes.push(...beyondShapes(i, built.beyond));
    annotations.push(panelTitle(panel.title || `${panel.label}: log10|${panel.quantity}|`, domains[i], HEAT_DOMAIN[1] + 0.01));
    if (built.beyond.length) {
      annotations.push(markNote('outlined: beyond float64', {
        xref: 'paper', yref: 'paper', x: domains[i][1], y: STRIP_DOMAIN[1] + 0.02, xanchor: 'right', yanchor: 'bottom',
      }));
    }
    layout = { ...layout, ...panelAxes(i, panel, domains[i], n) };
  });
  if (opts.shared) {
    const range = finiteRange(...panels.map((p) => [p.z, p.strip])) || [0, 1];
    layout.coloraxis = {
      colorscale: opts.palette, cmin: range[0], cmax: range[1],
      colorbar: colorbar(view('unrolled').colorbar, 0.935, (HEAT_DOMAIN[0] + HEAT_DOMAIN[1]) / 2, HEAT_DOMAIN[1] - HEAT_DOMAIN[0]),
    };
  }
  return draw(div, traces, { ...layout, shapes, annotations }, opts.filename);
}
