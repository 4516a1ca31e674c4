"""Each infrastructure-config reader on config text: exactly the calls it must find (host,
port, file:line), what it reports as unknown, and nothing else."""

from __future__ import annotations

from socklock.discover.infra.collector import CollectorReader
from socklock.discover.infra.grafana import GrafanaReader
from socklock.discover.infra.otel_sdk import OtelSdkReader
from socklock.discover.infra.prometheus import PrometheusReader
from socklock.discover.proxies.interface import Found, ProxyReader, Source, Unknown, Upstream
from socklock.model import EvidenceKind


def _read(reader: ProxyReader, *texts: str, env: dict[str, str] | None = None) -> list[Found]:
    sources = [Source(f"/cfg/{i}.yml", t) for i, t in enumerate(texts)]
    return list(reader.read(sources, env or {}))


def _calls(found: list[Found]) -> set[tuple[str, int | None, str]]:
    return {(f.host, f.port, str(f.location)) for f in found if isinstance(f, Upstream)}


def _unknown(found: list[Found]) -> set[tuple[str, str, str]]:
    return {(str(f.location), f.expression, f.reason) for f in found if isinstance(f, Unknown)}


PROMETHEUS = """\
global:
  scrape_interval: 15s
scrape_configs:
- job_name: self
  static_configs:
  - targets: ['localhost:9090']
- job_name: api
  metrics_path: /actuator/prometheus
  static_configs:
  - targets: ['api:8080', 'worker']
- job_name: secure
  scheme: https
  static_configs:
  - targets: [vault]
- job_name: pods
  kubernetes_sd_configs:
  - role: pod
alerting:
  alertmanagers:
  - static_configs:
    - targets: ['alertmanager:9093']
remote_write:
- url: http://mimir:9009/api/v1/push
"""


def test_prometheus_scrape_targets_alertmanagers_and_remote_write() -> None:
    found = _read(PrometheusReader(), PROMETHEUS)
    assert _calls(found) == {
        ("localhost", 9090, "/cfg/0.yml:6:15"),  # the join drops a local address
        ("api", 8080, "/cfg/0.yml:10:15"),
        ("worker", 80, "/cfg/0.yml:10:27"),  # no port: the scheme's
        ("vault", 443, "/cfg/0.yml:14:15"),
        ("alertmanager", 9093, "/cfg/0.yml:21:17"),
        ("mimir", 9009, "/cfg/0.yml:23:3"),
    }
    assert _unknown(found) == {
        (
            "/cfg/0.yml:16:3",
            "Prometheus scrape job pods kubernetes_sd_configs",
            "kubernetes_sd finds the targets at run time",
        )
    }
    assert all(f.evidence is EvidenceKind.CONFIG for f in found if isinstance(f, Upstream))


SERVICE_DISCOVERY = """\
scrape_configs:
- job_name: services
  consul_sd_configs:
  - server: 'consul:8500'
    tags: [metrics]
  - services: [orders]
- job_name: registry
  eureka_sd_configs:
  - server: http://eureka:8761/eureka
- job_name: legacy
  serverset_sd_configs:
  - servers: ['zk1:2181', 'zk2']
    paths: [/aurora]
- job_name: pods
  kubernetes_sd_configs:
  - api_server: https://kubernetes.example:6443
"""


def test_prometheus_asks_the_service_discovery_servers_written() -> None:
    """consul_sd's, eureka_sd's and serverset_sd's servers are called; a consul_sd with no
    server (its default, localhost) and the Kubernetes API are not."""
    found = _read(PrometheusReader(), SERVICE_DISCOVERY)
    assert _calls(found) == {
        ("consul", 8500, "/cfg/0.yml:4:5"),
        ("eureka", 8761, "/cfg/0.yml:9:5"),
        ("zk1", 2181, "/cfg/0.yml:12:15"),
        ("zk2", 2181, "/cfg/0.yml:12:27"),
    }
    assert {u[1] for u in _unknown(found)} == {
        "Prometheus scrape job services consul_sd_configs",
        "Prometheus scrape job registry eureka_sd_configs",
        "Prometheus scrape job legacy serverset_sd_configs",
        "Prometheus scrape job pods kubernetes_sd_configs",
    }


