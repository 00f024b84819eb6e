"""The README's configuration table (its "Configuration" section stays in README.md) lists every setting: each
field of `Settings` as GRADFLOW_<NAME> with its default, and every variable the Makefile reads or exports; no
GRADFLOW_ row names a setting that is gone."""

from __future__ import annotations

import re

import pytest
from gradflow.api.settings import Settings

from .readme import README, REPO, section_text

NOT_SETTINGS = {"GRADFLOW_SCREENSHOT", "GRADFLOW_CACHE"}
"""GRADFLOW_ variables read by the tests and CI scripts, not by the service."""


def table_rows() -> dict[str, list[str]]:
    """{variable: its row's cells} of the table after `<!-- configuration table -->`; a first cell naming
    several variables (`A`, `B`) gives each of them the row."""
    lines = README.read_text().splitlines()
    start = lines.index("<!-- configuration table -->") + 1
    rows = {}
    for line in lines[start:]:
        if not line.startswith("|"):
            if rows:
                break
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        for name in re.findall(r"`([A-Z][A-Z0-9_]*)`", cells[0]):
            rows[name] = cells
    return rows


ROWS = table_rows()


def test_the_table_is_found():
    assert "GRADFLOW_PORT" in ROWS and "PORT" in ROWS


def test_the_table_is_in_the_configuration_section():
    assert "<!-- configuration table -->" in section_text("Configuration")


@pytest.mark.parametrize("field", list(Settings.model_fields))
def test_every_setting_is_in_the_table(field):
    assert f"GRADFLOW_{field.upper()}" in ROWS, f"README's configuration table lacks GRADFLOW_{field.upper()}"


@pytest.mark.parametrize(
    "field",
    [
        name
        for name, f in Settings.model_fields.items()
        if isinstance(f.default, int | float | str) and not isinstance(f.default, bool)
    ],
)
def test_the_default_is_the_settings_default(field):
    default = Settings.model_fields[field].default
    if f"GRADFLOW_{field.upper()}" not in ROWS:
        pytest.skip("not in the table at all: test_every_setting_is_in_the_table says so")
    cell = ROWS[f"GRADFLOW_{field.upper()}"][1]
    shown = re.search(r"`([^`]+)`", cell)
    assert shown, f"GRADFLOW_{field.upper()}: no `default` in '{cell}'"
    value = shown.group(1)
    if isinstance(default, str):
        assert value == default, f"GRADFLOW_{field.upper()}: README says {value}, Settings says {default}"
    else:
        assert float(value) == float(default), f"GRADFLOW_{field.upper()}: README says {value}, Settings says {default}"


def test_no_row_names_a_setting_that_does_not_exist():
    known = {f"GRADFLOW_{name.upper()}" for name in Settings.model_fields} | NOT_SETTINGS
    stale = sorted(name for name in ROWS if name.startswith("GRADFLOW_") and name not in known)
    assert not stale, f"README's configuration table names settings that do not exist: {stale}"


def test_every_makefile_variable_is_in_the_table():
    makefile = (REPO / "Makefile").read_text()
    variables = set(re.findall(r"^(?:export\s+)?([A-Z][A-Z0-9_]*)\s*\?=", makefile, flags=re.M))
    assert {"HOST", "PORT", "WORKERS", "OPENBLAS_NUM_THREADS"} <= variables  # the pattern still reads the Makefile
    missing = sorted(variables - set(ROWS))
    assert not missing, f"README's configuration table lacks Makefile variables {missing}"


def test_the_ci_variable_is_in_the_table():
    assert "CI" in ROWS
