"""ClusterNetworkPolicy enforced by nftables (:mod:`socklock.lab.nft_admin`, compiled from the
parsed policies, not from the engine), probed with real packets, every row compared with the
engine and with the scenario's hand-derived table.

Every scenario of tests/fixtures/cnp/ that the engine answers runs (``make test`` too: they
are small); ``SOCKLOCK_LAB_CNP=01,05`` picks some by number.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.lab.test_lab_kernel import kernel_vs_table, run_scenario
from tests.policy.test_cnp_conformance import CNP_FIXTURES, cnp_scenarios

pytestmark = pytest.mark.lab


def _chosen() -> list[Path]:
    wanted = {w.strip() for w in os.environ.get("SOCKLOCK_LAB_CNP", "").split(",") if w.strip()}
    found = cnp_scenarios(refused=False)
    return [f for f in found if not wanted or f.name.split("-")[0] in wanted]


@pytest.mark.parametrize("folder", _chosen(), ids=lambda p: p.name)
def test_kernel_agrees_with_engine_and_truth_table(folder: Path, lab_run_id: str) -> None:
    comparison, expected, inventory = run_scenario(folder, lab_run_id, CNP_FIXTURES)
    assert [str(d) for d in comparison.differences] == []
    wrong, unobserved = kernel_vs_table(comparison, expected, inventory)
    assert wrong == []
    assert unobserved == []
    assert len(comparison.rows) > 0
