"""The modules an entry point imports, transitively (Python and JavaScript/TypeScript)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.helpers import write_files as _write

from socklock.discover.imports import ImportGraph

if TYPE_CHECKING:
    from pathlib import Path


def _closure(root: Path, entry: str) -> list[str]:
    found = ImportGraph().closure([root / entry], root)
    return sorted(p.relative_to(root).as_posix() for p in found)


def test_python_absolute_relative_and_package_imports(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "src/shop/__init__.py": "",
            "src/shop/worker.py": "from shop import tasks\nfrom .db import connect\n",
            "src/shop/tasks.py": "import shop.broker\n",
            "src/shop/broker.py": "import redis\n",
            "src/shop/db.py": "",
            "src/shop/web.py": "from shop.views import index\n",
            "src/shop/views.py": "",
        },
    )
    assert _closure(tmp_path, "src/shop/worker.py") == [
        "src/shop/__init__.py",
        "src/shop/broker.py",
        "src/shop/db.py",
        "src/shop/tasks.py",
    ]


def test_javascript_relative_and_alias_imports(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "src/worker.ts": "import h from '@shop/handlers/sync.handler';\n",
            "src/handlers/sync.handler.ts": "const q = require('../services/queue');\n",
            "src/services/queue.ts": "export const q = 1;\n",
            "src/services/cache.ts": "export const c = 1;\n",
            "src/api.ts": "import { c } from './services/cache';\n",
        },
    )
    assert _closure(tmp_path, "src/worker.ts") == [
        "src/handlers/sync.handler.ts",
        "src/services/queue.ts",
    ]


def test_a_config_file_a_module_names_and_the_modules_it_names(tmp_path: Path) -> None:
    """``litellm.py`` opens ``gateway_config.yaml``, whose ``custom_auth`` names a module."""
    _write(
        tmp_path,
        {
            "shop/litellm.py": 'CONFIG = "shop/gateway_config.yaml"\n',
            "shop/gateway_config.yaml": "custom_auth: shop.gateway.check\n",
            "shop/gateway.py": "",
            "shop/other.py": "",
            ".env.example": "API=http://api:8000\n",
        },
    )
    assert _closure(tmp_path, "shop/litellm.py") == ["shop/gateway.py", "shop/gateway_config.yaml"]


def test_one_graph_resolves_a_module_against_each_tree_that_asks(tmp_path: Path) -> None:
    """A module's imports depend on the tree's names: a graph asked for an inner tree first
    still finds, for the outer tree, the modules outside the inner one."""
    _write(
        tmp_path,
        {
            "app/main.py": "from shared import settings\n",
            "shared/__init__.py": "",
            "shared/settings.py": "",
        },
    )
    graph = ImportGraph()
    entry = tmp_path / "app" / "main.py"
    assert graph.closure([entry], tmp_path / "app") == frozenset()
    assert graph.closure([entry], tmp_path) == frozenset(
        {tmp_path / "shared" / "__init__.py", tmp_path / "shared" / "settings.py"}
    )
