"""Calico ``projectcalico.org/v3`` policies from a plan.

- ``_default-deny.yaml``: one GlobalNetworkPolicy selecting every pod of the namespaces in
  scope for Ingress and Egress, with the highest ``order``: a pod selected by a policy and
  matched by no rule is denied at the end of the tier. In log mode it is
  ``socklock-log-then-allow`` instead, whose rules log what would be denied and then allow
  it; in staged mode every policy is a Staged(Global)NetworkPolicy, enforced nowhere.
- ``<namespace>/<workload>.yaml``: one NetworkPolicy per workload (``order`` 100) with an
  Allow rule per peer and protocol, each with its evidence in a comment.

Selectors use Calico's expression syntax (``app == 'carts' && tier == 'db'``); a namespace
is named through Calico's ``projectcalico.org/name`` label.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from socklock.policy.emit import OutputFile, rendered
from socklock.policy.emit.yamltext import Commented, header_lines
from socklock.policy.generate.intent import EVERY_PORT, Port
from socklock.policy.generate.options import Mode
from socklock.policy.generate.plan import Allowance, Peer, PeerKind, Plan, WorkloadPolicy

API_VERSION = "projectcalico.org/v3"
NAMESPACE_NAME = "projectcalico.org/name"
MANAGED_BY = {"app.kubernetes.io/managed-by": "socklock"}
COMMAND = "socklock policy generate --flavor calico"


def quote(value: str) -> str:
    return "'" + value.replace("'", "\\'") + "'"


def equals(labels: Iterable[tuple[str, str]]) -> str:
    return " && ".join(f"{k} == {quote(v)}" for k, v in labels)


def member_of(key: str, values: Sequence[str]) -> str:
    if len(values) == 1:
        return f"{key} == {quote(values[0])}"
    return f"{key} in {{{', '.join(quote(v) for v in values)}}}"


def namespace_expression(namespaces: Sequence[str]) -> str:
    return "all()" if not namespaces else member_of(NAMESPACE_NAME, namespaces)


def pod_expression(peer: Peer) -> str:
    parts = [equals(peer.pod_labels)] if peer.pod_labels else []
    parts += [member_of(key, values) for key, values in peer.pod_in]
    return " && ".join(parts) or "all()"


def entity(peer: Peer) -> dict[str, Any]:
    """The ``source``/``destination`` of a rule for ``peer`` (ports apart)."""
    if peer.kind is PeerKind.OUTSIDE:
        return {}
    if peer.kind is PeerKind.ADDRESS:
        return {"nets": [peer.cidr]}
    out: dict[str, Any] = {}
    if peer.kind is not PeerKind.NAMESPACE:
        out["selector"] = pod_expression(peer)
    if peer.namespaces is not None:
        out["namespaceSelector"] = namespace_expression(peer.namespaces)
    return out


def _by_protocol(ports: Sequence[Port]) -> list[tuple[str, list[int | str]]]:
    grouped: dict[str, list[int | str]] = {}
    for port in ports:
        values = grouped.setdefault(port.protocol, [])
        if port.number != EVERY_PORT:
            values.append(port.name if port.name is not None else port.number)
    return list(grouped.items())


def rules(allowances: Sequence[Allowance], ingress: bool) -> list[Any]:
    out: list[Any] = []
    for allowance in allowances:
        peer = entity(allowance.peer)
        for position, (protocol, values) in enumerate(_by_protocol(allowance.ports)):
            rule: dict[str, Any] = {"action": "Allow", "protocol": protocol}
            destination: dict[str, Any] = {} if ingress else dict(peer)
            if ingress and peer:
                rule["source"] = peer
            if values:
                destination["ports"] = values
            if destination:
                rule["destination"] = destination
            comment = allowance.comment if position == 0 else ()
            out.append(Commented(rule, comment) if comment else rule)
    return out


def _kind(base: str, mode: Mode) -> str:
    return f"Staged{base}" if mode is Mode.STAGED else base


def _spec_head(mode: Mode) -> dict[str, Any]:
    return {"stagedAction": "Set"} if mode is Mode.STAGED else {}


def workload_policy(policy: WorkloadPolicy, plan: Plan) -> dict[str, Any]:
    mode = plan.options.mode
    types = []
    if policy.ingress:
        types.append("Ingress")
    if policy.egress or policy.egress_comment:
        types.append("Egress")
    spec: dict[str, Any] = _spec_head(mode)
    spec["order"] = plan.options.calico_order
    spec["selector"] = Commented(
        equals(sorted(policy.selection.labels.items())),
        (f"{policy.workload} ({policy.selection.source})",),
    )
    spec["types"] = types
    if policy.ingress:
        spec["ingress"] = rules(policy.ingress, ingress=True)
    if "Egress" in types:
        egress = rules(policy.egress, ingress=False)
        spec["egress"] = (
            Commented(egress, policy.egress_comment) if policy.egress_comment else egress
        )
    return {
        "apiVersion": API_VERSION,
        "kind": _kind("NetworkPolicy", mode),
        "metadata": {
            "name": f"socklock-{policy.name}",
            "namespace": policy.namespace,
            "labels": dict(MANAGED_BY),
        },
        "spec": spec,
    }


def default_policy(plan: Plan) -> dict[str, Any]:
    mode = plan.options.mode
    spec: dict[str, Any] = _spec_head(mode)
    spec["order"] = plan.options.calico_default_order
    spec["namespaceSelector"] = Commented(
        namespace_expression(plan.intent.namespaces), ("every pod of the namespaces in scope",)
    )
    spec["types"] = ["Ingress", "Egress"]
    if mode is Mode.LOG:
        name = "socklock-log-then-allow"
        for direction in ("ingress", "egress"):
            spec[direction] = [
                Commented(
                    {"action": "Log"},
                    ("log mode: what enforcement would deny reaches this rule: it is logged ...",),
                ),
                Commented({"action": "Allow"}, ("... and still allowed",)),
            ]
    else:
        name = "socklock-default-deny"
    return {
        "apiVersion": API_VERSION,
        "kind": _kind("GlobalNetworkPolicy", mode),
        "metadata": {"name": name, "labels": dict(MANAGED_BY)},
        "spec": spec,
    }


def render(plan: Plan) -> list[OutputFile]:
    mode = plan.options.mode
    command = COMMAND + (f" --mode {mode.value}" if mode is not Mode.ENFORCE else "")
    files: list[OutputFile] = []
    if plan.intent.namespaces:
        what = (
            "Log, then allow, what the policies below do not allow (log mode)."
            if mode is Mode.LOG
            else "Default deny for every namespace in scope."
        )
        files.append(
            rendered([default_policy(plan)], header_lines(what, command), "_default-deny.yaml")
        )
    for policy in plan.policies:
        if not (policy.ingress or policy.egress or policy.egress_comment):
            continue
        path = f"{policy.namespace}/{policy.name}.yaml"
        files.append(
            rendered(
                [workload_policy(policy, plan)],
                header_lines(f"Least-privilege policy of {policy.workload}.", command),
                path,
            )
        )
    return sorted(files, key=lambda f: f.path)
