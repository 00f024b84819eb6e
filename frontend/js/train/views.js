/**
 * From the lab's runs (train/runs.js) to its four charts: turns each run's progress events into the plain
 * arrays the chart modules draw. Does no fetching and writes no words (train/readouts.js).
 */
import { cellMeta, gateLabel, theme } from '../lib/meta.js';
import { narrowPage } from '../charts/common.js';
import { drawTrainFlow } from '../charts/train-flow.js';
import { drawTrainGrad } from '../charts/train-grad.js';
import { drawTrainLoss } from '../charts/train-loss.js';
import { drawTrainMemory } from '../charts/train-memory.js';
import { formatSig } from '../lib/format.js';
import { baselineOf, solvedFraction } from './runs.js';

/** Each run's colour (the theme's): the cell's when runs are one per cell, else the run palette in order. */
export function runColours(runs) {
  const { cells, runs: palette } = theme().colours;
  const byCell = runs.every((r) => r.label in cells);
  return runs.map((r, i) => (byCell ? cells[r.label] : palette[i % palette.length]));
}

const column = (run, key) => run.events.map((e) => e[key] ?? null);
const log10OrNull = (v) => (typeof v === 'number' && v > 0 ? Math.log10(v) : null);

/** The last finite value of `values`, for placing an end marker on a line that stops at a null. */
function lastFinite(values) {
  for (let k = values.length - 1; k >= 0; k -= 1) if (typeof values[k] === 'number') return values[k];
  return null;
}

function ending(run) {
  const s = run.summary;
  if (s?.diverged) return { status: 'diverged', step: s.diverged_at };
  if (s?.solved) return { status: 'solved', step: s.solved_at };
  return null;
}

export function lossSeries(run, colour) {
  const loss = column(run, 'loss');
  const end = ending(run);
  return { label: run.label, colour, step: column(run, 'step'), loss, ended: end && { ...end, loss: lastFinite(loss) } };
}

export function gradSeries(run, colour) {
  const log10 = column(run, 'grad_norm_log10');
  const beyond = run.events.map((e, k) => k).filter((k) => run.events[k].grad_norm === null && typeof log10[k] === 'number');
  const clipping = run.config.clip_mode !== 'none';
  const end = ending(run);
  return {
    label: run.label, colour, step: column(run, 'step'), log10, beyond,
    clippedLog10: clipping ? run.events.map((e) => log10OrNull(e.clipped_grad_norm)) : null,
    divergedAt: end?.status === 'diverged' ? { step: end.step, log10: lastFinite(log10) } : null,
  };
}

/** log10 |dL/dh_t| as T x K: row t - 1, one column per progress event (nulls where a step diverged). */
export function flowPanel(run) {
  const T = Number(run.config.seq_len) || 0;
  const z = Array.from({ length: T }, (_, t) => run.events.map((e) => e.grad_h_log10_norm?.[t] ?? null));
  return { label: run.label, step: column(run, 'step'), z };
}

export function memorySeries(run, colour) {
  const seqLen = Number(run.config.seq_len) || 0;
  // null means beyond the sequence only where the step has a gradient; a diverged step has none
  const beyond = run.events.map((e, k) => k).filter((k) => run.events[k].memory_horizon === null && run.events[k].grad_h_log10_norm);
  const past = new Set(beyond);
  const horizon = run.events.map((e, k) => e.memory_horizon ?? (past.has(k) ? seqLen : null));
  // the gate that carries memory, and the progress field with its mean (GET /api/meta); a plain rnn has none
  const cell = cellMeta(run.config.cell);
  const gate = cell?.memory_gate ? cell : null;
  return {
    label: run.label, colour, seqLen, step: column(run, 'step'), horizon, beyond,
    gate: gate ? column(run, gate.memory_gate_mean) : null, gateName: gate ? gateLabel(gate.memory_gate) : '',
  };
}

/** The baseline and solved lines, once per distinct baseline (runs over both tasks get both pairs). */
export function lossRefs(runs) {
  const levels = [...new Set(runs.map(baselineOf).filter((b) => b !== null))];
  const tasks = (b) => [...new Set(runs.filter((r) => baselineOf(r) === b).map((r) => r.config.task))].join(', ');
  const fraction = solvedFraction();
  return levels.flatMap((b) => [
    { name: `baseline ${formatSig(b, 3)} (${tasks(b)})`, value: b, dash: 'dash' },
    { name: `solved below ${formatSig(b * fraction, 3)}`, value: b * fraction, dash: 'dot', colour: theme().colours.solved },
  ]);
}

/** The norm-clipping thresholds of the runs that clip by norm, each once, in log10 units. */
function clipThresholds(runs) {
  const values = [...new Set(runs.filter((r) => r.config.clip_mode === 'norm').map((r) => Number(r.config.clip_threshold)))];
  return values.filter((v) => v > 0).map((v) => ({ name: `clip threshold ${v}`, log10: Math.log10(v) }));
}

/**
 * Draws the four charts for `runs` into `hooks` ({loss, grad, flow, memory}: chart elements); display
 * settings come from `state` (train_yscale, train_zscale, palette). Resolves when all four are drawn.
 */
export function drawTrainViews(hooks, runs, state, revision) {
  const colours = runColours(runs);
  const xMax = Math.max(1, ...runs.map((r) => Number(r.config.steps) || 1));
  const rev = (view) => `train-${view}-${runs.map((r) => r.label).join('-')}`;
  const common = (view) => ({ revision, uirevision: rev(view), filename: `gradflow-train-${view}` });
  return Promise.all([
    drawTrainLoss(hooks.loss, runs.map((r, i) => lossSeries(r, colours[i])), {
      ...common('loss'), yscale: state.train_yscale, refs: lossRefs(runs), xMax, uirevision: `${rev('loss')}-${state.train_yscale}`,
    }),
    drawTrainGrad(hooks.grad, runs.map((r, i) => gradSeries(r, colours[i])), { ...common('grad'), thresholds: clipThresholds(runs), xMax }),
    drawTrainFlow(hooks.flow, runs.map(flowPanel), {
      ...common('flow'), palette: state.palette, shared: state.train_zscale !== 'panel', narrow: narrowPage(),
      uirevision: `${rev('flow')}-${state.train_zscale}`,
    }),
    drawTrainMemory(hooks.memory, runs.map((r, i) => memorySeries(r, colours[i])), common('memory')),
  ]);
}
