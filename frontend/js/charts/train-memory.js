/**
 * Training lab: the memory horizon of every progress step (how many steps back |dL/dh_t| keeps a thousandth
 * of its size at the loss) in the top panel, and the mean of the gate that carries memory (the lstm's
 * forget gate f, the gru's update gate z) in the bottom one. A horizon beyond the sequence is drawn at T,
 * the most the chart can show, with an open circle (explained above the chart, not in the legend).
 */
import { baseLayout, colours, draw, view, wrapLines } from './common.js';

const TOP = [0.56, 1];
const BOTTOM = [0, 0.38];

function horizonTraces(s) {
  const out = [{
    type: 'scatter', mode: 'lines', name: `${s.label}: memory horizon`, x: s.step, y: s.horizon, legendgroup: s.label,
    line: { color: s.colour, width: 2 }, hovertemplate: `step %{x}<br>memory horizon %{y} steps<extra>${s.label}</extra>`,
  }];
  if (s.beyond.length) {
    out.push({
      type: 'scatter', mode: 'markers', name: `${s.label}: beyond the sequence`, x: s.beyond.map((k) => s.step[k]), y: s.beyond.map(() => s.seqLen),
      legendgroup: s.label, showlegend: false, marker: { symbol: 'circle-open', size: 7, color: s.colour },
      hovertemplate: `step %{x}<br>memory horizon beyond the sequence (all ${s.seqLen} steps)<extra>${s.label}</extra>`,
    });
  }
  return out;
}

function gateTrace(s) {
  if (!s.gate) return [];
  return [{
    type: 'scatter', mode: 'lines', name: `${s.label}: mean ${s.gateName}`, x: s.step, y: s.gate, xaxis: 'x2', yaxis: 'y2', legendgroup: s.label,
    line: { color: s.colour, width: 2, dash: 'dot' }, hovertemplate: `step %{x}<br>mean ${s.gateName} %{y:.4f}<extra>${s.label}</extra>`,
  }];
}

/**
 * series: [{label, colour, seqLen, step: [n], horizon: [n] (seqLen where beyond the sequence, null where a step
 * diverged), beyond: [indices], gate: [n] | null (a plain rnn has none), gateName}].
 * opts: {revision, uirevision, filename}.
 */
export function drawTrainMemory(div, series, opts) {
  const traces = [...series.flatMap(horizonTraces), ...series.flatMap(gateTrace)];
  const anyGate = series.some((s) => s.gate);
  const seqLen = Math.max(1, ...series.map((s) => s.seqLen));
  const labels = view('train_memory');
  const layout = baseLayout(opts.uirevision, {
    datarevision: opts.revision,
    xaxis: { domain: [0, 1], anchor: 'y', showticklabels: false, rangemode: 'tozero' },
    yaxis: { domain: TOP, title: { text: labels.y }, range: [0, seqLen * 1.05], autorange: false },
    xaxis2: { domain: [0, 1], anchor: 'y2', matches: 'x', title: { text: labels.x } },
    yaxis2: { domain: BOTTOM, title: { text: labels.y2 }, range: [0, 1], autorange: false },
    annotations: anyGate ? [] : [{
      text: wrapLines('A plain rnn has no gates: train an lstm or a gru to see one here.'), xref: 'paper', yref: 'paper', x: 0.5, y: BOTTOM[1] / 2,
      showarrow: false, font: { size: 13, color: colours().muted },
    }],
    hovermode: 'closest',
    margin: { l: 64, r: 16, t: 16, b: 48 },
    legend: { orientation: 'h', y: -0.3, x: 0, font: { size: 11 } },
  });
  return draw(div, traces, layout, opts.filename);
}
