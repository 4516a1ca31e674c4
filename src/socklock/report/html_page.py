"""report.html of a scan: which policies its connections are checked against."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, cast

from socklock.model import Finding, Inventory, ServiceGraph

if TYPE_CHECKING:
    from socklock.policy.generate import GeneratedSet


def scan_html(
    inventory: Inventory,
    chosen: Inventory,
    graph: ServiceGraph,
    findings: Sequence[Finding],
    enforce: GeneratedSet | None,
    paths: Sequence[str],
    version: str,
) -> Iterator[str]:
    """Connections checked against the input's NetworkPolicies, else against the Kubernetes
    policies just generated (policies/kubernetes-enforce); the page in pieces, the nodes,
    edges and findings made and encoded one at a time as they are written (the data is
    never one string)."""
    from socklock.policy.api import is_policy_object
    from socklock.report.html import iter_html
    from socklock.report.html_data import PolicySource, finding_json, report_data

    existing = tuple(o for o in inventory.objects if is_policy_object(o))
    source = None
    if existing:
        source = PolicySource("input", f"the input's NetworkPolicies ({len(existing)})", existing)
    elif enforce is not None:
        source = PolicySource(
            "generated",
            "the policies socklock generated in policies/kubernetes-enforce "
            "(the input has no NetworkPolicies)",
            enforce.policies,
            prefix="policies/kubernetes-enforce/",
        )
    data = report_data(
        inventory if existing else chosen,
        graph,
        (),  # the findings are listed as the page is written
        policies=source,
        title="socklock report: " + " ".join(paths),
        version=version,
        inputs=paths,
    )
    streamed = {
        "nodes": cast(Iterable[object], data["nodes"]),
        "edges": cast(Iterable[object], data["edges"]),
        "findings": (finding_json(f) for f in findings),
    }
    return iter_html(data, streamed)
