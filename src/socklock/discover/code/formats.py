"""Expansion of format strings whose arguments are static values.

Two families cover the languages we read: printf (Go ``fmt.Sprintf``, Java
``String.format``, Python ``%``, Ruby ``format``) and braces (Python ``str.format``,
.NET ``string.Format``, Java ``MessageFormat``). The result is a :data:`Values`, so an
argument that is an env read or a hole stays one in the expanded text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from socklock.discover.code.values import concat, hole, text

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from socklock.discover.code.values import Values

_PRINTF = re.compile(
    r"%(?:(?P<percent>%)|(?:\[(?P<go_index>\d+)\])?(?:(?P<index>\d+)\$)?"
    r"(?:\((?P<name>\w+)\))?[-+# 0,(<]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?P<verb>[a-zA-Z]))"
)
_BRACE = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


def printf(fmt: str, args: Sequence[Values], kwargs: Mapping[str, Values] | None = None) -> Values:
    """``fmt`` with each verb replaced by the next (or the indexed) argument."""
    pieces: list[Values] = []
    position = 0
    next_arg = 0
    for match in _PRINTF.finditer(fmt):
        pieces.append(text(fmt[position : match.start()]))
        position = match.end()
        if match.group("percent"):
            pieces.append(text("%"))
            continue
        name = match.group("name")
        explicit = match.group("go_index") or match.group("index")
        if name is not None:
            pieces.append(_keyword(kwargs, name))
            continue
        if explicit is not None:
            index = int(explicit) - 1
            next_arg = index + 1
        else:
            index = next_arg
            next_arg += 1
        pieces.append(_positional(args, index))
    pieces.append(text(fmt[position:]))
    return concat(pieces)


def braces(fmt: str, args: Sequence[Values], kwargs: Mapping[str, Values] | None = None) -> Values:
    """``fmt`` with ``{}``, ``{0}``, ``{0,8:x}`` and ``{name}`` fields filled in."""
    pieces: list[Values] = []
    position = 0
    auto = 0
    for match in _BRACE.finditer(fmt):
        pieces.append(text(fmt[position : match.start()]))
        position = match.end()
        token = match.group(0)
        if token in ("{{", "}}"):
            pieces.append(text(token[0]))
            continue
        field = re.split(r"[:!,]", match.group(1), maxsplit=1)[0].strip()
        if field == "":
            pieces.append(_positional(args, auto))
            auto += 1
        elif field.isdigit():
            pieces.append(_positional(args, int(field)))
        elif field.isidentifier():
            pieces.append(_keyword(kwargs, field))
        else:
            pieces.append(hole(f"format field `{{{field}}}` is computed at run time"))
    pieces.append(text(fmt[position:]))
    return concat(pieces)


def _positional(args: Sequence[Values], index: int) -> Values:
    if 0 <= index < len(args):
        return args[index]
    return hole("a format argument is missing or passed at run time")


def _keyword(kwargs: Mapping[str, Values] | None, name: str) -> Values:
    if kwargs is not None and name in kwargs:
        return kwargs[name]
    return hole(f"format argument `{name}` is passed at run time")
