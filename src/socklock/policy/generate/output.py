"""Writing a generated set: atomically, and never over a file socklock did not write.

A file socklock wrote starts with a comment block holding the marker ``socklock:generated``;
such a file is overwritten freely, and removed when a new run no longer produces it (so
``kubectl apply -R -f DIR`` never applies a stale policy). Any other existing file is the
user's: the whole write is refused (nothing is written) unless ``force`` is given.
Each file is written to a temporary file in its directory and renamed over the target.
Every target is confined to the directory and may not be an input of the run
(:func:`socklock.files.confined`); a stale file is removed only when it is a regular file
inside the directory.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from socklock.errors import UsageError
from socklock.files import confined, write_atomic, write_many

__all__ = ["WriteConflict", "WriteResult", "plan_write", "write_atomic", "write_set"]
from socklock.policy.emit import OutputFile
from socklock.policy.emit.yamltext import is_generated

GENERATED_SUFFIXES = (".yaml", ".yml")


class WriteConflict(UsageError):
    """Files in the way that socklock did not write."""

    def __init__(self, paths: Sequence[Path]) -> None:
        listed = ", ".join(str(p) for p in paths)
        super().__init__(
            f"refusing to overwrite {len(paths)} file(s) socklock did not write: {listed} "
            "(use --force to overwrite them, or another output directory)"
        )
        self.paths = tuple(paths)


@dataclass(frozen=True, slots=True)
class WriteResult:
    written: tuple[Path, ...]
    unchanged: tuple[Path, ...]
    removed: tuple[Path, ...]  # stale files socklock wrote before


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _header(text: str) -> str:
    lines = []
    for line in text.splitlines()[:10]:
        if not line.startswith("#"):
            break
        lines.append(line)
    return "\n".join(lines)


def plan_write(
    files: Sequence[OutputFile],
    directory: Path,
    force: bool = False,
    owner: str | None = None,
    inputs: Collection[Path] = (),
) -> tuple[list[tuple[Path, OutputFile]], list[Path], list[Path], list[Path]]:
    """(to write, unchanged, to remove, conflicts) without touching anything.

    The files to write are given as they are (their text still compressed): the text of a
    set of 200,000 files is about 200 MB, decompressed one file at a time as it is written.

    Stale files are the generated ones whose header also holds ``owner`` (e.g.
    ``--flavor kubernetes``), so sets of other flavours in the same directory are kept.
    Raises :class:`socklock.files.UnsafeWrite` for a target outside ``directory`` or in
    ``inputs`` (resolved paths of the files the run read), whatever ``force`` says."""
    to_write: list[tuple[Path, OutputFile]] = []
    unchanged: list[Path] = []
    conflicts: list[Path] = []
    wanted: set[Path] = set()
    for file in files:
        target = confined(directory, file.path, inputs)
        wanted.add(target)
        if target.is_dir():
            conflicts.append(target)
            continue
        if target.exists():
            existing = _read(target)
            if existing == file.text:
                unchanged.append(target)
                continue
            if existing is None or not (force or is_generated(existing)):
                conflicts.append(target)
                continue
        to_write.append((target, file))
    to_remove: list[Path] = []
    if directory.is_dir():
        root = directory.resolve()
        for path in sorted(directory.rglob("*")):
            if (
                path.suffix in GENERATED_SUFFIXES
                and path not in wanted
                and path.is_file()
                and not path.is_symlink()
                and path.resolve().is_relative_to(root)
                and path.resolve() not in inputs
            ):
                existing = _read(path)
                if (
                    existing is not None
                    and is_generated(existing)
                    and (owner is None or owner in _header(existing))
                ):
                    to_remove.append(path)
    return to_write, unchanged, to_remove, conflicts


def write_set(
    files: Sequence[OutputFile],
    directory: Path,
    force: bool = False,
    owner: str | None = None,
    inputs: Collection[Path] = (),
) -> WriteResult:
    """Write ``files`` under ``directory``; see the module docstring for the rules."""
    to_write, unchanged, to_remove, conflicts = plan_write(files, directory, force, owner, inputs)
    if conflicts:
        raise WriteConflict(conflicts)
    write_many((target, file.text) for target, file in to_write)
    for path in to_remove:
        path.unlink(missing_ok=True)
    return WriteResult(tuple(t for t, _ in to_write), tuple(unchanged), tuple(to_remove))
