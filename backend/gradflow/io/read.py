"""Reading weights and inputs from files, never running their code: .npz, .safetensors, .json, .pt/.pth, .keras
and .h5 weights (and .npy, .csv, .json inputs).

- .npz: `numpy.load(..., allow_pickle=False)`, so an object array (which would need pickle) is refused;
- .safetensors: the `safetensors` package's NumPy API (a header of names, dtypes and shapes, then raw data);
- .json: an object {name: nested list of numbers};
- .pt, .pth: `torch.save` files, through an unpickler that allows only what a state_dict needs (torch_pt.py);
- .keras, .h5 (`.weights.h5`): Keras weights, with h5py (keras.py).
Every failure is a `FileError` (a ValueError) saying in words what is wrong with the file.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np

from .errors import FileError

WEIGHT_FORMATS = (".npz", ".safetensors", ".json", ".pt", ".pth", ".keras", ".h5")
"""The weights files read, by suffix (`.weights.h5` ends in .h5)."""
DEFAULT_LIMIT = 64 * 1024 * 1024
"""Bytes of arrays a file may declare (the API passes its own upload limit)."""


def read_weights(data: bytes, filename: str, limit: int = DEFAULT_LIMIT) -> dict[str, np.ndarray]:
    """{array name: array} from a weights file's bytes; the format follows the file name's suffix. A file that
    declares more than `limit` bytes of arrays is refused before they are allocated."""
    from .keras import read_h5, read_keras
    from .torch_pt import read_pt

    suffix = Path(filename).suffix.lower()
    if suffix in (".pt", ".pth"):
        return read_pt(data, filename, limit)
    if suffix == ".keras":
        return read_keras(data, filename, limit)
    if suffix == ".h5":
        return read_h5(data, filename, limit)
    if suffix == ".npz":
        return {name: _real(array, f"{filename}: {name}") for name, array in _npz(data, filename).items()}
    if suffix == ".safetensors":
        return {name: _real(array, f"{filename}: {name}") for name, array in _safetensors(data, filename).items()}
    if suffix == ".json":
        obj = _json(data, filename)
        if not isinstance(obj, dict):
            raise FileError(f"{filename}: a weights .json must be an object {{name: array}}")
        return {name: _numbers(value, f"{filename}: {name}") for name, value in obj.items()}
    raise FileError(
        f"{filename}: weights must be a {', '.join(WEIGHT_FORMATS[:-1])} or {WEIGHT_FORMATS[-1]} file "
        f"(got '{suffix or 'no suffix'}')"
    )


def read_matrix(data: bytes, filename: str) -> np.ndarray:
    """A T x I matrix (explicit inputs) from .json (a list of rows), .csv (rows of numbers) or .npy."""
    suffix = Path(filename).suffix.lower()
    try:
        if suffix == ".npy":
            matrix = _real(np.load(io.BytesIO(data), allow_pickle=False), filename)
        elif suffix == ".csv":
            text = data.decode()
            matrix = np.loadtxt(io.StringIO(text), delimiter=",", ndmin=2) if text.strip() else np.empty((0, 0))
        elif suffix == ".json":
            matrix = _numbers(_json(data, filename), filename)
        else:
            raise FileError(f"{filename}: inputs must be a .json, .csv or .npy file (got '{suffix or 'no suffix'}')")
    except (ValueError, UnicodeDecodeError, EOFError) as exc:
        if isinstance(exc, FileError):
            raise
        raise FileError(f"{filename}: not a readable {suffix} matrix ({exc})") from None
    matrix = np.atleast_2d(np.asarray(matrix, dtype=np.float64))
    if matrix.size == 0:
        raise FileError(f"{filename}: holds no numbers")
    return matrix


def _real(array: np.ndarray, where: str) -> np.ndarray:
    """`array` as it is if it holds real numbers (bool, integers, floats); otherwise a FileError saying what it
    holds, rather than a 500 when it is converted later (text) or a silently dropped imaginary part (complex)."""
    kind = array.dtype.kind
    if kind in "biuf":
        return array
    if kind == "c":
        raise FileError(f"{where}: holds complex numbers; weights and inputs are real")
    if kind in "SU":
        raise FileError(f"{where}: holds text, not numbers")
    raise FileError(f"{where}: holds {array.dtype} values, not numbers")


def _npz(data: bytes, filename: str) -> dict[str, np.ndarray]:
    if not data.startswith(b"PK"):  # numpy.load would take anything else for a pickle
        raise FileError(f"{filename}: not a .npz archive (numpy.savez writes a zip file)")
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            return {name: archive[name] for name in archive.files}
    except ValueError as exc:
        if "allow_pickle" in str(exc):
            raise FileError(
                f"{filename}: holds a pickled object array, which is never loaded; save plain numeric "
                "arrays (numpy.savez with float arrays)"
            ) from None
        raise FileError(f"{filename}: not a readable .npz ({exc})") from None
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise FileError(f"{filename}: not a readable .npz archive ({exc})") from None


def _safetensors(data: bytes, filename: str) -> dict[str, np.ndarray]:
    from safetensors import SafetensorError
    from safetensors.numpy import load

    try:
        return load(data)
    except (SafetensorError, ValueError, TypeError) as exc:
        raise FileError(f"{filename}: not a readable .safetensors file, perhaps truncated ({exc})") from None


def _json(data: bytes, filename: str):
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise FileError(f"{filename}: not valid JSON ({exc})") from None


def _numbers(value, where: str) -> np.ndarray:
    try:
        return np.asarray(value, dtype=np.float64)
    except (ValueError, TypeError):
        raise FileError(f"{where}: expected an array of numbers (a list of equal-length rows)") from None
