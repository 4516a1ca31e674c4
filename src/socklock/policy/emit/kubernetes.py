"""``networking.k8s.io/v1`` NetworkPolicies from a plan.

Files: ``<namespace>/_default-deny.yaml`` (every pod of the namespace, both directions) and
``<namespace>/<workload>.yaml`` with the workload's ingress policy (its callers, on the
called ports; its entry point) and egress policy (its callees, external addresses, DNS).
Every allowed peer has a comment above it naming the evidence (file:line).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from socklock.policy.emit import OutputFile, rendered
from socklock.policy.emit.yamltext import Commented, header_lines
from socklock.policy.generate.intent import EVERY_PORT, Port
from socklock.policy.generate.plan import (
    NAMESPACE_LABEL,
    Allowance,
    Peer,
    PeerKind,
    Plan,
    WorkloadPolicy,
    object_name,
)

API_VERSION = "networking.k8s.io/v1"
MANAGED_BY = {"app.kubernetes.io/managed-by": "socklock"}
DEFAULT_DENY = "socklock-default-deny"
COMMAND = "socklock policy generate --flavor kubernetes"


def policy_name(workload_name: str, direction: str) -> str:
    return object_name(f"socklock-{workload_name}-{direction}")


def namespace_selector(namespaces: Sequence[str]) -> dict[str, Any]:
    if not namespaces:
        return {}
    if len(namespaces) == 1:
        return {"matchLabels": {NAMESPACE_LABEL: namespaces[0]}}
    return {
        "matchExpressions": [{"key": NAMESPACE_LABEL, "operator": "In", "values": list(namespaces)}]
    }


def pod_selector(peer: Peer) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if peer.pod_labels:
        out["matchLabels"] = dict(peer.pod_labels)
    if peer.pod_in:
        out["matchExpressions"] = [
            {"key": key, "operator": "In", "values": list(values)} for key, values in peer.pod_in
        ]
    return out


def peer_document(peer: Peer) -> dict[str, Any] | None:
    """The ``from``/``to`` entry of a peer; None for "anyone" (a rule without peers)."""
    if peer.kind is PeerKind.OUTSIDE:
        return None
    if peer.kind is PeerKind.ADDRESS:
        return {"ipBlock": {"cidr": peer.cidr}}
    out: dict[str, Any] = {}
    if peer.namespaces is not None:
        out["namespaceSelector"] = namespace_selector(peer.namespaces)
    if peer.kind is not PeerKind.NAMESPACE:
        out["podSelector"] = pod_selector(peer)
    return out


def ports_document(ports: Sequence[Port]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for p in ports:
        if p.number == EVERY_PORT:
            out.append({"protocol": p.protocol})
        else:
            out.append({"port": p.name if p.name is not None else p.number, "protocol": p.protocol})
    return out


def rules(allowances: Sequence[Allowance], peers_key: str) -> list[Any]:
    """One rule per distinct port set (anyone-rules apart); one commented peer each."""
    groups: dict[tuple[bool, tuple[Port, ...]], list[Allowance]] = {}
    for allowance in allowances:
        key = (allowance.peer.kind is PeerKind.OUTSIDE, allowance.ports)
        groups.setdefault(key, []).append(allowance)
    out: list[Any] = []
    for (anyone, ports), members in groups.items():
        rule: dict[str, Any] = {}
        comment: tuple[str, ...] = ()
        if anyone:
            comment = tuple(line for a in members for line in a.comment)
        else:
            rule[peers_key] = [
                Commented(peer_document(a.peer), a.comment) if a.comment else peer_document(a.peer)
                for a in members
            ]
        if ports:
            rule["ports"] = ports_document(ports)
        out.append(Commented(rule, comment) if comment else rule)
    return out


def _metadata(name: str, namespace: str) -> dict[str, Any]:
    return {"name": name, "namespace": namespace, "labels": dict(MANAGED_BY)}


def _subject(policy: WorkloadPolicy) -> Commented:
    return Commented(
        {"matchLabels": dict(policy.selection.labels)},
        (f"{policy.workload} ({policy.selection.source})",),
    )


def ingress_policy(policy: WorkloadPolicy) -> dict[str, Any]:
    return {
        "apiVersion": API_VERSION,
        "kind": "NetworkPolicy",
        "metadata": _metadata(policy_name(policy.name, "ingress"), policy.namespace),
        "spec": {
            "podSelector": _subject(policy),
            "policyTypes": ["Ingress"],
            "ingress": rules(policy.ingress, "from"),
        },
    }


def egress_policy(policy: WorkloadPolicy) -> dict[str, Any]:
    spec: dict[str, Any] = {"podSelector": _subject(policy), "policyTypes": ["Egress"]}
    egress = rules(policy.egress, "to")
    spec["egress"] = Commented(egress, policy.egress_comment) if policy.egress_comment else egress
    return {
        "apiVersion": API_VERSION,
        "kind": "NetworkPolicy",
        "metadata": _metadata(policy_name(policy.name, "egress"), policy.namespace),
        "spec": spec,
    }


def default_deny(namespace: str) -> dict[str, Any]:
    return {
        "apiVersion": API_VERSION,
        "kind": "NetworkPolicy",
        "metadata": _metadata(DEFAULT_DENY, namespace),
        "spec": {
            "podSelector": Commented(
                {}, (f"every pod of {namespace}: nothing in or out unless a policy allows it",)
            ),
            "policyTypes": ["Ingress", "Egress"],
        },
    }


def workload_documents(policy: WorkloadPolicy) -> list[dict[str, Any]]:
    documents = []
    if policy.ingress:
        documents.append(ingress_policy(policy))
    if policy.egress or policy.egress_comment:
        documents.append(egress_policy(policy))
    return documents


def render(plan: Plan, mode_text: str = "") -> list[OutputFile]:
    """Every file of the set, sorted by path, each read back into K8sObjects."""
    command = COMMAND + (f" --mode {mode_text}" if mode_text else "")
    files: list[OutputFile] = []
    for namespace in plan.intent.namespaces:
        path = f"{namespace}/_default-deny.yaml"
        files.append(
            rendered(
                [default_deny(namespace)],
                header_lines(f"Default deny for namespace {namespace}.", command),
                path,
            )
        )
    for policy in plan.policies:
        documents = workload_documents(policy)
        if not documents:
            continue
        path = f"{policy.namespace}/{policy.name}.yaml"
        files.append(
            rendered(
                documents,
                header_lines(f"Least-privilege policies of {policy.workload}.", command),
                path,
            )
        )
    return sorted(files, key=lambda f: f.path)
