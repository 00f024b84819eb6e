/**
 * From watched runs (runs/records.js) to the Runs section's charts: the training lab's four (loss, gradient norm,
 * gradient flow over training, memory horizon and gate) drawn from the runs mapped to the lab's events, one run or
 * two overlaid, and the depth x time flow of the shown run's latest snapshot. Draws only; no fetching, no words.
 */
import { drawDepthFlow } from '../charts/depth-flow.js';
import { drawTrainFlow } from '../charts/train-flow.js';
import { drawTrainGrad } from '../charts/train-grad.js';
import { drawTrainLoss } from '../charts/train-loss.js';
import { drawTrainMemory } from '../charts/train-memory.js';
import {
  flowPanel, gradSeries, lossSeries, memorySeries, runColours,
} from '../train/views.js';
import { labRun, lastStepOf, latestDepth, lossRun } from './records.js';

/** A log axis unless some loss is zero or negative (a user's loss may be anything). */
function lossScale(series) {
  return series.every((s) => s.loss.every((l) => l === null || l > 0)) ? 'log' : 'linear';
}

/**
 * Draws `records` (the shown run first, then the one compared) into `hooks` ({loss, grad, flow, memory, depth}:
 * chart elements); `state.palette` colours the heatmaps. Resolves when every chart is drawn.
 */
export function drawRunViews(hooks, records, state, revision) {
  const runs = records.map(labRun);
  const colours = runColours(runs);
  const xMax = Math.max(1, ...records.map(lastStepOf));
  const names = records.map((r) => r.name).join('-');
  const common = (view) => ({ revision, uirevision: `run-${view}-${names}`, filename: `gradflow-run-${view}` });
  const losses = records.map((r, i) => lossSeries(lossRun(r), colours[i]));
  const grads = runs.map((r, i) => gradSeries(r, colours[i]));
  return Promise.all([
    drawTrainLoss(hooks.loss, losses, { ...common('loss'), yscale: lossScale(losses), refs: [], xMax }),
    drawTrainGrad(hooks.grad, grads, { ...common('grad'), thresholds: [], xMax }),
    drawTrainFlow(hooks.flow, runs.map(flowPanel), { ...common('flow'), palette: state.palette, shared: true }),
    drawTrainMemory(hooks.memory, runs.map((r, i) => memorySeries(r, colours[i])), common('memory')),
    drawDepthFlow(hooks.depth, latestDepth(records[0]) || [], { ...common('depth'), palette: state.palette, shown: null }),
  ]);
}
