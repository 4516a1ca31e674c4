"""An env value a workload gets is its call only when its code (or an SDK) reads it.

A shared ConfigMap through ``envFrom`` gives every workload every address; with the code
in the input, only the variables the code reads make edges. Without code of a workload,
its env values stay calls, marked manifest-only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from tests.discover.shop import workload

from socklock.discover import discover
from socklock.load import load_paths
from socklock.model import Location

if TYPE_CHECKING:
    from pathlib import Path

SHARED = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: shared, namespace: shop}
data:
  API_URL: http://api:8080
  AUDIT_URL: http://audit:8080
"""
READS_API = 'import os, requests\nrequests.get(os.environ["API_URL"] + "/x")\n'


def write(root: Path, code: str | None, env: str = "", callees: tuple[str, ...] = ()) -> None:
    (root / "k8s").mkdir()
    (root / "k8s" / "shared.yaml").write_text(SHARED)
    (root / "k8s" / "web.yaml").write_text(workload("web", env=env, env_from="shared"))
    for callee in ("api", "audit", *callees):
        name, _, rest = callee.partition(":")
        port, _, protocol = (rest or "8080/TCP").partition("/")
        (root / "k8s" / f"{name}.yaml").write_text(
            workload(name, port=port, protocol=protocol or "TCP", env_from="shared")
        )
    if code is not None:
        (root / "web").mkdir()
        (root / "web" / "Dockerfile").write_text("FROM python:3.12\nCOPY app.py .\n")
        (root / "web" / "app.py").write_text(code)


def web_edges(root: Path, **kwargs: bool) -> dict[tuple[str, int | None, str], list[str]]:
    graph = discover(load_paths([str(root)]), **kwargs)
    return {
        (e.target, e.port, e.protocol): [ev.detail for ev in e.evidence]
        for e in graph.edges
        if e.source == "shop/web"
    }


def test_env_the_code_never_reads_is_not_a_call(tmp_path: Path) -> None:
    write(tmp_path, READS_API)
    assert set(web_edges(tmp_path)) == {("shop/api", 8080, "TCP")}


def test_env_the_code_reads_is_a_call(tmp_path: Path) -> None:
    write(tmp_path, READS_API.replace("API_URL", "AUDIT_URL"))
    assert set(web_edges(tmp_path)) == {("shop/audit", 8080, "TCP")}


def test_a_settings_layer_reads_every_env_var_under_its_prefix(tmp_path: Path) -> None:
    """``os.environ.get(f"SHOP_{name}")`` for each setting: every ``SHOP_*`` variable is
    read, one of another prefix is not."""
    env = "{name: SHOP_AUDIT_URL, value: 'http://audit:8080'}"
    code = 'import os\ndef setting(name):\n    return os.environ.get(f"SHOP_{name}")\n'
    write(tmp_path, code, env=env)
    assert set(web_edges(tmp_path)) == {("shop/audit", 8080, "TCP")}


def test_a_spring_property_reads_its_relaxed_env_name(tmp_path: Path) -> None:
    write(tmp_path, READS_API)
    (tmp_path / "web" / "application.properties").write_text("audit.base=${audit.url}\n")
    assert set(web_edges(tmp_path)) == {("shop/api", 8080, "TCP"), ("shop/audit", 8080, "TCP")}


def test_without_code_every_env_value_stays_a_call_marked_manifest_only(tmp_path: Path) -> None:
    write(tmp_path, None)
    marker = "[manifest-only: the input has no code of this workload]"
    assert web_edges(tmp_path) == {
        ("shop/api", 8080, "TCP"): [
            f"envFrom ConfigMap shared: API_URL=http://api:8080 {marker}"
            " (Service shop/api port 8080)"
        ],
        ("shop/audit", 8080, "TCP"): [
            f"envFrom ConfigMap shared: AUDIT_URL=http://audit:8080 {marker}"
            " (Service shop/audit port 8080)"
        ],
    }


