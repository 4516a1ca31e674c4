"""Real packets against the engine: the conformance scenarios and the demo shop's generated
policies, enforced by nftables in network namespaces (root, ``ip`` and ``nft``).

``make test`` runs a small set of scenarios (default deny, podSelector, namespaceSelector AND
and OR, UDP, named ports on ingress and egress, endPort, egress isolation, ipBlock with except
to the outside namespace, replicas); ``SOCKLOCK_LAB_SCENARIOS=all`` runs every scenario that
the engine answers (or a comma-separated list of folder names or numbers). SCTP rows are
skipped: the kernel here has no SCTP sockets.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import DEMO_CALLS, DEMO_SHOP
from tests.lab.scenarios import SMALL
from tests.policy.truth import FIXTURES, Expected, parse, scenario_paths, scenarios

from socklock.lab import Comparison, check, running, system
from socklock.load import load_paths
from socklock.model import Inventory, Protocol
from socklock.policy import analyse

pytestmark = pytest.mark.lab


def _chosen() -> list[pytest.param]:  # type: ignore[valid-type]
    wanted = os.environ.get("SOCKLOCK_LAB_SCENARIOS", "")
    # the lab enforces the generic reading of ipBlocks; --cni calico/cilium are the engine's
    folders = [f for f in scenarios(refused=False) if parse(f / "expected.txt").cni == "generic"]
    if wanted == "all":
        names = {f.name for f in folders}
    elif wanted:  # folder names, or just their numbers: "38,39" or "38-ipblock-matches-pod-ips"
        chosen = {w.strip() for w in wanted.split(",")}
        names = {f.name for f in folders if f.name in chosen or f.name.split("-")[0] in chosen}
    else:
        names = set(SMALL)
    return [pytest.param(f, id=f.name) for f in folders if f.name in names]


def _asked(expected: Expected, inventory: Inventory) -> tuple[set[str], set[tuple[int, Protocol]]]:
    """External ranges and ports the scenario's tables speak of ("@ *": every port any
    workload declares, on every workload)."""
    names = {
        n
        for t in expected.tables
        for n in [*t.targets, *(s for s, _ in t.rows)]
        if n.startswith("external:")
    }
    ports = {(n, Protocol(p)) for t in expected.tables if t.ports for n, p in t.ports}
    if any(t.ports is None for t in expected.tables):
        ports.update((p.container_port, p.protocol) for w in inventory.workloads for p in w.ports)
    return names, ports


def run_scenario(
    folder: Path, run_id: str, root: Path = FIXTURES
) -> tuple[Comparison, Expected, Inventory]:
    """A scenario (of ``root``'s flavour) enforced in the lab and probed, beside the engine."""
    expected = parse(folder / "expected.txt")
    inventory = load_paths(scenario_paths(folder, root))
    assert [str(d) for d in inventory.errors] == []
    names, ports = _asked(expected, inventory)
    with running(inventory, run_id=run_id, externals=names, extra_ports=ports) as lab:
        comparison = check(lab, analyse(inventory, externals=names, cni=expected.cni))
    return comparison, expected, inventory


def kernel_vs_table(
    comparison: Comparison, expected: Expected, inventory: Inventory
) -> tuple[list[str], list[tuple[str, str, int, str]]]:
    """(rows where the kernel departs from the hand-derived table, table rows the lab did
    not probe and did not say why): both empty when real packets give the table."""
    kernel = {(r.source, r.target, r.port, str(r.protocol)): r.kernel for r in comparison.rows}
    skipped = {(s.source, s.target, s.port, str(s.protocol)) for s in comparison.skipped}
    declared = sorted(
        {(p.container_port, str(p.protocol)) for w in inventory.workloads for p in w.ports}
    )
    listed: set[tuple[int, str]] = set()
    wrong: list[str] = []
    unobserved: list[tuple[str, str, int, str]] = []
    for table in expected.tables:
        ports = [p for p in declared if p not in listed] if table.ports is None else table.ports
        listed.update(ports)
        for port, protocol in ports:
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
    return wrong, unobserved


@pytest.mark.parametrize("folder", _chosen())
def test_kernel_agrees_with_engine_and_truth_table(folder: Path, lab_run_id: str) -> None:
    comparison, expected, inventory = run_scenario(folder, lab_run_id)
    assert [str(d) for d in comparison.differences] == []
    wrong, unobserved = kernel_vs_table(comparison, expected, inventory)
    assert wrong == []
    assert unobserved == []
    assert len(comparison.rows) > 0


def test_generated_shop_policies_allow_exactly_the_graph(lab_run_id: str) -> None:
    """The demo shop's generated policies, enforced for real: the 14 calls and the entry
    point from outside get through, nothing else does between the 13 workloads (on their
    ports and the ports the policies mention). DNS to kube-dns is not probed: the input has
    no kube-dns pod, so the DNS egress rules select no pod."""
    from socklock.discover import discover
    from socklock.policy.generate import generate
    from socklock.policy.intent import graph_externals

    cwd = Path.cwd()
    os.chdir(DEMO_SHOP.parent.parent)
    try:
        inventory = load_paths(["examples/sockshop"])
        graph = discover(inventory, code=False)
    finally:
        os.chdir(cwd)
    generated = generate(inventory, graph)
    externals = graph_externals(graph)
    with running(inventory, generated.policies, run_id=lab_run_id, externals=externals) as lab:
        assert len(lab.topology.endpoints) == 13
        comparison = check(lab, analyse(inventory, generated.policies, externals=externals))
    assert [str(d) for d in comparison.differences] == []
    assert comparison.skipped == ()
    allowed = {
        (r.source, r.target, r.port, str(r.protocol))
        for r in comparison.rows
        if r.kernel.value != "denied"
    }
    calls = {(e.source, e.target, e.port, e.protocol) for e in graph.edges}
    assert calls == DEMO_CALLS
    entries = {
        (name, e.workload, e.port, e.protocol)
        for e in graph.entry_points
        for name in ("external:0.0.0.0/0", "external:::/0")
    }
    assert allowed == calls | entries
    # Every workload is probed from every workload (w -> w between two replicas).
    pairs = {(r.source, r.target) for r in comparison.rows if not r.source.startswith("ext")}
    assert len({p for p in pairs if not p[1].startswith("ext")}) == 13 * 13


def test_teardown_removes_everything_even_on_failure(lab_run_id: str) -> None:
    inventory = load_paths([str(FIXTURES / "_cluster-named")])
    pids: list[int] = []
    with pytest.raises(RuntimeError), running(inventory, run_id=lab_run_id) as lab:
        pids.extend(lab.listeners.values())
        assert system.namespaces(lab.topology.prefix)
        assert all(system.is_agent(pid) for pid in pids)
        raise RuntimeError("the test failed in the middle")
    assert system.namespaces(f"{system.PREFIX}{lab_run_id}-") == []
    assert not any(system.is_agent(pid) for pid in pids)


def test_nothing_in_the_root_namespace_changes(lab_run_id: str) -> None:
    def state() -> tuple[str, str, str]:
        links = subprocess.run(["ip", "-o", "link"], capture_output=True, text=True).stdout
        routes = subprocess.run(["ip", "route"], capture_output=True, text=True).stdout
        tables = subprocess.run(["nft", "list", "tables"], capture_output=True, text=True).stdout
        return links, routes, tables

    before = state()
    inventory = load_paths([str(FIXTURES / "_cluster-named")])
    with running(inventory, run_id=lab_run_id) as lab:
        during = state()
        # the lab's namespaces hold the bridge: the root namespace has no socklock link
        assert "socklock" not in during[0]
        out = subprocess.run(
            ["ip", "-n", lab.topology.bridge_netns, "-o", "link"], capture_output=True, text=True
        ).stdout
        assert "socklock-br0" in out
    assert state() == before == during


# `lab up` leaves its listeners running by design (`down` stops them by pid): in-process, the
# Popen objects of the command are dropped while their processes still run.
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_cli_up_probe_down(tmp_path: Path, lab_run_id: str) -> None:
    from socklock._cli.main import cli

    def invoke(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(cli, list(args), standalone_mode=False)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        code = result.return_value if isinstance(result.return_value, int) else result.exit_code
        return code, result.output

    work = tmp_path / "input"
    work.mkdir()
    (work / "cluster.yaml").write_text((FIXTURES / "_cluster-named" / "cluster.yaml").read_text())
    policy = FIXTURES / "22-named-port-differs-per-pod" / "policies.yaml"
    (work / "policies.yaml").write_text(policy.read_text())
    run_dir = tmp_path / "run"
    try:
        code, out = invoke("lab", "up", str(work), "--run-dir", str(run_dir))
        assert code == 0, out
        assert "up: 4 pods of 4 workloads" in out
        code, out = invoke("lab", "probe", str(work), "--run-dir", str(run_dir))
        assert code == 0, out
        assert "the kernel agrees with the engine" in out
        code, out = invoke("lab", "probe", str(work), "--run-dir", str(run_dir), "--format", "json")
        assert code == 0, out
        document = json.loads(out)
        assert (document["schema"], document["ok"], document["rows"]) == (
            "socklock/lab/v1",
            True,
            [],
        )
        assert document["summary"]["rows"] > 0 and document["summary"]["differences"] == 0
        # Policies edited after `up`: the kernel's rules are stale, probe refuses.
        (work / "policies.yaml").write_text(policy.read_text().replace("web", "http"))
        code, _ = invoke("lab", "probe", str(work), "--run-dir", str(run_dir))
        assert code == 2
    finally:
        code, out = invoke("lab", "down", str(work), "--run-dir", str(run_dir))
    assert code == 0
    assert list(run_dir.glob("*.json")) == []


def _lab_namespaces(run_id: str) -> list[str]:
    listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    prefix = f"{system.PREFIX}{run_id}-"
    return sorted(line.split()[0] for line in listed.splitlines() if line.startswith(prefix))


@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_down_without_path_spares_a_lab_in_use_and_labs_it_did_not_save(
    tmp_path: Path, lab_run_id: str
) -> None:
    from socklock._cli.lab import _run_id
    from socklock._cli.main import cli
    from socklock.lab import state

    def invoke(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(cli, list(args), standalone_mode=False)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.return_value, result.output

    work = tmp_path / "input"
    work.mkdir()
    (work / "cluster.yaml").write_text((FIXTURES / "_cluster" / "cluster.yaml").read_text())
    run_dir = tmp_path / "run"
    saved_run = _run_id([str(work)], run_dir)
    inventory = load_paths([str(FIXTURES / "_cluster")])
    with running(inventory, run_id=lab_run_id):  # another process's lab: no saved state
        other = _lab_namespaces(lab_run_id)
        try:
            assert invoke("lab", "up", str(work), "--run-dir", str(run_dir))[0] == 0
            mine = _lab_namespaces(saved_run)
            assert mine != [] and other != []
            with state.locked(saved_run, run_dir, exclusive=False):  # a probe is running
                code, out = invoke("lab", "down", "--run-dir", str(run_dir))
                assert (code, out) == (
                    1,
                    f"removed 0 namespace(s)\nleft lab {saved_run} alone: another process "
                    "is using it\n",
                )
                assert _lab_namespaces(saved_run) == mine
            code, out = invoke("lab", "down", "--run-dir", str(run_dir))
            assert (code, out) == (0, f"removed {len(mine)} namespace(s)\n")
            assert _lab_namespaces(saved_run) == []
            assert _lab_namespaces(lab_run_id) == other  # not saved here: left alone
            assert sorted(p.name for p in run_dir.iterdir()) == []
        finally:
            invoke("lab", "down", str(work), "--run-dir", str(run_dir))


def test_cli_refuses_without_root(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from socklock._cli.main import cli

    monkeypatch.setattr(system.os, "geteuid", lambda: 1000)
    result = CliRunner().invoke(
        cli,
        ["lab", "up", str(FIXTURES / "_cluster"), "--run-dir", str(tmp_path)],
        standalone_mode=False,
    )
    assert result.return_value == 2
    assert "needs root" in result.output


@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_cli_log_mode_logs_what_would_be_refused_and_audit_names_it(
    tmp_path: Path, lab_run_id: str
) -> None:
    """`lab up --mode log --log FILE`: a connection the policy would refuse gets through,
    is logged by the refusing pod, and `socklock audit` names the policy."""
    from socklock._cli.lab import _run_id
    from socklock._cli.main import cli
    from socklock.lab import state
    from socklock.lab.probe import run_prober_spec

    def invoke(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(cli, list(args), standalone_mode=False)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.return_value, result.output

    work = tmp_path / "input"
    work.mkdir()
    (work / "cluster.yaml").write_text((FIXTURES / "_cluster" / "cluster.yaml").read_text())
    (work / "policies.yaml").write_text((FIXTURES / "07-and-peer" / "policies.yaml").read_text())
    run_dir, log = tmp_path / "run", tmp_path / "lab-flows.jsonl"
    assert invoke("lab", "up", str(work), "--run-dir", str(run_dir), "--log", str(log))[0] == 2
    try:
        code, out = invoke(
            "lab", "up", str(work), "--run-dir", str(run_dir), "--mode", "log", "--log", str(log)
        )
        assert code == 0, out
        assert f"logged to {log}" in out
        saved = state.load(_run_id([str(work)], run_dir), run_dir)
        assert saved is not None and saved.mode == "log"
        topology = saved.topology
        source, target = topology.pods_of("x/b")[0], topology.pods_of("x/a")[0]
        allowed = topology.pods_of("y/b")[0]
        attempts = [
            [0, target.address(4), 80, "TCP", None],  # x/b -> x/a: refused in enforce mode
            [1, target.address(4), 81, "UDP", None],
        ]
        outcomes = run_prober_spec(source.netns, {"timeout": 1.0, "attempts": attempts})
        assert outcomes == {"0": f"ok:{target.netns}", "1": f"ok:{target.netns}"}
        outcomes = run_prober_spec(allowed.netns, {"timeout": 1.0, "attempts": attempts[:1]})
        assert outcomes == {"0": f"ok:{target.netns}"}  # y/b -> x/a: allowed, not logged
        code, out = invoke("lab", "probe", str(work), "--run-dir", str(run_dir))
        assert code == 2
    finally:
        assert invoke("lab", "down", str(work), "--run-dir", str(run_dir))[0] == 0
    assert not system.is_agent(saved.listeners["log"])
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert sorted(
        (r["prefix"], r["src"], r["dst"], r["protocol"], r["dport"]) for r in records
    ) == [
        ("socklock ingress x/a pod 0", source.address(4), target.address(4), "TCP", 80),
        ("socklock ingress x/a pod 0", source.address(4), target.address(4), "UDP", 81),
    ]
    code, out = invoke(
        "audit",
        str(log),
        "--policy",
        str(work / "policies.yaml"),
        "--cluster",
        str(work / "cluster.yaml"),
        "--addresses",
        f"{log}.addresses",
        "--no-graph",
        "--format",
        "json",
    )
    assert code == 1, out
    dropped = json.loads(out)["dropped"]
    assert [
        (
            d["from"],
            d["to"],
            d["port"],
            d["protocol"],
            [c["policies"][0]["policy"] for c in d["decided_by"]],
        )
        for d in dropped
    ] == [
        ("x/b", "x/a", 80, "TCP", ["x/a-from-y-b"]),
        ("x/b", "x/a", 81, "UDP", ["x/a-from-y-b"]),
    ]
