"""The look the page and the library share, read from one file (theme.json): colours, colour scales, gate
names, and each view's title and axis labels. The Python figures read it here; the page gets the same JSON from
GET /api/meta, so a title or a colour changed in theme.json changes both, and tests/theme holds them together."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def theme() -> dict[str, Any]:
    """The parsed theme.json (read once per process)."""
    return json.loads(resources.files(__package__).joinpath("theme.json").read_text(encoding="utf-8"))


def view(name: str) -> dict[str, str]:
    """One view's title and axis labels: {"title", "x", "y", ...}."""
    return theme()["views"][name]
