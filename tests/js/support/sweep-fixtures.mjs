// The sweep's fixtures: the Axis and SweepRequest schemas as FastAPI + pydantic v2 emit them (next to the
// simulation's, as in the real /openapi.json), and point and summary lines as POST /api/sweep streams them.
import { OPENAPI } from './fixtures.mjs';

const nullable = (schema) => ({ anyOf: [schema, { type: 'null' }] });

export const AXIS_FIELDS = [
  'seq_len', 'hidden_size', 'input_size', 'recurrent_scale', 'forget_bias', 'batch_size', 'clip_threshold', 'flow_steps', 'num_layers',
];

export const SWEEP_OPENAPI = structuredClone(OPENAPI);
Object.assign(SWEEP_OPENAPI.components.schemas, {
  Axis: {
    type: 'object',
    required: ['field'],
    properties: {
      field: { type: 'string', enum: AXIS_FIELDS, title: 'Field', description: 'A numeric request field of /api/simulate.' },
      values: nullable({ type: 'array', items: { type: 'number' }, minItems: 1, maxItems: 64 }),
      start: nullable({ type: 'number' }),
      stop: nullable({ type: 'number' }),
      num: nullable({ type: 'integer', minimum: 1, maximum: 64 }),
      log: { type: 'boolean', default: false, description: 'Log-spaced from start to stop (both > 0).' },
    },
  },
  SweepRequest: {
    type: 'object',
    required: ['x'],
    properties: {
      base: { type: 'object', additionalProperties: true },
      x: { $ref: '#/components/schemas/Axis' },
      y: nullable({ $ref: '#/components/schemas/Axis' }),
      seeds: { type: 'integer', minimum: 1, maximum: 16, default: 1, description: 'Runs per point: seeds base.seed, base.seed + 1, ...' },
      stream: { type: 'boolean', default: true },
    },
  },
});

/** A point line: cell (ix, iy), a seed, and metrics (`fields` override the ordinary ones). */
export function point(ix, iy, seed, fields = {}) {
  return {
    type: 'point', ix, iy, seed, log10_grad_first: -1, memory_horizon: 10, spectral_radius: 1, max_singular_value: 1, ...fields,
  };
}

/** The summary line of a sweep over `x` (and `y`), with `fields` overriding the ordinary values. */
export function sweepSummary(x, y = null, fields = {}) {
  return {
    type: 'summary', x, y, seeds: 1, grid: {}, points: 0, elapsed_ms: 250, executor: 'inline', warnings: [], ...fields,
  };
}

/**
 * A real sweep as the server streamed it (an lstm, recurrent_scale 0.8..1.2 across, seq_len 10..20 up, three seeds):
 * the body, its 18 point lines in the order they came, and its summary, whose grids are the mean over the seeds.
 */
