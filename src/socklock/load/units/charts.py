"""The name a build unit is deployed under, read from the Helm chart that ships beside it.

A service directory that holds its own chart (``catalog/chart/``, ``orders/helm/``,
``web/charts/web/``) says in the chart's templates which workload runs it: ``kind:
Deployment`` with ``metadata.name: catalog``. Its peers call it by that name even when its
package is named otherwise (``"name": "movies-api"`` in ``catalog/package.json``). Only a
name written as a literal counts, and only when the chart runs one workload.
"""

from __future__ import annotations

import re
from pathlib import Path

from socklock.load.units.tree import Tree, read

_CHART_DIRECTORIES = ("chart", "helm", "deploy/chart", "deploy/helm")
_WORKLOAD = re.compile(r"^kind:\s*(?:Deployment|StatefulSet|DaemonSet)\s*$", re.MULTILINE)
_NAME = re.compile(
    r"^metadata:\s*\n(?:[ \t]+.*\n)*?[ \t]+name:\s*['\"]?([a-z0-9][a-z0-9.-]*)['\"]?\s*$",
    re.MULTILINE,
)
_SEPARATOR = re.compile(r"^---\s*$", re.MULTILINE)


def chart_workload_name(tree: Tree, directory: Path) -> str | None:
    """The one workload name the unit's own chart gives (None: no chart, a templated name,
    or several workloads)."""
    charts = [directory / c for c in _CHART_DIRECTORIES]
    charts += tree.children(directory / "charts") if (directory / "charts") in tree.files else []
    names: set[str] = set()
    for chart in charts:
        if not tree.has(chart, "Chart.yaml"):
            continue
        templates = chart / "templates"
        for file in tree.files.get(templates, ()):
            if not file.endswith((".yaml", ".yml")):
                continue
            for document in _SEPARATOR.split(read(templates / file) or ""):
                if _WORKLOAD.search(document) is None:
                    continue
                found = _NAME.search(document)
                if found is None:
                    return None  # a templated name: the release decides it
                names.add(found.group(1))
    return next(iter(names)) if len(names) == 1 else None
