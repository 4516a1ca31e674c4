"""The Calico decider through the shared table and explain: rows split at every rule's
ports, and explain names the rule that decided (the first match, Deny included)."""

from __future__ import annotations

from pathlib import Path

from socklock.load import load_paths
from socklock.model import Protocol
from socklock.policy import Verdict, explain
from socklock.policy.calico_model import API_VERSION, CalicoConnectivity, analyse_calico
from socklock.policy.table import iter_rows

PODS = """\
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: n1, labels: {app: a}}
spec: {containers: [{name: c, image: i}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: n1, labels: {app: b}}
spec: {containers: [{name: c, image: i}]}
"""


def _model(tmp_path: Path, policies: str) -> CalicoConnectivity:
    (tmp_path / "all.yaml").write_text(PODS + "---\n" + policies)
    inventory = load_paths([str(tmp_path)])
    calico = [o for o in inventory.objects if o.api_version == API_VERSION]
    return analyse_calico(inventory, calico)


def test_a_port_and_a_next_not_port_are_two_rows(tmp_path: Path) -> None:
    model = _model(
        tmp_path,
        f"""\
apiVersion: {API_VERSION}
kind: NetworkPolicy
metadata: {{name: out, namespace: n1}}
spec:
  selector: app == 'a'
  types: [Egress]
  egress:
    - action: Allow
      protocol: TCP
      destination: {{ports: [80], notPorts: [81]}}
""",
    )
    rows = [r for r in iter_rows(model, include_denied=True) if r[:2] == ("n1/a", "n1/b")]
    assert rows == [
        ("n1/a", "n1/b", 80, Protocol.TCP, Verdict.ALLOWED, None),
        ("n1/a", "n1/b", 81, Protocol.TCP, Verdict.DENIED, None),
    ]
    assert explain(model, "n1/a", "n1/b", 81, "TCP").verdict is Verdict.DENIED


def test_explain_names_the_first_rule_that_decides(tmp_path: Path) -> None:
    model = _model(
        tmp_path,
        f"""\
apiVersion: {API_VERSION}
kind: NetworkPolicy
metadata: {{name: guard, namespace: n1}}
spec:
  selector: app == 'b'
  ingress:
    - action: Deny
      source: {{selector: app == 'a'}}
    - action: Allow
""",
    )
    explanation = explain(model, "n1/a", "n1/b", 80, "TCP")
    assert explanation.verdict is Verdict.DENIED
    side = explanation.ingress
    assert side is not None
    assert (side.isolated, side.allowed, side.admitting) == (True, False, ())
    assert [p.policy for p in side.selecting] == ["n1/guard"]
    assert side.reason == (
        "isolated for ingress by 1 policy(ies), and none of their rules admits it on 80/TCP; "
        f"denied by n1/guard spec.ingress[0] (Deny) ({side.selecting[0].location})"
    )
    assert explanation.egress is not None and explanation.egress.allowed
    allowed = explain(model, "n1/b", "n1/b", 80, "TCP")
    assert allowed.verdict is Verdict.ALLOWED
    assert allowed.note == "a pod always reaches itself"


TIERED = f"""\
apiVersion: {API_VERSION}
kind: Tier
metadata: {{name: security}}
spec: {{order: 100}}
---
apiVersion: {API_VERSION}
kind: GlobalNetworkPolicy
metadata: {{name: security.hand-off}}
spec:
  tier: security
  selector: app == 'b'
  types: [Ingress, Egress]
  ingress:
    - action: Pass
      source: {{selector: app == 'a'}}
  egress:
    - action: Pass
---
apiVersion: {API_VERSION}
kind: NetworkPolicy
metadata: {{name: b-out, namespace: n1}}
spec:
  selector: app == 'b'
  types: [Egress]
  egress:
    - action: Deny
      destination: {{selector: app == 'a'}}
"""


def test_explain_follows_a_pass_to_the_next_tier(tmp_path: Path) -> None:
    """a -> b: the security tier passes it, no default-tier policy selects b's ingress: the
    profile allows, and the Pass is named as admitting. b -> a: b's egress passes on to the
    default tier, whose Deny decides."""
    model = _model(tmp_path, TIERED)
    into_b = explain(model, "n1/a", "n1/b", 80, "TCP")
    assert into_b.verdict is Verdict.ALLOWED
    assert into_b.ingress is not None
    assert [(r.policy, r.rule) for r in into_b.ingress.admitting] == [
        ("security.hand-off", "spec.ingress[0] (Pass)")
    ]
    out_of_b = explain(model, "n1/b", "n1/a", 80, "TCP")
    assert out_of_b.verdict is Verdict.DENIED
    assert out_of_b.egress is not None
    assert out_of_b.egress.reason == (
        "isolated for egress by 2 policy(ies), and none of their rules admits it on 80/TCP; "
        f"denied by n1/b-out spec.egress[0] (Deny) ({tmp_path / 'all.yaml'}:29:1)"
    )
    assert [(r.policy, r.rule) for r in out_of_b.egress.admitting] == []
