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
    calls (``code``), merged.
    """
    from socklock.discover.deployments import select_deployment
    from socklock.discover.identity import Identities
    from socklock.discover.units import add_unit_edges, add_unit_nodes

    inventory = select_deployment(inventory, deployment).inventory
    builder = GraphBuilder()
    aliases = add_nodes(inventory, builder)
    identities = Identities(inventory, aliases)
    add_unit_nodes(inventory, builder, identities)
    add_entry_points(inventory, builder, aliases)
    if manifests:
        add_manifest_edges(inventory, builder, aliases)
        add_unit_edges(inventory, builder, identities)
    if code:
        from socklock.discover.code_evidence import add_code_evidence

        add_code_evidence(inventory, builder, aliases, progress=progress)
    return builder.build()
