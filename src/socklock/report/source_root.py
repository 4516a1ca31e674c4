"""The directory SARIF locations are relative to (``%SRCROOT%``).

Code scanning places a result by its path from the repository root, whatever directory
socklock ran in: the root is the git work tree that holds the inputs (the nearest directory
above them with a ``.git`` entry, a directory or a worktree's file), else the deepest
directory common to every input.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# ``<stdin>``, ``cluster:ctx/ns/Kind/name``: places that are no file on this machine
_PSEUDO = re.compile(r"^(<[^>]*>|[A-Za-z][A-Za-z0-9+.-]+:)")


@dataclass(frozen=True, slots=True)
class SourceRoot:
    path: Path  # absolute and symlink-free, like the files placed under it
    how: str  # "git" (the work tree's root) or "inputs" (the inputs' common directory)

    def description(self) -> str:
        if self.how == "git":
            return "the root of the git work tree holding the inputs"
        return "the directory common to the inputs (no git work tree holds them)"


def is_file_path(name: str) -> bool:
    """False for the places that are not files: standard input, live-cluster objects."""
    return name != "-" and not _PSEUDO.match(name)


def absolute_path(name: str) -> Path:
    """``name`` absolute and symlink-free (the root is found the same way)."""
    return Path(name).resolve()


def source_root(inputs: Iterable[str], cwd: Path | None = None) -> SourceRoot:
    """The git work tree holding ``inputs`` (files or directories), else their common
    directory; with no file among them, ``cwd`` (default: the current directory)."""
    paths = [absolute_path(name) for name in inputs if is_file_path(name)]
    if not paths:
        return SourceRoot(cwd or Path.cwd(), "inputs")
    directories = [p if p.is_dir() else p.parent for p in paths]
    common = Path(os.path.commonpath([str(d) for d in directories]))
    for candidate in (common, *common.parents):
        if (candidate / ".git").exists():
            return SourceRoot(candidate, "git")
    return SourceRoot(common, "inputs")
