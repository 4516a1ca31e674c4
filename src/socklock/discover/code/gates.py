"""Role switches around a read: ``if envServe("APP_ENABLE_CATALOG_SERVICE") { ... }``.

One binary often runs as several workloads, each turning on its own role with an env flag
(``APP_ENABLE_<ROLE>=1``) while a shared ConfigMap hands every one of them the addresses of
all the others. A read inside the block of an ``if`` that tests such a flag happens only in
the workloads that turn the flag on: one that sets it false, or that picks another role of
the same code (sets another flag of the file true) and leaves this one out, does not run it.

Only the plain positive test counts: a header with a negation (``!``, ``!=``, ``not``), an
alternative (``||``, ``or``), a truthy literal (a default of on: ``getenv("X", "true")``) or
``else`` decides nothing here.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

_BRACES = frozenset({".go", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".java", ".kt", ".cs"})
_PYTHON = frozenset({".py"})
_LITERAL = re.compile(r"""["']([A-Za-z][A-Za-z0-9_]*)["']""")
_SWITCH_WORD = re.compile(r"(?:^|_)(?:ENABLE|ENABLED)(?:_|$)", re.IGNORECASE)
_UNDECIDED = re.compile(
    r"!|\|\||\bnot\b|\bor\b|\belse\b|[\"'](?:true|1|yes|on)[\"']", re.IGNORECASE
)
_CONTINUED = re.compile(r"(?:[(,&|+\-*/=<>!]|\bif)$")
_COMPARED_ON = re.compile(r"""===?\s*["'](?:true|1|yes|on)["']""", re.IGNORECASE)
_IF = re.compile(r"^\s*if\b")
_OFF = frozenset({"false", "0", "no", "off", ""})
_ON = frozenset({"true", "1", "yes", "on"})


def _switches(header: str) -> tuple[str, ...]:
    """The role flags a positive ``if`` header tests."""
    if not _IF.match(header) or _UNDECIDED.search(_COMPARED_ON.sub(" ", header)):
        return ()
    return tuple(n for n in _LITERAL.findall(header) if _SWITCH_WORD.search(n))


def _brace_headers(text: str) -> list[tuple[int, int, str]]:
    """Each ``{ ... }`` block as (first line, last line, the header before its ``{``),
    strings and comments skipped."""
    blocks: list[tuple[int, int, str]] = []
    stack: list[tuple[int, str]] = []
    line = 1
    header: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            header.append("\n")
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            line += text.count("\n", i, end)
            i = end
            continue
        elif c in "\"'`":
            j = i + 1
            while j < n and text[j] != c:
                if text[j] == "\\" and c != "`":
                    j += 1
                elif text[j] == "\n" and c != "`":
                    break
                j += 1
            header.append(text[i : j + 1])
            line += text.count("\n", i, j + 1)
            i = j + 1
            continue
        elif c == "{":
            stack.append((line, _statement("".join(header))))
            header = []
        elif c == "}":
            if stack:
                start, head = stack.pop()
                blocks.append((start, line, head))
            header = []
        elif c == ";":
            header = []
        else:
            header.append(c)
        i += 1
    return blocks


def _statement(text: str) -> str:
    """The statement before a ``{``: its last line, with the lines a condition continues
    from (one ending in ``(``, ``&&``, ``||``, ``,`` or an operator); Go has no ``;``."""
    lines = [line.strip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    if not lines:
        return ""
    start = len(lines) - 1
    while start > 0 and _CONTINUED.search(lines[start - 1]):
        start -= 1
    return " ".join(lines[start:])


def _python_headers(text: str) -> list[tuple[int, int, str]]:
    """Each ``if ...:`` block as (first line, last line, its header), by indentation."""
    lines = text.splitlines()
    blocks: list[tuple[int, int, str]] = []
    for index, raw in enumerate(lines):
        stripped = raw.strip()
        if not stripped.startswith("if ") or not stripped.endswith(":"):
            continue
        indent = len(raw) - len(raw.lstrip())
        last = index
        for after in range(index + 1, len(lines)):
            body = lines[after]
            if body.strip() and len(body) - len(body.lstrip()) <= indent:
                break
            last = after
        blocks.append((index + 1, last + 1, stripped))
    return blocks


@lru_cache(maxsize=256)
def _file_gates(file: str) -> tuple[tuple[int, int, tuple[str, ...]], ...]:
    suffix = Path(file).suffix.lower()
    if suffix not in _BRACES and suffix not in _PYTHON:
        return ()
    try:
        text = Path(file).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ()
    if "enable" not in text.lower():
        return ()
    blocks = _brace_headers(text) if suffix in _BRACES else _python_headers(text)
    found = []
    for start, end, header in blocks:
        switches = _switches(header)
        if switches:
            found.append((start, end, switches))
    return tuple(found)


@lru_cache(maxsize=256)
def _file_flags(file: str) -> frozenset[str]:
    """Every flag-like name the file quotes (``"APP_ENABLE_WS"``): the roles of the code."""
    try:
        text = Path(file).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return frozenset()
    return frozenset(n for n in _LITERAL.findall(text) if _SWITCH_WORD.search(n))


def gates(file: str, line: int) -> tuple[str, ...]:
    """The role flags whose positive ``if`` blocks enclose ``line`` of ``file``."""
    return tuple(
        s for start, end, switches in _file_gates(file) if start < line <= end for s in switches
    )


def gated_off(file: str, line: int, lookup: Callable[[str], str | None]) -> str | None:
    """Why the read at ``line`` of ``file`` does not run in a workload whose env is
    ``lookup``: a flag that encloses it set false (``APP_ENABLE_WS=0``), or left out while
    the workload turns on another flag of the same file (its role is another); else None."""
    enclosing = gates(file, line)
    if not enclosing:
        return None
    every = _file_flags(file)
    chosen = sorted(
        s for s in every if (lookup(s) or "").strip().lower() in _ON and s not in enclosing
    )
    for switch in enclosing:
        value = lookup(switch)
        if value is not None and value.strip().lower() in _OFF:
            return f"{switch}={value.strip()}"
        if value is None and chosen:
            return f"{switch} unset, the workload turns on {chosen[0]}"
    return None