def test_manifests_alone_keep_every_env_value_unmarked(tmp_path: Path) -> None:
    write(tmp_path, READS_API)
    edges = web_edges(tmp_path, code=False)
    assert set(edges) == {("shop/api", 8080, "TCP"), ("shop/audit", 8080, "TCP")}
    assert not any("manifest-only" in d for details in edges.values() for d in details)


def test_an_sdk_convention_is_a_call_the_code_never_names(tmp_path: Path) -> None:
    env = "{name: JAEGER_AGENT_HOST, value: jaeger}"
    write(tmp_path, READS_API, env=env, callees=("jaeger:6831/UDP",))
    edges = web_edges(tmp_path)
    assert set(edges) == {("shop/api", 8080, "TCP"), ("shop/jaeger", 6831, "UDP")}
    (detail,) = edges[("shop/jaeger", 6831, "UDP")]
    assert detail == (
        "env JAEGER_AGENT_HOST=jaeger (read by Jaeger client (agent), by convention)"
        " (port as Jaeger client (agent) uses it) (Service shop/jaeger port 6831)"
    )


COMPOSE = """\
services:
  web:
    build: ./web
    env_file: [shared.env]
    environment: {AUDIT_URL: "http://audit:8080"}
  worker:
    image: worker
    env_file: [shared.env]
  api: {image: api, expose: ["8080"]}
  audit: {image: audit, expose: ["8080"]}
"""


def test_a_shared_compose_env_file_is_a_call_only_where_the_code_reads_it(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(COMPOSE)
    (tmp_path / "shared.env").write_text("API_URL=http://api:8080\nAUDIT_URL=http://audit:8080\n")
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "Dockerfile").write_text("FROM python:3.12\nCOPY app.py .\n")
    (tmp_path / "web" / "app.py").write_text(READS_API)
    graph = discover(load_paths([str(tmp_path)]))
    p = tmp_path.name
    edges = {(e.source, e.target, e.port): e.evidence for e in graph.edges}
    assert set(edges) == {
        (f"{p}/web", f"{p}/api", 8080),
        (f"{p}/worker", f"{p}/api", 8080),
        (f"{p}/worker", f"{p}/audit", 8080),
    }
    web = edges[(f"{p}/web", f"{p}/api", 8080)]
    assert sorted((e.kind.value, e.location.file, e.location.line) for e in web) == [
        ("env", str(tmp_path / "shared.env"), 1),
        ("env-read", str(tmp_path / "web" / "app.py"), 2),
    ]
    (worker,) = edges[(f"{p}/worker", f"{p}/audit", 8080)]
    assert worker.location == Location(str(tmp_path / "shared.env"), 2, 11)
    assert "[manifest-only: the input has no code of this workload]" in worker.detail


SERVERS = """\
services:
  web:
    build: ./web
    env_file: [shared.env]
  mysql:
    image: mariadb:10
    env_file: [shared.env]
  replica:
    image: bitnami/redis:7.2
    env_file: [shared.env]
    environment: {REDIS_MASTER_HOST: cache}
  cache: {image: redis:7}
  api: {image: api, expose: ["8080"]}
  audit: {image: audit, expose: ["8080"]}
"""


@pytest.mark.parametrize("with_code", [True, False])
def test_a_server_image_calls_none_of_a_shared_env_file_but_its_replication(
    tmp_path: Path, with_code: bool
) -> None:
    (tmp_path / "compose.yaml").write_text(SERVERS)
    (tmp_path / "shared.env").write_text("API_URL=http://api:8080\nAUDIT_URL=http://audit:8080\n")
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "Dockerfile").write_text("FROM python:3.12\nCOPY app.py .\n")
    (tmp_path / "web" / "app.py").write_text(READS_API)
    graph = discover(load_paths([str(tmp_path)]), code=with_code)
    p = tmp_path.name
    web = {(f"{p}/web", f"{p}/api", 8080)}
    if not with_code:  # no code read: web keeps every address it gets
        web.add((f"{p}/web", f"{p}/audit", 8080))
    assert {(e.source, e.target, e.port) for e in graph.edges} == {
        *web,
        (f"{p}/replica", f"{p}/cache", 6379),  # bitnami REDIS_MASTER_HOST: the replica follows
    }