FILE_SD = """\
scrape_configs:
- job_name: apps
  file_sd_configs:
  - files: [/etc/prometheus/targets/*.yml, targets/*.json]
- job_name: secure
  scheme: https
  file_sd_configs:
  - files: ['/etc/prometheus/secure/*.yaml']
- job_name: elsewhere
  file_sd_configs:
  - files: [/var/lib/sd/*.yml]
"""


def test_prometheus_file_sd_target_files_are_the_jobs_targets() -> None:
    """Target files (YAML or JSON lists of groups) read on their job's scheme; a job whose
    files are not among the sources stays unknown; the patterns are what it includes."""
    reader = PrometheusReader()
    sources = [
        Source("/cfg/prometheus.yml", FILE_SD),
        Source("/cfg/targets/api.yml", "- targets:\n    - api:8080\n  labels: {job: api}\n"),
        Source("/cfg/targets/w.json", '[{"targets": ["worker:9100"]}]'),
        Source("/cfg/secure/vault.yaml", "- targets: [vault]\n"),
    ]
    assert reader.includes(sources[0]) == [
        "/etc/prometheus/targets/*.yml",
        "targets/*.json",
        "/etc/prometheus/secure/*.yaml",
        "/var/lib/sd/*.yml",
    ]
    assert reader.includes(sources[1]) == []
    found = list(reader.read(sources, {}))
    assert _calls(found) == {
        ("api", 8080, "/cfg/targets/api.yml:2:7"),
        ("worker", 9100, "/cfg/targets/w.json:1:15"),
        ("vault", 443, "/cfg/secure/vault.yaml:1:13"),
    }
    assert _unknown(found) == {
        (
            "/cfg/prometheus.yml:10:3",
            "Prometheus scrape job elsewhere file_sd_configs",
            "file_sd finds the targets at run time",
        )
    }
    (api,) = [f for f in found if isinstance(f, Upstream) and f.host == "api"]
    assert api.detail == "Prometheus scrape job apps file_sd target api:8080"


def test_prometheus_claims_only_its_own_files() -> None:
    reader = PrometheusReader()
    assert reader.claims("prometheus.yml", PROMETHEUS)
    assert reader.claims("rw.yml", "remote_write:\n- url: http://m:9009\n")
    # a values file that happens to hold scrape_configs among other keys is not one
    assert not reader.claims("values.yaml", "image: x\nscrape_configs: []\n")
    assert not reader.claims("prometheus.yml", "global: {}\nrule_files: []\n")


def test_grafana_data_sources_queried_by_the_server() -> None:
    text = """\
apiVersion: 1
datasources:
  - name: Metrics
    type: prometheus
    url: http://prometheus:9090
    jsonData:
      exemplarTraceIdDestinations:
        - url: http://localhost:8080/jaeger/ui/trace/$${__value.raw}
  - name: Logs
    type: loki
    access: direct
    url: http://loki:3100
  - name: Db
    type: postgres
    url: ${DB_HOST}:5432
  - name: Traces
    type: tempo
    url: http://$TEMPO_HOST:3200
  - name: Unset
    type: tempo
    url: http://${NOT_SET}:3200
"""
    found = _read(GrafanaReader(), text, env={"DB_HOST": "pg", "TEMPO_HOST": "tempo"})
    assert _calls(found) == {
        ("prometheus", 9090, "/cfg/0.yml:5:5"),
        ("pg", 5432, "/cfg/0.yml:15:5"),
        ("tempo", 3200, "/cfg/0.yml:18:5"),
    }  # not the exemplar link (the browser's), not the direct-access source
    assert _unknown(found) == {
        (
            "/cfg/0.yml:21:5",
            "Grafana data source Unset url http://${NOT_SET}:3200",
            "env NOT_SET is not set for the workload by any manifest or its image's ENV",
        )
    }
    assert not GrafanaReader().claims("dash.yaml", "apiVersion: 1\nproviders: []\n")


