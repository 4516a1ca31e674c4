"""Containers a script beside a compose file starts with ``docker run`` on its network
join the project as services; lines for another network, none, a name the project has, or
values the script cannot give are left out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover import discover
from socklock.load import load_paths
from socklock.model import ComposeEnv, ComposeProject, Location

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    Write = Callable[[str, str], Path]

COMPOSE = (
    "services:\n  stock-db:\n    image: postgres:16\n  queue:\n    image: rabbitmq:3\n"
    "networks:\n  back: {}\n  pinned:\n    name: ledger-net\n"
)
SCRIPT = """#!/usr/bin/env bash
TAG=2.1
docker run -d --rm --name ledger -p 9100:8080 \\
  -e LEDGER_DB=postgres://stock-db:5432/ledger -e QUEUE_URL=amqp://queue:5672 -e FROM_SHELL \\
  --network=shopfront_default \\
  --health-cmd='[ -z "$(echo "" > /dev/tcp/localhost/9100)" ] || exit 1' \\
  acme/ledger:${TAG} serve --port 8080
docker run -d --name billing --network shopfront_back acme/billing
docker run -d --name pinned --network ledger-net acme/pinned
docker run -d --name stray --network elsewhere_default acme/stray
docker run -d --name solo acme/solo
docker run -d --name stock-db --network shopfront_default postgres:15
if [ -n "$FAST" ]; then MODE=fast; fi
docker run -d --name audit --network shopfront_default acme/audit:$MODE
"""


def _project(write: Write) -> ComposeProject:
    compose = write("shopfront/compose.yaml", COMPOSE)
    write("shopfront/start.sh", SCRIPT)
    (project,) = load_paths([str(compose.parent)]).compose_projects
    return project


def test_a_docker_run_on_the_projects_network_is_a_service_of_it(write: Write) -> None:
    project = _project(write)
    script = str(project.file).replace("compose.yaml", "start.sh")
    ledger = next(s for s in project.services if s.name == "ledger")
    assert ledger.image == "acme/ledger:2.1"
    assert ledger.location == Location(script, 3, 1)
    assert ledger.environment == (
        ComposeEnv("LEDGER_DB", "postgres://stock-db:5432/ledger", Location(script, 3, 1)),
        ComposeEnv("QUEUE_URL", "amqp://queue:5672", Location(script, 3, 1)),
    )
    assert [(p.published, p.target) for p in ledger.ports] == [("9100", 8080)]
    assert ledger.networks == ("default",)


def test_a_declared_network_joins_by_its_project_or_own_name(write: Write) -> None:
    project = _project(write)
    by_name = {s.name: s for s in project.services}
    assert by_name["billing"].networks == ("back",)
    assert by_name["pinned"].networks == ("pinned",)


def test_other_networks_no_network_taken_names_and_unknown_values_stay_out(
    write: Write,
) -> None:
    project = _project(write)
    assert {s.name for s in project.services} == {
        "stock-db",
        "queue",
        "ledger",
        "billing",
        "pinned",
    }
    assert next(s for s in project.services if s.name == "stock-db").image == "postgres:16"


def test_the_run_containers_env_addresses_are_its_calls(write: Write) -> None:
    project = _project(write)
    graph = discover(load_paths([str(project.file).rsplit("/", 1)[0]]))
    calls = {
        (e.source.split("/")[-1], e.target.split("/")[-1], e.port)
        for e in graph.edges
        if not e.hint and e.source.endswith("/ledger")
    }
    assert calls == {("ledger", "stock-db", 5432), ("ledger", "queue", 5672)}
