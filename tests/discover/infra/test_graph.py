"""Infrastructure configs in a deployment: the workload that mounts or builds them in is
the caller, its env fills them, its command line picks the files it loads."""

from __future__ import annotations

from pathlib import Path

from socklock.discover import discover
from socklock.load import load_paths

COMPOSE = """\
name: obs
services:
  api: {image: api:1, expose: ["8080"]}
  worker: {image: worker:1, expose: ["9100"]}
  cache: {image: redis:7, expose: ["6379"]}
  jaeger: {image: jaegertracing/jaeger:2, expose: ["4317"]}
  prometheus:
    image: prom/prometheus:v3
    command: [--config.file=/etc/prometheus/prometheus.yml]
    expose: ["9090"]
    volumes: [./prometheus:/etc/prometheus:ro]
  grafana:
    build: ./grafana
  collector:
    image: otel/opentelemetry-collector-contrib:0.120.0
    command: [--config=/etc/otel/base.yml, --config=/etc/otel/override.yml]
    environment: [CACHE_ADDR=cache:6379]
    volumes:
      - /:/hostfs:ro
      - ./otel:/etc/otel:ro
"""
PROMETHEUS = """\
scrape_configs:
  - job_name: self
    static_configs: [{targets: ["prometheus:9090"]}]
  - job_name: apps
    static_configs:
      - targets: ["api:8080", "worker:9100"]
"""
BASE = """\
receivers:
  otlp:
    protocols: {grpc: {endpoint: 0.0.0.0:4317}}
  redis:
    endpoint: ${env:CACHE_ADDR}
  prometheus/api:
    config:
      scrape_configs:
        - job_name: api
          static_configs: [{targets: ["api:8080"]}]
exporters:
  debug:
service:
  pipelines:
    metrics: {receivers: [otlp, redis, prometheus/api], exporters: [debug]}
  telemetry:
    metrics:
      readers:
        - periodic: {exporter: {otlp: {endpoint: "http://collector:4318"}}}
"""
OVERRIDE = """\
exporters:
  otlp/jaeger:
    endpoint: jaeger:4317
service:
  pipelines:
    metrics: {receivers: [otlp, redis]}
    traces: {receivers: [otlp], exporters: [otlp/jaeger]}
"""
UNLOADED = """\
exporters:
  otlp: {endpoint: worker:9100}
service:
  pipelines:
    traces: {receivers: [otlp], exporters: [otlp]}
"""


def _write(root: Path) -> None:
    (root / "compose.yaml").write_text(COMPOSE)
    (root / "prometheus").mkdir()
    (root / "prometheus" / "prometheus.yml").write_text(PROMETHEUS)
    (root / "grafana" / "datasources").mkdir(parents=True)
    (root / "grafana" / "Dockerfile").write_text(
        "FROM grafana/grafana:11\nCOPY datasources /etc/grafana/provisioning/datasources\n"
    )
    (root / "grafana" / "datasources" / "all.yml").write_text(
        "apiVersion: 1\ndatasources:\n  - name: Prometheus\n    url: http://prometheus:9090\n"
    )
    (root / "otel").mkdir()
    (root / "otel" / "base.yml").write_text(BASE)
    (root / "otel" / "override.yml").write_text(OVERRIDE)
    (root / "otel" / "unloaded.yml").write_text(UNLOADED)
    (root / "stray").mkdir()  # in the tree, run by nobody
    (root / "stray" / "sources.yml").write_text("datasources:\n  - url: http://worker:9100\n")


