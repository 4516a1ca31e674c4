"""The small two-namespace application of the anp and cilium tests (own fixture:
tests/fixtures/generate/small/app.yaml) and its graph."""

from __future__ import annotations

import os
from dataclasses import replace

from tests.conftest import REPO
from tests.generate.helpers import EVIDENCE

from socklock.discover import discover
from socklock.load import load_paths
from socklock.model import Edge, Inventory, ServiceGraph

SMALL = "tests/fixtures/generate/small/app.yaml"
CALLS = (
    ("shop/web", "shop/api", 8080),
    ("shop/api", "data/db", 5432),
    ("shop/api", "external:203.0.113.0/24", 443),
    ("shop/api", "external:payments.example.com", 443),
)


def small_app(externals: bool = True) -> tuple[Inventory, ServiceGraph]:
    """The inventory (read from the repository root, so evidence paths are stable) and the
    graph: its calls, and the entry point discovery finds (the LoadBalancer in front of web)."""
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        inventory = load_paths([SMALL])
        found = discover(inventory, code=False)
    finally:
        os.chdir(cwd)
    edges = tuple(
        Edge(source, target, port, "TCP", EVIDENCE)
        for source, target, port in CALLS
        if externals or not target.startswith("external:")
    )
    return inventory, replace(found, edges=edges)
