/**
 * Watched runs (gradflow.watch, served by GET /api/runs) as the page holds them, and as the training lab's charts
 * take them. A watched run and a run of /api/train are the same kind of thing: at some training steps, the gradient
 * of the loss at every time step, the memory horizon and the memory gate's mean. So each snapshot becomes one of the
 * lab's progress events (train/runs.js) and the lab's charts draw it. Pure: lines in, records and words out.
 */
import { cellMeta } from '../lib/meta.js';
import { LOG10_FLOAT64_MAX } from '../lib/shape.js';

/** A run about to be followed: {name, meta, snapshots, scalars, errors}, filled by addLine. */
export function newRecord(name) {
  return { name, meta: null, snapshots: [], scalars: [], errors: [] };
}

/**
 * Files one line of GET /api/runs/{name}?follow=true: the meta, a snapshot, a logged scalars line, or a replay
 * that failed ({type: 'error', step, detail}). Lines of another type are skipped (a newer server's).
 */
export function addLine(record, line) {
  if (line.type === 'meta') record.meta = line.meta;
  else if (line.type === 'snapshot') record.snapshots.push(line);
  else if (line.type === 'scalars') record.scalars.push(line);
  else if (line.type === 'error') record.errors.push(line);
}

/** A whole GET /api/runs/{name} answer ({name, meta, snapshots, scalars}) as a record. */
export function recordFromAnswer(answer) {
  const record = newRecord(answer.name);
  addLine(record, { type: 'meta', meta: answer.meta });
  (answer.snapshots || []).forEach((s) => addLine(record, { type: 'snapshot', ...s }));
  (answer.scalars || []).forEach((s) => addLine(record, { type: 'scalars', ...s }));
  return record;
}

const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);
const lastOf = (values) => (Array.isArray(values) && values.length ? values[values.length - 1] : values ?? null);

/**
 * log10 of the whole parameter gradient's 2-norm from each parameter's log10 norm (the snapshot's
 * `param_grad_log10_norms`), summed as squares relative to the largest so it stays exact past float64; null
 * without any.
 */
export function globalLog10(logs) {
  const values = Object.values(logs || {}).filter(isNumber);
  if (values.length === 0) return null;
  const top = Math.max(...values);
  return top + 0.5 * Math.log10(values.reduce((sum, l) => sum + 10 ** (2 * (l - top)), 0));
}

/**
 * One snapshot as the lab's progress event: step, loss (the latest the user logged, when it was), the top layer's
 * log10 |dL/dh_t| and memory horizon, the global gradient norm (float64 value null past its range, as the lab's),
 * and the top layer's mean memory gate under the name GET /api/meta gives the cell's.
 */
export function snapshotEvent(snapshot, cell) {
  const log10 = globalLog10(snapshot.param_grad_log10_norms);
  const event = {
    type: 'progress',
    step: snapshot.step,
    loss: isNumber(snapshot.scalars?.loss) ? snapshot.scalars.loss : null,
    grad_h_log10_norm: snapshot.grad_h_log10_norm ?? null,
    memory_horizon: snapshot.memory_horizon ?? null,
    grad_norm_log10: log10,
    grad_norm: log10 !== null && log10 <= LOG10_FLOAT64_MAX ? 10 ** log10 : null,
  };
  const gate = cellMeta(cell)?.memory_gate_mean;
  if (gate) event[gate] = lastOf(snapshot[gate]);
  return event;
}

/** The longest sequence of the run's snapshots (a loop may feed sequences of several lengths). */
function seqLenOf(record) {
  return Math.max(0, ...record.snapshots.map((s) => (s.grad_h_log10_norm || []).length));
}

/** The run's last training step seen: a snapshot's or a logged line's, whichever is later. */
export function lastStepOf(record) {
  const steps = [...record.snapshots, ...record.scalars].map((s) => s.step).filter(isNumber);
  return steps.length ? Math.max(...steps) : 0;
}

/**
 * The record as the lab's run (train/runs.js newRun's shape), so train/views.js's series and the lab's charts
 * take it: one progress event per snapshot, no clipping (a watched loop's clipping is not known), no task and no
 * summary (a watched run has no end the page can know of).
 */
