/**
 * The gates of each cell, the one place the page names them. Cell names themselves come from the API's
 * schema (the `cell` enum); gate order is the API's (docs: lstm i, f, g, o; gru r, z, n).
 */

/** Gate names per gated cell, in the API's order. A plain rnn has none. */
export const GATES = { lstm: ['i', 'f', 'g', 'o'], gru: ['r', 'z', 'n'] };

/**
 * The gate that carries memory, so each step back multiplies the carried gradient by it: the lstm's
 * forget gate f (dL/dc_t) and the gru's update gate z (dL/dh_t).
 */
export const CARRIER = { lstm: 'f', gru: 'z' };

/** Gate names in words, for panel titles. */
export const GATE_LABELS = {
  i: 'input gate i', f: 'forget gate f', g: 'candidate g', o: 'output gate o', r: 'reset gate r', z: 'update gate z', n: 'candidate n',
};

/** Gates squashed by tanh range over -1..1; the sigmoid ones over 0..1. */
export const TANH_GATES = new Set(['g', 'n']);
