"""Config sections a Rust program parses but never reads.

A Rust service loads its YAML or TOML config (the ``config`` crate, ``serde``) into structs
and reads each value through their fields (``config.broker.urls``). Every service of a
repository often shares one config layout, so a section a service declares
(``pub broker: BrokerProperties``) but never accesses is parsed, never used: its address
is no call of that service. The test is textual: the section an entry sits in (the key's
segment above its value: ``broker`` of ``kafka.broker.urls``) must be accessed as a field
(``.broker``) or named in a string (``get("broker")``, ``#[serde(rename = "broker")]``)
somewhere in the program's Rust sources (its crate and the crates it builds in). A key of
one segment always counts; a program whose sources cannot be read counts every entry.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, MutableMapping
from pathlib import Path

from socklock.discover.imports import source_text

_FIELD = re.compile(r"\.\s*(r#)?([A-Za-z_]\w*)")
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_WORD = re.compile(r"[A-Za-z_][\w-]*")
# Cargo's build output and the targets that are not the program (not imports.SKIPPED_DIRS:
# a crate's own ``src/vendor/`` module is its code)
_SKIPPED_DIRS = frozenset({"target", "tests", "benches", "examples", ".git"})
MAX_FILES = 2000


def section_of(key: str) -> str | None:
    """The section an entry's value sits in (``kafka.broker.urls`` → ``broker``), in the
    field spelling (``schema-registry`` → ``schema_registry``); None for a top-level key."""
    parts = [p for p in key.split(".") if p]
    return parts[-2].replace("-", "_").lower() if len(parts) >= 2 else None


def read_names(
    sources: Iterable[str], read: MutableMapping[Path, frozenset[str]] | None = None
) -> frozenset[str] | None:
    """The names the Rust files under ``sources`` access as fields or write in strings
    (lower case, ``-`` as ``_``); None when there are no Rust files to read. ``read``: the
    names of files already read (programs share crates), filled as files are read."""
    known = {} if read is None else read
    names: set[str] = set()
    files = 0
    for path in _rust_files(sources):
        files += 1
        if files > MAX_FILES:
            return None  # too large to read whole: every entry counts
        if path not in known:
            known[path] = _names(source_text(path))
        names.update(known[path])
    return frozenset(names) if files else None


def _names(text: str) -> frozenset[str]:
    found = {match.group(2).lower() for match in _FIELD.finditer(text)}
    for string in _STRING.finditer(text):
        found.update(w.replace("-", "_").lower() for w in _WORD.findall(string.group(1)))
    return frozenset(found)


def _rust_files(sources: Iterable[str]) -> Iterable[Path]:
    seen: set[Path] = set()
    for source in sources:
        root = Path(source)
        if root.is_file():
            if root.suffix == ".rs" and root not in seen:
                seen.add(root)
                yield root
            continue
        for directory, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS)
            for name in sorted(files):
                path = Path(directory) / name
                if name.endswith(".rs") and path not in seen:
                    seen.add(path)
                    yield path
