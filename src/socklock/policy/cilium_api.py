"""CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy (``cilium.io/v2``) at L3/L4.

Cilium keeps NetworkPolicies and its own policies in one repository: allows are a union, and
an endpoint is default-deny in a direction once any rule of that direction selects it (the
Cilium reference, "Policy Enforcement Modes" and "Layer 3 Examples"). The allow rules covered
here have the NetworkPolicy engine's shape, so they are lowered to :class:`NetworkPolicy`
values and decided by it with ipBlocks that never select pods (``cni: cilium``):

- ``endpointSelector``: the subjects; a CNP selects in its namespace, a CCNP in every
  namespace its ``k8s:io.kubernetes.pod.namespace`` requirements admit;
- ``fromEndpoints``/``toEndpoints``: a peer selector; the namespace label becomes a
  ``kubernetes.io/metadata.name`` namespace selector, ``io.cilium.k8s.namespace.labels.*``
  namespace labels; without one, a CNP's peers are in its own namespace, a CCNP's anywhere;
- ``fromEntities``/``toEntities``: ``world`` (and ``world-ipv4``/``world-ipv6``) are every
  address outside the cluster, ``cluster`` every pod, ``all`` both; the others (host,
  remote-node, kube-apiserver, ...) name things the input does not describe: refused;
- ``fromCIDR``/``toCIDR``/``fromCIDRSet``/``toCIDRSet`` (``except``): addresses outside the
  cluster (CIDR rules do not select cluster endpoints);
- ``toPorts.ports``: ``port`` (number or name; ``0`` or absent: every port), ``endPort``,
  ``protocol`` (TCP, UDP, SCTP, ANY: the three);
- a rule with no peer field and no ``toPorts`` (``ingress: [{}]``) admits nothing but makes
  the endpoint default-deny; a rule with only ``toPorts`` admits every peer on those ports.

- ``ingressDeny``/``egressDeny``: the same peers and ports, lowered to a deny policy of their
  own that :mod:`.cilium` subtracts from every allow.

Refused (an error at the field, no verdict): ``enableDefaultDeny``, L7 ``toPorts.rules``
(and ``serverNames``, ``originatingTLS``...), ``toFQDNs``, ``toServices``, ``toGroups``,
``fromRequires``/``toRequires``, ``fromNodes``/``toNodes``, ``nodeSelector``, ``icmps``,
``authentication``, ``cidrGroupRef`` and any field not listed above.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from socklock.load.fields import given
from socklock.model import Diagnostic, K8sObject, Location, Protocol, YMap, position_of
from socklock.policy.addresses import Network
from socklock.policy.api import Direction, IPBlock, NetworkPolicy, Peer, PolicyPort, Rule
from socklock.policy.selectors import LabelSelector, Operator

API_VERSION = "cilium.io/v2"
KINDS = frozenset({"CiliumNetworkPolicy", "CiliumClusterwideNetworkPolicy"})
NAMESPACE_KEY = "io.kubernetes.pod.namespace"
NAMESPACE_LABELS = "io.cilium.k8s.namespace.labels."
NAME_LABEL = "kubernetes.io/metadata.name"
MAX_PORTS = 40  # toPorts[].ports maxItems in the CRD

_RULE_FIELDS = frozenset(
    {"endpointSelector", "ingress", "egress", "ingressDeny", "egressDeny", "description", "labels"}
)
_DIRECTION_FIELDS = {
    Direction.INGRESS: frozenset({"fromEndpoints", "fromEntities", "fromCIDR", "fromCIDRSet"}),
    Direction.EGRESS: frozenset({"toEndpoints", "toEntities", "toCIDR", "toCIDRSet"}),
}
_WORLD = {
    "world": ("0.0.0.0/0", "::/0"),
    "world-ipv4": ("0.0.0.0/0",),
    "world-ipv6": ("::/0",),
}
_PROTOCOLS = {
    "TCP": (Protocol.TCP,),
    "UDP": (Protocol.UDP,),
    "SCTP": (Protocol.SCTP,),
    "ANY": (Protocol.TCP, Protocol.UDP, Protocol.SCTP),
}


def is_cilium_object(obj: K8sObject) -> bool:
    return obj.kind in KINDS and obj.api_version == API_VERSION


@dataclass(frozen=True, slots=True)
class Lowered:
    """A Cilium rule as a NetworkPolicy; ``namespaces`` (CCNP only): the namespace selector of
    its subjects, to be expanded over the cluster's namespaces."""

    policy: NetworkPolicy
    deny: NetworkPolicy  # the ingressDeny/egressDeny rules, as rules of a policy
    namespaces: LabelSelector | None


