"""AdminNetworkPolicy and BaselineAdminNetworkPolicy enforced by nftables (:mod:`socklock.lab.
nft_admin`, compiled from the policies, not from the engine), probed with real packets, every
row compared with the engine and with the scenario's hand-derived table.

Every scenario of tests/fixtures/anp/ that the engine answers runs (``make test`` too: there
are few and they are small); ``SOCKLOCK_LAB_ANP=01,05`` picks some by number.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.lab.test_lab_kernel import _asked
from tests.policy.test_anp_conformance import ANP_FIXTURES, anp_scenarios
from tests.policy.truth import parse, scenario_paths

from socklock.lab import check, running
from socklock.load import load_paths
from socklock.policy import analyse

pytestmark = pytest.mark.lab


def _chosen() -> list[Path]:
    wanted = {w.strip() for w in os.environ.get("SOCKLOCK_LAB_ANP", "").split(",") if w.strip()}
    found = anp_scenarios(refused=False)
    return [f for f in found if not wanted or f.name.split("-")[0] in wanted]


@pytest.mark.parametrize("folder", _chosen(), ids=lambda p: p.name)
def test_kernel_agrees_with_engine_and_truth_table(folder: Path, lab_run_id: str) -> None:
    expected = parse(folder / "expected.txt")
    inventory = load_paths(scenario_paths(folder, ANP_FIXTURES))
    assert [str(d) for d in inventory.errors] == []
    names, ports = _asked(expected, inventory)
    with running(inventory, run_id=lab_run_id, externals=names, extra_ports=ports) as lab:
        comparison = check(lab, analyse(inventory, externals=names, cni=expected.cni))
    assert [str(d) for d in comparison.differences] == []
    kernel = {(r.source, r.target, r.port, str(r.protocol)): r.kernel for r in comparison.rows}
    skipped = {(s.source, s.target, s.port, str(s.protocol)) for s in comparison.skipped}
    declared = sorted(
        {(p.container_port, str(p.protocol)) for w in inventory.workloads for p in w.ports}
    )
    listed: set[tuple[int, str]] = set()
    wrong, unobserved = [], []
    for table in expected.tables:
        table_ports = (
            [p for p in declared if p not in listed] if table.ports is None else table.ports
        )
        listed.update(table_ports)
        for port, protocol in table_ports:
            if protocol == "SCTP":
                continue  # the kernel here has no SCTP sockets
            for source, cells in table.rows:
                for target, want in zip(table.targets, cells, strict=True):
                    key = (source, target, port, protocol)
                    if key not in kernel:
                        if key not in skipped:
                            unobserved.append(key)
                    elif kernel[key] != want:
                        wrong.append(f"{key}: kernel {kernel[key]}, expected {want}")
    assert wrong == []
    assert unobserved == []
    assert len(comparison.rows) > 0