CORE = """\
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: ${env:MY_HOST}:4317
  redis:
    endpoint: "cache:6379"
  http_check/web:
    targets:
      - endpoint: http://${env:WEB_ADDR}
  postgresql:
    endpoint: ${DB_HOST}:${env:DB_PORT:-5432}
  prometheus/app:
    config:
      scrape_configs:
        - job_name: app
          static_configs:
            - targets: ["app:${env:APP_METRICS}"]
  mysql:
    endpoint: mysql:3306
exporters:
  debug:
  otlp/unused:
    endpoint: nobody:4317
  prometheus:
    endpoint: 0.0.0.0:8889
service:
  pipelines:
    metrics:
      receivers: [otlp, redis, http_check/web, postgresql, prometheus/app]
      exporters: [debug, prometheus]
  telemetry:
    metrics:
      readers:
        - pull:
            exporter:
              prometheus: {host: 0.0.0.0, port: 8888}
        - periodic:
            exporter:
              otlp: {protocol: http/protobuf, endpoint: "http://meta:4318"}
"""
OVERRIDE = """\
exporters:
  otlp/jaeger:
    endpoint: jaeger:4317
    tls: {insecure: true, endpoint: not-an-address:1}
extensions:
  health_check:
    endpoint: 0.0.0.0:13133
  opamp:
    server:
      ws:
        endpoint: wss://opamp:4320/v1/opamp
service:
  extensions: [health_check, opamp]
  pipelines:
    metrics:
      receivers: [redis, http_check/web, postgresql]
    traces:
      receivers: [otlp]
      exporters: [otlp/jaeger]
"""
COLLECTOR_ENV = {"MY_HOST": "collector", "WEB_ADDR": "web:8080", "DB_HOST": "db"}
COLLECTOR_ENV["APP_METRICS"] = "9464"


def test_collector_counts_only_components_its_pipelines_and_extensions_use() -> None:
    found = _read(CollectorReader(), CORE, env=COLLECTOR_ENV)
    assert _calls(found) == {
        ("cache", 6379, "/cfg/0.yml:7:5"),
        ("web", 8080, "/cfg/0.yml:10:9"),
        ("db", 5432, "/cfg/0.yml:12:5"),
        ("app", 9464, "/cfg/0.yml:18:25"),
        ("meta", 4318, "/cfg/0.yml:40:47"),
    }
    # not: the otlp receiver, the prometheus exporter and the pull reader (ports it
    # listens on), the mysql receiver and otlp/unused exporter (no pipeline uses them)
    postgres = next(f for f in found if isinstance(f, Upstream) and f.host == "db")
    assert postgres.detail == (
        "Collector receivers postgresql endpoint ${DB_HOST}:${env:DB_PORT:-5432} "
        "(db:5432), used by pipeline metrics"
    )


def test_collector_merges_config_files_in_order_and_a_later_list_replaces() -> None:
    found = _read(CollectorReader(), CORE, OVERRIDE, env=COLLECTOR_ENV)
    assert _calls(found) == {
        ("cache", 6379, "/cfg/0.yml:7:5"),
        ("web", 8080, "/cfg/0.yml:10:9"),
        ("db", 5432, "/cfg/0.yml:12:5"),
        ("jaeger", 4317, "/cfg/1.yml:3:5"),
        ("opamp", 4320, "/cfg/1.yml:11:9"),
        ("meta", 4318, "/cfg/0.yml:40:47"),
    }  # prometheus/app is gone: the override's metrics receiver list replaced the first


def test_collector_reports_an_unset_env_reference() -> None:
    text = "exporters:\n  otlp:\n    endpoint: ${env:COLLECTOR}:4317\n"
    text += "service:\n  pipelines:\n    traces:\n      exporters: [otlp]\n"
    assert _unknown(_read(CollectorReader(), text)) == {
        (
            "/cfg/0.yml:3:5",
            "Collector exporters otlp endpoint ${env:COLLECTOR}:4317",
            "env COLLECTOR is not set for the workload by any manifest or its image's ENV",
        )
    }


