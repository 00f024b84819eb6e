"""The shipped example networks are what the lab's own training makes: `python -m gradflow.networks.make` gives
the same bytes, and each one's outcome is what networks.json says."""

from __future__ import annotations

import json
from importlib import resources

from gradflow.networks import catalogue
from gradflow.networks.make import main


def test_make_trains_the_same_files_again(tmp_path, capsys):
    main(tmp_path)
    shipped = resources.files("gradflow.networks")
    assert json.loads((tmp_path / "networks.json").read_text()) == catalogue()
    for entry in catalogue():
        assert (tmp_path / entry["file"]).read_bytes() == shipped.joinpath(entry["file"]).read_bytes(), entry["name"]
    assert "lstm-adding-50: solved=True" in capsys.readouterr().out


def test_the_catalogue_says_what_each_network_is():
    by_name = {e["name"]: e for e in catalogue()}
    assert set(by_name) == {"lstm-adding-50", "gru-recall-30", "rnn-adding-50"}
    assert by_name["lstm-adding-50"]["solved"] and by_name["gru-recall-30"]["solved"]
    assert not by_name["rnn-adding-50"]["solved"] and by_name["rnn-adding-50"]["steps"] == 3000
