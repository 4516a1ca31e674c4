"""Ruby classes only a Rake task uses: they run in the service that runs that task.

A Rails image often runs as two services: the web server (``bin/rails server``) and a
worker that starts a consumer through a task (``bin/rails consumers:orders_count``, a
``lib/tasks/*.rake`` file calling ``Events::OrderCreatedConsumer.new.start``). A class that
no Ruby file of the application names except Rake task files (its own file, ``spec/`` and
``test/`` left out) is loaded only when one of those tasks runs: its calls belong to the
services whose command names such a task, not to the web server. A class named nowhere
(autoloaded by convention, listed in config or env) or named by any other Ruby file runs
anywhere. The reading is textual: ``class`` lines, words, ``namespace``/``task`` lines.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

_CLASS = re.compile(r"^\s*class\s+(?:[A-Z]\w*::)*([A-Z]\w*)", re.MULTILINE)
_NAMESPACE = re.compile(r"^(\s*)namespace\s+:?[\"']?(\w+)")
_TASK = re.compile(r"^(\s*)task\s+(?::(\w+)|[\"'](\w+)[\"']|(\w+):)")
_SKIPPED = frozenset({"spec", "test", "vendor", "node_modules", "tmp", "log", ".git", "public"})
MAX_FILES = 3000  # a larger application is not read: its classes run anywhere


def task_names(file: str) -> frozenset[str] | None:
    """The Rake tasks (``consumers:orders_count``) that alone load the classes of Ruby file
    ``file``; None when the file runs anywhere (or that cannot be told)."""
    path = Path(file).resolve()
    root = _rails_root(path.parent)
    if root is None or path.suffix != ".rb":
        return None
    try:
        classes = set(_CLASS.findall(path.read_text(encoding="utf-8", errors="replace")))
    except OSError:
        return None
    if not classes:
        return None
    index = _words(root)
    if index is None:
        return None
    naming = {other for name in classes for other in index.get(name, ()) if other != path}
    if not naming or any(other.suffix != ".rake" for other in naming):
        return None
    return frozenset(task for rake in naming for task in _tasks(rake))


def runs_task(words: Iterable[str], tasks: frozenset[str]) -> bool:
    """Whether a command line (or a script it runs) names one of ``tasks``
    (``rails consumers:orders_count``, ``rake "consumers:orders_count[1]"``)."""
    return any(word.split("[", 1)[0].strip("\"'") in tasks for word in words)


def _rails_root(directory: Path) -> Path | None:
    """The nearest ancestor holding ``config/application.rb`` and ``lib/tasks``."""
    for base in (directory, *directory.parents):
        if (base / "config" / "application.rb").is_file() and (base / "lib" / "tasks").is_dir():
            return base
    return None


@lru_cache(maxsize=16)
def _words(root: Path) -> dict[str, frozenset[Path]] | None:
    """Capitalised word → the Ruby and Rake files of the application that write it."""
    found: dict[str, set[Path]] = {}
    files = 0
    for current, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED)
        for name in names:
            if not name.endswith((".rb", ".rake")):
                continue
            files += 1
            if files > MAX_FILES:
                return None
            path = Path(current) / name
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                return None
            for word in set(re.findall(r"\b[A-Z]\w*", text)):
                found.setdefault(word, set()).add(path)
    return {word: frozenset(paths) for word, paths in found.items()}


def _tasks(rake: Path) -> list[str]:
    """The full names (``namespace:task``) of the tasks a Rake file defines."""
    try:
        lines = rake.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    stack: list[tuple[int, str]] = []  # (indentation, namespace)
    names: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        while stack and indent <= stack[-1][0] and not line.strip().startswith("end"):
            stack.pop()
        namespace = _NAMESPACE.match(line)
        if namespace is not None:
            stack.append((indent, namespace.group(2)))
            continue
        task = _TASK.match(line)
        if task is not None:
            name = task.group(2) or task.group(3) or task.group(4)
            names.append(":".join([*(n for _, n in stack), name]))
    return names
