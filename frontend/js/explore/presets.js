/**
 * Ready-made settings for teaching. Each preset is a complete story: it starts from the API's defaults and
 * changes only what the story needs, so the same preset always shows the same thing.
 */

export const PRESETS = [
  {
    id: 'vanishing',
    label: 'Vanishing',
    summary: 'A tanh RNN whose W_hh shrinks every vector a little: the gradient fades a few steps back.',
    changes: { cell: 'rnn', activation: 'tanh', init: 'orthogonal', recurrent_scale: 0.9, seq_len: 100 },
  },
  {
    id: 'exploding',
    label: 'Exploding',
    summary: 'A linear RNN with every singular value 2.5: the gradient grows past float64 long before t = 1.',
    changes: { cell: 'rnn', activation: 'linear', init: 'orthogonal', recurrent_scale: 2.5, seq_len: 800 },
  },
  {
    id: 'clipping',
    label: 'Clipping rescues',
    summary: 'The same growth at s = 1.2, with dL/dh_t clipped to norm 1 at every backward step.',
    changes: {
      cell: 'rnn', activation: 'linear', init: 'orthogonal', recurrent_scale: 1.2, seq_len: 200,
      clip_mode: 'norm', clip_scope: 'bptt', clip_threshold: 1,
    },
  },
  {
    id: 'lstm-cell',
    label: 'LSTM cell path',
    summary: 'An LSTM with forget-gate bias 3: the cell gradient is a product of forget gates near 1.',
    changes: { cell: 'lstm', forget_bias: 3, seq_len: 200, input_kind: 'gaussian' },
  },
];

/** The state a preset gives: defaults, the preset's changes, and the page settings kept as they were. */
export function applyPreset(preset, defaults, current, apiNames) {
  const next = { ...current };
  for (const name of apiNames) next[name] = defaults[name];
  for (const [name, value] of Object.entries(preset.changes)) {
    if (apiNames.includes(name)) next[name] = value;
  }
  return next;
}

/**
 * The display settings a lab's preset sets with its runs, {name: value}: its own `display` (a colour scale, the
 * metric shown), and the default for every other display setting one of `presets` names, so the view one preset
 * needs does not outlive it when another is picked.
 */
export function presetDisplay(preset, presets, defaults) {
  const names = [...new Set(presets.flatMap((p) => Object.keys(p.display || {})))];
  return Object.fromEntries(names.map((name) => [name, preset.display?.[name] ?? defaults[name]]));
}

function sameValue(a, b) {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

/** The preset of `presets` the state equals exactly, if any (to highlight its button). */
export function matchingPreset(state, defaults, apiNames, presets = PRESETS) {
  return presets.find((p) => {
    const s = applyPreset(p, defaults, state, apiNames);
    return apiNames.every((n) => sameValue(s[n], state[n]));
  }) || null;
}
