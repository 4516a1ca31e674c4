"""Typed, validated AdminNetworkPolicy and BaselineAdminNetworkPolicy objects
(``policy.networking.k8s.io/v1alpha1``, the sig-network network-policy API), positions kept.

Checked the way the CRD's schema would check them (field names, types, enums, the
"exactly one of" unions, bounds), with the CRD's defaults applied (protocol TCP). What the
engine would have to guess is refused with the field's position, never read loosely:

- ``nodes`` and ``domainNames`` egress peers (experimental; node addresses and name
  resolution are not in the model);
- a CIDR with bits set past its prefix length (``10.0.0.1/8``): whether it means the network
  or is an error is not said by the API;
- a BaselineAdminNetworkPolicy not named ``default``, and more than one of them.

``policy.networking.k8s.io/v1alpha2`` ClusterNetworkPolicy objects are read by
:mod:`.cnp_api` into the same types (a tier each: Admin or Baseline);
:func:`parse_admin_policies` reads both and refuses a set that mixes the two API versions.

Semantics (priority, actions, how these compose with NetworkPolicy) are
:mod:`socklock.policy.admin`'s.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from socklock.load.fields import given
from socklock.model import Diagnostic, K8sObject, Location, Protocol, YMap, format_path
from socklock.model.document import PathElement
from socklock.policy.addresses import Network
from socklock.policy.api import (
    _METADATA_FIELDS,
    _TOP_FIELDS,
    Direction,
    PolicyPort,
    _describe,
    _network,
    _Reader,
    _selector,
)
from socklock.policy.selectors import LabelSelector
from socklock.policy.unique import parse_unique

API_VERSION = "policy.networking.k8s.io/v1alpha1"
ANP = "AdminNetworkPolicy"
BANP = "BaselineAdminNetworkPolicy"
KINDS = frozenset({ANP, BANP})
CNP = "ClusterNetworkPolicy"  # read by :mod:`.cnp_api`
CNP_API_VERSION = "policy.networking.k8s.io/v1alpha2"
BASELINE_NAME = "default"
MAX_RULES = 100
MAX_PEERS = 100
MAX_RULE_NAME = 100  # a rule's name, in both API versions
MAX_PORTS = 100
MAX_NETWORKS = 25
PROTOCOLS = (Protocol.TCP, Protocol.UDP, Protocol.SCTP)

_SUBJECT = frozenset({"namespaces", "pods"})
_NAMESPACED_POD = frozenset({"namespaceSelector", "podSelector"})
_INGRESS_PEER = frozenset({"namespaces", "pods"})
_EGRESS_PEER = {ANP: frozenset({"namespaces", "pods", "nodes", "networks", "domainNames"})}
_EGRESS_PEER[BANP] = frozenset({"namespaces", "pods", "nodes", "networks"})
_NOT_EVALUATED = frozenset({"nodes", "domainNames"})
_PORT = frozenset({"portNumber", "namedPort", "portRange"})
_PORT_NUMBER = frozenset({"protocol", "port"})
_PORT_RANGE = frozenset({"protocol", "start", "end"})


class Action(StrEnum):
    ALLOW = "Allow"  # v1alpha2 writes it Accept (AdminRule.verb)
    DENY = "Deny"
    PASS = "Pass"


class Tier(StrEnum):
    """Where a policy is evaluated: before NetworkPolicy (Admin) or after it (Baseline)."""

    ADMIN = "Admin"
    BASELINE = "Baseline"


ACTIONS = {ANP: (Action.ALLOW, Action.DENY, Action.PASS), BANP: (Action.ALLOW, Action.DENY)}


@dataclass(frozen=True, slots=True)
class Selection:
    """Pods in the namespaces ``namespaces`` selects whose labels ``pods`` selects (None:
    every pod of them): a subject, or a ``namespaces``/``pods`` peer."""

    namespaces: LabelSelector
    pods: LabelSelector | None

    def __str__(self) -> str:
        if self.pods is None:
            return f"namespaces {self.namespaces}"
        return f"namespaces {self.namespaces} and pods {self.pods}"


@dataclass(frozen=True, slots=True)
class AdminPeer:
    """One ``from``/``to`` entry: a selection of pods, or ``networks`` (CIDRs)."""

    selection: Selection | None
    networks: tuple[Network, ...]
    location: Location
    path: str

    def __str__(self) -> str:
        if self.selection is not None:
            return str(self.selection)
        return "networks " + ", ".join(str(n) for n in self.networks)


@dataclass(frozen=True, slots=True)
class AdminRule:
    """One rule; ``ports`` empty: every port of every protocol."""

    direction: Direction
    index: int
    name: str
    action: Action
    peers: tuple[AdminPeer, ...]
    ports: tuple[PolicyPort, ...]  # a namedPort is one entry per protocol, named
    location: Location
    path: str
    written: str = ""  # the action as written, where it differs from ``action`` (Accept)

    @property
    def verb(self) -> str:
        """The action in the policy's own words (Allow for v1alpha1, Accept for v1alpha2)."""
        return self.written or self.action.value


