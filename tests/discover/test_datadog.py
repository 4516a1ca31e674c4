"""Datadog: runtime metrics to DogStatsD when switched on; Autodiscovery checks of the agent."""

from __future__ import annotations

from pathlib import Path

from socklock.discover import discover
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
