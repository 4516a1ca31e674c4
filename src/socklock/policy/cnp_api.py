"""Typed, validated ClusterNetworkPolicy objects (``policy.networking.k8s.io/v1alpha2``, the
sig-network network-policy API), lowered to the types of :mod:`.admin_api`, positions kept.

One decider evaluates both API versions (:mod:`.admin`): a ClusterNetworkPolicy is an
:class:`AdminPolicy` of its ``spec.tier`` (Admin: before NetworkPolicy, as an ANP; Baseline:
after it, with a priority, as v1alpha1's single BANP was not), ``Accept`` is ``Allow``
(written as Accept), and the ``protocols`` entries become ports:

- ``tcp``/``udp``/``sctp`` with ``destinationPort.number`` or ``destinationPort.range``
  (start < end, inclusive);
- ``destinationNamedPort``: the destination pod's port of that name, whatever its protocol.

Checked as the CRD's schema would check them (the experimental channel's
``config/crd/experimental/policy.networking.k8s.io_clusternetworkpolicies.yaml``: field
names, enums, the "exactly one of" unions, ``minProperties``, bounds, at most 25 rules, peers,
protocols and networks), and refused with the field's position where the engine would have
to guess: ``nodes`` and ``domainNames`` peers, a CIDR with bits past its prefix,
``destinationNamedPort`` beside ``networks`` (the type's documentation: "You can't use this
in a rule that targets resources without named ports").
"""

from __future__ import annotations

from typing import Any

from socklock.model import Diagnostic, K8sObject, Protocol, YMap, format_path
from socklock.model.document import PathElement
from socklock.policy.admin_api import (
    CNP,
    CNP_API_VERSION,
    PROTOCOLS,
    Action,
    AdminPolicy,
    AdminRule,
    Selection,
    Tier,
    _number,
    _one_of,
    _selection,
    rule_head,
)
from socklock.policy.api import (
    _METADATA_FIELDS,
    _TOP_FIELDS,
    Direction,
    PolicyPort,
    _describe,
    _Reader,
)

API_VERSION = CNP_API_VERSION
MAX_RULES = 25
MAX_PEERS = 25
MAX_PROTOCOLS = 25

_SPEC = frozenset({"tier", "priority", "subject", "ingress", "egress"})
_SUBJECT = frozenset({"namespaces", "pods"})
_PEERS = {
    Direction.INGRESS: frozenset({"namespaces", "pods"}),
    Direction.EGRESS: frozenset({"namespaces", "pods", "nodes", "networks", "domainNames"}),
}
_PROTOCOL = frozenset({"tcp", "udp", "sctp", "destinationNamedPort"})
_L4 = {"tcp": Protocol.TCP, "udp": Protocol.UDP, "sctp": Protocol.SCTP}
_DESTINATION = frozenset({"destinationPort"})
_PORT = frozenset({"number", "range"})
_RANGE = frozenset({"start", "end"})
ACTIONS = {"Accept": Action.ALLOW, "Deny": Action.DENY, "Pass": Action.PASS}


def _port(
    reader: _Reader, item: YMap, field: str, at: tuple[PathElement, ...]
) -> PolicyPort | None:
    """A ``tcp``/``udp``/``sctp`` entry: its destination port or range."""
    here = (*at, field)
    node = reader.mapping(item, field, here)
    if node is None:
        if item[field] is None:
            reader.error(item, field, here, f"{field} must set destinationPort")
        return None
    reader.fields(node, _DESTINATION, here)
    if "destinationPort" not in node:
        if not [k for k in node if k not in _DESTINATION]:
            reader.error(
                item,
                field,
                here,
                f"{field} must set destinationPort (the CRD's minProperties: 1; every port "
                "is the range 1-65535)",
            )
        return None
    where = (*here, "destinationPort")
    port = reader.mapping(node, "destinationPort", where)
    if port is None:
        if node["destinationPort"] is None:
            reader.error(node, "destinationPort", where, "must set number or range")
        return None
    choice = _one_of(reader, port, _PORT, where)
    location = reader.location(item, field)
    if choice == "number":
        number = _number(reader, port, "number", where)
        return None if number is None else PolicyPort(_L4[field], number, None, location)
    if choice != "range":
        return None
    span = reader.mapping(port, "range", (*where, "range"))
    if span is None:
        reader.error(port, "range", (*where, "range"), "range needs start and end")
        return None
    reader.fields(span, _RANGE, (*where, "range"))
    start = _number(reader, span, "start", (*where, "range"))
    end = _number(reader, span, "end", (*where, "range"))
    if start is None or end is None:
        return None
    if not start < end:
        reader.error(
            span, "end", (*where, "range", "end"), f"end {end} must be greater than start {start}"
        )
        return None
    return PolicyPort(_L4[field], start, end, location)


