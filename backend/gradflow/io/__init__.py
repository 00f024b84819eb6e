"""Reading weights and inputs from files, never unpickling arbitrary code (read.py)."""

from .read import FileError, read_matrix, read_weights

__all__ = ["FileError", "read_matrix", "read_weights"]
