"""Long-range tasks, drawn fresh from the seed at every step: inputs (T, N, I), targets, loss and metric.

Each task knows its input and output sizes, its baseline (the loss of the best answer that ignores the
inputs) and the loss's gradient with respect to the readout's output y (N, O), per sequence: the batch loss
is the mean over sequences, and the caller divides by N once.

- "adding": the adding problem of Hochreiter & Schmidhuber (1997), in the form of Arjovsky, Shah & Bengio
  (2016, "Unitary evolution recurrent neural networks", section 4.2). Two channels: values drawn from
  U[0, 1], and markers, 1 at one step in each half of the sequence and 0 elsewhere. The target is the sum of
  the two marked values; the loss is the squared error (MSE over the batch). Always answering 1, the mean of
  the target, gives MSE = Var(U + U') = 2/12 = 1/6: the baseline. Metric: the MSE itself.
- "recall": one of 8 symbols, one-hot at step 1, then Gaussian noise (sigma 0.2) on the same 8 channels,
  and a ninth channel that is 1 at step T only ("name it now"). The target is the symbol; the loss is the
  cross-entropy of a softmax over 8 logits. A uniform guess gives ln 8: the baseline, with chance accuracy
  1/8. A memory task in the family of Hochreiter & Schmidhuber's (1997) experiment 2 and the copying
  problem of Arjovsky et al. (2016). Metric: accuracy.

Solved means a loss under a tenth of the baseline (docs/api.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RECALL_SYMBOLS = 8
RECALL_NOISE = 0.2
SOLVED_FRACTION = 0.1


@dataclass(frozen=True)
class Batch:
    x: np.ndarray  # (T, N, I)
    target: np.ndarray  # adding: (N,) floats; recall: (N,) symbol indices


@dataclass(frozen=True)
class Scored:
    loss: float  # mean over the batch
    metric: float  # adding: MSE; recall: accuracy
    dy: np.ndarray  # (N, O): d(loss of sequence n)/dy_n, not divided by N


class Adding:
    name = "adding"
    input_size = 2
    output_size = 1
    baseline = 1.0 / 6.0
    metric_name = "mse"
    min_seq_len = 2  # one marker in each half

    @staticmethod
    def batch(rng: np.random.Generator, n: int, seq_len: int) -> Batch:
        values = rng.uniform(0.0, 1.0, size=(seq_len, n))
        half = seq_len // 2
        first = rng.integers(0, half, size=n)
        second = rng.integers(half, seq_len, size=n)
        markers = np.zeros((seq_len, n))
        rows = np.arange(n)
        markers[first, rows] = 1.0
        markers[second, rows] = 1.0
        target = values[first, rows] + values[second, rows]
        return Batch(np.stack([values, markers], axis=-1), target)

    @staticmethod
    def score(y: np.ndarray, target: np.ndarray) -> Scored:
        err = y[:, 0] - target
        mse = float(np.mean(err * err))
        return Scored(mse, mse, (2.0 * err)[:, None])


class Recall:
    name = "recall"
    input_size = RECALL_SYMBOLS + 1
    output_size = RECALL_SYMBOLS
    baseline = float(np.log(RECALL_SYMBOLS))
    metric_name = "accuracy"
    min_seq_len = 1

    @staticmethod
    def batch(rng: np.random.Generator, n: int, seq_len: int) -> Batch:
        symbols = rng.integers(0, RECALL_SYMBOLS, size=n)
        x = np.zeros((seq_len, n, RECALL_SYMBOLS + 1))
        x[1:, :, :RECALL_SYMBOLS] = RECALL_NOISE * rng.standard_normal((seq_len - 1, n, RECALL_SYMBOLS))
        x[0, np.arange(n), symbols] = 1.0
        x[-1, :, RECALL_SYMBOLS] = 1.0
        return Batch(x, symbols)

    @staticmethod
    def score(y: np.ndarray, target: np.ndarray) -> Scored:
        shifted = y - y.max(axis=1, keepdims=True)  # log-softmax without overflow
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        rows = np.arange(len(target))
        loss = float(-np.mean(log_p[rows, target]))
        dy = np.exp(log_p)
        dy[rows, target] -= 1.0
        accuracy = float(np.mean(np.argmax(y, axis=1) == target))
        return Scored(loss, accuracy, dy)


TASKS = {"adding": Adding, "recall": Recall}
