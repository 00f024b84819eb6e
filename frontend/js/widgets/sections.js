/**
 * The lab, the sweep and the Runs section below the views, each built from its own module when it comes near
 * the viewport (lazy-section.js), or sooner when the first view needs it (loadWantedSections). Their state specs
 * are known at once, from light modules, so the URL holds their settings from the start.
 */
import { queryFromState } from '../lib/state.js';
import { RUNS_PROPERTIES } from '../runs/state.js';
import { sweepSpecs } from '../sweep/state.js';
import { trainSpecs } from '../train/state.js';
import { lazySection } from './lazy-section.js';

/**
 * {lab, sweep, watched}, each a lazySection. `current()` is the page's state, `commit` its one path for changes,
 * `openInViews(run)` shows a lab run's network in the views, `showViews()` scrolls the views into sight.
 */
export function buildSections({ doc, schema, apiSpecs, current, commit, openInViews, showViews }) {
  const section = (id) => doc.getElementById(id);
  const failed = (what, status) => (err) => {
    doc.querySelector(`[data-testid="${status}"]`).textContent = `The ${what} could not be loaded: ${err.message}`;
  };
  return {
    lab: lazySection({
      section: section('lab'),
      specs: trainSpecs(schema),
      onError: failed('training lab', 'train-status'),
      build: async () => (await import('../train/lab.js')).buildLab({
        doc, section: section('lab'), openapi: schema, current, commit, openInViews,
      }),
    }),
    // a click on the sweep's chart loads that point through commit(), then brings the views into sight
    sweep: lazySection({
      section: section('sweep'),
      specs: sweepSpecs(schema),
      onError: failed('sweep', 'sweep-status'),
      build: async () => (await import('../sweep/lab.js')).buildSweep({
        doc, section: section('sweep'), openapi: schema, apiSpecs, current, commit, showViews,
      }),
    }),
    watched: lazySection({
      section: section('runs'),
      specs: RUNS_PROPERTIES,
      onError: failed('Runs section', 'runs-status'),
      build: async () => (await import('../runs/section.js')).buildRuns({ section: section('runs'), commit }),
    }),
  };
}

/** The section a #hash points into (an element inside it, or the section itself), or undefined. */
export function sectionFor(sections, hash, doc) {
  let target = null;
  try {
    target = hash && hash.length > 1 ? doc.getElementById(decodeURIComponent(hash.slice(1))) : null;
  } catch { /* a malformed #hash points nowhere */ }
  const holder = target?.closest('section.lab');
  return holder ? sections.find((s) => s.section === holder) : undefined;
}

/**
 * Builds at once the sections the first view already needs: those whose settings `state` changes, and the one
 * the window's #hash (or a link clicked to a #hash) points into.
 */
export function loadWantedSections(sections, state, { win, doc }) {
  sections.filter((s) => queryFromState(state, s.specs) !== '').forEach((s) => s.load());
  const loadFor = (hash) => sectionFor(sections, hash, doc)?.load();
  loadFor(win.location.hash);
  win.addEventListener('hashchange', () => loadFor(win.location.hash));
  doc.addEventListener('click', (event) => {
    const link = event.target?.closest?.('a[href^="#"]');
    if (link) loadFor(link.getAttribute('href'));
  });
}
