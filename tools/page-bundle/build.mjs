// Builds frontend/dist/ from frontend/js/: `make page-bundle` runs it after `npm ci` (the lockfile pins esbuild).
// The page's ES modules, bundled and minified: main.js (what the first view runs) and the sections loaded when
// they come near (digest.mjs ENTRIES), with the code they share in dist/chunks/, every file named with a hash
// of its content (dist/main-<hash>.js: BUILD.json `entries` says which is which); linked source maps point at
// the sources the app serves under /js/ (relative paths: ../js/...). Then:
//   - frontend/index.html's block between the page-bundle markers gets the script tag and a modulepreload for
//     each chunk main.js imports (fetched at once with it, not after it);
//   - dist/BUILD.json records the sources' digest, each output's sha256, its inputs and its static imports, so
//     the tests (tests/js/bundle.test.mjs) know without esbuild that the bundle is current and untouched.
// The same sources give the same bytes.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as esbuild from 'esbuild';
import {
  DIST, ENTRIES, FRONTEND, JS, RECORD, filesUnder, sha256, sourcesDigest,
} from './digest.mjs';

const INDEX = join(FRONTEND, 'index.html');
const BEGIN = '<!-- page-bundle: begin (tools/page-bundle/build.mjs writes this block) -->';
const END = '<!-- page-bundle: end -->';

rmSync(DIST, { recursive: true, force: true });
const { metafile } = await esbuild.build({
  absWorkingDir: JS,
  entryPoints: ENTRIES,
  outbase: JS,
  outdir: DIST,
  // every name carries a hash of its content: the app lets browsers keep them for good (api/page.py)
  entryNames: '[dir]/[name]-[hash]',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  minify: true,
  // what the page already needs: Chromium 123, Firefox 126 and Safari 17 run it
  target: ['es2022'],
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  charset: 'utf8',
  metafile: true,
  logLevel: 'warning',
});

const fromMeta = (out) => relative(DIST, join(JS, out)).split('\\').join('/');
const outputs = {};
const entries = {};
for (const [out, info] of Object.entries(metafile.outputs)) {
  const name = fromMeta(out);
  if (name.endsWith('.map')) continue;
  if (info.entryPoint) entries[relative(JS, join(JS, info.entryPoint)).split('\\').join('/')] = name;
  outputs[name] = {
    sha256: sha256(readFileSync(join(DIST, name))),
    bytes: info.bytes,
    inputs: Object.keys(info.inputs).sort(),
    imports: info.imports.filter((i) => i.kind === 'import-statement').map((i) => fromMeta(i.path)).sort(),
    lazy: info.imports.filter((i) => i.kind === 'dynamic-import').map((i) => fromMeta(i.path)).sort(),
  };
}
const maps = filesUnder(DIST).filter((f) => f.endsWith('.map'));
const record = {
  built_by: `tools/page-bundle/build.mjs (esbuild ${esbuild.version}): make page-bundle`,
  sources: sourcesDigest(),
  entries: Object.fromEntries(ENTRIES.map((e) => [e, entries[e]])),
  outputs,
  maps: Object.fromEntries(maps.map((m) => [m, sha256(readFileSync(join(DIST, m)))])),
};
writeFileSync(RECORD, `${JSON.stringify(record, null, 2)}\n`);

// index.html: the entry and what it imports at once
const main = outputs[entries['main.js']];
const block = [
  BEGIN,
  `  <script type="module" src="dist/${entries['main.js']}"></script>`,
  ...main.imports.map((chunk) => `  <link rel="modulepreload" href="dist/${chunk}">`),
  `  ${END}`,
].join('\n');
const html = readFileSync(INDEX, 'utf8');
const start = html.indexOf(BEGIN);
const stop = html.indexOf(END);
if (start < 0 || stop < start) throw new Error(`frontend/index.html has no ${BEGIN} ... ${END} block`);
writeFileSync(INDEX, html.slice(0, start) + block + html.slice(stop + END.length));

const total = Object.values(outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`frontend/dist: ${Object.keys(outputs).length} files, ${total} bytes; ${entries['main.js']} ${main.bytes} bytes + ${main.imports.length} chunks at once`);
