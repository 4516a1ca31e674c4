"""Cilium Hubble: ``hubble observe -o json`` (one ``{"flow": {...}}`` per line, or bare flows).

A flow gives ``IP.source``/``IP.destination``, ``l4.TCP|UDP|SCTP.destination_port``,
``verdict`` (FORWARDED, DROPPED, AUDIT, ...), ``time`` (RFC 3339) and ``is_reply``; replies
are left out (their destination is the caller) and so are records that are not flows
(``lost_events``, ``node_status``). When a side has no IP, ``source.namespace`` and
``source.pod_name`` name it.
"""

from __future__ import annotations

from typing import Any

from socklock.flows.formats.interface import LineParser
from socklock.flows.formats.jsonline import json_object, looks_like_object, rfc3339
from socklock.flows.record import BadLine, FlowRecord, port_number

NAME = "hubble"
DESCRIPTION = "Cilium Hubble: hubble observe -o json"
_L4 = (("TCP", "TCP"), ("UDP", "UDP"), ("SCTP", "SCTP"), ("ICMPv4", "ICMP"), ("ICMPv6", "ICMPV6"))


def _flow(value: dict[str, Any]) -> dict[str, Any] | None:
    flow = value.get("flow", value)
    return flow if isinstance(flow, dict) and ("IP" in flow or "l4" in flow) else None


def detect(line: str) -> bool:
    value = looks_like_object(line)
    return value is not None and (
        isinstance(value.get("flow"), dict) or ("IP" in value and "verdict" in value)
    )


def _name(endpoint: object) -> tuple[str, str] | None:
    if not isinstance(endpoint, dict):
        return None
    namespace, pod = endpoint.get("namespace"), endpoint.get("pod_name")
    if isinstance(namespace, str) and isinstance(pod, str) and namespace and pod:
        return namespace, pod
    return None


def _parse(line: str) -> FlowRecord | None:
    flow = _flow(json_object(line))
    if flow is None:
        return None  # not a flow: lost events, node status, ...
    if flow.get("is_reply") is True:
        return None
    ip = flow.get("IP") or {}
    l4 = flow.get("l4") or {}
    if not isinstance(ip, dict) or not isinstance(l4, dict):
        raise BadLine("IP and l4 must be objects")
    protocol, dport = "", None
    for key, name in _L4:
        layer = l4.get(key)
        if layer is not None:
            if not isinstance(layer, dict):
                raise BadLine(f"l4.{key} must be an object")
            protocol = name
            port = layer.get("destination_port", layer.get("destinationPort"))
            dport = port if type(port) is int and 0 < port < 65536 else port_number(port, "port")
            break
    if not protocol:
        raise BadLine("l4 names no TCP, UDP, SCTP or ICMP layer")
    src, dst = ip.get("source"), ip.get("destination")
    src_name = None if type(src) is str else _name(flow.get("source"))
    dst_name = None if type(dst) is str else _name(flow.get("destination"))
    if (src_name is None and type(src) is not str) or (dst_name is None and type(dst) is not str):
        raise BadLine("a side has neither IP nor namespace/pod_name")
    verdict = flow.get("verdict")
    return FlowRecord(
        src if src_name is None else None,
        dst if dst_name is None else None,
        src_name,
        dst_name,
        dport,
        protocol,
        verdict if type(verdict) is str else None,
        rfc3339(flow.get("time")),
    )


def parser() -> LineParser:
    return _parse
