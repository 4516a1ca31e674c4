"""One binary, one subcommand per service: code under another subcommand's branch is not run.

Several services often run one image with a subcommand each (``entrypoint: app search``),
and the program dispatches on its first argument: ``switch flag.Arg(0) { case "search":
... }`` (Go). A call site inside the case of another subcommand is not the service's; nor
is an address given to a variable (``geoaddr = flag.String("geoaddr", "geo:8080", ...)``)
that only other subcommands' cases use. Code outside the switch runs for every subcommand.
The reading is textual (gofmt's layout: cases at the switch's indentation).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

# the program's first argument: flag.Arg(0), os.Args[1]
_ARGUMENT = r"(?:flag\.Arg\(\s*0\s*\)|os\.Args\[\s*1\s*\])"
_ASSIGNED = re.compile(rf"^\s*(?:var\s+)?([A-Za-z_]\w*)\s*:?=\s*{_ARGUMENT}\s*$")
_SWITCH = re.compile(r"^(\s*)switch\s+(.+?)\s*\{\s*$")
_STRING = re.compile(r'"([^"\\]*)"')
_DEFINED = re.compile(r"^\s*(?:var\s+)?([A-Za-z_]\w*)\s*(?:[A-Za-z_][\w.\[\]*]*\s*)?:?=[^=]")
MAX_BYTES = 512 * 1024


@dataclass(frozen=True, slots=True)
class _Case:
    first: int  # 1-based lines of the clause's body, inclusive
    last: int
    words: frozenset[str]  # its strings; empty for ``default``


def runs_for(file: str, line: int, arguments: tuple[str, ...]) -> bool:
    """Whether a service started with ``arguments`` runs line ``line`` of ``file``: False
    only for a line under (or an address only used under) other subcommands' cases."""
    if not file.endswith(".go") or not arguments:
        return True
    cases, lines = _cases(file)
    if not cases:
        return True
    given = frozenset(arguments)
    handled = frozenset(w for case in cases for w in case.words)

    def chosen(case: _Case) -> bool:
        return bool(case.words & given) if case.words else not handled & given

    inside = [case for case in cases if case.first <= line <= case.last]
    if inside:
        return chosen(inside[-1])
    defined = _DEFINED.match(lines[line - 1]) if 0 < line <= len(lines) else None
    if defined is None:
        return True
    name = re.compile(rf"\b{re.escape(defined.group(1))}\b")
    uses = [n for n, text in enumerate(lines, 1) if n != line and name.search(text)]
    holders = [[c for c in cases if c.first <= n <= c.last] for n in uses]
    if not uses or any(not held for held in holders):
        return True  # used outside the dispatch: every subcommand runs it
    return any(chosen(held[-1]) for held in holders)


@functools.cache
def _cases(file: str) -> tuple[tuple[_Case, ...], tuple[str, ...]]:
    """The cases of every switch on the program's first argument in ``file``."""
    try:
        path = Path(file)
        if path.stat().st_size > MAX_BYTES:
            return (), ()
        lines = tuple(path.read_text(encoding="utf-8", errors="replace").splitlines())
    except OSError:
        return (), ()
    names = {m.group(1) for m in map(_ASSIGNED.match, lines) if m}
    found: list[_Case] = []
    for number, text in enumerate(lines, 1):
        switch = _SWITCH.match(text)
        if switch is None:
            continue
        subject = switch.group(2).strip()
        if subject not in names and not re.fullmatch(_ARGUMENT, subject):
            continue
        found.extend(_clauses(lines, number, switch.group(1)))
    return tuple(found), lines


def _clauses(lines: tuple[str, ...], switch: int, indent: str) -> list[_Case]:
    clauses: list[_Case] = []
    start: tuple[int, frozenset[str]] | None = None
    for number in range(switch + 1, len(lines) + 1):
        text = lines[number - 1]
        head = text[len(indent) :] if text.startswith(indent) else ""
        is_case = head.startswith(("case ", "default:"))
        if is_case or head.startswith("}"):
            if start is not None:
                clauses.append(_Case(start[0], number - 1, start[1]))
            if not is_case:
                break
            words = frozenset(_STRING.findall(head)) if head.startswith("case ") else frozenset()
            start = (number, words)
    return clauses