class _Reader:
    def __init__(self, obj: K8sObject) -> None:
        self.obj = obj
        self.errors: list[Diagnostic] = []

    def at(self, node: Any, key: Any = None) -> Location:
        line, column = position_of(node, key)
        if (line, column) == (0, 0):
            return self.obj.location
        return Location(self.obj.location.file, line, column)

    def error(self, node: Any, key: Any, path: str, message: str) -> None:
        self.errors.append(Diagnostic(self.at(node, key), f"{self.obj.ref}: {path}: {message}"))


def _list(reader: _Reader, parent: Any, key: str, path: str) -> list[Any]:
    """The list at ``parent[key]`` ([] when absent or null); an error when it is not a list."""
    value = parent.get(key) if isinstance(parent, dict) else None
    if value is None:
        return []
    if not isinstance(value, list):
        reader.error(parent, key, f"{path}.{key}", "must be a list")
        return []
    return value


def _split(
    reader: _Reader, node: Any, path: str, clusterwide: bool, subject: bool
) -> tuple[LabelSelector | None, LabelSelector | None] | None:
    """(pod selector, namespace selector) of a Cilium endpoint selector; None when invalid."""
    if node is None:
        node = YMap()
    if not isinstance(node, YMap):
        reader.error(node, None, path, "must be a mapping")
        return None
    pods: list[tuple[str, Operator, list[str]]] = []
    spaces: list[tuple[str, Operator, list[str]]] = []
    ok = True
    for key in node:
        if key not in ("matchLabels", "matchExpressions"):
            reader.error(node, key, f"{path}.{key}", "unknown field")
            ok = False
    labels = node.get("matchLabels") or {}
    if not isinstance(labels, dict):
        reader.error(node, "matchLabels", f"{path}.matchLabels", "must be a mapping")
        ok = False
    expressions: list[tuple[Any, Any, list[str], Any, Any]] = []
    if isinstance(labels, dict):
        for k, v in labels.items():
            expressions.append((k, "In", [str(v)], labels, k))
    for i, e in enumerate(_list(reader, node, "matchExpressions", path)):
        if not isinstance(e, YMap) or "key" not in e or "operator" not in e:
            reader.error(
                node, "matchExpressions", f"{path}.matchExpressions[{i}]", "needs key and operator"
            )
            ok = False
            continue
        values = e.get("values") or []
        expressions.append((e["key"], e["operator"], [str(v) for v in values], e, "key"))
    for raw_key, raw_op, values, where, at in expressions:
        key = str(raw_key)
        for prefix in ("k8s:", "any:"):
            if key.startswith(prefix):
                key = key[len(prefix) :]
        try:
            operator = Operator(raw_op)
        except ValueError:
            reader.error(
                where, at, path, f"operator {raw_op!r} is not In, NotIn, Exists or DoesNotExist"
            )
            ok = False
            continue
        if key == NAMESPACE_KEY:
            spaces.append((NAME_LABEL, operator, values))
        elif key.startswith(NAMESPACE_LABELS):
            spaces.append((key[len(NAMESPACE_LABELS) :], operator, values))
        elif ":" in key or key.startswith("io.cilium."):
            reader.error(
                where,
                at,
                path,
                f"label {raw_key!r} names a Cilium-internal identity, which the input does "
                "not describe",
            )
            ok = False
        else:
            pods.append((key, operator, values))
    if not ok:
        return None
    pod_selector = LabelSelector.build(None, pods)
    if spaces:
        if subject and not clusterwide:
            reader.error(
                node,
                None,
                path,
                "a CiliumNetworkPolicy selects in its own namespace; a namespace requirement "
                "here is not modelled",
            )
            return None
        return pod_selector, LabelSelector.build(None, spaces)
    return pod_selector, (LabelSelector() if clusterwide else None)


def _network(reader: _Reader, node: Any, key: Any, path: str, text: Any) -> Network | None:
    try:
        return ipaddress.ip_network(str(text), strict=False)
    except ValueError:
        reader.error(node, key, path, f"{text!r} is not a valid CIDR")
        return None


