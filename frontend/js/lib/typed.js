/**
 * Typed arrays off the wire: the API's `arrays=binary-f4` answer (Plotly's own form, {dtype, bdata, shape};
 * docs/api.md) turned back into arrays the page reads and Plotly draws. Pure: JSON in, arrays out.
 *
 * - A 2-D array ("rows, columns": the T x H heatmaps, the flow matrix, the gates) becomes an Array of row views
 *   (subarrays of one Float32Array, no copy): Plotly takes them as they are, and nothing loops over the cells.
 *   A null of the JSON answer (a value past float64, the log10 of an exact zero, a future step of the flow
 *   matrix) is NaN there: read it with Number.isFinite, never `=== null`.
 * - A 1-D array (a series over T, at most a few thousand numbers) becomes a plain Array with null where the
 *   buffer holds NaN, exactly as the JSON answer had it, so the code that builds a hover text per point and
 *   the readouts read it unchanged.
 * - Everything else (scalars, text, the small lists the API builds itself) stays as it came.
 */

/** Whether `value` is one array in Plotly's typed form. */
export function isTyped(value) {
  return value !== null && typeof value === 'object' && typeof value.bdata === 'string' && typeof value.dtype === 'string';
}

const ARRAY_TYPES = {
  f4: Float32Array, f8: Float64Array, i4: Int32Array, u1: Uint8Array, i1: Int8Array, u2: Uint16Array, i2: Int16Array, u4: Uint32Array,
};

/**
 * The bytes of a base64 text: Uint8Array.fromBase64 where the engine has it (Chromium), else node's Buffer,
 * else atob (`atob` and `Buffer` may be passed in, for tests).
 */
export function base64Bytes(text, { fromBase64 = Uint8Array.fromBase64, buffer = globalThis.Buffer, atob = globalThis.atob } = {}) {
  if (typeof fromBase64 === 'function') return fromBase64.call(Uint8Array, text);
  if (buffer && typeof buffer.from === 'function') return new Uint8Array(buffer.from(text, 'base64'));
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let k = 0; k < binary.length; k += 1) bytes[k] = binary.charCodeAt(k);
  return bytes;
}

/** The flat typed array of one item (little-endian, as the API writes and every browser reads). */
export function typedBuffer(item, options) {
  const Type = ARRAY_TYPES[item.dtype];
  if (!Type) throw new Error(`unknown typed-array dtype '${item.dtype}'`);
  let bytes = base64Bytes(item.bdata, options);
  // a view must start at a multiple of its element size: a pooled buffer may not
  if (bytes.byteOffset % Type.BYTES_PER_ELEMENT !== 0) bytes = bytes.slice();
  return new Type(bytes.buffer, bytes.byteOffset, bytes.byteLength / Type.BYTES_PER_ELEMENT);
}

/** The item's shape as numbers: "1000, 256" -> [1000, 256]; no shape means one dimension. */
export function shapeOf(item, length) {
  if (item.shape === undefined || item.shape === null || item.shape === '') return [length];
  return String(item.shape).split(',').map((n) => Number(n.trim()));
}

/**
 * One typed item as the page reads it: rows of views for two dimensions (NaN where the JSON had null), a plain
 * Array for one (null where the buffer has NaN).
 */
export function decodeTyped(item, options) {
  const flat = typedBuffer(item, options);
  const shape = shapeOf(item, flat.length);
  if (shape.length === 1) {
    const out = new Array(flat.length);
    for (let k = 0; k < flat.length; k += 1) out[k] = Number.isNaN(flat[k]) ? null : flat[k];
    return out;
  }
  if (shape.length !== 2) throw new Error(`typed arrays of ${shape.length} dimensions are not read here`);
  const [rows, columns] = shape;
  return Array.from({ length: rows }, (_, r) => flat.subarray(r * columns, (r + 1) * columns));
}

/** `value` with every typed item in it decoded (decodeTyped); objects and lists are rebuilt, not changed. */
export function decodeArrays(value, options) {
  if (Array.isArray(value)) return value.map((v) => decodeArrays(v, options));
  if (value === null || typeof value !== 'object') return value;
  if (isTyped(value)) return decodeTyped(value, options);
  const out = {};
  for (const [k, v] of Object.entries(value)) out[k] = decodeArrays(v, options);
  return out;
}

/** log10 of the largest finite float64 (shape.js has the same; repeated so this module stands alone). */
const LOG10_FLOAT64_MAX = Math.log10(Number.MAX_VALUE);
/** Past these log10s float32 cannot hold a norm (above: NaN in binary-f4; below: flushed towards 0). */
const LOG10_F4_HIGH = 38;
const LOG10_F4_LOW = -37;
const NORM_PAIRS = [['grad_h_norm', 'grad_h_log10_norm'], ['grad_c_norm', 'grad_c_log10_norm']];

/**
 * A run's gradient norms where float32 could not hold them (binary-f4 sends NaN past 3.4e38, and loses the
 * norms under 1e-37), taken from their exact log10, which float32 always holds; a norm past float64 stays null
 * as in the JSON answer. Changes `run` (its 1-D arrays, T numbers each) in place; returns it.
 */
export function restoreNorms(run) {
  for (const [normKey, logKey] of NORM_PAIRS) {
    const norm = run?.[normKey];
    const log10 = run?.[logKey];
    if (!Array.isArray(norm) || !Array.isArray(log10)) continue;
    for (let k = 0; k < norm.length; k += 1) {
      const l = log10[k];
      if (l === null || l > LOG10_FLOAT64_MAX) continue;
      if (norm[k] === null || l > LOG10_F4_HIGH || l < LOG10_F4_LOW) norm[k] = 10 ** l;
    }
  }
  return run;
}

/** Whether a warning only says float32 could not hold an array's values (binary-f4's own; restoreNorms). */
export function isF4Warning(warning) {
  return /values beyond float32's range are null \(NaN\) in binary-f4/.test(String(warning));
}
