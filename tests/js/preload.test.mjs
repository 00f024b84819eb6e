import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { JS_ROOT } from './support/sources.mjs';

// The first view's modules, in the sources: the lab's, the sweep's and the Runs section's code is not among
// what main.js imports statically (widgets/sections.js imports it when the section is near:
// widgets/lazy-section.js). What the page loads is their bundle (bundle.test.mjs).
const STATIC = /(?:^|[\n;])\s*(?:import|export)\s[^;]*?\bfrom\s*['"]([^'"]+)['"]|(?:^|[\n;])\s*import\s*['"]([^'"]+)['"]/g;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every module `entry` (relative to frontend/js) imports statically, itself included, relative to frontend/js. */
function staticGraph(entry) {
  const seen = new Set();
  const walk = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(STATIC)) walk(join(dirname(file), m[1] || m[2]));
  };
  walk(join(JS_ROOT, entry));
  return [...seen].map((f) => relative(JS_ROOT, f)).sort();
}

test('the lab, the sweep and the Runs section load on demand, their charts with them', () => {
  const first = new Set(staticGraph('main.js'));
  // widgets/sections.js (part of the first view) imports them when they are needed
  assert.ok(first.has('widgets/sections.js'));
  const sections = readFileSync(join(JS_ROOT, 'widgets', 'sections.js'), 'utf8');
  const onDemand = [...sections.matchAll(DYNAMIC)].map((m) => m[1].replace(/^\.\.\//, '')).sort();
  assert.deepEqual(onDemand, ['runs/section.js', 'sweep/lab.js', 'train/lab.js']);
  for (const entry of onDemand) {
    const own = staticGraph(entry).filter((m) => !first.has(m));
    assert.ok(own.includes(entry), `${entry} is part of the first view`);
    for (const heavy of ['charts/sweep.js', 'charts/train-loss.js', 'charts/train-flow.js', 'train/views.js', 'runs/views.js']) {
      assert.ok(!first.has(heavy), `${heavy} is part of the first view`);
    }
  }
  // what the page needs of them at once: their state specs, from light modules
  for (const light of ['train/state.js', 'sweep/state.js', 'runs/state.js']) assert.ok(first.has(light), light);
});

test('the import scan reads multi-line imports and re-exports, and leaves dynamic imports out', () => {
  const source = "import {\n  a, b,\n} from './x.js';\nexport { c } from '../y.js';\nimport './z.js';\nconst m = await import('./w.js');\n";
  const found = [...source.matchAll(STATIC)].map((m) => m[1] || m[2]);
  assert.deepEqual(found, ['./x.js', '../y.js', './z.js']);
});
