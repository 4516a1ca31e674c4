"""Tempo, Loki and Mimir configs: every address row of data/telemetry_backends.toml."""

from __future__ import annotations

from socklock.discover.infra.backends import BackendReader, programs
from socklock.discover.proxies.interface import Source, Unknown, Upstream
from socklock.model import EvidenceKind

TEMPO = """\
server:
  http_listen_port: 3200
distributor:
  receivers:
    otlp:
      protocols:
        grpc:
          endpoint: 0.0.0.0:4317
storage:
  trace:
    backend: s3
    s3:
      endpoint: objects:9000
querier:
  frontend_worker:
    frontend_address: tempo-frontend:9095
metrics_generator:
  storage:
    path: /tmp/wal
    remote_write:
      - url: http://metrics-db:9009/api/v1/push
      # - url: http://commented-out:9009/api/v1/push
      - url: ${SECOND_STORE}
"""
LOKI = """\
auth_enabled: false
schema_config:
  configs: []
common:
  storage:
    s3:
      endpoint: objects:9000
storage_config:
  aws:
    endpoint: archive
frontend_worker:
  frontend_address: loki-frontend:9095
ruler:
  alertmanager_url: http://alerts:9093
  remote_write:
    client:
      url: http://metrics-db:9009/api/v1/push
    clients:
      second:
        url: http://other-db:9009/api/v1/push
"""
MIMIR = """\
multitenancy_enabled: false
blocks_storage:
  backend: s3
  s3:
    endpoint: objects:9000
common:
  storage:
    s3:
      endpoint: shared-objects:9000
frontend_worker:
  frontend_address: mimir-frontend:9095
ruler:
  alertmanager_url: http://alerts:9093
"""


def _found(
    name: str, text: str, env: dict[str, str]
) -> tuple[list[tuple[str, int | None, str, str]], list[tuple[str, str, str]]]:
    found = list(BackendReader().read([Source(f"/c/{name}", text)], env))
    assert all(f.evidence is EvidenceKind.CONFIG for f in found if isinstance(f, Upstream))
    return (
        [(f.host, f.port, str(f.location), f.detail) for f in found if isinstance(f, Upstream)],
        [(str(f.location), f.expression, f.reason) for f in found if isinstance(f, Unknown)],
    )


def test_tempo_remote_write_frontend_and_object_storage_not_its_receivers() -> None:
    calls, unknown = _found("tempo.yaml", TEMPO, {})
    assert calls == [
        (
            "metrics-db",
            9009,
            "/c/tempo.yaml:21:9",
            "Tempo metrics_generator.storage.remote_write.*.url http://metrics-db:9009/api/v1/push",
        ),
        (
            "tempo-frontend",
            9095,
            "/c/tempo.yaml:16:5",
            "Tempo querier.frontend_worker.frontend_address tempo-frontend:9095",
        ),
        ("objects", 9000, "/c/tempo.yaml:13:7", "Tempo storage.trace.s3.endpoint objects:9000"),
    ]
    assert unknown == [
        (
            "/c/tempo.yaml:23:9",
            "Tempo metrics_generator.storage.remote_write.*.url ${SECOND_STORE}",
            "env SECOND_STORE is not set for the workload by any manifest or its image's ENV",
        )
    ]


def test_loki_ruler_frontend_and_storage() -> None:
    calls, unknown = _found("loki.yaml", LOKI, {})
    assert calls == [
        ("alerts", 9093, "/c/loki.yaml:14:3", "Loki ruler.alertmanager_url http://alerts:9093"),
        (
            "metrics-db",
            9009,
            "/c/loki.yaml:17:7",
            "Loki ruler.remote_write.client.url http://metrics-db:9009/api/v1/push",
        ),
        (
            "other-db",
            9009,
            "/c/loki.yaml:20:9",
            "Loki ruler.remote_write.clients.*.url http://other-db:9009/api/v1/push",
        ),
        (
            "loki-frontend",
            9095,
            "/c/loki.yaml:12:3",
            "Loki frontend_worker.frontend_address loki-frontend:9095",
        ),
        ("objects", 9000, "/c/loki.yaml:7:7", "Loki common.storage.s3.endpoint objects:9000"),
        ("archive", 443, "/c/loki.yaml:10:5", "Loki storage_config.aws.endpoint archive"),
    ]
    assert unknown == []


def test_mimir_ruler_frontend_and_storage() -> None:
    calls, unknown = _found("mimir.yaml", MIMIR, {})
    assert calls == [
        ("alerts", 9093, "/c/mimir.yaml:13:3", "Mimir ruler.alertmanager_url http://alerts:9093"),
        (
            "mimir-frontend",
            9095,
            "/c/mimir.yaml:11:3",
            "Mimir frontend_worker.frontend_address mimir-frontend:9095",
        ),
        (
            "shared-objects",
            9000,
            "/c/mimir.yaml:9:7",
            "Mimir common.storage.s3.endpoint shared-objects:9000",
        ),
        ("objects", 9000, "/c/mimir.yaml:5:5", "Mimir blocks_storage.s3.endpoint objects:9000"),
    ]
    assert unknown == []


def test_env_fills_a_reference_and_claims_are_by_marking_keys() -> None:
    calls, unknown = _found("tempo.yaml", TEMPO, {"SECOND_STORE": "http://store-2:9009/push"})
    assert ("store-2", 9009) in [(host, port) for host, port, _, _ in calls]
    assert unknown == []
    reader = BackendReader()
    assert [reader.claims("c.yaml", t) for t in (TEMPO, LOKI, MIMIR)] == [True, True, True]
    # a Prometheus or Collector file, a Tempo key inside another program's file, or JSON
    assert not reader.claims("prometheus.yml", "scrape_configs: []\nstorage: {}\n")
    assert not reader.claims("values.yaml", "tempo:\n  metrics_generator: {}\n")
    assert not reader.claims("c.yaml", "metrics_generator: {}\n")  # Tempo needs storage too
    assert not reader.claims("tempo.json", TEMPO)
    assert [p.name for p in programs()] == ["Tempo", "Loki", "Mimir"]
