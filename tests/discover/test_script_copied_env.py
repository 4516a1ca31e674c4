"""An entry-point script that makes the program's ``.env`` from its template
(``cp .env.example .env``, Laravel's and Lumen's setup) gives the program the template's
values; a workload whose script does not, or that only mounts the same tree, gets none."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

COMPOSE = """\
services:
  app:
    build: ./docker
    working_dir: /var/www/
    volumes: ["./src:/var/www"]
  web:
    image: nginx:alpine
    volumes: ["./src:/var/www"]
  orders:
    image: shop/orders
    expose: ["8080"]
"""
SCRIPT = """\
#!/bin/bash
for i in Gateway; do
  cd /var/www/$i
  if [ ! -f ".env" ]; then
    {copy}
  fi
done
php-fpm
"""
CLIENT = """\
<?php
$client = new GuzzleHttp\\Client(['base_uri' => env('ORDERS_URL')]);
$client->request('GET', '/orders');
"""


def _edges(tmp_path: Path, copy: str) -> set[tuple[str, str, int | None]]:
    (tmp_path / "docker").mkdir()
    (tmp_path / "docker" / "Dockerfile").write_text(
        'FROM php:8-fpm\nCOPY ./run.sh /tmp/\nWORKDIR /var/www\nENTRYPOINT ["/tmp/run.sh"]\n'
    )
    (tmp_path / "docker" / "run.sh").write_text(SCRIPT.format(copy=copy))
    (tmp_path / "docker-compose.yml").write_text(COMPOSE)
    program = tmp_path / "src" / "Gateway"
    program.mkdir(parents=True)
    (program / ".env.example").write_text("APP_NAME=gw\nORDERS_URL=http://orders:8080/api\n")
    (program / "client.php").write_text(CLIENT)
    graph = discover(load_paths([str(tmp_path)]))
    return {(e.source.split("/")[-1], e.target.split("/")[-1], e.port) for e in graph.edges}


def test_the_template_the_script_copies_is_the_programs_env(tmp_path: Path) -> None:
    edges = _edges(tmp_path, "cp .env.example .env")
    assert ("app", "orders", 8080) in edges
    assert ("web", "orders", 8080) not in edges  # mounts the tree, runs no such script


def test_without_the_copy_the_template_is_no_env(tmp_path: Path) -> None:
    assert not {e for e in _edges(tmp_path, "echo no env") if e[1] == "orders"}


def test_a_copy_between_container_paths_is_not_followed(tmp_path: Path) -> None:
    copy = "cp /var/www/Gateway/.env.example /var/www/Gateway/.env"
    assert not {e for e in _edges(tmp_path, copy) if e[1] == "orders"}