@dataclass(frozen=True, slots=True)
class AdminPolicy:
    kind: str  # ANP, BANP or ClusterNetworkPolicy
    name: str
    priority: int | None  # None for the v1alpha1 baseline (a singleton)
    subject: Selection
    ingress: tuple[AdminRule, ...]
    egress: tuple[AdminRule, ...]
    obj: K8sObject
    location: Location
    tier: Tier = Tier.ADMIN

    @property
    def id(self) -> str:
        return f"{self.kind} {self.name}"

    @property
    def baseline(self) -> bool:
        return self.tier is Tier.BASELINE

    @property
    def order(self) -> tuple[int, str]:
        """Evaluation order within the tier: priority (lower first), then name."""
        return (self.priority or 0, self.name)

    def rules(self, direction: Direction) -> tuple[AdminRule, ...]:
        return self.ingress if direction is Direction.INGRESS else self.egress


@dataclass(frozen=True, slots=True)
class ParsedAdminPolicies:
    admin: tuple[AdminPolicy, ...]  # the Admin tier, sorted by priority, then name
    baseline: tuple[AdminPolicy, ...]  # the Baseline tier, likewise (v1alpha1: one BANP)
    diagnostics: tuple[Diagnostic, ...]


def is_admin_object(obj: K8sObject) -> bool:
    """An object of the network-policy API's tiers: ANP, BANP or ClusterNetworkPolicy (of
    any apiVersion: a kind of that name in another API group is refused, not ignored)."""
    return obj.kind in KINDS or obj.kind == CNP


def _one_of(
    reader: _Reader, node: YMap, allowed: frozenset[str], path: tuple[PathElement, ...]
) -> str | None:
    """The one field of a union that is set; an error (and None) for none or several."""
    before = len(reader.errors)
    reader.fields(node, allowed, path)
    present = [k for k in node if k in allowed]
    if len(reader.errors) > before:
        return None
    if len(present) != 1:
        what = "none" if not present else ", ".join(str(k) for k in present)
        reader.error(
            node,
            None,
            path,
            f"exactly one of {', '.join(sorted(allowed))} must be set, not {what}",
        )
        return None
    return str(present[0])


def _required_selector(
    reader: _Reader, node: YMap, key: str, path: tuple[PathElement, ...]
) -> LabelSelector | None:
    if key not in node:
        reader.error(node, None, (*path, key), f"{key} is required")
        return None
    return _selector(reader, node, key, path)


def _selection(
    reader: _Reader,
    node: YMap,
    path: tuple[PathElement, ...],
    allowed: frozenset[str],
    any_namespace: bool = False,
) -> Selection | str | None:
    """A subject or peer: the pods it selects, the name of another set field, or None.
    ``any_namespace``: ``pods.namespaceSelector`` may be left out, meaning every namespace
    (v1alpha2: optional, and an empty selector selects all Namespaces)."""
    field = _one_of(reader, node, allowed, path)
    if field is None:
        return None
    if field == "namespaces":
        selector = _selector(reader, node, "namespaces", path)
        return None if selector is None else Selection(selector, None)
    if field != "pods":
        return field
    here = (*path, "pods")
    pods = reader.mapping(node, "pods", here)
    if pods is None:
        reader.error(node, "pods", here, "pods needs namespaceSelector and podSelector")
        return None
    reader.fields(pods, _NAMESPACED_POD, here)
    if any_namespace and "namespaceSelector" not in pods:
        namespaces: LabelSelector | None = LabelSelector()
    else:
        namespaces = _required_selector(reader, pods, "namespaceSelector", here)
    selector = _required_selector(reader, pods, "podSelector", here)
    if namespaces is None or selector is None:
        return None
    return Selection(namespaces, selector)


