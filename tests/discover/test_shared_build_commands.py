"""Services built from one context that run different commands: who runs which code."""

from __future__ import annotations

from pathlib import Path

from socklock.discover import add_nodes, discover
from socklock.discover.attribution import build_contexts, owners_of
from socklock.discover.builder import GraphBuilder
from socklock.load import load_paths


def _owners(root: Path, path: str) -> list[str]:
    root = root / "shop-app"
    inventory = load_paths([str(root)])
    aliases = add_nodes(inventory, GraphBuilder())
    contexts = build_contexts(inventory, aliases)
    return sorted({c.workload for c in owners_of(str(root / path), contexts)})


def _app(tmp_path: Path, web: str, worker: str) -> Path:
    root = tmp_path / "shop-app"
    (root / "shop").mkdir(parents=True)
    (root / "bin").mkdir()
    (root / "Dockerfile").write_text("FROM python:3.12\nCOPY . /app\n")
    (root / "shop" / "settings.py").write_text('CACHE = "redis://cache:6379/0"\n')
    (root / "shop" / "tasks.py").write_text("def run():\n    pass\n")
    (root / "compose.yaml").write_text(
        "services:\n"
        f"  web:\n    build: .\n    command: {web}\n"
        f"  worker:\n    build: .\n    command: {worker}\n"
        "  cache:\n    image: redis:7\n"
    )
    return root


def test_a_shell_script_command_launches_the_whole_code_base(tmp_path: Path) -> None:
    """``./bin/run.sh`` execs gunicorn, which loads the app: the web service runs the tree
    as the worker (``celery -A shop``, naming no file) does."""
    root = _app(tmp_path, "./bin/run.sh", "celery -A shop worker")
    (root / "bin" / "run.sh").write_text("#!/bin/sh\nexec gunicorn shop.wsgi\n")
    assert _owners(tmp_path, "shop/tasks.py") == ["shop-app/web", "shop-app/worker"]


def test_a_script_without_suffix_is_a_launcher_by_its_shebang(tmp_path: Path) -> None:
    root = _app(tmp_path, "bin/start", "celery -A shop worker")
    (root / "bin" / "start").write_text("#!/usr/bin/env bash\nexec gunicorn shop.wsgi\n")
    assert _owners(tmp_path, "shop/tasks.py") == ["shop-app/web", "shop-app/worker"]


def test_a_python_entry_file_is_not_a_launcher(tmp_path: Path) -> None:
    """``python bin/serve.py`` names one program of the tree: the worker, which names none,
    runs the image's code base; the web service runs its own file."""
    root = _app(tmp_path, "python bin/serve.py", "celery worker")
    (root / "bin" / "serve.py").write_text("print('serving')\n")
    assert _owners(tmp_path, "shop/tasks.py") == ["shop-app/worker"]
    assert _owners(tmp_path, "bin/serve.py") == ["shop-app/web"]


def test_a_package_one_command_names_is_run_by_the_entry_file_that_imports_it(
    tmp_path: Path,
) -> None:
    """``celery -A shop`` names the package; ``manage.py`` sets ``DJANGO_SETTINGS_MODULE``
    to ``shop.settings``: the web service runs the package's settings too."""
    root = _app(tmp_path, "python manage.py runserver", "celery -A shop worker")
    (root / "manage.py").write_text(
        'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n'
    )
    assert _owners(tmp_path, "shop/settings.py") == ["shop-app/web", "shop-app/worker"]


def test_an_entry_file_that_only_mentions_the_word_does_not_run_the_package(
    tmp_path: Path,
) -> None:
    """Both entry points are modules: each runs what it imports (the package ``shop`` is
    the worker's own), and ``manage.py`` imports nothing of it: only the worker reaches
    the settings' cache address."""
    root = _app(tmp_path, "python manage.py runserver", "celery -A shop worker")
    (root / "manage.py").write_text("# the shop front end\nprint('shop')\n")
    graph = discover(load_paths([str(root)]), manifests=False)
    calls = {(e.source, e.target) for e in graph.edges if not e.hint}
    assert calls == {("shop-app/worker", "shop-app/cache")}


