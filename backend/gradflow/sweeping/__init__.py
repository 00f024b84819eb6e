"""Sweeps: a grid of simulations over one or two numeric request fields, several seeds per point.

`points.py` is pure (configuration in, metrics out); `executors.py` runs the points in the request's own
process, in a small local process pool, or on a Dask cluster, streaming results as they finish.
"""

from .points import METRICS, SweepSpec, metrics_of, point_jobs, summary

__all__ = ["METRICS", "SweepSpec", "metrics_of", "point_jobs", "summary"]
