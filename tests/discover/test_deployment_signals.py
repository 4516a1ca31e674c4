"""The default deployment is the application's, as its repository says: a CI job's or an
end-to-end test's compose file is passed over even when it starts more services, and a
deployment a README command names is preferred over one it does not."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.helpers import write_files as _write

from socklock.discover.deployment_signals import documented, incidental
from socklock.discover.deployments import select_deployment
from socklock.load import load_paths


def _compose(*names: str) -> str:
    return "services:\n" + "".join(f"  {n}:\n    image: shop/{n}\n" for n in names)


_K8S = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}}}
spec:
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec: {{containers: [{{name: app, image: shop/{name}}}]}}
"""


def _default(root: Path) -> str:
    selection = select_deployment(load_paths([str(root)]))
    assert selection.chosen is not None
    return selection.chosen.name


@pytest.mark.parametrize(
    "other",
    [
        "ci/compose.yaml",
        "e2e/docker-compose.yml",
        "tests/integration/compose.yaml",
        "cypress/docker-compose.yml",
        "_archived/docker-compose.yml",
        "bridge/testing-docker-compose.yml",
        "deploy/docker-compose.e2e.yml",
    ],
)
def test_a_test_or_ci_deployment_is_passed_over_though_it_is_larger(
    tmp_path: Path, other: str
) -> None:
    root = _write(
        tmp_path / "repo",
        {"compose.yaml": _compose("web", "api"), other: _compose("web", "api", "db", "cache")},
    )
    assert _default(root) == "compose.yaml"


def test_when_every_deployment_is_a_tests_the_largest_is_still_chosen(tmp_path: Path) -> None:
    root = _write(
        tmp_path / "repo",
        {"ci/compose.yaml": _compose("web", "api", "db"), "e2e/compose.yaml": _compose("web")},
    )
    assert _default(root) == "ci/compose.yaml"


def test_the_deployment_the_readme_runs_is_the_default(tmp_path: Path) -> None:
    """``docker compose -f docker/compose.yml up`` names the file: chosen over a larger
    one in another directory that the README does not name."""
    root = _write(
        tmp_path / "repo",
        {
            "README.md": "# Shop\n\n```sh\ndocker compose -f docker/compose.yml up -d\n```\n",
            "docker/compose.yml": _compose("web", "api", "db"),
            "deploy/prod/compose.yml": _compose("web", "api", "db", "cache", "proxy"),
        },
    )
    assert _default(root) == "docker/compose.yml"


def test_compose_up_at_the_root_names_the_root_compose_over_kubernetes(tmp_path: Path) -> None:
    """The README runs ``docker compose up`` and never applies the manifests: the root
    compose deployment, though a Kubernetes one is otherwise first."""
    root = _write(
        tmp_path / "repo",
        {
            "README.md": "Run it:\n\n    docker-compose up --build\n",
            "docker-compose.yml": _compose("web", "api"),
            "k8s/web.yaml": _K8S.format(name="web"),
            "k8s/api.yaml": _K8S.format(name="api"),
        },
    )
    assert _default(root) == "docker-compose.yml"


def test_a_readme_naming_both_leaves_the_usual_order(tmp_path: Path) -> None:
    root = _write(
        tmp_path / "repo",
        {
            "README.md": "docker compose up\n\nor on a cluster: `kubectl apply -f k8s/`\n",
            "docker-compose.yml": _compose("web", "api"),
            "k8s/web.yaml": _K8S.format(name="web"),
            "k8s/api.yaml": _K8S.format(name="api"),
        },
    )
    assert _default(root) == "k8s"


def test_prose_is_not_a_command_and_a_longer_path_is_not_a_mention(tmp_path: Path) -> None:
    """ "k8s" in a sentence, or inside ``k8s-old/``, names nothing: the usual order holds."""
    root = _write(
        tmp_path / "repo",
        {
            "README.md": "We love k8s and compose.\n\n    kubectl apply -f k8s-old/\n",
            "compose.yaml": _compose("web", "api", "db"),
            "k8s/web.yaml": _K8S.format(name="web"),
            "k8s/api.yaml": _K8S.format(name="api"),
        },
    )
    assert _default(root) == "k8s"


def test_incidental_names() -> None:
    assert [
        n
        for n in (
            "ci/compose.yaml",
            "docker/compose.yml",
            "kong-tests-compose.yaml",
            "contest/compose.yaml",
            "docker-compose.yml+e2e/compose.yaml",
            "citadel/compose.yaml",
            "latest/compose.yaml",
        )
        if incidental(n)
    ] == ["ci/compose.yaml", "kong-tests-compose.yaml", "docker-compose.yml+e2e/compose.yaml"]


def test_documented_reads_only_the_root_readme_command_lines(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "readme.rst": "cd deploy && docker compose up\nSee docs/compose.yaml for more.\n",
            "docs/README.md": "kubectl apply -f docs/k8s\n",
        },
    )
    names = [("docs/compose.yaml", "docs", ()), ("docs/k8s", None, ()), ("deploy/k8s", None, ())]
    assert documented([*names, ("compose.yaml", ".", ())], tmp_path) == frozenset()
    assert documented(
        [("deploy/compose.yaml", "deploy", ()), ("compose.yaml", ".", ())], tmp_path
    ) == {"deploy/compose.yaml"}


def test_a_manifest_file_the_readme_applies_names_its_directory(tmp_path: Path) -> None:
    """``kubectl apply -f all-in-one.yaml`` at the root names the root's Kubernetes
    deployment (``.``), over the compose file beside it."""
    root = _write(
        tmp_path / "repo",
        {
            "README.md": "    docker compose up\n    kubectl apply -f all-in-one.yaml\n",
            "docker-compose.yml": _compose("web", "api"),
            "all-in-one.yaml": _K8S.format(name="web") + "---\n" + _K8S.format(name="api"),
            "overlays/big/all.yaml": "".join(
                _K8S.format(name=n) + "---\n" for n in ("web", "api", "db", "cache", "proxy")
            ),
        },
    )
    assert _default(root) == "."
