"""A kustomization that reads a file outside its directory (a symlink into a sibling)
renders as Flux and Argo CD render it (``--load-restrictor=LoadRestrictionsNone``), with a
warning; any other kustomize failure stays an error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from socklock.load import load_paths
from socklock.model import DiagnosticLevel

pytestmark = pytest.mark.skipif(shutil.which("kubectl") is None, reason="needs kubectl")

_WEB = (
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
    "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
    "    spec: {containers: [{name: web, image: shop/web}]}\n"
)


def test_a_symlink_out_of_the_kustomization_renders_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "web.yaml").write_text(_WEB)
    app = tmp_path / "app"
    app.mkdir()
    (app / "web.yaml").symlink_to("../base/web.yaml")
    (app / "kustomization.yaml").write_text("resources: [web.yaml]\nnamePrefix: app-\n")
    inventory = load_paths([str(tmp_path)])
    assert sorted(w.name for w in inventory.workloads) == ["app-web", "web"]
    assert [(d.level, d.message) for d in inventory.diagnostics] == [
        (
            DiagnosticLevel.WARNING,
            "rendered with --load-restrictor=LoadRestrictionsNone: it reads a file outside "
            "its directory (a symlink), which kubectl apply -k refuses without it",
        )
    ]


def test_another_kustomize_failure_stays_an_error(tmp_path: Path) -> None:
    (tmp_path / "web.yaml").write_text(_WEB)
    (tmp_path / "kustomization.yaml").write_text("resources: [web.yaml]\npatches: [{}]\n")
    inventory = load_paths([str(tmp_path)])
    assert [d.level for d in inventory.diagnostics] == [DiagnosticLevel.ERROR]
    assert "kubectl kustomize failed" in inventory.diagnostics[0].message
