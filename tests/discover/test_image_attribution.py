"""Dockerfile directories matched to workloads by the image name a deployment runs: a
shared repository's tag (``org/app:web-latest``) and a ``<parent>-<directory>`` image name."""

from __future__ import annotations

from pathlib import Path

from socklock.discover import add_nodes
from socklock.discover.attribution import build_contexts
from socklock.discover.builder import GraphBuilder
from socklock.load import load_paths

_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {{app: {name}}}
    spec:
      containers:
      - name: {name}
        image: {image}
"""


def _owners(tmp_path: Path, images: dict[str, str], dirs: list[str]) -> dict[str, str]:
    manifests = tmp_path / "deploy"
    manifests.mkdir()
    for name, image in images.items():
        (manifests / f"{name}.yaml").write_text(_DEPLOYMENT.format(name=name, image=image))
    for directory in dirs:
        (tmp_path / directory).mkdir(parents=True)
        (tmp_path / directory / "Dockerfile").write_text("FROM scratch\nCOPY . .\n")
    inventory = load_paths([str(tmp_path)])
    aliases = add_nodes(inventory, GraphBuilder())
    return {
        str(c.directory.relative_to(tmp_path.resolve())): c.workload
        for c in build_contexts(inventory, aliases)
    }


def test_a_shared_repository_tag_names_the_component(tmp_path: Path) -> None:
    owners = _owners(
        tmp_path,
        {"front": "ghcr.io/org/shop:shop-web-latest", "back": "ghcr.io/org/shop:shop-api-1.2.0"},
        ["src/shop-web", "src/shop-api"],
    )
    assert owners == {"src/shop-web": "default/front", "src/shop-api": "default/back"}


def test_a_tag_that_is_only_a_version_or_a_variant_names_nothing(tmp_path: Path) -> None:
    owners = _owners(
        tmp_path,
        {"front": "ghcr.io/org/shop:1.2.0", "back": "ghcr.io/org/shop:alpine"},
        ["1.2.0", "alpine"],
    )
    assert owners == {}


def test_an_image_named_parent_dash_directory_is_that_directory(tmp_path: Path) -> None:
    owners = _owners(
        tmp_path,
        {"front": "ghcr.io/org/calc-web:latest", "adder": "ghcr.io/org/calc-go:latest"},
        ["calc/web", "calc/go", "other/python"],
    )
    assert owners == {"calc/web": "default/front", "calc/go": "default/adder"}


def test_a_prefix_that_is_no_directory_above_matches_nothing(tmp_path: Path) -> None:
    owners = _owners(tmp_path, {"front": "ghcr.io/org/shop-web:latest"}, ["calc/web"])
    assert owners == {}