def _networks(reader: _Reader, node: YMap, path: tuple[PathElement, ...]) -> list[Network] | None:
    here = (*path, "networks")
    raw = node["networks"]
    if not isinstance(raw, list) or not raw:
        reader.error(node, "networks", here, "must be a list of 1-25 CIDRs")
        return None
    if len(raw) > MAX_NETWORKS:
        reader.error(node, "networks", here, f"at most {MAX_NETWORKS} CIDRs, not {len(raw)}")
        return None
    out: list[Network] = []
    for index, item in enumerate(raw):
        network = _network(item)
        if isinstance(network, str):
            reader.error(raw, index, (*here, index), network)
            return None
        if _host_bits(item):
            reader.error(
                raw,
                index,
                (*here, index),
                f"{item} has bits set past its prefix length: the API does not say whether "
                f"{network} is meant (write the network address)",
            )
            return None
        if network in out:
            reader.error(raw, index, (*here, index), f"{item} is listed twice (a set)")
            return None
        out.append(network)
    return out


def _host_bits(text: str) -> bool:
    """Does the CIDR ``text`` (valid) set bits past its prefix length?"""
    try:
        ipaddress.ip_network(text, strict=True)
    except ValueError:
        return True
    return False


def _peer(
    reader: _Reader,
    allowed: frozenset[str],
    node: YMap,
    path: tuple[PathElement, ...],
    parent: Any,
    index: int,
    any_namespace: bool = False,
) -> AdminPeer | None:
    """One peer of the union ``allowed``; ``nodes`` and ``domainNames`` are refused."""
    found = _selection(reader, node, path, allowed, any_namespace)
    location = reader.location(parent, index)
    where = format_path(path)
    if isinstance(found, Selection):
        return AdminPeer(found, (), location, where)
    if found in _NOT_EVALUATED:
        reader.error(
            node,
            found,
            (*path, str(found)),
            f"{found} peers are not evaluated (experimental; "
            + (
                "node addresses are not in the model"
                if found == "nodes"
                else "name resolution is not modelled"
            )
            + "): the answer would be wrong with this in force",
        )
        return None
    if found == "networks":
        networks = _networks(reader, node, path)
        return None if networks is None else AdminPeer(None, tuple(networks), location, where)
    return None


def _protocol(reader: _Reader, node: YMap, path: tuple[PathElement, ...]) -> Protocol | None:
    raw = node.get("protocol")
    if raw is None:
        return Protocol.TCP  # the CRD's default
    try:
        return Protocol(raw)
    except ValueError:
        reader.error(
            node, "protocol", (*path, "protocol"), f"must be TCP, UDP or SCTP, not {_describe(raw)}"
        )
        return None


def _number(reader: _Reader, node: YMap, key: str, path: tuple[PathElement, ...]) -> int | None:
    value = node.get(key)
    if key not in node:
        reader.error(node, None, (*path, key), f"{key} is required")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        reader.error(node, key, (*path, key), f"must be a number, not {_describe(value)}")
        return None
    if not 1 <= value <= 65535:
        reader.error(node, key, (*path, key), f"port {value} is not in 1-65535")
        return None
    return value


def _ports(
    reader: _Reader, node: YMap, path: tuple[PathElement, ...]
) -> tuple[list[PolicyPort], bool] | None:
    """The rule's ports (namedPort: one entry per protocol) and whether a namedPort is used."""
    here = (*path, "ports")
    raw = node["ports"]
    if not isinstance(raw, list) or not raw or len(raw) > MAX_PORTS:
        reader.error(node, "ports", here, f"must be a list of 1-{MAX_PORTS} ports (or left out)")
        return None
    out: list[PolicyPort] = []
    named = False
    for index, item in enumerate(raw):
        at = (*here, index)
        if not isinstance(item, YMap):
            reader.error(raw, index, at, f"must be a mapping, not {_describe(item)}")
            continue
        field = _one_of(reader, item, _PORT, at)
        location = reader.location(raw, index)
        if field == "namedPort":
            name = item["namedPort"]
            if not isinstance(name, str) or not name:
                reader.error(item, "namedPort", (*at, "namedPort"), "must be a port name")
                continue
            named = True
            out.extend(PolicyPort(p, name, None, location) for p in PROTOCOLS)
            continue
        if field is None:
            continue
        sub = reader.mapping(item, field, (*at, field))
        if sub is None:
            reader.error(item, field, (*at, field), f"{field} must be a mapping")
            continue
        sub_path = (*at, field)
        if field == "portNumber":
            reader.fields(sub, _PORT_NUMBER, sub_path)
            protocol = _protocol(reader, sub, sub_path)
            port = _number(reader, sub, "port", sub_path)
            if protocol is not None and port is not None:
                out.append(PolicyPort(protocol, port, None, location))
        else:
            reader.fields(sub, _PORT_RANGE, sub_path)
            protocol = _protocol(reader, sub, sub_path)
            start = _number(reader, sub, "start", sub_path)
            end = _number(reader, sub, "end", sub_path)
            if start is not None and end is not None and not start < end:
                reader.error(
                    sub, "end", (*sub_path, "end"), f"end {end} must be greater than start {start}"
                )
            elif protocol is not None and start is not None and end is not None:
                out.append(PolicyPort(protocol, start, end, location))
    return out, named


