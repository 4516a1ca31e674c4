"""Who runs a config: mount paths decide what is a template; evidence names the env used."""

from __future__ import annotations

from pathlib import Path

from socklock.discover import discover
from socklock.load import load_paths
from socklock.model import Location

APPS = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: app}
spec:
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: api:1, ports: [{containerPort: 5000}]}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: app}
spec:
  selector: {app: api}
  ports: [{port: 80, targetPort: 5000}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: proxy, namespace: app}
spec:
  template:
    metadata: {labels: {app: proxy}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        env: [{name: API_HOST, value: api}]
        volumeMounts: [{name: t, mountPath: /etc/nginx/templates}]
      volumes: [{name: t, configMap: {name: proxy}}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: proxy, namespace: app}
data:
  site.conf: |
    server { location / { proxy_pass http://${API_HOST}; } }
"""


def test_configmap_mounted_at_the_templates_directory_is_a_template(tmp_path: Path) -> None:
    (tmp_path / "all.yaml").write_text(APPS)
    graph = discover(load_paths([str(tmp_path)]))
    (edge,) = [e for e in graph.edges if any(v.kind.value == "proxy" for v in e.evidence)]
    assert edge.key == ("app/proxy", "app/api", 5000, "TCP")
    (evidence,) = [v for v in edge.evidence if v.kind.value == "proxy"]
    assert str(evidence.location) == f"{tmp_path / 'all.yaml'}:36:27"
    assert evidence.detail == (
        "proxy_pass http://${API_HOST} (envsubst: API_HOST=api) "
        "(ConfigMap app/proxy key site.conf) (Service app/api port 80 → targetPort 5000)"
    )


def test_envoy_template_evidence_names_the_env_values(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        """\
name: mesh
services:
  front:
    build: ./front
    environment: [UPSTREAM_HOST, UPSTREAM_PORT=9000]
  back:
    image: back:1
    expose: ["9000"]
"""
    )
    (tmp_path / ".env").write_text("UPSTREAM_HOST=back\n")
    (tmp_path / "front").mkdir()
    (tmp_path / "front" / "Dockerfile").write_text(
        "FROM envoyproxy/envoy:v1.31-latest\nCOPY envoy.tmpl.yaml /etc/envoy/\n"
    )
    (tmp_path / "front" / "envoy.tmpl.yaml").write_text(
        """\
static_resources:
  listeners:
  - filter_chains: [{filters: [{typed_config: {cluster: back}}]}]
  clusters:
  - name: back
    hosts: [{socket_address: {address: "${UPSTREAM_HOST}", port_value: "${UPSTREAM_PORT}"}}]
"""
    )
    graph = discover(load_paths([str(tmp_path)]))
    (edge,) = graph.edges
    assert edge.key == ("mesh/front", "mesh/back", 9000, "TCP")
    # the .env value compose passes through is evidence of its own (manifest-only)
    env, evidence = sorted(edge.evidence, key=lambda e: e.kind.value)
    assert env.location == Location(str(tmp_path / ".env"), 1, 1)
    assert evidence.detail == (
        "Envoy cluster back: back:9000 (envsubst: UPSTREAM_HOST=back, UPSTREAM_PORT=9000) "
        "(used by typed_config.cluster at line 3) (compose service mesh/back)"
    )


def test_caddy_and_haproxy_configs_mounted_in_compose(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        """\
name: lb
services:
  caddy:
    image: caddy:2
    environment: [UPSTREAM=app:5000]
    volumes: [./Caddyfile:/etc/caddy/Caddyfile:ro]
  haproxy:
    image: haproxy:3.0
    volumes: [./haproxy:/usr/local/etc/haproxy:ro]
  app:
    image: app:1
  db:
    image: postgres:16
"""
    )
    (tmp_path / "Caddyfile").write_text(":80 {\n    reverse_proxy {$UPSTREAM}\n}\n")
    (tmp_path / "haproxy").mkdir()
    (tmp_path / "haproxy" / "haproxy.cfg").write_text(
        "frontend pg\n    bind :5432\n    default_backend pg\nbackend pg\n    server db db:5432\n"
    )
    graph = discover(load_paths([str(tmp_path)]))
    assert {
        (e.source, e.target, e.port, str(v.location)) for e in graph.edges for v in e.evidence
    } == {
        ("lb/caddy", "lb/app", 5000, f"{tmp_path / 'Caddyfile'}:2:5"),
        ("lb/caddy", "lb/app", 5000, f"{tmp_path / 'compose.yaml'}:5:19"),  # the env value
        ("lb/haproxy", "lb/db", 5432, f"{tmp_path / 'haproxy' / 'haproxy.cfg'}:5:5"),
    }


def test_a_config_the_image_does_not_copy_is_not_the_workloads(tmp_path: Path) -> None:
    """An example nginx config in a service's build context, which its Dockerfile does not
    take in, is not run by that service (another deployment's, or documentation)."""
    (tmp_path / "compose.yaml").write_text(
        """name: repo
services:
  api:
    build: ./api
    expose: ["8080"]
  worker:
    build: ./worker
"""
    )
    (tmp_path / "api" / "deploy").mkdir(parents=True)
    (tmp_path / "api" / "Dockerfile").write_text("FROM python:3.12\nCOPY app.py .\n")
    (tmp_path / "api" / "deploy" / "nginx.conf").write_text(
        "server { location / { proxy_pass http://worker:9000; } }\n"
    )
    (tmp_path / "worker" / "conf").mkdir(parents=True)
    (tmp_path / "worker" / "Dockerfile").write_text(
        "FROM nginx:1.27 AS base\nFROM base\nCOPY conf/ /etc/nginx/conf.d/\n"
    )
    (tmp_path / "worker" / "conf" / "site.conf").write_text(
        "server { location / { proxy_pass http://api:8080; } }\n"
    )
    graph = discover(load_paths([str(tmp_path)]))
    assert {e.key for e in graph.edges} == {("repo/worker", "repo/api", 8080, "TCP")}


def test_kustomize_config_map_generator_files(tmp_path: Path) -> None:
    base = tmp_path / "base"
    (base / "conf").mkdir(parents=True)
    (base / "app.yaml").write_text(APPS.split("---\napiVersion: v1\nkind: ConfigMap")[0])
    (base / "kustomization.yaml").write_text(
        """\
namespace: app
resources: [app.yaml]
configMapGenerator:
- name: proxy
  files: [site.conf=conf/nginx-site.conf]
- name: unrelated
  files: [conf/other.conf]
"""
    )
    (base / "conf" / "nginx-site.conf").write_text(
        "server {\n    location / { proxy_pass http://${API_HOST}; }\n}\n"
    )
    (base / "conf" / "other.conf").write_text("server { location / { proxy_pass http://x:1; } }\n")
    graph = discover(load_paths([str(tmp_path)]))
    assert {
        (e.source, e.target, e.port, str(v.location))
        for e in graph.edges
        for v in e.evidence
        if v.kind.value == "proxy"
    } == {("app/proxy", "app/api", 5000, f"{base / 'conf' / 'nginx-site.conf'}:2:18")}


ENVOY_TO = """\
static_resources:
  listeners: [{{filter_chains: [{{filters: [{{typed_config: {{cluster: c}}}}]}}]}}]
  clusters:
  - name: c
    hosts: [{{socket_address: {{address: {host}, port_value: 8080}}}}]
"""


def test_shared_context_and_dockerfile_pick_their_config_by_build_arg(tmp_path: Path) -> None:
    """Three services share one context and one Dockerfile whose ``COPY "$CONFIG"`` takes
    the file their build args name (the ARG default for the one that sets none); a build
    container that mounts the whole checkout sees every config and runs none."""
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "Dockerfile").write_text(
        "FROM envoyproxy/envoy:v1.31 AS base\nARG CONFIG=front.yaml\n"
        'COPY "$CONFIG" /etc/envoy.yaml\nFROM base AS admin\nRUN true\n'
    )
    app = tmp_path / "app"
    app.mkdir()
    (app / "compose.yaml").write_text(
        """\
name: mesh
services:
  front:
    build: {context: ., dockerfile: ../shared/Dockerfile}
  side-a:
    build:
      context: .
      dockerfile: ../shared/Dockerfile
      target: admin
      args: {CONFIG: ./a.yaml}
  side-b:
    build:
      context: .
      dockerfile: ../shared/Dockerfile
      args: [CONFIG=b.yaml]
  svc-a: {image: a:1, expose: ["8080"]}
  svc-b: {image: b:1, expose: ["8080"]}
  tools:
    image: builder:1
    volumes: ["..:/source"]
"""
    )
    (app / "front.yaml").write_text(ENVOY_TO.format(host="side-a"))
    (app / "a.yaml").write_text(ENVOY_TO.format(host="svc-a"))
    (app / "b.yaml").write_text(ENVOY_TO.format(host="svc-b"))
    graph = discover(load_paths([str(app)]))
    assert {e.key for e in graph.edges} == {
        ("mesh/front", "mesh/side-a", 8080, "TCP"),
        ("mesh/side-a", "mesh/svc-a", 8080, "TCP"),
        ("mesh/side-b", "mesh/svc-b", 8080, "TCP"),
    }


def test_a_proxy_routes_to_services_of_another_compose_file_of_its_project(
    tmp_path: Path,
) -> None:
    (tmp_path / "compose.yaml").write_text(
        """\
name: shop
services:
  proxy:
    image: nginx:1.27
    volumes: [./nginx.conf:/etc/nginx/nginx.conf:ro]
"""
    )
    (tmp_path / "compose.observability.yaml").write_text(
        """\
name: shop
services:
  grafana:
    image: grafana/grafana:11
    expose: ["3000"]
  proxy:
    depends_on: [grafana]
"""
    )
    (tmp_path / "nginx.conf").write_text(
        "http { server { location /grafana/ { proxy_pass http://grafana:3000; } } }\n"
    )
    inventory = load_paths([str(tmp_path)])
    # ``docker compose up`` reads compose.yaml alone: grafana is not deployed, and the proxy's
    # route names no workload of it
    assert {n.id for n in discover(inventory).nodes} == {"shop/proxy"}
    # layered as ``-f compose.yaml -f compose.observability.yaml``: the proxy routes to grafana
    graph = discover(inventory, deployment="compose.yaml+compose.observability.yaml")
    assert {(e.key, v.kind.value) for e in graph.edges for v in e.evidence} == {
        (("shop/proxy", "shop/grafana", 3000, "TCP"), "proxy"),
        (("shop/proxy", "shop/grafana", 3000, "TCP"), "depends_on"),
    }


COLLECTOR = """\
receivers:
  otlp: {protocols: {grpc: {endpoint: 0.0.0.0:4317}}}
exporters:
  otlp: {endpoint: TARGET:4317}
service:
  pipelines:
    traces: {receivers: [otlp], exporters: [otlp]}
"""


def test_a_joined_file_of_another_directory_mounts_what_sits_beside_it(tmp_path: Path) -> None:
    """``infra/db/compose.yml+infra/tracing/compose.yml``: the tracing file is written to
    run from its own directory, so its ``./collector.yaml`` is the one beside it; a file
    that exists under the first file's directory still wins (compose's own rule)."""
    files = {
        "infra/db/compose.yml": "services:\n  db:\n    image: postgres:16\n",
        "infra/tracing/compose.yml": (
            "services:\n  collector:\n    image: otel/opentelemetry-collector-contrib:0.98.0\n"
            "    command: ['--config=/etc/collector.yaml']\n"
            "    volumes: ['./collector.yaml:/etc/collector.yaml']\n"
            "  jaeger:\n    image: jaegertracing/all-in-one:1.57\n"
        ),
        "infra/tracing/collector.yaml": COLLECTOR.replace("TARGET", "jaeger"),
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    joined = "infra/db/compose.yml+infra/tracing/compose.yml"

    def calls() -> set[tuple[str, str, int | None]]:
        graph = discover(load_paths([str(tmp_path)]), deployment=joined)
        return {(e.source, e.target, e.port) for e in graph.edges if not e.hint}

    assert calls() == {("db/collector", "db/jaeger", 4317)}
    (tmp_path / "infra/db/collector.yaml").write_text(COLLECTOR.replace("TARGET", "db"))
    assert calls() == {("db/collector", "db/db", 4317)}


def test_copy_source_written_from_the_context_root(tmp_path: Path) -> None:
    """``COPY /dev.conf /etc/nginx/conf.d``: a leading ``/`` is the build context's root,
    so the image runs ``dev.conf``; ``prod.conf`` beside it (another Dockerfile's) is not
    in this image."""
    (tmp_path / "compose.yaml").write_text(
        """name: repo
services:
  web:
    build: {context: ./proxy, dockerfile: Dockerfile}
    ports: ["80:80"]
  api:
    image: example/api:1
    expose: ["5000"]
  billing:
    image: example/billing:1
    expose: ["7000"]
"""
    )
    (tmp_path / "proxy").mkdir()
    (tmp_path / "proxy" / "Dockerfile").write_text(
        "FROM nginx:1.27\nRUN rm /etc/nginx/conf.d/default.conf\nCOPY /dev.conf /etc/nginx/conf.d\n"
    )
    (tmp_path / "proxy" / "Dockerfile-prod").write_text(
        "FROM nginx:1.27\nCOPY /prod.conf /etc/nginx/conf.d\n"
    )
    (tmp_path / "proxy" / "dev.conf").write_text(
        "server { listen 80; location / { proxy_pass http://api:5000; } }\n"
    )
    (tmp_path / "proxy" / "prod.conf").write_text(
        "server { listen 80; location / { proxy_pass http://billing:7000; } }\n"
    )
    graph = discover(load_paths([str(tmp_path)]))
    assert {e.key for e in graph.edges} == {("repo/web", "repo/api", 5000, "TCP")}