def test_collector_claims_and_selects_by_its_config_flags() -> None:
    reader = CollectorReader()
    assert reader.claims("otelcol.yml", CORE)
    assert reader.claims("override.yml", OVERRIDE)
    assert not reader.claims("app.yml", "service:\n  pipelines: x\nserver:\n  port: 1\n")
    assert not reader.claims("values.yml", "exporters:\n  otlp: {}\n")  # no pipelines
    one = Source("/t/a.yml", CORE, container="/etc/a.yml")
    two = Source("/t/b.yml", OVERRIDE, container="/etc/b.yml")
    other = Source("/t/c.yml", OVERRIDE, container="/etc/c.yml")
    flags = ["--config=file:/etc/b.yml", "--config", "/etc/a.yml", "--config=env:X"]
    assert reader.select([one, two, other], flags) == [two, one]
    assert reader.select([one, two], ["--feature-gates=x"]) == [one, two]
    assert reader.select([one, two], ["--config=/elsewhere.yml"]) == [one, two]


def test_otel_sdk_config_exporters_but_not_pull_readers() -> None:
    text = """\
file_format: "1.0"
tracer_provider:
  processors:
    - batch:
        exporter:
          otlp_grpc:
            endpoint: ${OTEL_EXPORTER_OTLP_ENDPOINT}
meter_provider:
  readers:
    - pull:
        exporter:
          prometheus: {host: 0.0.0.0, port: 9464}
    - periodic:
        exporter:
          otlp_http:
            endpoint: ${METRICS:-http://metrics:4318}
"""
    found = _read(OtelSdkReader(), text, env={"OTEL_EXPORTER_OTLP_ENDPOINT": "http://col:4317"})
    assert _calls(found) == {
        ("col", 4317, "/cfg/0.yml:7:13"),
        ("metrics", 4318, "/cfg/0.yml:16:13"),
    }
    assert not OtelSdkReader().claims("x.yml", "file_format: 1\nother: 2\n")


def test_nginx_otel_exporter_endpoint_is_a_call() -> None:
    from socklock.discover.proxies.nginx import NginxReader

    text = """\
http {
    otel_exporter {
        endpoint ${COLLECTOR}:4317;
        interval 5s;
    }
    otel_trace on;
    server { listen 8080; location / { root /static; } }
}
"""
    source = Source("/cfg/nginx.conf.template", text, template=True)
    found = list(NginxReader().read([source], {"COLLECTOR": "otel"}))
    assert _calls(found) == {("otel", 4317, "/cfg/nginx.conf.template:3:9")}
    assert [f.evidence for f in found if isinstance(f, Upstream)] == [EvidenceKind.CONFIG]
    assert list(NginxReader().read([source], {})) == [
        Unknown(
            source.where(3, "endpoint"),
            "otel_exporter endpoint ${COLLECTOR}:4317",
            "env COLLECTOR is not set for the workload by any manifest or its image's ENV "
            "(envsubst leaves it unfilled)",
        )
    ]


def test_jaeger_client_config_agent_and_collector() -> None:
    from socklock.discover.infra.jaeger_client import JaegerClientReader

    yaml_text = """\
disabled: false
reporter:
  localAgentHostPort: "agent:6831"
sampler:
  type: remote
  samplingServerURL: http://agent:5778/sampling
"""
    json_text = '{\n  "reporter": {"collectorEndpoint": "http://collector:14268/api/traces"}\n}\n'
    off = "disabled: true\nreporter:\n  localAgentHostPort: agent:6831\n"
    reader = JaegerClientReader()
    sources = [
        Source("/c/a.yml", yaml_text),
        Source("/c/b.json", json_text),
        Source("/c/c.yml", off),
    ]
    found = list(reader.read(sources, {}))
    assert {
        (f.host, f.port, f.protocol, str(f.location)) for f in found if isinstance(f, Upstream)
    } == {
        ("agent", 6831, "UDP", "/c/a.yml:3:3"),
        ("agent", 5778, "TCP", "/c/a.yml:6:3"),
        ("collector", 14268, "TCP", "/c/b.json:2:16"),
    }
    assert reader.claims("jaeger-config.json", json_text)
    assert not reader.claims("notes.md", yaml_text)