def rule_head(
    reader: _Reader,
    node: YMap,
    path: tuple[PathElement, ...],
    *,
    direction: Direction,
    ports_field: str,
    actions: Mapping[str, Action],
    allowed_peers: frozenset[str],
    max_peers: int,
    any_namespace: bool = False,
) -> tuple[str, Action | None, list[AdminPeer]]:
    """What every rule of the network-policy API holds besides its ports (ANP/BANP
    ``ports``, ClusterNetworkPolicy ``protocols``): its name, action and peers, read and
    checked; errors go to ``reader``."""
    peers_field = direction.peers_field
    reader.fields(node, frozenset({"name", "action", peers_field, ports_field}), path)
    name = given(node, "name", "")
    if not isinstance(name, str) or len(name) > MAX_RULE_NAME:
        reader.error(
            node, "name", (*path, "name"), f"must be a string of at most {MAX_RULE_NAME} characters"
        )
    raw_action = node.get("action")
    action = actions.get(raw_action) if isinstance(raw_action, str) else None
    if action is None:
        reader.error(
            node,
            "action" if "action" in node else None,
            (*path, "action"),
            f"must be {' or '.join(actions)}, not {_describe(raw_action)}",
        )
    peers: list[AdminPeer] = []
    raw_peers = node.get(peers_field)
    if not isinstance(raw_peers, list) or not 1 <= len(raw_peers) <= max_peers:
        reader.error(
            node,
            peers_field if peers_field in node else None,
            (*path, peers_field),
            f"{peers_field} is required: a list of 1-{max_peers} peers",
        )
    else:
        for i, item in reader.items(node, peers_field, (*path, peers_field)) or ():
            where = (*path, peers_field, i)
            peer = _peer(
                reader, allowed_peers, item, where, raw_peers, i, any_namespace=any_namespace
            )
            if peer is not None:
                peers.append(peer)
    return (name if isinstance(name, str) else ""), action, peers


def _rule(
    reader: _Reader,
    kind: str,
    direction: Direction,
    index: int,
    node: YMap,
    path: tuple[PathElement, ...],
) -> AdminRule | None:
    before = len(reader.errors)
    allowed = _INGRESS_PEER if direction is Direction.INGRESS else _EGRESS_PEER[kind]
    name, action, peers = rule_head(
        reader,
        node,
        path,
        direction=direction,
        ports_field="ports",
        actions={a.value: a for a in ACTIONS[kind]},
        allowed_peers=allowed,
        max_peers=MAX_PEERS,
    )
    ports: list[PolicyPort] = []
    if "ports" in node:
        found = _ports(reader, node, path)
        if found is not None:
            ports, named = found
            if named and any(p.selection is None for p in peers):
                reader.error(
                    node,
                    "ports",
                    (*path, "ports"),
                    "networks/nodes peers cannot be set with namedPorts (they have no named ports)",
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
    )


