"""Keras weights files read with h5py, without Keras: `.weights.h5` (`model.save_weights`) and `.keras`
(`model.save`, a zip archive holding `model.weights.h5` and `config.json`).

Keras 3 stores each layer's variables as numbered datasets, `layers/<layer>/cell/vars/0, 1, 2` for a recurrent
layer (kernel, recurrent_kernel, bias, in the order the cell builds them); Keras 2's `.h5` named them
(`.../lstm_cell/kernel:0`). Each recurrent cell becomes `<path>/kernel`, `<path>/recurrent_kernel`, `<path>/bias`,
which core/weights.py maps to PyTorch's layout; several become a stack, in the model's order (config.json's, or
else the layers' names in natural order). Other layers' variables keep their paths and are listed as ignored.
Declared dataset sizes are checked against the limit before anything is read.
"""

from __future__ import annotations

import io
import json
import re
import zipfile

import numpy as np

from .errors import FileError

KERAS_NAMES = ("kernel", "recurrent_kernel", "bias")


def read_keras(data: bytes, filename: str, limit: int) -> dict[str, np.ndarray]:
    """{path: array} from a .keras archive."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise FileError(f"{filename}: not a .keras archive (a zip file), or a truncated one ({exc})") from None
    if "model.weights.h5" not in names:
        raise FileError(f"{filename}: a .keras archive without model.weights.h5 (Keras 3 writes one)")
    order = None
    if "config.json" in names:
        try:
            order = _layer_order(json.loads(archive.read("config.json")))
        except (ValueError, KeyError, TypeError):
            order = None
    info = archive.getinfo("model.weights.h5")
    if info.file_size > limit:
        raise FileError(f"{filename}: model.weights.h5 declares {info.file_size} bytes, over the limit of {limit}")
    try:
        weights = archive.read(info)
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise FileError(f"{filename}: a truncated or damaged zip archive ({exc})") from None
    return read_h5(weights, filename, limit, order)


def read_h5(data: bytes, filename: str, limit: int, order: list[str] | None = None) -> dict[str, np.ndarray]:
    """{path: array} from a Keras weights HDF5 file (Keras 3's numbered `vars`, or Keras 2's named datasets)."""
    import h5py

    if not data.startswith(b"\x89HDF\r\n\x1a\n"):
        raise FileError(f"{filename}: not an HDF5 file (a Keras .weights.h5 starts with the HDF5 signature)")
    try:
        with h5py.File(io.BytesIO(data), "r") as f:
            datasets = _datasets(f, filename, limit)
    except FileError:
        raise
    except (OSError, ValueError, KeyError) as exc:
        raise FileError(f"{filename}: not a readable HDF5 file, perhaps truncated ({exc})") from None
    if not datasets:
        raise FileError(f"{filename}: holds no weights (no datasets)")
    return _named(datasets, order)


def _datasets(f, filename: str, limit: int) -> dict[str, np.ndarray]:
    import h5py

    found: dict[str, h5py.Dataset] = {}

    def keep(path: str, obj: object) -> None:  # visititems stops at the first callback that returns something
        if isinstance(obj, h5py.Dataset):
            found[path] = obj

    f.visititems(keep)
    total = 0
    for path, ds in found.items():
        if ds.dtype.kind not in "fiub":
            raise FileError(f"{filename}: {path} holds {ds.dtype}, not numbers")
        total += int(np.prod(ds.shape, dtype=np.int64)) * ds.dtype.itemsize
        if total > limit:
            raise FileError(f"{filename}: its datasets hold more than the limit of {limit} bytes")
    return {path: np.asarray(ds[()]) for path, ds in found.items()}


def _named(datasets: dict[str, np.ndarray], order: list[str] | None) -> dict[str, np.ndarray]:
    """Keras 3's `.../vars/<k>` of a recurrent cell as `.../kernel`, `recurrent_kernel`, `bias`; recurrent layers
    first, in the model's order; everything else under its own path (ignored downstream)."""
    groups: dict[str, dict[str, np.ndarray]] = {}
    for path, value in datasets.items():
        head, _, last = path.rpartition("/")
        groups.setdefault(head, {})[last] = value
    cells, others = {}, {}
    for head, members in groups.items():
        if head.endswith("/vars") and _is_cell(members):
            cells[head.removesuffix("/vars")] = {name: members[str(k)] for k, name in enumerate(KERAS_NAMES)}
        elif {n.removesuffix(":0") for n in members} >= {"kernel", "recurrent_kernel"}:
            cells[head] = {n.removesuffix(":0"): v for n, v in members.items()}
        else:
            others.update({f"{head}/{n}": v for n, v in members.items()})
    out = {}
    for head in sorted(cells, key=lambda h: _rank(h, order)):
        out.update({f"{head}/{name}": value for name, value in cells[head].items()})
    return out | others


def _is_cell(members: dict[str, np.ndarray]) -> bool:
    """vars 0, 1 (and 2) shaped like a recurrent cell's kernel (I, G*H) and recurrent kernel (H, G*H)."""
    if not {"0", "1"} <= set(members) or not set(members) <= {"0", "1", "2"}:
        return False
    kernel, recurrent = members["0"], members["1"]
    if kernel.ndim != 2 or recurrent.ndim != 2 or recurrent.shape[1] != kernel.shape[1]:
        return False
    H = recurrent.shape[0]
    return H > 0 and recurrent.shape[1] in (H, 3 * H, 4 * H)


def _layer_order(config: dict) -> list[str]:
    layers = config["config"]["layers"]
    return [layer["config"]["name"] for layer in layers]


def _rank(head: str, order: list[str] | None):
    parts = head.split("/")
    name = parts[1] if len(parts) > 1 and parts[0] == "layers" else parts[0]
    if order and name in order:
        return (0, order.index(name), [])
    return (1, 0, [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", head)])
