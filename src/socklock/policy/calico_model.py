"""Calico policies (``projectcalico.org/v3``) evaluated over the engine's pod classes.

Enough of Calico's semantics to prove what a Calico set allows, exactly, in the engine's
terms (the same :class:`~socklock.policy.pods.Cluster`, the same
:class:`~socklock.policy.result.Connection` rows):

- NetworkPolicy (namespaced: selects pods of its namespace; rule selectors without a
  ``namespaceSelector`` mean its namespace) and GlobalNetworkPolicy (``namespaceSelector``
  narrows the pods it selects; rule selectors mean every namespace);
- tiers (``Tier`` objects: ``order``, lower first, none = last, ties by name;
  ``defaultAction`` Deny or Pass; the ``default`` tier has order 1,000,000 unless the input
  defines it); a policy belongs to ``spec.tier`` (default ``default``);
- for one endpoint and direction, the tiers with a policy selecting it, in order; in a tier,
  its policies in ``order`` (lower first, none = last; ties by name); in a policy, rules in
  order; the first Allow or Deny decides; a Pass skips the rest of the tier to the next one;
  Log logs and goes on; no rule of the tier decides: the tier's ``defaultAction`` (Deny, or
  Pass to the next tier); past the last tier, the namespace profile, which allows;
- selectors: ``==``, ``!=``, ``in {}``, ``not in {}``, ``has()``, ``!has()``, ``contains``,
  ``starts with``, ``ends with``, ``all()``, ``global()``, ``!``, ``&&``, ``||``, parentheses;
  namespaces carry ``projectcalico.org/name``, pods ``projectcalico.org/namespace``;
- rules: ``action``, ``protocol``/``notProtocol``, ``source``/``destination`` with
  ``selector``, ``notSelector``, ``namespaceSelector``, ``nets``, ``notNets``, ``ports``,
  ``notPorts`` (numbers, ``low:high`` ranges, named ports resolved at the destination pod).

Conventions are the engine's: addresses outside the cluster are ``external:...`` endpoints;
a pod matches ``nets`` only through an IP the input gives it. Fail closed: any other field,
kind, tier or action raises :class:`CalicoErrors`. ``log_as_deny`` reads Log as the deny it
announces (what enforcement would do); ``staged`` evaluates the Staged kinds as if enforced.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from socklock.errors import InputError, InputErrors
from socklock.load.fields import given
from socklock.model import Inventory, K8sObject, Protocol
from socklock.policy.addresses import (
    ALL_ADDRESSES,
    NO_ADDRESSES,
    AddressSet,
    external_addresses,
    external_id,
)
from socklock.policy.api import Direction
from socklock.policy.classset import EMPTY as NO_CLASSES
from socklock.policy.classset import ClassSet
from socklock.policy.engine import address_verdict
from socklock.policy.intervals import EMPTY, IntervalSet
from socklock.policy.pods import Cluster, Endpoint, PodClass, build_cluster
from socklock.policy.result import Connection, Verdict
from socklock.policy.selectors import LabelIndex
from socklock.policy.table import PROTOCOLS, PortRange, Row, iter_rows, port_rows, verdict_of
from socklock.policy.trace import ClassTrace

API_VERSION = "projectcalico.org/v3"
NAMESPACE_NAME = "projectcalico.org/name"
POD_NAMESPACE = "projectcalico.org/namespace"
ORCHESTRATOR = "projectcalico.org/orchestrator"  # "k8s" on every pod Calico manages
ENFORCED = {"NetworkPolicy": False, "GlobalNetworkPolicy": True}
TIER = "Tier"
DEFAULT_TIER = "default"
DEFAULT_TIER_ORDER = 1_000_000.0  # DefaultTierOrder, api/pkg/apis/projectcalico/v3/tier.go
# the tiers Calico's Tier validation pins (name: (order, defaultAction)), same file
FIXED_TIERS = {
    DEFAULT_TIER: (DEFAULT_TIER_ORDER, "Deny"),
    "kube-admin": (1_000.0, "Pass"),
    "kube-baseline": (10_000_000.0, "Pass"),
}
CNP_KIND = "KubernetesClusterNetworkPolicy"  # its key's kind: libcalico-go/lib/backend/model
ICMP = frozenset({"ICMP", "ICMPV6"})  # protocols with no ports: they match no row
STAGED = {"StagedNetworkPolicy": False, "StagedGlobalNetworkPolicy": True}
STAGED_KUBERNETES = "StagedKubernetesNetworkPolicy"
ACTIONS = ("Allow", "Deny", "Log", "Pass")
_SPEC = frozenset(
    {"order", "selector", "namespaceSelector", "types", "ingress", "egress", "tier", "stagedAction"}
)
_RULE = frozenset({"action", "protocol", "notProtocol", "source", "destination", "metadata"})
_ENTITY = frozenset(
    {"selector", "notSelector", "namespaceSelector", "nets", "notNets", "ports", "notPorts"}
)


class CalicoErrors(InputErrors):
    """Policies the Calico model cannot evaluate exactly."""


# -- selectors -------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"\s*(?:(?P<op>&&|\|\||==|!=|!|\(|\)|\{|\}|,)"
    r"|(?P<str>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"
    r"|(?P<word>[A-Za-z0-9_./-]+))"
)

Node = tuple[Any, ...]


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise ValueError(f"cannot read selector {text!r} at {text[position:]!r}")
        out.append(match.group(0).strip())
        position = match.end()
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.index = 0

    def peek(self, offset: int = 0) -> str | None:
        i = self.index + offset
        return self.tokens[i] if i < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise ValueError(f"selector {self.text!r}: expected {expected or 'more'}")
        self.index += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            return ("all",)
        node = self.or_()
        if self.peek() is not None:
            raise ValueError(f"selector {self.text!r}: unexpected {self.peek()!r}")
        return node

    def or_(self) -> Node:
        node = self.and_()
        while self.peek() == "||":
            self.take()
            node = ("or", node, self.and_())
        return node

    def and_(self) -> Node:
        node = self.unary()
        while self.peek() == "&&":
            self.take()
            node = ("and", node, self.unary())
        return node

    def unary(self) -> Node:
        if self.peek() == "!":
            self.take()
            return ("not", self.unary())
        if self.peek() == "(":
            self.take()
            node = self.or_()
            self.take(")")
            return node
        return self.primary()

    def string(self) -> str:
        token = self.take()
        if len(token) < 2 or token[0] not in "'\"" or token[-1] != token[0]:
            raise ValueError(f"selector {self.text!r}: expected a quoted value, not {token!r}")
        return re.sub(r"\\(.)", r"\1", token[1:-1])

    def primary(self) -> Node:
        word = self.take()
        if word in ("all", "global", "has") and self.peek() == "(":
            self.take("(")
            if word == "has":
                key = self.take()
                self.take(")")
                return ("has", key)
            self.take(")")
            return (word,)
        key = word
        token = self.peek()
        if token == "==":
            self.take()
            return ("eq", key, self.string())
        if token == "!=":
            self.take()
            return ("not", ("eq", key, self.string()))
        if token == "in":
            self.take()
            return ("in", key, self.values())
        if token == "not" and self.peek(1) == "in":
            self.take()
            self.take()
            return ("not", ("in", key, self.values()))
        if token == "contains":
            self.take()
            return ("contains", key, self.string())
        if token in ("starts", "ends") and self.peek(1) == "with":
            self.take()
            self.take()
            return ("starts" if token == "starts" else "ends", key, self.string())
        raise ValueError(f"selector {self.text!r}: cannot read after {key!r}")

    def values(self) -> tuple[str, ...]:
        self.take("{")
        out: list[str] = []
        while self.peek() != "}":
            out.append(self.string())
            if self.peek() == ",":
                self.take()
        self.take("}")
        return tuple(out)


def parse_selector(text: str) -> Node:
    return _Parser(text).parse()


class _Index:
    """Label sets numbered 0..n-1; a parsed selector evaluates to a set of members (over the
    Kubernetes engine's inverted index)."""

    def __init__(self, label_sets: Sequence[Mapping[str, str]]) -> None:
        self.sets = label_sets
        self.index = LabelIndex(label_sets)
        self.all = self.index.all
        self.cache: dict[str, ClassSet] = {}

    def select(self, text: str) -> ClassSet:
        found = self.cache.get(text)
        if found is None:
            found = self.evaluate(parse_selector(text))
            self.cache[text] = found
        return found

    def evaluate(self, node: Node) -> ClassSet:
        op = node[0]
        if op == "all":
            return self.all
        if op == "global":
            return NO_CLASSES
        if op == "has":
            return self.index.key(node[1])
        if op == "eq":
            return self.index.pair(node[1], node[2])
        if op == "in":
            out = NO_CLASSES
            for value in node[2]:
                out |= self.index.pair(node[1], value)
            return out
        if op in ("contains", "starts", "ends"):
            hits: list[int] = []
            for index, labels in enumerate(self.sets):
                value = labels.get(node[1])
                if value is None:
                    continue
                hit = (
                    node[2] in value
                    if op == "contains"
                    else value.startswith(node[2])
                    if op == "starts"
                    else value.endswith(node[2])
                )
                if hit:
                    hits.append(index)
            return ClassSet.of(hits)
        if op == "not":
            return self.all - self.evaluate(node[1])
        if op == "and":
            return self.evaluate(node[1]) & self.evaluate(node[2])
        if op == "or":
            return self.evaluate(node[1]) | self.evaluate(node[2])
        raise ValueError(f"unknown selector node {op}")


# -- policies --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ports:
    numeric: IntervalSet
    named: frozenset[str]

    @property
    def empty(self) -> bool:
        return not self.numeric and not self.named


NO_PORTS = Ports(EMPTY, frozenset())


@dataclass(frozen=True, slots=True)
class Entity:
    selector: str | None
    not_selector: str | None
    namespace_selector: str | None
    nets: AddressSet | None
    not_nets: AddressSet | None
    ports: Ports | None
    not_ports: Ports | None

    @property
    def selects_pods(self) -> bool:
        return self.selector is not None or self.namespace_selector is not None


@dataclass(frozen=True, slots=True)
class CalicoRule:
    action: str
    protocol: Protocol | str | None  # None: any; a str: ICMP or ICMPv6 (no row)
    not_protocol: Protocol | str | None
    source: Entity
    destination: Entity
    where: str


@dataclass(frozen=True, slots=True)
class CalicoPolicy:
    name: str
    namespace: str | None  # None: global
    order: float
    selector: str
    namespace_selector: str | None
    types: frozenset[str]
    ingress: tuple[CalicoRule, ...]
    egress: tuple[CalicoRule, ...]
    obj: K8sObject
    tier: str = DEFAULT_TIER
    kubernetes: bool = False  # a Kubernetes NetworkPolicy as Calico converts it (calico_knp)
    cluster: bool = False  # a ClusterNetworkPolicy as Calico converts it (calico_cnp)

    @property
    def sort_key(self) -> tuple[float, str]:
        """Order, then name; a converted ClusterNetworkPolicy's tie name is Calico's
        ``<name>/<namespace>/<kind>`` (``PolKVLess``, ``felix/calc/policy_sorter.go``)."""
        if self.cluster:
            return (self.order, f"{self.name}//{CNP_KIND}")
        return (self.order, self.name)


@dataclass(frozen=True, slots=True)
class CalicoTier:
    """A ``Tier``: where its policies come in the evaluation, and what happens when none of
    its rules decides for an endpoint it applies to."""

    name: str
    order: float  # inf: none given (last)
    default_action: str  # Deny or Pass

    @property
    def sort_key(self) -> tuple[float, str]:
        return (self.order, self.name)


DEFAULT = CalicoTier(DEFAULT_TIER, DEFAULT_TIER_ORDER, "Deny")


def parse_tier(obj: K8sObject) -> CalicoTier:
    """A ``projectcalico.org/v3`` Tier; anything but ``order`` and ``defaultAction`` is refused."""
    spec = obj.body.get("spec") or {}
    if not isinstance(spec, dict):
        _errors(obj, ["spec must be a mapping"])
    problems = [
        f"spec.{key}: not evaluated by socklock's Calico model"
        for key in spec
        if key not in ("order", "defaultAction")
    ]
    action = given(spec, "defaultAction", "Deny")
    if action not in ("Deny", "Pass"):
        problems.append(f"spec.defaultAction: {action!r} (expected Deny, Pass)")
    raw_order = spec.get("order")
    order = float("inf")
    if raw_order is not None:
        try:
            order = float(raw_order)
        except (TypeError, ValueError):
            problems.append(f"spec.order: {raw_order!r} is not a number")
    fixed = FIXED_TIERS.get(obj.name)
    if fixed is not None and not problems and (order, action) != fixed:
        problems.append(
            f"the {obj.name!r} tier must have order {fixed[0]:,.0f} and defaultAction {fixed[1]} "
            "(Calico's Tier validation)"
        )
    _errors(obj, problems)
    return CalicoTier(obj.name, order, str(action))


def _errors(obj: K8sObject, problems: list[str]) -> None:
    if problems:
        raise CalicoErrors(
            [InputError(f"{obj.kind} {obj.name}: {p}", obj.location) for p in problems]
        )


def _ports(raw: Any, problems: list[str], where: str) -> Ports | None:
    if raw is None:
        return None
    if not isinstance(raw, list):
        problems.append(f"{where}: must be a list")
        return None
    ranges: list[tuple[int, int]] = []
    named: set[str] = set()
    for item in raw:
        if isinstance(item, bool):
            problems.append(f"{where}: {item!r} is not a port")
        elif isinstance(item, int):
            ranges.append((item, item))
        elif isinstance(item, str) and re.fullmatch(r"\d+:\d+", item):
            low, high = (int(x) for x in item.split(":"))
            ranges.append((low, high))
        elif isinstance(item, str) and item.isdigit():
            ranges.append((int(item), int(item)))
        elif isinstance(item, str):
            named.add(item)
        else:
            problems.append(f"{where}: {item!r} is not a port")
    return Ports(IntervalSet.of(ranges), frozenset(named))


def _nets(raw: Any, problems: list[str], where: str) -> AddressSet | None:
    if raw is None:
        return None
    out = NO_ADDRESSES
    for item in raw if isinstance(raw, list) else [raw]:
        try:
            out = out | AddressSet.network(ipaddress.ip_network(str(item), strict=False))
        except ValueError:
            problems.append(f"{where}: {item!r} is not a CIDR")
    return out


def _selector_text(raw: Any, problems: list[str], where: str) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str):
        problems.append(f"{where}: a selector is a string")
        return None
    try:
        parse_selector(raw)
    except ValueError as exc:
        problems.append(f"{where}: {exc}")
        return None
    return raw


