"""CiliumNetworkPolicies (``cilium.io/v2``) from a plan (``--flavor cilium``), at L3/L4.

- ``<namespace>/_default-deny.yaml``: a CNP selecting every endpoint of the namespace with
  an empty ingress and egress rule (the reference's default-deny form: a rule section that
  selects the endpoint makes it default-deny, an empty rule allows nothing);
- ``<namespace>/<workload>.yaml``: one CNP per workload: ``endpointSelector`` its labels;
  ``ingress`` ``fromEndpoints`` its callers (a caller in another namespace is named with the
  ``k8s:io.kubernetes.pod.namespace`` label, one in the same namespace without it, as a CNP
  scopes peers to its namespace), ``toPorts`` the called ports; an entry point is a rule with
  ``toPorts`` only (every peer, inside and outside the cluster, on those ports);
  ``egress`` ``toEndpoints`` its callees, ``toCIDR`` the external addresses it calls, and
  the cluster DNS on its ports.

L4 only: the DNS rule has no L7 ``rules.dns`` (the decider does not model L7: an L7 rule
would be refused, and would hand name resolution to Cilium's proxy), and a call to an
external *name* is not written as ``toFQDNs`` (it needs that proxy and the DNS answers,
which the proof cannot see): it is left out with its reason, as in every flavour.

Each rule has one L3 field (Cilium refuses some combinations of them in one rule), and a
``toPorts`` entry holds at most 40 ports (the CRD's maxItems; more are split into entries,
which Cilium ORs).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from socklock.policy.cilium_api import API_VERSION, MAX_PORTS, NAMESPACE_KEY
from socklock.policy.emit import OutputFile, rendered
from socklock.policy.emit.kubernetes import MANAGED_BY
from socklock.policy.emit.yamltext import Commented, header_lines
from socklock.policy.generate.intent import EVERY_PORT, Port
from socklock.policy.generate.plan import (
    Allowance,
    Peer,
    PeerKind,
    Plan,
    WorkloadPolicy,
    object_name,
)

KIND = "CiliumNetworkPolicy"
COMMAND = "socklock policy generate --flavor cilium"
NAMESPACE_LABEL = f"k8s:{NAMESPACE_KEY}"
DEFAULT_DENY = "socklock-default-deny"


def endpoint_selector(peer: Peer) -> dict[str, Any]:
    """The ``fromEndpoints``/``toEndpoints`` selector of a peer that names pods."""
    labels: dict[str, str] = {}
    expressions: list[dict[str, Any]] = []
    if peer.namespaces is not None:
        if len(peer.namespaces) == 1:
            labels[NAMESPACE_LABEL] = peer.namespaces[0]
        elif peer.namespaces:
            expressions.append(
                {"key": NAMESPACE_LABEL, "operator": "In", "values": list(peer.namespaces)}
            )
        else:  # any namespace
            expressions.append({"key": NAMESPACE_LABEL, "operator": "Exists"})
    labels.update(peer.pod_labels)
    expressions += [
        {"key": key, "operator": "In", "values": list(values)} for key, values in peer.pod_in
    ]
    out: dict[str, Any] = {}
    if labels:
        out["matchLabels"] = labels
    if expressions:
        out["matchExpressions"] = expressions
    return out


def port_rules(ports: Sequence[Port]) -> list[dict[str, Any]]:
    """``toPorts``: the ports, at most :data:`MAX_PORTS` an entry."""
    listed: list[dict[str, Any]] = []
    for port in ports:
        entry: dict[str, Any] = {}
        if port.number != EVERY_PORT:
            entry["port"] = port.name if port.name is not None else str(port.number)
        entry["protocol"] = port.protocol
        listed.append(entry)
    return [{"ports": listed[i : i + MAX_PORTS]} for i in range(0, len(listed), MAX_PORTS)]


def _family(peer: Peer) -> str:
    if peer.kind is PeerKind.OUTSIDE:
        return "anyone"
    if peer.kind is PeerKind.ADDRESS:
        return "cidr"
    return "endpoints"


def rules(allowances: Sequence[Allowance], ingress: bool) -> list[Any]:
    """One rule per L3 field and distinct port set, each peer with its evidence above it."""
    groups: dict[tuple[str, tuple[Port, ...]], list[Allowance]] = {}
    for allowance in allowances:
        groups.setdefault((_family(allowance.peer), allowance.ports), []).append(allowance)
    prefix = "from" if ingress else "to"
    out: list[Any] = []
    for (family, ports), members in groups.items():
        rule: dict[str, Any] = {}
        comment: tuple[str, ...] = ()
        if family == "anyone":
            comment = tuple(line for a in members for line in a.comment)
            if not ports:
                rule[f"{prefix}Entities"] = ["all"]
        elif family == "cidr":
            rule[f"{prefix}CIDR"] = [
                Commented(a.peer.cidr, a.comment) if a.comment else a.peer.cidr for a in members
            ]
        else:
            rule[f"{prefix}Endpoints"] = [
                Commented(endpoint_selector(a.peer), a.comment)
                if a.comment
                else endpoint_selector(a.peer)
                for a in members
            ]
        if ports:
            rule["toPorts"] = port_rules(ports)
        out.append(Commented(rule, comment) if comment else rule)
    return out


def _metadata(name: str, namespace: str) -> dict[str, Any]:
    return {"name": object_name(name), "namespace": namespace, "labels": dict(MANAGED_BY)}


def workload_policy(policy: WorkloadPolicy) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "endpointSelector": Commented(
            {"matchLabels": dict(policy.selection.labels)},
            (f"{policy.workload} ({policy.selection.source})",),
        )
    }
    if policy.ingress:
        spec["ingress"] = rules(policy.ingress, ingress=True)
    if policy.egress:
        egress = rules(policy.egress, ingress=False)
        spec["egress"] = (
            Commented(egress, policy.egress_comment) if policy.egress_comment else egress
        )
    elif policy.egress_comment:
        spec["egress"] = Commented(
            [Commented({}, ("nothing is allowed: default deny",))], policy.egress_comment
        )
    return {
        "apiVersion": API_VERSION,
        "kind": KIND,
        "metadata": _metadata(f"socklock-{policy.name}", policy.namespace),
        "spec": spec,
    }


def default_deny(namespace: str) -> dict[str, Any]:
    return {
        "apiVersion": API_VERSION,
        "kind": KIND,
        "metadata": _metadata(DEFAULT_DENY, namespace),
        "spec": {
            "endpointSelector": Commented(
                {}, (f"every endpoint of {namespace}: nothing in or out unless a policy allows it",)
            ),
            "ingress": [Commented({}, ("an empty rule: default deny, nothing allowed",))],
            "egress": [Commented({}, ("an empty rule: default deny, nothing allowed",))],
        },
    }


def render(plan: Plan) -> list[OutputFile]:
    """Every file of the set, sorted by path, each read back into K8sObjects."""
    files: list[OutputFile] = []
    for namespace in plan.intent.namespaces:
        files.append(
            rendered(
                [default_deny(namespace)],
                header_lines(f"Default deny for namespace {namespace}.", COMMAND),
                f"{namespace}/_default-deny.yaml",
            )
        )
    for policy in plan.policies:
        if not (policy.ingress or policy.egress or policy.egress_comment):
            continue
        files.append(
            rendered(
                [workload_policy(policy)],
                header_lines(f"Least-privilege policy of {policy.workload}.", COMMAND),
                f"{policy.namespace}/{policy.name}.yaml",
            )
        )
    return sorted(files, key=lambda f: f.path)
