"""Writing the user's files safely, and showing what a write would change.

Every write socklock makes (fixes, generated policies, reports) goes through
:func:`write_atomic`: a crash or a full disk never leaves a half-written file behind.
Writes into an output directory go through :func:`confined` first: a generated file's
path is built from names in the input, which a contributor controls, so it is refused
unless it stays inside the directory once symlinks are resolved and is no input of the run.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import stat
import tempfile
from collections.abc import Collection, Iterable
from pathlib import Path, PurePosixPath

from socklock.errors import UsageError

# A file socklock wrote says so near its top: a comment (YAML, diff), a JSON schema id
# (socklock/<name>/v1) or the SARIF tool name. Anything else in the way is the user's.
GENERATED_MARKERS = ("socklock:generated", '"schema": "socklock/', '"name": "socklock"')
_MARKER_WINDOW = 4096


class UnsafeWrite(UsageError):
    """A write that would leave the output directory, or replace an input of the run."""


def resolved_paths(paths: Iterable[str | Path]) -> frozenset[Path]:
    """Absolute, symlink-free forms of ``paths`` (to compare with write targets): what
    ``Path.resolve()`` gives each, with each directory resolved once (one ``realpath`` a
    directory, then one ``lstat`` a file, where ``resolve`` walks every component of every
    path: 0.03 s for 1,500 input files)."""
    directories: dict[str, Path] = {}
    found: set[Path] = set()
    for path in paths:
        text = os.fspath(path)
        if ".." in text.split(os.sep):  # noqa: PTH206 - ".." after a symlink is not lexical
            found.add(Path(text).resolve())
            continue
        directory, name = os.path.split(os.path.abspath(text))  # noqa: PTH100 - lexical
        real = directories.get(directory)
        if real is None:
            real = directories[directory] = Path(directory).resolve()
        joined = real / name
        found.add(joined.resolve() if joined.is_symlink() else joined)
    return frozenset(found)


def confined(directory: Path, relative: str, inputs: Collection[Path] = ()) -> Path:
    """``directory / relative``, refused when it escapes ``directory`` or is an input.

    ``relative`` must be a relative path without ``..``; the target, once every symlink
    on its way is resolved, must lie inside the resolved ``directory``; and it must not be
    one of ``inputs`` (resolved paths of the files this run read).
    """
    parts = PurePosixPath(relative)
    if not relative or parts.is_absolute() or ".." in parts.parts:
        raise UnsafeWrite(f"refusing to write {relative!r}: not a plain relative path")
    target = directory / parts
    root = directory.resolve()
    real = target.resolve()
    if not real.is_relative_to(root):
        raise UnsafeWrite(f"refusing to write {target}: it resolves to {real}, outside {root}")
    check_not_input(target, inputs)
    return target


def check_not_input(target: Path, inputs: Collection[Path]) -> None:
    """Refuse to write over a file this run read: the output would replace its own input."""
    if target.resolve() in inputs:
        raise UnsafeWrite(f"refusing to write {target}: it is an input of this run")


def written_by_socklock(text: str) -> bool:
    """Whether ``text`` carries one of socklock's markers near its top."""
    head = text[:_MARKER_WINDOW]
    return any(marker in head for marker in GENERATED_MARKERS)


