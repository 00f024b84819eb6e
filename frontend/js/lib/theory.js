/**
 * The measurement beside the API's `theory` (docs/theory.md): the numbers the page compares with a prediction.
 * Pure: arrays in, numbers out.
 */

/**
 * The middle of a sequence of length T as 1-based steps [from, to], t from 10% to 90% of T (docs/theory.md's
 * table fits t = 20..180 at T = 200), so neither the loss's own step nor the start's transient weighs in.
 */
export function middleSteps(T) {
  const from = Math.max(1, Math.round(0.1 * T));
  const to = Math.min(T, Math.round(0.9 * T));
  return [from, Math.max(from, to)];
}

/**
 * The least-squares slope of log10 |dL/dh_t| against t over the middle of the sequence (middleSteps), steps
 * without a value (null: exactly zero) left out: how many orders of magnitude the norm loses per step back
 * (positive where the gradient shrinks going back, negative where it grows). {slope, from, to}, or null when
 * fewer than two steps have a value.
 */
export function measuredDecay(log10) {
  if (!Array.isArray(log10) || log10.length < 2) return null;
  const [from, to] = middleSteps(log10.length);
  const points = [];
  for (let t = from; t <= to; t += 1) {
    const v = log10[t - 1];
    if (typeof v === 'number' && Number.isFinite(v)) points.push([t, v]);
  }
  if (points.length < 2) return null;
  const n = points.length;
  const mt = points.reduce((a, [t]) => a + t, 0) / n;
  const mv = points.reduce((a, [, v]) => a + v, 0) / n;
  const sxx = points.reduce((a, [t]) => a + (t - mt) ** 2, 0);
  const sxy = points.reduce((a, [t, v]) => a + (t - mt) * (v - mv), 0);
  return { slope: sxy / sxx, from, to };
}

/**
 * The decay per step back the mean field predicts, comparable with measuredDecay: -decay_per_step under loss
 * "last" (a straight line); otherwise (each later loss term bends the line) the same fit over the predicted
 * line. null without a mean-field item.
 */
export function predictedDecay(meanField, loss) {
  if (!meanField) return null;
  if (loss === 'last' && Number.isFinite(meanField.decay_per_step)) return -meanField.decay_per_step;
  return measuredDecay(meanField.log10_norm)?.slope ?? null;
}

/**
 * How far the measured log10 norm sits below Pascanu's bound at step 1 (orders of magnitude, >= 0 up to
 * rounding), or null when either is missing there.
 */
export function boundGap(bound, log10) {
  const b = bound?.log10_norm?.[0];
  const m = log10?.[0];
  return typeof b === 'number' && typeof m === 'number' ? b - m : null;
}
