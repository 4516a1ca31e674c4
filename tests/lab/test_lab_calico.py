"""Calico policies enforced by nftables (:mod:`socklock.lab.nft_calico`, compiled from the
policy objects, not from the decider), probed with real packets, every row compared with the
Calico decider and with the scenario's hand-derived table.

``make test`` runs a few scenarios (tiers and Pass, Log, named ports, both directions, nets,
an Allow final across tiers);
``SOCKLOCK_LAB_CALICO=all`` runs every answered scenario of tests/fixtures/calico/ (``make
bench`` does), ``SOCKLOCK_LAB_CALICO=01,19`` picks some by number.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.lab.test_lab_kernel import _asked, kernel_vs_table
from tests.policy.test_calico_conformance import calico_scenarios, load_scenario
from tests.policy.truth import Expected, parse

from socklock.lab import Comparison, check, running
from socklock.model import Inventory
from socklock.policy.calico_model import analyse_calico

pytestmark = pytest.mark.lab

SMALL = ("01", "10", "19", "25", "27", "31")


def _chosen() -> list[Path]:
    wanted = os.environ.get("SOCKLOCK_LAB_CALICO", "")
    found = calico_scenarios(refused=False)
    if wanted == "all":
        return found
    chosen = {w.strip() for w in wanted.split(",") if w.strip()} or set(SMALL)
    return [f for f in found if f.name in chosen or f.name.split("-")[0] in chosen]


def run_calico_scenario(folder: Path, run_id: str) -> tuple[Comparison, Expected, Inventory]:
    """A Calico scenario enforced in the lab and probed, beside the Calico decider."""
    expected = parse(folder / "expected.txt")
    inventory, calico = load_scenario(folder)
    names, ports = _asked(expected, inventory)
    with running(inventory, run_id=run_id, externals=names, extra_ports=ports) as lab:
        comparison = check(lab, analyse_calico(inventory, calico, externals=names))
    return comparison, expected, inventory


@pytest.mark.parametrize("folder", _chosen(), ids=lambda p: p.name)
def test_kernel_agrees_with_decider_and_truth_table(folder: Path, lab_run_id: str) -> None:
    comparison, expected, inventory = run_calico_scenario(folder, lab_run_id)
    assert [str(d) for d in comparison.differences] == []
    wrong, unobserved = kernel_vs_table(comparison, expected, inventory)
    assert wrong == []
    assert unobserved == []
    assert len(comparison.rows) > 0
