/**
 * What every chart shares: Plotly itself, colours, the config, and a grid of subplots.
 *
 * Chart modules only draw: data in, Plotly.react out, with a stable uirevision so a redraw keeps the
 * user's zoom. They never fetch and never read the page state.
 */

/** Okabe-Ito colours: distinguishable with every common colour-vision deficiency. */
export const CELL_COLOURS = { rnn: '#0072B2', lstm: '#E69F00', gru: '#009E73' };
/** Runs that are not one per cell take these in order (Okabe-Ito again, leaving out MARK's vermillion). */
export const RUN_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#000000'];
export const MARK = '#D55E00'; // vermillion: beyond float64, thresholds
export const MUTED = '#6b7280';

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

/** The base layout: system font, tight margins, the stable uirevision. */
export function baseLayout(uirevision, extra = {}) {
  return {
    uirevision,
    font: { family: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', size: 12, color: '#1f2937' },
    margin: { l: 56, r: 16, t: 28, b: 44 },
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: '#ffffff',
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
    font: { size: 14, color: MUTED },
  };
}

/** A panel title above a subplot column. */
export function panelTitle(text, domain, y = 1.0) {
  return {
    text, xref: 'paper', yref: 'paper', x: (domain[0] + domain[1]) / 2, y, yanchor: 'bottom',
    showarrow: false, font: { size: 13 },
  };
}

/** A colour bar that takes little room: thin, with its title on the side. */
export function colorbar(title, x, y = 0.5, len = 1) {
  return { title: { text: title, side: 'right' }, thickness: 10, x, y, len, xpad: 4, outlinewidth: 0 };
}
