"""Join call sites found in source code with the inventory (wired when discover/code lands)."""

from __future__ import annotations

from socklock.discover.builder import GraphBuilder
from socklock.model import Inventory


def add_code_evidence(inventory: Inventory, builder: GraphBuilder) -> None:
    """Attribute each call site to a workload and resolve its target; see discover/code."""
    del inventory, builder
