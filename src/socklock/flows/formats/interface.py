"""What a flow format plug-in provides: a name, a test of a file's first line, a parser."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from socklock.flows.record import FlowRecord

# One line -> a record, or None for a line that carries none (a header, a reply, no data);
# raises BadLine for a line that is not of the format.
LineParser = Callable[[str], FlowRecord | None]


class FlowFormat(Protocol):
    NAME: str
    DESCRIPTION: str

    def detect(self, line: str) -> bool:
        """Whether ``line`` (the first non-blank line of a file) is of this format."""
        ...

    def parser(self) -> LineParser:
        """A parser for one file (a format with a header keeps its state in it)."""
        ...
