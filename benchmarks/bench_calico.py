"""Calico policies with tiers against the same cluster in NetworkPolicy.

The Monzo-size cluster of :mod:`benchmarks.bench_verify` (1,500 services, 30 namespaces, a
default-deny and one ingress policy per service), then the same policies written as Calico
``projectcalico.org/v3`` NetworkPolicies (each NetworkPolicy's selectors as Calico selector
expressions, ports as TCP rules; the default-deny as a policy with no rule, denied at the end
of the default tier) under a ``security`` tier (order 100) whose GlobalNetworkPolicy denies
ns01 into ns00 and passes the rest. The analysis and the whole table (every row, denied
included) are timed for both, best of three. Target (issue 15): Calico with tiers within
1.5x of NetworkPolicy alone.
"""

from __future__ import annotations

import gc
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from benchmarks.bench_verify import write_cluster

TIER = """apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: security}
spec: {order: 100}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: security.ns00-refuses-ns01}
spec:
  tier: security
  selector: all()
  namespaceSelector: projectcalico.org/name == 'ns00'
  ingress:
    - action: Deny
      source: {namespaceSelector: projectcalico.org/name == 'ns01'}
    - action: Pass
"""


def _selector(match: dict[str, Any] | None) -> str:
    labels = (match or {}).get("matchLabels") or {}
    return " && ".join(f"{k} == '{v}'" for k, v in sorted(labels.items())) or "all()"


def _as_calico(policy: dict[str, Any]) -> dict[str, Any]:
    """One generated NetworkPolicy (matchLabels peers, numeric ports) as a Calico one."""
    spec = policy["spec"]
    rules = []
    for rule in spec.get("ingress") or []:
        ports = [p["port"] for p in rule.get("ports") or []]
        for peer in rule.get("from") or []:
            source = {"selector": _selector(peer.get("podSelector"))}
            if "namespaceSelector" in peer:
                names = peer["namespaceSelector"]["matchLabels"]
                source["namespaceSelector"] = (
                    f"projectcalico.org/name == '{names['kubernetes.io/metadata.name']}'"
                )
            rules.append(
                {
                    "action": "Allow",
                    "protocol": "TCP",
                    "source": source,
                    "destination": {"ports": ports},
                }
            )
    return {
        "apiVersion": "projectcalico.org/v3",
        "kind": "NetworkPolicy",
        "metadata": policy["metadata"],
        "spec": {
            "selector": _selector(spec.get("podSelector")),
            "types": ["Ingress"],
            "ingress": rules,
        },
    }


def write_calico(source: Path, target: Path) -> None:
    """``source``'s files with each NetworkPolicy rewritten for Calico, plus the tier."""
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.glob("*.yaml")):
        docs = [d for d in yaml.safe_load_all(path.read_text()) if d]
        out = [_as_calico(d) if d.get("kind") == "NetworkPolicy" else d for d in docs]
        (target / path.name).write_text(yaml.safe_dump_all(out, sort_keys=False))
    (target / "00-tier.yaml").write_text(TIER)


def _best(run: Callable[[], int]) -> tuple[float, int]:
    best, rows = float("inf"), 0
    for _ in range(3):
        start = time.perf_counter()
        rows = run()
        best = min(best, time.perf_counter() - start)
    return best, rows


def main(full: bool) -> dict[str, float | int | str]:
    from socklock.load import load_paths
    from socklock.policy import analyse
    from socklock.policy.calico_model import API_VERSION, analyse_calico

    services = 1500 if full else 150
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        with tempfile.TemporaryDirectory(prefix="socklock-bench-calico-") as tmp:
            plain_dir, calico_dir = Path(tmp) / "np", Path(tmp) / "calico"
            write_cluster(plain_dir, services, 30, 3)
            write_calico(plain_dir, calico_dir)
            plain = load_paths([str(plain_dir)])
            tiered = load_paths([str(calico_dir)])
            calico = [o for o in tiered.objects if o.api_version == API_VERSION]
            np_seconds, np_rows = _best(
                lambda: len(analyse(plain).connections(include_denied=True))
            )
            calico_seconds, calico_rows = _best(
                lambda: len(analyse_calico(tiered, calico).connections(include_denied=True))
            )
            # what `policy verify` runs: analyse() on the Calico input, and on the
            # NetworkPolicies themselves under the tier (converted as Calico converts them)
            verify_seconds, verify_rows = _best(
                lambda: len(analyse(tiered).connections(include_denied=True))
            )
            mixed_dir = Path(tmp) / "mixed"
            shutil.copytree(plain_dir, mixed_dir)
            (mixed_dir / "00-tier.yaml").write_text(TIER)
            mixed = load_paths([str(mixed_dir)])
            mixed_seconds, mixed_rows = _best(
                lambda: len(analyse(mixed).connections(include_denied=True))
            )
    finally:
        if was_enabled:
            gc.enable()
    return {
        "services": services,
        "np_seconds": round(np_seconds, 3),
        "np_rows": np_rows,
        "calico_tiers_seconds": round(calico_seconds, 3),
        "calico_tiers_rows": calico_rows,
        "ratio": round(calico_seconds / np_seconds, 2),
        "calico_verify_seconds": round(verify_seconds, 3),
        "calico_verify_rows": verify_rows,
        "verify_ratio": round(verify_seconds / np_seconds, 2),
        "np_under_calico_tier_seconds": round(mixed_seconds, 3),
        "np_under_calico_tier_rows": mixed_rows,
        "mixed_ratio": round(mixed_seconds / np_seconds, 2),
        "target_ratio": 1.5,
    }
