"""``socklock.scan()`` returns everything ``socklock scan`` prints and writes."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import REPO

import socklock
from socklock.pipeline import PolicySet, SkippedSet
from socklock.report.policy_verdict import NoPolicies, PoliciesNotEvaluated, PolicyVerdict

FIXTURE = REPO / "tests" / "fixtures" / "sarif"


def test_the_whole_pipeline_in_one_call() -> None:
    result = socklock.scan([str(FIXTURE)], code=False)
    assert [(e.source, e.target, e.port) for e in result.graph.edges] == [
        ("shop/a", "shop/b", 8080)
    ]
    assert result.audit is not None
    assert ("SLK209", "Deployment other/d") in {
        (f.rule_id, f.object_ref) for f in result.audit.findings
    }
    verdict = result.existing
    assert isinstance(verdict, PolicyVerdict)
    assert verdict.count == 4
    assert [f.key for f in verdict.would_break] == ["SLK-NP002|shop/a|shop/b|8080/TCP"]
    assert [f.key for f in verdict.still_open] == [
        "SLK-NP003|shop/a|shop/b|shop/b-ingress#spec.ingress[0]",
        "SLK-NP003|shop/a|shop/c|shop/c-ingress#spec.ingress[0]",
    ]
    assert verdict.document is not None and verdict.document.summary.missing == 1
    assert verdict.without_document().document is None
    assert tuple(result.findings())[-3:] == (*verdict.would_break, *verdict.still_open)
    assert [r.id for r in result.rules][-2:] == ["SLK-NP002", "SLK-NP003"]
    sets = list(result.policy_sets())
    assert [(type(s).__name__, s.name) for s in sets] == [
        ("PolicySet", "kubernetes-enforce"),
        ("PolicySet", "kubernetes-caller-labels"),
        ("PolicySet", "calico-log"),
        ("SkippedSet", "compose-enforce"),
    ]
    enforce, skipped = sets[0], sets[3]
    assert isinstance(enforce, PolicySet) and isinstance(skipped, SkippedSet)
    assert enforce.generated.verification is not None
    assert enforce.generated.verification.summary().startswith("verified: ")
    assert skipped.reason == "no compose file in the input"


def test_without_policies_and_with_broken_ones(tmp_path: Path) -> None:
    shutil.copy(FIXTURE / "shop.yaml", tmp_path / "shop.yaml")
    result = socklock.scan([str(tmp_path)], code=False)
    assert result.existing == NoPolicies()
    assert [r.id for r in result.rules][-1] != "SLK-NP003"  # the network rules did not run
    (tmp_path / "bad.yaml").write_text(
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x, "
        "namespace: shop}\nspec:\n  podSelector: {}\n  ingress:\n    - ports:\n"
        "        - port: 99999\n"
    )
    broken = socklock.scan([str(tmp_path)], code=False).existing
    assert isinstance(broken, PoliciesNotEvaluated)
    assert broken.count == 1
    assert "bad.yaml:" in broken.diagnostics
