import test from 'node:test';
import assert from 'node:assert/strict';
import { apiMeta } from './support/meta.mjs';
import { pageSources } from './support/sources.mjs';

// What the page shares with Python comes from GET /api/meta (lib/meta.js) and nowhere else: no module of
// frontend/js keeps a table, a label or a colour of its own that the meta states. Read from the modules' text,
// with the values to look for taken from theme.json and the API's facts, so a value added there is looked for too.

const META = apiMeta();
const SOURCES = pageSources();

/** A module's code without its comments (which may name a gate or a colour in words). */
function code(source) {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:\\])\/\/.*$/gm, '$1');
}

/** Every string literal of a module ('…', "…" and the text of `…`), unescaped. */
function literals(source) {
  const found = [...code(source).matchAll(/'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`/g)];
  return found.map((m) => (m[1] ?? m[2] ?? m[3]).replace(/\\(.)/g, '$1'));
}

/** Every string value under `node`. */
function strings(node) {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(strings);
  if (node && typeof node === 'object') return Object.values(node).flatMap(strings);
  return [];
}

test('no module has a colour of its own: every colour is the theme\'s', () => {
  for (const [path, source] of Object.entries(SOURCES)) {
    assert.doesNotMatch(code(source), /#[0-9a-fA-F]{3,8}\b['"`]/, `${path} writes a colour as #hex`);
    // rgba(0,0,0,0) is Plotly's "no fill", not a colour
    assert.doesNotMatch(code(source), /rgba?\((?!0,\s*0,\s*0,\s*0\))/, `${path} writes a colour as rgb()`);
  }
});

test('no module defines the tables GET /api/meta replaced', () => {
  const tables = /\b(?:const|let|var)\s+(GATES|CARRIER|GATE_LABELS|TANH_GATES|GATE_FIELDS|TASK_BASELINES|SOLVED_FRACTION|SWEEP_METRICS|CRITICAL_METRIC|CELL_COLOURS|RUN_COLOURS|BLOCK_COLOURS|MARK|MUTED)\b/;
  for (const [path, source] of Object.entries(SOURCES)) {
    assert.doesNotMatch(code(source), tables, `${path} keeps a table of its own`);
    // the task baselines: adding's 1/6 (always answering 1) and recall's ln 8 (a uniform guess)
    assert.doesNotMatch(code(source), /\b1\s*\/\s*6\b|Math\.log\(\s*8\s*\)|0\.1666|2\.079/, `${path} writes a task's baseline`);
    assert.doesNotMatch(code(source), /\[\s*'rnn',\s*'lstm',\s*'gru'\s*\]/, `${path} repeats the schema's cell enum`);
    for (const [cell, { gates, memory_gate: gate }] of Object.entries(META.cells)) {
      if (gates.length) assert.ok(!code(source).includes(gates.map((g) => `'${g}'`).join(', ')), `${path} lists the ${cell}'s gates`);
      if (gate) assert.doesNotMatch(code(source), new RegExp(`${cell}:\\s*\\[?'${gate}'`), `${path} names the ${cell}'s memory gate`);
    }
  }
});

test('no module writes a label, a metric or a field name the meta states', () => {
  const { theme } = META;
  const stated = new Map([
    ...strings(theme.gate_labels).map((s) => [s, 'a gate label']),
    ...strings(theme.sweep_metric_labels).map((s) => [s, 'a sweep metric label']),
    // the views' labels of more than one word (one-word ones like 'loss' are also field names; charts/theme.test.mjs checks those)
    ...strings(theme.views).filter((s) => /\s/.test(s)).map((s) => [s, 'a view\'s title or label']),
    [theme.font_family, 'the font'],
    ...Object.values(META.cells).map((c) => c.memory_gate_mean).filter(Boolean).map((s) => [s, 'a memory gate\'s mean']),
    [META.critical_metric, 'the critical metric'],
  ]);
  for (const [path, source] of Object.entries(SOURCES)) {
    for (const literal of literals(source)) {
      assert.ok(!stated.has(literal), `${path} writes "${literal}" itself (${stated.get(literal)}: GET /api/meta states it)`);
    }
  }
});

test('only lib/meta.js asks for GET /api/meta', () => {
  const askers = Object.entries(SOURCES).filter(([, source]) => /['"`]api\/meta['"`]/.test(code(source))).map(([path]) => path);
  assert.deepEqual(askers, ['lib/meta.js']);
});
