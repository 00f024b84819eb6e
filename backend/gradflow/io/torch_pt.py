"""`torch.save(...)` files (.pt, .pth) read without torch and without running any of their code.

PyTorch's format (since 1.6) is a zip archive: `<name>/data.pkl`, a pickle whose tensors point, through persistent
ids `("storage", torch.FloatStorage, key, location, numel)`, at raw little-endian storages `<name>/data/<key>`, and
rebuild themselves with `torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)`.

The pickle is read by an unpickler that knows only the globals a tensor state_dict needs (`ALLOWED`): the tensor
and parameter rebuild functions, the storage types, `collections.OrderedDict`. Any other global (a module class of
`torch.save(model)`, `os.system`, ...) is refused by name before anything is called. Every declared storage size
and every tensor's view (offset, size, stride) is checked against the archive's real entry sizes and the upload
limit before one array is made, so a small file that declares a huge tensor is refused, not allocated.
"""

from __future__ import annotations

import io
import pickle
import zipfile
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import FileError

STORAGES: dict[str, np.dtype] = {
    "DoubleStorage": np.dtype("<f8"),
    "FloatStorage": np.dtype("<f4"),
    "HalfStorage": np.dtype("<f2"),
    "BFloat16Storage": np.dtype("<u2"),  # NumPy has no bfloat16: the top half of a float32, widened on read
    "LongStorage": np.dtype("<i8"),
    "IntStorage": np.dtype("<i4"),
    "ShortStorage": np.dtype("<i2"),
    "CharStorage": np.dtype("i1"),
    "ByteStorage": np.dtype("u1"),
    "BoolStorage": np.dtype("?"),
}
"""The storage types a state_dict may hold (a checkpoint's optimizer state has integer ones), with their layout."""

ALLOWED = {
    ("collections", "OrderedDict"),
    ("torch._utils", "_rebuild_tensor_v2"),
    ("torch._utils", "_rebuild_parameter"),
    *(("torch", name) for name in STORAGES),
}
"""Every global the unpickler resolves; anything else is refused, named."""

RESAVE = "torch.save(model.state_dict(), path)"


@dataclass(frozen=True)
class _Storage:
    kind: str
    key: str
    numel: int


@dataclass(frozen=True)
class _Tensor:
    """A tensor as the pickle declares it: a view of a storage, made into an array only after every check."""

    storage: _Storage
    offset: int
    size: tuple[int, ...]
    stride: tuple[int, ...]


class _Unpickler(pickle.Unpickler):
    def __init__(self, data: bytes, filename: str) -> None:
        super().__init__(io.BytesIO(data))
        self.filename = filename
        self.storages: dict[str, _Storage] = {}

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in ALLOWED:
            raise FileError(_refusal(self.filename, module, name))
        if module == "collections":
            from collections import OrderedDict

            return OrderedDict
        if module == "torch":
            return ("storage-type", name)
        return _rebuild_tensor if name == "_rebuild_tensor_v2" else _rebuild_parameter

    def persistent_load(self, pid: Any) -> _Storage:
        if not (isinstance(pid, tuple) and len(pid) == 5 and pid[0] == "storage"):
            raise FileError(f"{self.filename}: an object other than a tensor storage ({str(pid)[:60]})")
        _, kind, key, _location, numel = pid
        if not (isinstance(kind, tuple) and kind[0] == "storage-type") or not isinstance(numel, int) or numel < 0:
            raise FileError(f"{self.filename}: a storage of an unknown type ({str(kind)[:60]})")
        storage = self.storages.setdefault(str(key), _Storage(kind[1], str(key), numel))
        return storage


def _rebuild_tensor(storage: Any, offset: Any, size: Any, stride: Any, *rest: Any) -> _Tensor:
    if not isinstance(storage, _Storage):
        raise FileError("a tensor without a storage")
    if not all(isinstance(v, int) and v >= 0 for v in (offset, *size, *stride)) or len(size) != len(stride):
        raise FileError("a tensor with a malformed shape or stride")
    return _Tensor(storage, offset, tuple(size), tuple(stride))


def _rebuild_parameter(data: Any, requires_grad: Any = False, hooks: Any = None, *rest: Any) -> Any:
    return data  # an nn.Parameter is its tensor here


