"""Reading weights and inputs from files (io/read.py): each format gives back what was written, every failure
is a FileError that names the file and says what is wrong, and nothing is ever unpickled."""

from __future__ import annotations

import io
import json
import pickle

import numpy as np
import pytest
from gradflow.io import FileError, read_matrix, read_weights
from safetensors.numpy import save

UNPICKLED: list[str] = []
"""What the trap below recorded: anything here means a pickle was loaded."""


def _record(what: str) -> str:
    UNPICKLED.append(what)
    return what


class Trap:
    """Unpickling this object calls `_record`: a stand-in for a pickle that runs code."""

    def __reduce__(self):
        return (_record, ("unpickled",))


@pytest.fixture(autouse=True)
def no_pickle_was_loaded():
    UNPICKLED.clear()
    yield
    assert UNPICKLED == [], "a pickle was loaded"


def npz(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def npy(array) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


RNG = np.random.default_rng(0)
WEIGHTS = {"weight_ih_l0": RNG.standard_normal((6, 2)), "weight_hh_l0": RNG.standard_normal((6, 3)) * 1e-300}
MATRIX = RNG.standard_normal((5, 3)) * 10.0 ** RNG.uniform(-200, 200, (5, 3))


def same(got: dict, want: dict) -> None:
    assert set(got) == set(want)  # (safetensors keeps its names sorted)
    for name in want:
        np.testing.assert_array_equal(got[name], want[name], err_msg=name)


def test_npz_weights_round_trip():
    same(read_weights(npz(**WEIGHTS), "w.npz"), WEIGHTS)
    same(read_weights(npz(a=np.ones(3, dtype=np.float32)), "W.NPZ"), {"a": np.ones(3)})  # any case of suffix


def test_safetensors_weights_round_trip():
    same(read_weights(save(WEIGHTS), "model.safetensors"), WEIGHTS)


def test_json_weights_round_trip_as_float64():
    got = read_weights(json.dumps({k: v.tolist() for k, v in WEIGHTS.items()}).encode(), "w.json")
    same(got, WEIGHTS)
    assert all(a.dtype == np.float64 for a in got.values())


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (json.dumps(MATRIX.tolist()).encode(), "x.json"),
        (npy(MATRIX), "x.npy"),
        ("\n".join(",".join(repr(float(v)) for v in row) for row in MATRIX).encode(), "x.csv"),
    ],
    ids=["json", "npy", "csv"],
)
def test_each_matrix_format_round_trips_exactly(data, filename):
    got = read_matrix(data, filename)
    assert got.dtype == np.float64
    np.testing.assert_array_equal(got, MATRIX)


def test_a_one_column_csv_is_one_input_per_step():
    assert read_matrix(b"1\n2\n3\n", "x.csv").tolist() == [[1.0], [2.0], [3.0]]
    assert read_matrix(b"1,2\n", "x.csv").tolist() == [[1.0, 2.0]]


def test_an_object_array_in_an_npz_is_refused_without_unpickling():
    data = npz(weight_ih_l0=np.array([Trap()], dtype=object))
    with pytest.raises(FileError, match="w.npz: holds a pickled object array, which is never loaded"):
        read_weights(data, "w.npz")
    assert UNPICKLED == []
    with np.load(io.BytesIO(data), allow_pickle=True) as archive:  # the trap is armed: loading it would run code
        archive["weight_ih_l0"]
    assert UNPICKLED == ["unpickled"]
    UNPICKLED.clear()


def test_a_bare_pickle_named_npz_is_never_loaded():
    with pytest.raises(FileError, match="w.npz: not a .npz archive"):
        read_weights(pickle.dumps({"weight_ih_l0": Trap()}), "w.npz")


def test_an_object_array_in_an_npy_is_refused_without_unpickling():
    with pytest.raises(FileError, match="x.npy: not a readable .npy matrix"):
        read_matrix(npy(np.array([[Trap()]], dtype=object)), "x.npy")


def test_a_pickle_named_npy_is_never_loaded():
    with pytest.raises(FileError, match="x.npy: not a readable .npy matrix"):
        read_matrix(pickle.dumps([[Trap()]]), "x.npy")


GOOD_NPZ = npz(**WEIGHTS)
GOOD_SAFETENSORS = save(WEIGHTS)


