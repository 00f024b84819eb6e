"""`python -m gradflow ...` is the `gradflow` command."""

from gradflow.cli import console

console()
