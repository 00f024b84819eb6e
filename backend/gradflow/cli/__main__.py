"""`python -m gradflow.cli ...` is the `gradflow` command."""

from gradflow.cli import console

console()
