"""ClusterNetworkPolicies converted as Calico converts them (``calico_cnp.convert``, after
``K8sClusterNetworkPolicyToCalico`` in libcalico-go's ``clusternetworkpolicy.go``): the
converted policy field by field. The verdicts are checked by scenarios 52-61 of
tests/fixtures/calico/ (test_calico_conformance.py) and in the lab."""

from __future__ import annotations

from pathlib import Path

from socklock.load import load_paths
from socklock.policy.calico_cnp import convert
from socklock.policy.calico_model import CalicoPolicy
from socklock.policy.cnp_api import parse_cluster_policy


def _convert(folder: Path, text: str) -> CalicoPolicy:
    (folder / "p.yaml").write_text(text)
    (obj,) = load_paths([str(folder / "p.yaml")]).objects
    parsed = parse_cluster_policy(obj)
    assert not isinstance(parsed, tuple), parsed
    return convert(parsed)


def _rules(policy: CalicoPolicy, ingress: bool) -> list[tuple[object, ...]]:
    out = []
    for r in policy.ingress if ingress else policy.egress:
        peer = r.source if ingress else r.destination
        ports = r.destination.ports
        out.append(
            (
                r.action,
                r.protocol.value if r.protocol else None,
                peer.selector,
                peer.namespace_selector,
                peer.nets.cidrs() if peer.nets else None,
                list(ports.numeric) if ports else None,
                sorted(ports.named) if ports else None,
            )
        )
    return out


PODS = "projectcalico.org/orchestrator == 'k8s'"


def test_admin_policy_to_the_letter(tmp_path: Path) -> None:
    calico = _convert(
        tmp_path,
        """
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: p}
spec:
  tier: Admin
  priority: 7
  subject:
    pods: {podSelector: {matchLabels: {app: web}}}
  ingress:
    - action: Accept
      from:
        - namespaces: {matchLabels: {ns: y}}
        - pods: {namespaceSelector: {}, podSelector: {matchLabels: {pod: b}}}
      protocols:
        - udp: {destinationPort: {number: 53}}
        - tcp: {destinationPort: {range: {start: 8000, end: 8080}}}
        - destinationNamedPort: web
        - tcp: {destinationPort: {number: 80}}
""",
    )
    assert (calico.name, calico.namespace, calico.order, calico.tier) == (
        "p",
        None,
        7.0,
        "kube-admin",
    )
    assert (calico.selector, calico.namespace_selector) == (f"{PODS} && app == 'web'", "all()")
    assert calico.types == frozenset({"Ingress"})
    assert calico.sort_key == (7.0, "p//KubernetesClusterNetworkPolicy")
    b = f"{PODS} && pod == 'b'"
    # protocols sorted by name: the named port (no protocol) first, then TCP, then UDP
    assert _rules(calico, ingress=True) == [
        ("Allow", None, None, "ns == 'y'", None, [], ["web"]),
        ("Allow", None, b, "all()", None, [], ["web"]),
        ("Allow", "TCP", None, "ns == 'y'", None, [(80, 80), (8000, 8080)], []),
        ("Allow", "TCP", b, "all()", None, [(80, 80), (8000, 8080)], []),
        ("Allow", "UDP", None, "ns == 'y'", None, [(53, 53)], []),
        ("Allow", "UDP", b, "all()", None, [(53, 53)], []),
    ]


def test_baseline_egress_only_namespaces_subject(tmp_path: Path) -> None:
    calico = _convert(
        tmp_path,
        """
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: q}
spec:
  tier: Baseline
  priority: 0
  subject:
    namespaces: {matchExpressions: [{key: env, operator: NotIn, values: [prod]}]}
  ingress: []
  egress:
    - action: Pass
      to: [{networks: [10.0.0.0/8, 192.168.0.0/16]}]
    - action: Deny
      to: [{namespaces: {}}]
""",
    )
    assert (calico.order, calico.tier) == (0.0, "kube-baseline")
    assert (calico.selector, calico.namespace_selector) == (PODS, "env not in { 'prod' }")
    assert calico.types == frozenset({"Egress"})  # no ingress rules: no Ingress type
    assert _rules(calico, ingress=False) == [
        ("Pass", None, None, None, ["10.0.0.0/8", "192.168.0.0/16"], None, None),
        ("Deny", None, None, "all()", None, None, None),
    ]