def _peers(
    reader: _Reader, rule: YMap, direction: Direction, path: str, clusterwide: bool
) -> tuple[Peer, ...] | None:
    prefix = "from" if direction is Direction.INGRESS else "to"
    loc = reader.at(rule)
    out: list[Peer] = []
    for i, sel in enumerate(_list(reader, rule, f"{prefix}Endpoints", path)):
        here = f"{path}.{prefix}Endpoints[{i}]"
        split = _split(reader, sel, here, clusterwide, subject=False)
        if split is not None:
            out.append(Peer(split[0], split[1], None, loc, here))
    for i, entity in enumerate(_list(reader, rule, f"{prefix}Entities", path)):
        here = f"{path}.{prefix}Entities[{i}]"
        name = str(entity)
        cidrs = _WORLD.get(name, ()) + (("0.0.0.0/0", "::/0") if name == "all" else ())
        for cidr in cidrs:
            out.append(Peer(None, None, IPBlock(ipaddress.ip_network(cidr), (), loc), loc, here))
        if name in ("cluster", "all"):
            out.append(Peer(LabelSelector(), LabelSelector(), None, loc, here))
        elif name not in _WORLD:
            reader.error(
                rule[f"{prefix}Entities"],
                i,
                here,
                f"entity {name!r} names endpoints the input does not describe (socklock models "
                "world, world-ipv4, world-ipv6, cluster and all)",
            )
    for i, text in enumerate(_list(reader, rule, f"{prefix}CIDR", path)):
        here = f"{path}.{prefix}CIDR[{i}]"
        network = _network(reader, rule[f"{prefix}CIDR"], i, here, text)
        if network is not None:
            out.append(Peer(None, None, IPBlock(network, (), loc), loc, here))
    for i, item in enumerate(_list(reader, rule, f"{prefix}CIDRSet", path)):
        here = f"{path}.{prefix}CIDRSet[{i}]"
        if not isinstance(item, YMap) or "cidr" not in item:
            reader.error(
                rule[f"{prefix}CIDRSet"], i, here, "needs a cidr (cidrGroupRef is not modelled)"
            )
            continue
        network = _network(reader, item, "cidr", here, item["cidr"])
        holes = [_network(reader, item, "except", here, h) for h in item.get("except") or []]
        if network is not None and all(h is not None for h in holes):
            excepts = tuple(h for h in holes if h is not None)
            out.append(Peer(None, None, IPBlock(network, excepts, reader.at(item)), loc, here))
    return tuple(out)


def _ports(reader: _Reader, rule: YMap, path: str) -> tuple[PolicyPort, ...]:
    out: list[PolicyPort] = []
    for i, entry in enumerate(_list(reader, rule, "toPorts", path)):
        here = f"{path}.toPorts[{i}]"
        if not isinstance(entry, YMap):
            reader.error(rule["toPorts"], i, here, "must be a mapping")
            continue
        for key in entry:
            if key != "ports":
                reader.error(
                    entry,
                    key,
                    f"{here}.{key}",
                    "is out of scope (L7 and TLS rules are not modelled): no verdict is given",
                )
        listed = _list(reader, entry, "ports", here)
        if len(listed) > MAX_PORTS:
            reader.error(
                entry,
                "ports",
                f"{here}.ports",
                f"at most {MAX_PORTS} ports, not {len(listed)} (the CRD's maxItems)",
            )
            continue
        for j, port in enumerate(listed):
            at = f"{here}.ports[{j}]"
            if not isinstance(port, YMap):
                reader.error(entry["ports"], j, at, "must be a mapping")
                continue
            where = reader.at(port)
            raw_protocol = str(given(port, "protocol", "ANY")).upper()
            if raw_protocol not in _PROTOCOLS:
                reader.error(
                    port, "protocol", at, f"protocol {raw_protocol} is not TCP, UDP, SCTP or ANY"
                )
                continue
            raw = port.get("port")
            number: int | str | None
            if raw is None or str(raw) == "0":
                number = None
            elif str(raw).isdigit():
                number = int(str(raw))
            else:
                number = str(raw)
            end = port.get("endPort")
            if isinstance(number, int) and not 0 < number <= 65535:
                reader.error(port, "port", at, f"port {number} is not in 1-65535")
                continue
            if end is not None and (
                not isinstance(end, int)
                or not isinstance(number, int)
                or not number <= end <= 65535
            ):
                reader.error(port, "endPort", at, "endPort must be a port >= port (a number)")
                continue
            for protocol in _PROTOCOLS[raw_protocol]:
                out.append(PolicyPort(protocol, number, int(end) if end else None, where))
    return tuple(out)