def test_prometheus_grafana_and_collector_calls_in_compose(tmp_path: Path) -> None:
    _write(tmp_path)
    graph = discover(load_paths([str(tmp_path)]))
    found = {
        (e.source, e.target, e.port, str(v.location))
        for e in graph.edges
        for v in e.evidence
        if v.kind.value == "config"
    }
    prometheus = tmp_path / "prometheus" / "prometheus.yml"
    otel = tmp_path / "otel"
    assert found == {
        ("obs/prometheus", "obs/api", 8080, f"{prometheus}:6:19"),
        ("obs/prometheus", "obs/worker", 9100, f"{prometheus}:6:31"),
        (
            "obs/grafana",
            "obs/prometheus",
            9090,
            f"{tmp_path / 'grafana' / 'datasources' / 'all.yml'}:4:5",
        ),
        ("obs/collector", "obs/cache", 6379, f"{otel / 'base.yml'}:5:5"),
        ("obs/collector", "obs/jaeger", 4317, f"{otel / 'override.yml'}:3:5"),
    }
    # not: prometheus scraping itself, the collector sending its own telemetry to itself;
    # the collector's prometheus/api receiver (the
    # override's receiver list replaced it); unloaded.yml (no --config names it); and the
    # host's root mounted at /hostfs does not make stray/sources.yml the collector's
    (redis,) = [
        v.detail
        for e in graph.edges
        for v in e.evidence
        if e.target == "obs/cache" and v.kind.value == "config"
    ]
    assert redis == (
        "Collector receivers redis endpoint ${env:CACHE_ADDR} (cache:6379), used by pipeline "
        "metrics (compose service obs/cache)"
    )


K8S = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: collector, namespace: mon}
spec:
  template:
    metadata: {labels: {app: collector}}
    spec:
      containers:
      - name: otelcol
        image: otel/opentelemetry-collector-contrib:0.120.0
        args: ["--config=/conf/relay.yaml"]
        env: [{name: BACKEND, value: "tempo:4317"}]
        volumeMounts: [{name: conf, mountPath: /conf}]
      volumes: [{name: conf, configMap: {name: collector}}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: collector, namespace: mon}
data:
  relay.yaml: |
    exporters:
      otlp: {endpoint: "${env:BACKEND}"}
    service:
      pipelines:
        traces: {receivers: [otlp], exporters: [otlp]}
  spare.yaml: |
    exporters:
      otlp: {endpoint: "spare:4317"}
    service:
      pipelines:
        traces: {exporters: [otlp]}
"""


def _deployment(name: str, port: int, namespace: str = "mon", annotations: str = "") -> str:
    return f"""\
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}, namespace: {namespace}}}
spec:
  template:
    metadata:
      labels: {{app: {name}}}
      annotations: {{{annotations}}}
    spec:
      containers: [{{name: {name}, image: {name}:1, ports: [{{containerPort: {port}}}]}}]
---
apiVersion: v1
kind: Service
metadata: {{name: {name}, namespace: {namespace}}}
spec:
  selector: {{app: {name}}}
  ports: [{{port: {port}}}]
"""


def test_collector_config_in_a_config_map_loaded_by_its_args(tmp_path: Path) -> None:
    (tmp_path / "all.yaml").write_text(
        K8S + _deployment("tempo", 4317) + _deployment("spare", 4317)
    )
    graph = discover(load_paths([str(tmp_path)]))
    assert {
        (e.source, e.target, e.port, str(v.location))
        for e in graph.edges
        for v in e.evidence
        if v.kind.value == "config"
    } == {("mon/collector", "mon/tempo", 4317, f"{tmp_path / 'all.yaml'}:22:25")}


def test_a_program_that_names_its_own_file_of_a_shared_directory_reads_only_that(
    tmp_path: Path,
) -> None:
    (tmp_path / "compose.yaml").write_text(
        """\
name: sn
services:
  app:
    image: sn/app:1
    entrypoint: AppService
    volumes: [./config:/sn/config]
  cache:
    image: redis:7
    command: /sn/config/redis.conf
    volumes: [./config:/sn/config]
  agent: {image: jaegertracing/all-in-one:1, expose: ["6831/udp"]}
"""
    )
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "redis.conf").write_text("port 6379\n")
    (tmp_path / "config" / "jaeger.yml").write_text("reporter:\n  localAgentHostPort: agent:6831\n")
    graph = discover(load_paths([str(tmp_path)]))
    assert {
        (e.source, e.target, e.port, e.protocol)
        for e in graph.edges
        if any(v.kind.value == "config" for v in e.evidence)
    } == {("sn/app", "sn/agent", 6831, "UDP")}  # not sn/cache: it reads its redis.conf


ALLOY_COMPOSE = """\
name: lgtm
services:
  app: {image: app:1, expose: ["8080"]}
  metrics: {image: grafana/mimir:2, expose: ["9009"]}
  traces:
    image: grafana/tempo:2
    command: [-config.file=/etc/tempo.yaml]
    expose: ["4317", "3200"]
    volumes: [./tempo/tempo.yaml:/etc/tempo.yaml]
  agent:
    image: grafana/alloy:v1
    command: [run, /etc/alloy/config.alloy]
    environment: [TRACES=traces:4317]
    volumes:
      - ./alloy/config.alloy:/etc/alloy/config.alloy
      - ./alloy/sinks-local.json:/etc/alloy/sinks.json
