/**
 * The values of a sweep axis as the server computes them (gradflow.models.sweep Axis.points), so the page can
 * place every point the moment it arrives, before the summary names the axes: NumPy's linspace or geomspace
 * from start to stop, and for an integer field Python's round(), which takes halves to the even neighbour.
 *
 * Pure. The arithmetic follows NumPy's step by step, so a linear axis matches it exactly; a log axis goes
 * through Math.pow, which may differ from the C library's in the last bit, so the summary's values replace
 * these once it arrives.
 */

/** NumPy's linspace(start, stop, num): start + k * step, the last value set to stop exactly. */
export function linspace(start, stop, num) {
  const div = num - 1;
  const delta = stop - start;
  const step = div > 0 ? delta / div : NaN;
  const out = Array.from({ length: num }, (_, k) => {
    if (div <= 0) return k * delta + start;
    // NumPy divides first when the step underflows to zero (denormals, gh-5437)
    return (step === 0 ? (k / div) * delta : k * step) + start;
  });
  if (num > 1) out[num - 1] = stop;
  return out;
}

/** NumPy's geomspace(start, stop, num) for start, stop > 0: 10 ** linspace(log10 start, log10 stop), ends exact. */
export function geomspace(start, stop, num) {
  const out = linspace(Math.log10(start), Math.log10(stop), num).map((e) => 10 ** e);
  if (num > 0) out[0] = start;
  if (num > 1) out[num - 1] = stop;
  return out;
}

/** Python's round(v) for a float: to the nearest whole number, a half to the even one (2.5 -> 2, 3.5 -> 4). */
export function roundHalfEven(v) {
  const floor = Math.floor(v);
  const frac = v - floor; // exact for every double below 2^52
  if (frac > 0.5) return floor + 1;
  if (frac < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * The values of an axis {start, stop, num, log}, whole numbers when `integer`; [] when the range cannot be
 * computed (a value that did not parse, num below 1, a log axis through zero): the API says why.
 */
export function axisValues({ start, stop, num, log }, integer = false) {
  const numbers = [start, stop, num].every((v) => typeof v === 'number' && Number.isFinite(v));
  if (!numbers || !Number.isInteger(num) || num < 1) return [];
  if (log && !(start > 0 && stop > 0)) return [];
  const raw = log ? geomspace(start, stop, num) : linspace(start, stop, num);
  return integer ? raw.map(roundHalfEven) : raw;
}
