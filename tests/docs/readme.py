"""The README's fenced code blocks, with the section and the marker comment each one sits under.

Conventions the README follows so its examples can be run (tests/docs/):
- a block right after `<!-- not run -->` is never run (servers, docker, code that needs torch or Keras);
- a block right after `<!-- notebook -->` is the notebook example, run in a Jupyter kernel;
- `# %%` inside the notebook example starts a new cell;
- a comment line `# output: TEXT` inside a block says that TEXT appears in what the block prints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
README_PORT_URL = "http://127.0.0.1:8000"
"""Where the README's examples expect the server; the tests rewrite it to the app they start."""

_FENCE = re.compile(r"^(?P<indent> *)```(?P<lang>[\w-]*)\s*$")
_MARKER = re.compile(r"^\s*<!--\s*(?P<name>[\w -]+?)\s*-->\s*$")
_OUTPUT = re.compile(r"^\s*# output: (?P<text>.+?)\s*$")


@dataclass(frozen=True)
class Block:
    """One fenced block: its language, its text (indentation of the fence removed), the 1-based line of its
    opening fence, the `## ` section it is in, and the marker comment right before it (or None)."""

    lang: str
    text: str
    line: int
    section: str
    marker: str | None

    @property
    def first_command(self) -> str:
        """The first line that is neither blank nor a comment."""
        return next((ln.strip() for ln in self.text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")), "")

    @property
    def expected_outputs(self) -> list[str]:
        """The TEXT of every `# output: TEXT` line."""
        return [m["text"] for ln in self.text.splitlines() if (m := _OUTPUT.match(ln))]

    @property
    def label(self) -> str:
        return f"README.md:{self.line} {self.first_command[:60]}"


def blocks(text: str | None = None) -> list[Block]:
    """Every fenced block of the README, in document order."""
    lines = (README.read_text() if text is None else text).splitlines()
    found, section, marker = [], "", None
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("## "):
            section = line[3:].strip()
        fence = _FENCE.match(line)
        if fence is None:
            m = _MARKER.match(line)
            if m:
                marker = m["name"]
            elif line.strip():
                marker = None
            i += 1
            continue
        indent, start = len(fence["indent"]), i
        body = []
        i += 1
        while i < len(lines) and lines[i].strip() != "```":
            body.append(_dedent(lines[i], indent))
            i += 1
        found.append(Block(fence["lang"], "\n".join(body) + "\n", start + 1, section, marker))
        marker = None
        i += 1
    return found


def _dedent(line: str, indent: int) -> str:
    """`line` without the fence's indentation (at most `indent` leading spaces)."""
    return line[min(indent, len(line) - len(line.lstrip(" "))) :]


def section_text(title: str, text: str | None = None) -> str:
    """The lines of the `## title` section, up to the next `## ` heading."""
    lines = (README.read_text() if text is None else text).splitlines()
    start = lines.index(f"## {title}")
    end = next((k for k in range(start + 1, len(lines)) if lines[k].startswith("## ")), len(lines))
    return "\n".join(lines[start:end])
