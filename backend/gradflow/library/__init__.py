"""The Python library: `gradflow.simulate`, `train` and `sweep` (run.py), their results (result.py,
sweep_result.py) and the offline HTML report (report.py). `import gradflow` loads these on first use."""
