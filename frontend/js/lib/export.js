/**
 * The current run as a file: JSON exactly as the API sent it, CSV as one row per time step.
 *
 * Pure except `download`, which is the only function here that touches the DOM.
 */

/** A CSV cell: numbers as JavaScript writes them, null as empty, text quoted when it must be. */
export function csvCell(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Per-step columns of one run, each [header, array-of-T]. Only what the run contains. */
function runColumns(run, prefix) {
  const cols = [];
  const add = (name, arr) => {
    if (Array.isArray(arr)) cols.push([`${prefix}${name}`, arr]);
  };
  add('grad_h_norm', run.grad_h_norm);
  add('grad_h_log10_norm', run.grad_h_log10_norm);
  add('grad_c_norm', run.grad_c_norm);
  add('grad_c_log10_norm', run.grad_c_log10_norm);
  const batch = run.grad_h_log10_norm_batch;
  if (batch) {
    add('grad_h_log10_norm_batch_mean', batch.mean);
    add('grad_h_log10_norm_batch_min', batch.min);
    add('grad_h_log10_norm_batch_max', batch.max);
  }
  return cols;
}

/**
 * CSV text for one or more runs ({label: response}): a `t` column, then each run's per-step gradient
 * norms. With several runs the columns are prefixed by the label ("lstm.grad_h_norm").
 */
export function csvFromRuns(runsByLabel) {
  const labels = Object.keys(runsByLabel);
  const prefixed = labels.length > 1;
  const columns = labels.flatMap((label) => runColumns(runsByLabel[label], prefixed ? `${label}.` : ''));
  const length = Math.max(0, ...columns.map(([, arr]) => arr.length));
  const lines = [['t', ...columns.map(([h]) => h)].map(csvCell).join(',')];
  for (let k = 0; k < length; k += 1) {
    lines.push([k + 1, ...columns.map(([, arr]) => arr[k])].map(csvCell).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** A file name that says what run it holds, e.g. "gradflow-rnn-T50-H32-seed0". */
export function exportName(config, compare = false) {
  if (!config) return 'gradflow';
  const cell = compare ? 'compare' : config.cell;
  return `gradflow-${cell}-T${config.seq_len}-H${config.hidden_size}-seed${config.seed}`;
}

/** Offers `text` to the user as a file. */
export function download(text, filename, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
