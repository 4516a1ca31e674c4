"""`socklock policy verify | explain | diff` on a mixed Calico input: a Tier and a
GlobalNetworkPolicy beside a Kubernetes NetworkPolicy (tests/fixtures/calico/_mixed: pods x/a,
x/b, y/c on 80/TCP). The tier denies y into x and passes the rest; the KNP (default tier,
order 1000) admits x/b into x/a; x/b is selected by the tier only, so what it passes reaches
the profile (allow)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.policy.test_policy_cli import invoke
from tests.policy.truth import FIXTURES

MIXED = FIXTURES.parent / "calico" / "_mixed"
POLICIES = f"{MIXED}/policies.yaml"

VERIFY = """\
Connections
┏━━━━━━┳━━━━━┳━━━━━━━━┳━━━━━━━━━┓
┃ from ┃ to  ┃ port   ┃ verdict ┃
┡━━━━━━╇━━━━━╇━━━━━━━━╇━━━━━━━━━┩
│ x/a  │ x/a │ 80/TCP │ allowed │
│ x/a  │ x/b │ 80/TCP │ allowed │
│ x/a  │ y/c │ 80/TCP │ allowed │
│ x/b  │ x/a │ 80/TCP │ allowed │
│ x/b  │ x/b │ 80/TCP │ allowed │
│ x/b  │ y/c │ 80/TCP │ allowed │
│ y/c  │ y/c │ 80/TCP │ allowed │
└──────┴─────┴────────┴─────────┘

Not isolated (SLK209):
  {mixed}/cluster.yaml:9: medium: Pod x/a is not isolated for egress: no NetworkPolicy \
selects it for egress, so it can connect anywhere, inside the cluster and out
  {mixed}/cluster.yaml:16: medium: Pod x/b is not isolated for egress: no NetworkPolicy \
selects it for egress, so it can connect anywhere, inside the cluster and out
  {mixed}/cluster.yaml:23: high: Pod y/c is not isolated for ingress or egress: no \
NetworkPolicy selects it for ingress and egress, so any pod, and any address outside the \
cluster, can connect to it

