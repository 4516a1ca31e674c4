"""Compose deployments as ``docker compose`` reads them: the default file (and its override,
or ``COMPOSE_FILE``) is the deployment; the other compose files of the directory are
variants, listed and left out unless named; names joined by ``+`` layer files as
``-f a -f b``. Helm charts are named once, with the command that renders them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.discover.deployments import find_deployments, select_deployment
from socklock.errors import UsageError
from socklock.load import load_paths
from socklock.model import ServiceGraph

_BASE = """\
services:
  web:
    image: shop/web
    environment:
      API_URL: http://api:9000
  api:
    image: shop/api
    expose: ["9000"]
"""
# An overlay meant for ``-f docker-compose.yml -f docker-compose.otel.yml``: it sends
# telemetry to a collector that only it defines.
_OTEL = """\
services:
  web:
    environment:
      OTEL_EXPORTER_OTLP_ENDPOINT: http://otel-collector:4317
  otel-collector:
    image: otel/opentelemetry-collector
    expose: ["4317"]
"""
_TLS = """\
services:
  web:
    image: shop/web
    environment:
      API_URL: https://api:9443
  api:
    image: shop/api
    expose: ["9443"]
"""


def _edges(graph: ServiceGraph) -> set[tuple[str, str, int | None]]:
    return {(e.source.split("/")[1], e.target.split("/")[1], e.port) for e in graph.edges}


def test_variant_files_are_not_read_without_f(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "docker-compose.yml": _BASE,
            "docker-compose.otel.yml": _OTEL,
            "docker-compose-tls.yml": _TLS,
        },
    )
    inventory = load_paths([str(tmp_path)])
    assert [(d.name, d.variant) for d in find_deployments(inventory)] == [
        ("docker-compose-tls.yml", True),
        ("docker-compose.otel.yml", True),
        ("docker-compose.yml", False),
    ]
    selection = select_deployment(inventory)
    assert selection.chosen is not None and selection.chosen.name == "docker-compose.yml"
    assert [d.name for d in selection.left_out] == [
        "docker-compose-tls.yml",
        "docker-compose.otel.yml",
    ]
    graph = discover(inventory)
    assert _edges(graph) == {("web", "api", 9000)}  # no collector, no TLS port
    assert {n.id.split("/")[1] for n in graph.nodes} == {"web", "api"}


def test_a_variant_is_mapped_when_named(tmp_path: Path) -> None:
    _write(tmp_path, {"docker-compose.yml": _BASE, "docker-compose-tls.yml": _TLS})
    graph = discover(load_paths([str(tmp_path)]), deployment="docker-compose-tls.yml")
    assert _edges(graph) == {("web", "api", 9443)}


def test_files_joined_by_plus_are_layered(tmp_path: Path) -> None:
    _write(tmp_path, {"docker-compose.yml": _BASE, "docker-compose.otel.yml": _OTEL})
    inventory = load_paths([str(tmp_path)])
    selection = select_deployment(inventory, "docker-compose.yml+docker-compose.otel.yml")
    assert selection.chosen is not None
    assert selection.chosen.services == {"web", "api", "otel-collector"}
    assert selection.left_out == ()
    graph = discover(inventory, deployment="docker-compose.yml+docker-compose.otel.yml")
    assert _edges(graph) == {("web", "api", 9000), ("web", "otel-collector", 4317)}


def test_a_service_of_one_layered_file_calls_a_service_of_another(tmp_path: Path) -> None:
    """``-f compose.yaml -f compose.full.yaml``: ``worker`` only in the second file calls
    ``api`` of the first, and ``web`` of the first calls ``worker``; one project."""
    full = (
        "services:\n  worker:\n    image: shop/worker\n    expose: ['7000']\n"
        "    environment: [API_URL=http://api:9000]\n"
    )
    base = _BASE.replace("API_URL: http://api:9000", "WORKER_URL: http://worker:7000")
    _write(tmp_path, {"compose.yaml": base, "compose.full.yaml": full})
    graph = discover(load_paths([str(tmp_path)]), deployment="compose.yaml+compose.full.yaml")
    assert _edges(graph) == {("worker", "api", 9000), ("web", "worker", 7000)}
    # read alone, the base file has no worker: its call names nothing
    alone = discover(load_paths([str(tmp_path)]), deployment="compose.yaml")
    assert (_edges(alone), [u.reason for u in alone.unresolved]) == (
        set(),
        [f"no service 'worker' in compose project '{tmp_path.name.lower()}'"],
    )


def test_an_inventory_narrowed_to_layered_files_stays_layered(tmp_path: Path) -> None:
    """The CLI narrows the input to the chosen deployment, then discovers on it: the narrowed
    inventory must not choose again (it would keep the largest of its files alone)."""
    full = (
        "services:\n  worker:\n    image: shop/worker\n    expose: ['7000']\n"
        "    environment: [API_URL=http://api:9000]\n"
    )
    base = _BASE.replace("API_URL: http://api:9000", "WORKER_URL: http://worker:7000")
    _write(tmp_path, {"compose.yaml": base, "compose.full.yaml": full})
    narrowed = select_deployment(load_paths([str(tmp_path)]), "compose.yaml+compose.full.yaml")
    graph = discover(narrowed.inventory)
    assert _edges(graph) == {("worker", "api", 9000), ("web", "worker", 7000)}


_DEBUG_OVERRIDE = """\
services:
  web:
    environment:
      DEBUGGER_URL: http://debugger:5678
  debugger:
    image: shop/debugger
    expose: ["5678"]
