/**
 * The sweep's presets: phase diagrams that show where the gradient stops vanishing and starts exploding. Each
 * sets the simulation's settings (the sweep's base: explore/presets.js applyPreset starts from the API's
 * defaults) and the sweep's axes, and runs in a second or two on two cores (docs/page.md, "Sweep"). `display`
 * names the metric a preset colours by when it is not the critical one (explore/presets.js presetDisplay).
 */

export const SWEEP_PRESETS = [
  {
    id: 'sweep-edge',
    label: 'Edge of chaos (rnn)',
    summary: 'A tanh RNN with W_hh orthogonal times s, for s from 0.5 to 2 and sequences of 10 to 300 steps. Left '
      + 'of the black line the gradient reaching h_1 shrinks, the more the longer the sequence; right of it, it grows. '
      + 'The border sits near s = 1.3 rather than 1, because the slope of tanh is below 1 wherever a unit is busy.',
    changes: {
      cell: 'rnn', activation: 'tanh', seq_len: 100,
      sweep_x: 'recurrent_scale', sweep_x_start: 0.5, sweep_x_stop: 2, sweep_x_num: 24, sweep_x_log: true,
      sweep_y: 'seq_len', sweep_y_start: 10, sweep_y_stop: 300, sweep_y_num: 7, sweep_y_log: true, sweep_seeds: 1,
    },
  },
  {
    // coloured by log10 |dL/dh_1|, this grid's border was a tangle of loops and islands: past the edge an lstm's
    // gradient neither vanishes nor explodes but wanders within a decade of 1. The memory horizon rises with s
    // and with the bias in every cell, so the edge where it reaches the whole sequence is one clean line.
    id: 'sweep-forget',
    label: 'Forget bias lengthens memory (lstm)',
    summary: 'An LSTM over 100 steps, recurrent scale 0.5 to 3 across, forget-gate bias 0 to 2 up, two seeds a '
      + 'cell, coloured by the memory horizon: how many steps back the gradient keeps a thousandth of its size. '
      + 'With bias 0 the forget gate sits near 0.5 and the gradient reaches all 100 steps only from s ≈ 2.4; each '
      + 'quarter of bias holds f nearer 1 and moves that edge left, to s ≈ 0.6 at bias 2.',
    display: { sweep_metric: 'memory_horizon' },
    changes: {
      cell: 'lstm', seq_len: 100,
      sweep_x: 'recurrent_scale', sweep_x_start: 0.5, sweep_x_stop: 3, sweep_x_num: 16, sweep_x_log: true,
      sweep_y: 'forget_bias', sweep_y_start: 0, sweep_y_stop: 2, sweep_y_num: 9, sweep_y_log: false, sweep_seeds: 2,
    },
  },
];