ENTRYPOINT_APP = """\
services:
  app:
    build: ./app
    environment:
      REMOTE_POSTGRES_HOST: database
      QUEUE_HOST: queue
      AUDIT_URL: http://audit:8080
      FLAGD_HOST: flags
  database: {image: example/custom-postgresql:14}
  queue: {image: example/queue, expose: ["7000"]}
  audit: {image: audit, expose: ["8080"]}
  flags: {image: example/flags, expose: ["8016"]}
"""
ENTRYPOINT_SCRIPT = """\
#!/bin/bash
REMOTE_POSTGRES_HOST="${REMOTE_POSTGRES_HOST:-127.0.0.1}"
export QUEUE_HOST=${QUEUE_HOST:-localhost}
FLAGD_HOST="${FLAGD_HOST:-flagd}"
echo "audit at $AUDIT_URL"
exec python manage.py run
"""


def test_an_entrypoint_script_hands_the_env_it_defaults_to_its_program(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(ENTRYPOINT_APP)
    app = tmp_path / "app"
    app.mkdir()
    (app / "Dockerfile").write_text(
        "FROM python:3.12\nCOPY entrypoint.sh /sbin/entrypoint.sh\nCOPY manage.py .\n"
        'ENTRYPOINT ["/sbin/entrypoint.sh"]\n'
    )
    (app / "entrypoint.sh").write_text(ENTRYPOINT_SCRIPT)
    (app / "manage.py").write_text("import sys\nprint(sys.argv)\n")
    graph = discover(load_paths([str(tmp_path)]))
    p = tmp_path.name
    # the database declares no port: its variable names the protocol (postgres, 5432);
    # AUDIT_URL is only echoed; FLAGD_HOST's row says a flagd provider reads it, not a script
    assert {(e.source, e.target, e.port) for e in graph.edges} == {
        (f"{p}/app", f"{p}/database", 5432),
        (f"{p}/app", f"{p}/queue", 7000),
    }


PROPERTIES = """\
package shop;

@ConfigurationProperties(prefix = "audit")
class AuditProperties {
    private String url;
}
"""


def test_a_configuration_properties_field_reads_its_relaxed_env_name(tmp_path: Path) -> None:
    write(tmp_path, READS_API)
    (tmp_path / "web" / "app.py").unlink()
    (tmp_path / "web" / "AuditProperties.java").write_text(PROPERTIES)
    assert web_edges(tmp_path) == {
        ("shop/audit", 8080, "TCP"): [
            "envFrom ConfigMap shared: AUDIT_URL=http://audit:8080 (Service shop/audit port 8080)",
            "env-read url (AUDIT_URL=http://audit:8080 at "
            f"{tmp_path / 'k8s' / 'shared.yaml'}:6:3) (Service shop/audit port 8080)",
        ]
    }


PASSED = """\
services:
  web:
    build: ./web
    environment: [API_URL, AUDIT_URL]
  api: {image: api, expose: ["8080"]}
  audit: {image: audit, expose: ["8080"]}
"""


def test_a_variable_passed_through_from_the_dotenv_is_read_there(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(PASSED)
    (tmp_path / ".env").write_text("API_PORT=8080\nAPI_URL=http://api:${API_PORT}\n")
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "Dockerfile").write_text("FROM python:3.12\nCOPY app.py .\n")
    (tmp_path / "web" / "app.py").write_text(READS_API.replace("API_URL", "AUDIT_URL"))
    p = tmp_path.name
    # AUDIT_URL, read by the code, is set nowhere: no call; API_URL is set but not read.
    assert [e for e in discover(load_paths([str(tmp_path)])).edges if e.source == f"{p}/web"] == []
    (tmp_path / "web" / "app.py").write_text(READS_API)
    graph = discover(load_paths([str(tmp_path)]))
    (edge,) = [e for e in graph.edges if e.source == f"{p}/web"]
    assert (edge.target, edge.port) == (f"{p}/api", 8080)
    env, read = sorted(edge.evidence, key=lambda e: e.kind.value)
    dotenv = str(tmp_path / ".env")
    assert (env.location, env.detail) == (
        Location(dotenv, 2, 1),
        f"env API_URL=http://api:8080 (passed through by {tmp_path / 'compose.yaml'}:4:19)"
        f" (compose service {p}/api)",
    )
    assert (read.kind.value, read.location.file) == ("env-read", str(tmp_path / "web" / "app.py"))
    assert f"API_URL=http://api:8080 at {dotenv}:2:1" in read.detail


FLAGS = """\
services:
  web:
    build: ./web
    environment: [FLAGD_HOST, FLAGD_PORT]
  worker:
    build: ./worker
    environment: [FLAGD_HOST, FLAGD_PORT]
  flagd: {image: flagd, expose: ["8013", "8016"]}
"""
BUILDS_PROVIDER = (
    "from openfeature.contrib.provider.flagd import FlagdProvider\n"
    "# FlagdProvider() in a comment builds nothing\n"
    "provider = FlagdProvider()\n"
)


def test_an_sdk_read_only_by_its_client_is_a_call_where_code_builds_the_client(
    tmp_path: Path,
) -> None:
    (tmp_path / "compose.yaml").write_text(FLAGS)
    (tmp_path / ".env").write_text("FLAGD_HOST=flagd\nFLAGD_PORT=8013\n")
    for name, code in (("web", BUILDS_PROVIDER), ("worker", "print('no flags here')\n")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "Dockerfile").write_text("FROM python:3.12\nCOPY app.py .\n")
        (tmp_path / name / "app.py").write_text(code)
    p = tmp_path.name
    app = tmp_path / "web" / "app.py"
    for kwargs in ({}, {"manifests": False}):
        graph = discover(load_paths([str(tmp_path)]), **kwargs)
        edges = {(e.source, e.target, e.port): e for e in graph.edges}
        # the worker gets FLAGD_HOST but builds no provider: no call
        assert set(edges) == {(f"{p}/web", f"{p}/flagd", 8013)}
        evidence = edges[(f"{p}/web", f"{p}/flagd", 8013)].evidence
        read = next(e for e in evidence if e.kind.value == "env-read")
        assert read.location == Location(str(app), 3, 12)
        assert read.detail == (
            "env-read provider = FlagdProvider() (OpenFeature flagd provider reads "
            f"FLAGD_HOST=flagd at {tmp_path / '.env'}:1:1, by convention) "
            f"(compose service {p}/flagd)"
        )


def test_an_env_value_naming_the_workload_itself_is_not_a_call(tmp_path: Path) -> None:
    # the shared ConfigMap hands API_URL to api too, and api's own OTEL_SERVICE_NAME names it
    write(tmp_path, None)
    (tmp_path / "k8s" / "api.yaml").write_text(
        workload("api", env="{name: OTEL_SERVICE_NAME, value: api}", env_from="shared")
    )
    graph = discover(load_paths([str(tmp_path)]), code=False)
    assert sorted((e.source, e.target) for e in graph.edges) == [
        ("shop/api", "shop/audit"),
        ("shop/audit", "shop/api"),
        ("shop/web", "shop/api"),
        ("shop/web", "shop/audit"),
    ]


def test_a_compose_env_value_naming_the_service_itself_is_not_a_call(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        "services:\n"
        "  kafka:\n    image: events\n    expose: ['9092']\n"  # not a server image
        "    environment: [KAFKA_LISTENERS=PLAINTEXT://kafka:9092, API_URL]\n"
        "  api: {image: api, expose: ['8080'], environment: [API_URL]}\n"
    )
    (tmp_path / ".env").write_text("API_URL=http://api:8080\n")
    p = tmp_path.name
    graph = discover(load_paths([str(tmp_path)]), code=False)
    assert [(e.source, e.target, e.port) for e in graph.edges] == [(f"{p}/kafka", f"{p}/api", 8080)]


AGENT = """\
services:
  ads:
    build: ./ads
    environment: [OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318]
  plain:
    build: ./plain
    environment: [OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318]
  collector: {image: collector, expose: ["4317", "4318"]}
"""


def test_an_agent_the_dockerfile_attaches_reads_its_sdk_env_in_code_alone(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(AGENT)
    for name, env in (
        ("ads", 'ENV JAVA_TOOL_OPTIONS="-javaagent:/app/opentelemetry-javaagent.jar"\n'),
        ("plain", "ENV JAVA_TOOL_OPTIONS=-Xmx200m\n"),
    ):
        (tmp_path / name).mkdir()
        (tmp_path / name / "Dockerfile").write_text(
            f'FROM eclipse-temurin:21\nCOPY app.jar .\n{env}ENTRYPOINT ["java", "-jar", "a.jar"]\n'
        )
        (tmp_path / name / "App.java").write_text("class App {}\n")
    p = tmp_path.name
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    (edge,) = graph.edges  # plain attaches no agent and builds no exporter: no call
    assert (edge.source, edge.target, edge.port) == (f"{p}/ads", f"{p}/collector", 4318)
    (evidence,) = edge.evidence
    assert evidence.location == Location(str(tmp_path / "ads" / "Dockerfile"), 3, 1)
    assert evidence.detail.startswith(
        'ENV JAVA_TOOL_OPTIONS="-javaagent:/app/opentelemetry-javaagent.jar" '
        "(OpenTelemetry OTLP exporter reads OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318"
    )


def test_an_agent_the_manifests_attach_reads_its_sdk_env_in_code_alone(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        "services:\n"
        "  pay:\n    build: ./pay\n    environment:\n"
        "      - NODE_OPTIONS=--require @opentelemetry/auto-instrumentations-node/register\n"
        "      - OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4317\n"
        "  collector: {image: collector, expose: ['4317', '4318']}\n"
    )
    (tmp_path / "pay").mkdir()
    (tmp_path / "pay" / "Dockerfile").write_text("FROM node:22\nCOPY index.js .\n")
    (tmp_path / "pay" / "index.js").write_text("console.log('pay');\n")
    p = tmp_path.name
    (edge,) = discover(load_paths([str(tmp_path)]), manifests=False).edges
    assert (edge.source, edge.target, edge.port) == (f"{p}/pay", f"{p}/collector", 4317)
    (evidence,) = edge.evidence
    assert (evidence.kind.value, evidence.location) == (
        "env",
        Location(str(tmp_path / "compose.yaml"), 5, 9),
    )


def test_a_broker_list_no_client_reads_on_its_own_is_a_call_only_where_code_reads_it(
    tmp_path: Path,
) -> None:
    env = "{name: KAFKA_ADDR, value: 'kafka:9092'}"
    write(tmp_path, READS_API, env=env, callees=("kafka:9092/TCP",))
    assert set(web_edges(tmp_path)) == {("shop/api", 8080, "TCP")}  # web never reads it
    reads_kafka = READS_API + 'brokers = os.environ["KAFKA_ADDR"]\nProducer(brokers)\n'
    (tmp_path / "web" / "app.py").write_text(reads_kafka)
    assert set(web_edges(tmp_path)) == {("shop/api", 8080, "TCP"), ("shop/kafka", 9092, "TCP")}


def test_the_images_env_is_read_when_no_manifest_sets_the_variable(tmp_path: Path) -> None:
    """``ENV AUDIT_URL=...`` in the Dockerfile: the program gets it unless a manifest
    overrides it (API_URL is set by the ConfigMap too: the manifest's value wins)."""
    code = (
        "import os, requests\n"
        'requests.get(os.environ["AUDIT_URL"] + "/x")\n'
        'requests.get(os.environ["API_URL"] + "/y")\n'
        'requests.get(os.environ["LEDGER_URL"] + "/z")\n'
    )
    write(tmp_path, code, callees=("ledger",))
    (tmp_path / "web" / "Dockerfile").write_text(
        "FROM python:3.12\nENV AUDIT_URL=http://ledger:8080 API_URL=http://nowhere:1\n"
        "ENV AUDIT_URL=http://audit:8080\nCOPY app.py .\n"
    )
    without_audit = SHARED.replace("  AUDIT_URL: http://audit:8080\n", "")
    (tmp_path / "k8s" / "shared.yaml").write_text(without_audit)
    found = web_edges(tmp_path, manifests=False)
    assert found == {
        ("shop/api", 8080, "TCP"): [
            'env-read os.environ["API_URL"] + "/y" (API_URL=http://api:8080 at '
            f"{tmp_path}/k8s/shared.yaml:5:3) (Service shop/api port 8080)"
        ],
        ("shop/audit", 8080, "TCP"): [
            'env-read os.environ["AUDIT_URL"] + "/x" (AUDIT_URL=http://audit:8080 at '
            f"{tmp_path}/web/Dockerfile:3:1) (Service shop/audit port 8080)"
        ],
    }


def test_a_numbered_sdk_variable_is_read_where_the_code_builds_the_sdk(tmp_path: Path) -> None:
    """``AddHealthChecksUI()`` polls every ``HealthChecksUI__HealthChecks__<n>__Uri`` it is
    given: code alone finds each; ``__Name`` is no address."""
    env = (
        "{name: HealthChecksUI__HealthChecks__0__Name, value: api},"
        " {name: HealthChecksUI__HealthChecks__0__Uri, value: 'http://api:8080/hc'},"
        " {name: HealthChecksUI__HealthChecks__1__Uri, value: 'http://audit:8080/hc'}"
    )
    write(tmp_path, None, env)
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "Dockerfile").write_text("FROM mcr.microsoft.com/dotnet/aspnet:8.0\n")
    (tmp_path / "web" / "Program.cs").write_text(
        "var builder = WebApplication.CreateBuilder(args);\n"
        "builder.Services.AddHealthChecksUI().AddInMemoryStorage();\n"
    )
    found = web_edges(tmp_path, manifests=False)
    assert sorted(found) == [("shop/api", 8080, "TCP"), ("shop/audit", 8080, "TCP")]
    assert found["shop/api", 8080, "TCP"] == [
        "env-read builder.Services.AddHealthChecksUI().AddInMemoryStorage(); (ASP.NET Core "
        "HealthChecks UI reads HealthChecksUI__HealthChecks__0__Uri=http://api:8080/hc at "
        f"{tmp_path}/k8s/web.yaml:13:74, by convention) (Service shop/api port 8080)"
    ]


def test_each_variable_of_an_address_takes_its_own_code_default(tmp_path: Path) -> None:
    """``http://{host}:{port}`` built from two variables, each with a default in the code and
    neither set by a manifest: the address is the two defaults (not only the first's)."""
    code = (
        "import os, requests\n"
        'host = os.environ.get("AUDITOR_HOST", "audit")\n'
        'port = os.environ.get("AUDITOR_PORT", "9090")\n'
        'requests.get("http://{0}:{1}/log".format(host, port))\n'
    )
    # (not AUDIT_PORT: the kubelet sets that for Service audit, to ``tcp://audit:9090``)
    write(tmp_path, code, callees=("audit:9090",))
    assert web_edges(tmp_path) == {
        ("shop/audit", 9090, "TCP"): [
            'env-read "http://{0}:{1}/log".format(host, port) (AUDITOR_HOST unset, code default '
            "audit; AUDITOR_PORT unset, code default 9090) (Service shop/audit port 9090)"
        ]
    }


def test_a_framework_config_key_is_read_through_the_env_var_that_overrides_it(
    tmp_path: Path,
) -> None:
    """ASP.NET Core reads ``ReverseProxy__Clusters__api__Destinations__d__Address`` into the
    appsettings key ``ReverseProxy:Clusters:api:Destinations:d:Address`` (Spring Boot's
    relaxed binding does the same for ``application.yml``): the workload's code names the
    key, so the manifest's value is its call. A key of a file no framework binds env to
    (``config.json``) is no read of ``AUDIT_URL``."""
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "shared.yaml").write_text(SHARED)
    env = "{name: ReverseProxy__Clusters__api__Destinations__d__Address, value: 'http://api:8080'}"
    (tmp_path / "k8s" / "web.yaml").write_text(workload("web", env=env, env_from="shared"))
    for callee in ("api", "audit"):
        (tmp_path / "k8s" / f"{callee}.yaml").write_text(workload(callee, port="8080"))
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "Dockerfile").write_text("FROM mcr.microsoft.com/dotnet/aspnet:8.0\n")
    (tmp_path / "web" / "appsettings.json").write_text(
        '{"ReverseProxy": {"Clusters": {"api": {"Destinations": {"d": '
        '{"Address": "http://localhost:5002"}}}}}}\n'
    )
    (tmp_path / "web" / "config.json").write_text('{"audit": {"url": "http://localhost:9"}}\n')
    (tmp_path / "web" / "Program.cs").write_text("var app = WebApplication.Create(args);\n")
    assert set(web_edges(tmp_path)) == {("shop/api", 8080, "TCP")}


