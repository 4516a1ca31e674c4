"""Env vars of Go config structs nested in other config structs.

kelseyhightower/envconfig names a nested struct's fields after the field that holds it:
``Postgres pgCfg `envconfig:"PG"``` and ``Conn string `envconfig:"CONN"``` in ``pgCfg``
read ``PG_CONN``; caarlos0/env does the same with ``envPrefix:"PG_"``. The analyser sees
each tag on its own (``CONN``); this pass joins them over the structs of one package (a
directory's ``.go`` files), nesting at most a few levels deep.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from socklock.discover.code.interface import CallKind, CallSite

if TYPE_CHECKING:
    from collections.abc import Iterable

    from socklock.discover.code.interface import Result

_STRUCT = re.compile(r"^type\s+([A-Za-z_]\w*)\s+struct\s*\{", re.MULTILINE)
_FIELD = re.compile(r"^\s+([A-Za-z_]\w*)\s+\*?([A-Za-z_][\w.]*)\s+`([^`]*)`")
_ENVCONFIG = re.compile(r'\benvconfig:"([A-Za-z_][A-Za-z0-9_]*)')
_ENV_PREFIX = re.compile(r'\benvPrefix:"([A-Za-z0-9_]+)"')
_TAGGED = re.compile(r'\b(?:env|envconfig):"')
MAX_DEPTH = 3


@dataclass(frozen=True, slots=True)
class _Field:
    struct: str  # the struct that declares it
    type: str  # the struct type it holds
    prefix: str  # what it puts before its fields' names (``PG_``)


def nested_reads(results: Iterable[Result]) -> list[CallSite]:
    """An env read for each struct-tag read of a Go struct nested in another (the outer
    fields' prefixes joined to the read's name), at the read's own field."""
    reads = [
        r
        for r in results
        if isinstance(r, CallSite)
        and r.kind is CallKind.ENV_READ
        and r.file.endswith(".go")
        and r.env_var
        and _TAGGED.search(r.expression)
    ]
    out: list[CallSite] = []
    by_directory: dict[str, list[CallSite]] = {}
    for read in reads:
        by_directory.setdefault(str(Path(read.file).parent), []).append(read)
    for directory, found in by_directory.items():
        spans, fields = _structs(directory)
        if not fields:
            continue
        for read in found:
            struct = next(
                (
                    name
                    for file, first, last, name in spans
                    if file == read.file and first <= read.line <= last
                ),
                None,
            )
            for prefix in _prefixes(struct, fields, 0):
                out.append(replace(read, env_var=prefix + (read.env_var or "")))
    return out


def _prefixes(struct: str | None, fields: list[_Field], depth: int) -> list[str]:
    """Every prefix the struct's fields get from the fields that hold it, outermost first."""
    if struct is None or depth >= MAX_DEPTH:
        return []
    found: list[str] = []
    for field in fields:
        if field.type != struct:
            continue
        found.append(field.prefix)
        found.extend(outer + field.prefix for outer in _prefixes(field.struct, fields, depth + 1))
    return found


def _structs(directory: str) -> tuple[list[tuple[str, int, int, str]], list[_Field]]:
    """The structs of a package: (file, first line, last line, name) of each, and the
    fields that hold another struct of the package with a prefix for its fields."""
    spans: list[tuple[str, int, int, str]] = []
    fields: list[_Field] = []
    try:
        paths = sorted(Path(directory).iterdir())
    except OSError:
        return spans, fields
    for file in paths:
        if file.suffix != ".go" or file.name.endswith("_test.go"):
            continue
        path = str(file)
        try:
            lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        current: tuple[str, int] | None = None
        for number, line in enumerate(lines, 1):
            start = _STRUCT.match(line)
            if start is not None:
                current = (start.group(1), number)
                continue
            if current is None:
                continue
            if line.startswith("}"):
                spans.append((path, current[1], number, current[0]))
                current = None
                continue
            field = _FIELD.match(line)
            if field is None or "." in field.group(2):
                continue
            tag = field.group(3)
            nested = _ENVCONFIG.search(tag)
            prefix = _ENV_PREFIX.search(tag)
            if nested is not None:
                fields.append(_Field(current[0], field.group(2), nested.group(1) + "_"))
            elif prefix is not None:
                fields.append(_Field(current[0], field.group(2), prefix.group(1)))
    return spans, fields