def _entity(raw: Any, problems: list[str], where: str) -> Entity:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        problems.append(f"{where}: must be a mapping")
        raw = {}
    for key in raw:
        if key not in _ENTITY:
            problems.append(f"{where}.{key}: not evaluated by socklock's Calico model")
    return Entity(
        _selector_text(raw.get("selector"), problems, f"{where}.selector"),
        _selector_text(raw.get("notSelector"), problems, f"{where}.notSelector"),
        _selector_text(raw.get("namespaceSelector"), problems, f"{where}.namespaceSelector"),
        _nets(raw.get("nets"), problems, f"{where}.nets"),
        _nets(raw.get("notNets"), problems, f"{where}.notNets"),
        _ports(raw.get("ports"), problems, f"{where}.ports"),
        _ports(raw.get("notPorts"), problems, f"{where}.notPorts"),
    )


def _protocol(raw: Any, problems: list[str], where: str) -> Protocol | str | None:
    if raw is None:
        return None
    if str(raw).upper() in ICMP:
        return str(raw)
    try:
        return Protocol(str(raw).upper())
    except ValueError:
        problems.append(
            f"{where}: protocol {raw!r} is not evaluated (TCP, UDP, SCTP, ICMP, ICMPv6)"
        )
        return None


def _is_icmp(protocol: Protocol | str | None) -> bool:
    return protocol is not None and not isinstance(protocol, Protocol)


