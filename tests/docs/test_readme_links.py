"""The README's own links lead somewhere: every `#anchor` is a heading's GitHub slug, every relative path exists."""

from __future__ import annotations

import re

from .readme import README, REPO

LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def test_slug_follows_github():
    assert slug("POST /api/simulate/upload (your weights as a file)") == "post-apisimulateupload-your-weights-as-a-file"


def _text_outside_code() -> str:
    return re.sub(r"```.*?```", "", README.read_text(), flags=re.S)


def test_every_anchor_is_a_heading():
    text = _text_outside_code()
    anchors = {slug(m[1]) for m in re.finditer(r"^#{1,6} (.+)$", text, flags=re.M)}
    targets = {m["target"][1:] for m in LINK.finditer(text) if m["target"].startswith("#")}
    assert targets, "no internal links found"
    assert not targets - anchors, f"links to missing headings: {sorted(targets - anchors)}"


def test_every_relative_path_exists():
    text = _text_outside_code()
    paths = {m["target"] for m in LINK.finditer(text) if not re.match(r"[a-z]+:|#", m["target"])}
    assert "docs/screenshot.png" in paths
    missing = sorted(p for p in paths if not (REPO / p).exists())
    assert not missing, f"README links to files that do not exist: {missing}"