def _protocols(
    reader: _Reader, node: YMap, path: tuple[PathElement, ...]
) -> tuple[list[PolicyPort], bool] | None:
    """The rule's ports (a destinationNamedPort: one entry per protocol, named) and whether
    a named port is used."""
    here = (*path, "protocols")
    raw = node["protocols"]
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_PROTOCOLS:
        reader.error(
            node, "protocols", here, f"must be a list of 1-{MAX_PROTOCOLS} entries (or left out)"
        )
        return None
    out: list[PolicyPort] = []
    named = False
    for index, item in enumerate(raw):
        at = (*here, index)
        if not isinstance(item, YMap):
            reader.error(raw, index, at, f"must be a mapping, not {_describe(item)}")
            continue
        field = _one_of(reader, item, _PROTOCOL, at)
        if field == "destinationNamedPort":
            name = item[field]
            if not isinstance(name, str) or not name:
                reader.error(item, field, (*at, field), "must be a port name")
                continue
            named = True
            location = reader.location(raw, index)
            out.extend(PolicyPort(p, name, None, location) for p in PROTOCOLS)
        elif field is not None:
            port = _port(reader, item, field, at)
            if port is not None:
                out.append(port)
    return out, named


def _rule(
    reader: _Reader, direction: Direction, index: int, node: YMap, path: tuple[PathElement, ...]
) -> AdminRule | None:
    before = len(reader.errors)
    name, action, peers = rule_head(
        reader,
        node,
        path,
        direction=direction,
        ports_field="protocols",
        actions=ACTIONS,
        allowed_peers=_PEERS[direction],
        max_peers=MAX_PEERS,
        any_namespace=True,
    )
    ports: list[PolicyPort] = []
    if "protocols" in node:
        found = _protocols(reader, node, path)
        if found is not None:
            ports, named = found
            if named and any(p.selection is None for p in peers):
                reader.error(
                    node,
                    "protocols",
                    (*path, "protocols"),
                    "networks peers cannot be set with destinationNamedPort (they have no "
                    "named ports)",
                )
    if len(reader.errors) > before or action is None:
        return None
    parent = reader.obj.body["spec"][direction.spec_field]
    return AdminRule(
        direction,
        index,
        name,
        action,
        tuple(peers),
        tuple(ports),
        reader.location(parent, index),
        format_path(path),
        str(node.get("action")) if action is Action.ALLOW else "",
    )


def _enum_tier(reader: _Reader, spec: YMap) -> Tier | None:
    raw = spec.get("tier")
    tier = next((t for t in Tier if t.value == raw), None)
    if tier is None:
        reader.error(
            spec,
            "tier" if "tier" in spec else None,
            ("spec", "tier"),
            f"tier is required: Admin or Baseline, not {_describe(raw)}",
        )
    return tier


def _priority(reader: _Reader, spec: YMap) -> int | None:
    raw = spec.get("priority")
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= 1000:
        reader.error(
            spec,
            "priority" if "priority" in spec else None,
            ("spec", "priority"),
            f"priority is required: a number in 0-1000, not {_describe(raw)}",
        )
        return None
    return raw


def _subject(reader: _Reader, spec: YMap) -> Selection | None:
    raw = spec.get("subject")
    if not isinstance(raw, YMap):
        reader.error(
            spec,
            "subject" if "subject" in spec else None,
            ("spec", "subject"),
            "subject is required: a mapping with namespaces or pods",
        )
        return None
    found = _selection(reader, raw, ("spec", "subject"), _SUBJECT, any_namespace=True)
    return found if isinstance(found, Selection) else None


def _rules(reader: _Reader, spec: YMap, direction: Direction) -> list[AdminRule]:
    key = direction.spec_field
    raw: Any = spec.get(key)
    if isinstance(raw, list) and len(raw) > MAX_RULES:
        reader.error(spec, key, ("spec", key), f"at most {MAX_RULES} rules, not {len(raw)}")
        return []
    out = []
    for index, node in reader.items(spec, key, ("spec", key)) or ():
        rule = _rule(reader, direction, index, node, ("spec", key, index))
        if rule is not None:
            out.append(rule)
    return out


def parse_cluster_policy(obj: K8sObject) -> AdminPolicy | tuple[Diagnostic, ...]:
    """The validated ClusterNetworkPolicy, or every problem found in it."""
    reader = _Reader(obj)
    reader.what = f"{obj.kind} {obj.name}"  # cluster-scoped: no namespace in its name
    body = obj.body
    if obj.kind != CNP or obj.api_version != API_VERSION:
        reader.error(
            body,
            "apiVersion" if "apiVersion" in body else None,
            (),
            f"apiVersion {obj.api_version} {obj.kind} is not evaluated: socklock checks "
            f"{API_VERSION} {CNP} only, and would give a wrong answer with this in force",
        )
        return tuple(reader.errors)
    reader.fields(body, _TOP_FIELDS, ())
    metadata = body.get("metadata")
    if isinstance(metadata, YMap):
        reader.fields(metadata, _METADATA_FIELDS, ("metadata",))
    spec = reader.mapping(body, "spec", ("spec",)) if "spec" in body else None
    if spec is None:
        reader.error(body, None, ("spec",), "spec is required")
        return tuple(reader.errors)
    reader.fields(spec, _SPEC, ("spec",))
    tier = _enum_tier(reader, spec)
    priority = _priority(reader, spec)
    subject = _subject(reader, spec)
    ingress = _rules(reader, spec, Direction.INGRESS)
    egress = _rules(reader, spec, Direction.EGRESS)
    if reader.errors or subject is None or tier is None or priority is None:
        return tuple(reader.errors)
    return AdminPolicy(
        CNP,
        obj.name,
        priority,
        subject,
        tuple(ingress),
        tuple(egress),
        obj,
        obj.location,
        tier,
    )
