"""Deployments named as a tool applies them: a Skaffold config (the files it lists), and a
directory over several Kubernetes deployments (``kubectl apply -R -f DIR``: one copy of each
object, the one applied last)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.helpers import write_files as _write

from socklock.discover.deployments import select_deployment
from socklock.errors import UsageError
from socklock.load import load_paths


def _deployment(name: str, image: str = "", namespace: str = "") -> str:
    ns = f", namespace: {namespace}" if namespace else ""
    return (
        f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}{ns}}}\nspec:\n"
        f"  selector: {{matchLabels: {{app: {name}}}}}\n  template:\n"
        f"    metadata: {{labels: {{app: {name}}}}}\n    spec:\n"
        f"      containers: [{{name: {name}, image: {image or 'shop/' + name}}}]\n"
    )


def _ingress(name: str) -> str:
    return f"apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {{name: {name}}}\n"


# the same two workloads in k8s/ (with a debug copy) and k8s-alt/: alternatives
_MANIFESTS = {
    "infra/k8s/web.yaml": _deployment("web"),
    "infra/k8s/api.yaml": _deployment("api"),
    "infra/k8s-dev/ingress.yaml": _ingress("dev-entry"),
    "infra/k8s-prod/ingress.yaml": _ingress("prod-entry"),
    "infra/k8s-alt/web.yaml": _deployment("web"),
    "infra/k8s-alt/api.yaml": _deployment("api"),
    "infra/k8s-alt/debug.yaml": _deployment("debug"),
}


def _selected(root: Path, wanted: str) -> tuple[str, list[tuple[str, str]]]:
    """(the chosen deployment's name, (kind, file) of each workload and Ingress kept)."""
    selection = select_deployment(load_paths([str(root)]), wanted)
    assert selection.chosen is not None
    kept = [*(w.obj for w in selection.inventory.workloads)]
    kept += [i.obj for i in selection.inventory.ingresses]
    objects = sorted(
        (o.kind + " " + o.name, str(Path(o.location.file).relative_to(root))) for o in kept
    )
    return selection.chosen.name, objects


@pytest.mark.parametrize(
    "config",
    [
        # v2: deploy.kubectl.manifests globs
        "apiVersion: skaffold/v2alpha3\nkind: Config\ndeploy:\n  kubectl:\n    manifests:\n"
        "      - ./infra/k8s/*\n      - ./infra/k8s-dev/*\n",
        # v4beta: manifests.rawYaml globs (recursive ** too)
        "apiVersion: skaffold/v4beta7\nkind: Config\nmanifests:\n  rawYaml:\n"
        "    - infra/k8s/*.yaml\n    - infra/**/ingress.yaml\n    - https://example.com/x.yaml\n"
        "build:\n  artifacts: [{image: shop/web, context: web}]\n",
    ],
)
def test_a_skaffold_config_names_the_files_it_lists(tmp_path: Path, config: str) -> None:
    files = dict(_MANIFESTS)
    files["skaffold.yaml"] = config
    if "**" in config:  # the recursive glob reaches the prod Ingress too
        files["infra/k8s-prod/ingress.yaml"] = _ingress("dev-entry")
    _write(tmp_path, files)
    name, objects = _selected(tmp_path, "skaffold.yaml")
    assert name == "skaffold.yaml"
    assert [o for o in objects if o[0].startswith("Deployment")] == [
        ("Deployment api", "infra/k8s/api.yaml"),
        ("Deployment web", "infra/k8s/web.yaml"),
    ]
    assert ("Ingress dev-entry", "infra/k8s-dev/ingress.yaml") in objects


def test_a_skaffold_config_renders_its_kustomize_paths(tmp_path: Path) -> None:
    """v3: manifests.kustomize.paths; a kustomize section without paths is its own dir."""
    files = {
        "deploy/base/kustomization.yaml": "resources: [web.yaml]\n",
        "deploy/base/web.yaml": _deployment("web"),
        "deploy/other/api.yaml": _deployment("api"),
        "deploy/skaffold.yaml": "apiVersion: skaffold/v3\nkind: Config\nmanifests:\n"
        "  kustomize:\n    paths: [base]\n",
    }
    _write(tmp_path, files)
    selection = select_deployment(load_paths([str(tmp_path)]), "deploy/skaffold.yaml")
    assert selection.chosen is not None
    assert selection.chosen.name == "deploy/skaffold.yaml"
    assert sorted(selection.chosen.services) == ["web"]


def test_a_yaml_file_that_is_no_skaffold_config_is_no_deployment(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            **_MANIFESTS,
            # apiVersion skaffold, but another kind; and a config that deploys nothing here
            "skaffold.yaml": "apiVersion: skaffold/v4beta7\nkind: Plugin\nmanifests:\n"
            "  rawYaml: [infra/k8s/*]\n",
            "skaffold-empty.yaml": "apiVersion: skaffold/v4beta7\nkind: Config\nmanifests:\n"
            "  rawYaml: [nothing/*]\n",
        },
    )
    inventory = load_paths([str(tmp_path)])
    for wanted in ("skaffold.yaml", "skaffold-empty.yaml"):
        with pytest.raises(UsageError, match=f"no deployment '{wanted}'"):
            select_deployment(inventory, wanted)