def test_an_env_name_without_the_array_index_overrides_no_list_items_key(
    tmp_path: Path,
) -> None:
    """``Serilog:WriteTo`` is a JSON array: its Seq sink's URL is ``Serilog:WriteTo:1:Args:
    serverUrl``, and only ``Serilog__WriteTo__1__Args__serverUrl`` overrides it.
    ``Serilog__WriteTo__Args__serverUrl`` names another key that no sink reads, so its value
    is no call (the file's own ``localhost`` is none either); an object's key, not inside an
    array, is still read through its env name."""
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "shared.yaml").write_text(SHARED)
    env = (
        "{name: Serilog__WriteTo__Args__serverUrl, value: 'http://audit:8080'}, "
        "{name: Bus__Url, value: 'http://api:8080'}"
    )
    (tmp_path / "k8s" / "web.yaml").write_text(workload("web", env=env, env_from="shared"))
    for callee in ("api", "audit"):
        (tmp_path / "k8s" / f"{callee}.yaml").write_text(workload(callee, port="8080"))
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "Dockerfile").write_text("FROM mcr.microsoft.com/dotnet/aspnet:8.0\n")
    (tmp_path / "web" / "appsettings.json").write_text(
        '{"Serilog": {"WriteTo": [{"Name": "Console"}, '
        '{"Name": "Seq", "Args": {"serverUrl": "http://localhost:5341"}}]},\n'
        ' "Bus": {"Url": "http://localhost:5002"}}\n'
    )
    (tmp_path / "web" / "Program.cs").write_text("var app = WebApplication.Create(args);\n")
    assert set(web_edges(tmp_path)) == {("shop/api", 8080, "TCP")}