3 workloads, 2 policies, 0 external endpoints: 7 allowed, 0 partial, 2 denied of 9 rows; \
3 not isolated
"""


def test_verify_a_mixed_calico_input() -> None:
    code, out, err = invoke("policy", "verify", "--no-intent", str(MIXED))
    assert (code, err) == (0, "")
    assert out == VERIFY.format(mixed=MIXED)


def test_verify_json_counts_calico_and_kubernetes_policies() -> None:
    code, out, _ = invoke(
        "policy", "verify", "--no-intent", "--all", str(MIXED), "--format", "json"
    )
    assert code == 0
    document = json.loads(out)
    denied = [(c["from"], c["to"]) for c in document["connections"] if c["verdict"] == "denied"]
    assert denied == [("y/c", "x/a"), ("y/c", "x/b")]
    assert document["summary"]["policies"] == 2


def test_explain_allowed_through_a_pass_and_a_kubernetes_policy() -> None:
    code, out, err = invoke(
        "policy", "explain", str(MIXED), "--from", "x/b", "--to", "x/a", "--port", "80"
    )
    assert (code, err) == (0, "")
    assert out.replace(POLICIES, "P") == (
        "x/b -> x/a 80/TCP: allowed\n"
        "egress of x/b: allows: no policy selects x/b for egress: egress is open\n"
        "ingress of x/a: allows: admitted by 2 rule(s)\n"
        "  selected by security.no-y-into-x (P:6:1)\n"
        "  selected by x/knp.default.b-to-a (P:17:1)\n"
        "  admitted by security.no-y-into-x spec.ingress[1] (Pass) (P:6:1): everyone (no "
        "selector, no nets) on every port\n"
        "  admitted by x/knp.default.b-to-a spec.ingress[0].from[0] (Allow) (P:17:1): "
        "selector \"projectcalico.org/orchestrator == 'k8s' && pod == 'b'\" on TCP 80\n"
        "  not this: security.no-y-into-x spec.ingress[0] (Deny) (P:6:1) covers the port, "
        "but admits namespaceSelector \"ns == 'y'\" only\n"
    )


def test_explain_denied_by_the_tier() -> None:
    code, out, err = invoke(
        "policy", "explain", str(MIXED), "--from", "y/c", "--to", "x/a", "--port", "80"
    )
    assert (code, err) == (1, "")
    assert out.replace(POLICIES, "P") == (
        "y/c -> x/a 80/TCP: denied\n"
        "egress of y/c: allows: no policy selects y/c for egress: egress is open\n"
        "ingress of x/a: DENIES: isolated for ingress by 2 policy(ies), and none of their "
        "rules admits it on 80/TCP; denied by security.no-y-into-x spec.ingress[0] (Deny) "
        "(P:6:1)\n"
        "  selected by security.no-y-into-x (P:6:1)\n"
        "  selected by x/knp.default.b-to-a (P:17:1)\n"
        "  not this: x/knp.default.b-to-a spec.ingress[0].from[0] (Allow) (P:17:1) covers "
        "the port, but admits selector \"projectcalico.org/orchestrator == 'k8s' && "
        "pod == 'b'\" only\n"
    )


def test_cni_cilium_with_calico_objects_is_a_usage_error() -> None:
    code, out, err = invoke("policy", "verify", "--no-intent", "--cni", "cilium", str(MIXED))
    assert (code, out) == (2, "")
    assert err == (
        "error: --cni cilium: the input holds Calico (projectcalico.org/v3) objects, so Calico "
        "enforces its policies; give --cni calico or generic (both mean Calico here)\n"
    )


def test_diff_drops_the_tier(tmp_path: Path) -> None:
    """Without the Calico objects the KNP alone decides x/a, which still admits x/b only; x/b,
    no longer selected, opens to y/c on every port. Both sides are decided as Calico enforces
    them, over the same classes."""
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(MIXED, old)
    new.mkdir()
    text = (MIXED / "policies.yaml").read_text()
    (new / "policies.yaml").write_text(text[text.index("apiVersion: networking.k8s.io/v1") :])
    code, out, err = invoke("policy", "diff", str(old), str(new), "--cluster", str(MIXED))
    assert (code, err) == (1, "")
    assert out == (
        "+ y/c -> x/b 1-65535/SCTP: denied -> allowed\n"
        "+ y/c -> x/b 1-65535/TCP: denied -> allowed\n"
        "+ y/c -> x/b 1-65535/UDP: denied -> allowed\n"
        "3 opened, 0 closed\n"
    )


def test_anp_beside_calico_is_refused(tmp_path: Path) -> None:
    shutil.copytree(MIXED, tmp_path / "in")
    (tmp_path / "in" / "anp.yaml").write_text(
        "apiVersion: policy.networking.k8s.io/v1alpha1\n"
        "kind: AdminNetworkPolicy\n"
        "metadata: {name: p}\n"
        "spec:\n"
        "  priority: 1\n"
        "  subject: {namespaces: {}}\n"
        "  ingress: [{action: Allow, from: [{namespaces: {}}]}]\n"
    )
    code, out, err = invoke("policy", "verify", "--no-intent", str(tmp_path / "in"))
    assert (code, out) == (2, "")
    assert err.startswith(
        f"{tmp_path}/in/anp.yaml:1:1: error: policy.networking.k8s.io/v1alpha1 "
        "AdminNetworkPolicy p: beside Calico policies: how Calico enforces it depends on its "
        "release"
    )


CNP = """\
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: x-not-into-y}
spec:
  tier: Admin
  priority: 1
  subject: {namespaces: {matchLabels: {ns: y}}}
  ingress: [{action: Deny, from: [{namespaces: {matchLabels: {ns: x}}}]}]
