"""Grafana Alloy configs: the components that dial out, with values from literals, the
container's env and the JSON files the config reads; listeners and run-time discovery."""

from __future__ import annotations

from socklock.discover.infra.alloy import AlloyReader
from socklock.discover.proxies.interface import Found, Source, Unknown, Upstream
from socklock.model import EvidenceKind

CONFIG = """\
local.file "sinks" {
  filename = "/etc/agent/sinks.json"
}
prometheus.scrape "apps" {
  targets = [
    {"__address__" = "api:8080", job = "api"},
    {"__address__" = "worker", job = "worker"},
  ]
  forward_to = [prometheus.remote_write.main.receiver]
}
prometheus.scrape "secure" {
  scheme  = "https"
  targets = [{"__address__" = "vault"}]
}
discovery.kubernetes "pods" {
  role = "pod"
}
prometheus.scrape "pods" {
  targets = discovery.kubernetes.pods.targets
}
prometheus.remote_write "main" {
  endpoint {
    url = json_decode(local.file.sinks.content).metrics.url
  }
}
loki.write "main" {
  endpoint {
    url = json_path(local.file.sinks.content, ".logs.url")[0]
  }
}
otelcol.receiver.otlp "in" {
  grpc {
    endpoint = "0.0.0.0:4317"
  }
}
otelcol.exporter.otlp "traces" {
  client {
    endpoint = env("TRACES_ENDPOINT")
  }
}
pyroscope.write "main" {
  endpoint {
    url = env("PROFILES_URL")
  }
}
// pyroscope.scrape "off" {
//   targets = [{"__address__" = "commented:1"}]
// }
/*
loki.write "off" {
  endpoint { url = "http://also-commented:3100" }
}
*/
"""
SINKS = '{"metrics": {"url": "http://metrics:9009/api/v1/push"}, "logs": {"url": "http://logs:3100/push"}}'


def _found(env: dict[str, str], *extra: Source) -> list[Found]:
    config = Source("/a/config.alloy", CONFIG, container="/etc/agent/config.alloy")
    return list(AlloyReader().read([config, *extra], env))


def test_scrapes_and_pushes_with_values_from_files_and_env() -> None:
    sinks = Source("/a/sinks.json", SINKS, container="/etc/agent/sinks.json")
    found = _found({"TRACES_ENDPOINT": "traces:4317"}, sinks)
    assert [
        (f.host, f.port, f.scheme, str(f.location), f.detail)
        for f in found
        if isinstance(f, Upstream)
    ] == [
        (
            "api",
            8080,
            "http",
            "/a/config.alloy:6:22",
            "Alloy prometheus.scrape apps target api:8080",
        ),
        (
            "worker",
            80,
            "http",
            "/a/config.alloy:7:22",
            "Alloy prometheus.scrape apps target worker",
        ),
        (
            "vault",
            443,
            "https",
            "/a/config.alloy:13:31",
            "Alloy prometheus.scrape secure target vault",
        ),
        (
            "metrics",
            9009,
            "http",
            "/a/config.alloy:23:11",
            "Alloy prometheus.remote_write main url http://metrics:9009/api/v1/push",
        ),
        (
            "logs",
            3100,
            "http",
            "/a/config.alloy:28:11",
            "Alloy loki.write main url http://logs:3100/push",
        ),
        (
            "traces",
            4317,
            None,
            "/a/config.alloy:38:16",
            "Alloy otelcol.exporter.otlp traces endpoint traces:4317",
        ),
    ]
    assert all(f.evidence is EvidenceKind.CONFIG for f in found if isinstance(f, Upstream))
    assert [(str(f.location), f.expression, f.reason) for f in found if isinstance(f, Unknown)] == [
        (
            "/a/config.alloy:19:13",
            "Alloy prometheus.scrape pods targets",
            "discovery.kubernetes finds the targets at run time",
        ),
        (
            "/a/config.alloy:43:11",
            "Alloy pyroscope.write main url",
            "env PROFILES_URL is not set for the workload by any manifest or its image's ENV",
        ),
    ]


def test_a_file_the_config_reads_that_is_not_in_the_input_is_unknown() -> None:
    found = _found({"TRACES_ENDPOINT": "traces:4317", "PROFILES_URL": "http://prof:4040"})
    assert [(str(f.location), f.reason) for f in found if isinstance(f, Unknown)] == [
        ("/a/config.alloy:19:13", "discovery.kubernetes finds the targets at run time"),
        ("/a/config.alloy:23:11", "local.file sinks reads a file not in the input"),
        ("/a/config.alloy:28:11", "local.file sinks reads a file not in the input"),
    ]
    assert ("prof", 4040) in {(f.host, f.port) for f in found if isinstance(f, Upstream)}


def test_a_relative_file_name_is_read_beside_the_config() -> None:
    text = (
        'local.file "s" { filename = "s.json" }\n'
        'loki.write "w" { endpoint { url = json_decode(local.file.s.content).u } }\n'
    )
    config = Source("/a/c.alloy", text, container="/etc/agent/c.alloy")
    beside = Source("/a/s.json", '{"u": "http://logs:3100"}', container="/etc/agent/s.json")
    found = list(AlloyReader().read([config, beside], {}))
    assert [(f.host, f.port) for f in found if isinstance(f, Upstream)] == [("logs", 3100)]


def test_claims_alloy_and_river_files_and_includes_local_files() -> None:
    reader = AlloyReader()
    assert reader.claims("config.alloy", CONFIG)
    assert reader.claims("agent.river", CONFIG)
    assert not reader.claims("nginx.conf", "http { server { listen 80; } }\n")
    assert not reader.claims("sinks.json", SINKS)
    assert reader.includes(Source("/a/config.alloy", CONFIG)) == ["/etc/agent/sinks.json"]


def test_a_syntax_error_is_reported_where_it_is() -> None:
    found = list(
        AlloyReader().read([Source("/a/bad.alloy", 'loki.write "w" {\n  url = \n}\n')], {})
    )
    assert [(str(f.location), f.expression, f.reason) for f in found if isinstance(f, Unknown)] == [
        ("/a/bad.alloy:3:1", "Alloy config", "syntax error: expected an expression, found '}'")
    ]
