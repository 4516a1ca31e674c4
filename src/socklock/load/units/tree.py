"""One listing of the directories under the roots, shared by every ecosystem's finder."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from socklock.load.trees import skip_reason

# Directories that hold tests' and docs' copies of build files, not the application's units.
NOT_UNITS = frozenset(
    {"test", "tests", "testdata", "fixtures", "__tests__", "__mocks__", "e2e", "hack"}
)
MAX_READ = 512 * 1024  # a build or entry file larger than this is generated


@dataclass(slots=True)
class Tree:
    """Directory → the names of its files; paths are spelled from the roots as given."""

    roots: list[Path]
    files: dict[Path, list[str]] = field(default_factory=dict)

    def has(self, directory: Path, name: str) -> bool:
        return name in self.files.get(directory, ())

    def children(self, directory: Path) -> list[Path]:
        return [d for d in self.files if d.parent == directory]

    def below(self, directory: Path) -> list[Path]:
        return [d for d in self.files if d != directory and d.is_relative_to(directory)]


def list_tree(roots: list[str]) -> Tree:
    tree = Tree([Path(r) for r in roots if Path(r).is_dir()])
    for root in tree.roots:
        for directory, dirnames, filenames in os.walk(root, followlinks=False):
            dirnames[:] = sorted(
                d
                for d in dirnames
                if d not in NOT_UNITS
                and not d.startswith(".")
                and not d.endswith(".egg-info")
                and skip_reason(str(Path(directory) / d)) is None  # the walk's one rule
            )
            tree.files[Path(directory)] = sorted(filenames)
    return tree


def read(path: Path) -> str | None:
    """The text of a build or entry file, or None when it cannot or should not be read."""
    try:
        if path.stat().st_size > MAX_READ:
            return None
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