export function labRun(record) {
  const cell = record.meta?.cell ?? null;
  return {
    label: record.name,
    config: { cell, seq_len: seqLenOf(record), steps: lastStepOf(record), clip_mode: 'none', task: null },
    events: record.snapshots.map((s) => snapshotEvent(s, cell)),
    summary: null,
    status: 'running',
    error: null,
  };
}

/** The names of the scalars the user logged, in the order first seen, without `step` and `time`. */
export function scalarNames(record) {
  const names = new Set();
  record.scalars.forEach((line) => Object.keys(line).forEach((k) => names.add(k)));
  ['type', 'step', 'time'].forEach((k) => names.delete(k));
  return [...names];
}

/**
 * The logged loss of every step as a lab run for the loss chart ({label, events: [{step, loss}]}): denser than
 * the snapshots, as logged. Without a logged `loss`, the snapshots' own.
 */
export function lossRun(record) {
  const logged = record.scalars.filter((line) => 'loss' in line);
  const events = logged.length
    ? logged.map((line) => ({ step: line.step, loss: isNumber(line.loss) ? line.loss : null }))
    : record.snapshots.map((s) => ({ step: s.step, loss: isNumber(s.scalars?.loss) ? s.scalars.loss : null }));
  return { label: record.name, config: { task: null }, events, summary: null };
}

/** A logged number in at most 3 significant digits, without trailing zeros: 0.005, 0.93, 1.2e+5. */
const short = (v) => String(Number(v.toPrecision(3)));

/** "lr 0.001 (from 0.001 to 0.01) · acc 0.93": each logged scalar but the loss, its latest value and its range. */
export function scalarsText(record) {
  const parts = scalarNames(record).filter((name) => name !== 'loss').map((name) => {
    const values = record.scalars.map((line) => line[name]).filter(isNumber);
    if (values.length === 0) return `${name} (no number)`;
    const [lo, hi] = [Math.min(...values), Math.max(...values)];
    const range = lo === hi ? '' : ` (from ${short(lo)} to ${short(hi)})`;
    return `${name} ${short(values[values.length - 1])}${range}`;
  });
  return parts.join(' · ');
}

/**
 * The latest snapshot's cross-check in words and whether it is flagged: {text, ok}. A replay that disagreed with
 * autograd at any earlier snapshot is counted too, so one bad step is not hidden by the next good one.
 */
export function agreementOf(record) {
  const last = record.snapshots[record.snapshots.length - 1];
  if (!last) return { text: '', ok: true };
  const a = last.agreement || {};
  const statement = a.statement || a.reason || 'no cross-check at this step';
  const bad = record.snapshots.filter((s) => s.agreement?.checked && !s.agreement.ok).length;
  const ok = a.checked === false ? true : a.ok !== false;
  const earlier = bad > (ok ? 0 : 1) ? ` (${bad} of ${record.snapshots.length} snapshots disagreed)` : '';
  return { text: `Step ${last.step}: ${statement}${earlier}.`, ok: ok && bad === 0 };
}

/** The latest snapshot's depth x time grid (layers x T, bottom layer first), or null before any. */
export function latestDepth(record) {
  const last = record.snapshots[record.snapshots.length - 1];
  return last?.depth_flow ?? null;
}

/** One line of the list: "lstm, H = 128, I = 32, 2 layers, float32 · 12 snapshots, last step 550". */
export function listText(run) {
  const layers = run.num_layers > 1 ? `, ${run.num_layers} layers` : '';
  const shape = `${run.cell}, H = ${run.hidden_size}, I = ${run.input_size}${layers}, ${run.dtype}`;
  const snaps = run.snapshots === 1 ? '1 snapshot' : `${run.snapshots} snapshots`;
  const last = run.last_step === null || run.last_step === undefined ? 'none replayed yet' : `last step ${run.last_step}`;
  return `${shape} · ${snaps}, ${last}`;
}

/** What the section says over the list: how to start serving runs, that there are none yet, or how many. */
export function listStatus(answer) {
  if (!answer.runs_dir) {
    return 'No runs directory is served: start the app with `gradflow serve --runs DIR` to watch your own training here.';
  }
  if (answer.runs.length === 0) {
    return `No runs in ${answer.runs_dir} yet: gradflow.watch(model.rnn, "${answer.runs_dir}") writes one there.`;
  }
  const n = answer.runs.length;
  return `${n} run${n === 1 ? '' : 's'} in ${answer.runs_dir}, newest first: open one to follow it, add a second to compare.`;
}
