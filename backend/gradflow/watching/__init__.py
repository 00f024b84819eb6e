"""Watching your own PyTorch training: `gradflow.watch(module, logdir)` (capture.py, the only module that imports
torch), the exact replay of a captured step (replay.py) and the run directories it writes (runs.py).

The package is `watching`, not `watch`, for the reason `training` and `sweeping` are named so: a subpackage named
like the function would replace `gradflow.watch` by itself once imported."""
