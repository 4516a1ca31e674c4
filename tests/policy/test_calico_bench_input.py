"""The benchmark's Calico cluster is the NetworkPolicy one under a security tier: the same
allowed rows, but for the one the tier denies (ns01 into ns00), so bench_calico times the
same answer in both flavours."""

from __future__ import annotations

from pathlib import Path

from benchmarks.bench_calico import write_calico
from benchmarks.bench_verify import write_cluster

from socklock.load import load_paths
from socklock.policy import analyse
from socklock.policy.calico_model import API_VERSION, analyse_calico
from socklock.policy.result import Connection


def _key(row: Connection) -> tuple[str, str, int, str, str]:
    return (row.source, row.target, row.port, str(row.protocol), row.verdict.value)


def test_tiered_calico_allows_the_network_policy_rows_but_the_denied_namespace(
    tmp_path: Path,
) -> None:
    write_cluster(tmp_path / "np", 150, 30, 3)
    write_calico(tmp_path / "np", tmp_path / "calico")
    plain = {_key(r) for r in analyse(load_paths([str(tmp_path / "np")])).connections()}
    inventory = load_paths([str(tmp_path / "calico")])
    calico = [o for o in inventory.objects if o.api_version == API_VERSION]
    tiered = {_key(r) for r in analyse_calico(inventory, calico).connections()}
    assert tiered <= plain
    assert sorted(plain - tiered) == [("ns01/svc0061", "ns00/svc0120", 8080, "TCP", "allowed")]
