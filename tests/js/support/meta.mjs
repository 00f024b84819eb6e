// The meta the page reads from GET /api/meta, built as the API builds it from the same sources: the theme is
// backend/gradflow/theme/theme.json read from disk, the cells, tasks and sweep metrics are meta-facts.json
// (the API's answer, kept equal to it by tests/theme/test_js_meta.py), each sweep metric labelled from the
// theme's sweep_metric_labels. No test writes a value of its own.
import { readFileSync } from 'node:fs';
import { setMeta } from '../../../frontend/js/lib/meta.js';

const THEME = new URL('../../../backend/gradflow/theme/theme.json', import.meta.url);
const FACTS = new URL('./meta-facts.json', import.meta.url);

/** theme.json as it is on disk (a fresh copy each call). */
export function themeFromDisk() {
  return JSON.parse(readFileSync(THEME, 'utf8'));
}

/** The answer of GET /api/meta, in its shape: {version, cells, tasks, solved_fraction, sweep_metrics, critical_metric, theme}. */
export function apiMeta() {
  const { about, ...facts } = JSON.parse(readFileSync(FACTS, 'utf8'));
  const theme = themeFromDisk();
  const sweepMetrics = facts.sweep_metrics.map((m) => ({ name: m.name, label: theme.sweep_metric_labels[m.name], cell: m.cell }));
  return { version: 'test', ...facts, sweep_metrics: sweepMetrics, theme };
}

/** Sets the page's meta (lib/meta.js) to apiMeta(), as loadMeta() does in the page; returns it. */
export function useApiMeta() {
  const value = apiMeta();
  setMeta(value);
  return value;
}
