"""Python applications: a Django project (``manage.py``), or an entry file that starts a
server (``uvicorn``/``gunicorn``/``hypercorn`` in code or a Procfile, ``FastAPI()``,
``Flask(__name__)``, ``web.Application()``, ``grpc.server(``, ``HTTPServer(``).

Entry files are looked for by name only (``main.py``, ``app.py``, ``server.py``, ...), so
the finder never reads every Python file. Identity: the directory name; a generic one
(``src``, ``app``) is named by the directory above it.
"""

from __future__ import annotations

import re
from pathlib import Path

from socklock.load.units.docker import has_dockerfile
from socklock.load.units.names import port_of
from socklock.load.units.tree import Tree, read
from socklock.load.units.unit import make_unit
from socklock.model import BuildUnit, Diagnostic

ENTRY_NAMES = (
    "main.py",
    "app.py",
    "server.py",
    "wsgi.py",
    "asgi.py",
    "run.py",
    "api.py",
    "service.py",
    "__main__.py",
)
GENERIC_DIRS = frozenset({"src", "app", "server", "service", "api", "backend", "web"})
_SERVES = re.compile(
    r"\b(uvicorn|gunicorn|hypercorn|waitress)\b|\bFastAPI\s*\(|\bFlask\s*\(|\bSanic\s*\("
    r"|\bweb\.Application\s*\(|\bweb\.run_app\s*\(|\bgrpc\.(aio\.)?server\s*\(|HTTPServer\s*\("
    r"|\bStarlette\s*\(|\bQuart\s*\(|\bserve_forever\s*\("
)
_PORT = re.compile(r"\bport\s*=\s*(?:int\([^)]*?(\d{2,5})[^)]*\)|(\d{2,5}))|\[::\]:(\d{2,5})")


def find(tree: Tree, diagnostics: list[Diagnostic]) -> list[BuildUnit]:
    units: list[BuildUnit] = []
    for directory, files in tree.files.items():
        entry: Path | None = None
        if "manage.py" in files:
            entry = directory / "manage.py"
        else:
            for name in ENTRY_NAMES:
                if name in files and _SERVES.search(read(directory / name) or ""):
                    entry = directory / name
                    break
            if (
                entry is None
                and "Procfile" in files
                and _SERVES.search(read(directory / "Procfile") or "")
            ):
                entry = directory / "Procfile"
        if entry is None:
            continue
        name = directory.name
        home = directory
        if name.lower() in GENERIC_DIRS and directory not in tree.roots:
            name = directory.parent.name
            if has_dockerfile(tree, directory.parent):
                home = directory.parent  # the Dockerfile above builds it: that is its context
        found = _PORT.search(read(entry) or "")
        port = port_of(next((g for g in found.groups() if g), None)) if found else None
        units.append(make_unit("python", home, name, entry, tree, ports=(port,) if port else ()))
    units.extend(_scripts(tree, [Path(s) for u in units for s in u.sources]))
    return units


def _scripts(tree: Tree, homes: list[Path]) -> list[BuildUnit]:
    """Servers that are single scripts side by side (``services/movies.py``, each with its
    own ``app.run(port=..)`` under ``if __name__ == "__main__"``): one unit per script."""
    units: list[BuildUnit] = []
    for directory, files in tree.files.items():
        if any(directory.is_relative_to(home) for home in homes) or has_dockerfile(tree, directory):
            continue  # a Dockerfile's directory is one service, whatever its scripts
        for name in files:
            if not name.endswith(".py") or name.startswith("test") or name in ENTRY_NAMES:
                continue
            path = directory / name
            text = read(path) or ""
            if "__main__" not in text or not _SERVES.search(text):
                continue
            found = _PORT.search(text)
            port = port_of(next((g for g in found.groups() if g), None)) if found else None
            units.append(
                make_unit("python", path, path.stem, path, tree, ports=(port,) if port else ())
            )
    return units
