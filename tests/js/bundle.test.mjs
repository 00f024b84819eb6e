import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DIST, ENTRIES, FRONTEND, RECORD, filesUnder, sha256, sourcesDigest,
} from '../../tools/page-bundle/digest.mjs';

// The page runs frontend/dist/, frontend/js/ bundled by esbuild (tools/page-bundle): these checks need no
// esbuild. A source changed without `make page-bundle` fails the first; a hand edit to dist/ the second.
const record = JSON.parse(readFileSync(RECORD, 'utf8'));
const index = readFileSync(join(FRONTEND, 'index.html'), 'utf8');
const MAIN = record.entries['main.js'];

/** An output and every chunk it imports statically, transitively: what loads when it does. */
function closure(name) {
  const seen = new Set();
  const walk = (n) => {
    if (seen.has(n)) return;
    seen.add(n);
    record.outputs[n].imports.forEach(walk);
  };
  walk(name);
  return seen;
}

const inputsOf = (outputs) => new Set([...outputs].flatMap((n) => record.outputs[n].inputs));

test('the bundle is built from the sources as they are now (else: make page-bundle)', () => {
  assert.equal(record.sources, sourcesDigest(), 'frontend/js changed since frontend/dist was built: run make page-bundle');
});

test('every file in dist/ is the one the build wrote, and there is no other', () => {
  const written = [...Object.keys(record.outputs), ...Object.keys(record.maps), 'BUILD.json'].sort();
  assert.deepEqual(filesUnder(DIST), written);
  for (const [name, out] of Object.entries(record.outputs)) {
    assert.equal(sha256(readFileSync(join(DIST, name))), out.sha256, `dist/${name} was changed after the build`);
  }
  for (const [name, digest] of Object.entries(record.maps)) assert.equal(sha256(readFileSync(join(DIST, name))), digest, name);
});

test('every file the page runs is named by a hash of its content (the app lets browsers keep them for good)', () => {
  assert.deepEqual(Object.keys(record.entries), ENTRIES);
  for (const name of Object.keys(record.outputs)) assert.match(name, /-[A-Z0-9]{8}\.js$/, name);
});

test("index.html runs main.js's bundle and preloads exactly the chunks it imports, and no source module", () => {
  assert.ok(index.includes(`<script type="module" src="dist/${MAIN}"></script>`), `index.html does not run dist/${MAIN}`);
  assert.doesNotMatch(index, /src="js\//);
  const preloaded = [...index.matchAll(/<link rel="modulepreload" href="dist\/([^"]+)">/g)].map((m) => m[1]).sort();
  assert.deepEqual(preloaded, record.outputs[MAIN].imports);
  assert.ok(preloaded.length > 0 && preloaded.length < 10, `${preloaded.length} chunks at once`);
});

test('every source module is in the bundle, and the entries are the sections widgets/sections.js loads', () => {
  const all = inputsOf(Object.keys(record.outputs));
  for (const source of filesUnder(join(FRONTEND, 'js'))) assert.ok(all.has(source), `${source} is in no output`);
  const lazy = ENTRIES.filter((e) => e !== 'main.js').map((e) => record.entries[e]).sort();
  assert.deepEqual(record.outputs[MAIN].lazy, lazy);
});

test("the first view loads none of the lab's, the sweep's or the Runs section's code; each section loads its own", () => {
  const first = inputsOf(closure(MAIN));
  for (const heavy of ['charts/sweep.js', 'charts/train-loss.js', 'charts/train-flow.js', 'train/views.js', 'runs/views.js', 'train/lab.js', 'sweep/lab.js', 'runs/section.js']) {
    assert.ok(!first.has(heavy), `${heavy} loads with the first view`);
  }
  for (const light of ['train/state.js', 'sweep/state.js', 'runs/state.js', 'main.js']) assert.ok(first.has(light), light);
  const own = {
    'train/lab.js': 'charts/train-loss.js', 'sweep/lab.js': 'charts/sweep.js', 'runs/section.js': 'runs/views.js',
  };
  for (const [entry, chart] of Object.entries(own)) {
    assert.ok(inputsOf(closure(record.entries[entry])).has(chart), `${entry} without ${chart}`);
  }
});
