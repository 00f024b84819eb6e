"""Plain NumPy optimisers with torch.optim's update rules, operation for operation (default arguments).

- SGD (torch.optim.SGD, momentum 0, no weight decay): p <- p - lr * g.
- Adam (torch.optim.Adam: betas (0.9, 0.999), eps 1e-8, no weight decay, no amsgrad), Kingma & Ba (2015)
  with torch's arrangement of the bias corrections:
      m <- m + (1 - b1) (g - m)                    (torch: exp_avg.lerp_(g, 1 - b1))
      v <- b2 v + ((1 - b2) g) g                 (torch: exp_avg_sq.mul_(b2).addcmul_(g, g, 1 - b2))
      step_size = lr / (1 - b1^t)
      denom = sqrt(v) / sqrt(1 - b2^t) + eps
      p <- p + (-step_size) m / denom
Both update the parameter arrays in place, as torch does.
"""

from __future__ import annotations

import math

import numpy as np


class SGD:
    def __init__(self, lr: float) -> None:
        self.lr = lr

    def step(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
        for name, p in params.items():
            p += -self.lr * grads[name]


class Adam:
    def __init__(self, lr: float, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8) -> None:
        self.lr, (self.beta1, self.beta2), self.eps = lr, betas, eps
        self.t = 0
        self.m: dict[str, np.ndarray] = {}
        self.v: dict[str, np.ndarray] = {}
        self._scratch: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def step(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
        self.t += 1
        step_size = self.lr / (1.0 - self.beta1**self.t)
        bias_correction2_sqrt = math.sqrt(1.0 - self.beta2**self.t)
        for name, p in params.items():
            g = grads[name]
            if name not in self.m:
                self.m[name], self.v[name] = np.zeros_like(p), np.zeros_like(p)
                self._scratch[name] = (np.empty_like(p), np.empty_like(p))
            m, v = self.m[name], self.v[name]
            a, b = self._scratch[name]  # the same operations as written above, in place
            np.subtract(g, m, out=a)
            a *= 1.0 - self.beta1
            m += a  # m + (1 - b1) (g - m)
            v *= self.beta2
            np.multiply(g, 1.0 - self.beta2, out=a)
            a *= g
            v += a  # b2 v + ((1 - b2) g) g
            np.sqrt(v, out=a)
            a /= bias_correction2_sqrt
            a += self.eps  # denom
            np.multiply(m, -step_size, out=b)
            b /= a
            p += b  # p + (-step_size m) / denom


def make_optimizer(name: str, lr: float) -> SGD | Adam:
    return Adam(lr) if name == "adam" else SGD(lr)
