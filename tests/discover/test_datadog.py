"""Datadog: runtime metrics to DogStatsD when switched on; Autodiscovery checks of the agent."""

from __future__ import annotations

from pathlib import Path

import pytest

from socklock.discover import discover
from socklock.discover.autodiscovery import checks, is_agent_image
from socklock.load import load_paths


def _calls(tmp_path: Path) -> list[tuple[str, str, int | None, str, str]]:
    graph = discover(load_paths([str(tmp_path)]))
    return sorted(
        (e.source.split("/")[1], e.target.split("/")[1], e.port, e.protocol, ev.detail)
        for e in graph.edges
        for ev in e.evidence
        if ev.kind.value != "depends_on"
    )


def test_runtime_metrics_on_send_dogstatsd_to_the_agent(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text("""\
services:
  agent:
    image: datadog/agent:7
  api:
    image: shop/api:1
    environment:
      - DD_AGENT_HOST=agent
      - DD_RUNTIME_METRICS_ENABLED=true
  web:
    image: shop/web:1
    environment:
      - DD_AGENT_HOST=agent
      - DD_RUNTIME_METRICS_ENABLED=false
""")
    assert _calls(tmp_path) == [
        (
            "api",
            "agent",
            8125,
            "UDP",
            "env DD_AGENT_HOST=agent [manifest-only: the input has no code of this workload] "
            "(read by Datadog runtime metrics (DogStatsD): DD_RUNTIME_METRICS_ENABLED=true) "
            f"(compose service {tmp_path.name.lower()}/agent)",
        ),
        (
            "api",
            "agent",
            8126,
            "TCP",
            "env DD_AGENT_HOST=agent [manifest-only: the input has no code of this workload] "
            "(port as Datadog tracer uses it) "
            f"(compose service {tmp_path.name.lower()}/agent)",
        ),
        (
            "web",
            "agent",
            8126,
            "TCP",
            "env DD_AGENT_HOST=agent [manifest-only: the input has no code of this workload] "
            "(port as Datadog tracer uses it) "
            f"(compose service {tmp_path.name.lower()}/agent)",
        ),
    ]


@pytest.mark.parametrize(
    ("settings", "ports", "named", "expected"),
    [
        (  # v1: check names + instances, the port given
            {"check_names": '["postgres"]', "instances": '[{"host":"%%host%%", "port":5432}]'},
            [],
            {},
            [("postgres", 5432, "%%host%%")],
        ),
        (  # a URL with its own port
            {"check_names": '["nginx"]', "instances": '[{"url": "http://%%host%%:81/status"}]'},
            [80],
            {},
            [("nginx", 81, "http://%%host%%:81/status")],
        ),
        (  # v2 checks: %%port%% is the highest port, %%port_0%% the lowest
            {
                "checks": '{"openmetrics": {"instances": [{"openmetrics_endpoint": '
                '"http://%%host%%:%%port%%/metrics"}, {"host": "%%host%%", '
                '"port": "%%port_0%%"}]}}'
            },
            [8080, 9090],
            {},
            [
                ("openmetrics", 9090, "http://%%host%%:%%port%%/metrics"),
                ("openmetrics", 8080, "%%host%%"),
            ],
        ),
        (  # a named port (Kubernetes)
            {"checks": '{"redisdb": {"instances": [{"host": "%%host%%", "port": "%%port_db%%"}]}}'},
            [6379],
            {"db": 6379},
            [("redisdb", 6379, "%%host%%")],
        ),
        (  # no port anywhere: the check's default is not guessed
            {"check_names": '["postgres"]', "instances": '[{"host":"%%host%%"}]'},
            [],
            {},
            [],
        ),
        (  # %%port%% of a container that declares none
            {"check_names": '["http_check"]', "instances": '[{"url":"http://%%host%%:%%port%%"}]'},
            [],
            {},
            [],
        ),
        (  # not the labelled container: an external URL
            {"check_names": '["http_check"]', "instances": '[{"url":"https://example.com"}]'},
            [],
            {},
            [],
        ),
        ({"check_names": '["postgres"]', "instances": "not json"}, [], {}, []),
    ],
)
def test_checks(
    settings: dict[str, str],
    ports: list[int],
    named: dict[str, int],
    expected: list[tuple[str, int, str]],
) -> None:
    given = {f"com.datadoghq.ad.{k}": v for k, v in settings.items()}
    found = checks(given, "com.datadoghq.ad.", ports, named)
    assert [(c.name, c.port, c.written) for c in found] == expected


@pytest.mark.parametrize(
    ("image", "agent"),
    [
        ("datadog/agent:7", True),
        ("gcr.io/datadoghq/agent:7.50.0", True),
        ("registry.datadoghq.com/agent:latest", True),
        ("public.ecr.aws/datadog/agent", True),
        ("datadog/docker-dd-agent:latest", True),
        ("datadog/cluster-agent:7", False),
        ("shop/agent:1", False),
        ("datadog/dogstatsd:7", False),
        (None, False),
    ],
)
def test_agent_images(image: str | None, agent: bool) -> None:
    assert is_agent_image(image) is agent


def test_the_agent_connects_to_the_labelled_compose_service(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text("""\
services:
  agent:
    image: gcr.io/datadoghq/agent:7
  db:
    image: postgres:16
    labels:
      com.datadoghq.ad.check_names: '["postgres"]'
      com.datadoghq.ad.instances: '[{"host":"%%host%%", "port":5432, "password":"x"}]'
  web:
    image: shop/web:1
    labels:
      - 'com.datadoghq.ad.logs=[{"source": "nodejs"}]'
""")
    project = tmp_path.name.lower()
    assert _calls(tmp_path) == [
        (
            "agent",
            "db",
            5432,
            "TCP",
            f"Datadog Autodiscovery: check postgres of {project}/db at %%host%% port 5432 "
            f"(the agent {project}/agent connects to it)",
        )
    ]


def test_no_agent_in_the_input_no_call(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text("""\
services:
  db:
    image: postgres:16
    labels:
      com.datadoghq.ad.check_names: '["postgres"]'
      com.datadoghq.ad.instances: '[{"host":"%%host%%", "port":5432}]'
""")
    assert _calls(tmp_path) == []


def test_the_agent_daemonset_connects_to_an_annotated_pod(tmp_path: Path) -> None:
    (tmp_path / "k8s.yaml").write_text("""\
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: datadog-agent, namespace: monitoring}
spec:
  template:
    metadata: {labels: {app: datadog-agent}}
    spec:
      containers: [{name: agent, image: gcr.io/datadoghq/agent:7}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: cache, namespace: shop}
spec:
  template:
    metadata:
      labels: {app: cache}
      annotations:
        ad.datadoghq.com/redis.checks: |
          {"redisdb": {"instances": [{"host": "%%host%%", "port": "%%port_db%%"}]}}
        ad.datadoghq.com/exporter.check_names: '["openmetrics"]'
        ad.datadoghq.com/exporter.instances: '[{"openmetrics_endpoint": "http://%%host%%:%%port%%/metrics"}]'
    spec:
      containers:
      - {name: redis, image: redis:7, ports: [{name: db, containerPort: 6379}]}
      - {name: exporter, image: shop/exporter:1, ports: [{containerPort: 9121}]}
""")
    assert _calls(tmp_path) == [
        (
            "datadog-agent",
            "cache",
            6379,
            "TCP",
            "Datadog Autodiscovery: check redisdb of shop/cache at %%host%% port 6379 "
            "(the agent monitoring/datadog-agent connects to it)",
        ),
        (
            "datadog-agent",
            "cache",
            9121,
            "TCP",
            "Datadog Autodiscovery: check openmetrics of shop/cache at "
            "http://%%host%%:%%port%%/metrics port 9121 "
            "(the agent monitoring/datadog-agent connects to it)",
        ),
    ]
