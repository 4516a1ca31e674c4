"""One observed flow as every format reports it, and the warnings reading may give."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

# IANA protocol numbers the policies speak of (VPC flow logs and some kernel logs give numbers).
PROTOCOL_NUMBERS = {"6": "TCP", "17": "UDP", "132": "SCTP", "1": "ICMP", "58": "ICMPV6"}


class BadLine(ValueError):
    """A line that is not a record of its format: counted and reported, never fatal."""


class FlowRecord(NamedTuple):
    """One record: addresses or (namespace, name) of each side, the destination port, the
    protocol, what the source said of it (``verdict``) and when (seconds since the epoch).

    A tuple, for speed: its first six fields are the key records aggregate under. A name is
    given only for a side without an address (addresses map more surely than names)."""

    src: str | None
    dst: str | None
    src_name: tuple[str, str] | None
    dst_name: tuple[str, str] | None
    dport: int | None
    protocol: str  # TCP, UDP, SCTP, ICMP, ...
    verdict: str | None = None  # as written: FORWARDED, DROPPED, allow, deny, ACCEPT, REJECT
    time: float | None = None
    last_time: float | None = None  # end of an aggregated record's window
    flows: int = 1  # connections an aggregated record stands for


@dataclass(frozen=True, slots=True, order=True)
class LineWarning:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: warning: {self.message}"


def protocol_name(text: str) -> str:
    """``tcp``, ``6`` -> ``TCP``."""
    upper = text.upper()
    return PROTOCOL_NUMBERS.get(upper, upper)


def port_number(value: object, what: str) -> int | None:
    """A port from JSON or text; 0 or missing means none (ICMP)."""
    if value is None or value == "-" or value == "":
        return None
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise BadLine(f"{what} {value!r} is not a port number") from None
    if not 0 <= number <= 65535:
        raise BadLine(f"{what} {number} is not in 0-65535")
    return number or None
