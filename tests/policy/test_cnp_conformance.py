"""Every scenario folder under tests/fixtures/cnp/ agrees with its hand-derived truth table.

ClusterNetworkPolicy (``policy.networking.k8s.io/v1alpha2``: tiers Admin and Baseline,
actions Accept, Deny and Pass) beside NetworkPolicy. Each table was written by reasoning from
the API reference (apis/v1alpha2/clusternetworkpolicy_types.go, the CRD, NPEP-285 and
NPEP-187 of kubernetes-sigs/network-policy-api; the comments of each expected.txt quote the
rule used), never from the engine's output. The clusters are the NetworkPolicy scenarios'
(tests/fixtures/policy/_cluster: namespaces x, y, z; pods a, b, c serving 80 and 81 on TCP,
UDP and SCTP) or the ANP scenarios' IPv4 one (tests/fixtures/anp/_cluster-v4).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.policy.truth import analyse_scenario, check_listing, check_scenario, scenarios

from socklock.policy.admin import AdminConnectivity
from socklock.policy.result import PolicyErrors, Verdict

CNP_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cnp"


def cnp_scenarios(refused: bool | None = None) -> list[Path]:
    return scenarios(refused, CNP_FIXTURES)


def analyse_cnp(folder: Path) -> AdminConnectivity | PolicyErrors:
    result: AdminConnectivity | PolicyErrors = analyse_scenario(folder, CNP_FIXTURES)
    return result


@pytest.mark.parametrize("folder", cnp_scenarios(), ids=lambda p: p.name)
def test_scenario(folder: Path) -> None:
    """The decider's verdicts are exactly the hand-derived table (or its exact refusal)."""
    check_scenario(folder, CNP_FIXTURES, AdminConnectivity)


@pytest.mark.parametrize("folder", cnp_scenarios(refused=False), ids=lambda p: p.name)
def test_listing_agrees_with_verdicts(folder: Path) -> None:
    """The shared listing (table.iter_rows over this decider) gives verdict()'s answers."""
    result = analyse_cnp(folder)
    assert isinstance(result, AdminConnectivity)
    check_listing(result)


def test_the_suite_covers_enough_scenarios() -> None:
    assert len(cnp_scenarios(refused=False)) >= 25
    assert len(cnp_scenarios(refused=True)) >= 5


def _scenario(name: str) -> AdminConnectivity:
    result = analyse_cnp(CNP_FIXTURES / name)
    assert isinstance(result, AdminConnectivity), result
    return result


def test_networks_externals() -> None:
    """networks decide egress to addresses outside too; ingress peers are pods only."""
    passed = _scenario("30-pass-pods-before-networks-deny")
    assert passed.externals == ("external:0.0.0.0/0",)
    assert passed.verdict("x/a", "external:8.8.8.8", 443) is Verdict.DENIED
    assert passed.verdict("y/a", "external:8.8.8.8", 443) is Verdict.ALLOWED
    assert passed.verdict("external:8.8.8.8", "x/a", 80) is Verdict.ALLOWED
    baseline = _scenario("31-baseline-networks-and-networkpolicy")
    assert baseline.externals == ("external:0.0.0.0/0", "external:10.0.1.0/24")
    assert baseline.verdict("x/a", "external:10.0.1.0/24", 80) is Verdict.DENIED
    assert baseline.verdict("x/a", "external:10.0.2.7", 80) is Verdict.ALLOWED
    assert baseline.verdict("x/b", "external:10.0.1.9", 80) is Verdict.ALLOWED
    assert baseline.verdict("x/a", "external:0.0.0.0/0", 80) is Verdict.PARTIAL
    deny_all = _scenario("08-baseline-deny-all-ingress")
    assert deny_all.verdict("external:192.0.2.1", "x/a", 80) is Verdict.ALLOWED
