"""AWS VPC flow logs: space-separated records, version 2 default format
``version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes
start end action log-status``, with or without that header line; a header of another
field order (a custom format) is followed. ``protocol`` is the IANA number; ``start``/``end``
are Unix seconds; ``action`` ACCEPT or REJECT. Records with ``log-status`` NODATA or
SKIPDATA carry no flow (``-`` fields) and are left out.
"""

from __future__ import annotations

from socklock.flows.formats.interface import LineParser
from socklock.flows.formats.jsonline import epoch
from socklock.flows.record import BadLine, FlowRecord, port_number, protocol_name

NAME = "vpc"
DESCRIPTION = "AWS VPC flow logs (version 2 default format, space separated, header optional)"
DEFAULT_FIELDS = [
    "version",
    "account-id",
    "interface-id",
    "srcaddr",
    "dstaddr",
    "srcport",
    "dstport",
    "protocol",
    "packets",
    "bytes",
    "start",
    "end",
    "action",
    "log-status",
]
_REQUIRED = ("srcaddr", "dstaddr", "dstport", "protocol")


def _is_header(words: list[str]) -> bool:
    return all(w in words for w in _REQUIRED)


def detect(line: str) -> bool:
    words = line.split()
    if _is_header(words):
        return True
    return (
        len(words) == len(DEFAULT_FIELDS)
        and words[0] == "2"
        and words[-1]
        in (
            "OK",
            "NODATA",
            "SKIPDATA",
        )
    )


class _Parser:
    def __init__(self) -> None:
        self.index = {name: i for i, name in enumerate(DEFAULT_FIELDS)}
        self.width = len(DEFAULT_FIELDS)

    def __call__(self, line: str) -> FlowRecord | None:
        words = line.split()
        if _is_header(words):
            self.index = {name: i for i, name in enumerate(words)}
            self.width = len(words)
            return None
        if len(words) != self.width:
            raise BadLine(f"{len(words)} fields, the format has {self.width}")
        index = self.index
        status = index.get("log-status")
        if status is not None and words[status] in ("NODATA", "SKIPDATA"):
            return None
        src, dst = words[index["srcaddr"]], words[index["dstaddr"]]
        if src == "-" or dst == "-":
            raise BadLine("srcaddr or dstaddr is '-'")
        action = index.get("action")
        start, end = index.get("start"), index.get("end")
        return FlowRecord(
            src,
            dst,
            None,
            None,
            port_number(words[index["dstport"]], "dstport"),
            protocol_name(words[index["protocol"]]),
            words[action] if action is not None else None,
            epoch(words[start], "start") if start is not None else None,
            epoch(words[end], "end") if end is not None else None,
        )


def parser() -> LineParser:
    return _Parser()
