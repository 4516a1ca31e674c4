"""Sibling kustomize overlays are variants of one application: each is a deployment a user
can name, one is the default (most workloads, then the shallowest, then by name); a
generator's ``.env`` a new clone lacks is read from the template beside it; an overlay
that cannot be rendered is, when named, the files it reads as written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.helpers import write_files as _write

from socklock.discover.deployments import find_deployments, select_deployment
from socklock.load import load_paths
from socklock.load.env_templates import env_template

pytestmark = pytest.mark.skipif(shutil.which("kubectl") is None, reason="needs kubectl")

_APP = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: shop/web
          env: [{name: DB_URL, value: "postgres://db:5432/shop"}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: db}
spec:
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: postgres, ports: [{containerPort: 5432}]}]
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec: {selector: {app: db}, ports: [{port: 5432}]}
"""
_SECRET = "secretGenerator:\n- name: creds\n  envs: [.env]\n"
_OVERLAYS = {
    "deploy/base/app/kustomization.yaml": "resources: [app.yaml]\n",
    "deploy/base/app/app.yaml": _APP,
    "deploy/basic/kustomization.yaml": "resources: [../base/app]\n",
    "deploy/cloud/kustomization.yaml": "resources: [../base/app]\n" + _SECRET,
    "deploy/cloud/.env.example": "TOKEN=changeme\n",
    "deploy/staging/kustomization.yaml": "resources: [../base/app]\nnamePrefix: staging-\n",
}


def test_sibling_overlays_are_deployments_and_one_is_the_default(tmp_path: Path) -> None:
    _write(tmp_path, _OVERLAYS)
    inventory = load_paths([str(tmp_path)])
    assert [str(d) for d in inventory.diagnostics] == [
        f"{tmp_path}/deploy/cloud/kustomization.yaml: warning: .env is not there (kept out "
        "of git?); rendered with the template .env.example in its place"
    ]
    assert [(d.name, sorted(d.services)) for d in find_deployments(inventory)] == [
        ("deploy/basic", ["db", "web"]),
        ("deploy/cloud", ["db", "web"]),
        ("deploy/staging", ["staging-db", "staging-web"]),
    ]
    selection = select_deployment(inventory)
    assert selection.chosen is not None and selection.chosen.name == "deploy/basic"
    assert [d.name for d in selection.left_out] == ["deploy/cloud"]
    named = select_deployment(inventory, str(tmp_path / "deploy/cloud"))
    assert named.chosen is not None and named.chosen.name == "deploy/cloud"
    # the Secret the generator made from the template's keys, under kustomize's hashed name
    assert [s.obj.name.startswith("creds-") for s in named.inventory.secrets] == [True]
    assert not (tmp_path / "deploy/cloud/.env").exists()  # the user's tree is not written


def test_a_missing_env_without_a_template_is_still_not_rendered(tmp_path: Path) -> None:
    files = {k: v for k, v in _OVERLAYS.items() if not k.endswith(".env.example")}
    _write(tmp_path, files)
    inventory = load_paths([str(tmp_path)])
    assert [str(d) for d in inventory.diagnostics] == [
        f"{tmp_path}/deploy/cloud/kustomization.yaml: warning: not rendered: it names .env, "
        "which is not there (made by a build or deploy step?); its files are read as written: "
        f"kubectl kustomize {tmp_path}/deploy/cloud | socklock scan -"
    ]


def test_an_overlay_that_cannot_be_rendered_is_its_files_as_written(tmp_path: Path) -> None:
    """Every overlay names a file a build makes: none renders, so the base is read as
    written; naming an overlay still gives it, with the files it reads."""
    _write(
        tmp_path,
        {
            "deploy/base/app/kustomization.yaml": "resources: [app.yaml]\n",
            "deploy/base/app/app.yaml": _APP,
            "deploy/basic/kustomization.yaml": "resources: [../base/app]\n" + _SECRET,
            "deploy/extra/kustomization.yaml": "resources: [../base/app, debug.yaml]\n" + _SECRET,
            "deploy/extra/debug.yaml": _APP.split("---\n")[0].replace("web", "debug"),
        },
    )
    inventory = load_paths([str(tmp_path)])
    selection = select_deployment(inventory, "deploy/basic")
    assert selection.chosen is not None
    assert (selection.chosen.name, sorted(selection.chosen.services)) == (
        "deploy/basic",
        ["db", "web"],
    )
    assert sorted(w.id for w in selection.inventory.workloads) == ["default/db", "default/web"]


