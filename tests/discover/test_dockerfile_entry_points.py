"""One build context, several Dockerfiles: each service runs its own Dockerfile's CMD, so
the script that CMD names (and an ASGI server's ``module:app``) is that service's code, not
its siblings'."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

COMPOSE = """services:
  broker:
    image: eclipse-mosquitto
  cache:
    image: redis:7
  store:
    image: mongo:7
  dashboard:
    build: {context: ., dockerfile: Dockerfile.dashboard}
  feeder:
    build: {context: ., dockerfile: Dockerfile.feeder}
  recorder:
    build: {context: ., dockerfile: Dockerfile.recorder}
"""
DOCKERFILE = "FROM python:3.12-slim\nWORKDIR /srv\nCOPY . /srv\nCMD {cmd}\n"


def _calls(root: Path) -> set[tuple[str, str, int | None]]:
    graph = discover(load_paths([str(root)]))
    return {
        (e.source.split("/")[-1], e.target.split("/")[-1], e.port)
        for e in graph.edges
        if not e.hint and not e.target.startswith("external:")
    }


def test_each_dockerfiles_cmd_names_its_services_code(tmp_path: Path) -> None:
    (tmp_path / "docker-compose.yml").write_text(COMPOSE)
    for name, cmd in (
        ("dashboard", '["uvicorn", "board:api", "--host", "0.0.0.0"]'),
        ("feeder", '["python", "feeder.py"]'),
        ("recorder", "python /srv/recorder.py"),
    ):
        (tmp_path / f"Dockerfile.{name}").write_text(DOCKERFILE.format(cmd=cmd))
    (tmp_path / "board.py").write_text("import redis\nr = redis.Redis(host='cache', port=6379)\n")
    (tmp_path / "feeder.py").write_text(
        "import pymongo\nc = pymongo.MongoClient('mongodb://store:27017/')\n"
    )
    (tmp_path / "recorder.py").write_text(
        "import redis\nimport pymongo\n"
        "r = redis.Redis(host='cache', port=6379)\n"
        "c = pymongo.MongoClient('mongodb://store:27017/')\n"
    )
    assert _calls(tmp_path) == {
        ("dashboard", "cache", 6379),
        ("feeder", "store", 27017),
        ("recorder", "cache", 6379),
        ("recorder", "store", 27017),
    }


def test_services_of_one_dockerfile_share_its_code(tmp_path: Path) -> None:
    """The same CMD in each: nothing tells their code apart, every file is each one's."""
    (tmp_path / "docker-compose.yml").write_text(
        "services:\n  cache:\n    image: redis:7\n  first:\n    build: .\n  second:\n    build: .\n"
    )
    (tmp_path / "Dockerfile").write_text(DOCKERFILE.format(cmd='["python", "main.py"]'))
    (tmp_path / "main.py").write_text("import redis\nr = redis.Redis(host='cache', port=6379)\n")
    assert _calls(tmp_path) == {("first", "cache", 6379), ("second", "cache", 6379)}
