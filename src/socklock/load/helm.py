"""Helm charts in the input: named once, with the command that gives socklock their objects.

A chart's ``templates/`` are Go templates, not YAML: socklock does not render them (there
is no Helm in Debian or on PyPI to run), and its files are skipped as Helm templates. So
that a chart is never passed over silently, each top-level chart (a ``Chart.yaml`` beside
a ``templates/`` directory, not a subchart under another chart's ``charts/``) gets one
warning with the command to pipe.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable
from pathlib import Path

from socklock.model import Diagnostic, DiagnosticLevel, Location, SkipKind, Skipped

CHART_FILE = "Chart.yaml"


def chart_notices(skipped: Iterable[Skipped]) -> list[Diagnostic]:
    """One warning per top-level chart of the skipped ``Chart.yaml`` files and templates
    (a chart's ``templates/`` given alone is named too)."""
    charts: set[Path] = set()
    for item in skipped:
        path = Path(item.path)
        if path.name == CHART_FILE and _has_templates(item.path):
            charts.add(path)
        elif item.kind is SkipKind.HELM_TEMPLATE:
            charts.update(
                p.parent / CHART_FILE
                for p in path.parents
                if p.name == "templates" and (p.parent / CHART_FILE).is_file()
            )
    out: list[Diagnostic] = []
    for chart in sorted(charts):
        if _is_subchart(chart):
            continue
        directory = str(chart.parent)
        out.append(
            Diagnostic(
                Location(str(chart)),
                "a Helm chart: its templates are not read (socklock does not render Helm); "
                f"to read its objects: helm template {_release(chart)} {shlex.quote(directory)}"
                " | socklock scan -",
                DiagnosticLevel.WARNING,
            )
        )
    return out


def _has_templates(chart_file: str) -> bool:
    return (Path(chart_file).parent / "templates").is_dir()


def _is_subchart(chart: Path) -> bool:
    """Under ``charts/`` of another chart: rendered with its parent."""
    for parent in chart.parents:
        if parent.name == "charts" and (parent.parent / CHART_FILE).is_file():
            return True
    return False


def _release(chart: Path) -> str:
    """A release name: the chart's ``name:`` line, else its directory's name."""
    try:
        for line in chart.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("name:"):
                name = line.removeprefix("name:").strip().strip("'\"")
                if name:
                    return shlex.quote(name)
    except OSError:
        pass
    return shlex.quote(chart.resolve().parent.name or "release")
