"""Every scenario folder under tests/fixtures/anp/ agrees with its hand-derived truth table.

AdminNetworkPolicy and BaselineAdminNetworkPolicy (``policy.networking.k8s.io/v1alpha1``)
beside NetworkPolicy. Each table was written by reasoning from the API reference (the
comments of each expected.txt quote or cite the rule used), never from the engine's output.
The clusters are the NetworkPolicy scenarios' (tests/fixtures/policy/_cluster: namespaces x,
y, z; pods a, b, c serving 80 and 81 on TCP, UDP and SCTP) or this folder's own.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.policy.truth import analyse_scenario, check_listing, check_scenario, scenarios

from socklock.policy.admin import AdminConnectivity
from socklock.policy.engine import Connectivity
from socklock.policy.result import PolicyErrors, Verdict

ANP_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "anp"


def anp_scenarios(refused: bool | None = None) -> list[Path]:
    return scenarios(refused, ANP_FIXTURES)


def _analyse(folder: Path) -> Connectivity | PolicyErrors:
    result: Connectivity | PolicyErrors = analyse_scenario(folder, ANP_FIXTURES)
    return result


@pytest.mark.parametrize("folder", anp_scenarios(), ids=lambda p: p.name)
def test_scenario(folder: Path) -> None:
    """The decider's verdicts are exactly the hand-derived table (or its exact refusal)."""
    check_scenario(folder, ANP_FIXTURES, AdminConnectivity)


@pytest.mark.parametrize("folder", anp_scenarios(refused=False), ids=lambda p: p.name)
def test_listing_agrees_with_verdicts(folder: Path) -> None:
    """The shared listing (table.iter_rows over this decider) gives verdict()'s answers."""
    result = _analyse(folder)
    assert isinstance(result, AdminConnectivity)
    check_listing(result)


def test_the_suite_covers_enough_scenarios() -> None:
    assert len(anp_scenarios()) >= 25
    assert len(anp_scenarios(refused=True)) >= 3


def _scenario(name: str) -> AdminConnectivity:
    result = _analyse(ANP_FIXTURES / name)
    assert isinstance(result, AdminConnectivity), result
    return result


def test_networks_externals() -> None:
    """networks decide egress to addresses outside too; ANP/BANP ingress peers are pods only."""
    passed = _scenario("28-pass-pods-before-networks-deny")
    assert passed.externals == ("external:0.0.0.0/0",)
    assert passed.verdict("x/a", "external:8.8.8.8", 443) is Verdict.DENIED
    assert passed.verdict("y/a", "external:8.8.8.8", 443) is Verdict.ALLOWED
    assert passed.verdict("external:8.8.8.8", "x/a", 80) is Verdict.ALLOWED
    narrow = _scenario("26-networks-match-pod-ips")
    assert narrow.externals == ("external:0.0.0.0/0", "external:10.0.1.0/24")
    assert narrow.verdict("x/a", "external:10.0.1.0/24", 80) is Verdict.DENIED
    assert narrow.verdict("x/a", "external:10.0.2.7", 80) is Verdict.ALLOWED
    assert narrow.verdict("x/a", "external:0.0.0.0/0", 80) is Verdict.PARTIAL
    baseline = _scenario("09-baseline-deny-all-ingress")
    assert baseline.verdict("external:192.0.2.1", "x/a", 80) is Verdict.ALLOWED


def test_external_rows_follow_the_tiers() -> None:
    """The listing's rows to outside come from the same tiers as verdict()."""
    passed = _scenario("28-pass-pods-before-networks-deny")
    rows = [
        (r.source, r.target, r.port, str(r.protocol), r.verdict.value, r.end_port)
        for r in passed.connections(include_denied=True)
        if r.target.startswith("external:") and r.source in ("x/a", "y/a")
    ]
    assert rows == [
        ("x/a", "external:0.0.0.0/0", 1, "SCTP", "denied", 65535),
        ("x/a", "external:0.0.0.0/0", 1, "TCP", "denied", 65535),
        ("x/a", "external:0.0.0.0/0", 1, "UDP", "denied", 65535),
        ("y/a", "external:0.0.0.0/0", 1, "SCTP", "allowed", 65535),
        ("y/a", "external:0.0.0.0/0", 1, "TCP", "allowed", 65535),
        ("y/a", "external:0.0.0.0/0", 1, "UDP", "allowed", 65535),
    ]
