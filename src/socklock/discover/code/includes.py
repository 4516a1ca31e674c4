"""The files that call a function a C/C++ header defines: the ones whose ``#include "..."``
chain reaches the header.

A helper in a shared header (``init_redis_client_pool(config, "home-timeline")``) reads its
address from a parameter; its callers are the ``.cpp`` files that include it, directly or
through other headers. They are looked for near the header (under the directory above its
own), read only when they name the function, and kept per process: a header is asked about
once per scan.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_INCLUDE = re.compile(rb'^\s*#\s*include\s*"([^"]+)"', re.MULTILINE)
_SUFFIXES = (".c", ".cc", ".cpp", ".cxx", ".c++", ".h", ".hh", ".hpp", ".hxx", ".ipp")
MAX_CLOSURE = 400  # files one include chain may reach
MAX_BYTES = 512 * 1024

_CLOSURES: dict[Path, frozenset[Path]] = {}
_CALLERS: dict[tuple[Path, str], list[str]] = {}


def including_files(header: str, name: str) -> list[str]:
    """C/C++ files near ``header`` that mention ``name`` and include the header, directly or
    through other includes of the tree (the header itself excluded)."""
    real = Path(os.path.normpath(Path(header).absolute()))
    if real.suffix.lower() not in _SUFFIXES:
        return []
    if (real, name) not in _CALLERS:
        needle = name.encode()
        from socklock.discover.code.paths import nearby_sources

        # every C/C++ file of the walked directories (test and generated files too)
        listed = nearby_sources(str(real.parent.parent), _SUFFIXES, skip_files=False)
        _CALLERS[real, name] = [
            str(path)
            for path in map(Path, listed)
            if path != real and needle in read_bounded(path) and real in _closure(path)
        ]
    return list(_CALLERS[real, name])


def forget() -> None:
    """Drop what was listed and read (files may have changed since)."""
    from socklock.discover.code.paths import forget_listings

    forget_listings()
    _CLOSURES.clear()
    _CALLERS.clear()


def _closure(start: Path) -> frozenset[Path]:
    """Every file of the tree ``start`` includes, transitively."""
    if start not in _CLOSURES:
        seen: set[Path] = set()
        queue = [start]
        while queue and len(seen) < MAX_CLOSURE:
            current = queue.pop()
            for included in _INCLUDE.findall(read_bounded(current)):
                path = Path(os.path.normpath(current.parent / included.decode(errors="replace")))
                if path not in seen and path.is_file():
                    seen.add(path)
                    queue.append(path)
        _CLOSURES[start] = frozenset(seen)
    return _CLOSURES[start]


def read_bounded(path: Path) -> bytes:
    """The file's bytes; none for one over MAX_BYTES or one that cannot be read."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return b""
        return path.read_bytes()
    except OSError:
        return b""