"""
_DEPLOY = """\
services:
  web:
    environment:
      API_URL: http://api:9443
  api:
    expose: ["9443"]
"""


def test_named_files_are_read_without_the_default_override(tmp_path: Path) -> None:
    """``-f compose.yml -f compose.deploy.yml`` reads those two files only: the
    directory's compose.override.yml (a dev debugger) is not part of it, and the second
    file's value of a setting replaces the first's (one merged project, not two)."""
    _write(
        tmp_path,
        {
            "compose.yml": _BASE,
            "compose.override.yml": _DEBUG_OVERRIDE,
            "compose.deploy.yml": _DEPLOY,
        },
    )
    inventory = load_paths([str(tmp_path)])
    selection = select_deployment(inventory, "compose.yml+compose.deploy.yml")
    assert selection.chosen is not None
    assert selection.chosen.services == {"web", "api"}
    assert selection.chosen.files == {
        str((tmp_path / "compose.yml").resolve()),
        str((tmp_path / "compose.deploy.yml").resolve()),
    }
    graph = discover(inventory, deployment="compose.yml+compose.deploy.yml")
    assert _edges(graph) == {("web", "api", 9443)}
    # without -f, docker compose reads the main file and its override
    default = discover(load_paths([str(tmp_path)]))
    assert _edges(default) == {("web", "api", 9000), ("web", "debugger", 5678)}


def test_the_override_is_read_when_listed(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "compose.yml": _BASE,
            "compose.override.yml": _DEBUG_OVERRIDE,
            "compose.deploy.yml": _DEPLOY,
        },
    )
    wanted = "compose.yml+compose.override.yml+compose.deploy.yml"
    graph = discover(load_paths([str(tmp_path)]), deployment=wanted)
    assert _edges(graph) == {("web", "api", 9443), ("web", "debugger", 5678)}


def test_a_plus_inside_a_path_is_part_of_the_path(tmp_path: Path) -> None:
    app = tmp_path / "owner+app"
    _write(app, {"compose.yaml": _BASE, "compose.otel.yaml": _OTEL})
    inventory = load_paths([str(app)])
    wanted = f"{app / 'compose.yaml'}+{app / 'compose.otel.yaml'}"
    selection = select_deployment(inventory, wanted)
    assert selection.chosen is not None
    assert selection.chosen.services == {"web", "api", "otel-collector"}
    with pytest.raises(UsageError) as raised:
        select_deployment(inventory, f"{app / 'compose.yaml'}+compose.prod.yaml")
    assert "no deployment 'compose.prod.yaml'" in raised.value.diagnostics()


def test_a_named_file_that_is_no_deployment_is_a_usage_error(tmp_path: Path) -> None:
    """A path with a ``+`` naming an existing file that holds no deployment (its services
    were refused) is refused by name, not an internal error."""
    app = tmp_path / "owner+app"
    _write(app, {"compose.yaml": _BASE, "notes.yaml": "# nothing here\n"})
    inventory = load_paths([str(app)])
    wanted = str(app / "notes.yaml")
    with pytest.raises(UsageError) as raised:
        select_deployment(inventory, wanted)
    assert f"no deployment {wanted!r}" in raised.value.diagnostics()


def test_compose_yaml_is_preferred_to_docker_compose_yml(tmp_path: Path) -> None:
    _write(tmp_path, {"compose.yaml": _BASE, "docker-compose.yml": _TLS})
    selection = select_deployment(load_paths([str(tmp_path)]))
    assert selection.chosen is not None and selection.chosen.name == "compose.yaml"
    assert [(d.name, d.variant) for d in selection.left_out] == [("docker-compose.yml", True)]


def test_the_override_file_joins_whatever_the_main_files_spelling(tmp_path: Path) -> None:
    _write(tmp_path, {"compose.yaml": _BASE, "docker-compose.override.yml": _OTEL})
    inventory = load_paths([str(tmp_path)])
    (deployment,) = find_deployments(inventory)
    assert (deployment.name, deployment.variant) == ("compose.yaml", False)
    assert _edges(discover(inventory)) == {
        ("web", "api", 9000),
        ("web", "otel-collector", 4317),
    }


def test_compose_file_in_dotenv_is_the_default(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "docker-compose.yml": _BASE,
            "docker-compose.otel.yml": _OTEL,
            "docker-compose-tls.yml": _TLS,
            ".env": "COMPOSE_FILE=docker-compose.yml:docker-compose.otel.yml\n",
        },
    )
    selection = select_deployment(load_paths([str(tmp_path)]))
    assert selection.chosen is not None
    assert selection.chosen.name == "docker-compose.yml+docker-compose.otel.yml"
    assert [d.name for d in selection.left_out] == ["docker-compose-tls.yml"]


def test_a_directory_without_a_main_file_has_no_variant(tmp_path: Path) -> None:
    """``docker compose`` reads none of them without ``-f``: each is a deployment."""
    _write(tmp_path, {"deploy/docker-compose-tls.yml": _TLS, "deploy/docker-stack.yml": _BASE})
    inventory = load_paths([str(tmp_path)])
    assert [(d.name, d.variant) for d in find_deployments(inventory)] == [
        ("deploy/docker-compose-tls.yml", False),
        ("deploy/docker-stack.yml", False),
    ]
    selection = select_deployment(inventory)
    assert selection.chosen is not None
    assert selection.chosen.name == "deploy/docker-compose-tls.yml"
    assert [d.name for d in selection.left_out] == ["deploy/docker-stack.yml"]


def test_a_directory_names_what_compose_reads_there(tmp_path: Path) -> None:
    _write(tmp_path, {"app/docker-compose.yml": _BASE, "app/docker-compose-tls.yml": _TLS})
    selection = select_deployment(load_paths([str(tmp_path)]), str(tmp_path / "app"))
    assert selection.chosen is not None and selection.chosen.name == "app/docker-compose.yml"


_CHART = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: {{ .Values.name }}}
"""


