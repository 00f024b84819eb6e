// A SimulateRequest schema in the forms FastAPI + pydantic v2 emit: inline enum, $ref enum, anyOf with null.
export const OPENAPI = {
  components: {
    schemas: {
      Cell: { type: 'string', enum: ['rnn', 'lstm', 'gru'], title: 'Cell' },
      SimulateRequest: {
        type: 'object',
        properties: {
          cell: { $ref: '#/components/schemas/Cell', default: 'rnn' },
          activation: { type: 'string', enum: ['tanh', 'relu', 'linear'], default: 'tanh', description: 'rnn only' },
          seq_len: { type: 'integer', minimum: 1, maximum: 1000, default: 50 },
          hidden_size: { type: 'integer', minimum: 1, maximum: 256, default: 32 },
          recurrent_scale: { type: 'number', exclusiveMinimum: 0, maximum: 10, default: 1.0 },
          clip_threshold: { type: 'number', exclusiveMinimum: 0, maximum: 1e6, default: 1.0 },
          seed: { type: 'integer', minimum: 0, maximum: 4294967295, default: 0 },
          loss: { anyOf: [{ type: 'string', enum: ['last', 'all'] }, { type: 'null' }], default: 'last' },
          clip_scope: { allOf: [{ $ref: '#/components/schemas/Scope' }], default: 'parameters' },
          return_params: { type: 'boolean', default: false },
          fields: { anyOf: [{ type: 'array', items: { type: 'string' } }, { type: 'null' }], default: null },
        },
      },
      Scope: { type: 'string', enum: ['parameters', 'bptt'] },
    },
  },
};

// Every request field's default as the API states it: the state a URL without a query string means.
export const DEFAULTS = {
  cell: 'rnn', activation: 'tanh', init: 'orthogonal', recurrent_scale: 1, forget_bias: 0, hidden_size: 32,
  seq_len: 50, input_size: 4, input_kind: 'gaussian', batch_size: 1, seed: 0, loss: 'last', flow_steps: 32,
  clip_mode: 'none', clip_threshold: 1, clip_scope: 'parameters',
};
