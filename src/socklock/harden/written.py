"""A compose value as the file writes it, before ``${VAR}`` substitution.

The loader hands rules the substituted values (what compose runs); a fix, though, edits the
file's text, where ``"${PORT:-8080}:80"`` is written, not ``"8080:80"``. A fix that
matched the substituted value would find nothing, or drop the variable.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import yaml

_QUOTED = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^']|'')*'")
_FLOW_PLAIN = re.compile(r"[^,\[\]{}#\r\n]*?(?=\s+#|\s*[,\]}]|\s*$)")
_BLOCK_PLAIN = re.compile(r".*?(?=\s+#|\s*$)")


def scalar_at(lines: Sequence[str], line: int, column: int) -> str | None:
    """The one-line scalar that starts at 1-based (``line``, ``column``) of a text's
    ``lines`` (quoted or plain); None when there is none."""
    if not 0 < line <= len(lines):
        return None
    before, rest = lines[line - 1][: column - 1], lines[line - 1][column - 1 :]
    if rest.startswith("- "):
        rest = rest[2:].lstrip()
    plain = _FLOW_PLAIN if "[" in before or "{" in before else _BLOCK_PLAIN
    found = _QUOTED.match(rest) or plain.match(rest)
    if found is None or not found.group().strip():
        return None
    try:
        value = yaml.safe_load(found.group())
    except yaml.YAMLError:
        return None
    return value if isinstance(value, str) else None


def after_key(lines: Sequence[str], line: int, column: int) -> str | None:
    """The one-line scalar value of the ``key: value`` whose key is at (``line``, ``column``)."""
    if not 0 < line <= len(lines):
        return None
    found = re.match(r"[^:]*:[ \t]+", lines[line - 1][column - 1 :])
    return scalar_at(lines, line, column + found.end()) if found else None


def masked(value: str) -> str | None:
    """``value`` with each ``${...}`` and ``$NAME`` replaced by as many ``V`` (so the colons
    left are the value's own); None when a ``${`` is not closed."""
    out: list[str] = []
    i = 0
    while i < len(value):
        if value.startswith("$$", i):
            out.append("$$")
            i += 2
        elif value.startswith("${", i):
            depth, j = 1, i + 2
            while j < len(value) and depth:
                depth += value.startswith("${", j)
                depth -= value[j] == "}"
                j += 2 if value.startswith("${", j) else 1
            if depth:
                return None
            out.append("V" * (j - i))
            i = j
        elif value[i] == "$" and (name := re.match(r"[A-Za-z_][A-Za-z0-9_]*", value[i + 1 :])):
            out.append("V" * (1 + name.end()))
            i += 1 + name.end()
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def read_lines(file: str) -> list[str] | None:
    """A file's lines; None when it cannot be read."""
    from pathlib import Path

    try:
        return Path(file).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
