"""Three networks trained by the lab's own training (`gradflow.train`), shipped so a student sees a trained
network's gradient flow in one click: an lstm that solved the adding problem at T = 50, a gru that solved recall,
and an rnn that did not solve adding at T = 50. `python -m gradflow.networks.make` trains them again, to the same
bytes (everything follows from the seed); networks.json lists them with their settings and outcome."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def catalogue() -> list[dict[str, Any]]:
    """[{"name", "file", "cell", "task", "hidden_size", "input_size", "num_layers", "seq_len", "steps", "solved",
    "solved_at", "final_loss", "description", "train"}] from networks.json."""
    return json.loads(resources.files(__package__).joinpath("networks.json").read_text(encoding="utf-8"))


def weights_file(name: str) -> bytes:
    """The .safetensors bytes of the example `name` (KeyError if there is none)."""
    entry = {e["name"]: e for e in catalogue()}[name]
    return resources.files(__package__).joinpath(entry["file"]).read_bytes()
