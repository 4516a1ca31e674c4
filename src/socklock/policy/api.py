"""Typed, validated ``networking.k8s.io/v1`` NetworkPolicies, with the position of every part.

This module is the API layer: it checks a raw :class:`K8sObject` the way the API server
would (field names, types, CIDRs, ports, selector operators), applies the server's defaults
(protocol TCP, ``policyTypes``), and keeps the 1-based file position of every rule, peer and
port. It says nothing about connectivity: that is :mod:`socklock.policy.engine`'s job.

Fail closed: anything the engine does not know (an unknown field, an invalid CIDR, port or
operator, a ``null`` list item) is a :class:`Diagnostic` naming ``file:line:column``, and the
policy is not returned, so it can never silently allow or deny.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from socklock.model import (
    Diagnostic,
    K8sObject,
    Location,
    Protocol,
    YMap,
    format_path,
    position_of,
)
from socklock.model.document import PathElement
from socklock.policy.addresses import AddressSet, Network
from socklock.policy.selectors import LabelSelector, Operator
from socklock.policy.unique import parse_unique

API_VERSION = "networking.k8s.io/v1"
# Objects that change connectivity but that this engine does not evaluate: refused, not ignored.
OTHER_POLICY_KINDS = frozenset(
    {
        "GlobalNetworkPolicy",
        "AdminNetworkPolicy",
        "BaselineAdminNetworkPolicy",
        "ClusterNetworkPolicy",
        "CiliumNetworkPolicy",
        "CiliumClusterwideNetworkPolicy",
        "AuthorizationPolicy",
    }
)

_TOP_FIELDS = frozenset({"apiVersion", "kind", "metadata", "spec", "status"})
_METADATA_FIELDS = frozenset(
    {
        "name",
        "namespace",
        "labels",
        "annotations",
        "uid",
        "resourceVersion",
        "generation",
        "creationTimestamp",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
        "managedFields",
        "ownerReferences",
        "finalizers",
        "generateName",
        "selfLink",
    }
)
_SPEC_FIELDS = frozenset({"podSelector", "policyTypes", "ingress", "egress"})
_PEER_FIELDS = frozenset({"podSelector", "namespaceSelector", "ipBlock"})
_IPBLOCK_FIELDS = frozenset({"cidr", "except"})
_PORT_FIELDS = frozenset({"protocol", "port", "endPort"})
_SELECTOR_FIELDS = frozenset({"matchLabels", "matchExpressions"})
_EXPRESSION_FIELDS = frozenset({"key", "operator", "values"})

_LABEL_NAME = re.compile(r"^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")
_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_PORT_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")


class Direction(StrEnum):
    INGRESS = "Ingress"
    EGRESS = "Egress"

    @property
    def peers_field(self) -> str:
        return "from" if self is Direction.INGRESS else "to"

    @property
    def spec_field(self) -> str:
        return "ingress" if self is Direction.INGRESS else "egress"


@dataclass(frozen=True, slots=True)
class IPBlock:
    cidr: Network
    excepts: tuple[Network, ...]
    location: Location

    @property
    def addresses(self) -> AddressSet:
        out = AddressSet.network(self.cidr)
        for hole in self.excepts:
            out = out - AddressSet.network(hole)
        return out

    def __str__(self) -> str:
        if not self.excepts:
            return str(self.cidr)
        return f"{self.cidr} except {', '.join(map(str, self.excepts))}"


@dataclass(frozen=True, slots=True)
class Peer:
    """One ``from``/``to`` entry: selectors (both must match) or an ipBlock."""

    pod_selector: LabelSelector | None
    namespace_selector: LabelSelector | None
    ip_block: IPBlock | None
    location: Location
    path: str  # e.g. spec.ingress[0].from[1]

    def __str__(self) -> str:
        if self.ip_block is not None:
            return f"ipBlock {self.ip_block}"
        parts = []
        if self.namespace_selector is not None:
            parts.append(f"namespaces {self.namespace_selector}")
        if self.pod_selector is not None:
            parts.append(f"pods {self.pod_selector}")
        return " and ".join(parts)


@dataclass(frozen=True, slots=True)
class PolicyPort:
    """A ``ports`` entry with the defaults applied: ``port`` None means every port."""

    protocol: Protocol
    port: int | str | None
    end_port: int | None
    location: Location

    def __str__(self) -> str:
        if self.port is None:
            return f"all/{self.protocol}"
        if self.end_port is not None:
            return f"{self.port}-{self.end_port}/{self.protocol}"
        return f"{self.port}/{self.protocol}"


@dataclass(frozen=True, slots=True)
class Rule:
    """One ingress or egress rule. No peers: everyone; no ports: every port."""

    direction: Direction
    index: int
    peers: tuple[Peer, ...]
    ports: tuple[PolicyPort, ...]
    location: Location
    path: str  # e.g. spec.ingress[0]


@dataclass(frozen=True, slots=True)
class NetworkPolicy:
    name: str
    namespace: str
    pod_selector: LabelSelector
    policy_types: frozenset[Direction]  # after defaulting
    ingress: tuple[Rule, ...]  # as written, including rules ignored by policy_types
    egress: tuple[Rule, ...]
    obj: K8sObject
    location: Location

    @property
    def id(self) -> str:
        return f"{self.namespace}/{self.name}"

    def applies(self, direction: Direction) -> bool:
        return direction in self.policy_types

    def rules(self, direction: Direction) -> tuple[Rule, ...]:
        """The rules that count for ``direction`` (none when policyTypes leaves it out)."""
        if direction not in self.policy_types:
            return ()
        return self.ingress if direction is Direction.INGRESS else self.egress


@dataclass(frozen=True, slots=True)
class ParsedPolicies:
    policies: tuple[NetworkPolicy, ...]
    diagnostics: tuple[Diagnostic, ...]  # errors; a policy with any error is left out

    @property
    def ok(self) -> bool:
        return not self.diagnostics


class _Reader:
    """Validation of one object; every problem is recorded with its position."""

    def __init__(self, obj: K8sObject) -> None:
        self.obj = obj
        self.file = obj.location.file
        self.what = obj.ref
        self.errors: list[Diagnostic] = []

    def location(self, node: Any, key: PathElement | None = None) -> Location:
        line, column = position_of(node, key)
        if (line, column) == (0, 0):
            return self.obj.location
        return Location(self.file, line, column)

    def error(
        self, node: Any, key: PathElement | None, path: tuple[PathElement, ...], message: str
    ) -> None:
        where = f"{format_path(path)}: " if path else ""
        self.errors.append(Diagnostic(self.location(node, key), f"{self.what}: {where}{message}"))

    def fields(self, node: YMap, allowed: frozenset[str], path: tuple[PathElement, ...]) -> None:
        if node.keys() <= allowed:  # the usual case, one set comparison in C
            return
        for key in node:
            if key not in allowed:
                self.error(
                    node,
                    key,
                    (*path, str(key)),
                    f"unknown field (expected one of {', '.join(sorted(allowed))})",
                )

    def mapping(self, parent: Any, key: PathElement, path: tuple[PathElement, ...]) -> YMap | None:
        value = parent[key]
        if value is None:
            return None
        if not isinstance(value, YMap):
            self.error(parent, key, path, f"must be a mapping, not {_describe(value)}")
            return None
        return value

    def items(
        self, parent: YMap, key: str, path: tuple[PathElement, ...]
    ) -> list[tuple[int, YMap]] | None:
        """The mapping items of a list field; None when absent or null."""
        value = parent.get(key)
        if value is None:
            return None
        if not isinstance(value, list):
            self.error(parent, key, path, f"must be a list, not {_describe(value)}")
            return []
        out: list[tuple[int, YMap]] = []
        for index, item in enumerate(value):
            if item is None:
                self.error(
                    value,
                    index,
                    (*path, index),
                    "empty list item (null); write {} if an empty entry is meant",
                )
            elif not isinstance(item, YMap):
                self.error(
                    value, index, (*path, index), f"must be a mapping, not {_describe(item)}"
                )
            else:
                out.append((index, item))
        return out


_TYPES: dict[frozenset[Direction], frozenset[Direction]] = {}


def _types(types: frozenset[Direction]) -> frozenset[Direction]:
    """One shared set per distinct ``policyTypes`` (there are three): a set is about 200
    bytes, and a big cluster or a generated set has one policy per workload."""
    return _TYPES.setdefault(types, types)


@functools.lru_cache(maxsize=4096)
def _where(path: tuple[PathElement, ...]) -> str:
    """:func:`format_path`, remembered: every policy has the same few rule and peer paths."""
    return format_path(path)


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return f"the number {value}"
    return repr(value)


@functools.lru_cache(maxsize=65536)
def _label_key_problem(key: str) -> str | None:
    prefix, slash, name = key.rpartition("/")
    if slash and (not prefix or len(prefix) > 253 or not _DNS_SUBDOMAIN.match(prefix)):
        return f"label key {key!r} has an invalid prefix (a DNS subdomain is required)"
    if not _LABEL_NAME.match(name):
        return (
            f"invalid label key {key!r} (at most 63 letters, digits, '-', '_' or '.', "
            "starting and ending with a letter or digit)"
        )
    return None


@functools.lru_cache(maxsize=65536)
def _label_value_problem(value: str) -> str | None:
    if value and not _LABEL_NAME.match(value):
        return (
            f"invalid label value {value!r} (at most 63 letters, digits, '-', '_' or '.', "
            "starting and ending with a letter or digit)"
        )
    return None


def port_name_problem(name: str) -> str | None:
    """Why ``name`` is not a valid port name (IANA_SVC_NAME), or None."""
    if not 1 <= len(name) <= 15:
        return f"port name {name!r} must be 1-15 characters"
    if not _PORT_NAME.match(name) or "--" in name:
        return (
            f"invalid port name {name!r} (lower-case letters, digits and single '-', "
            "not at either end)"
        )
    if not any(c.isalpha() for c in name):
        return f"port name {name!r} must contain a letter (a number must not be quoted)"
    return None


def _selector(
    reader: _Reader, parent: YMap, key: str, path: tuple[PathElement, ...]
) -> LabelSelector | None:
    """A label selector; null or ``{}`` selects everything (a policy's own podSelector is a
    value, which JSON null leaves empty; a peer's null selectors never get here). None when
    invalid."""
    here = (*path, key)
    node = reader.mapping(parent, key, here)
    if node is None:
        return LabelSelector() if parent[key] is None else None
    before = len(reader.errors)
    reader.fields(node, _SELECTOR_FIELDS, here)
    labels: dict[str, str] = {}
    raw_labels = (
        reader.mapping(node, "matchLabels", (*here, "matchLabels"))
        if ("matchLabels" in node)
        else None
    )
    pairs: list[tuple[Any, Any]] = list((raw_labels or {}).items())
    for label, value in pairs:
        if not isinstance(label, str):
            at = (*here, "matchLabels", str(label))
            reader.error(
                raw_labels, label, at, f"label key must be a string, not {_describe(label)}"
            )
            continue
        if not isinstance(value, str):
            reader.error(
                raw_labels,
                label,
                (*here, "matchLabels", label),
                f"label value must be a string, not {_describe(value)} (quote it)",
            )
            continue
        problem = _label_key_problem(label) or _label_value_problem(value)
        if problem:
            reader.error(raw_labels, label, (*here, "matchLabels", label), problem)
            continue
        labels[label] = value
    expressions: list[tuple[str, Operator, list[str]]] = []
    for index, expression in (
        reader.items(node, "matchExpressions", (*here, "matchExpressions")) or ()
    ):
        at = (*here, "matchExpressions", index)
        parsed = _expression(reader, expression, at)
        if parsed is not None:
            expressions.append(parsed)
    if len(reader.errors) > before:
        return None
    return LabelSelector.build(labels, expressions)


def _expression(
    reader: _Reader, node: YMap, path: tuple[PathElement, ...]
) -> tuple[str, Operator, list[str]] | None:
    reader.fields(node, _EXPRESSION_FIELDS, path)
    key = node.get("key")
    if not isinstance(key, str) or not key:
        reader.error(
            node, "key" if "key" in node else None, (*path, "key"), "a label key is required"
        )
        return None
    problem = _label_key_problem(key)
    if problem:
        reader.error(node, "key", (*path, "key"), problem)
        return None
    raw_operator = node.get("operator")
    try:
        operator = Operator(str(raw_operator)) if isinstance(raw_operator, str) else None
    except ValueError:
        operator = None
    if operator is None:
        reader.error(
            node,
            "operator" if "operator" in node else None,
            (*path, "operator"),
            f"operator must be In, NotIn, Exists or DoesNotExist, not {_describe(raw_operator)}",
        )
        return None
    raw_values = node.get("values")
    values: list[str] = []
    if raw_values is not None:
        if not isinstance(raw_values, list):
            reader.error(
                node, "values", (*path, "values"), f"must be a list, not {_describe(raw_values)}"
            )
            return None
        for index, value in enumerate(raw_values):
            if not isinstance(value, str):
                reader.error(
                    raw_values,
                    index,
                    (*path, "values", index),
                    f"must be a string, not {_describe(value)} (quote it)",
                )
                return None
            problem = _label_value_problem(value)
            if problem:
                reader.error(raw_values, index, (*path, "values", index), problem)
                return None
            values.append(value)
    if operator in (Operator.IN, Operator.NOT_IN) and not values:
        reader.error(
            node,
            "values" if "values" in node else None,
            (*path, "values"),
            f"operator {operator} needs at least one value",
        )
        return None
    if operator in (Operator.EXISTS, Operator.DOES_NOT_EXIST) and values:
        reader.error(node, "values", (*path, "values"), f"operator {operator} takes no values")
        return None
    return key, operator, values


def _network(text: Any) -> Network | str:
    if not isinstance(text, str):
        return f"must be a CIDR string, not {_describe(text)}"
    if "/" not in text:
        return f"{text!r} is not a CIDR (address/prefix length)"
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        return f"{text!r} is not a valid IPv4 or IPv6 CIDR"


def _ip_block(reader: _Reader, parent: YMap, path: tuple[PathElement, ...]) -> IPBlock | None:
    here = (*path, "ipBlock")
    node = reader.mapping(parent, "ipBlock", here)
    if node is None:
        if parent["ipBlock"] is None:
            reader.error(parent, "ipBlock", here, "ipBlock needs a cidr")
        return None
    reader.fields(node, _IPBLOCK_FIELDS, here)
    if "cidr" not in node:
        reader.error(node, None, (*here, "cidr"), "cidr is required")
        return None
    cidr = _network(node["cidr"])
    if isinstance(cidr, str):
        reader.error(node, "cidr", (*here, "cidr"), cidr)
        return None
    excepts: list[Network] = []
    raw = node.get("except")
    if raw is not None and not isinstance(raw, list):
        reader.error(node, "except", (*here, "except"), f"must be a list, not {_describe(raw)}")
        return None
    for index, item in enumerate(raw or ()):
        at = (*here, "except", index)
        hole = _network(item)
        if isinstance(hole, str):
            reader.error(raw, index, at, hole)
            return None
        if hole.version != cidr.version or not hole.subnet_of(cidr) or hole == cidr:  # type: ignore[arg-type]
            reader.error(raw, index, at, f"{item} is not strictly inside cidr {cidr}")
            return None
        excepts.append(hole)
    return IPBlock(cidr, tuple(excepts), reader.location(node))


def _peer(
    reader: _Reader, node: YMap, path: tuple[PathElement, ...], parent: Any, index: int
) -> Peer | None:
    before = len(reader.errors)
    reader.fields(node, _PEER_FIELDS, path)
    if len(reader.errors) > before:
        return None
    # a peer's fields are pointers: null is no selector at all, as absent (not ``{}``)
    present = [
        k for k in ("podSelector", "namespaceSelector", "ipBlock") if node.get(k) is not None
    ]
    if not present:
        reader.error(parent, index, path, "a peer needs podSelector, namespaceSelector or ipBlock")
        return None
    if "ipBlock" in present and len(present) > 1:
        reader.error(
            node,
            "ipBlock",
            path,
            "ipBlock cannot be combined with podSelector or namespaceSelector",
        )
        return None
    location = reader.location(parent, index)
    where = _where(path)
    if "ipBlock" in present:
        block = _ip_block(reader, node, path)
        return None if block is None else Peer(None, None, block, location, where)
    pods = _selector(reader, node, "podSelector", path) if "podSelector" in present else None
    namespaces = (
        _selector(reader, node, "namespaceSelector", path)
        if "namespaceSelector" in present
        else None
    )
    if len(reader.errors) > before:
        return None
    return Peer(pods, namespaces, None, location, where)


def _port(reader: _Reader, node: YMap, path: tuple[PathElement, ...]) -> PolicyPort | None:
    before = len(reader.errors)
    reader.fields(node, _PORT_FIELDS, path)
    raw_protocol = node.get("protocol")
    protocol = Protocol.TCP
    if raw_protocol is not None:
        try:
            protocol = Protocol(raw_protocol)
        except ValueError:
            reader.error(
                node,
                "protocol",
                (*path, "protocol"),
                f"must be TCP, UDP or SCTP, not {_describe(raw_protocol)}",
            )
    port = node.get("port")
    if isinstance(port, bool) or (port is not None and not isinstance(port, int | str)):
        reader.error(
            node, "port", (*path, "port"), f"must be a number or a port name, not {_describe(port)}"
        )
        return None
    if isinstance(port, int) and not 1 <= port <= 65535:
        reader.error(node, "port", (*path, "port"), f"port {port} is not in 1-65535")
    if isinstance(port, str):
        problem = port_name_problem(port)
        if problem:
            reader.error(node, "port", (*path, "port"), problem)
    end_port = node.get("endPort")
    if end_port is not None:
        at = (*path, "endPort")
        if isinstance(end_port, bool) or not isinstance(end_port, int):
            reader.error(node, "endPort", at, f"must be a number, not {_describe(end_port)}")
        elif port is None:
            reader.error(node, "endPort", at, "endPort needs port")
        elif isinstance(port, str):
            reader.error(node, "endPort", at, "endPort needs a numeric port, not a port name")
        elif not port <= end_port <= 65535:
            reader.error(
                node, "endPort", at, f"endPort {end_port} must be in {port}-65535 (port..65535)"
            )
    if len(reader.errors) > before:
        return None
    return PolicyPort(protocol, port, end_port, reader.location(node))


def _rule(
    reader: _Reader, direction: Direction, index: int, node: YMap, path: tuple[PathElement, ...]
) -> Rule | None:
    before = len(reader.errors)
    peers_field = direction.peers_field
    reader.fields(node, frozenset({peers_field, "ports"}), path)
    peers: list[Peer] = []
    for i, item in reader.items(node, peers_field, (*path, peers_field)) or ():
        peer = _peer(reader, item, (*path, peers_field, i), node[peers_field], i)
        if peer is not None:
            peers.append(peer)
    ports: list[PolicyPort] = []
    for i, item in reader.items(node, "ports", (*path, "ports")) or ():
        port = _port(reader, item, (*path, "ports", i))
        if port is not None:
            ports.append(port)
    if len(reader.errors) > before:
        return None
    parent = reader.obj.body["spec"][direction.spec_field]
    return Rule(
        direction,
        index,
        tuple(peers),
        tuple(ports),
        reader.location(parent, index),
        _where(path),
    )


def parse_policy(obj: K8sObject) -> NetworkPolicy | tuple[Diagnostic, ...]:
    """The validated policy, or every problem found in it."""
    reader = _Reader(obj)
    body = obj.body
    if obj.kind != "NetworkPolicy" or obj.api_version != API_VERSION:
        reader.error(
            body,
            "apiVersion" if "apiVersion" in body else None,
            (),
            f"apiVersion {obj.api_version} {obj.kind} is not evaluated: socklock checks "
            f"{API_VERSION} NetworkPolicy only, and would give a wrong answer with this in force",
        )
        return tuple(reader.errors)
    reader.fields(body, _TOP_FIELDS, ())
    metadata = body.get("metadata")
    if isinstance(metadata, YMap):
        reader.fields(metadata, _METADATA_FIELDS, ("metadata",))
    spec: YMap | None = reader.mapping(body, "spec", ("spec",)) if "spec" in body else None
    if spec is None:
        spec = YMap()
    reader.fields(spec, _SPEC_FIELDS, ("spec",))
    pod_selector = (
        _selector(reader, spec, "podSelector", ("spec",))
        if "podSelector" in spec
        else LabelSelector()
    )
    declared_types: list[Direction] = []
    raw_types = spec.get("policyTypes")
    if raw_types is not None and not isinstance(raw_types, list):
        reader.error(
            spec,
            "policyTypes",
            ("spec", "policyTypes"),
            f"must be a list, not {_describe(raw_types)}",
        )
    for index, item in enumerate(raw_types if isinstance(raw_types, list) else ()):
        try:
            declared_types.append(Direction(item))
        except ValueError:
            reader.error(
                raw_types,
                index,
                ("spec", "policyTypes", index),
                f"must be Ingress or Egress, not {_describe(item)}",
            )
    if isinstance(raw_types, list) and len(raw_types) > 2:
        reader.error(
            spec, "policyTypes", ("spec", "policyTypes"), "may not list more than two policyTypes"
        )
    rules: dict[Direction, list[Rule]] = {Direction.INGRESS: [], Direction.EGRESS: []}
    written: dict[Direction, int] = {}
    for direction in Direction:
        key = direction.spec_field
        items = reader.items(spec, key, ("spec", key))
        written[direction] = len(spec[key]) if isinstance(spec.get(key), list) else 0
        for index, node in items or ():
            rule = _rule(reader, direction, index, node, ("spec", key, index))
            if rule is not None:
                rules[direction].append(rule)
    if reader.errors:
        return tuple(reader.errors)
    if declared_types:
        types = _types(frozenset(declared_types))
    else:  # the API server's default
        types = _types(
            frozenset(
                {Direction.INGRESS} | ({Direction.EGRESS} if written[Direction.EGRESS] else set())
            )
        )
    return NetworkPolicy(
        name=obj.name,
        namespace=obj.namespace or "default",
        pod_selector=pod_selector if pod_selector is not None else LabelSelector(),
        policy_types=types,
        ingress=tuple(rules[Direction.INGRESS]),
        egress=tuple(rules[Direction.EGRESS]),
        obj=obj,
        location=obj.location,
    )


CALICO_API_VERSION = "projectcalico.org/v3"
# the projectcalico.org/v3 kinds that decide or change what pods may reach (policies, tiers,
# and kinds the Calico decider refuses); the rest of that API (IPPool, FelixConfiguration,
# BGP...) is left alone
CALICO_KINDS = frozenset(
    {
        "NetworkPolicy",
        "GlobalNetworkPolicy",
        "StagedNetworkPolicy",
        "StagedGlobalNetworkPolicy",
        "StagedKubernetesNetworkPolicy",
        "Tier",
        "NetworkSet",
        "GlobalNetworkSet",
        "HostEndpoint",
        "Profile",
    }
)


def is_calico_policy_object(obj: K8sObject) -> bool:
    """A ``projectcalico.org/v3`` policy, tier, or a kind that would change selections."""
    return obj.api_version == CALICO_API_VERSION and obj.kind in CALICO_KINDS


def is_policy_object(obj: K8sObject) -> bool:
    """An object that restricts connectivity: every NetworkPolicy, the other kinds of
    :data:`OTHER_POLICY_KINDS`, and Calico's tiers and policy kinds."""
    return (
        obj.kind == "NetworkPolicy"
        or obj.kind in OTHER_POLICY_KINDS
        or is_calico_policy_object(obj)
    )


def parse_policies(objects: Iterable[K8sObject]) -> ParsedPolicies:
    """Validate every policy object; the ones with errors are left out and reported."""
    policies, diagnostics = parse_unique(
        objects,
        parse_policy,
        lambda p: (p.namespace, p.name),
        lambda p: f"NetworkPolicy {p.id}",
    )
    return ParsedPolicies(tuple(policies), tuple(sorted(diagnostics)))
