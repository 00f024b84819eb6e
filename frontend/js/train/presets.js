/**
 * The training lab's presets: each trains two or three networks side by side that differ in one field, and
 * starts from the API's TrainRequest defaults like the simulation's presets (explore/presets.js applyPreset).
 * Keys are the lab's state keys (train/state.js); `display` holds a display setting the preset's story needs
 * (explore/presets.js presetDisplay).
 */

export const TRAIN_PRESETS = [
  {
    id: 'train-clipping',
    label: 'Clipping rescues',
    summary: 'Two identical tanh RNNs whose W_hh starts at 1.5 times orthogonal, trained with plain SGD. Without '
      + 'clipping the gradient norm climbs by many powers of ten until the loss leaves float64 a couple of hundred '
      + 'steps in; capping the gradient norm at 1 keeps every update small, and the same network learns to beat '
      + 'the baseline. Each run\'s gradient flow gets its own colour scale: on one shared with the unclipped run, '
      + 'which reaches 1e140, the clipped run would be a single colour.',
    // one colour scale per run: a shared one spans the unclipped run's 140 decades and paints the clipped run flat
    display: { train_zscale: 'panel' },
    changes: {
      train_cell: 'rnn', train_activation: 'tanh', train_task: 'adding', train_hidden_size: 32, train_seq_len: 20,
      train_batch_size: 32, train_init: 'orthogonal', train_recurrent_scale: 1.5, train_optimizer: 'sgd',
      train_learning_rate: 0.1, train_steps: 2000, train_report_every: 20, train_clip_threshold: 1,
      train_vary: 'clip_mode', train_values: ['none', 'norm'],
    },
  },
  {
    id: 'train-gating',
    label: 'Gating beats vanishing',
    summary: 'An RNN, an LSTM and a GRU must add two numbers marked somewhere in 30 steps. The gated cells carry '
      + 'the gradient back to the marks and their loss drops under a tenth of the baseline; the plain tanh RNN\'s '
      + 'gradient fades on the way back, so its loss stays around the baseline.',
    changes: {
      train_task: 'adding', train_seq_len: 30, train_hidden_size: 32, train_batch_size: 32, train_optimizer: 'adam',
      train_learning_rate: 0.01, train_forget_bias: 1, train_steps: 1000, train_report_every: 20,
      train_stop_when_solved: true, train_vary: 'cell', // no train_values: every cell of the schema's enum
    },
  },
];