def parse_calico(obj: K8sObject) -> CalicoPolicy:
    problems: list[str] = []
    kinds = {**ENFORCED, **STAGED}
    if obj.api_version != API_VERSION or obj.kind not in kinds:
        _errors(obj, [f"{obj.api_version} {obj.kind} is not a Calico policy"])
    is_global = kinds[obj.kind]
    spec = obj.body.get("spec") or {}
    if not isinstance(spec, dict):
        _errors(obj, ["spec must be a mapping"])
    for key in spec:
        if key not in _SPEC:
            problems.append(f"spec.{key}: not evaluated by socklock's Calico model")
    tier = given(spec, "tier", DEFAULT_TIER)
    if not isinstance(tier, str) or not tier:
        problems.append(f"spec.tier: {tier!r} is not a tier name")
        tier = DEFAULT_TIER
    if obj.kind in STAGED and given(spec, "stagedAction", "Set") != "Set":
        problems.append("spec.stagedAction: only Set is evaluated")
    raw_order = spec.get("order")
    order = float("inf") if raw_order is None else float(raw_order)
    raw_selector = given(spec, "selector", "all()")
    selector = _selector_text(raw_selector, problems, "spec.selector") or "all()"
    namespace_selector = None
    if is_global:
        namespace_selector = _selector_text(
            spec.get("namespaceSelector"), problems, "spec.namespaceSelector"
        )
    elif "namespaceSelector" in spec:
        problems.append("spec.namespaceSelector: only a GlobalNetworkPolicy has one")
    rules: dict[str, list[CalicoRule]] = {"ingress": [], "egress": []}
    for direction in ("ingress", "egress"):
        raw_rules = spec.get(direction) or []
        if not isinstance(raw_rules, list):
            problems.append(f"spec.{direction}: must be a list")
            continue
        for index, raw in enumerate(raw_rules):
            where = f"spec.{direction}[{index}]"
            if not isinstance(raw, dict):
                problems.append(f"{where}: must be a mapping")
                continue
            for key in raw:
                if key not in _RULE:
                    problems.append(f"{where}.{key}: not evaluated by socklock's Calico model")
            action = raw.get("action")
            if action not in ACTIONS:
                problems.append(f"{where}.action: {action!r} (expected {', '.join(ACTIONS)})")
                continue
            rule = CalicoRule(
                str(action),
                _protocol(raw.get("protocol"), problems, where),
                _protocol(raw.get("notProtocol"), problems, where),
                _entity(raw.get("source"), problems, f"{where}.source"),
                _entity(raw.get("destination"), problems, f"{where}.destination"),
                where,
            )
            for key in ("ports", "notPorts"):
                if key in (raw.get("source") or {}):
                    problems.append(f"{where}.source.{key}: a client's port is not evaluated")
            if _is_icmp(rule.protocol) and (
                rule.destination.ports is not None or rule.destination.not_ports is not None
            ):
                problems.append(f"{where}: {rule.protocol} has no ports (Calico refuses ports)")
            rules[direction].append(rule)
    raw_types = spec.get("types")
    if raw_types is None:
        types = set()
        if rules["ingress"] or not rules["egress"]:
            types.add("Ingress")
        if rules["egress"]:
            types.add("Egress")
    else:
        types = {str(t) for t in raw_types}
        if not types <= {"Ingress", "Egress"}:
            problems.append(f"spec.types: {sorted(types)} (expected Ingress and/or Egress)")
    _errors(obj, problems)
    return CalicoPolicy(
        obj.name,
        None if is_global else (obj.namespace or "default"),
        order,
        selector,
        namespace_selector,
        frozenset(types),
        tuple(rules["ingress"]),
        tuple(rules["egress"]),
        obj,
        tier,
    )


