"""The repository's root as a workload's code: an image whose Dockerfile copies nothing
builds none of it."""

from __future__ import annotations

from pathlib import Path

from socklock.discover import add_nodes
from socklock.discover.attribution import build_contexts
from socklock.discover.builder import GraphBuilder
from socklock.discover.deployments import select_deployment
from socklock.load import load_paths

_DEPLOYED = """\
services:
  web:
    image: ghcr.io/org/shop:latest
  browser:
    image: ghcr.io/org/shop-browser:latest
"""

_E2E = """\
services:
  browser:
    image: shop-browser:e2e
    build:
      context: ../..
      dockerfile: docker/browser/Dockerfile
"""


def _root_owner(root: Path, browser_dockerfile: str) -> str | None:
    (root / "docker" / "browser").mkdir(parents=True)
    (root / "docker" / "compose.yml").write_text(_DEPLOYED)
    (root / "tests" / "e2e").mkdir(parents=True)
    (root / "tests" / "e2e" / "compose.yml").write_text(_E2E)
    (root / "docker" / "browser" / "Dockerfile").write_text(browser_dockerfile)
    inventory = load_paths([str(root)])
    inventory = select_deployment(inventory, "docker/compose.yml").inventory
    aliases = add_nodes(inventory, GraphBuilder())
    owners = {c.directory: c.workload for c in build_contexts(inventory, aliases)}
    return owners.get(root.resolve())


def test_a_browser_image_that_copies_nothing_leaves_the_root_to_the_app(tmp_path: Path) -> None:
    root = tmp_path / "shop"
    assert _root_owner(root, "FROM chromium-base:1\nUSER 1000\n") == "docker/web"


def test_an_image_that_copies_its_context_is_built_from_the_root(tmp_path: Path) -> None:
    root = tmp_path / "shop"
    assert _root_owner(root, "FROM node:20\nCOPY . /app\n") == "docker/browser"


def test_a_checkout_named_like_no_image_is_nobody_s(tmp_path: Path) -> None:
    root = tmp_path / "store"
    assert _root_owner(root, "FROM chromium-base:1\nUSER 1000\n") is None


def test_a_build_whose_dockerfile_is_not_there_builds_nothing(tmp_path: Path) -> None:
    """A left-out compose file whose context and ``dockerfile`` name no file (a path off by
    one ``../``): the build cannot run, so it says nothing of whose code the context is."""
    root = tmp_path / "shop"
    (root / "docker" / "browser").mkdir(parents=True)
    (root / "docker" / "compose.yml").write_text(_DEPLOYED)
    (root / "tests" / "e2e").mkdir(parents=True)
    (root / "tests" / "e2e" / "compose.yml").write_text(
        _E2E.replace("dockerfile: docker/browser/Dockerfile", "dockerfile: web/Dockerfile")
    )
    inventory = load_paths([str(root)])
    inventory = select_deployment(inventory, "docker/compose.yml").inventory
    aliases = add_nodes(inventory, GraphBuilder())
    owners = {c.directory: c.workload for c in build_contexts(inventory, aliases)}
    assert owners == {root.resolve(): "docker/web"}