def test_a_committed_env_local_is_the_template_of_a_missing_env(tmp_path: Path) -> None:
    (tmp_path / ".env.local").write_text("A=1\n")
    assert env_template(str(tmp_path / ".env")) == str(tmp_path / ".env.local")
    (tmp_path / ".env.example").write_text("A=2\n")
    assert env_template(str(tmp_path / ".env")) == str(tmp_path / ".env.example")
    (tmp_path / ".env").write_text("A=3\n")
    assert env_template(str(tmp_path / ".env")) is None


def test_a_script_that_applies_an_overlay_with_a_namespace(tmp_path: Path) -> None:
    overlays = {k: v for k, v in _OVERLAYS.items() if "staging" not in k}
    _write(tmp_path, {**overlays, "deploy.sh": "kubectl apply -k deploy/cloud -n shop\n"})
    inventory = load_paths([str(tmp_path)])
    selection = select_deployment(inventory)
    assert selection.chosen is not None and selection.chosen.name == "deploy.sh"
    assert sorted(w.id for w in selection.inventory.workloads) == ["shop/db", "shop/web"]
    assert [s.id for s in selection.inventory.services] == ["shop/db"]


def test_a_copy_over_the_size_limit_is_not_rendered(tmp_path: Path) -> None:
    from socklock.load.limits import Limits

    files = {k: v for k, v in _OVERLAYS.items() if k.startswith("deploy/base/")}
    files["deploy/cloud/kustomization.yaml"] = _OVERLAYS["deploy/cloud/kustomization.yaml"]
    files["deploy/cloud/.env.example"] = "TOKEN=" + "x" * 4096 + "\n"
    _write(tmp_path, files)
    inventory = load_paths([str(tmp_path)], Limits(max_file_bytes=2048))
    assert [str(d) for d in inventory.diagnostics] == [
        f"{tmp_path}/deploy/cloud/kustomization.yaml: warning: not rendered: its files are "
        "over the 0 MiB limit for a copy with env templates in place; its files are read as "
        f"written: kubectl kustomize {tmp_path}/deploy/cloud | socklock scan -"
    ]


def test_an_unrendered_overlay_beside_a_rendered_one_is_a_variant(tmp_path: Path) -> None:
    """``deploy/cloud`` names a file a build makes: its own ``agent.yaml`` is read as
    written, but it is the cloud overlay's, not more of ``deploy/basic``: the default is
    the overlay that renders; naming ``deploy/cloud`` gives its files with its base."""
    agent = _APP.split("---\n")[0].replace("web", "agent")
    _write(
        tmp_path,
        {
            "deploy/base/app/kustomization.yaml": "resources: [app.yaml]\n",
            "deploy/base/app/app.yaml": _APP,
            "deploy/basic/kustomization.yaml": "resources: [../base/app]\n",
            "deploy/cloud/kustomization.yaml": "resources: [../base/app, agent.yaml]\n" + _SECRET,
            "deploy/cloud/agent.yaml": agent,
        },
    )
    inventory = load_paths([str(tmp_path)])
    assert [(d.name, sorted(d.services), d.variant) for d in find_deployments(inventory)] == [
        ("deploy/cloud", ["agent", "db", "web"], True),
        ("deploy/basic", ["db", "web"], False),
    ]
    selection = select_deployment(inventory)
    assert selection.chosen is not None and selection.chosen.name == "deploy/basic"
    assert sorted(w.id for w in selection.inventory.workloads) == ["default/db", "default/web"]
    named = select_deployment(inventory, "deploy/cloud")
    assert sorted((w.id, Path(w.location.file).name) for w in named.inventory.workloads) == [
        ("default/agent", "agent.yaml"),
        ("default/db", "app.yaml"),
        ("default/web", "app.yaml"),
    ]
