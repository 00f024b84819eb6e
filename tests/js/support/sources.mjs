// The page's own modules as text, for tests that check where something lives (not what it computes).
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

export const JS_ROOT = new URL('../../../frontend/js/', import.meta.url).pathname;

/** {path relative to frontend/js: source} for every .js module under frontend/js. */
export function pageSources() {
  const out = {};
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.js')) out[relative(JS_ROOT, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(JS_ROOT);
  return out;
}

/** The names a module's source exports with `export function|const|class NAME`. */
export function exportedNames(source) {
  return [...source.matchAll(/^export\s+(?:async\s+)?(?:function|const|class)\s+(\w+)/gm)].map((m) => m[1]);
}
