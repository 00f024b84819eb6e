"""`python -m gradflow.networks.make`: trains the three example networks with the lab's own training and writes
them (float32 .safetensors, a few KB each) and networks.json next to this file."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
EXAMPLES = [
    {
        "name": "lstm-adding-50",
        "description": "an lstm that solved the adding problem at T = 50",
        "train": {
            "cell": "lstm",
            "task": "adding",
            "seq_len": 50,
            "hidden_size": 32,
            "steps": 3000,
            "forget_bias": 1.0,
            "optimizer": "adam",
            "learning_rate": 0.01,
            "seed": 0,
            "stop_when_solved": True,
        },
    },
    {
        "name": "gru-recall-30",
        "description": "a gru that solved recall at T = 30",
        "train": {
            "cell": "gru",
            "task": "recall",
            "seq_len": 30,
            "hidden_size": 32,
            "steps": 3000,
            "optimizer": "adam",
            "learning_rate": 0.01,
            "seed": 0,
            "stop_when_solved": True,
        },
    },
    {
        "name": "rnn-adding-50",
        "description": "an rnn that did not solve the adding problem at T = 50 (3,000 steps)",
        "train": {
            "cell": "rnn",
            "task": "adding",
            "seq_len": 50,
            "hidden_size": 32,
            "steps": 3000,
            "optimizer": "adam",
            "learning_rate": 0.01,
            "seed": 0,
            "stop_when_solved": True,
        },
    },
]


def main(out: Path = HERE) -> None:
    from safetensors.numpy import save

    from gradflow.training import TrainConfig
    from gradflow.training.loop import train

    catalogue = []
    for example in EXAMPLES:
        cfg = TrainConfig(**example["train"], return_weights=True)
        *_, summary = train(cfg)
        weights = {
            k: np.asarray(v, dtype=np.float32) for k, v in summary["weights"].items() if not k.startswith("readout")
        }
        filename = f"{example['name']}.safetensors"
        (out / filename).write_bytes(save(weights, metadata={"trained_with": json.dumps(example["train"])}))
        catalogue.append(
            {
                "name": example["name"],
                "file": filename,
                "description": example["description"],
                "cell": cfg.cell,
                "task": cfg.task,
                "hidden_size": cfg.hidden_size,
                "input_size": cfg.input_size,
                "num_layers": 1,
                "seq_len": cfg.seq_len,
                "steps": summary["steps_done"],
                "solved": summary["solved"],
                "solved_at": summary["solved_at"],
                "final_loss": float(summary["final_loss"]),
                "train": example["train"],
            }
        )
        print(
            f"{example['name']}: solved={summary['solved']} at {summary['solved_at']}, "
            f"final loss {summary['final_loss']:.4g}, {summary['steps_done']} steps"
        )
    (out / "networks.json").write_text(json.dumps(catalogue, indent=2) + "\n")


if __name__ == "__main__":
    main()
