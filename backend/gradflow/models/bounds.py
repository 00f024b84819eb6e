"""The limits a request may ask for: named once, used by every model that takes these fields.

These are the service's choices (what one request may cost, what the page offers), not facts of the maths;
facts stay in the `Field` itself (a size is at least 1, a scale or threshold is above 0). The contract
(docs/api.md) asks that at least seq_len 1..1000, hidden_size 1..256 and input_size 1..16 are
accepted; the compute budget, not these bounds, refuses the combinations that are too costly.
"""

from __future__ import annotations

MAX_SEQ_LEN = 1000
MAX_HIDDEN_SIZE = 256
MAX_INPUT_SIZE = 16
MAX_BATCH_SIZE = 64
MAX_FLOW_STEPS = 128
MAX_RECURRENT_SCALE = 100
MAX_FORGET_BIAS_ABS = 20
"""Far past saturation: sigma(20) is 1 - 2e-9."""
MAX_CLIP_THRESHOLD = 1e6
MAX_INPUT_ABS = 1e6
"""Largest |x| of an explicit input element."""
MAX_SEED = 2**32 - 1
MAX_LAYERS = 4
MAX_TRAIN_BATCH_SIZE = 256
MAX_TRAIN_STEPS = 20_000
MAX_LEARNING_RATE = 10.0
"""SGD on an exploding rnn needs lr 0.1 to show divergence; far beyond 10 nothing is learnt."""
EXACT_DIGITS = 17
"""The most `digits` one may ask for: 17 significant digits tell every float64 apart, so it is the exact answer."""
MAX_AXIS_POINTS = 64
MAX_SWEEP_SEEDS = 16