def test_a_helm_chart_is_named_with_the_command_that_renders_it(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "docker-compose.yml": _BASE,
            "deploy/helm/Chart.yaml": "apiVersion: v2\nname: shop\nversion: 1.0.0\n",
            "deploy/helm/templates/web.yaml": _CHART,
        },
    )
    inventory = load_paths([str(tmp_path)])
    assert select_deployment(inventory).charts == ("deploy/helm",)
    with pytest.raises(UsageError) as raised:
        select_deployment(inventory, "deploy/helm")
    assert raised.value.diagnostics() == (
        "error: deploy/helm is a Helm chart: its templates are not manifests until rendered; "
        "map what it renders to: helm template deploy/helm | socklock map -"
    )


def test_the_cli_names_variants_and_charts_once(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from socklock._cli.main import cli

    chart = "apiVersion: v2\nname: NAME\nversion: 1.0.0\n"
    _write(
        tmp_path,
        {
            "docker-compose.yml": _BASE,
            "docker-compose.otel.yml": _OTEL,
            "charts/web/Chart.yaml": chart.replace("NAME", "web"),
            "charts/web/templates/web.yaml": _CHART,
            "charts/api/Chart.yaml": chart.replace("NAME", "api"),
            "charts/api/templates/api.yaml": _CHART,
        },
    )
    result = CliRunner().invoke(cli, ["map", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"{tmp_path}/charts/api/Chart.yaml: warning: a Helm chart: its templates are not read "
        f"(socklock does not render Helm); to read its objects: helm template api "
        f"{tmp_path}/charts/api | socklock scan -",
        f"{tmp_path}/charts/web/Chart.yaml: warning: a Helm chart: its templates are not read "
        f"(socklock does not render Helm); to read its objects: helm template web "
        f"{tmp_path}/charts/web | socklock scan -",
        "skipped 4 files that are not manifests (2 Helm templates, 2 known non-manifest "
        "files); --verbose lists them",
        "deployment: docker-compose.yml (compose, 2 workloads)",
        "  left out: docker-compose.otel.yml (compose variant, 2 workloads)",
        "  choose another with --deployment NAME|PATH",
    ]


_KUSTOMIZE = {
    "k8s/base/kustomization.yaml": "resources: [shop.yaml]\n",
    "k8s/base/shop.yaml": """\
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
          env:
            - {name: API_ADDR, value: "api.<NAMESPACE>:9000"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: shop/api, ports: [{containerPort: 9000}]}]
---
apiVersion: v1
kind: Service
metadata: {name: api}
spec: {selector: {app: api}, ports: [{port: 9000}]}
""",
    # the dev overlay builds on the base and adds a tracing backend the base does not run
    "k8s/dev/kustomization.yaml": "resources: [../base, tracing.yaml]\n",
    "k8s/dev/tracing.yaml": """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: tracing}
spec:
  selector: {matchLabels: {app: tracing}}
  template:
    metadata: {labels: {app: tracing}}
    spec:
      containers: [{name: tracing, image: jaegertracing/all-in-one}]
""",
}


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="make debs installs kubectl")
def test_a_kustomize_base_is_rendered_when_named(tmp_path: Path) -> None:
    _write(tmp_path, _KUSTOMIZE)
    inventory = load_paths([str(tmp_path)])
    assert [d.name for d in find_deployments(inventory)] == ["k8s/dev"]
    chosen = select_deployment(inventory, "k8s/base")
    assert chosen.chosen is not None
    assert (chosen.chosen.name, sorted(chosen.chosen.services)) == ("k8s/base", ["api", "web"])
    assert [d.name for d in chosen.left_out] == ["k8s/dev"]
    graph = discover(inventory, deployment=str(tmp_path / "k8s" / "base"))
    # ``api.<NAMESPACE>``: the namespace the caller runs in, filled in at run time
    assert _edges(graph) == {("web", "api", 9000)}
    assert sorted(n.id for n in graph.nodes) == ["default/api", "default/web"]
    with pytest.raises(UsageError, match="no deployment 'k8s/none'"):
        select_deployment(inventory, "k8s/none")


def _deployment(name: str, *, image: str = "shop/x", env: str = "") -> str:
    return (
        f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}}}\nspec:\n"
        f"  selector: {{matchLabels: {{app: {name}}}}}\n  template:\n"
        f"    metadata: {{labels: {{app: {name}}}}}\n    spec:\n"
        f"      containers: [{{name: {name}, image: {image}{env}}}]\n"
    )


