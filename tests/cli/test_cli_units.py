"""``socklock map`` on repositories without deployment files, and ``--deployment``."""

from __future__ import annotations

import json

import pytest
from tests.cli.test_cli import invoke
from tests.conftest import REPO

from socklock.errors import UsageError

UNITS = REPO / "tests" / "fixtures" / "units"


def test_map_of_a_repository_without_manifests_is_not_empty() -> None:
    code, out, err = invoke("map", str(UNITS / "go"), "--format", "json")
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert {w["id"]: w["kind"] for w in document["workloads"]} == {
        "code/checkout": "go-unit",
        "code/frontend": "go-unit",
    }
    assert [(e["from"], e["to"], e["port"]) for e in document["edges"]] == [
        ("code/frontend", "code/checkout", 5050)
    ]


def test_map_says_which_deployment_it_maps() -> None:
    code, _, err = invoke("map", str(UNITS / "variants"), "--format", "json")
    assert code == 0
    assert err.splitlines() == [
        "deployment: k8s/base (kubernetes, 2 workloads)",
        "  folded onto it: deploy/swarm/docker-stack.yml (compose, 3 workloads)",
        "  folded onto it: docker-compose.yml (compose, 2 workloads)",
        "  left out: k8s/istio (kubernetes, 2 workloads)",
        "  choose another with --deployment NAME|PATH",
    ]


def test_scan_maps_the_chosen_deployment() -> None:
    code, out, _ = invoke(
        "scan", str(UNITS / "variants"), "--deployment", "docker-compose.yml", "--no-code"
    )
    assert code == 0
    assert "variants/web" in out and "shop/web" not in out


def test_an_unknown_deployment_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="no deployment 'prod'"):
        invoke("map", str(UNITS / "variants"), "--deployment", "prod")


def test_table_text_is_not_read_as_rich_markup(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """An unresolved unit's reason names `[code.owners]`; rich markup would swallow it."""
    (tmp_path / "tool").mkdir()
    (tmp_path / "tool" / "go.mod").write_text("module example.com/tool\n\ngo 1.22\n")
    (tmp_path / "tool" / "main.go").write_text("package main\n\nfunc main() {}\n")
    (tmp_path / "deploy.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
        "  selector: {matchLabels: {app: web}}\n  template:\n"
        "    metadata: {labels: {app: web}}\n"
        "    spec: {containers: [{name: web, image: nginx}]}\n"
    )
    code, out, _ = invoke("map", str(tmp_path))
    assert code == 0
    assert "([code.owners] in" in " ".join(out.split())
