"""Writing the user's files safely, and showing what a write would change.

Every write socklock makes (fixes, generated policies, reports) goes through
:func:`write_atomic`: a crash or a full disk never leaves a half-written file behind.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from pathlib import Path


def write_atomic(path: str | Path, text: str) -> None:
    """Replace ``path`` with ``text``: temporary file in the same directory, fsync, rename.

    A file that is replaced keeps its permission bits; a new one gets 0644. Missing parent
    directories are created.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = target.stat().st_mode & 0o7777 if target.exists() else 0o644
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).chmod(mode)
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def unified_diff(path: str, before: str, after: str) -> str:
    """``git diff``-style text of one file's change (``a/`` and ``b/`` prefixes)."""
    name = path.lstrip("/")
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{name}",
            tofile=f"b/{name}",
        )
    )
