"""Where a thing came from, and problems found while reading input."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A position in a user's file. ``line`` and ``column`` are 1-based; 0 means unknown."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line and self.column:
            return f"{self.file}:{self.line}:{self.column}"
        if self.line:
            return f"{self.file}:{self.line}"
        return self.file


class DiagnosticLevel(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """A problem with the input; collected so the rest of the input is still processed."""

    location: Location
    message: str
    level: DiagnosticLevel = DiagnosticLevel.ERROR

    def __str__(self) -> str:
        return f"{self.location}: {self.level.value}: {self.message}"