def read_pt(data: bytes, filename: str, limit: int) -> dict[str, np.ndarray]:
    """{dotted path: array} of every tensor in a torch.save file (a state_dict, or a checkpoint dict holding one:
    `{"model": state_dict, "optimizer": ...}` gives `model.weight_ih_l0`, ...)."""
    if not data.startswith(b"PK"):
        if data[:1] == b"\x80":
            raise FileError(
                f"{filename}: PyTorch's legacy format (before 1.6), which only torch can read: load it with torch "
                f"and save it again with {RESAVE}, which writes the zip format"
            )
        raise FileError(f"{filename}: not a torch.save file (PyTorch writes a zip archive)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = {info.filename: info for info in archive.infolist()}
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise FileError(f"{filename}: a truncated or damaged zip archive ({exc})") from None
    pickles = [name for name in entries if name.endswith("data.pkl") and name.count("/") == 1]
    if not pickles:
        raise FileError(f"{filename}: a zip archive without data.pkl, so not a torch.save file")
    root = pickles[0].split("/")[0]
    order = entries.get(f"{root}/byteorder")
    if order is not None and _read(archive, order, filename, limit).strip() != b"little":
        raise FileError(f"{filename}: saved on a big-endian machine; save it again on a little-endian one")
    unpickler = _Unpickler(_read(archive, entries[pickles[0]], filename, limit), filename)
    try:
        obj = unpickler.load()
    except FileError:
        raise
    except Exception as exc:  # a malformed pickle: nothing of it was run, say what failed
        raise FileError(
            f"{filename}: data.pkl is not a readable pickle of tensors ({type(exc).__name__}: {exc})"
        ) from None
    tensors = dict(_tensors(obj, ""))
    if not tensors:
        raise FileError(f"{filename}: holds no tensors (save the recurrent module's state_dict: {RESAVE})")
    sizes = _checked_storages(unpickler.storages, entries, root, filename, limit)
    for name, t in tensors.items():
        _check_view(name, t, filename)
    cache: dict[str, np.ndarray] = {}
    out = {}
    for name, t in tensors.items():
        if t.storage.key not in cache:
            raw = _read(archive, entries[f"{root}/data/{t.storage.key}"], filename, limit)
            cache[t.storage.key] = np.frombuffer(raw, dtype=STORAGES[t.storage.kind], count=sizes[t.storage.key])
        flat = cache[t.storage.key]
        itemsize = flat.dtype.itemsize
        view = np.lib.stride_tricks.as_strided(
            flat[t.offset :], shape=t.size, strides=tuple(s * itemsize for s in t.stride), writeable=False
        )
        out[name] = _widen(view, t.storage.kind)
    return out


def _refusal(filename: str, module: str, name: str) -> str:
    if module.startswith("torch.nn") or module == "__main__" or name[:1].isupper():
        return (
            f"{filename}: holds a whole pickled model ({module}.{name}), which is never unpickled: save its weights "
            f"instead, {RESAVE}"
        )
    return f"{filename}: refused: its pickle asks for {module}.{name}, which a state_dict of tensors never needs"


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, filename: str, limit: int) -> bytes:
    if info.file_size > limit:
        raise FileError(f"{filename}: {info.filename} declares {info.file_size} bytes, over the limit of {limit}")
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise FileError(f"{filename}: a truncated or damaged zip archive ({exc})") from None


def _tensors(obj: Any, prefix: str):
    """(dotted path, tensor) of every tensor in nested dicts and lists."""
    if isinstance(obj, _Tensor):
        yield prefix, obj
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield from _tensors(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(obj, list | tuple):
        for k, value in enumerate(obj):
            yield from _tensors(value, f"{prefix}.{k}" if prefix else str(k))


def _checked_storages(storages, entries, root, filename, limit) -> dict[str, int]:
    """Each storage's element count, checked against its entry's real size before anything is allocated."""
    total = 0
    sizes = {}
    for key, s in storages.items():
        entry = entries.get(f"{root}/data/{key}")
        if entry is None:
            raise FileError(f"{filename}: the storage data/{key} that a tensor needs is missing")
        nbytes = s.numel * STORAGES[s.kind].itemsize
        if nbytes > entry.file_size:
            raise FileError(
                f"{filename}: storage data/{key} declares {s.numel} elements ({nbytes} bytes) but holds "
                f"{entry.file_size} bytes: a damaged or forged file"
            )
        total += nbytes
        if total > limit:
            raise FileError(f"{filename}: its tensors hold more than the limit of {limit} bytes")
        sizes[key] = s.numel
    return sizes


def _check_view(name: str, t: _Tensor, filename: str) -> None:
    if 0 in t.size:
        return
    last = t.offset + sum((n - 1) * s for n, s in zip(t.size, t.stride))
    if last >= t.storage.numel:
        raise FileError(
            f"{filename}: {name} reaches element {last} of a storage of {t.storage.numel}: a damaged or forged file"
        )


def _widen(view: np.ndarray, kind: str) -> np.ndarray:
    if kind == "BFloat16Storage":
        return (view.astype(np.uint32) << 16).view(np.float32).astype(np.float64)
    return np.array(view)