def write_atomic(path: str | Path, text: str | Iterable[str]) -> None:
    """Replace ``path`` with ``text``: temporary file in the same directory, fsync, rename.

    ``text`` may come in pieces (a report of millions of findings is written as it is
    rendered, never held whole). A file that is replaced keeps its permission bits; a new
    one gets 0644. Missing parent directories are created.
    """
    target = Path(path)
    temporary = _stage(target, text, durable=True)
    try:
        temporary.replace(target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


_BATCH = 1000


def write_many(items: Iterable[tuple[Path, str]]) -> None:
    """:func:`write_atomic` for many files, by batches: each batch's temporary files are
    written, flushed to disk with one ``sync``, then renamed over their targets. As safe
    as one ``fsync`` a file (no target is replaced before its new text is on disk), at one
    sync a batch: a generated set of 200,000 files would otherwise spend most of its time
    waiting for the disk."""
    batch: list[tuple[Path, Path]] = []
    for target, text in items:
        batch.append((_stage(target, text, durable=False), target))
        if len(batch) == _BATCH:
            _commit(batch)
            batch = []
    _commit(batch)


def _commit(batch: list[tuple[Path, Path]]) -> None:
    try:
        if batch:
            os.sync()
        for temporary, target in batch:
            temporary.replace(target)
    except BaseException:
        for temporary, _ in batch:
            temporary.unlink(missing_ok=True)
        raise


def _stage(target: Path, text: str | Iterable[str], *, durable: bool) -> Path:
    """``text`` in a new temporary file beside ``target``, with ``target``'s permission bits
    (0644 for a new file); fsynced when ``durable``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = target.stat().st_mode & 0o7777 if target.exists() else 0o644
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            if isinstance(text, str):
                handle.write(text)
            else:
                handle.writelines(text)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        temporary.chmod(mode)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


class EditRefused(Exception):
    """An edit of a user's file that is not made, and why (the file is left as it was)."""


def read_for_edit(path: str | Path) -> str:
    """A file's text exactly as stored (line endings and BOM kept), for a later edit."""
    with Path(path).open(encoding="utf-8", newline="") as handle:
        return handle.read()


def edit_file(path: str | Path, before: str, after: str, *, within: Path | None = None) -> None:
    """Change a user's file from ``before`` to ``after``, or raise EditRefused.

    Compare-and-swap: the file must still hold ``before`` (an edit saved meanwhile is never
    overwritten; the window left is between the last check and the rename). The result is
    a new file renamed over the old one (a crash leaves one or the other), with the old
    file's mode, owner and group. A symlink is edited at its target, which must stay inside
    ``within`` when given (the scanned tree); it is never replaced by a regular file.
    Refused: read-only files, files with several hard links (a rename would split them),
    anything but a regular file.
    """
    link = Path(path)
    target = Path(os.path.realpath(link))
    if link.is_symlink() and within is not None and not _inside(target, within):
        raise EditRefused(f"symlink to {target}, outside {within}: edit the target by hand")
    try:
        info = target.lstat()
    except OSError as exc:
        raise EditRefused(f"cannot read: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(info.st_mode):
        raise EditRefused("not a regular file")
    if info.st_nlink > 1:
        raise EditRefused(f"the file has {info.st_nlink} hard links: a rewrite would split them")
    if not os.access(target, os.W_OK) or not info.st_mode & stat.S_IWUSR:
        raise EditRefused("the file is read-only")
    if read_for_edit(target) != before:
        raise EditRefused("the file changed since socklock read it: run again")
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(after)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, stat.S_IMODE(info.st_mode))  # noqa: PTH101
        with contextlib.suppress(PermissionError):  # not root: the owner is already us
            os.chown(temporary, info.st_uid, info.st_gid)
        now = target.lstat()
        if (now.st_ino, now.st_size, now.st_mtime_ns) != (
            info.st_ino,
            info.st_size,
            info.st_mtime_ns,
        ) or read_for_edit(target) != before:
            raise EditRefused("the file changed while socklock edited it: run again")
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _inside(path: Path, root: Path) -> bool:
    real_root = Path(os.path.realpath(root))
    return path == real_root or real_root in path.parents


NO_NEWLINE = "\\ No newline at end of file\n"


def diff_line(line: str) -> str:
    """A diff line; a last line without its newline gets one and git's marker after it
    (else it would run into the next line and the diff would not apply)."""
    return line if line.endswith("\n") else line + "\n" + NO_NEWLINE


def unified_diff(path: str, before: str, after: str) -> str:
    """``git diff``-style text of one file's change (``a/`` and ``b/`` prefixes)."""
    name = path.lstrip("/")
    return "".join(
        diff_line(line)
        for line in difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{name}",
            tofile=f"b/{name}",
        )
    )


class NotOurs(UsageError):
    """Files in the way that socklock did not write."""

    def __init__(self, paths: Collection[Path]) -> None:
        listed = ", ".join(str(p) for p in sorted(paths))
        super().__init__(
            f"refusing to overwrite {len(paths)} file(s) socklock did not write: {listed} "
            "(use --force to overwrite them, or another output directory)"
        )
        self.paths = tuple(sorted(paths))


def write_artifacts(
    directory: Path,
    artifacts: dict[str, str | Iterable[str]],
    *,
    force: bool = False,
    inputs: Collection[Path] = (),
) -> list[Path]:
    """Write each ``name → text`` under ``directory``, all or nothing.

    Every target is :func:`confined`; an existing file that does not carry socklock's
    marker is the user's, and the whole write is refused unless ``force``.
    """
    targets = check_artifacts(directory, artifacts, force=force, inputs=inputs)
    for target, text in zip(targets, artifacts.values(), strict=True):
        write_atomic(target, text)
    return targets


def check_artifacts(
    directory: Path,
    names: Iterable[str],
    *,
    force: bool = False,
    inputs: Collection[Path] = (),
) -> list[Path]:
    """The targets of ``names`` under ``directory``, refused as :func:`write_artifacts`
    would refuse them, before anything is written (so artifacts too big to hold at once can
    be rendered and written one at a time, still all or nothing)."""
    targets = [confined(directory, name, inputs) for name in names]
    theirs = [t for t in targets if t.exists() and not (force or _ours(t))]
    if theirs:
        raise NotOurs(theirs)
    return targets


def _ours(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            return written_by_socklock(handle.read(_MARKER_WINDOW))
    except OSError:
        return False
