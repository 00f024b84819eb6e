/**
 * Data shaping between the API's JSON and the charts. Pure: arrays in, arrays out.
 *
 * Conventions (docs/core-output.md): row k of a time array is step t = k + 1; non-finite values arrive as
 * null; log10 fields are finite except null for an exact zero. The page's 2-D arrays arrive as rows of typed
 * arrays (lib/typed.js), where that null is NaN; its 1-D arrays keep null. Numbers become text in format.js, not here.
 */
import { powerOfTen } from './format.js';

/** log10 of the largest finite float64 (about 1.8e308): past it a norm exists only as its log10. */
export const LOG10_FLOAT64_MAX = Math.log10(Number.MAX_VALUE);

/** The run a single-cell view draws: the chosen cell's, or the first when the runs hold another cell. */
export function primaryRun(runs, cell) {
  return runs[cell] || Object.values(runs)[0];
}

/** 1-based time steps 1..n. */
export function steps(n) {
  return Array.from({ length: n }, (_, k) => k + 1);
}

/** Rows T x H -> columns H x T, so a heatmap has time on x and hidden unit on y. */
export function transpose(rows) {
  if (!rows || rows.length === 0) return [];
  const width = rows[0].length;
  const out = Array.from({ length: width }, () => new Array(rows.length));
  for (let t = 0; t < rows.length; t += 1) {
    const row = rows[t];
    for (let u = 0; u < width; u += 1) out[u][t] = row[u];
  }
  return out;
}

/**
 * Smallest and largest finite number in nested arrays, or null when there is none: null and NaN (a typed row's
 * null, lib/typed.js) are left out. A typed row is scanned in one tight loop.
 */
export function finiteRange(...arrays) {
  let lo = Infinity;
  let hi = -Infinity;
  const visit = (a) => {
    if (ArrayBuffer.isView(a)) {
      for (let k = 0; k < a.length; k += 1) {
        const x = a[k];
        // NaN fails both tests; so do the infinities, which can be neither bound
        if (x < lo && x > -Infinity) lo = x;
        if (x > hi && x < Infinity) hi = x;
      }
    } else if (Array.isArray(a)) {
      for (const x of a) visit(x);
    } else if (typeof a === 'number' && Number.isFinite(a)) {
      if (a < lo) lo = a;
      if (a > hi) hi = a;
    }
  };
  arrays.forEach(visit);
  return lo <= hi ? [lo, hi] : null;
}

/**
 * One gradient-norm series: steps, exact log10, the float64 value (null past float64) and which steps
 * are beyond float64 (norm null but log10 known).
 */
export function normSeries(norms, log10s) {
  const t = steps(log10s.length);
  const beyond = [];
  for (let k = 0; k < log10s.length; k += 1) {
    if ((norms == null || norms[k] === null) && log10s[k] !== null) beyond.push(k);
  }
  return { t, norm: norms || log10s.map(() => null), log10: log10s, beyond };
}

/** Consecutive runs of indices as [first, last] pairs: [1,2,3,7] -> [[1,3],[7,7]]. */
export function runs(indices) {
  const out = [];
  for (const i of indices) {
    const last = out[out.length - 1];
    if (last && i === last[1] + 1) last[1] = i;
    else out.push([i, i]);
  }
  return out;
}

/** Tick values at whole powers of ten covering [lo, hi] (log10 units), about `target` of them. */
export function logTicks(lo, hi, target = 6) {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { tickvals: [], ticktext: [] };
  const a = Math.floor(Math.min(lo, hi));
  const b = Math.ceil(Math.max(lo, hi));
  const span = Math.max(1, b - a);
  const nice = [1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000];
  const step = nice.find((s) => span / s <= target) || Math.ceil(span / target);
  const tickvals = [];
  for (let v = Math.ceil(a / step) * step; v <= b; v += step) tickvals.push(v);
  return { tickvals, ticktext: tickvals.map(powerOfTen) };
}

/** The eigenvalues of every W_hh block as {name, re, im, radius, sigma}. */
export function spectrumBlocks(spectrum) {
  if (!spectrum) return [];
  const blocks = spectrum.blocks || { h: spectrum };
  return Object.entries(blocks).map(([name, b]) => ({
    name,
    re: (b.eigenvalues || []).map((p) => p[0]),
    im: (b.eigenvalues || []).map((p) => p[1]),
    radius: b.spectral_radius,
    sigma: b.max_singular_value,
  }));
}

/** Points of the unit circle, for the spectrum plot. */
export function unitCircle(n = 181) {
  const x = [];
  const y = [];
  for (let k = 0; k < n; k += 1) {
    const a = (2 * Math.PI * k) / (n - 1);
    x.push(Math.cos(a));
    y.push(Math.sin(a));
  }
  return { x, y };
}

/** Parameter-gradient norms before and after clipping, as bar-chart columns in a fixed name order. */
export function clippingBars(before, after) {
  const names = Object.keys(before || {});
  return {
    names,
    before: names.map((n) => before[n]),
    after: names.map((n) => (after ? after[n] : null)),
  };
}
