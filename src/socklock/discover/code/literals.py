"""Texts that every match of a regex contains: a cheap test before the regex runs.

``re`` tries each alternative of a pattern at each position of the text, and one that
starts with ``\\b`` or a class gets none of its literal-prefix shortcuts: fifty such
constructors searched over a Go monorepo's source cost seconds, when a substring test
(``b"otlptracegrpc.New" in source``) rules out almost every file at once. Derived from the
pattern itself, so it cannot drift from it: a literal run of the pattern, with the small
alternations it passes through spelled out (``otlp(?:trace|metric)grpc`` gives both
words), is text any match holds; zero-width assertions (``\\b``, ``^``) hold none and
break no run. Anything else (a class, an optional part, a case-insensitive group) ends a
run, and a pattern with no run to rely on gives None: search it every time.
"""

from __future__ import annotations

import re
from re import _constants as _sre  # type: ignore[attr-defined]
from re import _parser as _parse  # type: ignore[attr-defined]
from typing import Any

_SPELLED_OUT = 16  # alternatives one run may branch into before it is cut
_Items = list[tuple[Any, Any]]


def required_texts(pattern: bytes) -> frozenset[bytes] | None:
    """Texts one of which every match of the bytes regex ``pattern`` contains; None when
    nothing is sure (a case-insensitive pattern, or one without a literal part it always
    needs)."""
    try:
        parsed = _parse.parse(pattern)
    except re.error:
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    found = _needed(list(parsed.data))
    return frozenset(found) if found else None


def _needed(items: _Items) -> set[bytes] | None:
    """The best (longest shortest text) of the sets of texts a sequence always holds."""
    sets: list[set[bytes]] = []
    run = [b""]

    def close() -> None:
        nonlocal run
        if run != [b""]:
            sets.append(set(run))
        run = [b""]

    for op, value in items:
        if op is _sre.AT:
            continue  # zero-width: the run goes on across it
        exact = _spelled([(op, value)])
        if exact is not None and len(run) * len(exact) <= _SPELLED_OUT:
            run = [head + tail for head in run for tail in exact]
            continue
        close()
        if op is _sre.SUBPATTERN and _case_free(value):
            inner = _needed(list(value[3].data))
        elif op is _sre.BRANCH:
            each = [_needed(list(branch.data)) for branch in value[1]]
            inner = set().union(*each) if all(each) else None  # type: ignore[arg-type]
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and value[0] >= 1:
            inner = _needed(list(value[2].data))
        else:
            inner = None
        if inner:
            sets.append(inner)
    close()
    sets = [texts for texts in sets if b"" not in texts]
    if not sets:
        return None
    return max(sets, key=lambda texts: (min(map(len, texts)), -len(texts)))


def _spelled(items: _Items) -> list[bytes] | None:
    """Every text a sequence of literals and alternations of literals matches, or None."""
    out = [b""]
    for op, value in items:
        if op is _sre.LITERAL:
            tails = [bytes([value])]
        elif op is _sre.IN and all(kind is _sre.LITERAL for kind, _ in value):
            tails = [bytes([byte]) for _, byte in value]  # ``[Ss]``
        elif op is _sre.SUBPATTERN and _case_free(value):
            found = _spelled(list(value[3].data))
            if found is None:
                return None
            tails = found
        elif op is _sre.BRANCH:
            branches = [_spelled(list(branch.data)) for branch in value[1]]
            if any(b is None for b in branches):
                return None
            tails = [text for b in branches for text in b or ()]
        else:
            return None
        if not tails:
            return None
        out = [head + tail for head in out for tail in tails]
        if len(out) > _SPELLED_OUT:
            return None
    return out


def _case_free(group: tuple[Any, Any, Any, Any]) -> bool:
    """A group that neither turns case-insensitive matching on nor off."""
    return not ((group[1] | group[2]) & re.IGNORECASE)
