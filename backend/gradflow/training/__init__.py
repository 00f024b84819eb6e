"""Training a recurrent cell on a long-range task: the same cells, BPTT, seeds and clipping as a simulation,
with plain NumPy SGD and Adam. `train(cfg)` is a generator of progress events and one summary."""

from .config import TrainConfig
from .loop import train

__all__ = ["TrainConfig", "train"]
