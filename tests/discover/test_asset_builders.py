"""Asset watchers beside an application (``css: yarn build:css``): they compile the tree,
they run none of its code, so none of its calls are theirs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from socklock.discover import add_nodes
from socklock.discover.asset_builders import builds_assets
from socklock.discover.attribution import build_contexts, owners_of
from socklock.discover.builder import GraphBuilder
from socklock.discover.commands import words
from socklock.load import load_paths

_TASKS = """\
#!/usr/bin/env bash
set -o errexit

tasks:build:js() {
  # bundle the scripts
  mkdir -p ../public/js
  node esbuild.config.mjs
}

tasks:build:css() {
  local args=()
  if [ "${NODE_ENV:-}" == "production" ]; then
    args=(--minify)
  else
    args=(--watch)
  fi
  DEBUG=0 tailwindcss \\
    -i css/app.css -o ../public/css/app.css "${args[@]}"
}

tasks:shell() {
  python3 manage.py shell
}

"${@:-help}"
"""


def _tree(tmp_path: Path, scripts: dict[str, str]) -> Path:
    root = tmp_path / "bakery"
    (root / "assets").mkdir(parents=True)
    (root / "run").write_text(_TASKS)
    (root / "package.json").write_text(json.dumps({"scripts": scripts}))
    return root


def _builds(root: Path, command: str) -> bool:
    return builds_assets(words(command), root)


def test_package_scripts_and_task_functions_that_run_compilers_build_assets(
    tmp_path: Path,
) -> None:
    root = _tree(tmp_path, {"build": "./run tasks:build:js", "build:css": "tsc -p . && vite build"})
    assert _builds(root, "yarn build")
    assert _builds(root, "npm run build:css")
    assert _builds(root, "../run tasks:build:css")
    assert _builds(root, "./run tasks:build:js")


def test_servers_and_application_commands_do_not_build_assets(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"start": "node server.js", "dev": "vite", "hot": "webpack serve"})
    assert not _builds(root, "yarn start")
    assert not _builds(root, "npm run dev")
    assert not _builds(root, "yarn hot")
    assert not _builds(root, "yarn install")
    assert not _builds(root, "yarn missing")
    assert not _builds(root, "./run tasks:shell")
    assert not _builds(root, "./run tasks:absent")
    assert not _builds(root, "gunicorn bakery.wsgi")
    assert not _builds(root, "node esbuild.config.mjs && node server.js")


def test_a_script_that_does_not_dispatch_on_its_arguments_runs_no_function(
    tmp_path: Path,
) -> None:
    root = _tree(tmp_path, {})
    (root / "run").write_text(_TASKS.replace('"${@:-help}"', "tasks:shell"))
    assert not _builds(root, "./run tasks:build:js")


def _owners(root: Path, path: str) -> list[str]:
    inventory = load_paths([str(root)])
    aliases = add_nodes(inventory, GraphBuilder())
    contexts = build_contexts(inventory, aliases)
    return sorted({c.workload for c in owners_of(str(root / path), contexts)})


def test_an_asset_watcher_sharing_the_build_runs_none_of_its_code(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"build:css": "./run tasks:build:css", "start": "node server.js"})
    (root / "bakery").mkdir()
    (root / "bakery" / "settings.py").write_text('CACHE = "redis://cache:6379/0"\n')
    (root / "Dockerfile").write_text("FROM python:3.12\nCOPY . /app\n")
    (root / "compose.yaml").write_text(
        "x-app: &app\n  build: .\n  env_file: [.env]\n"
        "services:\n"
        "  web:\n    <<: *app\n"
        "  worker:\n    <<: *app\n    command: celery worker\n"
        "  css:\n    <<: *app\n    command: yarn build:css\n"
        "  js:\n    <<: *app\n    command: ../run tasks:build:js\n"
        "  node:\n    <<: *app\n    command: yarn start\n"
        "  cache:\n    image: redis:7\n"
    )
    (root / ".env").write_text("DEBUG=1\n")
    assert _owners(root, "bakery/settings.py") == ["bakery/node", "bakery/web", "bakery/worker"]


def test_a_lone_service_keeps_its_build_context(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"build": "esbuild src/app.js --bundle"})
    (root / "src").mkdir()
    (root / "src" / "app.js").write_text("fetch('http://api:8080/x')\n")
    (root / "Dockerfile").write_text("FROM node:22\nCOPY . /app\n")
    (root / "compose.yaml").write_text(
        "services:\n  bundle:\n    build: .\n    command: yarn build\n"
    )
    assert _owners(root, "src/app.js") == ["bakery/bundle"]


def test_a_task_runner_script_is_read_once_until_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from socklock.discover import asset_builders

    root = _tree(tmp_path, {})
    read: list[Path] = []
    source_text = asset_builders.source_text
    monkeypatch.setattr(asset_builders, "source_text", lambda p: read.append(p) or source_text(p))
    assert _builds(root, "./run tasks:build:js")
    assert _builds(root, "./run tasks:build:css")
    assert not _builds(root, "./run tasks:shell")
    assert read == [root / "run"]
    (root / "run").write_text(_TASKS.replace("node esbuild.config.mjs", "python3 manage.py run"))
    assert not _builds(root, "./run tasks:build:js")  # the rewritten script is read again
    assert read == [root / "run", root / "run"]
