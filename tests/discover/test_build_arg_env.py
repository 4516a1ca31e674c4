"""An image's ``ENV`` built from ``ARG``s takes the values compose's ``build.args`` give:
``ENV DATABASE_URL=postgresql://...@${DB_HOST}:${DB_PORT}/app`` with ``args: {DB_HOST:
postgres}`` is the address the program reads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

DOCKERFILE = """\
FROM python:3.12-slim
ARG DB_HOST
ARG DB_PORT=5433
ENV DATABASE_URL="postgresql://app:secret@${DB_HOST}:${DB_PORT}/app"
COPY app.py .
CMD ["python", "app.py"]
"""
APP = """\
import os
from asyncpg import create_pool

DATABASE_URL = os.getenv("DATABASE_URL")

async def main():
    return await create_pool(dsn=DATABASE_URL)
"""
COMPOSE = """\
services:
  api:
    build:
      context: ./api
      args:
        DB_HOST: ${{DB_HOST:-postgres}}
{port}
  postgres:
    image: postgres:16
  legacy:
    image: postgres:16
"""


def _edges(root: Path, port: str) -> set[tuple[str, str, int | None]]:
    (root / "api").mkdir()
    (root / "api" / "Dockerfile").write_text(DOCKERFILE)
    (root / "api" / "app.py").write_text(APP)
    (root / "docker-compose.yml").write_text(COMPOSE.format(port=port))
    graph = discover(load_paths([str(root)]))
    return {
        (e.source, e.target, e.port)
        for e in graph.edges
        if not getattr(e, "hint", False) and not e.target.startswith("external:")
    }


def test_build_args_fill_the_image_env_the_code_reads(tmp_path: Path) -> None:
    port = "        DB_PORT: 5432"
    assert _edges(tmp_path, port) == {(f"{tmp_path.name}/api", f"{tmp_path.name}/postgres", 5432)}


def test_without_a_build_arg_the_arg_default_holds(tmp_path: Path) -> None:
    assert _edges(tmp_path, "") == {(f"{tmp_path.name}/api", f"{tmp_path.name}/postgres", 5433)}
