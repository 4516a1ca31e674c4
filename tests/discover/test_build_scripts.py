"""Build scripts name the directory an image is built from: its code runs where the image
runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.discover.build_scripts import script_builds
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

SCRIPT = """\
#!/usr/bin/env bash
set -e
# docker build -t shop/commented ../ghost
docker build -t shop/orders ../orders
docker buildx build --platform linux/amd64 --tag shop/web:1.0 -f ../web/Dockerfile ../web
docker build -t shop/a -t shop/b ../orders
docker build -t "$IMAGE" ../orders
cd .. && podman build -t shop/pay pay
docker build -f ./build/Dockerfile.api -t shop/api .
docker build --file=web/Dockerfile.dev -t shop/web-dev web
"""


def test_docker_build_lines_of_scripts_with_and_without_suffix(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "docker/build-images": SCRIPT,
            "docker/notes": "docker build -t shop/notes ../orders\n",  # no shebang: no script
            "orders/Dockerfile": "FROM eclipse-temurin:21\n",
            "web/Dockerfile": "FROM eclipse-temurin:21\n",
            "pay/Dockerfile": "FROM eclipse-temurin:21\n",
        },
    )
    # two tags or a variable: not one known image; the cd moves the contexts' base; a
    # Dockerfile outside its context (``-f build/Dockerfile.api .``): the shared context does
    # not say which program the image runs
    assert script_builds((str(tmp_path),)) == (
        ("shop/orders", str(tmp_path / "orders")),
        ("shop/web:1.0", str(tmp_path / "web")),
        ("shop/pay", str(tmp_path / "pay")),
        ("shop/web-dev", str(tmp_path / "web")),
    )


def test_a_service_running_a_scripted_image_runs_that_directorys_code(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "docker/build.sh": "docker build -t acme/ledger ../orders\n",
            "docker/compose.yaml": (
                "services:\n"
                "  backend:\n    image: acme/ledger:latest\n"
                "  db:\n    image: postgres:16\n"
            ),
            "orders/Dockerfile": "FROM eclipse-temurin:21\n",
            "orders/src/main/resources/application.properties": (
                "spring.datasource.url=jdbc:postgresql://db:5432/orders\n"
            ),
        },
    )
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    assert {(e.source, e.target, e.port) for e in graph.edges} == {
        ("docker/backend", "docker/db", 5432)
    }
    (tmp_path / "docker" / "build.sh").unlink()  # nothing says backend runs orders/
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    assert {(e.source, e.target, e.port) for e in graph.edges} == set()


def test_quoted_build_and_cd_words_are_read_as_the_shell_reads_them(tmp_path: Path) -> None:
    # only lines that can spell ``build`` or ``cd`` are lexed: quotes inside a word do not
    # hide it
    _write(
        tmp_path,
        {
            "ops/images.sh": (
                "docker push shop/orders\n"
                "docker build -t shop/plain .\n"
                "c'd' .. && docker bu\"il\"d -t shop/quoted pay\n"
                "docker b\\uild -t shop/escaped pay\n"
                "docker rebuild -t shop/other pay\n"  # not a build
            ),
            "pay/Dockerfile": "FROM eclipse-temurin:21\n",
        },
    )
    assert script_builds((str(tmp_path),)) == (
        ("shop/plain", str(tmp_path / "ops")),
        ("shop/quoted", str(tmp_path / "pay")),
        ("shop/escaped", str(tmp_path / "pay")),
    )


MAKEFILE = """\
IMAGE ?= shop/ignored

image-orders: ## the orders image
\tdocker build orders -t shop/orders:latest
image-web:
\t@cd web && docker build -t shop/web .
image-pay:
\tdocker build -t shop/pay .
\tdocker build -t $(IMAGE) pay
"""


def test_makefile_recipes_build_from_the_makefiles_directory(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "Makefile": MAKEFILE,
            "orders/Dockerfile": "FROM eclipse-temurin:21\n",
            "web/Dockerfile": "FROM eclipse-temurin:21\n",
            "Dockerfile": "FROM eclipse-temurin:21\n",
            "pay/Dockerfile": "FROM eclipse-temurin:21\n",
        },
    )
    # each recipe line is a shell of its own: the ``cd web`` does not move the next line;
    # a make variable is no known image
    assert script_builds((str(tmp_path),)) == (
        ("shop/orders:latest", str(tmp_path / "orders")),
        ("shop/web", str(tmp_path / "web")),
        ("shop/pay", str(tmp_path)),
    )


def _workload(name: str, image: str, port: int, env: dict[str, str]) -> str:
    lines = "".join(
        f"            - name: {key}\n              value: {value}\n" for key, value in env.items()
    )
    return (
        f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n"
        f"spec:\n  selector:\n    matchLabels: {{app: {name}}}\n  template:\n"
        f"    metadata:\n      labels: {{app: {name}}}\n    spec:\n      containers:\n"
        f"        - name: {name}\n          image: {image}\n"
        + (f"          env:\n{lines}" if env else "")
        + f"---\napiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n"
        f"spec:\n  selector: {{app: {name}}}\n  ports:\n    - port: {port}\n---\n"
    )


def test_an_image_pushed_to_a_registry_is_the_one_the_makefile_builds(tmp_path: Path) -> None:
    env = {"DB_URL": "postgres://db:5432/ledger", "CACHE_URL": "redis://cache:6379"}
    manifests = (
        _workload("ledger", "ghcr.io/acme/ledger:1.4", 8080, env)
        + _workload("db", "postgres:16", 5432, {})
        + _workload("cache", "redis:7", 6379, {})
    )
    _write(
        tmp_path,
        {
            "Makefile": "image:\n\tdocker build server -t acme/ledger:latest\n",
            "deploy/app.yaml": manifests,
            "server/Dockerfile": "FROM python:3.12\n",
            "server/app.py": "import os\nimport psycopg\n\npsycopg.connect(os.environ['DB_URL'])\n",
        },
    )
    graph = discover(load_paths([str(tmp_path)]))
    # the code is the ledger's: it reads DB_URL, never CACHE_URL
    assert {(e.source, e.target, e.port) for e in graph.edges} == {
        ("default/ledger", "default/db", 5432)
    }
    # an image of another name is not the one built: its code is not in the input
    app = tmp_path / "deploy" / "app.yaml"
    app.write_text(manifests.replace("ghcr.io/acme/ledger", "ghcr.io/acme/billing"))
    graph = discover(load_paths([str(tmp_path)]))
    assert {(e.source, e.target, e.port) for e in graph.edges} == {
        ("default/ledger", "default/db", 5432),
        ("default/ledger", "default/cache", 6379),
    }