def _svc(name: str, *ports: int) -> str:
    listed = ", ".join(f"{{name: p{p}, port: {p}}}" for p in ports)
    return (
        f"apiVersion: v1\nkind: Service\nmetadata: {{name: {name}}}\nspec:\n"
        f"  selector: {{app: {name}}}\n  ports: [{listed}]\n"
    )


def test_files_of_one_directory_that_repeat_names_are_alternatives(tmp_path: Path) -> None:
    """``all-in-one.yaml`` and ``quickstart.yaml`` run the same services: each is a
    deployment of its own; ``addon.yaml`` runs another one, an add-on kept apart; the
    host/port variable pair gives the port of a Service that has several."""
    env = (
        ", env: [{name: QUEUE_HOSTNAME, value: queue}, {name: QUEUE_PORT, value: '5672'},"
        " {name: AI_URL, value: 'http://ai:5001'}]"
    )
    full = "---\n".join(
        [_deployment("web", env=env), _deployment("queue"), _svc("queue", 5672, 15672)]
    )
    _write(
        tmp_path,
        {
            "all-in-one.yaml": full,
            "quickstart.yaml": _deployment("web"),
            "addon.yaml": _deployment("ai") + "---\n" + _svc("ai", 5001),
        },
    )
    inventory = load_paths([str(tmp_path)])
    assert [(d.name, sorted(d.services)) for d in find_deployments(inventory)] == [
        ("all-in-one.yaml", ["queue", "web"]),
        ("addon.yaml", ["ai"]),
        ("quickstart.yaml", ["web"]),
    ]
    graph = discover(inventory, deployment="all-in-one.yaml")
    assert _edges(graph) == {("web", "queue", 5672)}  # the add-on is not in this one
    chosen = select_deployment(inventory)
    assert chosen.chosen is not None
    assert (chosen.chosen.name, [d.name for d in chosen.others]) == (
        "all-in-one.yaml",
        ["addon.yaml"],
    )


