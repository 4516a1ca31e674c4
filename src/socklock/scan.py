"""``socklock.scan(paths)``: the whole pipeline as one library call."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from socklock.model import Inventory, ServiceGraph


@dataclass(frozen=True, slots=True)
class Result:
    inventory: Inventory
    graph: ServiceGraph


def scan(paths: Sequence[str], *, code: bool = True) -> Result:
    """Load ``paths`` and map the service graph."""
    from socklock.discover import discover
    from socklock.load import load_paths

    inventory = load_paths(list(paths))
    return Result(inventory=inventory, graph=discover(inventory, code=code))
