"""The command lines of a shell script as the shell reads them: a line ending in ``\\``
goes on on the next one. Deploy scripts, entry points and ``docker run`` scripts are all
read line by line, with the number of the line each command starts on for evidence."""

from __future__ import annotations

from collections.abc import Iterator


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(first line number, stripped text) of each command line, ``\\`` continuations joined."""
    start, parts = 0, list[str]()
    for number, raw in enumerate(text.splitlines(), start=1):
        if not parts:
            start = number
        line = raw.strip()
        if line.endswith("\\"):
            parts.append(line[:-1])
            continue
        parts.append(line)
        yield start, " ".join(p.strip() for p in parts)
        parts = []
    if parts:
        yield start, " ".join(p.strip() for p in parts)
