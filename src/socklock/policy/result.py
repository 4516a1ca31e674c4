"""What the engine answers: verdicts, connections and isolation."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from socklock.errors import InputError, InputErrors
from socklock.model import Diagnostic, Protocol


class Verdict(StrEnum):
    """ALLOWED: every pod (every address) of the source reaches every pod of the target.

    PARTIAL: some but not all of them (a workload whose pods differ, an address range of
    which the policies admit a part). DENIED: none.
    """

    ALLOWED = "allowed"
    PARTIAL = "partial"
    DENIED = "denied"


@dataclass(frozen=True, slots=True, order=True)
class Connection:
    """``source`` to ``target`` on the target's port ``port`` (to ``end_port`` for a range)."""

    source: str
    target: str
    port: int
    protocol: Protocol
    verdict: Verdict
    end_port: int | None = None  # set when the row stands for the range port..end_port

    @property
    def allowed(self) -> bool:
        return self.verdict is Verdict.ALLOWED

    @property
    def key(self) -> tuple[str, str, int, str]:
        return (self.source, self.target, self.port, str(self.protocol))

    def __str__(self) -> str:
        ports = f"{self.port}-{self.end_port}" if self.end_port is not None else str(self.port)
        return f"{self.source} -> {self.target} {ports}/{self.protocol}: {self.verdict}"


class Isolation(NamedTuple):
    """Whether some policy selects the workload (every pod of it) for each direction."""

    ingress: bool
    egress: bool


class PolicyErrors(InputErrors):
    """The policies (or the pods they select) have errors: the engine refuses to answer.

    Answering anyway could make a workload look isolated when it is not, or the reverse.
    """

    def __init__(self, diagnostics: tuple[Diagnostic, ...]) -> None:
        super().__init__([InputError(d.message, d.location) for d in diagnostics])
        self.diagnostic_list = diagnostics
