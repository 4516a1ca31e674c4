"""Calico flow logs: the flow log file's JSON records and Goldmane/Whisker flows.

Flow log file (Calico Enterprise/Cloud, one JSON object a line): ``source_ip``, ``dest_ip``
(null or ``-`` when aggregated), ``source_namespace``/``source_name_aggr`` (or
``source_name``), ``dest_*`` alike, ``dest_port``, ``proto``, ``action`` (allow/deny),
``reporter``, ``start_time``/``end_time`` (Unix seconds), ``num_flows``.

Goldmane/Whisker: the same names, flat (Whisker) or under ``key`` (Goldmane), ``protocol``
for ``proto``, ``start_time``/``end_time`` as Unix seconds or RFC 3339,
``num_connections_started``. Names ``pub``/``pvt``/``-`` are not pods.
"""

from __future__ import annotations

from typing import Any

from socklock.flows.formats.interface import LineParser
from socklock.flows.formats.jsonline import epoch, json_object, looks_like_object, rfc3339
from socklock.flows.record import BadLine, FlowRecord, port_number, protocol_name

NAME = "calico"
DESCRIPTION = "Calico flow logs (flow log file JSON, Goldmane/Whisker flows)"
_NOT_PODS = frozenset({"", "-", "pub", "pvt"})


def _fields(value: dict[str, Any]) -> dict[str, Any]:
    key = value.get("key")
    return {**value, **key} if isinstance(key, dict) else value


def detect(line: str) -> bool:
    value = looks_like_object(line)
    if value is None:
        return False
    fields = _fields(value)
    return "dest_port" in fields and ("dest_ip" in fields or "dest_namespace" in fields)


def _address(value: object) -> str | None:
    return value if isinstance(value, str) and value not in _NOT_PODS else None


def _name(fields: dict[str, Any], side: str) -> tuple[str, str] | None:
    namespace = fields.get(f"{side}_namespace")
    name = fields.get(f"{side}_name_aggr")
    if not isinstance(name, str) or name in _NOT_PODS:
        name = fields.get(f"{side}_name")
    if not isinstance(namespace, str) or namespace in _NOT_PODS:
        return None
    if not isinstance(name, str) or name in _NOT_PODS:
        return None
    return namespace, name


def _time(value: object, what: str) -> float | None:
    if isinstance(value, str) and not value.replace(".", "", 1).isdigit():
        return rfc3339(value)
    return epoch(value, what)


def _parse(line: str) -> FlowRecord | None:
    fields = _fields(json_object(line))
    if "dest_port" not in fields:
        raise BadLine("no dest_port: not a Calico flow record")
    proto = fields.get("proto", fields.get("protocol"))
    if not isinstance(proto, str | int):
        raise BadLine("no proto")
    src, dst = _address(fields.get("source_ip")), _address(fields.get("dest_ip"))
    src_name = None if src else _name(fields, "source")
    dst_name = None if dst else _name(fields, "dest")
    if not (src or src_name) or not (dst or dst_name):
        raise BadLine("a side has neither IP nor namespace and name")
    count = fields.get("num_flows", fields.get("num_connections_started", 1))
    action = fields.get("action")
    return FlowRecord(
        src,
        dst,
        src_name,
        dst_name,
        port_number(fields.get("dest_port"), "dest_port"),
        protocol_name(str(proto)),
        action if isinstance(action, str) else None,
        _time(fields.get("start_time"), "start_time"),
        _time(fields.get("end_time"), "end_time"),
        count if isinstance(count, int) and count > 0 else 1,
    )


def parser() -> LineParser:
    return _parse
