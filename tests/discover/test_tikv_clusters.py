"""TiKV stores that name the same PD list replicate to each other on their advertised
ports, and a TiDB server whose ``--path`` names one of those PDs calls every store. A store
advertising another host's address, a lone store, a TiDB of another PD: nothing."""

from __future__ import annotations

from pathlib import Path

from socklock.discover import discover
from socklock.load import load_paths

PD = "  {name}:\n    image: pingcap/pd:latest\n    command: ['--client-urls=http://0.0.0.0:2379']\n"
STORE = (
    "  {name}:\n    image: pingcap/tikv:v7.5.0\n    command:\n"
    "      - --advertise-addr={advertised}\n      - --pd={pd}\n"
)
TIDB = "  {name}:\n    image: pingcap/tidb:latest\n    command: ['--store=tikv', '--path={pd}']\n"


def _edges(root: Path, services: str) -> set[tuple[str, str, int | None]]:
    (root / "compose.yaml").write_text("services:\n" + services)
    graph = discover(load_paths([str(root / "compose.yaml")]))
    p = root.name
    return {
        (e.source.removeprefix(f"{p}/"), e.target.removeprefix(f"{p}/"), e.port)
        for e in graph.edges
        if not e.hint and "tikv" in e.target
    }


def test_stores_replicate_to_each_other_and_tidb_calls_each(tmp_path: Path) -> None:
    pds = "pd0:2379,pd1:2379"
    services = (
        PD.format(name="pd0")
        + PD.format(name="pd1")
        + STORE.format(name="tikv0", advertised="tikv0:20160", pd=pds)
        + STORE.format(name="tikv1", advertised="tikv1:20161", pd=pds)
        + STORE.format(name="tikv9", advertised="store9.example:20160", pd=pds)  # not itself
        + TIDB.format(name="tidb", pd="pd1:2379")
        + TIDB.format(name="other", pd="pd7:2379")
    )
    assert _edges(tmp_path, services) == {
        ("tikv0", "tikv1", 20161),
        ("tikv1", "tikv0", 20160),
        ("tidb", "tikv0", 20160),
        ("tidb", "tikv1", 20161),
    }


def test_a_lone_store_is_no_cluster(tmp_path: Path) -> None:
    services = (
        PD.format(name="pd0")
        + STORE.format(name="tikv0", advertised="tikv0:20160", pd="pd0:2379")
        + TIDB.format(name="tidb", pd="pd0:2379")
    )
    assert _edges(tmp_path, services) == set()
