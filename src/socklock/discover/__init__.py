"""Build the service graph from evidence: manifests, source code, flows."""

from __future__ import annotations

from socklock.discover.builder import GraphBuilder
from socklock.discover.manifests import add_manifest_evidence
from socklock.model import Inventory, ServiceGraph

__all__ = ["discover"]


def discover(inventory: Inventory, *, manifests: bool = True, code: bool = True) -> ServiceGraph:
    """The service graph of ``inventory``; ``code`` adds what the source code calls."""
    builder = GraphBuilder()
    if manifests:
        add_manifest_evidence(inventory, builder)
    if code:
        from socklock.discover.code_evidence import add_code_evidence

        add_code_evidence(inventory, builder)
    return builder.build()