_TREE = {
    "k8s/infrastructure/db.yaml": _deployment("db", "postgres:16"),
    "k8s/infrastructure/cache.yaml": _deployment("cache", "redis:7"),
    # an older copy of infrastructure/: the same objects, applied first (name order)
    "k8s/infra/db.yaml": _deployment("db", "postgres:15"),
    "k8s/applications/web.yaml": _deployment("web"),
    # the same name in another namespace is another object: both run
    "k8s/applications/db-tools.yaml": _deployment("db", "shop/db-tools", namespace="tools"),
    "other/web.yaml": _deployment("web"),
}


def test_a_directory_over_several_deployments_names_them_all(tmp_path: Path) -> None:
    _write(tmp_path, _TREE)
    selection = select_deployment(load_paths([str(tmp_path)]), "k8s")
    assert selection.chosen is not None
    assert selection.chosen.name == "k8s"
    assert sorted(
        (w.namespace, w.name, w.containers[0].image) for w in selection.inventory.workloads
    ) == [
        ("default", "cache", "redis:7"),
        ("default", "db", "postgres:16"),
        ("default", "web", "shop/web"),
        ("tools", "db", "shop/db-tools"),
    ]
    assert [str(d) for d in selection.diagnostics] == [
        f"{tmp_path}/k8s/infra/db.yaml:1:1: warning: deployment k8s applies 1 object(s) twice "
        "(in 1 pair(s) of files, named above): socklock keeps the copy applied last, as the "
        "cluster does"
    ]
    assert [d.name for d in selection.left_out] == ["other"]


def test_the_input_root_names_all_its_kubernetes_objects(tmp_path: Path) -> None:
    _write(tmp_path, _TREE)
    here = Path.cwd()
    os.chdir(tmp_path)
    try:
        for wanted in (".", str(tmp_path)):
            selection = select_deployment(load_paths(["."]), wanted)
            assert selection.chosen is not None
            assert selection.chosen.name == "."
            assert sorted(w.name for w in selection.inventory.workloads) == [
                "cache",
                "db",
                "db",
                "web",
            ]
    finally:
        os.chdir(here)


def test_a_directory_that_is_one_deployment_or_none_is_as_before(tmp_path: Path) -> None:
    _write(tmp_path, {**_TREE, "docs/readme.yaml": "title: no manifests here\n"})
    inventory = load_paths([str(tmp_path)])
    one = select_deployment(inventory, "k8s/applications")
    assert one.chosen is not None
    assert (one.chosen.name, one.diagnostics) == ("k8s/applications", ())
    with pytest.raises(UsageError, match="no deployment 'docs'"):
        select_deployment(inventory, "docs")


# one Kubernetes deployment at the root (its objects are spread over two directories)
_SPREAD = {
    "kube/deployment/web.yaml": _deployment("web"),
    "kube/deployment/api.yaml": _deployment("api"),
    "monitoring/prometheus/prometheus.yaml": _deployment("prometheus", "prom/prometheus"),
    "monitoring/adapter.yaml": _deployment("adapter", "shop/adapter"),
    "tools/debug.yaml": _deployment("debug", "shop/debug"),
}


def test_directories_inside_one_deployment_name_their_own_objects(tmp_path: Path) -> None:
    root = tmp_path / "owner+app"  # a '+' in the input's own path is part of it
    _write(root, _SPREAD)
    assert [d.name for d in select_deployment(load_paths([str(root)])).others] == []
    name, objects = _selected(root, "kube")
    assert (name, objects) == (
        "kube",
        [
            ("Deployment api", "kube/deployment/api.yaml"),
            ("Deployment web", "kube/deployment/web.yaml"),
        ],
    )
    for wanted in ("monitoring+kube", f"{root}/monitoring+{root}/kube"):
        name, objects = _selected(root, wanted)
        assert [o for o in objects] == [
            ("Deployment adapter", "monitoring/adapter.yaml"),
            ("Deployment api", "kube/deployment/api.yaml"),
            ("Deployment prometheus", "monitoring/prometheus/prometheus.yaml"),
            ("Deployment web", "kube/deployment/web.yaml"),
        ]
    with pytest.raises(UsageError, match="no deployment 'docs'"):
        (root / "docs").mkdir()
        select_deployment(load_paths([str(root)]), "docs")


def test_a_directory_of_helm_charts_is_refused_with_what_to_run(tmp_path: Path) -> None:
    chart = "apiVersion: v2\nname: {0}\nversion: 0.1.0\n"
    template = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n"
    _write(
        tmp_path,
        {
            "charts/app/api/Chart.yaml": chart.format("api"),
            "charts/app/api/templates/deployment.yaml": template,
            "charts/app/db/Chart.yaml": chart.format("db"),
            "charts/app/db/templates/deployment.yaml": template,
            "k8s/web.yaml": _deployment("web"),
        },
    )
    with pytest.raises(UsageError) as refused:
        select_deployment(load_paths([str(tmp_path)]), "charts/app")
    assert str(refused.value) == (
        "charts/app holds Helm charts (charts/app/api, charts/app/db): their templates are "
        "not manifests until rendered; map what they render to: (helm template charts/app/api "
        "; helm template charts/app/db) | socklock map -"
    )


def test_an_apphost_projects_directory_names_its_program() -> None:
    root = Path(__file__).resolve().parents[1] / "fixtures" / "units" / "aspire"
    inventory = load_paths([str(root)])
    for wanted in (str(root / "Shop.AppHost"), str(root / "Shop.AppHost/Program.cs")):
        selection = select_deployment(inventory, wanted)
        assert selection.chosen is not None
        assert selection.chosen.name == "Shop.AppHost/Program.cs"
    with pytest.raises(UsageError, match="no deployment"):
        select_deployment(inventory, str(root / "Basket.API"))
