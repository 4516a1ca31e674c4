"""Pieces every command shares: loading with diagnostics, output destinations, exit codes."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from socklock.model import Inventory

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT_ERROR = 2


def load(paths: Sequence[str]) -> Inventory:
    """Load inputs and print each input problem as ``file:line:col: error: ...`` on stderr."""
    from socklock.load import load_paths

    inventory = load_paths(list(paths))
    for diagnostic in inventory.diagnostics:
        click.echo(str(diagnostic), err=True)
    return inventory


def input_exit_code(inventory: Inventory, code: int) -> int:
    """Input errors win: CI must notice a file socklock could not read."""
    return EXIT_INPUT_ERROR if inventory.errors else code


def write_output(text: str, output: str | None) -> None:
    """Write to ``-o FILE`` atomically (temporary file, then rename), or to stdout."""
    if output is None or output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_atomic(Path(output), text)


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def color_wanted() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


paths_argument = click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=False, dir_okay=True)
)
output_option = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the report to FILE (atomically) instead of stdout.",
)
