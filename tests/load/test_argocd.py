"""Argo CD Applications: a rendered kustomization's objects that name no namespace land in
the Applications' destination namespace; Argo CD's ``application.yaml`` is a manifest, a
Spring ``application.yaml`` is not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.helpers import write_files as _write

from socklock.load import load_paths
from socklock.model import SkipKind

pytestmark = pytest.mark.skipif(shutil.which("kubectl") is None, reason="needs kubectl")

_DB = """\
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: postgres:16}]}
"""
_APPLICATION = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: %(name)s, namespace: argocd}
spec:
  destination: {server: "https://kubernetes.default.svc", namespace: %(namespace)s}
  source: {repoURL: "https://example.com/shop.git", path: %(path)s}
"""


def _application(name: str, path: str, namespace: str) -> str:
    return _APPLICATION % {"name": name, "path": path, "namespace": namespace}


def _tree(tmp_path: Path, applications: dict[str, str]) -> None:
    _write(
        tmp_path,
        {
            "k8s/dev/db/kustomization.yaml": "resources: [db-patch]\n",
            "k8s/dev/db/db-patch/kustomization.yaml": "resources: [db.yaml]\n",
            "k8s/dev/db/db-patch/db.yaml": _DB,
            "src/main/resources/application.yaml": "server:\n  port: 8080\nkind: web\n",
            **applications,
        },
    )


def test_the_destination_namespace_of_the_application_syncing_a_kustomization(
    tmp_path: Path,
) -> None:
    _tree(
        tmp_path,
        {"argocd/db/application.yaml": _application("db", "k8s/dev/db/db-patch", "shop")},
    )
    inventory = load_paths([str(tmp_path)])
    assert [w.id for w in inventory.workloads] == ["shop/db"]
    assert [o.name for o in inventory.objects if o.kind == "Application"] == ["db"]
    skipped = {Path(s.path).name: s.kind for s in inventory.skipped}
    assert skipped["application.yaml"] is SkipKind.KNOWN_CONFIG  # Spring's


def test_applications_that_disagree_give_no_namespace(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "argocd/a.yaml": _application("a", "k8s/dev/db", "shop"),
            "argocd/b.yaml": _application("b", "./k8s/dev/db/db-patch", "store"),
            "argocd/c.yaml": _application("c", "other/k8s/dev/db", "elsewhere"),
        },
    )
    inventory = load_paths([str(tmp_path)])
    assert [w.id for w in inventory.workloads] == ["default/db"]


def test_an_application_for_another_folder_gives_no_namespace(tmp_path: Path) -> None:
    _tree(tmp_path, {"argocd/a.yaml": _application("a", "k8s/prod/db", "shop")})
    inventory = load_paths([str(tmp_path)])
    assert [w.id for w in inventory.workloads] == ["default/db"]
