"""Kernel ``LOG`` lines: what iptables ``-j LOG``, nftables ``log`` and Calico's Log action
write to the kernel log (syslog, journald, dmesg), e.g.
``... kernel: calico-packet: IN=cali1 OUT=eth0 SRC=10.0.1.5 DST=10.0.2.7 ... PROTO=TCP SPT=43512
DPT=8080 ...``. The log prefix (the text before ``IN=``) is kept as the record's verdict; the
time is taken from a leading RFC 3339 timestamp (journald ``-o short-iso``, rsyslog's
high-precision format) and is unknown for syslog's year-less one.
"""

from __future__ import annotations

import re

from socklock.flows.formats.interface import LineParser
from socklock.flows.formats.jsonline import rfc3339
from socklock.flows.record import BadLine, FlowRecord, protocol_name

NAME = "kernel-log"
DESCRIPTION = "kernel LOG lines (iptables LOG, nftables log, Calico Log action)"


def detect(line: str) -> bool:
    return " SRC=" in line and " DST=" in line and " PROTO=" in line


def _prefix(head: str) -> str | None:
    """The log prefix: what follows ``kernel:`` and the ``[uptime]`` stamp, before ``IN=``."""
    _, found, rest = head.partition("kernel:")
    text = (rest if found else head).strip()
    if text.startswith("["):
        text = text.partition("]")[2].strip()
    return text.rstrip(": ") or None


def _time(line: str) -> float | None:
    first = line.split(" ", 1)[0]
    if len(first) >= 19 and first[4:5] == "-" and first[10:11] == "T":
        try:
            return rfc3339(first)
        except BadLine:
            return None
    return None


_FIELDS = re.compile(
    r" SRC=(?P<src>\S+) DST=(?P<dst>\S+) .*?\bPROTO=(?P<proto>\S+)(?: SPT=\d+ DPT=(?P<dpt>\d+))?"
)


def _parse(line: str) -> FlowRecord | None:
    if " SRC=" not in line:
        return None  # another kernel or syslog message
    start = line.find("IN=")
    if start < 0:
        raise BadLine("no IN= field: not a kernel LOG line")
    found = _FIELDS.search(line, start - 1)
    if found is None:
        raise BadLine("SRC=, DST= and PROTO= are required")
    src, dst, proto, dpt = found.group("src", "dst", "proto", "dpt")
    return FlowRecord(
        src,
        dst,
        None,
        None,
        int(dpt) if dpt is not None else None,
        protocol_name(proto),
        _prefix(line[:start]),
        _time(line),
    )


def parser() -> LineParser:
    return _parse
