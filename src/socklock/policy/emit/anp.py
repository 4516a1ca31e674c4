"""A BaselineAdminNetworkPolicy with NetworkPolicies above it, from a plan (``--flavor anp``).

The layered model of the ``policy.networking.k8s.io/v1alpha1`` API: AdminNetworkPolicies are
the admin's guardrails (Allow and Deny there are final, NetworkPolicy cannot narrow them),
NetworkPolicy is the namespace owner's, and the BaselineAdminNetworkPolicy is the default
that applies where no NetworkPolicy selects a pod. The application's allows are therefore
NetworkPolicies (owned with the workload, narrowed by its team, no priority to manage), and
the default deny is the cluster's baseline:

- ``_baseline.yaml``: the BANP (a singleton, named ``default``) whose subject is every pod of
  the namespaces in scope: ingress from every pod denied; egress to the cluster DNS allowed,
  to every pod and every address denied. A pod socklock has not seen (a workload deployed
  later) thus gets DNS and nothing else until its team writes a NetworkPolicy;
- ``<namespace>/<workload>.yaml``: the workload's NetworkPolicies, as ``--flavor
  kubernetes`` writes them, with one difference: every workload gets an ingress policy, one
  that admits nothing when nothing calls it. The baseline cannot deny traffic from outside
  the cluster (ANP/BANP ingress peers are pods), a NetworkPolicy can.

Every object is valid under the CRD: the BANP is named ``default``, its rule names are at
most 100 characters, and a rule holds at most 100 peers and 100 ports (the DNS rule is split
when the configured DNS ports exceed that).
"""

from __future__ import annotations

from typing import Any

from socklock.policy.admin_api import API_VERSION, BANP, BASELINE_NAME, MAX_PORTS
from socklock.policy.emit import OutputFile, rendered
from socklock.policy.emit.kubernetes import (
    MANAGED_BY,
    egress_policy,
    ingress_policy,
    namespace_selector,
    policy_name,
)
from socklock.policy.emit.yamltext import Commented, header_lines
from socklock.policy.generate.plan import Plan, WorkloadPolicy

COMMAND = "socklock policy generate --flavor anp"
BASELINE_FILE = "_baseline.yaml"
EVERY_NETWORK = ("0.0.0.0/0", "::/0")


def _chunks(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def dns_rules(plan: Plan) -> list[Any]:
    """Egress Allow rules to the cluster DNS (none without DNS), at most MAX_PORTS ports each."""
    dns = plan.options.dns
    if dns is None:
        return []
    peer = {
        "pods": {
            "namespaceSelector": namespace_selector((dns.namespace,)),
            "podSelector": {"matchLabels": dict(sorted(dns.labels.items()))},
        }
    }
    ports = [{"portNumber": {"port": n, "protocol": p}} for n, p in dns.ports]
    chunks = _chunks(ports, MAX_PORTS)
    out: list[Any] = []
    for index, chunk in enumerate(chunks):
        rule: dict[str, Any] = {
            "name": "allow-cluster-dns" + (f"-{index + 1}" if len(chunks) > 1 else ""),
            "action": "Allow",
            "to": [peer],
        }
        if chunk:
            rule["ports"] = chunk
        comment = (
            (f"cluster DNS ({dns.namespace}): every pod of the subject may resolve names",)
            if index == 0
            else ()
        )
        out.append(Commented(rule, comment) if comment else rule)
    return out


def baseline(plan: Plan) -> dict[str, Any]:
    """The BANP: deny every pod and address to and from the namespaces in scope (DNS apart)."""
    egress = dns_rules(plan)
    egress.append(
        Commented(
            {
                "name": "deny-egress",
                "action": "Deny",
                "to": [{"namespaces": {}}, {"networks": list(EVERY_NETWORK)}],
            },
            ("anything else a pod sends: to any pod, to any address",),
        )
    )
    return {
        "apiVersion": API_VERSION,
        "kind": BANP,
        "metadata": {"name": BASELINE_NAME, "labels": dict(MANAGED_BY)},
        "spec": {
            "subject": Commented(
                {"namespaces": namespace_selector(plan.intent.namespaces)},
                (
                    "every pod of the namespaces in scope; a NetworkPolicy selecting a pod "
                    "decides for it instead",
                ),
            ),
            "ingress": [
                Commented(
                    {"name": "deny-ingress", "action": "Deny", "from": [{"namespaces": {}}]},
                    (
                        "from any pod (traffic from outside the cluster is not a pod: the "
                        "workloads' ingress NetworkPolicies deny it)",
                    ),
                )
            ],
            "egress": egress,
        },
    }


def isolated_ingress(policy: WorkloadPolicy) -> dict[str, Any]:
    """An ingress NetworkPolicy admitting nothing: the workload is called by no one."""
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {
            "name": policy_name(policy.name, "ingress"),
            "namespace": policy.namespace,
            "labels": dict(MANAGED_BY),
        },
        "spec": {
            "podSelector": Commented(
                {"matchLabels": dict(policy.selection.labels)},
                (f"{policy.workload} ({policy.selection.source})",),
            ),
            "policyTypes": Commented(
                ["Ingress"],
                (
                    "nothing calls it: no rule, so nothing may connect, from a pod or from "
                    "outside the cluster",
                ),
            ),
        },
    }


def workload_documents(policy: WorkloadPolicy) -> list[dict[str, Any]]:
    documents = [ingress_policy(policy) if policy.ingress else isolated_ingress(policy)]
    if policy.egress or policy.egress_comment:
        documents.append(egress_policy(policy))
    return documents


def render(plan: Plan) -> list[OutputFile]:
    """Every file of the set, sorted by path, each read back into K8sObjects."""
    files: list[OutputFile] = []
    if plan.intent.namespaces:
        files.append(
            rendered(
                [baseline(plan)],
                header_lines(
                    "Cluster baseline: default deny for every namespace in scope "
                    "(a singleton: it replaces any other BaselineAdminNetworkPolicy).",
                    COMMAND,
                ),
                BASELINE_FILE,
            )
        )
    for policy in plan.policies:
        files.append(
            rendered(
                workload_documents(policy),
                header_lines(f"Least-privilege policies of {policy.workload}.", COMMAND),
                f"{policy.namespace}/{policy.name}.yaml",
            )
        )
    return sorted(files, key=lambda f: f.path)