# -- evaluation ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A rule with its selections as sets of classes."""

    rank: int  # position in the global (tier, order, name, rule) sequence
    tier: int  # the tier's position (in self.tiers)
    action: str
    rule: CalicoRule
    policy: CalicoPolicy
    subjects: ClassSet  # classes the policy applies to (and the local entity admits)
    peers: ClassSet  # classes on the other side that the rule admits (ports apart)
    addresses: AddressSet  # external addresses on the other side that it admits


class CalicoConnectivity:
    """The answers of the Calico model for one cluster and one set of Calico policies."""

    def __init__(
        self,
        cluster: Cluster,
        policies: Sequence[CalicoPolicy],
        externals: Iterable[str] = (),
        log_as_deny: bool = False,
        tiers: Sequence[CalicoTier] = (),
    ) -> None:
        self.cluster = cluster
        self.log_as_deny = log_as_deny
        known = {DEFAULT_TIER: DEFAULT, **{t.name: t for t in tiers}}
        self.tiers = tuple(sorted(known.values(), key=lambda t: t.sort_key))
        position = {t.name: i for i, t in enumerate(self.tiers)}
        self.policies = tuple(sorted(policies, key=lambda p: (position[p.tier], *p.sort_key)))
        pod_labels = [
            {**c.labels, POD_NAMESPACE: c.namespace, ORCHESTRATOR: "k8s"} for c in cluster.classes
        ]
        self.pods = _Index(pod_labels)
        self.namespace_names = list(cluster.namespaces)
        self.namespaces = _Index(
            [{**cluster.namespace_labels[ns], NAMESPACE_NAME: ns} for ns in self.namespace_names]
        )
        self._all = cluster.all_classes
        self.selected: dict[str, ClassSet] = {"ingress": NO_CLASSES, "egress": NO_CLASSES}
        # per direction and tier: the classes some policy of the tier selects
        self.tier_selects: dict[str, list[ClassSet]] = {
            d: [NO_CLASSES for _ in self.tiers] for d in ("ingress", "egress")
        }
        self.rules: dict[str, list[list[_Compiled]]] = {
            "ingress": [[] for _ in cluster.classes],
            "egress": [[] for _ in cluster.classes],
        }
        self._egress_to: list[list[_Compiled]] = [[] for _ in cluster.classes]
        self._egress_to_all: list[_Compiled] = []
        rank = 0
        names = set(externals)
        self.subjects: list[ClassSet] = []  # per policy (in order)
        for policy in self.policies:
            subjects = self._policy_subjects(policy)
            self.subjects.append(subjects)
            for direction in ("ingress", "egress"):
                if direction.capitalize() not in policy.types:
                    continue
                self.selected[direction] |= subjects
                tier = position[policy.tier]
                self.tier_selects[direction][tier] |= subjects
                for rule in policy.ingress if direction == "ingress" else policy.egress:
                    rank += 1
                    local, remote = (
                        (rule.destination, rule.source)
                        if direction == "ingress"
                        else (rule.source, rule.destination)
                    )
                    compiled = _Compiled(
                        rank,
                        tier,
                        rule.action,
                        rule,
                        policy,
                        subjects & self._entity_classes(local, policy, local_side=True),
                        self._entity_classes(remote, policy, local_side=False),
                        self._entity_addresses(remote),
                    )
                    for c in compiled.subjects:
                        self.rules[direction][c].append(compiled)
                    if direction == "egress":
                        if compiled.peers == self._all:
                            self._egress_to_all.append(compiled)
                        else:
                            for c in compiled.peers:
                                self._egress_to[c].append(compiled)
                    for nets in (remote.nets, remote.not_nets):
                        if nets is not None:
                            names.update(external_id_all(nets))
        if any(names):
            names.add("external:0.0.0.0/0")
        self.externals: tuple[str, ...] = tuple(sorted(names))
        self._external_sets = {n: external_addresses(n) for n in self.externals}

    # -- selections --------------------------------------------------------------------------

    def _namespace_classes(self, text: str) -> ClassSet:
        out = NO_CLASSES
        for index in self.namespaces.select(text):
            out |= self.cluster.namespace_members[self.namespace_names[index]]
        return out

    def _policy_subjects(self, policy: CalicoPolicy) -> ClassSet:
        subjects = self.pods.select(policy.selector)
        if policy.namespace is not None:
            subjects &= self.cluster.namespace_members.get(policy.namespace, NO_CLASSES)
        elif policy.namespace_selector is not None:
            subjects &= self._namespace_classes(policy.namespace_selector)
        return subjects

    def _entity_classes(self, entity: Entity, policy: CalicoPolicy, local_side: bool) -> ClassSet:
        """Classes an entity admits, ports apart (local side: the policy's own pods, which
        its namespaceSelector and nets narrow as they narrow a peer)."""
        out = self._all
        if entity.namespace_selector is not None:
            out &= self._namespace_classes(entity.namespace_selector)
        elif entity.selector is not None and policy.namespace is not None and not local_side:
            out &= self.cluster.namespace_members.get(policy.namespace, NO_CLASSES)
        if entity.nets is not None:
            nets = entity.nets
            out &= ClassSet.of(
                c.index for c in self.cluster.classes if c.addresses and c.addresses.issubset(nets)
            )
        if entity.selector is not None:
            out &= self.pods.select(entity.selector)
        if entity.not_selector is not None:
            out -= self.pods.select(entity.not_selector)
        if entity.not_nets is not None:
            not_nets = entity.not_nets
            out -= ClassSet.of(
                c.index for c in self.cluster.classes if c.addresses and c.addresses & not_nets
            )
        return out & self._all

    def _entity_addresses(self, entity: Entity) -> AddressSet:
        if entity.selects_pods or entity.not_selector is not None:
            return NO_ADDRESSES
        out = entity.nets if entity.nets is not None else ALL_ADDRESSES
        if entity.not_nets is not None:
            out = out - entity.not_nets
        return out

    # -- rule matching -----------------------------------------------------------------------

    def tiers_of(self, direction: str, own: int) -> list[int]:
        """The tiers (positions, in order) with a policy that selects class ``own``."""
        return [i for i, s in enumerate(self.tier_selects[direction]) if own in s]

    @staticmethod
    def _protocol_ok(rule: CalicoRule, protocol: Protocol) -> bool:
        """ICMP rules match no TCP/UDP/SCTP row; ``notProtocol: ICMP`` excludes none."""
        if rule.protocol is not None and rule.protocol is not protocol:
            return False
        return not (rule.not_protocol is not None and rule.not_protocol is protocol)

    @staticmethod
    def _port_in(ports: Ports, destination: PodClass | None, port: int, protocol: Protocol) -> bool:
        if port in ports.numeric:
            return True
        if destination is not None:
            for name in ports.named:
                if destination.named_ports.get(name) == (port, protocol):
                    return True
        return False

    def _ports_ok(
        self, rule: CalicoRule, destination: PodClass | None, port: int, protocol: Protocol
    ) -> bool:
        entity = rule.destination
        if entity.ports is not None and not self._port_in(
            entity.ports, destination, port, protocol
        ):
            return False
        return not (
            entity.not_ports is not None
            and self._port_in(entity.not_ports, destination, port, protocol)
        )

    def _decide(
        self,
        tiers: Sequence[int],
        matches: Iterable[tuple[_Compiled, ClassSet, AddressSet]],
        decided: list[tuple[_Compiled, str, ClassSet, AddressSet]] | None = None,
    ) -> tuple[ClassSet, AddressSet]:
        """Walk the tiers that apply (``tiers``) and their matching rules in order over every
        peer at once: (classes, addresses) allowed. ``decided`` collects (rule, action,
        classes, addresses) for each rule that decided or passed some peers (the trace)."""
        by_tier: dict[int, list[tuple[_Compiled, ClassSet, AddressSet]]] = {}
        for match in matches:
            by_tier.setdefault(match[0].tier, []).append(match)
        undecided, open_addresses = self._all, ALL_ADDRESSES
        allowed, allowed_addresses = NO_CLASSES, NO_ADDRESSES
        for tier in tiers:
            passed, passed_addresses = NO_CLASSES, NO_ADDRESSES
            for compiled, classes, addresses in by_tier.get(tier, ()):
                classes &= undecided
                addresses = addresses & open_addresses
                action = self._action(compiled)
                if action is None:
                    continue
                if action == "Allow":
                    allowed |= classes
                    allowed_addresses = allowed_addresses | addresses
                elif action == "Pass":
                    passed |= classes
                    passed_addresses = passed_addresses | addresses
                if decided is not None and (classes or addresses):
                    decided.append((compiled, action, classes, addresses))
                undecided -= classes
                open_addresses = open_addresses - addresses
            if self.tiers[tier].default_action == "Deny":  # the rest ends here
                undecided, open_addresses = passed, passed_addresses
            else:
                undecided |= passed
                open_addresses = open_addresses | passed_addresses
        # past the last tier: the profile allows
        return allowed | undecided, allowed_addresses | open_addresses

    def _action(self, compiled: _Compiled) -> str | None:
        """The action a matching rule takes; None for Log, which logs and goes on (unless
        ``log_as_deny``: then it denies)."""
        if compiled.action == "Log":
            return "Deny" if self.log_as_deny else None
        return compiled.action

    def _ingress_matches(
        self, target: PodClass, port: int, protocol: Protocol
    ) -> Iterator[tuple[_Compiled, ClassSet, AddressSet]]:
        for compiled in self.rules["ingress"][target.index]:
            if self._protocol_ok(compiled.rule, protocol) and self._ports_ok(
                compiled.rule, target, port, protocol
            ):
                yield compiled, compiled.peers, compiled.addresses

    def _egress_matches(
        self, source: PodClass, port: int, protocol: Protocol
    ) -> Iterator[tuple[_Compiled, ClassSet, AddressSet]]:
        for compiled in self.rules["egress"][source.index]:
            if self._protocol_ok(compiled.rule, protocol) and self._ports_ok(
                compiled.rule, None, port, protocol
            ):
                yield compiled, NO_CLASSES, compiled.addresses

    def ingress(
        self, target: PodClass, port: int, protocol: Protocol
    ) -> tuple[ClassSet, AddressSet]:
        """Classes and addresses whose traffic ``target``'s ingress admits."""
        if target.index not in self.selected["ingress"]:
            return self._all, ALL_ADDRESSES
        tiers = self.tiers_of("ingress", target.index)
        return self._decide(tiers, self._ingress_matches(target, port, protocol))

    def egress_decision(
        self, source: int, target: PodClass, port: int, protocol: Protocol
    ) -> tuple[list[tuple[_Compiled, str]], bool]:
        """Class ``source``'s egress to ``target`` on ``port``: the rules that decided on the
        way (each Pass, then the Allow or Deny), and whether it is allowed (a tier's default
        Deny or the profile's allow decide with no rule)."""
        rules = self.rules["egress"][source]
        path: list[tuple[_Compiled, str]] = []
        for tier in self.tiers_of("egress", source):
            outcome = self.tiers[tier].default_action
            for compiled in rules:
                rule = compiled.rule
                if compiled.tier != tier or target.index not in compiled.peers:
                    continue
                if not self._protocol_ok(rule, protocol) or not self._ports_ok(
                    rule, target, port, protocol
                ):
                    continue
                action = self._action(compiled)
                if action is not None:
                    path.append((compiled, action))
                    outcome = action
                    break
            if outcome in ("Allow", "Deny"):
                return path, outcome == "Allow"
        return path, True

    def egress_allows(self, source: int, target: PodClass, port: int, protocol: Protocol) -> bool:
        """Does class ``source``'s egress admit ``target`` on ``port``?"""
        if source not in self.selected["egress"]:
            return True
        return self.egress_decision(source, target, port, protocol)[1]

    def egress_addresses(self, source: PodClass, port: int, protocol: Protocol) -> AddressSet:
        if source.index not in self.selected["egress"]:
            return ALL_ADDRESSES
        tiers = self.tiers_of("egress", source.index)
        return self._decide(tiers, self._egress_matches(source, port, protocol))[1]

    def class_sources(
        self, target: PodClass, port: int, protocol: Protocol
    ) -> tuple[ClassSet, ClassSet]:
        """Classes whose pods reach ``target``: Calico decides per pod class, never in part,
        so every and some are one set."""
        admitted, _ = self.ingress(target, port, protocol)
        # classes whose egress is open send anywhere; only the others are asked one by one
        asked = admitted & self.selected["egress"]
        allowed = ClassSet.of(c for c in asked if self.egress_allows(c, target, port, protocol))
        found = (admitted - asked) | allowed
        return found, found

    def ingress_addresses(self, target: PodClass, port: int, protocol: Protocol) -> AddressSet:
        return self.ingress(target, port, protocol)[1]

    def outside(self, endpoint: str) -> AddressSet:
        """The addresses an ``external:...`` endpoint stands for."""
        found = self._external_sets.get(endpoint)
        return external_addresses(endpoint) if found is None else found

    def external_verdict(self, name: str, sets: Sequence[AddressSet]) -> Verdict:
        return address_verdict(self.outside(name), sets)

    def verdict(
        self, source: str, target: str, port: int, protocol: Protocol | str = Protocol.TCP
    ) -> Verdict:
        """The table's answer for one port (:func:`socklock.policy.table.verdict_of`)."""
        return verdict_of(self, source, target, port, Protocol(protocol))

    def trace(
        self,
        direction: Direction,
        own: PodClass,
        peers: ClassSet | AddressSet,
        destinations: Sequence[PodClass] | None,
        port: int,
        protocol: Protocol,
    ) -> ClassTrace:
        """Which rules decide (:meth:`socklock.policy.trace.Tracer.trace`)."""
        from socklock.policy.trace_calico import trace

        return trace(self, direction, own, peers, destinations, port, protocol)

    # -- rows --------------------------------------------------------------------------------

    def _classes(self, endpoint: Endpoint) -> list[PodClass]:
        return [self.cluster.classes[i] for i in endpoint.classes]

    def _mentioned(self, target: Endpoint, protocol: Protocol) -> tuple[IntervalSet, set[int]]:
        """(the ports the rules deciding traffic to ``target`` mention, the bounds of each
        rule's ports and notPorts: where an answer may change)."""
        out = EMPTY
        cuts: set[int] = set()
        for c in self._classes(target):
            relevant = [
                *self.rules["ingress"][c.index],
                *self._egress_to_all,
                *self._egress_to[c.index],
            ]
            for compiled in relevant:
                rule = compiled.rule
                if not self._protocol_ok(rule, protocol):
                    continue
                for ports in (rule.destination.ports, rule.destination.not_ports):
                    if ports is None:
                        continue
                    resolved = ports.numeric
                    for name in ports.named:
                        found = c.named_ports.get(name)
                        if found is not None and found[1] is protocol:
                            resolved = resolved | IntervalSet.point(found[0])
                    out = out | resolved
                    cuts |= resolved.cuts()
        return out, cuts

    def rows(self, target: Endpoint) -> list[PortRange]:
        return port_rows(target, {p: self._mentioned(target, p) for p in PROTOCOLS})

    def cuts(self, target: Endpoint, protocol: Protocol) -> set[int]:
        """The ports where an answer about traffic to ``target`` may change."""
        return self._mentioned(target, protocol)[1]

    def connections(self, include_denied: bool = False) -> tuple[Connection, ...]:
        """Every row, as :func:`socklock.policy.table.iter_rows` lists them for any decider."""
        return tuple(Connection(*row) for row in self.iter_rows(include_denied))

    def iter_rows(self, include_denied: bool = False, summary: bool = False) -> Iterator[Row]:
        """:meth:`connections` as plain tuples, one at a time."""
        return iter_rows(self, include_denied, summary)

    def egress_cuts(self, source: PodClass, protocol: Protocol) -> set[int]:
        cuts: set[int] = set()
        for compiled in self.rules["egress"][source.index]:
            for ports in (compiled.rule.destination.ports, compiled.rule.destination.not_ports):
                if ports is not None:
                    cuts |= ports.numeric.cuts()
        return cuts


