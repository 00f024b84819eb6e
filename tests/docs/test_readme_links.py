"""The documentation's links lead somewhere, on every page (README.md and docs/*.md): an `#anchor` names a
heading of its page by GitHub's slug, a relative path names a file or folder of the repository, and a link to
another page's `#anchor` names a heading of that page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .readme import DOCS, README, REPO, anchors, linked_docs, links, name, pages, slug

PAGES = pages()


def _is_external(target: str) -> bool:
    return re.match(r"[a-z][a-z0-9+.-]*:", target) is not None


def test_slug_follows_github():
    assert slug("POST /api/simulate/upload (your weights as a file)") == "post-apisimulateupload-your-weights-as-a-file"


def test_a_repeated_heading_is_numbered_as_github_numbers_it():
    assert anchors(README, "## Notes\n\n## Notes\n\n## Notes\n") == {"notes", "notes-1", "notes-2"}


def test_a_heading_inside_a_code_block_is_no_anchor():
    assert anchors(README, "## Real\n\n```sh\n# not a heading\n```\n") == {"real"}


def test_every_docs_page_is_a_page():
    assert PAGES[0] == README
    assert set(PAGES[1:]) == set(DOCS.glob("*.md"))


@pytest.mark.parametrize("page", PAGES, ids=[name(p) for p in PAGES])
def test_every_anchor_is_a_heading(page: Path):
    targets = {t[1:] for t in links(page) if t.startswith("#")}
    missing = sorted(targets - anchors(page))
    assert not missing, f"{name(page)} links to headings it does not have: {missing}"


@pytest.mark.parametrize("page", PAGES, ids=[name(p) for p in PAGES])
def test_every_relative_link_exists(page: Path):
    missing = []
    for target in links(page):
        if _is_external(target) or target.startswith("#"):
            continue
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve()
        exists = file.is_relative_to(REPO) and file.exists()
        if not exists or (anchor and file.suffix == ".md" and anchor not in anchors(file)):
            missing.append(target)
    assert not missing, f"{name(page)} links to files or headings that do not exist: {missing}"


def test_the_readme_links_its_picture_and_has_internal_links():
    targets = links(README)
    assert "docs/screenshot.png" in targets
    assert any(t.startswith("#") for t in targets), "no internal links found"


def test_the_docs_pages_link_each_other():
    between = [t for p in PAGES[1:] for t in links(p) if re.match(r"[\w-]+\.md(#|$)", t)]
    assert between, "no links between docs pages found: the test would not see a broken one"


def test_the_readme_lists_every_docs_page():
    listed = linked_docs()
    unlisted = sorted(name(p) for p in DOCS.glob("*.md") if p not in listed)
    assert not unlisted, (
        f"README.md's Documentation section lacks {unlisted}, so they have no place in the reading order"
    )
