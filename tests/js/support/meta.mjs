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

/**
 * The answer of GET /api/meta, in its shape: {version, cells, tasks, solved_fraction, sweep_metrics, critical_metric,
 * theme}, with `theme` theme.json unless another is given (markedTheme's).
 */
export function apiMeta(theme = themeFromDisk()) {
  const { about, ...facts } = JSON.parse(readFileSync(FACTS, 'utf8'));
  const sweepMetrics = facts.sweep_metrics.map((m) => ({ name: m.name, label: theme.sweep_metric_labels[m.name], cell: m.cell }));
  return { version: 'test', ...facts, sweep_metrics: sweepMetrics, theme };
}

/** Sets the page's meta (lib/meta.js) to apiMeta(), as loadMeta() does in the page; returns it. */
export function useApiMeta() {
  const value = apiMeta();
  setMeta(value);
  return value;
}

/** What a theme value reads as in markedTheme: its place in theme.json, `⟨views.norms.x⟩`. */
export const token = (path) => `⟨${path}⟩`;

/**
 * theme.json with every label, colour, font and colour scale replaced by a token naming its place
 * (`⟨colours.cells.rnn⟩`, `⟨views.norms.x⟩`): a chart that draws what the theme says shows the token, one that
 * kept a copy of its own shows the copy. The palettes and tanh_gates stay as they are: they are names the page's
 * state and the API use, not looks.
 */
export function markedTheme(theme = themeFromDisk()) {
  const mark = (value, path) => {
    if (typeof value === 'string') return token(path);
    if (Array.isArray(value)) return value.map((v, k) => mark(v, `${path}.${k}`));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mark(v, `${path}.${k}`)]));
    return value;
  };
  const kept = new Set(['about', 'palettes', 'tanh_gates']);
  return Object.fromEntries(Object.entries(theme).map(([k, v]) => [k, kept.has(k) ? v : mark(v, k)]));
}

/** Sets the page's meta to apiMeta(markedTheme()); returns it. */
export function useMarkedMeta() {
  const value = apiMeta(markedTheme());
  setMeta(value);
  return value;
}
