"""README.md stays what a newcomer needs (issue 20): short, with its own sections only, the chapters in docs/,
and its Architecture tree naming every top-level folder of the repository, one line each."""

from __future__ import annotations

import re
import subprocess

from .readme import README, REPO, blocks, section_text

MAX_BYTES = 20_000
# Speed: the benchmarks' headline figures with the commands that made them (the brief asks for them in the README)
SECTIONS = ["Quick start", "Three ways to use it", "Configuration", "Architecture", "Speed", "Documentation"]


def test_the_readme_stays_short():
    size = len(README.read_bytes())
    assert size < MAX_BYTES, f"README.md is {size} bytes: move chapters to docs/ and link them"


def test_the_readme_has_only_its_own_sections():
    assert re.findall(r"^## (.+)$", README.read_text(), flags=re.M) == SECTIONS


def test_each_way_to_use_it_has_one_example():
    ways = [b for b in blocks() if b.section == "Three ways to use it"]
    assert [b.lang for b in ways] == ["sh", "sh"], [b.label for b in ways]
    headings = re.findall(r"^### (.+)$", section_text("Three ways to use it"), flags=re.M)
    assert headings == ["The page", "The REST API", "Python library and command line"]


def test_the_architecture_names_every_top_level_folder_once():
    [tree] = [b for b in blocks() if b.section == "Architecture" and b.lang == ""]
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    folders = {path.split("/", 1)[0] for path in tracked.split("\n") if "/" in path}
    named = [line.split("/", 1)[0] for line in tree.text.splitlines() if line and not line.startswith(" ")]
    missing = sorted(folders - set(named))
    assert not missing, f"the Architecture tree lacks {missing}"
    assert len(named) == len(set(named)), f"a folder has several lines: {named}"
