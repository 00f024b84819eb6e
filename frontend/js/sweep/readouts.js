/**
 * The sweep's words: progress, the one-line status (with the executor once the summary names it), the base
 * the sweep runs on, what the critical line means, and why a chart is empty. Pure: numbers and sweeps in,
 * strings out (figures through format.js).
 */
import { formatSig } from '../lib/format.js';

const STATUS = {
  idle: 'Pick a preset, or choose the axes and press Start.',
  running: 'Sweeping…',
  stopped: 'Stopped: the chart keeps the points that arrived.',
  failed: 'The sweep could not finish (see the message above).',
};

/** "37 / 96 points". */
export function sweepProgressText(done, total) {
  return `${done} / ${total} points`;
}

/** How the sweep ended, naming where it ran: "Done: 96 points in 0.25 s, run inline." */
export function doneText(summary) {
  const seconds = formatSig(summary.elapsed_ms / 1000, 2);
  return `Done: ${summary.points} points in ${seconds} s, run by the ${summary.executor} executor.`;
}

/** The status line for a sweep (null before the first), with a note when the settings moved on from it. */
export function sweepStatusText(sweep, stale) {
  if (!sweep) return STATUS.idle;
  const line = sweep.status === 'done' ? doneText(sweep.summary) : STATUS[sweep.status];
  return stale ? `${line} The settings have changed since this sweep: press Start to sweep them.` : line;
}

/** The fields a base is summed up by, their short names, and when they are worth naming. */
const BASE_FIELDS = [
  ['cell', ''], ['activation', '', (b) => b.cell === 'rnn'], ['num_layers', 'layers ', (b) => b.num_layers !== 1],
  ['seq_len', 'T = '], ['hidden_size', 'H = '], ['recurrent_scale', 's = '], ['forget_bias', 'forget bias ', (b) => b.cell === 'lstm'],
  ['loss', 'loss on '], ['seed', 'seed '],
];

/**
 * "Base (the settings of the views above): rnn, tanh, H = 32, ...; the axes set recurrent_scale and seq_len.",
 * saying so when the views show an uploaded network or inputs (`uploads`), which the sweep does not use.
 */
export function baseText(body, uploads = false) {
  const swept = [body.x?.field, body.y?.field].filter(Boolean);
  const parts = BASE_FIELDS
    .filter(([name, , worth]) => name in body.base && !swept.includes(name) && (!worth || worth(body.base)))
    .map(([name, prefix]) => `${prefix}${body.base[name]}`);
  const line = `Base (the settings of the views above): ${parts.join(', ')}; the axes set ${swept.join(' and ')}.`;
  return uploads ? `${line} The sweep runs seeded weights and generated inputs, not your uploaded files.` : line;
}

/** What the critical line marks, for the metric that has one ('' for the others): a contour, or a line across. */
export function criticalText(critical, twoAxes) {
  if (!critical) return '';
  const sides = twoAxes ? 'On its blue side the gradient vanishes, on its red side it explodes.'
    : 'Below the dashed line at 0 the gradient vanishes, above it it explodes.';
  return 'The critical line is log10 |dL/dh_1| = 0, where the gradient neither grows nor shrinks per step: with the '
    + `loss on the last step |dL/dh_T| = 1, so 0 means no net growth over the T − 1 steps back. ${sides}`;
}

/** The chart's empty note: no sweep yet, a metric the cell does not have, or nothing arrived. '' when there is data. */
export function emptyText(sweep, metric, cell) {
  if (!sweep) return 'No sweep yet: press Start or pick a preset.';
  if (metric.cell && metric.cell !== cell) return `A ${cell} has no ${metric.label.replace(/^mean /, '')}: choose another metric.`;
  if (sweep.points.length === 0) return sweep.status === 'running' ? 'Waiting for the first points…' : 'No points arrived.';
  return '';
}
