"""docker-compose networks: each callee on its own internal network; the rest listed."""

from __future__ import annotations

from pathlib import Path

import yaml
from tests.generate.helpers import graph_of

from socklock.load import load_paths
from socklock.policy.generate import Flavor, GenerateOptions, generate

COMPOSE = """name: app
services:
  web:
    image: web
    ports: ["8000:8000"]
  api:
    image: api
    expose: ["9000"]
    ports: ["9000:9000"]
  db:
    image: db
    expose: ["5432"]
  worker:
    image: worker
  lonely:
    image: lonely
"""


def run(tmp_path: Path, preset: str | None = None):  # type: ignore[no-untyped-def]
    path = tmp_path / "compose.yaml"
    path.write_text(COMPOSE)
    inventory = load_paths([str(path)])
    graph = graph_of(
        [("app/web", "app/api", 9000), ("app/api", "app/db", 5432), ("app/worker", "app/db", 5432)],
        entries=[("app/web", 8000)],
    )
    return generate(inventory, graph, GenerateOptions(flavor=Flavor.COMPOSE, preset=preset))


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor(
    "!",
    lambda loader, suffix, node: (
        loader.construct_sequence(node)
        if isinstance(node, yaml.SequenceNode)
        else loader.construct_mapping(node)
    ),
)


def test_callee_networks_and_entry_ports(tmp_path: Path) -> None:
    generated = run(tmp_path)
    (file,) = generated.files
    assert file.path == "compose.socklock.yml"
    document = yaml.load(file.text, Loader=_Loader)
    services = document["services"]
    assert services["web"]["networks"] == ["edge", "to-api"]
    assert services["api"]["networks"] == ["to-api", "to-db"]
    assert services["worker"]["networks"] == ["to-db"]
    assert services["lonely"]["network_mode"] == "none"
    assert services["api"]["ports"] == []  # published, but not an entry point
    assert "ports" not in services["web"]
    assert document["networks"]["to-db"] == {"internal": True}
    assert document["networks"]["edge"] == {}
    assert "ports: !reset []" in file.text and "networks: !override" in file.text
    assert generated.verification is not None and generated.verification.missing == ()
    over = generated.over_permissive
    assert "app: api -> worker: not a call, but both are on to-db" in over
    assert "app: api -> db: every port reachable on to-db, only 5432/TCP called" in over


def test_segments_preset(tmp_path: Path) -> None:
    generated = run(tmp_path, preset="segments")
    document = yaml.load(generated.files[0].text, Loader=_Loader)
    assert set(document["networks"]) == {"external", "internal", "back-office"}
    assert document["networks"]["external"] == {}
    assert document["services"]["db"]["networks"] == ["back-office"]
    assert generated.verification is not None and generated.verification.missing == ()