def external_id_all(nets: AddressSet) -> list[str]:
    return [f"external:{cidr}" for cidr in nets.cidrs()]


def analyse_calico(
    inventory: Inventory,
    policies: Sequence[K8sObject],
    *,
    externals: Iterable[str] = (),
    log_as_deny: bool = False,
    staged: bool = False,
) -> CalicoConnectivity:
    """Connectivity of the inventory's workloads under Calico ``policies``.

    Staged kinds count only with ``staged`` (as if enforced); enforced kinds always count.
    Raises :class:`CalicoErrors` for anything the model cannot evaluate exactly.
    """
    parsed, tiers = parse_objects(policies, staged=staged)
    return CalicoConnectivity(build_cluster(inventory), parsed, externals, log_as_deny, tiers)


def parse_objects(
    policies: Iterable[K8sObject], *, staged: bool = False
) -> tuple[list[CalicoPolicy], list[CalicoTier]]:
    """The policies and tiers of Calico ``policies`` (the Staged kinds only with ``staged``),
    checked as :func:`analyse_calico` needs them (and the lab, which enforces the same objects).

    Raises :class:`CalicoErrors` with every problem: a field or kind the model does not
    evaluate, or a policy in a tier the input does not define.
    """
    parsed: list[CalicoPolicy] = []
    tiers: list[CalicoTier] = []
    problems: list[InputError] = []
    for obj in policies:
        if (obj.kind in STAGED or obj.kind == STAGED_KUBERNETES) and not staged:
            continue  # not enforced
        try:
            if obj.kind == TIER and obj.api_version == API_VERSION:
                tiers.append(parse_tier(obj))
            else:
                parsed.append(parse_calico(obj))
        except CalicoErrors as refused:
            problems.extend(refused.errors)
    names = {DEFAULT_TIER} | {t.name for t in tiers}
    for policy in parsed:
        if policy.tier not in names:
            problems.append(
                InputError(
                    f"{policy.obj.kind} {policy.name}: spec.tier: no Tier {policy.tier!r} "
                    "in the input",
                    policy.obj.location,
                )
            )
    if problems:
        raise CalicoErrors(problems)
    return parsed, tiers


__all__ = [
    "CalicoConnectivity",
    "CalicoErrors",
    "CalicoTier",
    "analyse_calico",
    "external_id",
    "parse_calico",
    "parse_objects",
    "parse_selector",
    "parse_tier",
]
