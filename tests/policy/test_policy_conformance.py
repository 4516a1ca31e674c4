"""Every scenario folder under tests/fixtures/policy/ agrees with its hand-derived truth table.

The tables were written by reasoning from the Kubernetes API reference (see each folder's
expected.txt comments), in the style of the upstream e2e netpol tests: namespaces x, y, z and
pods a, b, c serving 80 and 81 on TCP, UDP and SCTP.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.policy.truth import FIXTURES, check_listing, mismatches, parse, scenarios

from socklock.load import load_paths
from socklock.model import Protocol
from socklock.policy.engine import Connectivity, analyse
from socklock.policy.result import PolicyErrors


def _analyse(folder: Path) -> tuple[Connectivity | PolicyErrors, list[str]]:
    expected = parse(folder / "expected.txt")
    paths = [str(FIXTURES / name) for name in expected.clusters] + [str(folder)]
    inventory = load_paths(paths)
    assert [str(d) for d in inventory.errors] == []
    try:
        return analyse(inventory, cni=expected.cni), paths
    except PolicyErrors as refused:
        return refused, paths


@pytest.mark.parametrize("folder", scenarios(), ids=lambda p: p.name)
def test_scenario(folder: Path) -> None:
    """The engine's verdicts are exactly the hand-derived table (or its exact refusal)."""
    expected = parse(folder / "expected.txt")
    result, _ = _analyse(folder)
    if expected.errors:
        assert isinstance(result, PolicyErrors), "the engine answered but must refuse"
        found = [str(d).replace(f"{folder}/", "") for d in result.diagnostic_list]
        assert found == expected.errors
        return
    assert not isinstance(result, PolicyErrors), result.diagnostics()
    connectivity = result
    assert mismatches(expected, connectivity) == []


@pytest.mark.parametrize("folder", scenarios(refused=False), ids=lambda p: p.name)
def test_connections_agree_with_verdicts(folder: Path) -> None:
    """connections(include_denied=True) lists each declared port with the verdict of verdict()."""
    result, _ = _analyse(folder)
    assert isinstance(result, Connectivity)
    check_listing(result)
    rows = result.connections(include_denied=True)
    allowed_only = result.connections()
    assert allowed_only == tuple(r for r in rows if r.verdict.value != "denied")
    assert all(isinstance(r.protocol, Protocol) for r in rows)


def test_the_suite_covers_enough_scenarios() -> None:
    assert len(scenarios()) >= 40
    assert len(scenarios(refused=True)) >= 5
