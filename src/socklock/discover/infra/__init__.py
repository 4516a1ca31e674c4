"""Infrastructure programs that call others through their own configuration files:
Prometheus scrapes, Grafana queries its data sources, an OpenTelemetry Collector (or
Jaeger v2) exports and scrapes, an OpenTelemetry SDK or a Jaeger client library exports
where its config file says,
Tempo, Loki and Mimir remote-write and notify where their YAML says, Grafana Alloy
scrapes and pushes where its ``*.alloy`` config says,
msmtp sends a program's mail to its SMTP server, Fluentd ships logs where its
``<match>`` outputs say,
a Dapr sidecar connects to the brokers and stores of its components.

The file readers are plug-ins of :mod:`socklock.discover.proxies` (the same
:class:`ProxyReader` port): a config belongs to the workload that mounts it or whose
image copies it in, is filled from that workload's env, and its addresses resolve from
that workload like any other call, with the file and line as evidence. Dapr components
are Kubernetes objects (or files a ``daprd`` sidecar loads) and join by app-id instead
(:mod:`.dapr`).
"""

from __future__ import annotations

from socklock.discover.infra.alloy import AlloyReader
from socklock.discover.infra.backends import BackendReader
from socklock.discover.infra.collector import CollectorReader
from socklock.discover.infra.fluentd import FluentdReader
from socklock.discover.infra.grafana import GrafanaReader
from socklock.discover.infra.jaeger_client import JaegerClientReader
from socklock.discover.infra.logstash import LogstashReader
from socklock.discover.infra.msmtp import MsmtpReader
from socklock.discover.infra.otel_sdk import OtelSdkReader
from socklock.discover.infra.prometheus import PrometheusReader
from socklock.discover.proxies.interface import ProxyReader

__all__ = ["CONFIG_READERS", "NAMED_READERS"]

CONFIG_READERS: tuple[ProxyReader, ...] = (
    PrometheusReader(),
    GrafanaReader(),
    CollectorReader(),
    OtelSdkReader(),
    JaegerClientReader(),
    LogstashReader(),
    FluentdReader(),
    BackendReader(),
    MsmtpReader(),
)
# readers whose files are known by their extension (``*.alloy``): asked before the ones
# that recognise a config by its content (nginx would take any ``name { ... }`` text)
NAMED_READERS: tuple[ProxyReader, ...] = (AlloyReader(),)
