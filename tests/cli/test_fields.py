"""Command-line options generated from a request model (cli/fields.py): one per field, its help carrying the
model's description, default, bounds and choices, and values read as a JSON body reads them."""

from __future__ import annotations

import argparse
import enum
import json
import re
from typing import Literal

import pytest
from gradflow.cli.fields import UNSET, add_model_options, field_help, given_fields, parse_value
from gradflow.models import SimulateRequest, TrainRequest
from pydantic import BaseModel, Field

from tests.cli.conftest import gradflow_cli

BOUND = re.compile(r"(>=|>|<=|<) (\S+?)(?: and |$)")
"""A bound as the help writes it: `>= 1`, `< 10`, `<= 4294967295`."""


def exact(number: float) -> str:
    """How the help should write a bound: whole numbers in full, other numbers as short as they stay equal."""
    if isinstance(number, int):
        return str(number)
    return f"{number:g}" if float(f"{number:g}") == number else repr(number)


@pytest.mark.parametrize(
    ("command", "model", "skip"), [("simulate", SimulateRequest, {"inputs"}), ("train", TrainRequest, {"stream"})]
)
def test_help_lists_every_field_with_its_default_and_bounds_from_the_model(command, model, skip):
    text = " ".join(gradflow_cli(command, "--help").stdout.split())
    for name, prop in model.model_json_schema()["properties"].items():
        if name in skip:
            continue
        assert f"--{name}" in text, name
        if "default" in prop:
            assert f"default {json.dumps(prop['default'])}" in text, name
        if "maximum" in prop:
            assert f"<= {exact(prop['maximum'])}" in text, name


class Colour(enum.StrEnum):
    red = "red"
    blue = "blue"


class Small(BaseModel):
    count: int = Field(3, ge=1, lt=10, description="How many.")
    rate: float = Field(0.5, gt=0, le=2.5, description="A share, 50% at most")
    mode: Literal["a", "b"] = "a"
    colour: Colour = Colour.red
    tint: Colour | None = None
    maybe_count: int | None = Field(None, ge=0, description="Optional.")
    flag: bool = True


def options(model: type[BaseModel], exclude: tuple[str, ...] = ()) -> tuple[argparse.ArgumentParser, list[str]]:
    parser = argparse.ArgumentParser(prog="t")
    return parser, add_model_options(parser, model, exclude=exclude)


def action(parser: argparse.ArgumentParser, dest: str) -> argparse.Action:
    return next(a for a in parser._actions if a.dest == dest)


def test_one_option_per_field_in_the_model_s_order_but_the_excluded():
    parser, names = options(Small, exclude=("flag",))
    assert names == ["count", "rate", "mode", "colour", "tint", "maybe_count"]
    assert action(parser, "maybe_count").option_strings == ["--maybe_count", "--maybe-count"]
    assert action(parser, "count").option_strings == ["--count"]
    with pytest.raises(StopIteration):
        action(parser, "flag")


def test_the_help_is_the_description_then_the_default_then_the_bounds():
    schema = Small.model_json_schema()["properties"]
    assert field_help(schema["count"]) == "How many; default 3; >= 1 and < 10"
    assert field_help(schema["rate"]) == "A share, 50%% at most; default 0.5; > 0 and <= 2.5"  # argparse's own %
    assert field_help(schema["maybe_count"]) == "Optional; default null; >= 0"  # the bound of int | None
    assert field_help(schema["mode"]) == 'default "a"'
    parser, _ = options(Small)
    assert "A share, 50% at most" in " ".join(parser.format_help().split())


def test_choices_and_kinds_become_the_metavar():
    parser, _ = options(Small)
    assert action(parser, "mode").metavar == "{a,b}"
    assert action(parser, "colour").metavar == "{red,blue}"  # an enum the schema keeps in $defs
    assert action(parser, "tint").metavar == "{red,blue}"  # ... behind anyOf when it may be null
    assert action(parser, "count").metavar == "INTEGER"
    assert action(parser, "rate").metavar == "NUMBER"
    assert action(parser, "maybe_count").metavar == "INTEGER"


@pytest.mark.parametrize("model", [SimulateRequest, TrainRequest])
def test_every_bound_in_the_help_is_the_model_s_bound_exactly(model):
    """Read back as a number, each bound the help shows equals the schema's (no digits rounded away)."""
    schema = model.model_json_schema()["properties"]
    parser, names = options(model)
    for name in names:
        prop = next((p for p in schema[name].get("anyOf", []) if p.get("type") != "null"), schema[name])
        shown = {sign: float(value) for sign, value in BOUND.findall(action(parser, name).help.split("; ")[-1])}
        wanted = {
            sign: float(prop[key])
            for sign, key in (
                (">=", "minimum"),
                (">", "exclusiveMinimum"),
                ("<=", "maximum"),
                ("<", "exclusiveMaximum"),
            )
            if key in prop
        }
        assert shown == wanted, name


def test_options_not_given_stay_out_so_the_model_s_defaults_apply():
    parser, names = options(SimulateRequest)
    args = parser.parse_args([])
    assert all(action(parser, name).default is UNSET for name in names)
    assert given_fields(args, names) == {}
    assert SimulateRequest.model_validate(given_fields(args, names)) == SimulateRequest()


def test_given_values_are_read_as_a_json_body_reads_them():
    parser, names = options(SimulateRequest, exclude=("inputs",))
    args = parser.parse_args(
        ["--seq-len", "7", "--cell", "gru", "--recurrent_scale", "0.5", "--return_params", "true", "--fields", "loss"]
    )
    fields = given_fields(args, names)
    assert fields == {"seq_len": 7, "cell": "gru", "recurrent_scale": 0.5, "return_params": True, "fields": "loss"}
    request = SimulateRequest.model_validate(fields)
    assert (request.seq_len, request.cell, request.return_params, request.fields) == (7, "gru", True, ["loss"])


@pytest.mark.parametrize(
    ("text", "value"),
    [("5", 5), ("0.5", 0.5), ("-2e3", -2000.0), ("true", True), ("null", None), ("[1, 2]", [1, 2]), ('"5"', "5")],
)
def test_text_that_is_json_is_that_value(text, value):
    parsed = parse_value(text)
    assert parsed == value and type(parsed) is type(value)


@pytest.mark.parametrize("text", ["gru", "loss,grad_h", "True", "", "1,2"])
def test_text_that_is_not_json_stays_text(text):
    assert parse_value(text) == text
