"""The lab's log (``socklock`` lab in log mode): one JSON object per line, written by the
lab's nflog reader for every connection a log-mode policy would refuse, e.g.
``{"socklock_lab": 1, "time": "2026-12-05T08:11:17.304872Z", "netns": "socklock-1a2b3c-4",
"prefix": "socklock egress sock-shop/orders pod 0", "src": "10.244.0.9",
"dst": "10.244.0.13", "protocol": "TCP", "sport": 48468, "dport": 8080}``.

``prefix`` says which pod's policies would refuse it and on which side (egress of the
source, ingress of the destination); it is kept as the record's verdict. The addresses are
the lab's: ``socklock audit --addresses`` with the table the lab writes maps them to
workloads. A packet that carries no port (ICMP) has ``sport``/``dport`` null.
"""

from __future__ import annotations

from socklock.flows.formats.interface import LineParser
from socklock.flows.formats.jsonline import json_object, looks_like_object, rfc3339
from socklock.flows.record import BadLine, FlowRecord, port_number, protocol_name

NAME = "lab"
DESCRIPTION = "the socklock lab's log (log mode: what the policies would drop)"
MARK = "socklock_lab"


def detect(line: str) -> bool:
    value = looks_like_object(line)
    return value is not None and MARK in value


def _parse(line: str) -> FlowRecord | None:
    value = json_object(line)
    if value.get(MARK) != 1:
        raise BadLine(f"not a lab log record ({MARK}: 1 is missing)")
    src, dst, protocol = value.get("src"), value.get("dst"), value.get("protocol")
    if type(src) is not str or type(dst) is not str or not src or not dst:
        raise BadLine("src and dst must be addresses")
    if type(protocol) is not str or not protocol:
        raise BadLine("protocol is required")
    prefix = value.get("prefix")
    return FlowRecord(
        src,
        dst,
        None,
        None,
        port_number(value.get("dport"), "dport"),
        protocol_name(protocol),
        prefix if type(prefix) is str and prefix else None,
        rfc3339(value.get("time")),
    )


def parser() -> LineParser:
    return _parse