def test_logstash_outputs_and_pulling_inputs_but_not_listeners() -> None:
    from socklock.discover.infra.logstash import LogstashReader

    pipeline = """\
input {
  beats { port => 5044 }          # listens: no call
  kafka {
    bootstrap_servers => "kafka:9092"
    topics => ["logs"]
  }
  redis { host => "queue" port => 6380 data_type => "list" key => "logs" }
}
filter { mutate { add_field => { "host" => "not-an-address" } } }
output {
  elasticsearch {
    hosts => ["http://es:9200", "es-2"]
    index => "logs-%{+YYYY.MM.dd}"
  }
  # stdout { codec => rubydebug }
}
"""
    reader = LogstashReader()
    assert reader.claims("logstash-nginx.config", pipeline)
    assert not reader.claims("nginx.conf", "http { server { listen 80; } }\n")
    found = list(reader.read([Source("/p/pipeline.conf", pipeline)], {}))
    assert sorted(
        (f.host, f.port, str(f.location), f.detail) for f in found if isinstance(f, Upstream)
    ) == [
        (
            "es",
            9200,
            "/p/pipeline.conf:12:16",
            "Logstash output elasticsearch hosts http://es:9200",
        ),
        # no port written: the elasticsearch output's own default, 9200 (not http's 80)
        ("es-2", 9200, "/p/pipeline.conf:12:34", "Logstash output elasticsearch hosts es-2:9200"),
        (
            "kafka",
            9092,
            "/p/pipeline.conf:4:27",
            "Logstash input kafka bootstrap_servers kafka:9092",
        ),
        ("queue", 6380, "/p/pipeline.conf:7:20", "Logstash input redis host queue:6380"),
    ]


def test_a_logstash_pipeline_with_an_http_input_is_not_nginx() -> None:
    """``input { http { port => 8080 } }`` has nginx's ``http {`` marker; the ``=>``
    settings in ``input``/``output`` sections make it Logstash's alone."""
    from socklock.discover.infra.logstash import LogstashReader
    from socklock.discover.proxies.nginx import NginxReader

    pipeline = (
        "input {\n  http {\n    port => 8080\n  }\n}\n"
        'output {\n  elasticsearch {\n    hosts => "elasticsearch"\n  }\n}\n'
    )
    nginx = "http {\n  server {\n    location / { proxy_pass http://api:8080; }\n  }\n}\n"
    assert [
        NginxReader().claims("logstash.config", pipeline),
        LogstashReader().claims("logstash.config", pipeline),
    ] == [False, True]
    assert NginxReader().claims("nginx.conf", nginx)


FLUENTD = """\
<source>
  @type forward
  port 24224
  bind 0.0.0.0
</source>
<match app.**>
  @type copy
  <store>
    @type elasticsearch
    host elasticsearch
    port 9201
  </store>
  <store>
    @type stdout
  </store>
  <store>
    @type kafka2
    brokers kafka1:9093,kafka2
  </store>
</match>
<match audit.**>
  @type forward
  <server>
    host aggregator
  </server>
</match>
<match other.**>
  @type s3
  s3_bucket logs
</match>
"""


def test_fluentd_outputs_and_forward_servers() -> None:
    """Each output's servers on the plugin's port when none is written; the forward input
    listens (its port is no call) and an s3 output names no host."""
    from socklock.discover.infra.fluentd import FluentdReader

    reader = FluentdReader()
    assert reader.claims("fluent.conf", FLUENTD)
    assert not reader.claims("nginx.conf", "server { listen 80; }\n")
    found = _read(reader, FLUENTD)
    assert _calls(found) == {
        ("elasticsearch", 9201, "/cfg/0.yml:10:10"),
        ("kafka1", 9093, "/cfg/0.yml:18:13"),
        ("kafka2", 9092, "/cfg/0.yml:18:25"),
        ("aggregator", 24224, "/cfg/0.yml:24:10"),
    }
    assert _unknown(found) == set()
