"""Makes the files the documentation's examples read, with the gradflow library, from fixed seeds.

- my-lstm.npz: a seeded 2-layer lstm with 4 inputs and 8 hidden units, standing in for a network you trained.
  Its arrays have PyTorch's names and shapes (weight_ih_l0 32 x 4, weight_hh_l0 32 x 8, bias_ih_l0 and
  bias_hh_l0 32, then the same with _l1 for the second layer, whose weight_ih is 32 x 8), in float32, as
  `torch.nn.LSTM(4, 8, num_layers=2).state_dict()` would hold them.
- inputs.csv: 100 time steps of 4 inputs (sine waves): one row per step, 4 numbers separated by commas,
  no header row.

Run it from the repository's root: `.venv/bin/python examples/make_examples.py` writes both files into
examples/, byte for byte the same every time (the weights use the gaussian init, plain arithmetic on
seeded draws, and the .npz is written with fixed time stamps). `--out DIR` writes them to DIR instead;
tests/docs/test_examples.py does that and compares the result with the committed files.
"""

from __future__ import annotations

import argparse
import io
import zipfile
from pathlib import Path

import gradflow
import numpy as np

HERE = Path(__file__).resolve().parent
SEED = 7
NETWORK = {"cell": "lstm", "input_size": 4, "hidden_size": 8, "num_layers": 2, "init": "gaussian", "seed": SEED}
STEPS = 100
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry: the same bytes on every run


def make(out: Path) -> list[Path]:
    """Writes my-lstm.npz and inputs.csv into `out`; returns their paths."""
    run = gradflow.simulate(
        **NETWORK, seq_len=STEPS, input_kind="sine", return_params=True, fields=["params", "inputs"]
    )
    weights = {name: value.astype(np.float32) for name, value in run.params.items() if name != "readout"}
    out.mkdir(parents=True, exist_ok=True)
    npz, csv = out / "my-lstm.npz", out / "inputs.csv"
    npz.write_bytes(_npz_bytes(weights))
    csv.write_text("".join(",".join(f"{x:.4f}" for x in row) + "\n" for row in run.inputs))
    return [npz, csv]


def _npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """What `numpy.savez` writes (a zip of .npy files, one per array), without the time stamps that would
    make every run's bytes differ."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, array in arrays.items():
            data = io.BytesIO()
            np.lib.format.write_array(data, np.ascontiguousarray(array), allow_pickle=False)
            entry = zipfile.ZipInfo(f"{name}.npy", date_time=ZIP_TIME)
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data.getvalue())
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="the folder to write into (default: examples/)")
    for path in make(parser.parse_args(argv).out):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
