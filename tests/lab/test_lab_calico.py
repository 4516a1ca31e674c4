"""Calico policies enforced by nftables (:mod:`socklock.lab.nft_calico`, compiled from the
policy objects, not from the decider), probed with real packets, every row compared with the
Calico decider and with the scenario's hand-derived table.

``make test`` runs a few scenarios (tiers and Pass, Log, nets and notNets, an Allow final
across tiers, Kubernetes NetworkPolicies under a tier on both directions);
``SOCKLOCK_LAB_CALICO=all`` runs every answered scenario of tests/fixtures/calico/ (``make
bench`` does), ``SOCKLOCK_LAB_CALICO=01,19`` picks some by number.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from tests.lab.test_lab_kernel import _asked, kernel_vs_table
from tests.policy.test_calico_conformance import CALICO, calico_scenarios, load_scenario
from tests.policy.truth import FIXTURES, Expected, parse

from socklock.lab import Comparison, check, running
from socklock.model import Inventory
from socklock.policy import analyse

pytestmark = pytest.mark.lab

SMALL = ("01", "10", "27", "31", "35", "45")


def _chosen() -> list[Path]:
    wanted = os.environ.get("SOCKLOCK_LAB_CALICO", "")
    found = calico_scenarios(refused=False)
    if wanted == "all":
        return found
    chosen = {w.strip() for w in wanted.split(",") if w.strip()} or set(SMALL)
    return [f for f in found if f.name in chosen or f.name.split("-")[0] in chosen]


def run_calico_scenario(folder: Path, run_id: str) -> tuple[Comparison, Expected, Inventory]:
    """A Calico scenario (Kubernetes NetworkPolicies beside, if any) enforced in the lab and
    probed, beside the engine's answer (the Calico decider)."""
    expected = parse(folder / "expected.txt")
    inventory, _ = load_scenario(folder)
    names, ports = _asked(expected, inventory)
    with running(inventory, run_id=run_id, externals=names, extra_ports=ports) as lab:
        comparison = check(lab, analyse(inventory, externals=names))
    return comparison, expected, inventory


@pytest.mark.parametrize("folder", _chosen(), ids=lambda p: p.name)
def test_kernel_agrees_with_decider_and_truth_table(folder: Path, lab_run_id: str) -> None:
    comparison, expected, inventory = run_calico_scenario(folder, lab_run_id)
    assert [str(d) for d in comparison.differences] == []
    wrong, unobserved = kernel_vs_table(comparison, expected, inventory)
    assert wrong == []
    assert unobserved == []
    assert len(comparison.rows) > 0


# `lab up` leaves its listeners running by design (`down` stops them by pid).
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_cli_up_probe_down_with_calico_policies(tmp_path: Path, lab_run_id: str) -> None:
    """`socklock lab probe` compares a Calico lab with the Calico decider."""
    from click.testing import CliRunner

    from socklock._cli.main import cli

    def invoke(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(cli, list(args), standalone_mode=False)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.return_value, result.output

    work = tmp_path / "input"
    work.mkdir()
    (work / "cluster.yaml").write_text((FIXTURES / "_cluster" / "cluster.yaml").read_text())
    policies = CALICO / "25-tiers-both-directions" / "policies.yaml"
    (work / "policies.yaml").write_text(policies.read_text())
    run_dir = tmp_path / "run"
    try:
        code, out = invoke("lab", "up", str(work), "--run-dir", str(run_dir))
        assert code == 0, out
        code, out = invoke("lab", "probe", str(work), "--run-dir", str(run_dir))
        last = re.sub(r"in [0-9.]+s\)", "in Ts)", out.splitlines()[-1])
        assert (code, last) == (
            0,
            "468 rows (792 connections in Ts): 468 agree, 0 differ, 198 skipped: "
            "the kernel agrees with the engine",
        )
    finally:
        code, out = invoke("lab", "down", str(work), "--run-dir", str(run_dir))
    assert (code, out) == (0, "removed 11 namespace(s)\n")
