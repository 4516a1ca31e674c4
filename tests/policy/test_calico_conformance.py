"""Every Calico scenario under tests/fixtures/calico/ agrees with its hand-derived truth table.

The tables were written from Calico's reference (docs.tigera.io: Tier, NetworkPolicy,
GlobalNetworkPolicy, Rule; each folder's expected.txt says why), over the cluster of the
NetworkPolicy scenarios (tests/fixtures/policy/_cluster: namespaces x, y, z labelled ns=<name>;
pods a, b, c labelled pod=<name>, serving 80 and 81 on TCP, UDP and SCTP).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.policy.truth import FIXTURES, mismatches, parse

from socklock.load import load_paths
from socklock.model import Inventory, K8sObject
from socklock.policy.calico_model import (
    API_VERSION,
    CalicoConnectivity,
    CalicoErrors,
    analyse_calico,
)

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
    """The Calico model's verdicts are exactly the hand-derived table (or its exact refusal)."""
    expected = parse(folder / "expected.txt")
    inventory, calico = load_scenario(folder)
    if expected.errors:
        with pytest.raises(CalicoErrors) as refused:
            analyse_calico(inventory, calico)
        found = [e.diagnostics().replace(f"{folder}/", "") for e in refused.value.errors]
        assert found == expected.errors
        return
    model = analyse_calico(inventory, calico)
    assert mismatches(expected, _Decider(model)) == []


def test_the_calico_suite_covers_enough_scenarios() -> None:
    assert len(calico_scenarios(refused=False)) >= 25
    assert len(calico_scenarios(refused=True)) >= 3
