/**
 * Numbers as the page writes them: readouts, legends, hovers and tick labels all come through here, so a
 * figure reads the same wherever it appears. Pure: numbers in, strings out.
 *
 * The page's arrays arrive as float32 (api.js PAGE_ARRAYS), 7 significant digits; nothing here prints more than 5.
 */

/** A figure to `digits` significant digits: formatSig(0.123456, 3) -> "0.123". */
export function formatSig(x, digits) {
  return Number(x).toPrecision(digits);
}

/** A figure with `digits` decimals: log10 values, orders of magnitude, slopes per step. */
export function formatFixed(x, digits) {
  return Number(x).toFixed(digits);
}

/** A figure with four significant digits, or "beyond float64" for null (the API's value past float64). */
export function fmt(x) {
  if (x === null || x === undefined) return 'beyond float64';
  return formatSig(x, 4);
}

function sign(n) {
  return n < 0 ? `${n}` : `+${n}`;
}

/**
 * A magnitude given as its log10, written so it reads right even beyond float64: "3.16e+412". No log10 (null,
 * or NaN in a typed array) is an exact zero.
 */
export function formatLog10(l) {
  if (l === null || l === undefined || Number.isNaN(l)) return '0 (exact)';
  const exp = Math.floor(l);
  const mant = 10 ** (l - exp);
  // rounding the mantissa may reach 10.00
  if (mant >= 9.995) return `1.00e${sign(exp + 1)}`;
  return `${mant.toFixed(2)}e${sign(exp)}`;
}

/** "10<sup>-12</sup>" for Plotly tick labels; plain figures for 1, 10, 100. */
export function powerOfTen(k) {
  if (k === 0) return '1';
  if (k === 1) return '10';
  if (k === 2) return '100';
  return `10<sup>${k}</sup>`;
}

/** The memory horizon in words. */
export function horizonText(horizon, seqLen) {
  if (horizon === null || horizon === undefined) return `beyond the sequence (all ${seqLen} steps)`;
  return `${horizon} step${horizon === 1 ? '' : 's'}`;
}

/**
 * Custom hover text for each point of a norm series (shape.js normSeries): exact value, marked when past
 * float64. Returned as strings so the chart modules need no number formatting of their own.
 */
export function normHover(series, label) {
  return series.log10.map((l, k) => {
    const past = series.beyond.includes(k);
    const value = past ? `${formatLog10(l)} (beyond float64)` : formatLog10(l);
    return `t = ${k + 1}<br>${label} = ${value}<br>log10 = ${l === null ? 'none (zero)' : l.toFixed(3)}`;
  });
}
