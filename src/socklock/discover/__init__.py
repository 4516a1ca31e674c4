"""Build the service graph from evidence: manifests, source code, flows."""

from __future__ import annotations

from collections.abc import Callable

from socklock.discover.builder import GraphBuilder
from socklock.discover.manifests import add_entry_points, add_manifest_edges, add_nodes
from socklock.model import Inventory, ServiceGraph

__all__ = ["discover"]


def discover(
    inventory: Inventory,
    *,
    manifests: bool = True,
    code: bool = True,
    deployment: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ServiceGraph:
    """The service graph of ``inventory``.

    Nodes and entry points come from one deployment (``deployment``, a name or path, or the
    default of :func:`select_deployment`), or from the code's build units when the input has
    none; the calls come from manifest values (``manifests``) and from what the source code
    calls (``code``), merged. With code, an env value a workload gets is its call only when
    its code reads the variable (or an SDK does, by convention), or when the input has no
    code of that workload. Proxy configs count as code when they are files of the tree, as
    manifests in ConfigMaps.
    """
    from socklock.discover.once import run

    with run():
        return _discover(inventory, manifests, code, deployment, progress)


def _discover(
    inventory: Inventory,
    manifests: bool,
    code: bool,
    deployment: str | None,
    progress: Callable[[int, int], None] | None,
) -> ServiceGraph:
    from socklock.discover.deployments import select_deployment
    from socklock.discover.identity import Identities
    from socklock.discover.units import add_unit_edges, add_unit_nodes

    inventory = select_deployment(inventory, deployment).inventory
    builder = GraphBuilder()
    aliases = add_nodes(inventory, builder)
    identities = Identities(inventory, aliases)
    add_unit_nodes(inventory, builder, identities)
    add_entry_points(inventory, builder, aliases)
    reads = None
    if code:
        from socklock.discover.code.scan import stop_started
        from socklock.discover.code_evidence import add_code_evidence

        try:
            reads = add_code_evidence(inventory, builder, aliases, progress=progress)
        finally:  # a scan begun for this run and not read (no workload has code) ends now
            stop_started()
    if manifests:
        add_manifest_edges(inventory, builder, aliases, reads)
    if manifests or code:  # an AppHost's YARP routes are proxy config in a file: code too
        add_unit_edges(inventory, builder, identities, reads, references=manifests)
    del identities  # the proxy pass makes its own: two at once would be its peak
    if manifests or code:
        from socklock.discover.proxies import add_proxy_evidence

        add_proxy_evidence(inventory, builder, aliases, files=code, manifests=manifests)
        from socklock.discover.infra.dapr import add_dapr_evidence

        add_dapr_evidence(inventory, builder, aliases, files=code, manifests=manifests)
    if manifests:  # which brokers form one cluster is the deployment's to say
        from socklock.discover.broker_clusters import add_broker_cluster_edges

        add_broker_cluster_edges(inventory, builder, aliases)
        from socklock.discover.tikv_clusters import add_tikv_cluster_edges

        add_tikv_cluster_edges(inventory, builder, aliases)
    return builder.build()
