/**
 * What every chart shares: Plotly itself, the theme's colours, the config, and a grid of subplots.
 *
 * Chart modules only draw: data in, Plotly.react out, with a stable uirevision so a redraw keeps the
 * user's zoom. They never fetch and never read the page state. Their colours, titles and axis labels are the
 * theme's (gradflow/theme/theme.json, served by GET /api/meta and read through lib/meta.js when they draw), the
 * same the library's figures read.
 */
import { theme } from '../lib/meta.js';

export { view } from '../lib/meta.js';

/**
 * The theme's colours: Okabe-Ito `cells` and `runs` (distinguishable with every common colour-vision
 * deficiency), `mark` (vermillion: beyond float64, thresholds), `muted`, `text`, and one per special line.
 */
export function colours() {
  return theme().colours;
}

let plotlyPromise = null;

/**
 * Plotly.js, loaded by an async classic script (id "plotly-js") so the page fetches its schema and first
 * run while the 1.5 MB bundle is still being parsed.
 */
export function plotlyReady() {
  if (globalThis.Plotly) return Promise.resolve(globalThis.Plotly);
  if (!plotlyPromise) {
    plotlyPromise = new Promise((resolve, reject) => {
      const tag = document.getElementById('plotly-js');
      if (!tag) reject(new Error('The page has no Plotly.js script tag.'));
      tag.addEventListener('load', () => resolve(globalThis.Plotly));
      tag.addEventListener('error', () => reject(new Error('Plotly.js could not be loaded from vendor/plotly.min.js.')));
    });
  }
  return plotlyPromise;
}

/** Config for every chart: the PNG button stays, Plotly's logo and cloud buttons go. */
export function config(filename) {
  return {
    responsive: true,
    displaylogo: false,
    modeBarButtonsToRemove: ['select2d', 'lasso2d', 'autoScale2d'],
    toImageButtonOptions: { format: 'png', filename, scale: 2 },
  };
}

/** The base layout: the theme's font, tight margins, the stable uirevision. */
export function baseLayout(uirevision, extra = {}) {
  return {
    uirevision,
    font: { family: theme().font_family, size: 12, color: colours().text },
    margin: { l: 56, r: 16, t: 28, b: 44 },
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: colours().background,
    hoverlabel: { align: 'left' },
    legend: { orientation: 'h', y: -0.22, x: 0 },
    ...extra,
  };
}

/** Draws (or redraws in place) and resolves when Plotly is done. */
export async function draw(div, traces, layout, filename) {
  const Plotly = await plotlyReady();
  return Plotly.react(div, traces, layout, config(filename));
}

/** Axis key for index i: 'x', 'x2', ... and the layout key 'xaxis', 'xaxis2', ... */
export function axisId(letter, i) {
  return i === 0 ? letter : `${letter}${i + 1}`;
}
export function axisKey(letter, i) {
  return i === 0 ? `${letter}axis` : `${letter}axis${i + 1}`;
}

/**
 * Column domains for `n` side-by-side panels with a gap, as [[x0, x1], ...] in paper units.
 * `right` leaves room for colour bars.
 */
export function columns(n, gap = 0.05, right = 0.9) {
  const width = (right - gap * (n - 1)) / n;
  return Array.from({ length: n }, (_, i) => [i * (width + gap), i * (width + gap) + width]);
}

/** A text annotation in the middle of an empty chart, saying why it is empty. */
export function emptyNote(text) {
  return {
    text, xref: 'paper', yref: 'paper', x: 0.5, y: 0.5, showarrow: false,
    font: { size: 14, color: colours().muted },
  };
}

/** A panel title above a subplot column. */
export function panelTitle(text, domain, y = 1.0) {
  return {
    text, xref: 'paper', yref: 'paper', x: (domain[0] + domain[1]) / 2, y, yanchor: 'bottom',
    showarrow: false, font: { size: 13 },
  };
}

/**
 * A note in the theme's text vermillion (`mark_text`, readable at WCAG AA where `mark` is not) on a box of the
 * background colour, so it stays readable over bars, lines and grid lines: `props` is the rest of the annotation.
 */
export function markNote(text, props, size = 11) {
  const { mark_text: ink, background } = colours();
  return {
    text, showarrow: false, ...props, font: { size, color: ink }, bgcolor: background, borderpad: 1,
  };
}

/**
 * The dotted line at float64's largest value (log10 = `at`) on a log10 y axis, and its label under it. The
 * label goes to the end of the axis away from the points past the limit (`beyond`: their x as fractions 0..1
 * of the axis), so it never covers their triangles: {shape, annotation}.
 */
export function float64Limit(at, beyond = []) {
  const centre = beyond.length ? beyond.reduce((a, b) => a + b, 0) / beyond.length : 0.5;
  const right = centre < 0.5;
  return {
    shape: { type: 'line', xref: 'paper', x0: 0, x1: 1, y0: at, y1: at, line: { color: colours().mark, width: 1, dash: 'dot' } },
    annotation: markNote('float64 limit (1.8e308)', {
      xref: 'paper', x: right ? 0.99 : 0.01, xanchor: right ? 'right' : 'left', y: at, yanchor: 'top', yshift: -2,
    }),
  };
}

/** A colour bar that takes little room: thin, with its title on the side. */
export function colorbar(title, x, y = 0.5, len = 1) {
  return { title: { text: title, side: 'right' }, thickness: 10, x, y, len, xpad: 4, outlinewidth: 0 };
}
