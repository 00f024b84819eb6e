"""Gradient Flow Lab: exact gradient flow through recurrent networks."""

__version__ = "0.1.0"
