"""Every scenario folder under tests/fixtures/cilium/ agrees with its hand-derived truth table.

CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy (``cilium.io/v2``, L3/L4) beside
NetworkPolicy. Each table was written by reasoning from Cilium's policy reference (the
comments of each expected.txt cite the rule used), never from the engine's output. The
cluster is the NetworkPolicy scenarios' (tests/fixtures/policy/_cluster: namespaces x, y, z;
pods a, b, c serving 80 and 81 on TCP, UDP and SCTP) unless a folder brings its own.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.policy.truth import analyse_scenario, check_listing, check_scenario, scenarios

from socklock.policy.engine import Connectivity
from socklock.policy.result import PolicyErrors

CILIUM_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cilium"


def cilium_scenarios(refused: bool | None = None) -> list[Path]:
    return scenarios(refused, CILIUM_FIXTURES)


def _analyse(folder: Path) -> Connectivity | PolicyErrors:
    result: Connectivity | PolicyErrors = analyse_scenario(folder, CILIUM_FIXTURES)
    return result


@pytest.mark.parametrize("folder", cilium_scenarios(), ids=lambda p: p.name)
def test_scenario(folder: Path) -> None:
    """The verdicts are exactly the hand-derived table (or its exact refusal)."""
    check_scenario(folder, CILIUM_FIXTURES, Connectivity)


@pytest.mark.parametrize("folder", cilium_scenarios(refused=False), ids=lambda p: p.name)
def test_listing_agrees_with_verdicts(folder: Path) -> None:
    """The shared listing (table.iter_rows over this decider) gives verdict()'s answers."""
    result = _analyse(folder)
    assert isinstance(result, Connectivity)
    check_listing(result)


def test_the_suite_covers_enough_scenarios() -> None:
    assert len(cilium_scenarios()) >= 25
    assert len(cilium_scenarios(refused=True)) >= 4
