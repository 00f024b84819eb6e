"""The web service over the numeric core: `create_app()` in `gradflow.api.main`; `python -m gradflow.api` runs it."""