"""
ALLOY = """\
local.file "sinks" { filename = "/etc/alloy/sinks.json" }
prometheus.scrape "apps" {
  targets = [{"__address__" = "app:8080"}, {"__address__" = "localhost:12345"}]
}
prometheus.remote_write "out" {
  endpoint { url = json_decode(local.file.sinks.content).metrics }
}
otelcol.receiver.otlp "in" {
  grpc { endpoint = "0.0.0.0:4317" }
}
otelcol.exporter.otlp "out" {
  client { endpoint = env("TRACES") }
}
"""
TEMPO = """\
storage: {trace: {backend: local}}
metrics_generator:
  storage:
    remote_write: [{url: "http://metrics:9009/api/v1/push"}]
"""


def test_alloy_and_tempo_calls_in_compose(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(ALLOY_COMPOSE)
    (tmp_path / "alloy").mkdir()
    (tmp_path / "alloy" / "config.alloy").write_text(ALLOY)
    (tmp_path / "alloy" / "sinks-local.json").write_text('{"metrics": "http://metrics:9009/push"}')
    # a sibling the config does not read (another deployment mounts it instead)
    (tmp_path / "alloy" / "sinks.json").write_text('{"metrics": "http://elsewhere:9009/push"}')
    (tmp_path / "tempo").mkdir()
    (tmp_path / "tempo" / "tempo.yaml").write_text(TEMPO)
    graph = discover(load_paths([str(tmp_path)]))
    config = tmp_path / "alloy" / "config.alloy"
    assert {
        (e.source, e.target, e.port, str(v.location))
        for e in graph.edges
        for v in e.evidence
        if v.kind.value == "config"
    } == {
        ("lgtm/agent", "lgtm/app", 8080, f"{config}:3:31"),
        ("lgtm/agent", "lgtm/metrics", 9009, f"{config}:6:20"),
        ("lgtm/agent", "lgtm/traces", 4317, f"{config}:12:23"),
        ("lgtm/traces", "lgtm/metrics", 9009, f"{tmp_path / 'tempo' / 'tempo.yaml'}:4:21"),
    }


def test_prometheus_file_sd_targets_where_its_mount_puts_them(tmp_path: Path) -> None:
    """prometheus.yml's file_sd_configs glob the container path of a mounted directory:
    its target files are Prometheus' calls; a target file the globs do not name is not."""
    (tmp_path / "compose.yaml").write_text(
        "name: sd\n"
        "services:\n"
        "  app: {image: app:1, expose: ['9458']}\n"
        "  exporter: {image: exporter:1, expose: ['9216']}\n"
        "  cache: {image: redis:7, expose: ['6379']}\n"
        "  prometheus:\n"
        "    image: prom/prometheus:v3\n"
        "    command: [--config.file=/etc/prometheus/prometheus.yml]\n"
        "    volumes: [./files/prometheus:/etc/prometheus:ro]\n"
    )
    files = tmp_path / "files" / "prometheus"
    (files / "targets").mkdir(parents=True)
    (files / "unused").mkdir()
    (files / "prometheus.yml").write_text(
        "scrape_configs:\n"
        "  - job_name: sd\n"
        "    file_sd_configs:\n"
        "      - files: [/etc/prometheus/targets/*.yml]\n"
    )
    (files / "targets" / "app.yml").write_text("- targets:\n    - app:9458\n")
    (files / "targets" / "exporter.yml").write_text("- targets: ['exporter:9216']\n")
    (files / "unused" / "cache.yml").write_text("- targets: ['cache:6379']\n")
    graph = discover(load_paths([str(tmp_path)]))
    found = {
        (e.source, e.target, e.port, str(v.location))
        for e in graph.edges
        for v in e.evidence
        if v.kind.value == "config"
    }
    assert found == {
        ("sd/prometheus", "sd/app", 9458, f"{files / 'targets' / 'app.yml'}:2:7"),
        ("sd/prometheus", "sd/exporter", 9216, f"{files / 'targets' / 'exporter.yml'}:1:13"),
    }
