"""The lab: real packets through nftables in network namespaces, timed, against the engine.

``main(full=True)`` (``make bench``) runs every conformance scenario the engine answers plus
the demo shop's generated policies, then every answered ANP, ClusterNetworkPolicy, Calico and
Cilium scenario and 100 random sets of each flavour; ``full=False`` the small sets ``make
test`` runs. Each run is up (namespaces, rules, listeners), probe, compare, down; the result
has the time of each stage, the connections probed and every disagreement between the kernel
and the engine. Then the rollout story (``socklock demo --lab``): the shop's own programs in
the lab, the shopper and the attacker open and enforced, a full probe, log mode; its target
is lab up + shopper + attacker + full probe under 30 s.
Needs root, ``ip`` and ``nft``: otherwise the result says why it was skipped.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

REPO = Path(__file__).resolve().parents[1]

if TYPE_CHECKING:
    from socklock.model import Inventory, K8sObject


def _one(
    inventory: Inventory, policies: Sequence[K8sObject] | None, externals: tuple[str, ...]
) -> dict[str, object]:
    from socklock.lab import check, running
    from socklock.lab.session import decider
    from socklock.policy import analyse

    started = time.perf_counter()
    with running(inventory, policies, externals=externals) as lab:
        up = time.perf_counter() - started
        if policies is None:  # the inventory's own: Calico's go to the Calico decider
            engine = decider(inventory, externals)
        else:
            engine = analyse(inventory, policies, externals=externals)
        comparison = check(lab, engine)
        mark = time.perf_counter()
    down = time.perf_counter() - mark
    return {
        "pods": len(lab.topology.pods),
        "up_s": round(up, 3),
        **lab.timings,
        "probe_s": comparison.probe_seconds,
        "down_s": round(down, 3),
        "total_s": round(time.perf_counter() - started, 3),
        "rows": len(comparison.rows),
        "connections": comparison.attempts,
        "skipped_rows": len(comparison.skipped),
        "differences": [str(d) for d in comparison.differences],
    }


def main(full: bool) -> dict[str, object]:
    from socklock.lab import unavailable

    reason = unavailable()
    if reason is not None:
        return {"skipped": reason}
    from tests.lab.scenarios import SMALL
    from tests.policy.truth import FIXTURES, parse, scenarios

    from socklock.load import load_paths

    folders = [f for f in scenarios(refused=False) if full or f.name in SMALL]
    results: dict[str, object] = {}
    started = time.perf_counter()
    disagreements = 0
    for folder in folders:
        clusters = parse(folder / "expected.txt").clusters
        inventory = load_paths([str(FIXTURES / c) for c in clusters] + [str(folder)])
        run = _one(inventory, None, ())
        differences = run["differences"]
        assert isinstance(differences, list)
        disagreements += len(differences)
        results[folder.name] = run
        print(
            f"{folder.name}: {run['total_s']}s, {run['connections']} connections, "
            f"{len(differences)} differences",
            file=sys.stderr,
            flush=True,
        )
    from socklock.discover import discover
    from socklock.policy.generate import generate
    from socklock.policy.intent import graph_externals

    cwd = Path.cwd()
    os.chdir(REPO)
    try:
        shop = load_paths(["examples/sockshop"])
        graph = discover(shop, code=False)
    finally:
        os.chdir(cwd)
    generated = generate(shop, graph)
    run = _one(shop, generated.policies, tuple(graph_externals(graph)))
    differences = run["differences"]
    assert isinstance(differences, list)
    disagreements += len(differences)
    results["sockshop_generated"] = run
    tiers = admin_tiers(full)
    results["admin_tiers"] = tiers
    anp_differences = tiers["disagreements"]
    assert isinstance(anp_differences, int)
    disagreements += anp_differences
    for name, flavour in (
        ("cluster_tiers", cluster_tiers),
        ("calico_tiers", calico_tiers),
        ("cilium_rules", cilium_rules),
    ):
        found = flavour(full)
        results[name] = found
        differing = found["disagreements"]
        assert isinstance(differing, int)
        disagreements += differing
    results["rollout_story"] = story()
    results["scenarios"] = len(folders)
    results["disagreements"] = disagreements
    results["total_s"] = round(time.perf_counter() - started, 3)
    results["targets"] = {
        "small_total_s": 30.0,
        "full_total_s": 120.0,
        "story_up_shop_attack_probe_s": 30.0,
    }
    return results


def admin_tiers(full: bool) -> dict[str, object]:
    """AdminNetworkPolicy/BaselineAdminNetworkPolicy (:mod:`socklock.lab.nft_admin`): every
    answered scenario of tests/fixtures/anp (full) or three, then the random differential
    test (``SOCKLOCK_LAB_ANP_EXAMPLES``: 100 full, 3 small)."""

    from tests.policy.test_anp_conformance import ANP_FIXTURES, anp_scenarios
    from tests.policy.truth import scenario_paths

    from socklock.load import load_paths

    folders = anp_scenarios(refused=False)
    folders = folders if full else folders[:3]
    out: dict[str, object] = {}
    disagreements = 0
    started = time.perf_counter()
    for folder in folders:
        inventory = load_paths(scenario_paths(folder, ANP_FIXTURES))
        run = _one(inventory, None, ())
        differences = run["differences"]
        assert isinstance(differences, list)
        disagreements += len(differences)
        out[folder.name] = run
    out["scenarios_s"] = round(time.perf_counter() - started, 3)
    random = _random_sets(
        "tests/lab/test_lab_anp_property.py",
        "SOCKLOCK_LAB_ANP_EXAMPLES",
        "100" if full else "3",
        "random_tiers",
    )
    disagreements += 0 if random["passed"] else 1
    out["random"] = random
    out["scenarios"] = len(folders)
    out["disagreements"] = disagreements
    return out


def cluster_tiers(full: bool) -> dict[str, object]:
    """ClusterNetworkPolicy (v1alpha2, :mod:`socklock.lab.nft_admin`): every answered scenario
    of tests/fixtures/cnp (full) or three, then the random differential test
    (``SOCKLOCK_LAB_CNP_EXAMPLES``: 100 full, 3 small)."""
    from tests.policy.test_cnp_conformance import CNP_FIXTURES, cnp_scenarios
    from tests.policy.truth import scenario_paths

    from socklock.load import load_paths

    folders = cnp_scenarios(refused=False)
    folders = folders if full else folders[:3]
    return _flavour(
        [(f.name, load_paths(scenario_paths(f, CNP_FIXTURES))) for f in folders],
        "tests/lab/test_lab_anp_property.py",
        "SOCKLOCK_LAB_CNP_EXAMPLES",
        full,
        "random_cluster_policies",
    )


def calico_tiers(full: bool) -> dict[str, object]:
    """Calico policies and tiers (:mod:`socklock.lab.nft_calico`): every answered scenario of
    tests/fixtures/calico (full) or the few ``make test`` runs, against the Calico decider,
    then the random differential test (``SOCKLOCK_LAB_CALICO_EXAMPLES``: 100 full, 3 small)."""
    from tests.lab.test_lab_calico import SMALL
    from tests.policy.test_calico_conformance import calico_scenarios, load_scenario

    folders = [f for f in calico_scenarios(refused=False) if full or f.name[:2] in SMALL]
    return _flavour(
        [(f.name, load_scenario(f)[0]) for f in folders],
        "tests/lab/test_lab_calico_property.py",
        "SOCKLOCK_LAB_CALICO_EXAMPLES",
        full,
    )


def cilium_rules(full: bool) -> dict[str, object]:
    """Cilium policies (:mod:`socklock.lab.nft_cilium`): every answered scenario of
    tests/fixtures/cilium (full) or the few ``make test`` runs, against the engine, then the
    random differential test (``SOCKLOCK_LAB_CILIUM_EXAMPLES``: 100 full, 3 small)."""
    from tests.lab.test_lab_cilium import SMALL
    from tests.policy.test_cilium_conformance import CILIUM_FIXTURES, cilium_scenarios
    from tests.policy.truth import scenario_paths

    from socklock.load import load_paths

    folders = [f for f in cilium_scenarios(refused=False) if full or f.name[:2] in SMALL]
    return _flavour(
        [(f.name, load_paths(scenario_paths(f, CILIUM_FIXTURES))) for f in folders],
        "tests/lab/test_lab_cilium_property.py",
        "SOCKLOCK_LAB_CILIUM_EXAMPLES",
        full,
    )


def _flavour(
    inventories: Sequence[tuple[str, Inventory]],
    test: str,
    variable: str,
    full: bool,
    select: str = "",
) -> dict[str, object]:
    """Each scenario's inventory in the lab against its decider, then ``test`` drawing random
    sets (100 full, 3 small): the runs, the disagreements."""
    out: dict[str, object] = {}
    disagreements = 0
    started = time.perf_counter()
    for name, inventory in inventories:
        run = _one(inventory, None, ())
        differences = run["differences"]
        assert isinstance(differences, list)
        disagreements += len(differences)
        out[name] = run
    out["scenarios_s"] = round(time.perf_counter() - started, 3)
    random = _random_sets(test, variable, "100" if full else "3", select)
    disagreements += 0 if random["passed"] else 1
    out["random"] = random
    out["scenarios"] = len(inventories)
    out["disagreements"] = disagreements
    return out


def _random_sets(test: str, variable: str, examples: str, select: str = "") -> dict[str, object]:
    """Run a lab property test (those of ``test`` whose name holds ``select``) with
    ``variable`` = ``examples``: passed, seconds (and the end of its output when it failed)."""
    import subprocess

    mark = time.perf_counter()
    chosen = ["-k", select] if select else []
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *chosen, test],
        cwd=REPO,
        env={**os.environ, variable: examples},
        capture_output=True,
        text=True,
    )
    random: dict[str, object] = {
        "examples": int(examples),
        "passed": done.returncode == 0,
        "seconds": round(time.perf_counter() - mark, 3),
    }
    if done.returncode != 0:
        random["output"] = done.stdout[-2000:]
    return random


def story() -> dict[str, object]:
    """The rollout story on the demo shop, timed stage by stage."""
    import tempfile

    from socklock.discover import discover
    from socklock.load import load_paths
    from socklock.rollout import find_edge, run

    shop = REPO / "examples" / "sockshop"
    started = time.perf_counter()
    inventory = load_paths([str(shop)])
    graph = discover(inventory)
    mapped = time.perf_counter() - started
    edge = find_edge(graph, "sock-shop/orders", "sock-shop/payment")
    with tempfile.TemporaryDirectory(prefix="socklock-bench-") as out:
        told = run(inventory, graph, shop / "shopper.py", edge, Path(out))
    t = told.timings
    measured = ("lab_up_s", "open_s", "enforced_s", "probe_s")
    return {
        "ok": told.ok,
        "map_s": round(mapped, 3),
        **t,
        "up_shop_attack_probe_s": round(sum(t[k] for k in measured), 3),
        "probe_rows": len(told.comparison.rows) if told.comparison else 0,
        "probe_connections": told.comparison.attempts if told.comparison else 0,
        "demo_total_s": round(time.perf_counter() - started, 3),
    }


if __name__ == "__main__":
    print(json.dumps(main(full="--small" not in sys.argv), indent=2))
