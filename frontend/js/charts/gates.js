/**
 * View 3: gate activations over time, one heatmap per gate (time step x hidden unit). The gate that carries
 * memory (the LSTM's forget gate f, the GRU's update gate z) sits next to the gradient it multiplies
 * (dL/dc_t, or dL/dh_t for the GRU), so the two pictures can be read against each other. One cell fills two
 * rows: that pair on top, the other gates below. Several cells (compare mode) get a row each, titled by cell.
 * On a phone (opts.narrow) every panel gets a row of its own.
 */
import { cellMeta, gateLabel, isTanhGate, theme } from '../lib/meta.js';
import { finiteRange, steps } from '../lib/shape.js';
import {
  axisId, axisKey, baseLayout, colorbar, columns, draw, emptyNote, panelTitle, rowColorbar, rowTitle, stackMargin, stackRows, view,
} from './common.js';

const ROWS_TOP = 0.94;
/** Between rows: room for one row's time axis title and the next row's panel titles. */
const ROW_GAP = 0.22;

/** y domains of `n` equal rows, top row first; two rows are [0.58, 0.94] and [0, 0.36]. */
function rowDomains(n) {
  const height = (ROWS_TOP - ROW_GAP * (n - 1)) / n;
  return Array.from({ length: n }, (_, k) => {
    const top = ROWS_TOP - k * (height + ROW_GAP);
    return [Math.max(0, top - height), top]; // max: the bottom row's 0 may come out as -1e-17
  });
}

/**
 * One cell's panels, {name, title, z, coloraxis, decimals}: its carrying gate, the gradient that gate
 * multiplies, then its other gates. Comparing, trace names carry the cell too ("gru: z").
 */
function cellPanels(block, compare) {
  const { gates, memory_gate: carrier } = cellMeta(block.cell);
  const name = (what) => (compare ? `${block.cell}: ${what}` : what);
  const gate = (g) => ({
    name: name(g), title: `${block.cell}: ${gateLabel(g)}`, z: block.gates[g], coloraxis: isTanhGate(g) ? 'coloraxis2' : 'coloraxis', decimals: 4,
  });
  const gradName = `log10|${block.carry.quantity}|`;
  const grad = {
    name: name(gradName), title: compare ? `${block.cell}: ${gradName}` : `${gradName}, carried by ${carrier}`, z: block.carry.z, coloraxis: 'coloraxis3', decimals: 3,
  };
  return [gate(carrier), grad, ...gates.filter((g) => g !== carrier).map(gate)];
}

/** Rows of panels, top row first, each {panels, gap, titleSize}. */
function panelRows(blocks) {
  if (blocks.length === 1) {
    const [carrier, grad, ...others] = cellPanels(blocks[0], false);
    return [{ panels: [carrier, grad], gap: 0.08, titleSize: 13 }, { panels: others, gap: 0.05, titleSize: 13 }];
  }
  // a compare row holds up to five narrow panels: smaller titles keep neighbours from running together
  return blocks.map((block) => ({ panels: cellPanels(block, true), gap: 0.05, titleSize: 11 }));
}

/** A panel's heatmap: its steps-by-unit rows as they came, turned by Plotly (`transpose`), hovered from z alone. */
function heat(i, panel) {
  const H = panel.z.length ? panel.z[0].length : 0;
  return {
    type: 'heatmap', x: steps(panel.z.length), y: steps(H), z: panel.z, transpose: true, xaxis: axisId('x', i), yaxis: axisId('y', i), coloraxis: panel.coloraxis,
    name: panel.name, hovertemplate: `t = %{x}, unit %{y}<br>${panel.name} = %{z:.${panel.decimals}f}<extra></extra>`,
  };
}

function axes(i, xDomain, yDomain, showY) {
  const labels = view('gates');
  return {
    [axisKey('x', i)]: { domain: xDomain, anchor: axisId('y', i), title: { text: labels.x, standoff: 2 }, ...(i ? { matches: 'x' } : {}) },
    [axisKey('y', i)]: { domain: yDomain, anchor: axisId('x', i), title: { text: showY ? labels.y : '' }, ...(i ? { matches: 'y' } : {}) },
  };
}

