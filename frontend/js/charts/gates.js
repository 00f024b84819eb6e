/**
 * View 3: gate activations over time, one heatmap per gate (time step x hidden unit). The gate that carries
 * memory (the LSTM's forget gate f, the GRU's update gate z) sits in the top row next to the gradient it
 * multiplies (dL/dc_t, or dL/dh_t for the GRU), so the two pictures can be read against each other.
 */
import { CARRIER, GATES, GATE_LABELS, TANH_GATES } from '../cells.js';
import { finiteRange, steps, transpose } from '../shape.js';
import { axisId, axisKey, baseLayout, colorbar, columns, draw, emptyNote, panelTitle } from './common.js';

const TOP = [0.58, 0.94];
const BOTTOM = [0, 0.36];

function heat(i, z, name, coloraxis) {
  const zT = transpose(z);
  return {
    type: 'heatmap', x: steps(z.length), y: steps(zT.length), z: zT, xaxis: axisId('x', i), yaxis: axisId('y', i), coloraxis,
    name, hovertemplate: `t = %{x}, unit %{y}<br>${name} = %{z:.4f}<extra></extra>`,
  };
}

function axes(i, xDomain, yDomain, showY) {
  return {
    [axisKey('x', i)]: { domain: xDomain, anchor: axisId('y', i), title: { text: 'time step t', standoff: 2 }, ...(i ? { matches: 'x' } : {}) },
    [axisKey('y', i)]: { domain: yDomain, anchor: axisId('x', i), title: { text: showY ? 'unit' : '' }, ...(i ? { matches: 'y' } : {}) },
  };
}

/**
 * data: {cell, gates: {name: T x H}, carry: {quantity, z: T x H log10|.|}} or null for a cell without gates.
 * opts: {palette, uirevision, filename}
 */
export function drawGates(div, data, opts) {
  if (!data || !data.gates) {
    const layout = baseLayout(opts.uirevision, {
      xaxis: { visible: false }, yaxis: { visible: false },
      annotations: [emptyNote('A plain RNN has no gates: choose lstm or gru (or compare mode) to see them.')],
    });
    return draw(div, [], layout, opts.filename);
  }
  const carrier = CARRIER[data.cell];
  const others = GATES[data.cell].filter((g) => g !== carrier);
  const top = columns(2, 0.08, 0.9);
  const bottom = columns(others.length, 0.05, 0.9);
  const traces = [];
  const annotations = [];
  let layout = baseLayout(opts.uirevision, { showlegend: false, margin: { l: 48, r: 8, t: 24, b: 40 } });

  const place = (i, z, title, name, coloraxis, xDomain, yDomain, showY) => {
    traces.push(heat(i, z, name, coloraxis));
    annotations.push(panelTitle(title, xDomain, yDomain[1] + 0.005));
    layout = { ...layout, ...axes(i, xDomain, yDomain, showY) };
  };
  place(0, data.gates[carrier], `${data.cell}: ${GATE_LABELS[carrier]}`, carrier, 'coloraxis', top[0], TOP, true);
  const gradName = `log10|${data.carry.quantity}|`;
  const gradTrace = heat(1, data.carry.z, gradName, 'coloraxis3');
  gradTrace.hovertemplate = `t = %{x}, unit %{y}<br>${gradName} = %{z:.3f}<extra></extra>`;
  traces.push(gradTrace);
  annotations.push(panelTitle(`${gradName}, carried by ${carrier}`, top[1], TOP[1] + 0.005));
  layout = { ...layout, ...axes(1, top[1], TOP, false) };
  others.forEach((g, k) => {
    place(k + 2, data.gates[g], `${data.cell}: ${GATE_LABELS[g]}`, g, TANH_GATES.has(g) ? 'coloraxis2' : 'coloraxis', bottom[k], BOTTOM, k === 0);
  });

  const gradRange = finiteRange(data.carry.z) || [0, 1];
  layout.coloraxis = { colorscale: opts.palette, cmin: 0, cmax: 1, colorbar: colorbar('gate (0..1)', 0.92, 0.76, 0.4) };
  layout.coloraxis2 = { colorscale: 'RdBu', cmin: -1, cmax: 1, colorbar: colorbar('tanh (-1..1)', 0.92, 0.18, 0.36) };
  layout.coloraxis3 = { colorscale: opts.palette, cmin: gradRange[0], cmax: gradRange[1], colorbar: colorbar('log10', 0.985, 0.76, 0.4) };
  return draw(div, traces, { ...layout, annotations }, opts.filename);
}