def test_a_copy_named_on_its_own_is_read_without_its_siblings(tmp_path: Path) -> None:
    """``install.yaml`` and ``getting-started.yaml`` run the same workloads (copies: one
    deployment of the directory), their Services differing: naming one file maps that copy,
    the other's same-named Service does not shadow its own. Without a name, or naming a
    file that is one part of a directory, the directory is the deployment."""
    env = ", env: [{name: API_URL, value: 'http://api:9002'}]"
    started = "---\n".join(
        [_deployment("web", env=env), _deployment("api"), _svc("api", 9002)]
    ).replace("{name: p9002, port: 9002}", "{name: p9002, port: 9002, targetPort: 8080}")
    install = "---\n".join([_deployment("web", env=env), _deployment("api"), _svc("api", 9004)])
    _write(
        tmp_path,
        {
            "manifests/getting-started.yaml": started,
            "manifests/install.yaml": install,
            "split/web.yaml": _deployment("web", env=env),
            "split/api.yaml": _deployment("api") + "---\n" + _svc("api", 9002),
        },
    )
    inventory = load_paths([str(tmp_path / "manifests")])
    named = str(tmp_path / "manifests" / "getting-started.yaml")
    chosen = select_deployment(inventory, named)
    assert chosen.chosen is not None
    assert (chosen.chosen.name, sorted(chosen.chosen.services)) == (
        "getting-started.yaml",
        ["api", "web"],
    )
    assert _edges(discover(inventory, deployment=named)) == {("web", "api", 8080)}
    whole = select_deployment(inventory)
    assert whole.chosen is not None and len(whole.chosen.files) == 2
    split = load_paths([str(tmp_path / "split")])
    part = select_deployment(split, str(tmp_path / "split" / "web.yaml"))
    assert part.chosen is not None
    assert (part.chosen.name, sorted(part.chosen.services)) == (".", ["api", "web"])


_COLLECTOR = """\
include:
  - ../../quickstart/docker-compose.yaml
services:
  collector:
    image: shop/collector
    expose: ["4195"]
    environment:
      API_URL: http://api:9000
  seeder:
    image: shop/seeder
    environment:
      COLLECTOR_URL: http://collector:4195
"""


def test_a_file_another_directory_includes_runs_alone_when_named(tmp_path: Path) -> None:
    """``collector/quickstart/docker-compose.yaml`` includes ``quickstart/docker-compose.yaml``:
    the loader folds the quickstart into the collector's project, but named on its own it is
    what ``docker compose -f quickstart/docker-compose.yaml`` runs: without the collector."""
    _write(
        tmp_path,
        {
            "quickstart/docker-compose.yaml": _BASE,
            "collector/quickstart/docker-compose.yaml": _COLLECTOR,
        },
    )
    inventory = load_paths([str(tmp_path)])
    assert [d.name for d in find_deployments(inventory)] == [
        "collector/quickstart/docker-compose.yaml"
    ]
    named = str(tmp_path / "quickstart" / "docker-compose.yaml")
    selection = select_deployment(inventory, named)
    assert selection.chosen is not None
    assert (selection.chosen.name, selection.chosen.services) == (
        "quickstart/docker-compose.yaml",
        {"web", "api"},
    )
    assert _edges(discover(inventory, deployment=named)) == {("web", "api", 9000)}
    # the includer, named, still runs both files' services
    with_collector = discover(inventory, deployment="collector/quickstart/docker-compose.yaml")
    assert _edges(with_collector) == {
        ("web", "api", 9000),
        ("collector", "api", 9000),
        ("seeder", "collector", 4195),
    }


def test_a_file_no_project_reads_is_not_a_deployment(tmp_path: Path) -> None:
    _write(tmp_path, {"docker-compose.yml": _BASE, "notes/config.yaml": "a: 1\n"})
    inventory = load_paths([str(tmp_path)])
    with pytest.raises(UsageError, match="no deployment"):
        select_deployment(inventory, str(tmp_path / "notes" / "config.yaml"))
