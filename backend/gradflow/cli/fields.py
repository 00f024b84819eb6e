"""Command-line options generated from a request model's JSON schema: the one definition of every field.

Each field becomes `--name` (and `--name-with-dashes`); its help is the schema's description with the
default, bounds and choices, so `--help` can never drift from the API. Values are read as the API reads a
JSON body: text that parses as JSON (5, 0.5, true, [..]) is that value, anything else is a string; the model
then validates them and an invalid one gets the API's 422 words.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from pydantic import BaseModel

UNSET = argparse.SUPPRESS
"""argparse leaves an option that was not given out of the namespace, so the model's default applies."""


def add_model_options(
    parser: argparse.ArgumentParser, model: type[BaseModel], exclude: tuple[str, ...] = ()
) -> list[str]:
    """One option per field of `model` (but `exclude`); returns the field names added."""
    schema = model.model_json_schema()
    names = []
    group = parser.add_argument_group(f"request fields ({model.__name__}, as in the REST API)")
    for name, prop in schema["properties"].items():
        if name in exclude:
            continue
        flags = [f"--{name}"] + ([f"--{name.replace('_', '-')}"] if "_" in name else [])
        group.add_argument(*flags, dest=name, default=UNSET, metavar=_metavar(prop, schema), help=field_help(prop))
        names.append(name)
    return names


def field_help(prop: dict[str, Any]) -> str:
    """The schema's description, then the default, the bounds and the choices."""
    parts = [prop.get("description", "").rstrip(".")]
    if "default" in prop:
        parts.append(f"default {json.dumps(prop['default'])}")
    low = _bound(prop, "minimum", "exclusiveMinimum", ">=", ">")
    high = _bound(prop, "maximum", "exclusiveMaximum", "<=", "<")
    if low or high:
        parts.append(" and ".join(b for b in (low, high) if b))
    return "; ".join(p for p in parts if p).replace("%", "%%")


def _bound(prop: dict[str, Any], inclusive: str, exclusive: str, inc_sign: str, exc_sign: str) -> str:
    for variant in [prop, *prop.get("anyOf", [])]:
        if inclusive in variant:
            return f"{inc_sign} {_number(variant[inclusive])}"
        if exclusive in variant:
            return f"{exc_sign} {_number(variant[exclusive])}"
    return ""


def _number(value: float) -> str:
    """A bound as written in the help: an integer in full (the largest seed is 4294967295, which `:g` would show
    as 4.29497e+09, a number past the bound), any other number as short as it stays exact (1e+06, 0.5)."""
    if isinstance(value, int):
        return str(value)
    short = f"{value:g}"
    return short if float(short) == value else repr(value)


def _metavar(prop: dict[str, Any], schema: dict[str, Any]) -> str:
    enum = prop.get("enum") or _ref_enum(prop, schema)
    if enum:
        return "{" + ",".join(map(str, enum)) + "}"
    kinds = {v.get("type") for v in [prop, *prop.get("anyOf", [])]} - {None, "null"}
    return "/".join(sorted(kinds)).upper() or "VALUE"


def _ref_enum(prop: dict[str, Any], schema: dict[str, Any]) -> list | None:
    ref = prop.get("$ref") or next((v.get("$ref") for v in prop.get("anyOf", []) if "$ref" in v), None)
    return schema.get("$defs", {}).get(ref.rsplit("/", 1)[-1], {}).get("enum") if ref else None


def parse_value(text: str) -> Any:
    """5 -> 5, 0.5 -> 0.5, true -> True, [1, 2] -> [1, 2]; anything that is not JSON stays the text."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def given_fields(args: argparse.Namespace, names: list[str]) -> dict[str, Any]:
    """The fields given on the command line, as JSON-like values for the model to validate."""
    return {name: parse_value(getattr(args, name)) for name in names if hasattr(args, name)}
