// What the page bundle is built from, and how the build and the tests name it: every file under frontend/js
// (path and sha256), hashed in path order. Imports nothing outside node, so the tests read it without npm.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FRONTEND = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'frontend');
export const JS = join(FRONTEND, 'js');
export const DIST = join(FRONTEND, 'dist');
export const RECORD = join(DIST, 'BUILD.json');

/** The modules the page loads by itself: main.js, and those widgets/sections.js imports when a section is near. */
export const ENTRIES = ['main.js', 'train/lab.js', 'sweep/lab.js', 'runs/section.js'];

export const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** Every file under `dir`, as paths relative to it with '/', sorted. */
export function filesUnder(dir) {
  const out = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(dir, path).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** The sha256 of the page's sources: each file's path and sha256, one line each, in path order. */
export function sourcesDigest() {
  return sha256(filesUnder(JS).map((f) => `${f} ${sha256(readFileSync(join(JS, f)))}\n`).join(''));
}
