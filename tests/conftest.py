"""Shared test setup: the package lives under backend/ (installed editable by `make test`)."""
