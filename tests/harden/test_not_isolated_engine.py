"""SLK209 asks the exact engine, per direction, and fails closed on invalid policies."""

from __future__ import annotations

from tests.conftest import REPO

from socklock.harden import HardenOptions, audit
from socklock.load import load_paths

FIXTURES = REPO / "tests" / "fixtures" / "harden" / "SLK209"


def _messages(name: str) -> list[str]:
    result = audit(load_paths([str(FIXTURES / name)]), HardenOptions())
    return [f.message for f in result.findings if f.rule_id == "SLK209"]


def test_ingress_open() -> None:
    assert _messages("bad.yaml") == [
        "Deployment shop/app is not isolated for ingress: no NetworkPolicy selects it for "
        "ingress, so any pod, and any address outside the cluster, can connect to it"
    ]


def test_egress_open() -> None:
    assert _messages("bad-egress.yaml") == [
        "Deployment web/api is not isolated for egress: no NetworkPolicy selects it for egress, "
        "so it can connect anywhere, inside the cluster and out"
    ]


def test_invalid_policies_prove_nothing() -> None:
    assert _messages("bad-invalid.yaml") == [
        "Deployment data/db cannot be proven isolated: the NetworkPolicies in the input have "
        "errors, so socklock does not evaluate them"
    ]


def test_isolated_both_ways() -> None:
    assert _messages("good.yaml") == []
