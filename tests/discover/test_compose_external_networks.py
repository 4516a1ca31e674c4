"""Compose projects joined by an external network (``docker network create shop`` and each
file's ``networks: default: {external: true, name: shop}``): Docker's DNS answers every
service name on it, so a service of one file reaches a service of the other by name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

EXTERNAL = "networks:\n  default:\n    external: true\n    name: shop\n"


def _edges(root: Path) -> set[tuple[str, str, int | None]]:
    graph = discover(load_paths([str(root)]))
    return {(e.source, e.target, e.port) for e in graph.edges if not e.hint}


def test_a_service_reaches_another_projects_service_on_a_shared_external_network(
    tmp_path: Path,
) -> None:
    _write(
        tmp_path,
        {
            "db/docker-compose.yml": "services:\n  accounts-db:\n    image: postgres:16\n"
            + EXTERNAL,
            "auth/docker-compose.yml": (
                "services:\n  keycloak:\n    image: jboss/keycloak:14.0.0\n"
                "    environment:\n      DB_VENDOR: POSTGRES\n      DB_ADDR: accounts-db\n"
                "      DB_PORT: '5432'\n" + EXTERNAL
            ),
        },
    )
    assert _edges(tmp_path) == {("auth/keycloak", "db/accounts-db", 5432)}


def test_projects_on_their_own_default_networks_do_not_see_each_other(tmp_path: Path) -> None:
    """Without the external network each project has its own ``<project>_default``: the
    name is no service of the caller's project."""
    _write(
        tmp_path,
        {
            "db/docker-compose.yml": "services:\n  accounts-db:\n    image: postgres:16\n",
            "auth/docker-compose.yml": (
                "services:\n  keycloak:\n    image: jboss/keycloak:14.0.0\n"
                "    environment:\n      DB_VENDOR: POSTGRES\n      DB_ADDR: accounts-db\n"
                "      DB_PORT: '5432'\n"
            ),
        },
    )
    assert _edges(tmp_path) == set()