"""

VERIFY_CNP = """\
Connections
┏━━━━━━┳━━━━━┳━━━━━━━━┳━━━━━━━━━┓
┃ from ┃ to  ┃ port   ┃ verdict ┃
┡━━━━━━╇━━━━━╇━━━━━━━━╇━━━━━━━━━┩
│ x/a  │ x/a │ 80/TCP │ allowed │
│ x/a  │ x/b │ 80/TCP │ allowed │
│ x/b  │ x/a │ 80/TCP │ allowed │
│ x/b  │ x/b │ 80/TCP │ allowed │
│ y/c  │ y/c │ 80/TCP │ allowed │
└──────┴─────┴────────┴─────────┘

Not isolated (SLK209):
  {mixed}/cluster.yaml:9: medium: Pod x/a is not isolated for egress: no NetworkPolicy \
selects it for egress, so it can connect anywhere, inside the cluster and out
  {mixed}/cluster.yaml:16: medium: Pod x/b is not isolated for egress: no NetworkPolicy \
selects it for egress, so it can connect anywhere, inside the cluster and out
  {mixed}/cluster.yaml:23: medium: Pod y/c is not isolated for egress: no NetworkPolicy \
selects it for egress, so it can connect anywhere, inside the cluster and out

3 workloads, 3 policies, 0 external endpoints: 5 allowed, 0 partial, 4 denied of 9 rows; \
3 not isolated
"""


def test_cluster_network_policy_beside_calico_is_converted(tmp_path: Path) -> None:
    """Current Calico converts a ClusterNetworkPolicy into the kube-admin tier (order 1000,
    after the security tier at 100): its Deny of x into y is final; the rest is as without it
    (y into x denied by the security tier, x/b into x/a admitted by the KNP)."""
    shutil.copytree(MIXED, tmp_path / "in")
    (tmp_path / "in" / "cnp.yaml").write_text(CNP)
    code, out, err = invoke("policy", "verify", "--no-intent", str(tmp_path / "in"))
    assert (code, err) == (0, "")
    assert out == VERIFY_CNP.format(mixed=tmp_path / "in")
    code, out, _ = invoke(
        "policy", "explain", str(tmp_path / "in"), "--from", "x/a", "--to", "y/c", "--port", "80"
    )
    assert out.splitlines()[:1] == ["x/a -> y/c 80/TCP: denied"]
    assert "denied by kcnp.x-not-into-y spec.ingress[0].from[0] (Deny)" in out.splitlines()[2]


def test_calico_policy_tying_a_cluster_network_policy_is_refused(tmp_path: Path) -> None:
    """A Calico policy of the kube-admin tier at a ClusterNetworkPolicy's priority: Calico
    orders the two by their keys' <name>/<namespace>/<kind>, not modelled: no verdict."""
    shutil.copytree(MIXED, tmp_path / "in")
    (tmp_path / "in" / "cnp.yaml").write_text(
        CNP + "---\n"
        "apiVersion: projectcalico.org/v3\n"
        "kind: Tier\n"
        "metadata: {name: kube-admin}\n"
        "spec: {order: 1000, defaultAction: Pass}\n"
        "---\n"
        "apiVersion: projectcalico.org/v3\n"
        "kind: GlobalNetworkPolicy\n"
        "metadata: {name: same-order}\n"
        "spec: {tier: kube-admin, order: 1, selector: all(), ingress: [{action: Pass}]}\n"
    )
    code, out, err = invoke("policy", "verify", "--no-intent", str(tmp_path / "in"))
    assert (code, out) == (2, "")
    assert err.splitlines()[0] == (
        f"{tmp_path}/in/cnp.yaml:15:1: error: GlobalNetworkPolicy same-order: spec.order: 1 in "
        "the kube-admin tier, the order Calico gives ClusterNetworkPolicy x-not-into-y (its "
        "priority): which comes first is decided by the <name>/<namespace>/<kind> of their "
        "keys, which socklock does not model for Calico's own kinds; give another order"
    )
