"""KrakenD configs: backends, the components that dial out, templates and what listens."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import REPO

from socklock.discover import discover
from socklock.discover.proxies.interface import Found, Source, Unknown, Upstream
from socklock.discover.proxies.krakend import KrakenDReader
from socklock.load import load_paths

FIXTURES = REPO / "tests" / "fixtures" / "proxies"


def _read(name: str, text: str) -> list[Found]:
    return list(KrakenDReader().read([Source(name, text)], {}))


def _calls(found: list[Found]) -> set[tuple[str, int | None, str, int]]:
    return {(f.host, f.port, f.protocol, f.location.line) for f in found if isinstance(f, Upstream)}


def test_krakend_in_compose_backends_and_components() -> None:
    graph = discover(load_paths([str(FIXTURES / "krakend")]))
    found = {
        edge.key: {
            f"{Path(e.location.file).name}:{e.location.line}:{e.location.column}"
            for e in edge.evidence
        }
        for edge in graph.edges
    }
    assert found == {
        # backends without host: the root host list
        ("mall/gateway", "mall/catalog", 8000, "TCP"): {"krakend.json:4:3"},
        ("mall/gateway", "mall/reviews", 9000, "TCP"): {"krakend.json:10:37"},
        ("mall/gateway", "mall/auth", 8443, "TCP"): {"krakend.json:13:44"},
        ("mall/gateway", "mall/broker", 5672, "TCP"): {"krakend.json:23:24"},
        ("mall/gateway", "mall/metrics", 8086, "TCP"): {"krakend.json:28:26"},
        ("mall/gateway", "mall/logs", 12201, "UDP"): {"krakend.json:29:24"},
        # use_http: OTLP over HTTP, 4318 by default
        ("mall/gateway", "mall/traces", 4318, "TCP"): {"krakend.json:35:33"},
    }
    # not calls: auth/revoker and telemetry/metrics listen, telemetry/logstash writes stdout,
    # the OTLP exporter with metrics and traces disabled; krakend.tmpl is not the loaded file
    assert graph.unresolved == ()
    (broker,) = [e for e in graph.edges if e.target == "mall/broker"]
    assert broker.evidence[0].detail == (
        "KrakenD async agent orders async/amqp host: amqp://guest:***@broker:5672/ "
        "(compose service mall/broker)"
    )


def test_krakend_flexible_template_placeholder_is_unknown() -> None:
    text = (
        "{\n"
        '  "version": 3,\n'
        '  "endpoints": [\n'
        '    {"backend": [{"url_pattern": "/a", "host": ["http://{{ env "A_HOST" }}:80"]}]},\n'
        '    {"backend": [{"url_pattern": "/b", "host": {{ marshal .hosts }}}]},\n'
        '    {"backend": [{"url_pattern": "/c", "host": ["http://c:81"]}]}\n'
        "  ]\n"
        "}\n"
    )
    found = _read("krakend.tmpl", text)
    assert _calls(found) == {("c", 81, "TCP", 6)}
    assert [(f.location.line, f.expression) for f in found if isinstance(f, Unknown)] == [
        (4, 'host: http://{{ env "A_HOST" }}:80'),
        (5, "host: {{ marshal .hosts }}"),
    ]


def test_krakend_template_that_does_not_parse_reports_each_templated_address() -> None:
    text = (
        '{"version": 3, "endpoints": [\n'
        "{{ range $i, $e := .list }}{{ if $i }},{{ end }}\n"
        '  {"endpoint": "/{{ $e }}", "backend": [{"url_pattern": "/",\n'
        '    "host": ["{{ $e.host }}"]}]}\n'
        "{{ end }}\n"
        "]}\n"
    )
    (unknown,) = _read("krakend.tmpl", text)
    assert isinstance(unknown, Unknown)
    assert (unknown.location.line, unknown.expression) == (4, "host: {{ $e.host }}")
    assert unknown.reason.startswith("a KrakenD flexible-configuration template")


def test_krakend_yaml_commented_component_and_exporters() -> None:
    text = """\
version: 3
host: ["http://default:8080"]
endpoints:
  - endpoint: /x
    backend:
      - url_pattern: /x
        host: ["https://api.example.com"]
extra_config:
  # telemetry/influx:
  #   address: http://influx:8086
  telemetry/gelf:
    address: graylog:12201
    enable_tcp: true
  telemetry/opencensus:
    exporters:
      zipkin:
        collector_url: http://zipkin:9411/api/v2/spans
      jaeger:
        agent_endpoint: jaeger-agent:6831
      prometheus:
        port: 9091
  telemetry/opentelemetry:
    exporters:
      otlp:
        - name: grpc
          host: collector
"""
    found = _read("krakend.yaml", text)
    # the root host is used by no backend: no call; the commented influx is no call
    assert _calls(found) == {
        ("api.example.com", 443, "TCP", 7),
        ("graylog", 12201, "TCP", 12),
        ("zipkin", 9411, "TCP", 17),
        ("jaeger-agent", 6831, "UDP", 19),
        ("collector", 4317, "TCP", 26),
    }
    assert not [f for f in found if isinstance(f, Unknown)]


def test_krakend_toml_backend_and_amqp_backend() -> None:
    text = """\
version = 3

[[endpoints]]
endpoint = "/events"

[[endpoints.backend]]
url_pattern = "/"
host = ["amqp://mq:5672"]

[endpoints.backend.extra_config."backend/amqp/producer"]
name = "events"
exchange = "ex"

[extra_config."auth/revoker"]
port = 1234
"""
    assert _calls(_read("krakend.toml", text)) == {("mq", 5672, "TCP", 8)}


def test_krakend_claims_only_its_config() -> None:
    reader = KrakenDReader()
    assert reader.claims("krakend.json", '{"$schema": "https://www.krakend.io/schema/v3.json"}')
    assert reader.claims("gw.yaml", "endpoints:\n- backend:\n  - url_pattern: /\n")
    assert not reader.claims("package.json", '{"endpoints": [], "backend": "x"}')
    assert not reader.claims("krakend.conf", "url_pattern endpoints backend")