def parse_admin_policy(obj: K8sObject) -> AdminPolicy | tuple[Diagnostic, ...]:
    """The validated ANP or BANP, or every problem found in it."""
    reader = _Reader(obj)
    reader.what = f"{obj.kind} {obj.name}"  # cluster-scoped: no namespace in its name
    body = obj.body
    kind = obj.kind
    if kind not in KINDS or obj.api_version != API_VERSION:
        reader.error(
            body,
            "apiVersion" if "apiVersion" in body else None,
            (),
            f"apiVersion {obj.api_version} {kind} is not evaluated: socklock checks "
            f"{API_VERSION} {ANP} and {BANP} only, and would give a wrong answer with this "
            "in force",
        )
        return tuple(reader.errors)
    reader.fields(body, _TOP_FIELDS, ())
    metadata = body.get("metadata")
    if isinstance(metadata, YMap):
        reader.fields(metadata, _METADATA_FIELDS, ("metadata",))
    if kind == BANP and obj.name != BASELINE_NAME:
        reader.error(
            metadata if isinstance(metadata, YMap) else body,
            "name" if isinstance(metadata, YMap) and "name" in metadata else None,
            ("metadata", "name"),
            f"a {BANP} must be named {BASELINE_NAME!r} (the API admits only that one), "
            f"not {obj.name!r}",
        )
    spec = reader.mapping(body, "spec", ("spec",)) if "spec" in body else None
    if spec is None:
        reader.error(body, None, ("spec",), "spec is required")
        return tuple(reader.errors)
    allowed = {"subject", "ingress", "egress"} | ({"priority"} if kind == ANP else set())
    reader.fields(spec, frozenset(allowed), ("spec",))
    priority: int | None = None
    if kind == ANP:
        raw = spec.get("priority")
        if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= 1000:
            reader.error(
                spec,
                "priority" if "priority" in spec else None,
                ("spec", "priority"),
                f"priority is required: a number in 0-1000, not {_describe(raw)}",
            )
        else:
            priority = raw
    subject: Selection | None = None
    raw_subject = spec.get("subject")
    if not isinstance(raw_subject, YMap):
        reader.error(
            spec,
            "subject" if "subject" in spec else None,
            ("spec", "subject"),
            "subject is required: a mapping with namespaces or pods",
        )
    else:
        found = _selection(reader, raw_subject, ("spec", "subject"), _SUBJECT)
        subject = found if isinstance(found, Selection) else None
    rules: dict[Direction, list[AdminRule]] = {Direction.INGRESS: [], Direction.EGRESS: []}
    for direction in Direction:
        key = direction.spec_field
        raw_rules = spec.get(key)
        if isinstance(raw_rules, list) and len(raw_rules) > MAX_RULES:
            reader.error(
                spec, key, ("spec", key), f"at most {MAX_RULES} rules, not {len(raw_rules)}"
            )
            continue
        for index, node in reader.items(spec, key, ("spec", key)) or ():
            rule = _rule(reader, kind, direction, index, node, ("spec", key, index))
            if rule is not None:
                rules[direction].append(rule)
    if reader.errors or subject is None:
        return tuple(reader.errors)
    return AdminPolicy(
        kind,
        obj.name,
        priority,
        subject,
        tuple(rules[Direction.INGRESS]),
        tuple(rules[Direction.EGRESS]),
        obj,
        obj.location,
        Tier.BASELINE if kind == BANP else Tier.ADMIN,
    )


def parse_admin_policies(objects: Iterable[K8sObject]) -> ParsedAdminPolicies:
    """Validate every ANP, BANP and ClusterNetworkPolicy; the ones with errors are left out
    and reported. A set holding both API versions is refused (:func:`mixed_versions`)."""
    from socklock.policy.cnp_api import parse_cluster_policy  # it reads with this module

    listed = list(objects)

    def parse(obj: K8sObject) -> AdminPolicy | tuple[Diagnostic, ...]:
        return parse_cluster_policy(obj) if obj.kind == CNP else parse_admin_policy(obj)

    parsed, diagnostics = parse_unique(listed, parse, lambda p: (p.kind, p.name), lambda p: p.id)
    diagnostics.extend(mixed_versions(listed))
    admin = sorted((p for p in parsed if not p.baseline), key=lambda p: p.order)
    baseline = sorted((p for p in parsed if p.baseline), key=lambda p: p.order)
    return ParsedAdminPolicies(tuple(admin), tuple(baseline), tuple(sorted(diagnostics)))


def mixed_versions(objects: Sequence[K8sObject]) -> Iterator[Diagnostic]:
    """v1alpha1 (ANP, BANP) beside v1alpha2 (ClusterNetworkPolicy): refused. The reference
    publishes them in different releases (v0.1.x, and v0.2.0 on, where ClusterNetworkPolicy
    "replaces" the two) and orders neither API's tiers against the other's."""
    old = next((o for o in objects if o.kind in KINDS and o.api_version == API_VERSION), None)
    new = next((o for o in objects if o.kind == CNP and o.api_version == CNP_API_VERSION), None)
    if old is not None and new is not None:
        yield Diagnostic(
            new.location,
            f"{CNP} {new.name} ({new.api_version}) is beside {old.kind} {old.name} "
            f"({old.api_version}, {old.location}): the API does not order v1alpha1 "
            f"{ANP}/{BANP} against v1alpha2 {CNP} (v1alpha2 replaces them), so no verdict is "
            "given: migrate every object to one version",
        )
