"""The documentation's pages (README.md and docs/*.md), their fenced code blocks, links and headings.

Conventions every page follows so its examples can be run (tests/docs/):
- README.md's "Documentation" section links every page of docs/. The reading order is README.md, then the
  docs pages in the order that section lists them; the examples run in that order, one after another.
- A ```sh or ```python block is an example and is run, unless it comes right after `<!-- not run -->`
  (servers, docker, installing elsewhere, code that needs torch or Keras). A block without a language is
  plain text and never run; no other language is used.
- A block right after `<!-- notebook -->` is the notebook example, run in a Jupyter kernel; `# %%` inside it
  starts a new cell.
- A comment line `# output: TEXT` inside a block says that TEXT appears in what the block prints.
- Commands are written as a newcomer types them in the repository's root after `make run`: the commands
  `make` installs are `.venv/bin/gradflow`, `.venv/bin/python`, `.venv/bin/uv`, ..., never bare names.
- The files the examples read are in examples/ and are named by that path (`examples/my-lstm.npz`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
DOCS = REPO / "docs"
README_PORT_URL = "http://127.0.0.1:8000"
"""Where the examples expect the server; the tests rewrite it to the app they start."""

_FENCE = re.compile(r"^(?P<indent> *)```(?P<lang>[\w-]*)\s*$")
_MARKER = re.compile(r"^\s*<!--\s*(?P<name>[\w -]+?)\s*-->\s*$")
_OUTPUT = re.compile(r"^\s*# output: (?P<text>.+?)\s*$")
_CODE = re.compile(r"^ *```.*?^ *```[ \t]*$", flags=re.S | re.M)
_LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6} (?P<title>.+?)\s*$", flags=re.M)
_INLINE_CODE = re.compile(r"(?<!`)`(?P<code>[^`\n]+)`(?!`)")


def name(page: Path) -> str:
    """The page's path inside the repository, e.g. `docs/cli.md`."""
    return page.relative_to(REPO).as_posix()


@dataclass(frozen=True)
class Block:
    """One fenced block: the page it is on, its language, its text (indentation of the fence removed), the
    1-based line of its opening fence, the `## ` section it is in, and the marker comment right before it."""

    page: str
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
        return f"{self.page}:{self.line} {self.first_command[:60]}"


def blocks(page: Path = README, text: str | None = None) -> list[Block]:
    """Every fenced block of `page`, in document order."""
    lines = (page.read_text() if text is None else text).splitlines()
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
        found.append(Block(name(page), fence["lang"], "\n".join(body) + "\n", start + 1, section, marker))
        marker = None
        i += 1
    return found


def _dedent(line: str, indent: int) -> str:
    """`line` without the fence's indentation (at most `indent` leading spaces)."""
    return line[min(indent, len(line) - len(line.lstrip(" "))) :]


def section_text(title: str, page: Path = README, text: str | None = None) -> str:
    """The lines of the `## title` section of `page`, up to the next `## ` heading."""
    lines = (page.read_text() if text is None else text).splitlines()
    start = lines.index(f"## {title}")
    end = next((k for k in range(start + 1, len(lines)) if lines[k].startswith("## ")), len(lines))
    return "\n".join(lines[start:end])


def prose(page: Path, text: str | None = None) -> str:
    """The page without its fenced blocks (their lines left empty, so line numbers stay)."""
    return _CODE.sub(lambda m: "\n" * m[0].count("\n"), page.read_text() if text is None else text)


def links(page: Path, text: str | None = None) -> list[str]:
    """Every Markdown link target of `page` outside its fenced blocks, in document order."""
    return [m["target"] for m in _LINK.finditer(prose(page, text))]


def inline_code(page: Path, text: str | None = None) -> list[str]:
    """Every `inline code` span of `page` outside its fenced blocks."""
    return [m["code"] for m in _INLINE_CODE.finditer(prose(page, text))]


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(page: Path, text: str | None = None) -> set[str]:
    """The anchors GitHub gives the page's headings; a repeated heading gets -1, -2, ... as GitHub numbers them."""
    seen: dict[str, int] = {}
    found = set()
    for m in _HEADING.finditer(prose(page, text)):
        base = slug(m["title"])
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def linked_docs(text: str | None = None) -> list[Path]:
    """The docs/*.md pages in the order the README's "Documentation" section lists them: the reading order."""
    order: list[Path] = []
    for target in links(README, section_text("Documentation", text=text)):
        path = target.split("#", 1)[0]
        if re.match(r"docs/[^/]+\.md$", path) and (REPO / path) not in order:
            order.append(REPO / path)
    return order


def pages() -> list[Path]:
    """README.md, then every docs/*.md in reading order (the README's "Documentation" list; a page missing
    from it comes last, which test_readme_links.py refuses)."""
    linked = linked_docs()
    unlinked = sorted(p for p in DOCS.glob("*.md") if p not in linked)
    return [README, *linked, *unlinked]