def _layered(tmp_path: Path, base: str) -> Path:
    """A repository whose compose file builds a thin layer (an entry script) FROM ``base``."""
    root = tmp_path / "flowapp"
    (root / "docker").mkdir(parents=True)
    (root / "packages" / "backend").mkdir(parents=True)
    (root / "packages" / "backend" / "db.js").write_text("module.exports = {}\n")
    (root / "docker" / "Dockerfile").write_text("FROM node:22\nCOPY . /app\n")
    (root / "docker" / "Dockerfile.compose").write_text(
        f'FROM {base}\nCOPY start.sh /start.sh\nENTRYPOINT ["sh", "/start.sh"]\n'
    )
    (root / "docker" / "start.sh").write_text("#!/bin/sh\nexec node packages/backend\n")
    build = "    build: {context: ./docker, dockerfile: Dockerfile.compose}\n"
    (root / "docker-compose.yml").write_text(
        f"services:\n  main:\n{build}  worker:\n{build}    environment: [WORKER=1]\n"
    )
    return root


def _layered_owners(root: Path, path: str) -> list[str]:
    inventory = load_paths([str(root)])
    aliases = add_nodes(inventory, GraphBuilder())
    contexts = build_contexts(inventory, aliases)
    return sorted({c.workload for c in owners_of(str(root / path), contexts)})


def test_a_layer_over_the_repository_s_own_image_runs_the_repository(tmp_path: Path) -> None:
    """``FROM org/flowapp:latest`` in ``docker/``: the image the repository builds of
    itself; the services built on it run the repository's code."""
    root = _layered(tmp_path, "org/flowapp:latest")
    assert _layered_owners(root, "packages/backend/db.js") == ["flowapp/main", "flowapp/worker"]


def test_a_layer_over_someone_else_s_image_runs_none_of_the_repository(tmp_path: Path) -> None:
    root = _layered(tmp_path, "node:22")
    assert _layered_owners(root, "packages/backend/db.js") == []


def test_a_service_running_the_image_another_builds_runs_its_code(tmp_path: Path) -> None:
    """``worker: image: org/shop:1`` beside ``web: build: .`` tagged ``org/shop``: the
    worker runs the same code with another command; a service of another image does not."""
    root = tmp_path / "shop-app"
    (root / "shop").mkdir(parents=True)
    (root / "Dockerfile").write_text("FROM python:3.12\nCOPY . /app\n")
    (root / "shop" / "settings.py").write_text('CACHE = "redis://cache:6379/0"\n')
    (root / "compose.yaml").write_text(
        "services:\n"
        "  web:\n    build: .\n    image: org/shop:${TAG:-latest}\n"
        "  worker:\n    image: org/shop:${TAG:-latest}\n    command: celery worker\n"
        "  beat:\n    image: org/shop-beat:1\n"
        "  cache:\n    image: redis:7\n"
    )
    assert _owners(tmp_path, "shop/settings.py") == ["shop-app/web", "shop-app/worker"]


def test_a_framework_console_at_the_root_runs_the_whole_code_base(tmp_path: Path) -> None:
    """``php artisan horizon`` (a suffix-less interpreter script at the build's root, or in
    its ``bin/``) boots the framework with every file of the tree, as the image's own command
    does; an interpreter script deeper in the tree names one program of it."""
    root = _app(tmp_path / "a", "gunicorn shop.wsgi", "php artisan queue:work")
    (root / "artisan").write_text("#!/usr/bin/env php\n<?php\nrequire 'bootstrap/app.php';\n")
    assert _owners(tmp_path / "a", "shop/tasks.py") == ["shop-app/web", "shop-app/worker"]
    root = _app(tmp_path / "b", "gunicorn shop.wsgi", "bin/console messenger:consume")
    (root / "bin" / "console").write_text("#!/usr/bin/env php\n<?php\n")
    assert _owners(tmp_path / "b", "shop/tasks.py") == ["shop-app/web", "shop-app/worker"]


def test_a_console_elsewhere_in_the_tree_is_one_program_of_it(tmp_path: Path) -> None:
    root = _app(tmp_path, "gunicorn shop.wsgi", "ruby tools/sync")
    (root / "tools").mkdir()
    (root / "tools" / "sync").write_text("#!/usr/bin/env ruby\nputs 1\n")
    assert _owners(tmp_path, "shop/tasks.py") == ["shop-app/web"]
    assert _owners(tmp_path, "tools/sync") == ["shop-app/worker"]
