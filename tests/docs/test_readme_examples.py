"""The documentation's examples, run as a newcomer would run them, so they cannot rot.

Every ```sh and ```python block of README.md and docs/*.md runs (but a block after `<!-- not run -->`, and the
notebook example, which test_readme_notebook.py runs in a kernel), in reading order: README.md, then the docs
pages in the order the README's Documentation section lists them. They run one after another in one working
folder, a fresh copy of the repository's tracked files as a clone would have them. The test prepares no file
the examples read, so an example that reads a file that is neither committed (examples/) nor made by an
earlier example fails.

The folder's `.venv` is a link to the virtual environment running this test, as `make run` would have made it,
and the examples run with what the docs tell a reader to type: shell blocks under `bash -e -o pipefail`, with
no virtual environment on PATH (a bare `gradflow` is "command not found" there, as on a fresh machine), and
python blocks with `.venv/bin/python`. The address http://127.0.0.1:8000 becomes the app this test starts;
curl fails on any HTTP error (a .curlrc with --fail-with-body). A `# output: TEXT` line must appear in what the
block prints.
"""

from __future__ import annotations

import ast
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .readme import DOCS, README, README_PORT_URL, REPO, Block, blocks, inline_code, linked_docs, name, pages

TIMEOUT_S = 300
VENV = Path(sys.prefix)
"""The virtual environment running the tests (`.venv` after `make test`): the clone's `.venv` links to it."""
VENV_COMMANDS = ("gradflow", "uv", "python", "pip", "dask", "ruff", "pytest", "jupyter")
"""Commands a checkout has only in .venv/bin: a shell example must never use them bare."""
RUN_FORM = ".venv/bin/"
_OPERATORS = {";", "&&", "||", "|", "&", "(", ")", ";;", "|&"}
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
_BARE_IN_PROSE = re.compile(r"(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*(?:gradflow|uv)\s+[\w-]+(?:\s|$)")
"""An inline `gradflow simulate ...` or `uv build ...`: a command to type, written without its .venv/bin/."""


def runs(block: Block) -> bool:
    """Whether this test runs `block` (see the module's docstring)."""
    return block.lang in ("sh", "python") and block.marker not in ("not run", "notebook")


PAGES = pages()
ALL_BLOCKS = [block for page in PAGES for block in blocks(page)]
EXAMPLES = [block for block in ALL_BLOCKS if runs(block)]


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _commands(script: str) -> list[list[str]]:
    """The simple commands of a shell script, each as its words without leading VAR=value assignments."""
    commands = []
    for line in script.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True  # comments (#) are dropped, quotes keep a word whole
        current: list[str] = []
        for token in lexer:
            if token in _OPERATORS:
                commands.append(current)
                current = []
            elif current or not _ASSIGNMENT.match(token):
                current.append(token)
        commands.append(current)
    return [c for c in commands if c]


def test_commands_are_split_as_the_shell_splits_them():
    script = "# a comment\nA=1 B=2 .venv/bin/gradflow x --d '{\"a\": 1; }' && uv build \\\n  --wheel | less\n"
    assert _commands(script) == [
        [".venv/bin/gradflow", "x", "--d", '{"a": 1; }'],
        ["uv", "build", "--wheel"],
        ["less"],
    ]


def test_the_docs_have_examples_to_run():
    ran = {(b.page, b.lang) for b in EXAMPLES}
    assert {("README.md", "sh"), ("docs/rest-api.md", "sh"), ("docs/cli.md", "sh")} <= ran
    for page in ("docs/rest-api.md", "docs/library.md", "docs/own-network.md"):
        assert (page, "python") in ran, f"no python example of {page} runs"
    assert any(b.first_command.startswith("curl") for b in EXAMPLES)
    assert any(b.first_command.startswith(f"{RUN_FORM}gradflow") for b in EXAMPLES)


def test_examples_run_in_reading_order():
    """README.md first, then the docs pages as the README's Documentation section lists them: the quick start
    before the guides, the page and the REST API (which state the example files' format) before the command
    line."""
    assert PAGES[0] == README and PAGES[1:] == linked_docs()
    order = [name(p) for p in PAGES]
    assert order.index("docs/page.md") < order.index("docs/rest-api.md") < order.index("docs/cli.md")


def test_every_block_is_sh_python_or_plain_text():
    others = [b.label for b in ALL_BLOCKS if b.lang not in ("sh", "python", "")]
    assert not others, f"use ```sh or ```python (run) or a bare ``` (plain text): {others}"


@pytest.mark.parametrize("block", [b for b in ALL_BLOCKS if b.lang == "sh"], ids=lambda b: b.label)
def test_shell_examples_name_venv_commands_by_their_path(block: Block):
    bare = [" ".join(c[:3]) for c in _commands(block.text) if c[0] in VENV_COMMANDS]
    assert not bare, f"{block.label}: write {RUN_FORM}<command>, as the quick start says: {bare}"


