"""The kernel against the engine, row by row.

The engine is asked :meth:`Connectivity.verdict` for exactly the rows the lab probed
(same inventory, same policies); a row where the two differ is a :class:`RowResult` with both
verdicts and the attempts behind the kernel's, so the disagreement can be judged against the
API reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol as TypingProtocol

from socklock.model import Protocol
from socklock.policy.result import Verdict

from .probe import Observed, ObservedRow, SkippedRow


class Answers(TypingProtocol):
    """What the lab asks of a decider (the engine's Connectivity, the Calico decider, ...)."""

    def verdict(
        self, source: str, target: str, port: int, protocol: Protocol | str = Protocol.TCP
    ) -> Verdict: ...


@dataclass(frozen=True, slots=True)
class RowResult:
    source: str
    target: str
    port: int
    protocol: Protocol
    engine: Verdict
    kernel: Verdict
    detail: str  # the kernel's verdict per address family, e.g. "IPv4 allowed, IPv6 denied"
    denied_attempts: tuple[str, ...] = ()  # for a disagreement: which pod pairs were denied

    @property
    def agrees(self) -> bool:
        return self.engine is self.kernel

    def __str__(self) -> str:
        return (
            f"{self.source} -> {self.target} {self.port}/{self.protocol}: "
            f"engine {self.engine}, kernel {self.kernel} ({self.detail})"
        )


@dataclass(frozen=True, slots=True)
class Comparison:
    rows: tuple[RowResult, ...]
    skipped: tuple[SkippedRow, ...]
    attempts: int
    probe_seconds: float

    @property
    def differences(self) -> tuple[RowResult, ...]:
        return tuple(r for r in self.rows if not r.agrees)

    @property
    def ok(self) -> bool:
        return not self.differences

    def summary(self) -> str:
        return (
            f"{len(self.rows)} rows ({self.attempts} connections in {self.probe_seconds:.2f}s): "
            f"{len(self.rows) - len(self.differences)} agree, {len(self.differences)} differ, "
            f"{len(self.skipped)} skipped"
        )


def _row(observed: ObservedRow, engine: Verdict) -> RowResult:
    denied: tuple[str, ...] = ()
    if engine is not observed.verdict:
        denied = tuple(str(o) for o in observed.observations)
    return RowResult(
        observed.source,
        observed.target,
        observed.port,
        observed.protocol,
        engine,
        observed.verdict,
        observed.detail(),
        denied,
    )


def compare(observed: Observed, connectivity: Answers) -> Comparison:
    """Each observed row next to the engine's verdict for it."""
    rows: Sequence[RowResult] = [
        _row(row, connectivity.verdict(row.source, row.target, row.port, row.protocol))
        for row in observed.rows
    ]
    return Comparison(tuple(rows), observed.skipped, observed.attempts, observed.seconds)