def test_a_bound_key_whose_variable_only_a_client_reads_waits_for_the_client(
    tmp_path: Path,
) -> None:
    """``application.properties`` names ``api.url`` and ``kafka.bootstrap.servers``: Spring
    binds ``API_URL`` and ``KAFKA_BOOTSTRAP_SERVERS`` to them. ``API_URL`` is read through
    its key; the Kafka variable is read only by a producer or consumer the code builds, and
    this code builds none."""
    (tmp_path / "k8s").mkdir()
    env = "{name: API_URL, value: 'http://api:8080'}, {name: KAFKA_BOOTSTRAP_SERVERS, value: kafka}"
    (tmp_path / "k8s" / "web.yaml").write_text(workload("web", env=env))
    (tmp_path / "k8s" / "api.yaml").write_text(workload("api", port=8080))
    (tmp_path / "k8s" / "kafka.yaml").write_text(workload("kafka", port=9092))
    resources = tmp_path / "web" / "src" / "main" / "resources"
    resources.mkdir(parents=True)
    (tmp_path / "web" / "Dockerfile").write_text("FROM eclipse-temurin:21\n")
    (resources / "application.properties").write_text(
        "api.url=http://localhost:8080\nkafka.bootstrap.servers=localhost:9092\n"
    )
    (tmp_path / "web" / "App.java").write_text("class App { }\n")
    assert set(web_edges(tmp_path)) == {("shop/api", 8080, "TCP")}