def _rules(
    reader: _Reader,
    spec: YMap,
    direction: Direction,
    path: str,
    clusterwide: bool,
    deny: bool = False,
) -> tuple[bool, tuple[Rule, ...]]:
    """(whether the section is written, its rules); ``deny``: the ingressDeny/egressDeny one."""
    key = ("ingress" if direction is Direction.INGRESS else "egress") + ("Deny" if deny else "")
    items = _list(reader, spec, key, path)
    if not items:  # the reference: "If omitted or empty, this rule does not apply"
        return False, ()
    out: list[Rule] = []
    allowed = _DIRECTION_FIELDS[direction] | {"toPorts"}
    for index, rule in enumerate(items):
        here = f"{path}.{key}[{index}]"
        if not isinstance(rule, YMap):
            reader.error(items, index, here, "must be a mapping")
            continue
        for field in rule:
            if field not in allowed:
                reader.error(
                    rule,
                    field,
                    f"{here}.{field}",
                    "is out of scope for socklock's Cilium model: no verdict is given",
                )
        ports = _ports(reader, rule, here)
        if not any(f in rule for f in _DIRECTION_FIELDS[direction]):
            if "toPorts" in rule:  # L4-only: every peer on those ports
                out.append(Rule(direction, index, (), ports, reader.at(rule), here))
            continue  # {}: admits nothing
        peers = _peers(reader, rule, direction, here, clusterwide)
        if peers:
            out.append(Rule(direction, index, peers, ports, reader.at(rule), here))
    return True, tuple(out)


def lower(objects: Iterable[K8sObject]) -> tuple[list[Lowered], list[Diagnostic]]:
    """Every Cilium object as NetworkPolicies (one per rule of ``spec``/``specs``)."""
    lowered: list[Lowered] = []
    errors: list[Diagnostic] = []
    for obj in objects:
        reader = _Reader(obj)
        clusterwide = obj.kind == "CiliumClusterwideNetworkPolicy"
        specs: list[tuple[str, Any]] = []
        if "spec" in obj.body:
            specs.append(("spec", obj.body["spec"]))
        for i, s in enumerate(_list(reader, obj.body, "specs", "")):
            specs.append((f"specs[{i}]", s))
        found: list[Lowered] = []
        for index, (path, spec) in enumerate(specs):
            if not isinstance(spec, YMap):
                reader.error(obj.body, None, path, "must be a mapping")
                continue
            for field in spec:
                if field not in _RULE_FIELDS:
                    reader.error(
                        spec,
                        field,
                        f"{path}.{field}",
                        "is out of scope for socklock's Cilium model: no verdict is given",
                    )
            if "endpointSelector" not in spec:
                reader.error(
                    spec, None, path, "needs an endpointSelector (nodeSelector is not modelled)"
                )
                continue
            split = _split(
                reader,
                spec["endpointSelector"],
                f"{path}.endpointSelector",
                clusterwide,
                subject=True,
            )
            allow = {d: _rules(reader, spec, d, path, clusterwide) for d in Direction}
            deny = {d: _rules(reader, spec, d, path, clusterwide, deny=True) for d in Direction}
            if split is None:
                continue
            # enableDefaultDeny's default: default-deny for each direction that has rules
            types = frozenset(d for d in Direction if allow[d][0] or deny[d][0])
            name = obj.name if len(specs) == 1 else f"{obj.name}#{index}"
            namespace = obj.namespace or "default"
            subjects = split[0] or LabelSelector()
            policy = NetworkPolicy(
                name,
                namespace,
                subjects,
                types,
                allow[Direction.INGRESS][1],
                allow[Direction.EGRESS][1],
                obj,
                reader.at(spec),
            )
            denies = NetworkPolicy(
                name,
                namespace,
                subjects,
                frozenset(d for d in Direction if deny[d][1]),
                deny[Direction.INGRESS][1],
                deny[Direction.EGRESS][1],
                obj,
                reader.at(spec),
            )
            found.append(Lowered(policy, denies, split[1] if clusterwide else None))
        if reader.errors:
            errors.extend(reader.errors)
        else:
            lowered.extend(found)
    return lowered, errors


def expand(
    lowered: Sequence[Lowered], namespaces_of: Callable[[LabelSelector], list[str]]
) -> tuple[list[NetworkPolicy], list[NetworkPolicy]]:
    """(the allow policies in force, the deny policies): a CCNP's once per namespace it
    selects in (``namespaces_of(selector)`` gives their names)."""
    allows: list[NetworkPolicy] = []
    denies: list[NetworkPolicy] = []
    for item in lowered:
        pairs = ((allows, item.policy), (denies, item.deny))
        for out, policy in pairs:
            if item.namespaces is None:
                out.append(policy)
                continue
            for ns in namespaces_of(item.namespaces):
                out.append(replace(policy, namespace=ns, name=f"{policy.name}@{ns}"))
    return allows, [d for d in denies if d.policy_types]
