// The training lab's fixtures: a TrainRequest schema in the forms FastAPI + pydantic v2 emit (next to the
// simulation's, as in the real /openapi.json), and progress events and summaries as POST /api/train streams them.
import { OPENAPI } from './fixtures.mjs';

const enumOf = (values, dflt, description = '') => ({ type: 'string', enum: values, default: dflt, description });
const int = (min, max, dflt) => ({ type: 'integer', minimum: min, maximum: max, default: dflt });

export const TRAIN_OPENAPI = structuredClone(OPENAPI);
TRAIN_OPENAPI.components.schemas.TrainRequest = {
  type: 'object',
  properties: {
    cell: { $ref: '#/components/schemas/Cell', default: 'lstm' },
    activation: enumOf(['tanh', 'relu', 'linear'], 'tanh', 'rnn only: the nonlinearity.'),
    task: enumOf(['adding', 'recall'], 'adding'),
    seq_len: int(1, 1000, 30),
    hidden_size: int(1, 256, 32),
    batch_size: int(1, 256, 32),
    steps: int(1, 20000, 500),
    learning_rate: { type: 'number', exclusiveMinimum: 0, maximum: 10, default: 0.01 },
    optimizer: enumOf(['sgd', 'adam'], 'adam'),
    clip_mode: enumOf(['none', 'norm', 'value'], 'none'),
    clip_threshold: { type: 'number', exclusiveMinimum: 0, maximum: 1e6, default: 1 },
    init: enumOf(['orthogonal', 'gaussian'], 'orthogonal'),
    recurrent_scale: { type: 'number', exclusiveMinimum: 0, maximum: 10, default: 1 },
    forget_bias: { type: 'number', minimum: -10, maximum: 10, default: 0 },
    seed: int(0, 4294967295, 0),
    report_every: int(1, 20000, 10),
    stop_when_solved: { type: 'boolean', default: false },
    stream: { type: 'boolean', default: true },
  },
};

/** A progress event of a run of sequence length T, with `fields` overriding the ordinary values. */
export function progress(step, T, fields = {}) {
  return {
    type: 'progress', step, loss: 0.2, metric: 0.2, grad_norm: 2, grad_norm_log10: Math.log10(2), clipped_grad_norm: 2,
    clipped: false, grad_h_log10_norm: Array.from({ length: T }, (_, t) => 0.1 * (t - (T - 1))), memory_horizon: null,
    elapsed_ms: step, warnings: [], ...fields,
  };
}

/** The progress event of a step that diverged (its loss not finite). */
export function divergedProgress(step) {
  return progress(step, 0, {
    loss: null, metric: null, grad_norm: null, grad_norm_log10: null, clipped_grad_norm: null, grad_h_log10_norm: null,
    memory_horizon: null, warnings: [`step ${step} diverged: its loss is not finite`],
  });
}

/** A summary line; `fields` override an unsolved, finished adding run. */
export function summary(fields = {}) {
  return {
    type: 'summary', final_loss: 0.05, best_loss: 0.04, baseline_loss: 1 / 6, solved: false, solved_at: null, diverged: false,
    diverged_at: null, steps_done: 100, elapsed_ms: 100, config: {}, warnings: [], ...fields,
  };
}