/** Traces, panel titles and axes for the rows, numbering the panels left to right, top row first. */
function placeRows(rows) {
  const placed = { traces: [], annotations: [], axes: {} };
  const yDomains = rowDomains(rows.length);
  rows.forEach((row, r) => {
    const xDomains = columns(row.panels.length, row.gap, 0.9);
    row.panels.forEach((panel, k) => {
      const i = placed.traces.length;
      placed.traces.push(heat(i, panel));
      placed.annotations.push({ ...panelTitle(panel.title, xDomains[k], yDomains[r][1] + 0.005), font: { size: row.titleSize } });
      Object.assign(placed.axes, axes(i, xDomains[k], yDomains[r], k === 0));
    });
  });
  return placed;
}

const ROW_PX = 120;

/**
 * On a phone: one panel per row, each with its title (naming its cell) and both axes; each colour scale's bar
 * beside the first row that uses it. Returns {height, traces, annotations, axes, bars: {coloraxis: colour bar}}.
 */
function placeStacked(blocks) {
  const panels = blocks.flatMap((block) => cellPanels(block, blocks.length > 1));
  const { height, domains } = stackRows(panels.map(() => ROW_PX));
  const labels = view('gates');
  const barTitle = { coloraxis: labels.colorbar, coloraxis2: labels.colorbar_tanh, coloraxis3: labels.colorbar_grad };
  const placed = { height, traces: [], annotations: [], axes: {}, bars: {} };
  panels.forEach((panel, i) => {
    placed.traces.push(heat(i, panel));
    placed.annotations.push(rowTitle(panel.title, domains[i]));
    Object.assign(placed.axes, axes(i, [0, 1], domains[i], true));
    placed.bars[panel.coloraxis] ??= rowColorbar(barTitle[panel.coloraxis], domains[i]);
  });
  return placed;
}

/**
 * blocks: one per gated cell, [{cell, gates: {name: T x H}, carry: {quantity, z: T x H log10|.|}}], empty for
 * a plain RNN. The gradients share one colour scale. opts: {palette, narrow (a phone: a row per panel), uirevision, filename}
 */
export function drawGates(div, blocks, opts) {
  if (!blocks || blocks.length === 0) {
    const layout = baseLayout(opts.uirevision, {
      xaxis: { visible: false }, yaxis: { visible: false },
      annotations: [emptyNote('A plain RNN has no gates: choose lstm or gru (or compare mode) to see them.')],
    });
    return draw(div, [], layout, opts.filename);
  }
  const gradRange = finiteRange(...blocks.map((b) => b.carry.z)) || [0, 1];
  const labels = view('gates');
  const stacked = opts.narrow ? placeStacked(blocks) : null;
  const { traces, annotations, axes: axesLayout } = stacked || placeRows(panelRows(blocks));
  const bars = stacked?.bars || {
    coloraxis: colorbar(labels.colorbar, 0.92, 0.76, 0.4),
    coloraxis2: colorbar(labels.colorbar_tanh, 0.92, 0.18, 0.36),
    coloraxis3: colorbar(labels.colorbar_grad, 0.985, 0.76, 0.4),
  };
  const layout = baseLayout(opts.uirevision, {
    showlegend: false, ...axesLayout, annotations,
    ...(stacked ? { height: stacked.height, margin: stackMargin(48) } : { margin: { l: 48, r: 8, t: 24, b: 40 } }),
    coloraxis: { colorscale: opts.palette, cmin: 0, cmax: 1, colorbar: bars.coloraxis },
    coloraxis2: { colorscale: theme().tanh_palette, cmin: -1, cmax: 1, colorbar: bars.coloraxis2 },
    coloraxis3: { colorscale: opts.palette, cmin: gradRange[0], cmax: gradRange[1], colorbar: bars.coloraxis3 },
  });
  return draw(div, traces, layout, opts.filename);
}
