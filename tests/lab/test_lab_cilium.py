"""Cilium policies enforced by nftables (:mod:`socklock.lab.nft_cilium`: deny rules first,
then the union of the allows, CIDRs never matching pods), probed with real packets, every
row compared with the engine's Cilium decider and the scenario's hand-derived table.

``make test`` runs a few scenarios (a clusterwide policy, named ports, CIDR beside pods, a
deny over a NetworkPolicy's allow); ``SOCKLOCK_LAB_CILIUM=all`` runs every answered
scenario of tests/fixtures/cilium/ (``make bench`` does), ``SOCKLOCK_LAB_CILIUM=05,21``
picks some by number.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.lab.test_lab_kernel import kernel_vs_table, run_scenario
from tests.policy.test_cilium_conformance import CILIUM_FIXTURES, cilium_scenarios

pytestmark = pytest.mark.lab

SMALL = ("13", "21", "22", "30")


def _chosen() -> list[Path]:
    wanted = os.environ.get("SOCKLOCK_LAB_CILIUM", "")
    found = cilium_scenarios(refused=False)
    if wanted == "all":
        return found
    chosen = {w.strip() for w in wanted.split(",") if w.strip()} or set(SMALL)
    return [f for f in found if f.name in chosen or f.name.split("-")[0] in chosen]


@pytest.mark.parametrize("folder", _chosen(), ids=lambda p: p.name)
def test_kernel_agrees_with_engine_and_truth_table(folder: Path, lab_run_id: str) -> None:
    comparison, expected, inventory = run_scenario(folder, lab_run_id, CILIUM_FIXTURES)
    assert [str(d) for d in comparison.differences] == []
    wrong, unobserved = kernel_vs_table(comparison, expected, inventory)
    assert wrong == []
    assert unobserved == []
    assert len(comparison.rows) > 0
