"""Every Calico scenario under tests/fixtures/calico/ agrees with its hand-derived truth table.

The tables were written from Calico's reference (docs.tigera.io: Tier, NetworkPolicy,
GlobalNetworkPolicy, Rule; each folder's expected.txt says why), over the cluster of the
NetworkPolicy scenarios (tests/fixtures/policy/_cluster: namespaces x, y, z labelled ns=<name>;
pods a, b, c labelled pod=<name>, serving 80 and 81 on TCP, UDP and SCTP).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.policy.truth import FIXTURES, mismatches, parse, refusal

from socklock.errors import UsageError
from socklock.load import load_paths
from socklock.model import Inventory, K8sObject
from socklock.policy.api import is_policy_object
from socklock.policy.calico_engine import CalicoAnalysis
from socklock.policy.calico_model import (
    API_VERSION,
    CalicoConnectivity,
    CalicoErrors,
    analyse_calico,
)
from socklock.policy.engine import analyse
from socklock.policy.result import PolicyErrors

CALICO = FIXTURES.parent / "calico"


def calico_scenarios(refused: bool | None = None) -> list[Path]:
    """Scenario folders; ``refused`` True/False keeps only those that expect errors/answers."""
    found = sorted(p for p in CALICO.iterdir() if p.is_dir() and p.name[:2].isdigit())
    if refused is None:
        return found
    return [p for p in found if bool(parse(p / "expected.txt").errors) is refused]


def load_scenario(folder: Path) -> tuple[Inventory, list[K8sObject]]:
    """The scenario's inventory (cluster and policies) and its Calico objects."""
    expected = parse(folder / "expected.txt")
    paths = [str(FIXTURES / name) for name in expected.clusters] + [str(folder)]
    inventory = load_paths(paths)
    assert [str(d) for d in inventory.errors] == []
    return inventory, [o for o in inventory.objects if o.api_version == API_VERSION]


class _Decider:
    """The Calico model with the workload list :func:`mismatches` asks for."""

    def __init__(self, model: CalicoConnectivity) -> None:
        self.model = model
        self.cluster = model.cluster
        self.endpoints = tuple(e.id for e in model.cluster.endpoints)
        self.verdict = model.verdict


@pytest.mark.parametrize("folder", calico_scenarios(), ids=lambda p: p.name)
def test_calico_scenario(folder: Path) -> None:
    """``socklock.policy.analyse`` (what verify, explain and diff use) answers every scenario
    exactly as the hand-derived table says, Kubernetes NetworkPolicies converted as Calico
    converts them; or refuses it with exactly the expected errors."""
    expected = parse(folder / "expected.txt")
    inventory, _ = load_scenario(folder)
    if expected.errors:
        with pytest.raises(PolicyErrors) as refused:
            analyse(inventory, cni=expected.cni)
        assert sorted(refusal(folder, refused.value)) == sorted(expected.errors)
        return
    found = analyse(inventory, cni=expected.cni)
    assert isinstance(found, CalicoAnalysis)
    assert mismatches(expected, found) == []


def _other_kinds(folder: Path) -> list[K8sObject]:
    """The scenario's objects that are not Calico's (Kubernetes NetworkPolicies,
    ClusterNetworkPolicies, Cilium...): only analyse() composes them or refuses them."""
    inventory, calico = load_scenario(folder)
    return [
        o
        for o in inventory.objects
        if o not in calico and (is_policy_object(o) or str(folder) in o.location.file)
    ]


CALICO_ONLY = [f for f in calico_scenarios() if not _other_kinds(f)]


@pytest.mark.parametrize("folder", CALICO_ONLY, ids=lambda p: p.name)
def test_calico_decider_alone(folder: Path) -> None:
    """The decider itself (what generate's proof uses) on the scenarios without Kubernetes
    NetworkPolicies or other kinds (those go through analyse(), above): the same table, or
    the same refusal."""
    expected = parse(folder / "expected.txt")
    inventory, calico = load_scenario(folder)
    if expected.errors:
        with pytest.raises(CalicoErrors) as stopped:
            analyse_calico(inventory, calico)
        found = [e.diagnostics().replace(f"{folder}/", "") for e in stopped.value.errors]
        assert sorted(found) == sorted(expected.errors)
        return
    model = analyse_calico(inventory, calico)
    assert mismatches(expected, _Decider(model)) == []


MIXED = [f for f in calico_scenarios() if int(f.name[:2]) >= 33]


def test_the_calico_suite_covers_enough_scenarios() -> None:
    assert len(calico_scenarios(refused=False)) >= 25
    assert len(calico_scenarios(refused=True)) >= 3
    assert len([f for f in MIXED if not parse(f / "expected.txt").errors]) >= 14


def test_cni_cilium_with_calico_objects_is_a_usage_error() -> None:
    inventory, _ = load_scenario(CALICO / "01-tier-first-decides-then-pass")
    with pytest.raises(UsageError, match="--cni cilium: the input holds Calico"):
        analyse(inventory, cni="cilium")


def test_cni_calico_and_generic_mean_calico_with_calico_objects() -> None:
    folder = CALICO / "36-calico-order-2000-after-knp"
    inventory, _ = load_scenario(folder)
    generic, calico = analyse(inventory), analyse(inventory, cni="calico")
    assert generic.connections(include_denied=True) == calico.connections(include_denied=True)
