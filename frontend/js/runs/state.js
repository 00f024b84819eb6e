/**
 * The Runs section's part of the page state, in the URL: the run shown (`run`, a name from GET /api/runs, ''
 * for none) and the run overlaid on it to compare (`run_with`). A module of its own, and a light one: main.js
 * imports it at once to read and write these settings, while the section's code (runs/section.js, its charts)
 * loads when the section is near (widgets/lazy-section.js).
 */
export const RUNS_PROPERTIES = [
  { name: 'run', kind: 'other', default: '', label: 'Watched run shown' },
  { name: 'run_with', kind: 'other', default: '', label: 'Watched run compared' },
];
