/**
 * Reads the request model from the API's OpenAPI document and turns each property into a control spec.
 *
 * Pure. Bounds, defaults, enums and descriptions come only from the schema (never repeated here). FastAPI
 * with pydantic v2 writes a Literal as an inline `enum`, a `$ref` to a component, an `allOf: [$ref]`, or an
 * `anyOf` with a `null` branch for optional fields; all of these are followed.
 */

const REF_PREFIX = '#/components/schemas/';

/** The components.schemas entry a `$ref` names, or the node itself when it is not a reference. */
function deref(node, schemas) {
  let current = node;
  const seen = new Set();
  while (current && typeof current.$ref === 'string' && !seen.has(current.$ref)) {
    seen.add(current.$ref);
    current = schemas[current.$ref.slice(REF_PREFIX.length)];
  }
  return current || {};
}

/** Flattens `$ref`, `allOf` and non-null `anyOf`/`oneOf` branches into one plain schema object. */
export function flattenProperty(node, schemas = {}) {
  // siblings of a $ref (default, description) belong to the property, so they win over the target's
  const { $ref, ...siblings } = node || {};
  const own = $ref ? { ...deref(node, schemas), ...siblings } : siblings;
  const merged = { ...own };
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    if (!Array.isArray(own[key])) continue;
    delete merged[key];
    const branches = own[key].map((b) => flattenProperty(b, schemas)).filter((b) => b.type !== 'null');
    for (const branch of branches) {
      for (const [k, v] of Object.entries(branch)) {
        if (k === 'enum' && merged.enum) merged.enum = [...new Set([...merged.enum, ...v])];
        else if (!(k in merged)) merged[k] = v;
      }
    }
  }
  if ('const' in merged && !merged.enum) merged.enum = [merged.const];
  return merged;
}

function kindOf(flat) {
  if (Array.isArray(flat.enum)) return 'enum';
  if (flat.type === 'integer') return 'int';
  if (flat.type === 'number') return 'float';
  if (flat.type === 'boolean') return 'bool';
  return 'other';
}

/** One control spec: what schema.js knows about a field, plus the page's label and group. */
export function specFromProperty(name, node, schemas = {}, extra = {}) {
  const flat = flattenProperty(node, schemas);
  const spec = {
    name,
    kind: kindOf(flat),
    label: extra.label || flat.title || name,
    description: flat.description || '',
    default: flat.default,
    values: flat.enum || null,
    min: flat.minimum ?? null,
    max: flat.maximum ?? null,
    exclusiveMin: flat.exclusiveMinimum ?? null,
    exclusiveMax: flat.exclusiveMaximum ?? null,
  };
  return { ...extra, ...spec };
}

/** The request model's `properties` and the components needed to resolve them. */
export function requestProperties(openapi, modelName = 'SimulateRequest') {
  const schemas = openapi?.components?.schemas || {};
  const model = schemas[modelName];
  if (!model || !model.properties) {
    throw new Error(`The API schema has no ${modelName} model; is this the Gradient Flow Lab API?`);
  }
  return { properties: model.properties, schemas };
}

/**
 * Specs for the table's properties that the request model `modelName` actually has, in the table's order.
 * An entry's `field` names the request field when its state key differs (the training lab's `train_cell`).
 */
export function controlSpecs(openapi, table, modelName = 'SimulateRequest') {
  const { properties, schemas } = requestProperties(openapi, modelName);
  const field = (entry) => entry.field || entry.name;
  return table
    .filter((entry) => field(entry) in properties)
    .map((entry) => specFromProperty(entry.name, properties[field(entry)], schemas, entry));
}

/** Positions of a logarithmic slider (0..LOG_STOPS). */
export const LOG_STOPS = 1000;

/**
 * How a slider covers the field, or null when it should be typed instead: `{min, max, step, log}`.
 * A positive float spanning two decades or more (recurrent_scale up to 100, clip_threshold up to 1e6)
 * gets a logarithmic slider from 0.01, so 0.5..2, where the interesting things happen, is not a sliver.
 */
export function sliderRange(spec) {
  if (spec.kind !== 'int' && spec.kind !== 'float') return null;
  const step = sliderStep(spec);
  let lo = spec.min ?? (spec.exclusiveMin !== null ? spec.exclusiveMin + step : null);
  const hi = spec.max ?? (spec.exclusiveMax !== null ? spec.exclusiveMax - step : null);
  if (lo === null || hi === null || !(hi > lo)) return null;
  if (spec.kind === 'int') return hi - lo > 5000 ? null : { min: lo, max: hi, step, log: false }; // a seed is typed
  const positive = (spec.min ?? spec.exclusiveMin ?? -1) >= 0;
  if (positive && hi / Math.max(lo, 0.01) >= 100) {
    lo = Math.max(lo, 0.01);
    return { min: lo, max: hi, step: 1, log: true };
  }
  return { min: lo, max: hi, step, log: false };
}

/** Slider resolution for a linear slider: whole numbers for ints, about a thousand stops for floats. */
export function sliderStep(spec) {
  if (spec.kind === 'int') return 1;
  const lo = spec.min ?? spec.exclusiveMin ?? 0;
  const hi = spec.max ?? spec.exclusiveMax ?? lo + 1;
  const pow = 10 ** Math.floor(Math.log10((hi - lo) / 1000));
  return Math.min(0.01, pow);
}

/** Rounds to three significant figures, so a log slider lands on 0.9 and 1.5 rather than 0.8995. */
export function roundSig(x, digits = 3) {
  if (x === 0 || !Number.isFinite(x)) return x;
  return Number(x.toPrecision(digits));
}

/** The slider position showing `value` (clamped to the slider's ends). */
export function toSlider(range, value) {
  const v = Math.min(range.max, Math.max(range.min, Number(value)));
  if (!Number.isFinite(v)) return range.log ? 0 : range.min;
  if (!range.log) return v;
  return Math.round((LOG_STOPS * Math.log(v / range.min)) / Math.log(range.max / range.min));
}

/** The field value at slider position `pos`. */
export function fromSlider(range, pos) {
  const p = Number(pos);
  if (!range.log) return roundSig(p, 6);
  return roundSig(range.min * (range.max / range.min) ** (p / LOG_STOPS));
}

/** Human text for a field's bounds, e.g. "1 to 1000" or "> 0, at most 10". */
export function boundsText(spec) {
  const parts = [];
  if (spec.min !== null) parts.push(`at least ${spec.min}`);
  if (spec.exclusiveMin !== null) parts.push(`more than ${spec.exclusiveMin}`);
  if (spec.max !== null) parts.push(`at most ${spec.max}`);
  if (spec.exclusiveMax !== null) parts.push(`less than ${spec.exclusiveMax}`);
  if (spec.min !== null && spec.max !== null) return `${spec.min} to ${spec.max}`;
  return parts.join(', ');
}
