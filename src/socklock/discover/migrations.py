"""A one-shot schema migration calls its database and nothing else.

A compose service that other services wait for to finish (``condition:
service_completed_successfully``) and whose command runs a migration (``./scripts/
migrate.sh``, ``rails db:migrate``, ``kong migrations bootstrap``, ``alembic upgrade``)
is handed the application's whole environment (a shared ``x-backend-env`` anchor or env
file) but connects only to the database it migrates: the cache, the broker and the HTTP
peers in that environment are the server's, which runs after it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from socklock.discover.commands import service_words

if TYPE_CHECKING:
    from socklock.discover.addresses import Target
    from socklock.model import ComposeProject, ComposeService

_COMPLETED = "service_completed_successfully"
_MIGRATION_WORD = re.compile(r"^(?:migrate|migrations?|migrator)$", re.IGNORECASE)
_SPLIT = re.compile(r"[^A-Za-z0-9]+")
_SERVES = frozenset({"start", "run", "serve", "server", "worker", "and"})
_CHAINED = frozenset({"&&", "||", ";", "&", "|"})  # a second program after the migration
# schemes and container ports of the databases a migration tool talks to
DATABASE_SCHEMES = frozenset(
    {
        "postgres",
        "postgresql",
        "mysql",
        "mariadb",
        "mongodb",
        "sqlserver",
        "mssql",
        "cockroachdb",
        "clickhouse",
        "cassandra",
    }
)
DATABASE_PORTS = frozenset({5432, 3306, 27017, 1433, 26257, 9000, 8123, 9042, 1521})


def is_migration(service: ComposeService, project: ComposeProject) -> bool:
    """Whether ``service`` is a one-shot migration: another service waits for it to complete
    and its command is one program whose words say it migrates."""
    waited = any(
        dependency.service == service.name and dependency.condition == _COMPLETED
        for other in project.services
        for dependency in other.dependencies
    )
    if not (waited or _one_shot(service)):
        return False
    line = service_words(service.body)
    if any(word in _CHAINED for word in line) or any(
        separator in word for word in line for separator in ("&&", "; ")
    ):
        return False
    pieces = [piece.lower() for word in line for piece in _SPLIT.split(word) if piece]
    if any(piece in _SERVES for piece in pieces):
        return False  # ``migrate-and-run.sh``: the server starts after the migration
    return any(_MIGRATION_WORD.match(piece) for piece in pieces)


def _one_shot(service: ComposeService) -> bool:
    """Restarted only when it fails (``restart: on-failure``, or ``deploy.restart_policy``
    ``on-failure``/``none``): a task that ends, not a server kept running."""
    if str(service.body.get("restart", "")).split(":")[0] == "on-failure":
        return True
    deploy = service.body.get("deploy")
    policy = deploy.get("restart_policy") if isinstance(deploy, dict) else None
    condition = policy.get("condition") if isinstance(policy, dict) else None
    return condition in ("on-failure", "none")


def may_be_database(target: Target) -> bool:
    """Whether ``target`` may be a database: its scheme or port says so, or it says
    neither (a bare host: the callee's own port decides, and that is not known here)."""
    scheme = (target.scheme or "").lower()
    if scheme:
        return scheme in DATABASE_SCHEMES
    return target.port is None or target.port in DATABASE_PORTS
