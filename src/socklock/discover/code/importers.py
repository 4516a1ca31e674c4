"""The files that call a function (or construct a class) another file defines, found from
their import lines: the reverse of :mod:`socklock.discover.code.imports`.

A wrapper whose address is a parameter (``class Broker: def __init__(self, host)``, a Go
``func Connect(host string)`` in a ``db`` package) is called from the service's entry
point, in another file: ``Broker("mq")``, ``db.Connect(os.Getenv("DB_HOST"))``. Its
callers are the files near it (under the directory above its own) of the same language
that name the function and whose imports say the name, or the module they call it on, is
the defining file. Files are read only when they mention the name; listings are kept per
process.
"""

# ruff: noqa: PTH120
# (string paths: the caller's file is reported the way the scan named it)

from __future__ import annotations

import os
import re
from pathlib import Path

from socklock.discover.code.imports import member_candidates, name_candidates

_NEARBY: dict[tuple[str, str, tuple[str, ...]], list[str]] = {}


def nearby_files(path: str, name: str, suffixes: tuple[str, ...]) -> list[str]:
    """Files with ``suffixes`` under the directory above ``path`` that mention ``name``
    (``path`` itself excluded), named the way ``path`` is (relative stays relative)."""
    key = (path, name, suffixes)
    if key not in _NEARBY:  # asked again for every call site the callers' search blocks on
        from socklock.discover.code.paths import nearby_sources

        own = _normal(path)
        needle = name.encode()
        _NEARBY[key] = [
            candidate
            for candidate in nearby_sources(os.path.dirname(os.path.dirname(path)) or ".", suffixes)
            if _normal(candidate) != own and needle in _read(candidate)
        ]
    return list(_NEARBY[key])


def reaches(
    syntax: str, caller: str, source: bytes, receiver: str | None, name: str, defining: str
) -> bool:
    """Whether the call ``receiver.name(...)`` (``name(...)`` when ``receiver`` is None) in
    ``caller`` calls the ``name`` that the file ``defining`` defines, by the caller's
    imports."""
    if receiver is None:
        candidates = name_candidates(syntax, caller, source, name)
    else:
        candidates = member_candidates(syntax, caller, source, receiver, name)
    target = _normal(defining)
    if any(_normal(file) == target and defined == name for file, defined in candidates):
        return True
    if receiver is None:
        return False
    # a method called on the instance the defining file makes and exports (a singleton:
    # ``export const natsWrapper = new NatsWrapper()``, ``broker = Broker()``)
    instances = name_candidates(syntax, caller, source, receiver)
    return any(
        _normal(file) == target and _instance(syntax, defining, defined)
        for file, defined in instances
    )


def _instance(syntax: str, path: str, name: str) -> bool:
    """Whether the file ``path`` binds the top-level ``name`` to a new object of a class."""
    made = _INSTANCE.get(syntax)
    if made is None:
        return False
    text = _read(path).decode("utf-8", "replace")
    return re.search(made.format(name=re.escape(name)), text, re.MULTILINE) is not None


# ``name = new Class(`` (JavaScript/TypeScript, a type annotation allowed), ``name =
# Class(`` at the top level (Python: a capitalised callee is a class)
_JS_INSTANCE = r"^(?:export\s+)?(?:const|let|var)\s+{name}\s*(?::[^=\n]+)?=\s*new\s+[A-Za-z_$]"
_INSTANCE = {
    "javascript": _JS_INSTANCE,
    "typescript": _JS_INSTANCE,
    "tsx": _JS_INSTANCE,
    "python": r"^{name}\s*(?::[^=\n]+)?=\s*[A-Z]\w*\(",
}


def forget() -> None:
    """Drop what was listed and read (files may have changed since)."""
    from socklock.discover.code.paths import forget_listings

    forget_listings()
    _NEARBY.clear()


def _normal(path: str) -> str:
    return str(Path(path).resolve())


def _read(path: str) -> bytes:
    """The file's bytes, or none for a large or unreadable one (the reader headers use)."""
    from socklock.discover.code.includes import read_bounded

    return read_bounded(Path(path))
