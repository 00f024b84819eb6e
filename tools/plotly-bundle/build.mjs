// Builds the page's Plotly.js from entry.js: `make vendor-plotly` runs it after `npm ci` (the lockfile pins
// plotly.js, esbuild and every dependency by integrity). Writes, into backend/gradflow/api/static/vendor/:
//   plotly-cartesian.min.js  the bundle (an IIFE: `var Plotly = ...`, which a classic script makes window.Plotly)
//   plotly-LICENSE.txt       plotly.js's MIT license
//   plotly-bundle.json       the build's record: versions, the trace types registered, the file's sha256
// writes the file's sha256 as the integrity of frontend/index.html's preload and script tags for it, and
// prints the file's size and sha256. The same inputs give the same bytes (tests check the recorded sha256).
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const vendor = join(repo, 'backend', 'gradflow', 'api', 'static', 'vendor');
const outfile = join(vendor, 'plotly-cartesian.min.js');
const plotlyDir = join(here, 'node_modules', 'plotly.js');
const plotly = JSON.parse(readFileSync(join(plotlyDir, 'package.json'), 'utf8'));

// Every trace type plotly.js offers (lib/<name>.js that is src/traces/<name>): the test scanning the page
// for trace types knows from this list which `type: '...'` strings name a trace.
const plotlyTraces = readdirSync(join(plotlyDir, 'lib'))
  .filter((f) => f.endsWith('.js'))
  .map((f) => f.slice(0, -3))
  .filter((name) => existsSync(join(plotlyDir, 'src', 'traces', name)))
  .sort();

// plotly.js's own notice, as its dist files carry it (" * Copyright 2012-2026, Plotly, Inc.")
const copyright = readFileSync(join(plotlyDir, 'dist', 'plotly-basic.min.js'), 'utf8').slice(0, 400).match(/Copyright [^\n]*/)[0];
// the modules entry.js bundles, in its order: core, then the trace types it registers
const modules = [...readFileSync(join(here, 'entry.js'), 'utf8').matchAll(/require\('plotly\.js\/lib\/([a-z0-9]+)'\)/g)].map((m) => m[1]);
const banner = `/**
* plotly.js (gradflow: ${modules.join(', ')} - minified) v${plotly.version}
* ${copyright}
* All rights reserved.
* Licensed under the MIT license (plotly-LICENSE.txt)
* Built from plotly.js's sources by tools/plotly-bundle (entry.js, esbuild ${esbuild.version})
*/`;

await esbuild.build({
  absWorkingDir: here,
  entryPoints: ['entry.js'],
  outfile,
  bundle: true,
  minify: true,
  format: 'iife',
  globalName: 'Plotly',
  // plotly.js's own settings (its esbuild-config.js): the browser's globals, no AMD, its regl flavour
  target: 'es2016',
  define: { global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false' },
  alias: { regl: '@plotly/regl' },
  // The one CSS import (maplibre-gl's, when a map trace registers) is never reached without map traces.
  loader: { '.css': 'empty' },
  banner: { js: banner },
  legalComments: 'eof',
  logLevel: 'warning',
});

const bytes = readFileSync(outfile);
const text = bytes.toString('utf8');
const registered = (kind) =>
  [...text.matchAll(new RegExp(`moduleType:"${kind}",name:"([a-z0-9]+)"`, 'g'))].map((m) => m[1]).sort();
const traces = registered('trace');
if (!traces.includes('scatter')) throw new Error('the bundle registers no scatter trace: is entry.js built on lib/core?');

copyFileSync(join(plotlyDir, 'LICENSE'), join(vendor, 'plotly-LICENSE.txt'));
const sha256 = createHash('sha256').update(bytes).digest('hex');
const record = {
  file: relative(vendor, outfile),
  bytes: bytes.length,
  sha256,
  'plotly.js': plotly.version,
  esbuild: esbuild.version,
  entry: relative(repo, join(here, 'entry.js')),
  traces,
  components: registered('component'),
  plotly_traces: plotlyTraces,
};
writeFileSync(join(vendor, 'plotly-bundle.json'), `${JSON.stringify(record, null, 2)}\n`);
// the page's preload and script for the file carry its hash (tests/api/routes/test_vendor.py checks both)
const index = join(repo, 'frontend', 'index.html');
const integrity = `sha256-${createHash('sha256').update(bytes).digest('base64')}`;
const page = readFileSync(index, 'utf8');
const tags = /(<(?:link|script)\b[^>]*vendor\/plotly\.min\.js[^>]*integrity=")[^"]*(")/g;
writeFileSync(index, page.replace(tags, `$1${integrity}$2`));
console.log(`${relative(repo, outfile)}: ${record.bytes} bytes, traces ${traces.join(', ')}`);
console.log(`${sha256}  ${relative(repo, outfile)}`);