@pytest.mark.parametrize(
    ("data", "filename", "words"),
    [
        (
            GOOD_NPZ,
            "w.txt",
            "w.txt: weights must be a .npz, .safetensors, .json, .pt, .pth, .keras or .h5 file (got '.txt')",
        ),
        (
            GOOD_NPZ,
            "weights",
            "weights: weights must be a .npz, .safetensors, .json, .pt, .pth, .keras or .h5 file (got 'no suffix')",
        ),
        (GOOD_NPZ[: len(GOOD_NPZ) // 2], "w.npz", "w.npz: not a readable .npz archive"),
        (b"PK\x03\x04 not really", "w.npz", "w.npz: not a readable .npz"),
        (b"", "w.npz", "w.npz: not a .npz archive"),
        (GOOD_SAFETENSORS[:-3], "w.safetensors", "w.safetensors: not a readable .safetensors file, perhaps truncated"),
        (b"", "w.safetensors", "w.safetensors: not a readable .safetensors file"),
        (b'{"a": [1,', "w.json", "w.json: not valid JSON"),
        (b"\xff\xfe", "w.json", "w.json: not valid JSON"),
        (b"[[1, 2]]", "w.json", "w.json: a weights .json must be an object {name: array}"),
        (b'{"a": [[1, 2], [3]]}', "w.json", "w.json: a: expected an array of numbers"),
        (b'{"a": "x"}', "w.json", "w.json: a: expected an array of numbers"),
    ],
)
def test_unreadable_weights_are_a_file_error_naming_the_file(data, filename, words):
    with pytest.raises(FileError) as caught:
        read_weights(data, filename)
    assert str(caught.value).startswith(words)
    assert isinstance(caught.value, ValueError)


GOOD_NPY = npy(MATRIX)


@pytest.mark.parametrize(
    ("data", "filename", "words"),
    [
        (b"1,2", "x.txt", "x.txt: inputs must be a .json, .csv or .npy file (got '.txt')"),
        (GOOD_NPY[:20], "x.npy", "x.npy: not a readable .npy matrix"),
        (GOOD_NPY[:-5], "x.npy", "x.npy: not a readable .npy matrix"),
        (b"", "x.npy", "x.npy: not a readable .npy matrix"),
        (b"a,b\n", "x.csv", "x.csv: not a readable .csv matrix"),
        (b"1,2\n3\n", "x.csv", "x.csv: not a readable .csv matrix"),
        (b"\xff\xfe", "x.csv", "x.csv: not a readable .csv matrix"),
        (b"[[1, 2], [3]]", "x.json", "x.json: expected an array of numbers"),
        (b'{"a": 1}', "x.json", "x.json: expected an array of numbers"),
        (b"[[1,", "x.json", "x.json: not valid JSON"),
    ],
)
def test_unreadable_inputs_are_a_file_error_naming_the_file(data, filename, words):
    with pytest.raises(FileError) as caught:
        read_matrix(data, filename)
    assert str(caught.value).startswith(words)


@pytest.mark.parametrize(
    ("array", "words"),
    [
        (np.array([["a", "b"]]), "x.npy: holds text, not numbers"),
        (np.array([[1 + 2j, 3.0]]), "x.npy: holds complex numbers"),
    ],
    ids=["text", "complex"],
)
def test_an_npy_of_anything_but_real_numbers_is_a_file_error(array, words):
    with pytest.raises(FileError, match=words):
        read_matrix(npy(array), "x.npy")


@pytest.mark.parametrize(
    ("array", "words"),
    [
        (np.array(["a", "b"]), "w.npz: weight_hh_l0: holds text, not numbers"),
        (np.array([1 + 2j, 3.0]), "w.npz: weight_hh_l0: holds complex numbers"),
    ],
    ids=["text", "complex"],
)
def test_weights_of_anything_but_real_numbers_are_a_file_error(array, words):
    with pytest.raises(FileError, match=words):
        read_weights(npz(**{**WEIGHTS, "weight_hh_l0": array}), "w.npz")


@pytest.mark.parametrize(("data", "filename"), [(b"", "x.csv"), (b"\n\n", "x.csv"), (b"[]", "x.json")])
def test_an_empty_matrix_is_a_file_error(data, filename):
    with pytest.raises(FileError, match=f"{filename}: holds no numbers"):
        read_matrix(data, filename)


def test_integer_and_boolean_arrays_are_numbers():
    got = read_weights(npz(a=np.arange(3), b=np.array([True, False])), "w.npz")
    assert got["a"].tolist() == [0, 1, 2] and got["b"].tolist() == [True, False]
    assert read_matrix(npy(np.array([[1, 2]], dtype=np.int32)), "x.npy").tolist() == [[1.0, 2.0]]
