"""torch.save files read without torch and without running their code: the same arrays as torch's own, and every
other file refused in words before anything in it runs or is allocated."""

from __future__ import annotations

import io
import pickle
import zipfile
from pathlib import Path

import numpy as np
import pytest
from gradflow.io import FileError, read_weights

from tests import needs

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.mark.parametrize(
    ("pt", "npz", "prefix"), [("gru-2-3", "gru-2-3", ""), ("lstm-checkpoint", "lstm-checkpoint", "model.encoder.rnn.")]
)
def test_the_committed_files_read_as_their_arrays(pt, npz, prefix):
    arrays = read_weights((FIXTURES / f"{pt}.pt").read_bytes(), f"{pt}.pt")
    with np.load(FIXTURES / f"{npz}.npz") as expected:
        assert set(arrays) == {prefix + k for k in expected.files}
        for k in expected.files:
            np.testing.assert_array_equal(arrays[prefix + k], expected[k].astype(np.float64), err_msg=k)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "bfloat16"])
def test_torch_written_files_in_every_float_dtype_and_with_views(dtype):
    torch = needs.torch()
    torch.manual_seed(1)
    module = torch.nn.LSTM(3, 5, num_layers=2).to(getattr(torch, dtype))
    state = module.state_dict()
    state["a_view"] = state["weight_hh_l0"][5:15, 1:4]  # a strided view with an offset into a shared storage
    state["transposed"] = state["weight_ih_l0"].t()
    buf = io.BytesIO()
    torch.save(state, buf)
    arrays = read_weights(buf.getvalue(), "m.pt")
    for name, tensor in state.items():
        np.testing.assert_array_equal(arrays[name], tensor.double().numpy(), err_msg=name)


def _pt(payload: bytes, root: str = "archive", extra: dict[str, bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(f"{root}/data.pkl", payload)
        for name, data in (extra or {}).items():
            z.writestr(f"{root}/{name}", data)
    return buf.getvalue()


class _Evil:
    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        import os

        return (os.system, (f"touch {self.path}",))


def test_a_pickle_that_calls_os_system_is_refused_and_never_runs(tmp_path):
    canary = tmp_path / "canary"
    data = _pt(pickle.dumps({"weight_ih_l0": _Evil(str(canary))}, protocol=2))
    with pytest.raises(FileError, match=r"refused: its pickle asks for (posix|os)\.system"):
        read_weights(data, "evil.pt")
    assert not canary.exists()


def test_a_whole_pickled_model_is_refused_with_the_one_line_fix():
    torch = needs.torch()
    buf = io.BytesIO()
    torch.save(torch.nn.GRU(2, 3), buf)
    with pytest.raises(
        FileError,
        match=r"whole pickled model \(torch\.nn\.modules\.rnn\.GRU\).*torch\.save\(model\.state_dict\(\), path\)",
    ):
        read_weights(buf.getvalue(), "whole.pt")


def test_the_legacy_format_is_refused_with_how_to_resave():
    torch = needs.torch()
    buf = io.BytesIO()
    torch.save(torch.nn.GRU(2, 3).state_dict(), buf, _use_new_zipfile_serialization=False)
    with pytest.raises(FileError, match="legacy format.*torch.save\\(model.state_dict\\(\\), path\\)"):
        read_weights(buf.getvalue(), "old.pt")


def _declaring(numel: int, stored: bytes, size=(2, 2), stride=(2, 1), offset=0) -> bytes:
    """A forged state_dict: one float32 tensor over a storage that declares `numel` elements and holds `stored`."""
    text = (
        b"\x80\x02ccollections\nOrderedDict\nq\x00)Rq\x01X\x0c\x00\x00\x00weight_hh_l0q\x02ctorch._utils\n"
        b"_rebuild_tensor_v2\nq\x03((X\x07\x00\x00\x00storageq\x04ctorch\nFloatStorage\nq\x05X\x01\x00\x00\x000"
        b"q\x06X\x03\x00\x00\x00cpuq\x07J"
        + numel.to_bytes(4, "little")
        + b"tq\x08QJ"
        + offset.to_bytes(4, "little")
        + b"J"
        + size[0].to_bytes(4, "little")
        + b"J"
        + size[1].to_bytes(4, "little")
        + b"\x86J"
        + stride[0].to_bytes(4, "little")
        + b"J"
        + stride[1].to_bytes(4, "little")
        + b"\x86\x89h\x00)Rtq\tRs."
    )
    return _pt(text, extra={"data/0": stored})


def test_the_forged_file_helper_makes_a_readable_file():
    arrays = read_weights(_declaring(4, np.arange(4, dtype="<f4").tobytes()), "ok.pt")
    np.testing.assert_array_equal(arrays["weight_hh_l0"], [[0, 1], [2, 3]])


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"not a zip at all", "not a torch.save file"),
        (_declaring(4, np.arange(4, dtype="<f4").tobytes())[:-40], "truncated or damaged zip"),
        (_declaring(2**31 - 1, b"\x00" * 16), "declares 2147483647 elements"),
        (_declaring(4, b"\x00" * 16, size=(3, 3), stride=(3, 1)), "reaches element 8 of a storage of 4"),
        (_pt(b"\x80\x02ctorch\nLongStorage\n."), "holds no tensors"),
        (_pt(b"\x80\x02cbuiltins\neval\n."), "refused: its pickle asks for builtins.eval"),
        (_pt(b"garbage"), "not a readable pickle"),
    ],
)
def test_bad_files_are_refused_in_words(data, words):
    with pytest.raises(FileError, match=words):
        read_weights(data, "bad.pt")


def test_a_file_over_the_limit_is_refused_before_reading():
    with pytest.raises(FileError, match="over the limit of 8"):
        read_weights(_declaring(4, np.arange(4, dtype="<f4").tobytes()), "big.pt", limit=8)
