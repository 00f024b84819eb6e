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

/** The height of Plotly's mode bar, in px. */
const MODEBAR_PX = 34;

/** Per chart element: the draw under way, and the one waiting for the next frame (the newest asked for). */
const slots = new WeakMap();

/** After the next paint in a browser; at once where there are no frames (node). */
function afterFrame() {
  if (typeof requestAnimationFrame !== 'function') return Promise.resolve();
  return new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve, 0));
    setTimeout(resolve, 100); // a hidden tab has no frames
  });
}

/**
 * Draws (or redraws in place, with Plotly.react: the same plot, its zoom kept) and resolves when Plotly is
 * done. A chart draws at most once per frame: asked again while it draws, it draws once more after the next
 * paint, with the newest traces asked for by then (every caller in between resolves with that draw), so a burst
 * of redraws of a big heatmap costs one draw per frame, never a backlog. A chart whose layout states its height
 * (a stacked one, below) gets a box that tall; the others take their box's height from css/style.css.
 */
export function draw(div, traces, layout, filename) {
  const args = [traces, layout, filename];
  let slot = slots.get(div);
  if (!slot) {
    slot = { busy: null, next: null };
    slots.set(div, slot);
  }
  if (slot.next) {
    slot.next.args = args;
    return slot.next.promise;
  }
  if (!slot.busy) return drawIn(slot, div, args);
  const next = { args };
  const done = () => {};
  next.promise = slot.busy.then(done, done).then(afterFrame).then(() => {
    slot.next = null;
    return drawIn(slot, div, next.args);
  });
  slot.next = next;
  return next.promise;
}

function drawIn(slot, div, args) {
  const drawing = drawNow(div, ...args);
  slot.busy = drawing;
  const free = () => {
    if (slot.busy === drawing) slot.busy = null;
  };
  drawing.then(free, free);
  return drawing;
}

async function drawNow(div, traces, layout, filename) {
  const Plotly = await plotlyReady();
  if (div.style) div.style.height = layout.height ? `${layout.height}px` : '';
  // an empty chart (a note saying why) has nothing to zoom or save: no mode bar over its words
  const settings = traces.length ? config(filename) : { ...config(filename), displayModeBar: false };
  return Plotly.react(div, traces, narrowPage() ? onPhone(layout) : layout, settings);
}

/**
 * A layout for a phone's chart: a touch screen shows the mode bar all the time, so room for it over the plot,
 * not on the data nor on a title over the plot (a stacked chart, with its height, has made its own room).
 */
function onPhone(layout) {
  if (!layout.margin || layout.height) return layout;
  const titled = (layout.annotations || []).some((a) => a.yref === 'paper' && a.y >= 1);
  const t = titled ? layout.margin.t + MODEBAR_PX : Math.max(layout.margin.t, MODEBAR_PX);
  return { ...layout, margin: { ...layout.margin, t } };
}

/**
 * Up to this page width (CSS px) the page is a phone's: a chart of several panels stacks them one per row, each
 * with its own title and axes (css/style.css's phone rules use the same width).
 */
export const NARROW_PX = 700;

/** Whether the page is that narrow now (never where there is no window, as under node). */
export function narrowPage() {
  return globalThis.matchMedia?.(`(max-width: ${NARROW_PX}px)`).matches === true;
}

/**
 * Room in a stacked chart, in px: over the top row the mode bar (always shown on a touch screen) and a panel
 * title; between rows the upper row's x axis (tick labels and title) and the lower row's title; under the last
 * row its x axis; at the right one colour bar with its labels.
 */
export const STACK = { top: 52, gap: 84, bottom: 50, right: 72 };

/**
 * Rows stacked top to bottom for a narrow chart. `rows` are the rows' plot heights and `gaps` the space under
 * each row but the last, both in px. Returns the chart's height (with STACK's margins) and each row's y domain,
 * top row first, in paper units of the plot area.
 */
export function stackRows(rows, gaps = rows.slice(1).map(() => STACK.gap)) {
  const inner = rows.reduce((a, b) => a + b, 0) + gaps.reduce((a, b) => a + b, 0);
  let top = inner;
  const domains = rows.map((px, k) => {
    const domain = [Math.max(0, (top - px) / inner), top / inner];
    top -= px + (gaps[k] ?? 0);
    return domain;
  });
  return { height: STACK.top + inner + STACK.bottom, domains };
}

/** The margins of a stacked chart, as baseLayout takes them. */
export function stackMargin(left = 56) {
  return { l: left, r: STACK.right, t: STACK.top, b: STACK.bottom };
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

/** Longest line of an empty chart's note, in characters: about 260 px at 14 px, so it fits a phone's chart. */
const NOTE_LINE = 36;

/** `text` broken into lines of at most `width` characters at spaces, joined by <br> (a word longer stays whole). */
export function wrapLines(text, width = NOTE_LINE) {
  const lines = [];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= width) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines.join('<br>');
}

/** A text annotation in the middle of an empty chart, saying why it is empty, in lines that fit a phone. */
export function emptyNote(text) {
  return {
    text: wrapLines(text), xref: 'paper', yref: 'paper', x: 0.5, y: 0.5, showarrow: false,
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

/** A stacked row's title: over the row, from its left edge, a few px above the plot. */
export function rowTitle(text, yDomain, size = 13) {
  return {
    text, xref: 'paper', yref: 'paper', x: 0, xanchor: 'left', y: yDomain[1], yanchor: 'bottom', yshift: 4,
    showarrow: false, font: { size },
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

/** A colour bar beside one row of a stacked chart, as tall as the row. */
export function rowColorbar(title, yDomain) {
  return colorbar(title, 1.02, (yDomain[0] + yDomain[1]) / 2, yDomain[1] - yDomain[0]);
}
