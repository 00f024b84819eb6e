"""Keras files read with h5py, without Keras: Keras 3's layout (layers/<name>/cell/vars/0, 1, 2) built here with
h5py, in a .weights.h5 and inside a .keras archive, gives the same answer as the same arrays in a .npz."""

from __future__ import annotations

import io
import json
import zipfile

import h5py
import numpy as np
import pytest
from gradflow.io import FileError, read_weights
from gradflow.library.run import simulate


def keras_arrays(cell: str, H: int, I: int, seed: int) -> dict[str, np.ndarray]:
    G = {"rnn": 1, "lstm": 4, "gru": 3}[cell]
    rng = np.random.default_rng(seed)
    bias = rng.standard_normal((2, G * H)) * 0.1 if cell == "gru" else rng.standard_normal(G * H) * 0.1
    return {
        "kernel": rng.standard_normal((I, G * H)) * 0.3,
        "recurrent_kernel": rng.standard_normal((H, G * H)) * 0.3,
        "bias": bias,
    }


def weights_h5(layers: list[tuple[str, dict[str, np.ndarray]]], extra: bool = True) -> bytes:
    """A Keras 3 `model.save_weights` file: each recurrent layer's cell vars, and a Dense head to be ignored."""
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        for name, arrays in layers:
            group = f.create_group(f"layers/{name}/cell/vars")
            for k, key in enumerate(("kernel", "recurrent_kernel", "bias")):
                group.create_dataset(str(k), data=arrays[key])
        if extra:
            head = f.create_group("layers/dense/vars")
            head.create_dataset("0", data=np.ones((4, 1)))
            head.create_dataset("1", data=np.zeros(1))
    return buf.getvalue()


def dot_keras(h5: bytes, order: list[str]) -> bytes:
    buf = io.BytesIO()
    config = {
        "class_name": "Sequential",
        "config": {"layers": [{"class_name": "X", "config": {"name": n}} for n in order]},
    }
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("config.json", json.dumps(config))
        z.writestr("metadata.json", "{}")
        z.writestr("model.weights.h5", h5)
    return buf.getvalue()


def npz(arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return read_weights(buf.getvalue(), "same.npz")


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_a_weights_h5_gives_the_answer_of_the_same_arrays_as_npz(cell):
    arrays = keras_arrays(cell, H=4, I=3, seed=1)
    from_h5 = read_weights(weights_h5([(cell, arrays)]), "model.weights.h5")
    a = simulate(params=from_h5, seq_len=12)
    b = simulate(
        params=npz({f"rnn/{k}": v for k, v in arrays.items()}), cell=cell, hidden_size=4, input_size=3, seq_len=12
    )
    np.testing.assert_array_equal(a.grad_h_log10_norm, b.grad_h_log10_norm)
    assert a.config["cell"] == cell and a.to_dict()["weights"]["ignored"] == [
        "layers/dense/vars/0",
        "layers/dense/vars/1",
    ]


def test_several_recurrent_layers_become_a_stack_in_the_models_order():
    first, second = keras_arrays("lstm", 4, 3, 1), keras_arrays("lstm", 4, 4, 2)
    # names that sort the wrong way round; config.json gives the model's order
    h5 = weights_h5([("lstm_b", first), ("lstm_a", second)])
    arrays = read_weights(dot_keras(h5, ["lstm_b", "lstm_a", "dense"]), "model.keras")
    result = simulate(params=arrays, seq_len=10)
    assert result.config["num_layers"] == 2 and result.config["input_size"] == 3
    stacked = simulate(
        params=npz({f"l0/{k}": v for k, v in first.items()} | {f"l1/{k}": v for k, v in second.items()}),
        cell="lstm",
        hidden_size=4,
        input_size=3,
        num_layers=2,
        seq_len=10,
    )
    np.testing.assert_array_equal(result.grad_h_log10_norm, stacked.grad_h_log10_norm)


def test_keras_2_named_datasets_are_read_too():
    arrays = keras_arrays("gru", 4, 3, 5)
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        for key, value in arrays.items():
            f.create_dataset(f"model_weights/gru/gru/gru_cell/{key}:0", data=value)
    result = simulate(params=read_weights(buf.getvalue(), "old.h5"), seq_len=8)
    assert result.config["cell"] == "gru" and result.config["hidden_size"] == 4


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"plain text", "x.weights.h5", "not an HDF5 file"),
        (b"\x89HDF\r\n\x1a\n" + b"\x00" * 40, "x.weights.h5", "not a readable HDF5 file"),
        (b"PK\x03\x04 broken", "x.keras", "not a .keras archive"),
        (dot_keras(b"", [])[:0] or b"no zip", "x.keras", "not a .keras archive"),
    ],
)
def test_bad_keras_files_are_refused_in_words(data, name, words):
    with pytest.raises(FileError, match=words):
        read_weights(data, name)


def test_a_keras_archive_without_weights_and_a_missing_dataset_are_named():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("config.json", "{}")
    with pytest.raises(FileError, match="without model.weights.h5"):
        read_weights(buf.getvalue(), "x.keras")
    only_kernel = io.BytesIO()
    with h5py.File(only_kernel, "w") as f:
        f.create_dataset("layers/lstm/cell/vars/0", data=np.zeros((3, 16)))
    from gradflow.library.run import InvalidRequest

    with pytest.raises(InvalidRequest, match="recurrent_kernel"):
        simulate(params=read_weights(only_kernel.getvalue(), "x.weights.h5"))


def test_declared_sizes_over_the_limit_are_refused_before_reading():
    h5 = weights_h5([("lstm", keras_arrays("lstm", 4, 3, 1))])
    with pytest.raises(FileError, match="more than the limit of 100 bytes"):
        read_weights(h5, "x.weights.h5", limit=100)
