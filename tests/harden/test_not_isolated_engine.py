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
        "no NetworkPolicy in namespace 'shop' isolates shop/app for ingress: every pod in the "
        "cluster can connect to it"
    ]


def test_egress_open() -> None:
    assert _messages("bad-egress.yaml") == [
        "no NetworkPolicy in namespace 'web' isolates web/api for egress: it can connect anywhere"
    ]


def test_invalid_policies_prove_nothing() -> None:
    assert _messages("bad-invalid.yaml") == [
        "data/db cannot be proven isolated: the NetworkPolicies in the input have errors, so "
        "socklock does not evaluate them"
    ]


def test_isolated_both_ways() -> None:
    assert _messages("good.yaml") == []