@pytest.mark.parametrize("page", PAGES, ids=[name(p) for p in PAGES])
def test_commands_in_the_prose_name_venv_commands_by_their_path(page: Path):
    bare = [code for code in inline_code(page) if _BARE_IN_PROSE.match(code)]
    assert not bare, f"{name(page)}: write {RUN_FORM}gradflow (or uv), as the quick start says: {bare}"


def test_a_bare_command_in_the_prose_is_told_from_its_name_and_its_messages():
    assert _BARE_IN_PROSE.match("gradflow simulate --help") and _BARE_IN_PROSE.match("PORT=1 gradflow serve")
    assert _BARE_IN_PROSE.match("uv build --wheel")
    assert not _BARE_IN_PROSE.match(".venv/bin/gradflow simulate") and not _BARE_IN_PROSE.match("gradflow")
    assert not _BARE_IN_PROSE.match("gradflow simulate: error: seq_len = 5000")  # what the command prints


def test_the_quick_start_says_where_the_commands_are():
    quick_start = README.read_text().split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert f"{RUN_FORM}gradflow" in quick_start and "source .venv/bin/activate" in quick_start


def test_the_rest_examples_need_only_the_standard_library():
    for block in blocks(DOCS / "rest-api.md"):
        if block.lang != "python":
            continue
        imported = set()
        for node in ast.walk(ast.parse(block.text)):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                imported.add((node.module or "").split(".")[0])
        assert imported, f"{block.label}: imports nothing?"
        assert imported <= sys.stdlib_module_names, f"{block.label} imports {imported - sys.stdlib_module_names}"


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """A fresh working folder: the repository's tracked files, as they are in the work tree, and `.venv`."""
    if not (VENV / "bin" / "gradflow").exists():
        pytest.fail(f"run the tests with the project's virtual environment (make test): no gradflow in {VENV}/bin")
    root = tmp_path_factory.mktemp("clone")
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, text=True, check=True)
    for path in tracked.stdout.split("\0"):
        source, target = REPO / path, root / path
        if not path or not (source.exists() or source.is_symlink()):
            continue  # deleted in the work tree
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, target)
    (root / ".venv").symlink_to(VENV, target_is_directory=True)
    return root


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict[str, str]:
    """The examples' environment: PATH without any folder that holds gradflow, uv or this venv; curl strict."""
    curl_home = tmp_path_factory.mktemp("curl")
    # Exit 22 with the body shown on any HTTP error, so a 422 fails the example; no progress meter.
    (curl_home / ".curlrc").write_text("fail-with-body\nsilent\nshow-error\n")
    venv_bin = (VENV / "bin").resolve()
    kept = [
        folder
        for folder in os.environ.get("PATH", "").split(os.pathsep)
        if folder
        and Path(folder).resolve() != venv_bin
        and not any((Path(folder) / command).exists() for command in ("gradflow", "uv"))
    ]
    variables = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONHOME")}
    return {
        **variables,
        "PATH": os.pathsep.join(kept),
        "CURL_HOME": str(curl_home),
        "OPENBLAS_NUM_THREADS": "1",
        "COLUMNS": "100",
    }


def test_a_bare_gradflow_is_not_found_but_the_venv_form_is(clone: Path, env: dict[str, str]):
    bare = subprocess.run(["bash", "-c", "gradflow --help"], cwd=clone, env=env, capture_output=True, text=True)
    assert bare.returncode == 127, f"a bare gradflow ran (exit {bare.returncode}): the examples would not notice"
    venv = subprocess.run(["bash", "-c", f"{RUN_FORM}gradflow --help"], cwd=clone, env=env, capture_output=True)
    assert venv.returncode == 0, venv.stderr


@pytest.mark.parametrize("block", EXAMPLES, ids=[b.label for b in EXAMPLES])
def test_docs_example_runs(block: Block, app_url: str, clone: Path, env: dict[str, str]):
    code = block.text.replace(README_PORT_URL, app_url)
    if block.lang == "sh":
        if "curl" in [c[0] for c in _commands(code)] and shutil.which("curl", path=env["PATH"]) is None:
            if _in_ci():
                pytest.fail("curl is missing: the documentation's curl examples must run in CI")
            pytest.skip("curl is missing")
        command = ["bash", "-e", "-o", "pipefail", "-c", code]
    else:
        command = [f"{RUN_FORM}python", "-c", code]
    done = subprocess.run(command, cwd=clone, env=env, capture_output=True, text=True, timeout=TIMEOUT_S)
    shown = f"\n--- stdout\n{done.stdout[-3000:]}\n--- stderr\n{done.stderr[-3000:]}"
    assert done.returncode == 0, f"{block.label} exited {done.returncode}{shown}"
    for expected in block.expected_outputs:
        assert expected in done.stdout, f"{block.label}: '{expected}' not in its output{shown}"