def test_a_config_file_naming_the_workload_itself_is_not_a_call(tmp_path: Path) -> None:
    """A service's own config file gives its public URL (handed to others) beside its
    database: the database is a call, its own address is not."""
    (tmp_path / "compose.yaml").write_text(
        "services:\n  api:\n    build: ./api\n    expose: ['8000']\n  db:\n    image: postgres:16\n"
    )
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "Dockerfile").write_text(
        'FROM python:3.12\nCOPY . .\nCMD ["python", "app.py"]\n'
    )
    (tmp_path / "api" / "config.yaml").write_text(
        "server:\n  public_url: http://api:8000\ndatabase:\n  url: postgres://u:p@db:5432/app\n"
    )
    (tmp_path / "api" / "app.py").write_text(
        'import yaml\nconfig = yaml.safe_load(open("config.yaml"))\n'
    )
    p = tmp_path.name
    graph = discover(load_paths([str(tmp_path)]))
    assert [
        (e.source, e.target, e.port, [v.kind.value for v in e.evidence]) for e in graph.edges
    ] == [(f"{p}/api", f"{p}/db", 5432, ["config"])]


def test_viper_automatic_env_binds_the_config_file_keys_to_env_vars(tmp_path: Path) -> None:
    """A Go program calling viper's ``AutomaticEnv()`` reads ``API_URL`` through its config
    file's ``api.url`` key: the manifest's value is its call. Without ``AutomaticEnv`` the
    same config file binds nothing, and ``AUDIT_URL``, a key of no config file, is read by
    neither."""
    (tmp_path / "k8s").mkdir()
    env = "{name: API_URL, value: 'http://api:8080'}, {name: AUDIT_URL, value: 'http://audit:8080'}"
    (tmp_path / "k8s" / "web.yaml").write_text(workload("web", env=env))
    for callee in ("api", "audit"):
        (tmp_path / "k8s" / f"{callee}.yaml").write_text(workload(callee, port="8080"))
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "Dockerfile").write_text("FROM golang:1.23\nCOPY . .\n")
    (tmp_path / "web" / "config.toml").write_text('[api]\nurl = "http://localhost:8080"\n')
    main = (
        'package main\n\nimport (\n\t"strings"\n\n\t"github.com/spf13/viper"\n)\n\n'
        'func main() {\n\tv := viper.New()\n\tv.SetConfigName("config")\n'
        '\tv.AutomaticEnv()\n\tv.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))\n'
        "\t_ = v.ReadInConfig()\n}\n"
    )
    (tmp_path / "web" / "main.go").write_text(main)
    assert set(web_edges(tmp_path)) == {("shop/api", 8080, "TCP")}
    (tmp_path / "web" / "main.go").write_text(main.replace("\tv.AutomaticEnv()\n", ""))
    assert set(web_edges(tmp_path)) == set()
