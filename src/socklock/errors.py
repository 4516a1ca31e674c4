"""The one error hierarchy: every error explains itself to a human through ``diagnostics()``.

The CLI prints ``diagnostics()`` and exits 2; ``--verbose`` re-raises for a traceback.
Problems found while reading input are *not* raised: they are collected as
:class:`socklock.model.Diagnostic` values so the rest of the input is still processed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from socklock.model.location import Location


class SocklockError(Exception):
    """Base of every error socklock raises on purpose."""

    def diagnostics(self) -> str:
        """One or more lines that tell a human what went wrong and where."""
        return f"error: {self}"


class UsageError(SocklockError):
    """The command line or the library call asks for something that cannot be done."""


class InputError(SocklockError):
    """Input that cannot be used, with its location."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def diagnostics(self) -> str:
        where = f"{self.location}: " if self.location is not None else ""
        return f"{where}error: {self.message}"


class InputErrors(SocklockError):
    """Several input problems at once (raised by a stage that cannot go on without them fixed)."""

    def __init__(self, errors: list[InputError]) -> None:
        super().__init__(f"{len(errors)} input error(s)")
        self.errors = errors

    def diagnostics(self) -> str:
        return "\n".join(error.diagnostics() for error in self.errors)
