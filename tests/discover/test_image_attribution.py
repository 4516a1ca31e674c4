"""Dockerfile directories matched to workloads by the image name a deployment runs: a
shared repository's tag (``org/app:web-latest``) and a ``<parent>-<directory>`` image name."""

from __future__ import annotations

from pathlib import Path

from socklock.discover import add_nodes
from socklock.discover.attribution import build_contexts, owners_of
from socklock.discover.builder import GraphBuilder
from socklock.discover.deployments import select_deployment
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


def _left_out_builds(tmp_path: Path, builds: dict[str, str]) -> list[str]:
    """Owners of a file at the root, when a left-out compose file builds ``builds`` (service
    → Dockerfile) from the root and Kubernetes Deployments run their images."""
    manifests = tmp_path / "deploy"
    manifests.mkdir()
    services = ""
    for name, dockerfile in builds.items():
        image = f"org/{name}"
        (manifests / f"{name}.yaml").write_text(_DEPLOYMENT.format(name=name, image=image))
        (tmp_path / dockerfile).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / dockerfile).write_text("FROM scratch\nCOPY . .\n")
        services += f"  {name}:\n    image: {image}\n    build:\n      context: .\n"
        services += f"      dockerfile: {dockerfile}\n"
    (tmp_path / "docker-compose.yml").write_text("services:\n" + services)
    (tmp_path / "settings.py").write_text('CACHE = "redis://cache:6379"\n')
    inventory = select_deployment(load_paths([str(tmp_path)]), "deploy").inventory
    aliases = add_nodes(inventory, GraphBuilder())
    contexts = build_contexts(inventory, aliases)
    return sorted(c.workload for c in owners_of(str(tmp_path / "settings.py"), contexts))


def test_a_context_several_images_are_built_from_is_none_of_theirs(tmp_path: Path) -> None:
    """``docker-compose.yml`` builds each project's image from the repository's root with a
    Dockerfile of its own: the root as a whole is not the first image's code."""
    builds = {"web": "Web/Dockerfile", "api": "Api/Dockerfile"}
    assert _left_out_builds(tmp_path, builds) == []


def test_a_context_one_image_is_built_from_is_its_code(tmp_path: Path) -> None:
    assert _left_out_builds(tmp_path, {"web": "Dockerfile"}) == ["default/web"]


def test_a_directory_named_like_an_image_several_workloads_run_is_each_ones(
    tmp_path: Path,
) -> None:
    """The web server and its worker run one image (any registry host): its source
    directory is the code of both."""
    _owners(tmp_path, {"web": "org/shop:1", "worker": "ghcr.io/org/shop:1"}, ["shop"])
    inventory = load_paths([str(tmp_path)])
    contexts = build_contexts(inventory, add_nodes(inventory, GraphBuilder()))
    assert sorted(c.workload for c in owners_of(str(tmp_path / "shop" / "x.py"), contexts)) == [
        "default/web",
        "default/worker",
    ]


def test_a_directory_named_like_images_of_different_programs_is_no_ones(tmp_path: Path) -> None:
    owners = _owners(tmp_path, {"web": "org/shop:1", "worker": "other/shop:1"}, ["shop"])
    assert owners == {}