export const RECORDED = {
  body: {"base": {"cell": "lstm", "seq_len": 20, "hidden_size": 8}, "x": {"field": "recurrent_scale", "start": 0.8, "stop": 1.2, "num": 3}, "y": {"field": "seq_len", "start": 10, "stop": 20, "num": 2}, "seeds": 3},
  points: [
    {"type": "point", "ix": 0, "iy": 0, "seed": 0, "log10_grad_first": -2.401762719694522, "memory_horizon": null, "spectral_radius": 0.8000000000000012, "max_singular_value": 0.8000000000000004, "forget_gate_mean": 0.47333874735825887},
    {"type": "point", "ix": 0, "iy": 0, "seed": 1, "log10_grad_first": -1.9191068694429172, "memory_horizon": null, "spectral_radius": 0.8000000000000006, "max_singular_value": 0.8000000000000003, "forget_gate_mean": 0.525961071147026},
    {"type": "point", "ix": 0, "iy": 0, "seed": 2, "log10_grad_first": -2.6588341246912854, "memory_horizon": null, "spectral_radius": 0.8000000000000012, "max_singular_value": 0.8000000000000006, "forget_gate_mean": 0.4975039225990113},
    {"type": "point", "ix": 1, "iy": 0, "seed": 0, "log10_grad_first": -2.096214005642864, "memory_horizon": null, "spectral_radius": 1.0000000000000013, "max_singular_value": 1.0000000000000004, "forget_gate_mean": 0.4706773456867479},
    {"type": "point", "ix": 1, "iy": 0, "seed": 1, "log10_grad_first": -1.6778102414620644, "memory_horizon": null, "spectral_radius": 1.0000000000000007, "max_singular_value": 1.0000000000000002, "forget_gate_mean": 0.5268546312877123},
    {"type": "point", "ix": 1, "iy": 0, "seed": 2, "log10_grad_first": -2.433091292624929, "memory_horizon": null, "spectral_radius": 1.0000000000000013, "max_singular_value": 1.0000000000000007, "forget_gate_mean": 0.4956105219744066},
    {"type": "point", "ix": 2, "iy": 0, "seed": 0, "log10_grad_first": -1.8056589872295534, "memory_horizon": null, "spectral_radius": 1.2000000000000015, "max_singular_value": 1.2000000000000004, "forget_gate_mean": 0.4682912525416413},
    {"type": "point", "ix": 2, "iy": 0, "seed": 1, "log10_grad_first": -1.468855394326081, "memory_horizon": null, "spectral_radius": 1.2000000000000008, "max_singular_value": 1.2000000000000002, "forget_gate_mean": 0.527579964382281},
    {"type": "point", "ix": 2, "iy": 0, "seed": 2, "log10_grad_first": -2.249051168626739, "memory_horizon": null, "spectral_radius": 1.2000000000000015, "max_singular_value": 1.2000000000000008, "forget_gate_mean": 0.4938332578754821},
    {"type": "point", "ix": 0, "iy": 1, "seed": 0, "log10_grad_first": -4.6940618673180055, "memory_horizon": 10, "spectral_radius": 0.8000000000000012, "max_singular_value": 0.8000000000000004, "forget_gate_mean": 0.46916154270036314},
    {"type": "point", "ix": 0, "iy": 1, "seed": 1, "log10_grad_first": -3.929658793295492, "memory_horizon": 12, "spectral_radius": 0.8000000000000006, "max_singular_value": 0.8000000000000003, "forget_gate_mean": 0.5269116942295395},
    {"type": "point", "ix": 0, "iy": 1, "seed": 2, "log10_grad_first": -4.4353029715380305, "memory_horizon": 11, "spectral_radius": 0.8000000000000012, "max_singular_value": 0.8000000000000006, "forget_gate_mean": 0.49793851676857165},
    {"type": "point", "ix": 1, "iy": 1, "seed": 0, "log10_grad_first": -4.260056353920728, "memory_horizon": 12, "spectral_radius": 1.0000000000000013, "max_singular_value": 1.0000000000000004, "forget_gate_mean": 0.4666634472847334},
    {"type": "point", "ix": 1, "iy": 1, "seed": 1, "log10_grad_first": -3.3909931150216273, "memory_horizon": 13, "spectral_radius": 1.0000000000000007, "max_singular_value": 1.0000000000000002, "forget_gate_mean": 0.5275786754101606},
    {"type": "point", "ix": 1, "iy": 1, "seed": 2, "log10_grad_first": -4.067186683450616, "memory_horizon": 12, "spectral_radius": 1.0000000000000013, "max_singular_value": 1.0000000000000007, "forget_gate_mean": 0.4955316227968445},
    {"type": "point", "ix": 2, "iy": 1, "seed": 0, "log10_grad_first": -3.803566858907279, "memory_horizon": 13, "spectral_radius": 1.2000000000000015, "max_singular_value": 1.2000000000000004, "forget_gate_mean": 0.46470586694520205},
    {"type": "point", "ix": 2, "iy": 1, "seed": 1, "log10_grad_first": -2.955064194534837, "memory_horizon": null, "spectral_radius": 1.2000000000000008, "max_singular_value": 1.2000000000000002, "forget_gate_mean": 0.5281928038173017},
    {"type": "point", "ix": 2, "iy": 1, "seed": 2, "log10_grad_first": -3.773230126905201, "memory_horizon": 13, "spectral_radius": 1.2000000000000015, "max_singular_value": 1.2000000000000008, "forget_gate_mean": 0.49327145046412824},
  ],
  summary: {"type": "summary", "x": {"field": "recurrent_scale", "values": [0.8, 1.0, 1.2]}, "y": {"field": "seq_len", "values": [10, 20]}, "seeds": 3, "grid": {"log10_grad_first": [[-2.326567904609575, -2.0690385132432856, -1.8411885167274578], [-4.353007877383843, -3.906078717464324, -3.5106203934491056]], "memory_horizon": [[10.0, 10.0, 10.0], [11.0, 12.333333333333334, 15.333333333333334]], "spectral_radius": [[0.800000000000001, 1.000000000000001, 1.2000000000000013], [0.800000000000001, 1.000000000000001, 1.2000000000000013]], "max_singular_value": [[0.8000000000000004, 1.0000000000000007, 1.2000000000000004], [0.8000000000000004, 1.0000000000000007, 1.2000000000000004]], "forget_gate_mean": [[0.4989345803680987, 0.49771416631628895, 0.4965681582664681], [0.49800391789949144, 0.4965912484972462, 0.49539004040887735]]}, "points": 18, "elapsed_ms": 28.157825000562298, "executor": "inline", "warnings": []},
};
